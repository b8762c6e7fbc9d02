"""``flgraph serve``: the site under a production HTTP server.

Granian by default: its connections live in a Rust event loop (hyper), which reads a
request's headers and body before a Python thread is given it and writes the response
while the thread serves the next one, so slow or idle clients hold sockets, not the
application's threads (bench/slow_clients.py: with 1,000 such sockets open gunicorn's
threads all wait on them and ``/health`` fails; under granian it answers). gunicorn's
gthread workers, the server before it, stay available for comparison (``--http-server``).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..config import Settings
from ..durable import scratch_directory, sweep_scratch
from .dump_files import remove_if_owner

SERVERS = ("granian", "gunicorn")
HEADER_TIMEOUT_MS = 10_000  # a client has this long to send its request's headers
# Requests a web process holds at once (reading their bodies, waiting for a thread, being
# written): past it granian stops accepting connections, so it is what slow sockets must
# fill to shut the site out. Each costs a coroutine and its buffers (a body is at most
# front.MAX_BODY), not a thread.
CONNECTIONS = 4096
STOP_SECONDS = 5  # a web process still running this long after a stop is killed
PR_SET_PDEATHSIG = 1  # prctl(2)
# Request line and headers: a SPARQL query in a URL is the longest thing we take (up to the
# gateway's 20,000-byte cap, percent-encoded: three bytes a character at worst).
MAX_HEAD_BYTES = 3 * 20_000 + 16_384


@functools.cache  # once per process: ``flgraph serve`` calls it, then ``serve`` again
def import_site(http_server: str = "granian") -> None:
    """Import the site's modules in the process that forks the web processes, so that
    each of them starts with them imported (imports are most of a process's start), and
    the HTTP server's: ``flgraph serve`` calls this while the engine loads the data, so
    that granian's own imports (0.05-0.1 s) are not waited for once the engine is ready.
    The saved queries are read here too (each web process then finds their parses).

    The cyclic collector is paused meanwhile: the imports make about 38,000 objects it
    tracks, nearly all kept for the process's life, and collecting among them took
    18-32 ms of the start. They are then frozen (``gc.freeze``), so that the web
    processes' collections never walk them, nor write to their pages, which stay shared
    with this process."""
    gc.disable()
    try:
        _import_site_modules(http_server)
    finally:
        gc.enable()
    gc.freeze()


def _import_site_modules(http_server: str) -> None:
    from ..query.saved import load_queries
    from . import (  # noqa: F401
        cache,
        citing,
        cors,
        create_app,
        downloads,
        errors,
        health,
        http_rules,
        landing,
        ontology,
        overview,
        queries,
        resources,
        search,
        sparql,
        validation,
        warm,
    )

    load_queries()
    if http_server == "granian":
        import granian.server  # noqa: F401

        from . import front  # noqa: F401


def serve(config: dict[str, Any], host: str = "127.0.0.1", port: int = 8000,
          workers: int = 2, threads: int = 4, access_log: bool = False,
          http_server: str = "granian", on_reload: Callable[[], Any] | None = None) -> None:
    """Serve the site with ``workers`` processes of ``threads`` application threads each,
    until interrupted. ``on_reload`` is called when the server is told to reload (SIGHUP):
    the engine loads the data file again, then the web processes are started anew."""
    import_site(http_server)  # before the web processes fork: each starts with it imported
    # made here, before the web processes fork, so that they share the dumps they write
    sweep_scratch()  # those of a server killed before it could remove them
    dumps = scratch_directory("dumps")
    owner = os.getpid()
    config = {"FLGRAPH_DUMP_DIR": str(dumps), **config}
    # and the named pipes large answers are written through (web/front.py)
    pipes = scratch_directory("answers")
    try:
        if http_server == "gunicorn":
            _gunicorn(config, host, port, workers, threads, access_log, on_reload)
        else:
            _granian(config, host, port, workers, threads, access_log, on_reload, pipes)
    finally:
        # a web process may leave through here too (gunicorn forks inside ``run``): only
        # the process that made the directory removes it
        remove_if_owner(dumps, owner)
        remove_if_owner(pipes, owner)


def _app(config: dict[str, Any]):
    from . import create_app

    return create_app(config)


def _granian(config: dict[str, Any], host: str, port: int, workers: int, threads: int,
             access_log: bool, on_reload: Callable[[], Any] | None, pipes: Path) -> None:
    from granian.constants import Interfaces
    from granian.http import HTTP1Settings
    from granian.log import LogLevels
    from granian.server import Server

    from .clients import trusted_networks
    from .front import FrontDoor
    from .warm import reader_served

    server = Server(
        "flgraph.web:create_app",  # a name for its logs: the loader below builds the app
        address=host, port=port, interface=Interfaces.RSGI, workers=workers, http="1",
        backlog=CONNECTIONS, backpressure=CONNECTIONS,
        http1_settings=HTTP1Settings(header_read_timeout=HEADER_TIMEOUT_MS,
                                     max_buffer_size=max(MAX_HEAD_BYTES, 417_792)),
        log_level=LogLevels.warning, log_access=access_log, respawn_failed_workers=True,
        websockets=False, workers_kill_timeout=STOP_SECONDS)
    # the web processes are forked, so the loader (and the configuration it closes over)
    # needs no pickling
    settings = Settings.from_config(config)
    trusted = trusted_networks(settings.trusted_proxies)
    deadline = settings.limits.timeout
    # /sparql requests at once per web process: its public workers and its spare
    public = settings.public_workers + 1 if settings.public_workers else None

    def load(_name: str) -> FrontDoor:  # in each web process, once forked
        _die_with_parent()
        app = _app(config)
        return FrontDoor(app, threads, trusted, query_seconds=deadline,
                         public_threads=public, pipes=pipes,
                         cache=app.extensions.get("flgraph-cache"),
                         version=app.extensions["flgraph"].known_version,
                         served=lambda: reader_served(app))

    if on_reload is not None:
        server.on_reload(on_reload)  # before granian starts the web processes anew
    server.serve(target_loader=load)


def _die_with_parent() -> None:
    """Have the kernel stop this web process when granian's main process ends, however
    it ends (a kill -9 of it left the web processes serving on, and their query workers,
    with no parent to stop them)."""
    with contextlib.suppress(OSError, AttributeError):
        # the symbols already in the process: find_library("c") ran ``ldconfig -p`` in a
        # child process, in every web process as it started
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() == 1:  # the parent ended before the line above
        os.kill(os.getpid(), signal.SIGTERM)


def _gunicorn(config: dict[str, Any], host: str, port: int, workers: int, threads: int,
              access_log: bool, on_reload: Callable[[], Any] | None) -> None:
    from gunicorn.app.base import BaseApplication

    class _Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return _app(config)

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
        "limit_request_line": 8190,  # gunicorn's own ceiling: a longer line is refused
        "limit_request_field_size": 16_384,
    }
    if on_reload is not None:
        options["on_reload"] = lambda _arbiter: on_reload()
    _Server().run()
