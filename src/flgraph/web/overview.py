"""``/``: what the dataset is, at a glance, with links to everything else.

Counts come from the store; the charts (Table 1 as a country × typology matrix, target
versus result by region, a world map of countries with results) are drawn in the browser
by ECharts from data embedded in the page. Each chart's cells and countries link to
their pages, and each has its text alternative on the page: the table it draws, with the
same links, which keyboards and screen readers reach (and which shows without scripts).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template

from ..query.answers import SelectResult
from ..query.service import QueryRequest
from . import cells
from .internal_queries import sparql
from .services import services

bp = Blueprint("overview", __name__)


@bp.get("/")
def index():
    svc = services()
    run = svc.query_service.run
    counts = run(QueryRequest(sparql("overview-counts"))).dicts()[0]
    matrix = run(QueryRequest(sparql("overview-matrix")))
    regions = run(QueryRequest(svc.queries["target-vs-result-by-region"].text))
    outcomes = run(QueryRequest(sparql("outcomes")))
    return render_template(
        "overview.html",
        counts={k: int(v.value) for k, v in counts.items()},
        triples=svc.query_service.count(),
        outcomes=cells.table(outcomes, svc.links),
        queries=svc.queries.values(),
        charts={"matrix": _with_links(_columns(matrix), {"country": "countryHref",
                                                           "listingIri": "listingHref"}),
                "regions": _columns(regions)},
        matrix=_by_country(matrix.dicts()),
        regions=[_region(row) for row in regions.dicts()],
    )


def _columns(result: SelectResult) -> dict:
    return {"columns": list(result.variables), "rows": cells.lexical_rows(result)}


def _with_links(data: dict, columns: dict[str, str]) -> dict:
    """``data`` with a local link column beside each IRI column named in ``columns``."""
    links = services().links
    for column, name in columns.items():
        i = data["columns"].index(column)
        data["columns"].append(name)
        for row in data["rows"]:
            row.append(links.href(row[i]) if row[i] else None)
    return data


@dataclass(frozen=True)
class Listed:
    country: str
    href: str | None
    typologies: tuple[tuple[str, str | None], ...]  # (label, the listing's page)


def _by_country(rows: list[dict]) -> list[Listed]:
    """The matrix as a reader's table: each member State and the typologies it is listed
    under, each linking to the listing's page (its evidence)."""
    links = services().links
    found: dict[str, list] = {}
    names: dict[str, str] = {}
    for row in rows:
        iri = row["country"].value
        names[iri] = row["countryName"].value
        found.setdefault(iri, []).append((row["typologyLabel"].value,
                                          links.href(row["listingIri"].value)))
    return [Listed(names[iri], links.href(iri), tuple(typologies))
            for iri, typologies in sorted(found.items(), key=lambda item: names[item[0]])]


def _region(row: dict) -> dict:
    """A region's counts and what they say, in a sentence: over or under the target, and
    "not stated" (never 0) where the report gives no count."""
    label = row["regionLabel"].value
    target = int(row["target"].value) if "target" in row else None
    reported = int(row["reported"].value) if "reported" in row else None
    listed = int(row["listed"].value) if "listed" in row else 0
    if target is None and reported is None:
        said = f"{label}: no target and no result stated"
    elif reported is None:
        said = f"{label}: target {target}; the result does not state this region"
    elif target is None:
        said = f"{label}: no target stated; {reported} reported"
    elif reported == target:
        said = f"{label}: {reported} reported, as targeted"
    else:
        more = reported > target
        said = (f"{label}: {reported} reported against a target of {target}, "
                f"{abs(reported - target)} {'over' if more else 'under'}")
    return {"label": label, "href": services().links.href(row["region"].value),
            "target": target, "reported": reported, "listed": listed,
            "difference": None if target is None or reported is None else reported - target,
            "said": said + f"; {listed} listed in Table 1."}
