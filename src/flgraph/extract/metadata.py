"""A report section's bibliographic metadata: ``NAME.meta.yaml`` beside ``NAME.txt``.

The text of a section rarely says which report it belongs to; the report's imprint page
does. Its facts are copied into the metadata file by hand, with where they come from;
this module only reads them into a plain record. A section without such a file has none,
and its citations name only what the data knows (nothing is filled in).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import SourceError


@dataclass(frozen=True)
class SourceMetadata:
    """The report a section belongs to, as its imprint page describes it."""

    stated_in: str  # where the facts were read ("the imprint page of the report")
    title: str
    kind: str = ""  # "Report of the Director-General"
    note: str = ""
    conference: str = ""
    publisher: str = ""
    place: str = ""
    issued: str = ""  # a year or a date, as printed
    isbn: tuple[tuple[str, str], ...] = ()  # (ISBN, which edition: "print", "web pdf")
    issn: str = ""
    section: str = ""
    rights: str = ""


def metadata_path(source: Path) -> Path:
    return source.with_name(source.stem + ".meta.yaml")


def read_metadata(source: Path) -> SourceMetadata | None:
    """The metadata beside ``source``, or None when it has no metadata file."""
    path = metadata_path(source)
    if not path.is_file():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise SourceError(path.name, 0, f"unreadable metadata: {err}") from err
    if not isinstance(data, dict) or not data.get("title") or not data.get("from"):
        raise SourceError(path.name, 0, "metadata needs at least 'title' and 'from' "
                                        "(where its facts were read)")
    isbn = data.get("isbn") or {}
    if not isinstance(isbn, dict):
        raise SourceError(path.name, 0, "'isbn' maps each edition to its ISBN")
    return SourceMetadata(
        stated_in=str(data["from"]), title=str(data["title"]),
        kind=str(data.get("type", "")), note=str(data.get("note", "")),
        conference=str(data.get("conference", "")), publisher=str(data.get("publisher", "")),
        place=str(data.get("place", "")), issued=str(data.get("issued", "")),
        isbn=tuple((str(number), str(edition)) for edition, number in isbn.items()),
        issn=str(data.get("issn", "")), section=str(data.get("section", "")),
        rights=" ".join(str(data.get("rights", "")).split()))
