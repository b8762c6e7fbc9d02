"""The SHACL shapes catch what is wrong with a graph: each test breaks a valid dataset in
one way and checks the finding the shapes give for it."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Literal, URIRef

from flgraph.validate import validate_dataset

from .conftest import DATA

ID = "https://w3id.org/flgraph/id/"
FLG = "https://w3id.org/flgraph/ontology#"
PROV = "http://www.w3.org/ns/prov#"


@pytest.fixture(scope="module")
def valid() -> Dataset:
    ds = Dataset()
    ds.parse(DATA, format="trig")
    return ds


def mutated(valid: Dataset, remove=(), add=()) -> Dataset:
    ds = Dataset()
    for quad in valid.quads((None, None, None, None)):
        ds.add(quad)
    for s, p, o in remove:
        for quad in list(ds.quads((s, p, o, None))):
            ds.remove(quad)
    graph = ds.graph(URIRef(ID + "graph/source/000_2635207760a74e4f"))
    for triple in add:
        graph.add(triple)
    return ds


def violations(ds: Dataset) -> list[str]:
    report = validate_dataset(ds)
    return [f.message for f in report.findings if f.severity == "Violation"]


def iri(path: str) -> URIRef:
    return URIRef(ID + path)


def flg(name: str) -> URIRef:
    return URIRef(FLG + name)


def test_the_built_dataset_conforms(valid):
    report = validate_dataset(valid)
    assert report.conforms, report.text()
    assert report.count("Violation") == 0


def test_drop_a_country_from_a_column(valid):
    ds = mutated(valid, remove=[(iri("result/15.1/ETH"), flg("resultTypology"),
                                 iri("result-typology/programmes"))])
    assert violations(ds) == [
        f"Listing {ID}result/15.1/ETH/programmes puts the member State under "
        f"{ID}result-typology/programmes, but the national result does not have that typology."]


def test_drop_a_country_from_every_column(valid):
    peru = [(s, None, None) for s, _, _, _ in valid.quads((None, flg("country"),
                                                           iri("country/PER"), None))
            if str(s).startswith(ID + "result/15.1/")]
    messages = violations(mutated(valid, remove=peru))
    assert "Reported total 8 differs from the 7 distinct member States listed across the " \
           "typology columns." in messages
    assert any("states 2 member States in region" in m and "but 1 of the listed" in m
               for m in messages)


def test_unpad_an_m49_code(valid):
    ds = mutated(valid, remove=[(iri("country/BRA"), flg("m49"), None)],
                 add=[(iri("country/BRA"), flg("m49"), Literal("76"))])
    assert violations(ds) == [
        'A member State has one UN M49 code, a zero-padded string of three digits ("076").']


def test_swap_a_region(valid):
    ds = mutated(valid, remove=[(iri("country/JOR"), flg("iloRegion"), None)],
                 add=[(iri("country/JOR"), flg("iloRegion"), iri("region/asia-and-the-pacific"))])
    assert sorted(violations(ds)) == sorted([
        f"The breakdown states 1 member States in region {ID}region/arab-states, but 0 of "
        "the listed member States are in that region.",
        f"The breakdown states 2 member States in region {ID}region/asia-and-the-pacific, but "
        "3 of the listed member States are in that region.",
    ])


def test_remove_provenance(valid):
    ds = mutated(valid, remove=[(iri("chain/15/ZMB"), URIRef(PROV + "wasDerivedFrom"), None)])
    assert violations(ds) == ["Every fact read from the report must cite its evidence "
                              "(prov:wasDerivedFrom a flg:Evidence)."]


def test_output_typology_used_as_result_typology(valid):
    listing = iri("result/15.1/ETH/programmes")
    wrong = iri("output-typology/capacity-building")
    ds = mutated(valid, remove=[(listing, flg("resultTypology"), None),
                                (iri("result/15.1/ETH"), flg("resultTypology"),
                                 iri("result-typology/programmes"))],
                 add=[(listing, flg("resultTypology"), wrong),
                      (iri("result/15.1/ETH"), flg("resultTypology"), wrong)])
    messages = violations(ds)
    assert ("A listing is under exactly one result typology, from the result typology scheme "
            "(an output typology is not a result typology).") in messages
    assert ("A national result is listed under at least one result typology, each from the "
            "result typology scheme.") in messages


def test_break_a_total(valid):
    result = iri("result/15.1")
    ds = mutated(valid, remove=[(result, flg("memberStateCount"), None)],
                 add=[(result, flg("memberStateCount"), Literal(9))])
    assert sorted(violations(ds)) == sorted([
        "Reported total 9 differs from the 8 distinct member States listed across the "
        "typology columns.",
        "The regional breakdown adds up to 8, but the total is 9.",
        "Value does not conform to Shape fls:CountStatementShape. See details for more "
        "information.",
    ])


def test_break_a_target_breakdown(valid):
    part = iri("target/15.1/region/europe-and-central-asia")
    ds = mutated(valid, remove=[(part, flg("count"), None)], add=[(part, flg("count"), Literal(3))])
    assert "The regional breakdown adds up to 9, but the total is 8." in violations(ds)


def test_missing_region_is_a_warning_not_a_violation(valid):
    ds = mutated(valid, remove=[(iri("country/FRA"), flg("iloRegion"), None)])
    report = validate_dataset(ds)
    assert report.conforms
    warnings = [f for f in report.findings if f.severity == "Warning"]
    assert [(f.focus, f.message) for f in warnings] == [
        (ID + "country/FRA", "A member State should have exactly one ILO region; without one, "
                             "regional breakdowns cannot be checked.")]
