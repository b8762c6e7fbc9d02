"""The report's text as a reader sees it: the markup of the source (``<li>``, ``<b>``,
``<i>``, ``<p>``, Markdown's ``**``) taken out, its entities decoded, list items and
paragraphs on lines of their own.

The source is the report as exported, HTML fragments and Markdown included; evidence
offsets point into it as stored, so excerpts are cut from the raw text and only then
turned into text, piece by piece, by Python's own HTML parser (never by pattern
matching). The template escapes what comes out: nothing of the source is ever markup on
the page.
"""

from __future__ import annotations

from html.parser import HTMLParser

#: Elements that start a line of their own when the text is read.
_BLOCKS = frozenset({"li", "p", "br", "ul", "ol", "div", "tr", "h1", "h2", "h3", "h4"})
_EMPHASIS = "**"  # Markdown's strong emphasis, as the report's headings use it


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _BLOCKS:
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self._newline()

    def _newline(self) -> None:
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")


def visible(raw: str) -> str:
    """``raw`` source text without its markup, as the report reads."""
    parser = _Text()
    parser.feed(raw)
    parser.close()
    return "".join(parser.parts).replace(_EMPHASIS, "")


def tag_safe_window(text: str, lo: int, hi: int) -> tuple[int, int]:
    """``lo`` and ``hi`` moved out of any tag they fall inside, so that a window of the
    source never begins or ends with half a tag (which would show as text)."""
    opened = text.rfind("<", 0, lo)
    if opened > text.rfind(">", 0, lo):
        lo = opened
    closed = text.rfind("<", 0, hi)
    if closed > text.rfind(">", 0, hi):
        end = text.find(">", hi)
        hi = len(text) if end < 0 else end + 1
    return lo, hi
