"""Saved queries: ``/queries/`` lists them, ``/queries/<name>`` runs one.

One URL per state (parameters and page in the query string), so every view can be
shared; the same URL gives CSV, TSV, SPARQL JSON or XML by ``Accept`` or by extension
(``/queries/table-1.csv``). A query's answer is computed once per parameters and dataset
version and shared by its pages and formats: paging through a large answer, or
downloading what one reads, does not run the query again.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Blueprint, abort, make_response, render_template, request, url_for

from ..citation import Cited, where_text
from ..citation import text as citation_text
from ..query.answers import Result, SelectResult
from ..query.errors import ParameterError
from ..query.saved import SavedQuery, bind_params
from ..query.service import QueryRequest
from ..sparqltext.binder import bind
from ..sparqltext.header import read_header
from ..tabular import CSVW_MEDIA, XLSX_MEDIA, About, csvw_metadata, workbook
from . import cells, citing
from .choices import Choices, choices, resolve
from .memo import Memo, per_version
from .negotiation import negotiate, not_acceptable, vary
from .renderers import GRAPH, TABULAR, render
from .services import services

bp = Blueprint("queries", __name__)

_EXTENSIONS = ("csv", "tsv", "json", "xml", "html", "xlsx")
#: Query-string names of the page itself, never parameters of a query.
_RESERVED = ("page", "page_size", "format")
#: Answers kept, in rows: a few full answers at the row limit (each is at most 16 MiB of
#: text, ``Limits.max_result_bytes``), any number of small ones.
_KEPT_ANSWERS = 4


@dataclass(frozen=True)
class Answer:
    result: Result
    elapsed: float  # seconds the query took when it ran
    reused: bool = False  # computed for an earlier request


@bp.get("/queries/")
def index():
    return render_template("queries/index.html", queries=services().queries.values())


@bp.get("/queries/<path:name>")
def show(name: str):
    name, extension = _split_extension(name)
    saved = services().queries.get(name)
    if saved is None:
        abort(404, f"no saved query '{name}'")
    raw = {k: v for k, v in request.args.items() if k not in _RESERVED}
    resolved = _resolved(saved, raw)
    missing = [p for p in saved.params if not p.optional and not p.default
               and not resolved.get(p.name)]
    if missing:
        return _without(saved, raw, resolved, missing, extension)
    bindings = bind_params(saved, resolved, base=services().base + "id/")
    form = read_header(saved.text).form
    offered = [*(GRAPH if form in ("CONSTRUCT", "DESCRIBE") else TABULAR),
               *([XLSX_MEDIA] if form == "SELECT" else [])]
    media = negotiate(["text/html", *offered], extension or request.args.get("format"))
    if media is None:
        return not_acceptable(["text/html", *offered])
    if media in TABULAR or media in GRAPH:
        response = render(_written(saved, bindings, media), media)
        if extension:
            response.headers["Content-Disposition"] = f'inline; filename="{name}.{extension}"'
        return _stamped(vary(response, "Accept"), saved, raw, media)
    answer = _answer(saved, bindings)
    result = answer.result
    if media == XLSX_MEDIA:
        response = make_response(workbook(result, about(saved, raw, result.truncated)))
        response.headers["Content-Type"] = XLSX_MEDIA
        response.headers["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        if result.truncated:
            response.headers["X-Flgraph-Truncated"] = "true"
    else:
        response = _page(saved, raw, resolved, bindings, answer)
    return _stamped(vary(response, "Accept"), saved, raw, media)


def _stamped(response, saved: SavedQuery, raw: dict, media: str):
    """Every answer names the data it came from: the version in a header, and links to
    the dataset's description and (for CSV) the answer's CSVW metadata."""
    version = citing.card().version
    if version:
        response.headers["X-Flgraph-Version"] = version
    links = [f'<{url_for("landing.dataset_page", _external=True)}>; rel="collection"']
    if media == "text/csv":
        metadata = url_for("queries.csv_metadata", name=saved.name, _external=True, **raw)
        links.append(f'<{metadata}>; rel="describedby"; type="application/csvm+json"')
    response.headers.add("Link", ", ".join(links))
    return response


@bp.get("/queries/<name>.csv-metadata.json")
def csv_metadata(name: str):
    """The CSVW metadata of the query's CSV (same parameters): column titles and types."""
    saved = services().queries.get(name)
    if saved is None:
        abort(404, f"no saved query '{name}'")
    raw = {k: v for k, v in request.args.items() if k not in _RESERVED}
    result = _answer(saved, bind_params(saved, _resolved(saved, raw),
                                        base=services().base + "id/")).result
    if not isinstance(result, SelectResult):
        abort(404, f"'{name}' answers with no table")
    csv_url = url_for("queries.show", name=f"{name}.csv", _external=True, **raw)
    document = csvw_metadata(result, csv_url, about(saved, raw))
    response = make_response(json.dumps(document, ensure_ascii=False, indent=2))
    response.headers["Content-Type"] = CSVW_MEDIA
    return response


def about(saved: SavedQuery, raw: dict, truncated: bool = False) -> About:
    """Where an answer came from, for its CSVW metadata and its workbook's About sheet."""
    card = citing.card()
    this = cited(saved, raw)
    return About(title=this.title, description=saved.description, url=this.url,
                 query=saved.text, parameters=raw, version=card.version, date=card.date,
                 truncated=truncated,
                 citation=citation_text(card, this), source=where_text(card, this),
                 licence=card.licence, rights=card.rights)


def _resolved(saved: SavedQuery, raw: dict) -> dict:
    """The raw values with each parameter's value resolved to the IRI it names (labels,
    codes, CURIEs); unknown parameter names are left for ``bind_params`` to refuse."""
    base = services().base + "id/"
    resolved = dict(raw)
    for param in saved.params:
        value = raw.get(param.name)
        if param.type == "iri" and value not in (None, ""):
            resolved[param.name] = resolve(saved, param, value, base)
    return resolved


def _without(saved: SavedQuery, raw: dict, resolved: dict, missing: list,
             extension: str | None):
    """A query asked without a required parameter: for people its form, a prompt and the
    values to choose from; for programs a 400 naming the parameter and where its values
    are listed."""
    media = negotiate(["text/html", *TABULAR], extension or request.args.get("format"))
    if media == "text/html":
        return vary(make_response(_render(saved, raw, resolved, answer=None)), "Accept")
    page = f"{request.host_url}queries/{saved.name}"
    names = ", ".join(f"'{p.name}'" for p in missing)
    raise ParameterError(f"parameter {names} is required; its values are listed on {page}")


def _answer(saved: SavedQuery, bindings: dict) -> Answer:
    """The query's answer for these parameters, run on the first request for it only."""
    fresh: list[Answer] = []

    def run() -> Answer:
        started = time.perf_counter()
        services().query_service.check_members(saved, bindings)
        result = services().query_service.run(QueryRequest(saved.text, bindings))
        fresh.append(Answer(result, time.perf_counter() - started))
        return fresh[0]

    kept = per_version(("answer", saved.text, tuple(sorted(bindings.items()))), run,
                       memo="flgraph-answers", new=_answers_memo)
    return kept if fresh else Answer(kept.result, kept.elapsed, reused=True)


def _written(saved: SavedQuery, bindings: dict, media: str):
    """The answer in a machine format (CSV, TSV, SPARQL JSON/XML, RDF), written by the
    engine where the query runs: bytes cross back, and no row is built in this process.
    Repeated requests are answered by the response cache (web/cache.py)."""
    graph = media in GRAPH
    formats = (None, GRAPH[media]) if graph else (TABULAR[media], None)
    service = services().query_service
    service.check_members(saved, bindings)
    return service.run(QueryRequest(saved.text, bindings, formats=formats))


def _answers_memo() -> Memo:
    limits = services().query_service.limits
    return Memo(_KEPT_ANSWERS * limits.row_limit, weigh=_rows)


def _rows(answer: Answer) -> int:
    return 1 + (len(answer.result.rows) if isinstance(answer.result, SelectResult) else 0)


def _split_extension(name: str) -> tuple[str, str | None]:
    stem, dot, ext = name.rpartition(".")
    if dot and ext in _EXTENSIONS:
        return stem, ext
    return name, None


def _page(saved: SavedQuery, raw: dict, resolved: dict, bindings: dict, answer: Answer):
    return make_response(_render(saved, raw, resolved, answer, bindings))


def _render(saved: SavedQuery, raw: dict, resolved: dict, answer: Answer | None,
            bindings: dict | None = None) -> str:
    """The query's page: its form, then (with an answer) the status line, chart, table and
    the ways to use it elsewhere."""
    svc = services()
    found = {p.name: choices(saved, p) for p in saved.params}  # the drop-downs
    result = answer.result if answer else None
    page_size = request.args.get("page_size", type=int) or svc.settings.page_size
    page_size = max(1, min(page_size, 1000))
    rows = len(result.rows) if isinstance(result, SelectResult) else 0
    pages = max(1, math.ceil(rows / page_size))
    page = min(max(1, request.args.get("page", 1, type=int)), pages)
    shown = range((page - 1) * page_size, min(rows, page * page_size))
    return render_template(
        "queries/show.html",
        query=saved,
        params=[(p, resolved.get(p.name) or p.default or "", found[p.name]) for p in saved.params],
        answered=answer is not None,
        empty=_empty(saved, resolved, found) if answer is not None else None,
        result=result,
        table=cells.table(result, svc.links, shown) if isinstance(result, SelectResult) else [],
        evidence_column=_evidence_column(result),
        rows=rows, page=page, pages=pages, first=shown.start + 1, last=shown.stop,
        elapsed_ms=round(answer.elapsed * 1000, 1) if answer else 0,
        reused=answer.reused if answer else False,
        page_url=lambda p: _url(saved.name, raw, p),
        format_url=lambda ext: url_for("queries.show", name=f"{saved.name}.{ext}", **raw),
        csvw_url=url_for("queries.csv_metadata", name=saved.name, **raw),
        chart=_chart(saved, result) if answer and saved.view != "table" else None,
        curl=_curl(saved, raw),
        version=citing.card(),
        cite=citing.box(cited(saved, raw)),
        python=_python(saved, bindings or {}),
    )


def _empty(saved: SavedQuery, resolved: dict, found: dict[str, Choices | None]) -> str | None:
    """Why an answer is empty, in words, when a chosen value has nothing in the report."""
    for param in saved.params:
        listed = found.get(param.name)
        value = resolved.get(param.name)
        if listed is not None and value and listed.answers(value) == 0:
            label = listed.label(value)
            return saved.empty.format(label=label) if saved.empty else (
                f"{label} has no answer to this query in the report.")
    return None


def cited(saved: SavedQuery, raw: dict) -> Cited:
    """A saved query's answer as cited: its title with its parameters, its shareable URL."""
    given = "; ".join(f"{k} = {v}" for k, v in raw.items() if v)
    title = f"{saved.title} ({given})" if given else saved.title
    return Cited(title, url_for("queries.show", name=saved.name, _external=True, **raw))


def _url(name: str, raw: dict, page: int) -> str:
    return url_for("queries.show", name=name, **raw, page=page)


def _evidence_column(result) -> int | None:
    if isinstance(result, SelectResult) and "evidence" in result.variables:
        return result.variables.index("evidence")
    return None


def _chart(saved: SavedQuery, result) -> dict:
    """The columns the chart draws (those its ``view_options`` name), every row: the page
    carries them, and each of its pages again (timeline at 2M triples: 7 MB a page with
    every column, the statements' text included)."""
    if not isinstance(result, SelectResult):
        return {}
    named = {name for value in saved.view_options.values()
             for name in (value if isinstance(value, list) else [value])}
    columns = [i for i, variable in enumerate(result.variables) if variable in named]
    return {"view": saved.view, "options": saved.view_options,
            "columns": [result.variables[i] for i in columns],
            "rows": cells.lexical_rows(result, columns)}


def _curl(saved: SavedQuery, raw: dict) -> str:
    query = f"?{urlencode(raw)}" if raw else ""
    return f"curl -H 'Accept: text/csv' '{request.host_url}queries/{saved.name}.csv{query}'"


def _python(saved: SavedQuery, bindings: dict) -> str:
    text = "\n".join(line for line in saved.text.splitlines() if not line.startswith("#+"))
    if bindings:  # the parameters as a VALUES block, as the site binds them on any store
        text = bind(text, bindings)
    quoted = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return (
        "from SPARQLWrapper import SPARQLWrapper, JSON\n\n"
        f'sparql = SPARQLWrapper("{request.host_url}sparql")\n'
        f'sparql.setQuery("""{quoted.strip()}""")\n'
        "sparql.setReturnFormat(JSON)\n"
        'for row in sparql.queryAndConvert()["results"]["bindings"]:\n'
        '    print({name: value["value"] for name, value in row.items()})\n'
    )
