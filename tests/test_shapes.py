"""The SHACL shapes catch what is wrong with a graph: each test breaks a valid dataset in
one way and checks the finding the shapes give for it."""

from __future__ import annotations

import pytest
from rdflib import Dataset

from flgraph import namespaces as ns
from flgraph.validation.validate import validate_dataset

from .conftest import DATA
from .mutations import SHAPE_MUTATIONS, mutated

pytestmark = pytest.mark.slow  # each validates with pyshacl

ID = ns.ID


@pytest.fixture(scope="module")
def valid() -> Dataset:
    ds = Dataset()
    ds.parse(DATA, format="trig")
    return ds


def broken(valid: Dataset, name: str) -> Dataset:
    return mutated(valid, **SHAPE_MUTATIONS[name](valid))


def violations(ds: Dataset) -> list[str]:
    report = validate_dataset(ds)
    return [f.message for f in report.findings if f.severity == "Violation"]


def test_the_built_dataset_conforms(valid):
    report = validate_dataset(valid)
    assert report.conforms, report.text()
    assert report.count("Violation") == 0


def test_drop_a_country_from_a_column(valid):
    assert violations(broken(valid, "drop a country from a column")) == [
        f"Listing {ID}result/15.1/ETH/programmes puts the member State under "
        f"{ID}result-typology/programmes, but the national result does not have that typology."]


def test_drop_a_country_from_every_column(valid):
    messages = violations(broken(valid, "drop a country from every column"))
    assert "Reported total 8 differs from the 7 distinct member States listed across the " \
           "typology columns." in messages
    assert any("states 2 member States in region" in m and "but 1 of the listed" in m
               for m in messages)


def test_unpad_an_m49_code(valid):
    assert violations(broken(valid, "unpad an M49 code")) == [
        'A member State has one UN M49 code, a zero-padded string of three digits ("076").']


def test_swap_a_region(valid):
    assert sorted(violations(broken(valid, "swap a region"))) == sorted([
        f"The breakdown states 1 member States in region {ID}region/arab-states, but 0 of "
        "the listed member States are in that region.",
        f"The breakdown states 2 member States in region {ID}region/asia-and-the-pacific, but "
        "3 of the listed member States are in that region.",
    ])


def test_remove_provenance(valid):
    assert violations(broken(valid, "remove provenance")) == [
        "Every fact read from the report must cite its evidence "
        "(prov:wasDerivedFrom a flg:Evidence)."]


def test_output_typology_used_as_result_typology(valid):
    # the nested shapes' own failures (sh:detail) follow each message after "Details:"
    messages = [m.split(" Details: ")[0] for m in
                violations(broken(valid, "output typology as result typology"))]
    assert ("A listing is under exactly one result typology, from the result typology scheme "
            "(an output typology is not a result typology).") in messages
    assert ("A national result is listed under at least one result typology, each from the "
            "result typology scheme.") in messages


def test_break_a_total(valid):
    # two results, as SHACL counts them: the breakdown's failure is nested (sh:detail) in
    # the result of the shape it belongs to, and said in that result's message
    assert sorted(violations(broken(valid, "break a total"))) == sorted([
        "Reported total 9 differs from the 8 distinct member States listed across the "
        "typology columns.",
        "Value does not conform to Shape fls:CountStatementShape. See details for more "
        "information. Details: The regional breakdown adds up to 8, but the total is 9.",
    ])


def test_break_a_target_breakdown(valid):
    # nested (sh:detail) in the result of the count statement's shape, said in its message
    [message] = violations(broken(valid, "break a target breakdown"))
    assert message.endswith("Details: The regional breakdown adds up to 9, but the total is 8.")


def test_missing_region_is_a_warning_not_a_violation(valid):
    report = validate_dataset(broken(valid, "remove a region (a warning)"))
    assert report.conforms
    warnings = [f for f in report.findings if f.severity == "Warning"]
    assert [(f.focus, f.message) for f in warnings] == [
        (ID + "country/FRA", "A member State should have exactly one ILO region; without one, "
                             "regional breakdowns cannot be checked.")]
