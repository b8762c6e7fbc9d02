"""``/search``: full-text search of the graph's things, as a page or as JSON.

Every state is in the URL (``q``, the facet values ``country``, ``region``, ``typology``
and ``section``, ``page``), so a search can be shared as a link; ``/search.json`` or
``Accept: application/json`` gives the same answer to programs. The search runs under
the queries' deadline (``Limits.timeout``); while the index of the data served is being
built, the answer is 503 with ``Retry-After`` and the page says so.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import Blueprint, jsonify, render_template, request, url_for

from ..search import FACETS, Hits, IndexTimeout, SearchQueryError
from .errors import error_response
from .search_index import IndexFailed, indexes
from .services import services

bp = Blueprint("search", __name__)

PAGE_SIZE = 20
MAX_PAGE = 25  # results are capped at PAGE_SIZE × MAX_PAGE (500) hits per search
MAX_FACET_VALUES = 20  # values of one facet selected at once
RETRY_AFTER = "5"
FACET_TITLES = {"country": "Country", "region": "ILO region",
                "typology": "Result or output typology", "section": "Section"}


@dataclass(frozen=True)
class SearchState:
    """What the URL asks for."""

    text: str
    selected: dict[str, list[str]]
    page: int

    def url(self, endpoint: str = "search.search", **changes) -> str:
        """This state's URL with ``changes`` (a facet's values, the page)."""
        args = {"q": self.text, **self.selected, "page": self.page, **changes}
        if args.get("page") == 1:
            args.pop("page")
        return url_for(endpoint, **{k: v for k, v in args.items() if v})

    def toggled(self, facet: str, value: str) -> str:
        """This state's URL with ``value`` of ``facet`` selected or, if it is, not."""
        values = list(self.selected.get(facet, []))
        values = [v for v in values if v != value] if value in values else [*values, value]
        return self.url(**{facet: values, "page": 1})


@bp.get("/search")
@bp.get("/search.<ext>")
def search(ext: str | None = None):
    if ext not in (None, "json", "html"):
        return error_response(404, "Not found", f"no search results in '.{ext}' (choose "
                              "from: .json, .html)")
    as_json = ext == "json" or (ext is None and _prefers_json())
    try:
        state = _state()
    except ValueError as err:
        return _error(as_json, 400, "Bad search", str(err))
    if not state.text.strip():
        if as_json:
            return _error(True, 400, "Bad search", "type a word to search for (q=…)")
        return render_template("search/results.html", state=state, hits=None,
                               facet_titles=FACET_TITLES)
    try:
        index = indexes().current()
    except IndexFailed as err:
        return _error(as_json, 503, "Search unavailable",
                      f"the search index could not be built: {err}", retry=True)
    if index is None:
        return _preparing(as_json, state)
    deadline = time.monotonic() + services().query_service.limits.timeout
    try:
        hits = index.search(state.text, state.selected, offset=(state.page - 1) * PAGE_SIZE,
                            size=PAGE_SIZE, deadline=deadline)
    except SearchQueryError as err:
        return _error(as_json, 400, "Bad search", str(err))
    except IndexTimeout as err:
        return _error(as_json, 503, "Search timed out", str(err), retry=True)
    if as_json:
        return _json(state, hits)
    return render_template("search/results.html", state=state, hits=hits,
                           facet_titles=FACET_TITLES, pages=_pages(hits.total),
                           links=services().links, page_size=PAGE_SIZE)


def _prefers_json() -> bool:
    accept = request.accept_mimetypes
    return accept.quality("application/json") > accept.quality("text/html")


def _state() -> SearchState:
    """The search the URL asks for, or ValueError with what is wrong with it."""
    selected = {}
    for facet in FACETS:
        values = [v for v in request.args.getlist(facet) if v]
        if len(values) > MAX_FACET_VALUES:
            raise ValueError(f"at most {MAX_FACET_VALUES} values of '{facet}' at once")
        if values:
            selected[facet] = values
    page = request.args.get("page", "1")
    if not page.isdigit() or not 1 <= int(page) <= MAX_PAGE:
        raise ValueError(f"page must be a number from 1 to {MAX_PAGE} (results are capped "
                         f"at {MAX_PAGE * PAGE_SIZE})")
    return SearchState(request.args.get("q", ""), selected, int(page))


def _pages(total: int) -> int:
    return min(MAX_PAGE, (total + PAGE_SIZE - 1) // PAGE_SIZE)


def _error(as_json: bool, status: int, title: str, message: str, retry: bool = False):
    headers = {"Retry-After": RETRY_AFTER} if retry else {}
    if as_json:
        return jsonify(error=title, message=message), status, headers
    return error_response(status, title, message, headers)


def _preparing(as_json: bool, state: SearchState):
    message = "the search index of this data is being prepared; try again in a few seconds"
    if as_json:
        return _error(True, 503, "Search being prepared", message, retry=True)
    body = render_template("search/results.html", state=state, hits=None, preparing=message,
                           facet_titles=FACET_TITLES)
    return body, 503, {"Retry-After": RETRY_AFTER}


def _json(state: SearchState, hits: Hits):
    links = services().links
    return jsonify(
        query=state.text, selected=state.selected, page=state.page, pageSize=PAGE_SIZE,
        total=hits.total, pages=_pages(hits.total), facetsCount=hits.facets_of,
        version=services().current_version(),
        hits=[{**hit.as_dict(), "href": links.href(hit.iri),
               "evidenceHref": links.href(hit.evidence) if hit.evidence else None}
              for hit in hits.hits],
        facets={facet: [{"value": c.value, "label": c.label, "count": c.count,
                         "selected": c.selected} for c in counts]
                for facet, counts in hits.facets.items()})
