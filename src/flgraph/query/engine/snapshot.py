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
from dataclasses import dataclass
from pathlib import Path

from ...rdfio import RdfInputError, format_for_path, parse_bytes
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
    so a writer replacing the file meanwhile cannot make them disagree."""
    try:
        data = source.read_bytes()
        fmt = format_for_path(source)
        quads = parse_bytes(data, fmt, str(source))
    except RdfInputError as err:
        raise SnapshotError(_one_line(str(err))) from None
    except OSError as err:
        raise SnapshotError(f"{source}: cannot read: {err.strerror or err}") from None
    if not quads:
        raise SnapshotError(f"{source}: holds no quads ({len(data)} bytes): refusing to serve "
                            "an empty dataset")
    version = version_of(data)
    store = OxigraphStore()
    store.load(quads)
    copy = directory / f"{version}{source.suffix}"
    if not copy.exists():
        _write_read_only(copy, data)
    return Snapshot(version, copy, len(quads)), store


def _write_read_only(path: Path, data: bytes) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    os.chmod(partial, 0o444)
    os.replace(partial, path)


def _one_line(message: str) -> str:
    return " ".join(message.split())
