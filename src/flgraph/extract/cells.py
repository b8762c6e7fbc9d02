"""A table cell's HTML turned into clean blocks of text (paragraphs, list items).

Cells of the report carry ``<ul>/<li>``, ``<p>``, ``<b>``, ``<i>``, entities and literal
bullets ("•"). Readers want clean sentences and lists, the evidence wants the exact source
characters: each block is a ``TextMap``. Parsing uses the standard library's HTML parser,
which reports where each piece of text sits in the cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.entities import name2codepoint
from html.parser import HTMLParser

from .textmap import TextMap

#: Tags that start a new block of text; any other tag is inline and only dropped.
_BLOCK_TAGS = {"p", "li", "ul", "ol", "div", "br", "tr", "td", "th", "table"}
_BULLET = re.compile(r"(?:^|(?<=\s))[•▪●◦‣∙·]\s*")


@dataclass(frozen=True)
class Block:
    kind: str  # "item" (a list item or a bulleted line) or "para"
    text: TextMap


class _CellParser(HTMLParser):
    """Collects (text, source offset) pieces, closing a block at every block tag."""

    def __init__(self, offset: int) -> None:
        super().__init__(convert_charrefs=False)
        self.base = offset  # not "offset": HTMLParser uses that name itself
        self.blocks: list[tuple[str, list[tuple[str, int, int]]]] = []
        self.current: list[tuple[str, int, int]] = []
        self.kind = "para"

    def _close_block(self, next_kind: str) -> None:
        if self.current:
            self.blocks.append((self.kind, self.current))
        self.current = []
        self.kind = next_kind

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _BLOCK_TAGS:
            self._close_block("item" if tag == "li" else "para")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self._close_block("para")

    def handle_data(self, data: str) -> None:
        start = self.base + self.getpos()[1]
        self.current.extend((ch, start + k, start + k + 1) for k, ch in enumerate(data))

    def _add_reference(self, char: str, length: int) -> None:
        start = self.base + self.getpos()[1]
        self.current.append((char, start, start + length))

    def handle_entityref(self, name: str) -> None:
        code = name2codepoint.get(name)
        raw = f"&{name};"
        if code is None:
            self.handle_data(raw)
        else:
            self._add_reference(chr(code), len(raw))

    def handle_charref(self, name: str) -> None:
        raw = f"&#{name};"
        try:
            code = int(name[1:], 16) if name[:1] in "xX" else int(name)
            self._add_reference(chr(code), len(raw))
        except (ValueError, OverflowError):
            self.handle_data(raw)


def parse_cell(raw: str, offset: int) -> list[Block]:
    """Blocks of clean text in a cell that starts at source ``offset``.

    Raw text without tags is one paragraph; literal bullets split a block into items.
    Empty blocks are dropped.
    """
    parser = _CellParser(offset)
    parser.feed(raw)
    parser.close()
    parser._close_block("para")
    blocks: list[Block] = []
    for kind, chars in parser.blocks:
        text = _to_textmap(chars)
        blocks.extend(_split_bullets(kind, text))
    return [b for b in blocks if b.text.text]


def _to_textmap(chars: list[tuple[str, int, int]]) -> TextMap:
    if not chars:
        return TextMap.empty()
    text, starts, ends = zip(*chars, strict=True)
    return TextMap("".join(text), tuple(starts), tuple(ends)).normalised()


def _split_bullets(kind: str, text: TextMap) -> list[Block]:
    """"• a • b" becomes two items; a leading bullet only marks the block as an item."""
    marks = list(_BULLET.finditer(text.text))
    if not marks:
        return [Block(kind, text)]
    blocks = []
    head = text.slice(0, marks[0].start()).strip()
    if head.text:
        blocks.append(Block(kind, head))
    for k, mark in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
        blocks.append(Block("item", text.slice(mark.end(), end).strip()))
    return blocks


def cell_text(blocks: list[Block]) -> TextMap:
    """All blocks of a cell as one line of text."""
    out = TextMap.empty()
    for block in blocks:
        out = block.text if not out.text else out.joined(block.text)
    return out
