"""Least recently used first out, by weight: what the response cache and the memo keep.

Entries weigh what ``weigh`` says (1 each by default: a count); past ``capacity`` in
total, or ``max_entries`` in number, the least recently used go first; the newest stays
whatever it weighs. Not locked: its owner holds a lock around every call.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")
MISSING = object()


class WeighedLRU(Generic[V]):
    def __init__(self, capacity: int, weigh: Callable[[V], int] = lambda value: 1,
                 max_entries: int | None = None) -> None:
        self.capacity = capacity
        self.max_entries = max_entries
        self.weight = 0
        self._weigh = weigh
        self._entries: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._entries

    def get(self, key: Hashable, default=None):
        """The value (now the most recently used), or ``default``."""
        found = self._entries.get(key)
        if found is None:
            return default
        self._entries.move_to_end(key)
        return found[0]

    def put(self, key: Hashable, value: V) -> list[Hashable]:
        """Keep ``value``; the keys dropped to make room."""
        previous = self._entries.pop(key, None)
        if previous is not None:
            self.weight -= previous[1]
        weight = self._weigh(value)
        self._entries[key] = (value, weight)
        self.weight += weight
        dropped = []
        while len(self._entries) > 1 and (
                self.weight > self.capacity
                or (self.max_entries is not None and len(self._entries) > self.max_entries)):
            old, (_, old_weight) = self._entries.popitem(last=False)
            self.weight -= old_weight
            dropped.append(old)
        return dropped
