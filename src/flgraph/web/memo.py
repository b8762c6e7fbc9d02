"""Values worth computing once per dataset version: dumps, statistics, the SHACL report,
the answers of saved queries.

They depend on the served data only, and the data changes only with its version, so
each is computed on first use and kept for the app's life under (name, version). One
lock per key makes concurrent first requests wait for a single computation instead of
repeating a validation or a serialisation several times.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app

from .lru import MISSING, WeighedLRU
from .services import services

T = TypeVar("T")
_MAX_ENTRIES = 64  # a few values per version; old versions fall out first


class Memo:
    """Values computed once per key, up to ``capacity`` in total of their weights
    (``weigh``; each counts 1 by default), the least recently used dropped first."""

    def __init__(self, capacity: int = _MAX_ENTRIES,
                 weigh: Callable[[object], int] = lambda value: 1) -> None:
        self._values: WeighedLRU[object] = WeighedLRU(capacity, weigh)
        self._locks: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()  # guards the two, never held while computing

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            key_lock = self._locks.setdefault(key, threading.Lock())
        with key_lock:  # one computation per key; other keys go on meanwhile
            with self._lock:
                value = self._values.get(key, MISSING)
            if value is not MISSING:
                return value  # type: ignore[return-value]
            try:
                value = compute()
            except BaseException:
                with self._lock:  # nothing kept: neither is its lock (keys may be any text)
                    if key not in self._values:
                        self._locks.pop(key, None)
                raise
            with self._lock:
                for old in self._values.put(key, value):
                    self._locks.pop(old, None)
            return value


def per_version(name: Hashable, compute: Callable[[], T], *, memo: str = "flgraph-memo",
                new: Callable[[], Memo] = Memo) -> T:
    """``compute()`` once for this app and the dataset version being served, kept in the
    app's memo named ``memo`` (made by ``new`` on first use)."""
    store = current_app.extensions.get(memo)
    if store is None:
        store = current_app.extensions.setdefault(memo, new())
    return store.get((name, services().current_version()), compute)
