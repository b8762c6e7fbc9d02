"""Pages computed before the first reader asks for them, once per version of the data.

A web process's first page cost 340–420 ms: importing the views, compiling templates,
running the overview's and the saved queries' own queries. Under ``flgraph serve`` each
web process asks itself for them in a background thread as it starts, and again when
the engine serves a new version (``Services.on_new_version``): the answers land in the
per-version memo, so a reader meets them ready. The pages are the overview, the list and
every saved query that needs no parameter, the ontology and the endpoint's editor.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask

from .services import Services

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
_log = logging.getLogger(__name__)


def pages(services: Services) -> list[str]:
    paths = ["/", "/queries/", "/ontology", "/sparql"]
    paths += [f"/queries/{name}" for name, saved in sorted(services.queries.items())
              if all(p.optional or p.default is not None for p in saved.params)]
    return paths


def warm(app: Flask) -> None:
    """Ask for every page once; a page that fails is left for its reader to see."""
    client = app.test_client()
    for path in pages(app.extensions["flgraph"]):
        try:
            client.get(path, headers={"Accept": BROWSER})
        except Exception as err:  # a warm-up never stops a server
            _log.warning("warming %s: %s", path, err)


def warm_in_background(app: Flask) -> None:
    """Warm now, and after each new version of the data, in a daemon thread."""
    def start() -> None:
        threading.Thread(target=warm, args=(app,), daemon=True, name="flgraph-warm").start()

    app.extensions["flgraph"].on_new_version = start
    start()
