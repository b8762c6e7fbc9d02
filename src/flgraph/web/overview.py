"""``/``: what the dataset is, at a glance, with links to everything else.

Counts come from the store; the charts (Table 1 as a country × typology matrix, target
versus result by region, a world map of countries with results) are drawn in the browser
by ECharts from data embedded in the page.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from ..service import QueryRequest
from ..store import SelectResult
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
        triples=svc.store.count(),
        outcomes=cells.table(outcomes, svc.links),
        queries=svc.queries.values(),
        charts={"matrix": _columns(matrix), "regions": _columns(regions)},
    )


def _columns(result: SelectResult) -> dict:
    return {"columns": list(result.variables), "rows": cells.lexical_rows(result)}
