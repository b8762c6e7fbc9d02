"""Work that reads every quad (dumps, the validation report), in a child process.

At 2M triples a dump or a validation holds 1–2 GB while it runs, and a web process that
did it itself kept that memory afterwards (1.9 GB after a Turtle dump, against 93 MB
before; bench/RESULTS.md, 2026-11-29): the child opens the store as the query workers
do, runs the function and exits. The functions given take the store first and must be
importable by name (a spawned child imports them); what they return comes back pickled.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from ..store import Store, StoreError, open_store
from ..store.spec import StoreSpec, file_version

T = TypeVar("T")


def in_child(spec: StoreSpec, version: str, function: Callable[..., T], *args) -> T:
    """``function(store, *args)`` in a spawned child process that opens ``spec``."""
    with ProcessPoolExecutor(1, mp_context=mp.get_context("spawn")) as child:
        return child.submit(_in_child, spec, version, function, *args).result()


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
