"""Work that reads every quad (dumps, the validation report), in a child process.

At 2M triples a dump or a validation holds 1–2 GB while it runs, and a web process that
did it itself kept that memory afterwards (1.9 GB after a Turtle dump, against 93 MB
before; bench/RESULTS.md, 2026-11-29): the child opens the store as the query workers
do, runs the function and exits. The functions given take the store first and must be
importable by name (a spawned child imports them); what they return comes back pickled.
"""

from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from ..store import Store, StoreError, open_store
from ..store.spec import StoreSpec, file_version

T = TypeVar("T")
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def in_child(spec: StoreSpec, version: str, function: Callable[..., T], *args) -> T:
    """``function(store, *args)`` in a spawned child process that opens ``spec``.

    The child is a daemon process of the web process, answering through a pipe: a web
    process that ends (``flgraph serve`` stopped, even by kill -9, or starting its web
    processes anew on SIGHUP) ends its child rather than waiting for it (a process pool
    waited at exit for the work to finish: at 2M triples, minutes of a search index's
    build with the server gone)."""
    context = mp.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, daemon=True, args=(
        send, os.getpid(), spec, version, function, *args))
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
    # the web process served this file's version when it started: it must still be that
    if spec.in_memory and spec.data is not None and file_version(Path(spec.data)) != version:
        raise StoreError(f"{spec.data} changed since the server started; restart it so "
                         "that what is exported is what is served")
    return function(open_store(spec), *args)


def complete_quads(store: Store) -> list[ox.Quad]:
    """Every quad of the store, checked against its count: a dump or a validation of part
    of the data must not pass for one of the whole (a remote store pages its answers)."""
    quads = list(store.quads())
    expected = store.count()
    if len(quads) != expected:
        raise StoreError(f"the store gave {len(quads)} of its {expected} quads; "
                         "nothing is written from an incomplete read")
    return quads
