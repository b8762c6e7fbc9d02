"""The report text behind a fact: the cited spans cut out of the source with their context.

Evidence nodes name their source document by file name and SHA-256 and select text by
character offsets (``oa:TextPositionSelector``) into the file's text as stored — UTF-8
decoded, no newline translation, exactly as the extractor read it. Source files are found
by checksum, never by a path taken from the data: a name in the graph cannot make the
site read another file, and a source edited since the build (different checksum) is not
used, since its offsets would point at the wrong words. Without the file, a page shows
the evidence's ``flg:quote`` only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..namespaces import FLG, OA, RDFS
from .source_text import tag_safe_window, visible

CONTEXT = 160  # characters of source text shown either side of a cited span
MAX_SOURCE_BYTES = 50 * 1024 * 1024  # the extractor's own limit for a report section
SOURCE_SUFFIXES = (".txt", ".md")


@dataclass(frozen=True)
class Piece:
    text: str
    marked: bool = False  # part of the cited span


@dataclass(frozen=True)
class Excerpt:
    """A window of the source text: plain and cited pieces, and whether text was cut off."""

    pieces: tuple[Piece, ...]
    cut_before: bool
    cut_after: bool


@dataclass(frozen=True)
class SourceText:
    name: str
    sha256: str
    text: str


def find_source(directories: Sequence[Path], sha256: str | None,
                name: str | None) -> SourceText | None:
    """The source document with this checksum (or, if the data gives none, this name)."""
    index = _index(tuple(d.resolve() for d in directories))
    if sha256:
        return index.get(sha256.lower())
    matches = [s for s in index.values() if s.name == name]
    return matches[0] if len(matches) == 1 else None


@lru_cache(maxsize=8)
def _index(directories: tuple[Path, ...]) -> dict[str, SourceText]:
    """Every source file of these folders by checksum, read once per process."""
    found: dict[str, SourceText] = {}
    for directory in directories:
        if not directory.is_dir():
            continue
        for path in sorted(directory.iterdir()):
            source = _read(path)
            if source is not None:
                found.setdefault(source.sha256, source)
    return found


def _read(path: Path) -> SourceText | None:
    if path.suffix not in SOURCE_SUFFIXES or not path.is_file():
        return None
    try:
        if path.stat().st_size > MAX_SOURCE_BYTES:
            return None
        data = path.read_bytes()
        return SourceText(path.name, hashlib.sha256(data).hexdigest(), data.decode("utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


def excerpts(text: str, spans: Iterable[tuple[int, int]],
             context: int = CONTEXT) -> tuple[Excerpt, ...] | None:
    """The spans highlighted in windows of ``context`` characters; windows that touch are
    merged, so the two fragments of a phrase split by a page break share one excerpt when
    they are close. None when a span does not lie inside the text (stale offsets)."""
    ordered = sorted(set(spans))
    if not ordered or any(not 0 <= s < e <= len(text) for s, e in ordered):
        return None
    windows: list[list[tuple[int, int]]] = []
    for span in ordered:
        if windows and span[0] - context <= windows[-1][-1][1] + context:
            windows[-1].append(span)
        else:
            windows.append([span])
    return tuple(_excerpt(text, group, context) for group in windows)


def _excerpt(text: str, spans: list[tuple[int, int]], context: int) -> Excerpt:
    lo, hi = tag_safe_window(text, max(0, spans[0][0] - context),
                             min(len(text), max(e for _, e in spans) + context))
    pieces, pos = [], lo
    for start, end in spans:
        start = max(start, pos)  # overlapping spans: mark the union once
        if start > pos:
            pieces.append(_piece(text[pos:start]))
        if end > start:
            pieces.append(_piece(text[start:end], marked=True))
        pos = max(pos, end)
    if hi > pos:
        pieces.append(_piece(text[pos:hi]))
    return Excerpt(tuple(p for p in pieces if p.text), cut_before=lo > 0, cut_after=hi < len(text))


def _piece(raw: str, marked: bool = False) -> Piece:
    """A piece of the source as a reader sees it: its markup taken out (source_text)."""
    return Piece(visible(raw), marked)


@dataclass(frozen=True)
class Citation:
    """One evidence node as a page shows it: where it lies, and the text it cites."""

    iri: str
    href: str | None
    where: tuple[tuple[str, str], ...]  # (what, value): table, row, column, section, line
    source: str | None  # the source document's name
    quote: str | None
    excerpts: tuple[Excerpt, ...] | None  # None: the source text is not at hand


_WHERE = ("table", "row", "column", "section", "line")
#: the facts of an evidence node, by property: what resource-evidence.rq's ?key names
_FACTS = {FLG + k: k for k in (*_WHERE, "quote")}
_SOURCE, _SELECTOR = OA + "hasSource", OA + "hasSelector"
#: the details of its source and selectors, by property (?detail)
_DETAILS = {RDFS + "label": "sourceName", FLG + "sha256": "sha256",
            OA + "start": "start", OA + "end": "end"}


@dataclass
class _Gathered:
    """One evidence node's rows gathered: its facts, its source's name and checksum, and
    the start and end of each of its selectors."""

    facts: dict[str, str]
    selectors: dict[str, dict[str, str]]


def citations(rows: Iterable[dict], directories: Sequence[Path], links) -> list[Citation]:
    """Evidence rows (resource-evidence.rq: one per fact of an evidence node and per
    detail of its source and selectors) as citations, ordered by line in the source
    (citations without a line first, as SPARQL orders unbound values), then by IRI."""
    out = []
    for iri, node in sorted(_gather(rows).items(), key=_source_order):
        value = node.facts
        spans = [(int(s["start"]), int(s["end"])) for s in node.selectors.values()
                 if "start" in s and "end" in s and _integer(s["start"], s["end"])]
        source = find_source(directories, value.get("sha256"), value.get("sourceName"))
        where = dict(value)
        if source and spans and excerpts(source.text, spans) is not None:
            # a text split by a page break is on several lines: each part's own line
            lines = dict.fromkeys(str(source.text.count("\n", 0, start) + 1)
                                  for start, _ in sorted(spans))
            if len(lines) > 1:
                where["line"] = ", ".join(lines)
        out.append(Citation(
            iri=iri, href=links.href(iri),
            where=tuple((k, where[k]) for k in _WHERE if k in where),
            source=value.get("sourceName"), quote=value.get("quote"),
            excerpts=excerpts(source.text, spans) if source and spans else None))
    return out


def _gather(rows: Iterable[dict]) -> dict[str, _Gathered]:
    """The long rows of each evidence node as its facts and selectors. The shapes allow
    one value of each fact; in data that gives two, the first row's is kept."""
    nodes: dict[str, _Gathered] = {}
    for row in rows:
        node = nodes.setdefault(row["evidence"].value, _Gathered({}, {}))
        key, value = row["key"].value, row["value"].value
        detail = _DETAILS.get(row["detail"].value) if "detail" in row else None
        if key in _FACTS:
            node.facts.setdefault(_FACTS[key], value)
        elif key == _SOURCE and detail in ("sourceName", "sha256"):
            node.facts.setdefault(detail, row["detailValue"].value)
        elif key == _SELECTOR:
            selector = node.selectors.setdefault(value, {})
            if detail in ("start", "end"):
                selector.setdefault(detail, row["detailValue"].value)
    return nodes


def _source_order(item: tuple[str, _Gathered]) -> tuple:
    iri, node = item
    line = node.facts.get("line")
    if line is None:
        return (0, 0, iri)
    return (1, int(line), iri) if line.isdigit() else (2, 0, line, iri)


def _integer(*values: str) -> bool:
    return all(v.isdigit() for v in values)
