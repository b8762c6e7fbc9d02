"""Reading a report section: bytes → verbatim text → lines with their offsets."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .errors import SourceError
from .records import SourceDocument

#: A report section is text; anything this large is not one and would only exhaust memory.
MAX_SOURCE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Line:
    number: int  # 1-based
    start: int  # offset of the first character in the source text
    text: str  # without the line break

    @property
    def cells(self) -> list[tuple[str, int]]:
        """Tab-separated cells with the offset where each begins."""
        out, pos = [], self.start
        for cell in self.text.split("\t"):
            out.append((cell, pos))
            pos += len(cell) + 1
        return out


def read_source(path: Path) -> SourceDocument:
    """The file's text exactly as stored (no newline translation) and its checksum."""
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            raise SourceError(name, 0, f"file is {size} bytes; a report section is at most "
                                       f"{MAX_SOURCE_BYTES} bytes")
        data = path.read_bytes()
    except OSError as err:
        raise SourceError(name, 0, f"cannot read: {err.strerror or err}") from err
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise SourceError(name, line, "not UTF-8 text") from err
    if "\x00" in text:
        raise SourceError(name, text[: text.index("\x00")].count("\n") + 1,
                          "contains NUL characters; not a text file")
    return SourceDocument(path=str(path), name=name, sha256=hashlib.sha256(data).hexdigest(),
                          text=text)


def split_lines(doc: SourceDocument) -> list[Line]:
    """Lines with offsets; a trailing carriage return is not part of the line's text."""
    lines, pos = [], 0
    for number, raw in enumerate(doc.text.split("\n"), start=1):
        text = raw[:-1] if raw.endswith("\r") else raw
        bom = 1 if number == 1 and text.startswith("\ufeff") else 0  # a mark, not content
        lines.append(Line(number, pos + bom, text[bom:]))
        pos += len(raw) + 1
    return lines
