"""The served data as a whole: counts (instances per class, triples per property and per
graph) for the ontology page and the VoID description, computed once per dataset
version (each is a scan of the store)."""

from __future__ import annotations

from ..describe.void import About, DatasetStats
from ..query.service import QueryRequest
from . import citing
from .internal_queries import sparql
from .memo import per_version
from .services import services


def dataset_stats() -> DatasetStats:
    return per_version("dataset-stats", _compute)


def dataset_about() -> About:
    return per_version("dataset-about", _about)


def _compute() -> DatasetStats:
    svc = services()
    totals = _run("dataset-totals")[0]
    return DatasetStats(
        triples=svc.query_service.count(),
        distinct_subjects=int(totals["subjects"].value),
        distinct_objects=int(totals["objects"].value),
        classes=_counts("dataset-classes", "class", "instances"),
        properties=_counts("dataset-properties", "property", "triples"),
        graphs=_counts("dataset-graphs", "graph", "triples"),
    )


def _about() -> About:
    outcomes: dict[str, str] = {}
    sources: set[str] = set()
    activities: set[str] = set()
    for row in _run("dataset-about"):
        if "outcome" in row:
            label = row["label"].value if "label" in row else ""
            outcomes[row["outcome"].value] = outcomes.get(row["outcome"].value) or label
        if "source" in row:
            sources.add(row["source"].value)
        if "activity" in row:
            activities.add(row["activity"].value)
    card = citing.card()
    return About(outcomes, tuple(sorted(sources)), tuple(sorted(activities)),
                 version=card.version, date=card.date, licence=card.licence,
                 rights=card.rights)


def _run(name: str) -> list[dict]:
    return services().query_service.run(QueryRequest(sparql(name))).dicts()


def _counts(name: str, key: str, count: str) -> dict[str, int]:
    return {row[key].value: int(row[count].value) for row in _run(name)
            if key in row and count in row}
