"""Pages computed before the first reader asks for them, once per version of the data.

A web process's first page cost 340–420 ms: importing the views, compiling templates,
running the overview's and the saved queries' own queries. Under ``flgraph serve`` each
web process asks itself for them in a background thread as it starts, and again when
the engine serves a new version (``Services.on_new_version``): the answers land in the
per-version memo, so a reader meets them ready. The pages are the overview, the list and
every saved query that needs no parameter, the ontology and the endpoint's editor.

A resource page is warmed too (the first the overview links to), which compiles the
template every ``/id/…`` page shares.

The warm-up gives way to the process's first reader: it begins once the process has
answered its first request (``reader_served``, called by the front door), or
``GIVE_WAY_SECONDS`` after the process starts if none comes. Begun at once, its imports
and compiles (the citation styles, the test client, the lexer's Unicode pattern: about
0.1 s) held the GIL while the first request waited for its turns (5 ms each): that
request took 34-40 ms instead of 10-17. The pages it warms wait for the engine's site
lane in any case, which the engine serves only once rdflib's grammar is built.

The search index is prepared at start too (``flgraph serve --search-at-start``, the
default, on every store): its build runs in a child process, whichever web process asks
first (web/search_index.py), so a reader's first search normally finds it ready rather
than "Search is being prepared" (503 with Retry-After, still the answer to a search that
comes before it is done). Where pages are warmed, it starts once they are (or after
``SEARCH_AFTER`` seconds at most): reading every text of the data, it took the CPU from
the first readers and from the warm-up itself.
"""

from __future__ import annotations

import logging
import re
import threading

from flask import Flask

from ..sparqltext.lexer import compile_whole_grammar
from .services import Services

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SEARCH_AFTER = 30.0  # seconds the search index waits at most for the pages' warm-up
GIVE_WAY_SECONDS = 0.5  # the warm-up waits this long at most for the first reader
_WARMED = "flgraph-warmed"  # app.extensions: set once the pages of the version are warm
_SERVED = "flgraph-served"  # app.extensions: set once the process has answered a request
_RESOURCE_LINK = re.compile(rb'href="(/id/[^"?#]+)"')
_log = logging.getLogger(__name__)


def pages(services: Services) -> list[str]:
    paths = ["/", "/queries/", "/ontology", "/sparql"]
    paths += [f"/queries/{name}" for name, saved in sorted(services.queries.items())
              if all(p.optional or p.default is not None for p in saved.params)]
    return paths


def _warmed(app: Flask) -> threading.Event:
    """Set once this version's pages are warm (at once where nothing warms them)."""
    event = app.extensions.get(_WARMED)
    if event is None:
        event = app.extensions.setdefault(_WARMED, threading.Event())
        if not app.extensions["flgraph"].settings.warm:
            event.set()
    return event


def _served(app: Flask) -> threading.Event:
    return app.extensions.setdefault(_SERVED, threading.Event())


def reader_served(app: Flask) -> None:
    """The process has answered its first request: the warm-up may begin."""
    _served(app).set()


def prepare_search(app: Flask) -> None:
    """Start building the search index of the data served now, in the background (a
    thread that waits for the index's child process); a failure is logged and left for
    the first search to report."""
    from .search_index import indexes

    def start() -> None:
        _warmed(app).wait(SEARCH_AFTER)
        try:
            with app.app_context():
                indexes().current()
        except Exception as err:  # a warm-up never stops a server
            _log.warning("preparing the search index: %s", err)

    threading.Thread(target=start, daemon=True, name="flgraph-warm-search").start()


def warm(app: Flask) -> None:
    """Ask for every page once; a page that fails is left for its reader to see. First,
    compile the lexer's pattern for text beyond ASCII (saved queries' descriptions): not
    before the web process forks, where it delayed the server's first answer by 50 ms."""
    compile_whole_grammar()
    client = app.test_client()
    paths = pages(app.extensions["flgraph"])
    try:
        for path in paths:
            try:
                page = client.get(path, headers={"Accept": BROWSER})
            except Exception as err:  # a warm-up never stops a server
                _log.warning("warming %s: %s", path, err)
                continue
            if path == "/":
                paths.extend(_first_resource(page.get_data()))
    finally:
        _warmed(app).set()


def _first_resource(html: bytes) -> list[str]:
    """The first resource page a page links to (none if it links to none)."""
    found = _RESOURCE_LINK.search(html)
    return [found.group(1).decode()] if found else []


def warm_in_background(app: Flask) -> None:
    """Warm once the first reader is served, and after each new version of the data, in a
    daemon thread."""
    def start(give_way: float = 0.0) -> None:
        _warmed(app).clear()
        threading.Thread(target=_warm_after, args=(app, give_way), daemon=True,
                         name="flgraph-warm").start()

    def new_version() -> None:
        start()  # first: the search index waits for this warm-up, not the last one
        if app.extensions["flgraph"].settings.search_at_start:
            prepare_search(app)

    app.extensions["flgraph"].on_new_version = new_version
    start(GIVE_WAY_SECONDS)


def _warm_after(app: Flask, give_way: float) -> None:
    if give_way:
        _served(app).wait(give_way)
    warm(app)
