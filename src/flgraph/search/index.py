"""The full-text index: an SQLite file with an FTS5 table, written once per data version.

SQLite's FTS5 ships with Python. On the 2M-triple synthetic data (bench/search.py,
bench/RESULTS.md, 2026-12-07) tantivy searched faster in process (one word p50 0.3 ms
against 11.8 ms, with no facets counted) and built its index faster (1.1 s against 3.0 s);
FTS5 is kept for what tantivy's Python binding lacks or makes ours to write: no native
dependency to ship, prefix queries, accents folded by the tokenizer, and SQL for the facet
counts and the exact-name rank, in one file that is replaced whole. Its tokenizer folds
case and accents (``remove_diacritics 2``: "Cote" finds "Côte") and stems English words (``porter``:
"surveys" finds "survey", "trafficked" finds "trafficking"); ``bm25`` ranks the hits with
the names column (labels, titles, acronyms, alternative names) weighed ten times the body.

The file is written whole under another name and renamed into place, then opened
read-only and immutable by every web process: a reader sees a whole index or none, and
an index is never changed, only replaced by the next version's.
"""

from __future__ import annotations

import re
import sqlite3
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .query import MAX_QUERY_CHARS, to_fts
from .texts import FACETS, Document

TOKENIZER = "porter unicode61 remove_diacritics 2"
NAME_WEIGHT, BODY_WEIGHT = 10.0, 1.0
# a thing one of whose names is the whole search ("ILO", "Cote d'Ivoire") comes first
EXACT_NAME_BONUS = 1000.0
# facet values are counted among this many best hits (all of them when there are fewer):
# counting them among 20,000 hits took 0.2 s
FACET_HITS = 2000
_WORD = re.compile(r"\w+")
SNIPPET_WORDS = 24
# marks around matched words in snippets: control characters the report's text cannot
# hold, replaced by the page's own markup after the text is escaped
START, END = "\x02", "\x03"
_SCHEMA = f"""
CREATE TABLE things (id INTEGER PRIMARY KEY, iri TEXT NOT NULL, kind TEXT NOT NULL,
                     title TEXT NOT NULL, evidence TEXT NOT NULL);
CREATE TABLE facets (thing INTEGER NOT NULL, facet TEXT NOT NULL, value TEXT NOT NULL,
                     label TEXT NOT NULL, PRIMARY KEY (thing, facet, value)) WITHOUT ROWID;
CREATE TABLE names (thing INTEGER NOT NULL, folded TEXT NOT NULL);
CREATE VIRTUAL TABLE texts USING fts5(names, body, tokenize = '{TOKENIZER}');
"""


class IndexTimeout(Exception):
    """The search ran past its deadline and was stopped."""


@dataclass(frozen=True)
class Hit:
    iri: str
    kind: str
    title: str
    evidence: str
    snippet: tuple[tuple[str, bool], ...]  # (text, matched) parts, in order
    facets: dict[str, tuple[tuple[str, str], ...]]  # facet: ((value, label), …)

    def as_dict(self) -> dict:
        """The hit for JSON: the snippet as parts, each facet's values with labels."""
        return {"iri": self.iri, "kind": self.kind, "title": self.title,
                "evidence": self.evidence or None,
                "snippet": [{"text": text, "match": matched} for text, matched in self.snippet],
                **{facet: [{"value": value, "label": label} for value, label in values]
                   for facet, values in self.facets.items()}}

    def marked_snippet(self, start: str = "[", end: str = "]") -> str:
        """The snippet as text, matched words between ``start`` and ``end``."""
        return "".join(f"{start}{text}{end}" if matched else text
                       for text, matched in self.snippet)


@dataclass(frozen=True)
class FacetCount:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Hits:
    total: int
    hits: tuple[Hit, ...]
    facets: dict[str, tuple[FacetCount, ...]] = field(default_factory=dict)
    facets_of: int = 0  # how many of the best hits the facets count (FACET_HITS at most)


def write_index(documents: Iterable[Document], path: Path) -> int:
    """Write the index of ``documents`` to ``path`` (a new file); the number indexed.
    Rows go in by table, in bulk: one statement per row took most of the time."""
    documents = list(documents)
    titles = {d.iri: d.title for d in documents}
    things, texts, names, facets = [], [], [], []
    for number, document in enumerate(documents, start=1):
        things.append((number, document.iri, document.kind, document.title or document.iri,
                       document.evidence))
        texts.append((number, "\n".join(document.names), "\n".join(document.body)))
        names += [(number, name) for name in sorted({fold(n) for n in document.names
                                                     if len(n) <= MAX_QUERY_CHARS})]
        facets += [(number, facet, value, titles.get(value) or _local_name(value))
                   for facet, values in sorted(document.facets.items())
                   for value in sorted(values)]
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.executescript(_SCHEMA)
        with connection:
            connection.executemany("INSERT INTO things VALUES (?, ?, ?, ?, ?)", things)
            connection.executemany("INSERT INTO texts(rowid, names, body) VALUES (?, ?, ?)",
                                   texts)
            connection.executemany("INSERT INTO names VALUES (?, ?)", names)
            connection.executemany("INSERT INTO facets VALUES (?, ?, ?, ?)", facets)
            connection.execute("INSERT INTO texts(texts) VALUES ('optimize')")
            connection.execute("CREATE INDEX names_folded ON names(folded)")
            connection.execute("CREATE INDEX things_of_facets ON facets(facet, value)")
    finally:
        connection.close()
    return len(documents)


def fold(text: str) -> str:
    """A name as compared whole: accents dropped, case folded, words only."""
    if not text.isascii():  # most names are: the slower path only for the others
        text = "".join(c for c in unicodedata.normalize("NFKD", text)
                       if not unicodedata.combining(c))
    return " ".join(_WORD.findall(text.casefold()))


def _local_name(value: str) -> str:
    return value.rstrip("/").rsplit("/", 1)[-1] if "://" in value else value


class SearchIndex:
    """One index file, opened read-only; each search has its own connection (web
    processes run requests in threads)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True,
                               check_same_thread=False)

    def search(self, text: str, selected: dict[str, list[str]] | None = None, *,
               offset: int = 0, size: int = 20, deadline: float | None = None) -> Hits:
        """The hits of ``text`` among the things having every ``selected`` facet value
        (one of the values of each facet named), best first, from ``offset``.

        ``deadline`` (a ``time.monotonic()`` value) stops the search with
        :class:`IndexTimeout`, as the query workers stop a query.
        """
        fts = to_fts(text)
        connection = self._connect()
        try:
            if deadline is not None:
                connection.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
            try:
                return self._search(connection, fts, fold(text), selected or {}, offset, size)
            except sqlite3.OperationalError as err:
                if "interrupted" in str(err):
                    raise IndexTimeout("the search ran past its deadline") from None
                raise
        finally:
            connection.close()

    def _search(self, connection, fts: str, folded: str, selected: dict[str, list[str]],
                offset: int, size: int) -> Hits:
        filters, parameters = _facet_filters(selected)
        connection.execute("CREATE TEMP TABLE found (id INTEGER PRIMARY KEY, score REAL)")
        connection.execute(
            f"INSERT INTO temp.found SELECT rowid, bm25(texts, ?, ?) - CASE WHEN rowid IN "
            f"(SELECT thing FROM names WHERE folded = ?) THEN ? ELSE 0 END FROM texts "
            f"WHERE texts MATCH ?{filters}",
            (NAME_WEIGHT, BODY_WEIGHT, folded, EXACT_NAME_BONUS, fts, *parameters))
        total = connection.execute("SELECT count(*) FROM temp.found").fetchone()[0]
        page = [row[0] for row in connection.execute(
            "SELECT id FROM temp.found ORDER BY score, id LIMIT ? OFFSET ?", (size, offset))]
        hits = _hits(connection, fts, page)
        return Hits(total, hits, _facet_counts(connection, selected, total),
                    facets_of=min(total, FACET_HITS))

    def documents(self) -> int:
        connection = self._connect()
        try:
            return connection.execute("SELECT count(*) FROM things").fetchone()[0]
        finally:
            connection.close()


def _facet_filters(selected: dict[str, list[str]]) -> tuple[str, list[str]]:
    """SQL narrowing the hits to those with one of the selected values of each facet."""
    clauses, parameters = [], []
    for facet in FACETS:
        values = selected.get(facet) or []
        if values:
            marks = ", ".join("?" * len(values))
            clauses.append(f" AND rowid IN (SELECT thing FROM facets WHERE facet = ? "
                           f"AND value IN ({marks}))")
            parameters += [facet, *values]
    return "".join(clauses), parameters


def _hits(connection, fts: str, page: list[int]) -> tuple[Hit, ...]:
    if not page:
        return ()
    marks = ", ".join("?" * len(page))
    snippets = dict(connection.execute(
        f"SELECT rowid, snippet(texts, -1, ?, ?, '…', ?) FROM texts "
        f"WHERE texts MATCH ? AND rowid IN ({marks})",
        (START, END, SNIPPET_WORDS, fts, *page)))
    things = {row[0]: row[1:] for row in connection.execute(
        f"SELECT id, iri, kind, title, evidence FROM things WHERE id IN ({marks})", page)}
    facets: dict[int, dict[str, list[tuple[str, str]]]] = {}
    for thing, facet, value, label in connection.execute(
            f"SELECT thing, facet, value, label FROM facets WHERE thing IN ({marks}) "
            f"ORDER BY thing, facet, label", page):
        facets.setdefault(thing, {}).setdefault(facet, []).append((value, label))
    return tuple(
        Hit(*things[number], snippet=split_snippet(snippets.get(number, "")),
            facets={k: tuple(v) for k, v in facets.get(number, {}).items()})
        for number in page)


def split_snippet(text: str) -> tuple[tuple[str, bool], ...]:
    """The snippet's text as (text, matched) parts: the page escapes each part and marks
    the matched ones itself, so nothing of the source is ever markup."""
    parts: list[tuple[str, bool]] = []
    for piece in text.split(START):
        matched, _, rest = piece.partition(END) if END in piece else ("", "", piece)
        if matched:
            parts.append((matched, True))
        if rest:
            parts.append((rest, False))
    return tuple(parts)


def _facet_counts(connection, selected: dict[str, list[str]], total: int
                  ) -> dict[str, tuple[FacetCount, ...]]:
    """For each facet, its values among the hits (the best ``FACET_HITS`` of them) with
    their counts, most hits first."""
    best = ("temp.found" if total <= FACET_HITS else
            f"(SELECT id FROM temp.found ORDER BY score, id LIMIT {FACET_HITS}) AS found")
    rows = connection.execute(
        f"SELECT f.facet, f.value, min(f.label), count(*) AS n FROM {best} "
        "CROSS JOIN facets AS f ON f.thing = found.id "
        "GROUP BY f.facet, f.value ORDER BY f.facet, n DESC, min(f.label)").fetchall()
    counts: dict[str, list[FacetCount]] = {facet: [] for facet in FACETS}
    for facet, value, label, n in rows:
        chosen = selected.get(facet) or []
        counts.setdefault(facet, []).append(FacetCount(value, label, n, value in chosen))
    return {facet: tuple(values) for facet, values in counts.items()}
