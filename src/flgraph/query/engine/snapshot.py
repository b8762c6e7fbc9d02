"""One version of the data: a data file read once, checked, and kept as it was read.

The engine serves a *snapshot*: the bytes of the data file at the moment it was loaded,
identified by their content hash and copied into the engine's directory under that
hash. Workers are forked from the store loaded from those bytes, and work over the
whole dataset (dumps, validation) reads the copy, never the data file itself, so a file
replaced or truncated while the site runs changes nothing until an explicit reload —
which loads the new file in full first and is refused if it does not parse or holds no
quads.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...store.oxigraph import OxigraphStore


class SnapshotError(Exception):
    """The data file cannot be served; the message is one line and names the file."""


@dataclass(frozen=True)
class Snapshot:
    version: str  # the first 16 hex digits of the sha256 of the file's bytes
    path: Path  # the immutable copy of those bytes
    quads: int


def version_of(data: bytes) -> str:
    """The version the site shows for these bytes (as before: a prefix of their sha256)."""
    return hashlib.sha256(data).hexdigest()[:16]


def load_snapshot(source: Path, directory: Path) -> tuple[Snapshot, OxigraphStore]:
    """The data of ``source`` in a new in-memory store, and its snapshot in ``directory``.

    The file is read once: its hash, its copy and the store all come from the same bytes,
    so a writer replacing the file meanwhile cannot make them disagree. The store is
    filled by pyoxigraph's bulk loader straight from those bytes (no Python object per
    quad: at 2M triples parsing into a list of quads first took most of the engine's
    start), while a thread hashes them and writes the copy (hashing releases the GIL).

    The store's modules are imported here, not with this module: ``flgraph serve``
    imports it for ``SnapshotError`` before it starts the engine, and waits for them."""
    import pyoxigraph as ox

    from ...rdfio import RdfInputError, declares_entities, format_for_path
    from ...store.oxigraph import OxigraphStore

    try:
        fmt = format_for_path(source)
        data = source.read_bytes()
    except RdfInputError as err:
        raise SnapshotError(_one_line(str(err))) from None
    except OSError as err:
        raise SnapshotError(f"{source}: cannot read: {err.strerror or err}") from None
    if fmt.rdf_format == ox.RdfFormat.RDF_XML and declares_entities(data):
        raise SnapshotError(f"{source}: RDF/XML with a DOCTYPE or ENTITY declaration is "
                            "refused (entity expansion)")
    copy = _Copy(data, directory, source.suffix)
    store = OxigraphStore()
    try:
        store.load_bytes(data, fmt.rdf_format)
    except (SyntaxError, ValueError) as err:
        copy.discard()
        raise SnapshotError(_one_line(f"{source}: not valid {fmt.label}: {err}")) from None
    quads = store.count()
    if not quads:
        copy.discard()
        raise SnapshotError(f"{source}: holds no quads ({len(data)} bytes): refusing to serve "
                            "an empty dataset")
    return Snapshot(copy.version(), copy.keep(), quads), store


class _Copy:
    """The hash of the bytes and their read-only copy, made on a thread while the store
    loads; kept (renamed into place) only once the bytes have loaded."""

    def __init__(self, data: bytes, directory: Path, suffix: str) -> None:
        self._data, self._directory, self._suffix = data, directory, suffix
        self._version = ""
        self._partial: Path | None = None
        self._error: OSError | None = None
        self._thread = threading.Thread(target=self._write, name="snapshot-copy")
        self._thread.start()

    def _write(self) -> None:
        self._version = version_of(self._data)
        final = self._final()
        if final.exists():
            return
        partial = final.with_name(f"{final.name}.{os.getpid()}.partial")
        try:
            partial.write_bytes(self._data)
            os.chmod(partial, 0o444)
        except OSError as err:
            self._error = err
            return
        self._partial = partial

    def _final(self) -> Path:
        return self._directory / f"{self._version}{self._suffix}"

    def version(self) -> str:
        self._thread.join()
        return self._version

    def keep(self) -> Path:
        """The copy's path, once it is in place."""
        self._thread.join()
        if self._error is not None:
            raise SnapshotError(f"{self._final()}: cannot write the snapshot: "
                                f"{self._error.strerror or self._error}")
        if self._partial is not None:
            os.replace(self._partial, self._final())
        return self._final()

    def discard(self) -> None:
        self._thread.join()
        if self._partial is not None:
            self._partial.unlink(missing_ok=True)


def _one_line(message: str) -> str:
    return " ".join(message.split())
