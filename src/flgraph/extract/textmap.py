"""Clean text that remembers where each character came from.

Cells hold HTML, entities and page breaks; the graph holds clean text. To cite the
evidence of a phrase found in clean text we must map it back to the raw source, so every
clean character keeps the source range it was read from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .records import Span

#: Marks a character that is not in the source (a space joining two page-break fragments).
SYNTHETIC = -1

_SPACE = re.compile(r"\s")


@dataclass(frozen=True)
class TextMap:
    text: str
    starts: tuple[int, ...]  # source offset where each character begins
    ends: tuple[int, ...]  # source offset where it ends (entities are several chars long)

    @staticmethod
    def empty() -> TextMap:
        return TextMap("", (), ())

    @staticmethod
    def from_source(text: str, offset: int) -> TextMap:
        """Text copied verbatim from the source at ``offset``."""
        starts = tuple(range(offset, offset + len(text)))
        return TextMap(text, starts, tuple(s + 1 for s in starts))

    def __len__(self) -> int:
        return len(self.text)

    def __add__(self, other: TextMap) -> TextMap:
        return TextMap(self.text + other.text, self.starts + other.starts, self.ends + other.ends)

    def slice(self, i: int, j: int) -> TextMap:
        return TextMap(self.text[i:j], self.starts[i:j], self.ends[i:j])

    def joined(self, other: TextMap, sep: str = " ") -> TextMap:
        """``self + sep + other``, the separator marked as not from the source."""
        glue = TextMap(sep, (SYNTHETIC,) * len(sep), (SYNTHETIC,) * len(sep))
        return self + glue + other

    def normalised(self) -> TextMap:
        """Runs of whitespace collapsed to one space, ends stripped."""
        chars: list[tuple[str, int, int]] = []
        for ch, s, e in zip(self.text, self.starts, self.ends, strict=True):
            if _SPACE.match(ch):
                if chars and chars[-1][0] != " ":
                    chars.append((" ", s, e))
                elif chars and chars[-1][2] == s:
                    chars[-1] = (" ", chars[-1][1], e)  # the space stands for the whole run
                continue
            chars.append((ch, s, e))
        while chars and chars[-1][0] == " ":
            chars.pop()
        return _from_chars(chars)

    def strip(self, chars: str | None = None) -> TextMap:
        stripped = self.text.strip(chars)
        if not stripped:
            return TextMap.empty()
        i = self.text.index(stripped)
        return self.slice(i, i + len(stripped))

    def spans(self, i: int = 0, j: int | None = None) -> tuple[Span, ...]:
        """The source spans of characters ``i..j``: one per contiguous source fragment.

        Characters not next to each other in the source (markup such as ``</b>`` between
        them, or a page break) start a new span, so no span ever covers markup."""
        j = len(self.text) if j is None else j
        spans: list[Span] = []
        start = end = None
        for s, e in zip(self.starts[i:j], self.ends[i:j], strict=True):
            if s == SYNTHETIC or (start is not None and s != end):
                if start is not None:
                    spans.append(Span(start, end))
                start = end = None
                if s == SYNTHETIC:
                    continue
            if start is None:
                start = s
            end = e
        if start is not None:
            spans.append(Span(start, end))
        return tuple(spans)


def _from_chars(chars: list[tuple[str, int, int]]) -> TextMap:
    if not chars:
        return TextMap.empty()
    text, starts, ends = zip(*chars, strict=True)
    return TextMap("".join(text), tuple(starts), tuple(ends))
