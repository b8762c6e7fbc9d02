"""``flgraph serve``: the site under gunicorn, a production WSGI server."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

from .dump_files import remove_if_owner


class _Server(BaseApplication):
    def __init__(self, config: dict[str, Any], options: dict[str, Any]) -> None:
        self._config = config
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self):
        from . import create_app

        return create_app(self._config)


def serve(config: dict[str, Any], host: str = "127.0.0.1", port: int = 8000,
          workers: int = 2, threads: int = 4, access_log: bool = False,
          on_reload=None) -> None:
    """``on_reload`` is called when the server is told to reload (SIGHUP): the engine
    loads the data file again."""
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "timeout": 60,
        "graceful_timeout": 5,
        "keepalive": 5,
        "accesslog": "-" if access_log else None,
        "errorlog": "-",
        "loglevel": "warning",
        # Request line and headers: a SPARQL query in a URL is the longest thing we take.
        "limit_request_line": 16_384,
        "limit_request_field_size": 16_384,
    }
    if on_reload is not None:
        options["on_reload"] = lambda _arbiter: on_reload()
    from .warm import import_site

    import_site()  # before the web processes fork: each starts with the site imported
    # made here, before the web processes fork, so that they share the dumps they write
    dumps = Path(tempfile.mkdtemp(prefix="flgraph-dumps-"))
    owner = os.getpid()
    try:
        _Server({"FLGRAPH_DUMP_DIR": str(dumps), **config}, options).run()
    finally:
        # a web process leaves through here too (gunicorn forks inside ``run``): only the
        # process that made the directory removes it
        remove_if_owner(dumps, owner)
