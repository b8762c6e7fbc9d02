"""Which store answers: the ``--store`` string (``FLGRAPH_STORE``) read in one place.

``memory`` (the default; ``oxigraph`` alone means the same) fills an in-memory Oxigraph
store from the data file; ``oxigraph:PATH`` opens an on-disk store read-only;
``sparql:URL`` queries a remote endpoint. Everything that needs to know which kind it
has — the CLI, the worker pools, the engine, the web's exports — asks a ``StoreSpec``
rather than comparing strings, so a new kind of store is a branch of ``parse`` and of
``open``, here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

MEMORY, ON_DISK, REMOTE = "memory", "oxigraph", "sparql"
KINDS = (MEMORY, ON_DISK, REMOTE)
USAGE = "use memory, oxigraph:PATH or sparql:URL"


class StoreSpecError(ValueError):
    """A ``--store`` string that names no store."""


@dataclass(frozen=True)
class StoreSpec:
    """A store's kind and where it is; for the memory store, the data file it holds.

    Picklable: worker processes receive one and open their own copy of the store.
    """

    spec: str  # as given (shown in messages)
    data: Path | None = None  # the file the memory store is filled from

    @classmethod
    def parse(cls, text: str, data: Path | None = None) -> StoreSpec:
        """Check ``text``; ``data`` is kept only for the memory store (others hold their
        data already)."""
        kind, _, location = text.partition(":")
        if text in ("", MEMORY, ON_DISK):
            return cls(text or MEMORY, Path(data) if data is not None else None)
        if kind in (ON_DISK, REMOTE) and location:
            return cls(text, None)
        raise StoreSpecError(f"unknown store '{text}' ({USAGE})")

    @property
    def kind(self) -> str:
        if self.spec in ("", MEMORY, ON_DISK):
            return MEMORY
        return self.spec.partition(":")[0]

    @property
    def location(self) -> str:
        """The path of an on-disk store, the URL of a remote one ('' for memory)."""
        return self.spec.partition(":")[2] if self.kind != MEMORY else ""

    @property
    def in_memory(self) -> bool:
        return self.kind == MEMORY

    @property
    def embedded(self) -> bool:
        """Run by an engine in our own processes (memory or on disk), not a server's."""
        return self.kind != REMOTE

    def version(self) -> str:
        """The served data's version for caches: the data file's content hash for the
        memory store (a new file, a new version), else a hash of the spec (a remote
        store's own version is asked of it: web/services.py)."""
        if self.in_memory and self.data is not None and Path(self.data).exists():
            return file_version(Path(self.data))
        return hashlib.sha256(self.spec.encode()).hexdigest()[:16]


def file_version(path: Path) -> str:
    """The version of a data file: 16 hex digits of its SHA-256."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
