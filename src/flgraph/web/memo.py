"""Values worth computing once per dataset version: dumps, statistics, the SHACL report.

They depend on the served data only, and the data changes only with its version, so
each is computed on first use and kept for the app's life under (name, version). One
lock per key makes concurrent first requests wait for a single computation instead of
repeating a validation or a serialisation several times.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app

from .services import services

T = TypeVar("T")
_MAX_ENTRIES = 64  # a few values per version; old versions fall out first


class Memo:
    def __init__(self) -> None:
        self._values: OrderedDict[Hashable, object] = OrderedDict()
        self._locks: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()  # guards the two dicts, never held while computing

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            key_lock = self._locks.setdefault(key, threading.Lock())
        with key_lock:  # one computation per key; other keys go on meanwhile
            with self._lock:
                if key in self._values:
                    self._values.move_to_end(key)
                    return self._values[key]  # type: ignore[return-value]
            value = compute()
            with self._lock:
                self._values[key] = value
                while len(self._values) > _MAX_ENTRIES:
                    old, _ = self._values.popitem(last=False)
                    self._locks.pop(old, None)
            return value


def per_version(name: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once for this app and the dataset version being served."""
    memo = current_app.extensions.setdefault("flgraph-memo", Memo())
    return memo.get((name, services().current_version()), compute)
