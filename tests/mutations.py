"""Ways to break the built dataset, each in one place: test_shapes.py checks the finding
the shapes give for each, test_fastvalidate.py that the fast engine finds what pyshacl
finds for each (and for more, one per constraint type).

A mutation takes the valid dataset and returns what to remove and what to add
(``mutated(valid, **MUTATION(valid))``): some read the dataset to find their triples.
"""

from __future__ import annotations

from rdflib import Dataset, Literal, URIRef

from flgraph import namespaces as ns

SOURCE_GRAPH = ns.ID + "graph/source/000_2635207760a74e4f"


def iri(path: str) -> URIRef:
    return URIRef(ns.ID + path)


def flg(name: str) -> URIRef:
    return URIRef(ns.FLG + name)


def mutated(valid: Dataset, remove=(), add=()) -> Dataset:
    """A copy of ``valid`` without the triples matching ``remove`` (None is a wildcard), in
    every graph, and with ``add`` in the report section's graph."""
    ds = Dataset()
    for quad in valid.quads((None, None, None, None)):
        ds.add(quad)
    for s, p, o in remove:
        for quad in list(ds.quads((s, p, o, None))):
            ds.remove(quad)
    graph = ds.graph(URIRef(SOURCE_GRAPH))
    for triple in add:
        graph.add(triple)
    return ds


def _peru_everywhere(valid):
    """Peru out of every typology column of indicator 15.1."""
    return [(s, None, None) for s, _, _, _ in valid.quads((None, flg("country"),
                                                          iri("country/PER"), None))
            if str(s).startswith(ns.ID + "result/15.1/")]


ETHIOPIA = iri("result/15.1/ETH")
LISTING = iri("result/15.1/ETH/programmes")
PROGRAMMES = iri("result-typology/programmes")
CAPACITY_BUILDING = iri("output-typology/capacity-building")
EUROPE_TARGET = iri("target/15.1/region/europe-and-central-asia")

#: The report's own mistakes, as a publisher could make them.
SHAPE_MUTATIONS = {
    "drop a country from a column": lambda v: dict(
        remove=[(ETHIOPIA, flg("resultTypology"), PROGRAMMES)]),
    "drop a country from every column": lambda v: dict(remove=_peru_everywhere(v)),
    "unpad an M49 code": lambda v: dict(
        remove=[(iri("country/BRA"), flg("m49"), None)],
        add=[(iri("country/BRA"), flg("m49"), Literal("76", datatype=flg("M49Code")))]),
    "swap a region": lambda v: dict(
        remove=[(iri("country/JOR"), flg("iloRegion"), None)],
        add=[(iri("country/JOR"), flg("iloRegion"), iri("region/asia-and-the-pacific"))]),
    "remove provenance": lambda v: dict(
        remove=[(iri("chain/15/ZMB"), URIRef(ns.PROV + "wasDerivedFrom"), None)]),
    "output typology as result typology": lambda v: dict(
        remove=[(LISTING, flg("resultTypology"), None),
                (ETHIOPIA, flg("resultTypology"), PROGRAMMES)],
        add=[(LISTING, flg("resultTypology"), CAPACITY_BUILDING),
             (ETHIOPIA, flg("resultTypology"), CAPACITY_BUILDING)]),
    "break a total": lambda v: dict(
        remove=[(iri("result/15.1"), flg("memberStateCount"), None)],
        add=[(iri("result/15.1"), flg("memberStateCount"), Literal(9))]),
    "break a target breakdown": lambda v: dict(
        remove=[(EUROPE_TARGET, flg("count"), None)],
        add=[(EUROPE_TARGET, flg("count"), Literal(3))]),
    "remove a region (a warning)": lambda v: dict(
        remove=[(iri("country/FRA"), flg("iloRegion"), None)]),
}
