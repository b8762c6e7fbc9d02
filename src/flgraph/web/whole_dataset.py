"""Work that reads every quad (dumps, the validation report), away from the web process.

Under ``flgraph serve`` such work runs in a child process that opens the store as the
query workers do and exits when done: at 2M triples a dump or a validation holds 1–2 GB
while it runs, and a web process that did it itself kept that memory afterwards (1.9 GB
after a Turtle dump, against 93 MB before; bench/RESULTS.md, 2026-11-29). An app made
without query workers (tests, the app factory) does the work in its own process.

The functions given to :func:`run` take the store first and must be importable by name
(a spawned child imports them); what they return comes back pickled.
"""

from __future__ import annotations

import ctypes
import hashlib
import multiprocessing as mp
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from ..pool import StoreSpec
from ..rdfio import FORMATS, write_quads
from ..store import Store, StoreError, open_store
from ..validate import ValidationReport, validate_quads
from .services import services

T = TypeVar("T")
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def run(function: Callable[..., T], *args) -> T:
    """``function(store, *args)`` in a child process under ``flgraph serve``, else here.

    The child is a daemon process of the web process, answering through a pipe: a web
    process that ends (``flgraph serve`` stopped, even by kill -9, or starting its web
    processes anew on SIGHUP) ends its child rather than waiting for it (a process pool
    waited at exit for the work to finish: at 2M triples, minutes of a search index's
    build with the server gone)."""
    svc = services()
    if svc.child_spec is None:
        return function(svc.store, *args)
    context = mp.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, daemon=True, args=(
        send, os.getpid(), svc.child_spec, svc.version, function, *args))
    child.start()
    send.close()  # the child holds the other end: its end is the pipe's end
    try:
        done, value = receive.recv()
    except EOFError:
        child.join()
        raise StoreError(f"the process doing {function.__name__} ended without an answer "
                         f"(exit code {child.exitcode})") from None
    finally:
        receive.close()
    child.join()
    if done:
        return value
    raise value


def _child(send, parent: int, spec: StoreSpec, version: str, function: Callable, *args
           ) -> None:
    _die_with(parent)
    try:
        answer = (True, _in_child(spec, version, function, *args))
    except Exception as err:  # told to the web process, which raises it
        answer = (False, err)
    try:
        send.send(answer)
    except Exception as err:  # an answer that cannot be pickled
        send.send((False, StoreError(f"{type(err).__name__}: {err}")))
    finally:
        send.close()


def _die_with(parent: int) -> None:
    """End this child when the web process that started it ends, however it ends (a
    child left behind kept working, and held the server's stderr). On Linux the kernel
    sends SIGKILL (prctl PR_SET_PDEATHSIG) when the thread that started the child ends,
    which is after the work's answer; elsewhere only the daemon flag ends it, at a
    normal exit."""
    if sys.platform != "linux":
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it ended before the request was made
        os._exit(1)


def _in_child(spec: StoreSpec, version: str, function: Callable[..., T], *args) -> T:
    if spec.spec in ("memory", "oxigraph") and spec.data is not None:
        # the web process loaded this file when it started: it must still be that file
        now = hashlib.sha256(Path(spec.data).read_bytes()).hexdigest()[:16]
        if now != version:
            raise StoreError(f"{spec.data} changed since the server started; restart it so "
                             "that what is exported is what is served")
    return function(open_store(spec.spec, spec.data), *args)


def complete_quads(store: Store) -> list[ox.Quad]:
    """Every quad of the store, checked against its count: a dump or a validation of part
    of the data must not pass for one of the whole (a remote store pages its answers)."""
    quads = list(store.quads())
    expected = store.count()
    if len(quads) != expected:
        raise StoreError(f"the store gave {len(quads)} of its {expected} quads; "
                         "nothing is written from an incomplete read")
    return quads


def write_dump(store: Store, target: Path, format_name: str) -> None:
    write_quads(complete_quads(store), target, FORMATS[format_name])


def validate_store(store: Store, reference_up_to: int) -> tuple[ValidationReport, str]:
    """The SHACL report of the store's data and the engine that made it: pyshacl (the
    reference) up to ``reference_up_to`` quads, flgraph's own engine above."""
    quads = complete_quads(store)
    engine = "pyshacl" if len(quads) <= reference_up_to else "fast"
    return validate_quads(quads, engine=engine), engine
