"""The dataset's release: the number its publisher sets (``data/release.yaml``), the
content hash of the built data and the build date; together they are its version.

The version names exactly the data an answer came from: two builds with the same number
but different content differ in their hash. The date is SOURCE_DATE_EPOCH's when set
(the reproducible-builds convention), otherwise the release's own date, so that the same
input always gives the same bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import yaml

from . import paths
from .config import environment

HASH_LENGTH = 12  # hex digits of the content hash in a version string


class ReleaseError(Exception):
    """data/release.yaml is missing a value or unreadable."""


@dataclass(frozen=True)
class Entry:
    version: str
    date: str
    changes: str


@dataclass(frozen=True)
class Release:
    number: str  # "0.1.0"
    date: str  # ISO date of the release
    licence: str  # IRI of the licence of the graph's own structure, identifiers, links
    licence_title: str
    rights: str  # the rights statement: what the licence covers and what it does not
    history: tuple[Entry, ...] = ()

    def with_number(self, number: str | None) -> Release:
        """This release renumbered (``flgraph release --version``)."""
        if not number:
            return self
        return Release(number, self.date, self.licence, self.licence_title, self.rights,
                       self.history)


def release_file() -> Path:
    return paths.data_dir() / "release.yaml"


def read_release(path: Path | None = None) -> Release:
    path = path or release_file()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise ReleaseError(f"{path}: {err}") from err
    missing = [k for k in ("version", "date", "licence", "rights") if not (data or {}).get(k)]
    if missing:
        raise ReleaseError(f"{path}: missing {', '.join(missing)}")
    history = tuple(Entry(str(e["version"]), str(e.get("date", "")), str(e.get("changes", "")))
                    for e in data.get("history") or ())
    return Release(str(data["version"]), str(data["date"]), str(data["licence"]),
                   str(data.get("licence title", "")), " ".join(str(data["rights"]).split()),
                   history)


def build_date(release: Release) -> str:
    """The build's date: SOURCE_DATE_EPOCH's day when set, else the release's date."""
    epoch = environment().source_date_epoch
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).date().isoformat()
    return release.date


def content_hash(nquads: bytes) -> str:
    """SHA-256 of the data as sorted N-Quads, before the version statements join it."""
    return hashlib.sha256(nquads).hexdigest()


def version_string(number: str, digest: str) -> str:
    """``0.1.0+5f2c9a01b3e4``: the release number, then the content hash (semver build
    metadata, so tools that sort versions ignore it)."""
    return f"{number}+{digest[:HASH_LENGTH]}"


def history_lines(entries: Iterable[Entry]) -> list[str]:
    return [f"{e.version} ({e.date}): {e.changes}" for e in entries]
