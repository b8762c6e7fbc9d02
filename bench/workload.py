"""What is timed on every store: each saved query with the parameters the tests use,
and the two queries behind a resource page, and how answers are compared.

The parameters come from testbed/expected.py (the saved queries' competency questions),
so the benchmark asks what the tests ask: country/ZMB, result/15.1/ZMB, the capacity
development and capacity building typologies. A resource page is what ``/id/…`` runs:
resource-description.rq (a CONSTRUCT) and resource-evidence.rq (a SELECT).

Answers are compared as the store-equivalence tests compare them: rows as a multiset of
terms after the remote store's normalisation, GROUP_CONCAT columns as sorted lists of
their parts, and for queries with ORDER BY the sequence of the sort keys as well.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from testbed.answers import sort_keys
from testbed.expected import EXPECTED

from flgraph import namespaces as ns
from flgraph.query.saved import bind_params, load_queries
from flgraph.store import GraphResult, SelectResult
from flgraph.store.remote import normalise
from flgraph.web.internal_queries import sparql

#: Resources whose pages are timed: a national result (a typical page) and a member
#: State (the busiest page: every listing, example and organisation points to it).
PAGES = ("result/15.1/ZMB", "country/ZMB")
#: The parameterised look-ups of the ≤ 20 ms target.
LOOKUPS = ("country-profile", "evidence", "page:result/15.1/ZMB")


@dataclass(frozen=True)
class Item:
    """One timed operation: a saved query with parameters, or a resource page.

    A *variant* is the same question asked another way (parameters bound by pyoxigraph's
    substitution rather than a VALUES block, a query rewritten), timed to show what a
    choice costs or what would close a gap; its answers must equal those of ``base``,
    the item it varies.
    """

    name: str  # "results-chain", "results-chain?country=country/ZMB", "page:country/ZMB"
    queries: tuple[tuple[str, dict[str, ox.NamedNode | ox.Literal]], ...]
    base: str = ""  # for a variant: the name of the item it varies
    substitute: bool = False  # bind through pyoxigraph's ``substitutions`` (Oxigraph only)

    @property
    def lookup(self) -> bool:
        return (self.base or self.name).split("?")[0] in LOOKUPS


#: Which variants each store is asked: substitution exists only in pyoxigraph; the
#: rewrites are asked of Virtuoso too (the ORDER BY ones are for Virtuoso).
SUBSTITUTION_STORES = ("memory", "disk")
REWRITE_STORES = ("memory", "disk", "virtuoso")


def items(variants: str = "") -> list[Item]:
    """Every saved query with each parameter set of testbed/expected.py, and the pages;
    with the variants for the store named by ``variants`` ("all": every variant)."""
    saved = load_queries()
    missing = set(saved) - set(EXPECTED)
    if missing:
        raise RuntimeError(f"testbed/expected.py has no parameters for {sorted(missing)}")
    found = []
    for name in sorted(saved):
        query = saved[name]
        for expectation in EXPECTED[name]:
            params = expectation.params
            label = name + "".join(f"?{k}={v}" for k, v in sorted(params.items()))
            found.append(Item(label, ((query.text, bind_params(query, params)),)))
    for page in PAGES:
        this = {"this": ox.NamedNode(ns.ID + page)}
        found.append(
            Item(
                f"page:{page}",
                ((sparql("resource-description"), this), (sparql("resource-evidence"), this)),
            )
        )
    return found + _variants(found, variants) if variants else found


def _variants(originals: list[Item], store: str) -> list[Item]:
    """Each parameterised item bound by substitution, and each rewrite of ``REWRITES``."""
    found = []
    for item in originals:
        parameterised = any(bindings for _, bindings in item.queries)
        if parameterised and store in (*SUBSTITUTION_STORES, "all"):
            found.append(Item(f"{item.name} [substitution]", item.queries, item.name, True))
        if store not in (*REWRITE_STORES, "all"):
            continue
        for tag, name, changes in REWRITES:
            text, bindings = item.queries[0]
            if item.name.split("?")[0] != name:
                continue
            for old, new in changes:
                if old not in text:
                    raise RuntimeError(f"the rewrite [{tag}] of {name} no longer applies")
                text = text.replace(old, new)
            found.append(Item(f"{item.name} [{tag}]", ((text, bindings),), item.name))
    return found


#: Saved queries asked another way, with the same answers (checked), to show what would
#: close a gap or what a change of a saved query gained: (tag, query, [(old text, new
#: text), …]). The ``as before`` ones put back what a saved query said before it was
#: rewritten for speed, so that one run times both forms on every store. Earlier
#: rewrites (OPTIONAL last in quantities.rq, ORDER BY STR(…) for Virtuoso's order of
#: language-tagged strings, who by a UNION in when-and-by-whom.rq, the examples' class
#: outside results-chain.rq's sub-SELECT; bench/RESULTS.md, 2026-12-07 11:06) are the
#: saved queries themselves and are no longer timed.
REWRITES: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "as before: branches without the class",
        "when-and-by-whom",
        [
            (
                """    ?attribution a flg:Attribution .
    { ?attribution flg:launchedIn""",
                """    { ?attribution flg:launchedIn""",
            ),
            (
                """    ?attribution a flg:Attribution ;
                 flg:role/skos:prefLabel ?roleLabel .
""",
                """    ?attribution flg:role/skos:prefLabel ?roleLabel .
""",
            ),
        ],
    ),
    (
        "as before: country outside the sub-SELECT",
        "results-chain",
        [
            ("SELECT ?example ?country (MIN", "SELECT ?example (MIN"),
            (
                """               flg:country ?country ;
               prov:wasDerivedFrom ?cell .""",
                """               prov:wasDerivedFrom ?cell .""",
            ),
            ("GROUP BY ?example ?country\n", "GROUP BY ?example\n"),
        ],
    ),
]


# Comparing answers -------------------------------------------------------------------------


@dataclass
class Answer:
    """An answer reduced to what must be equal on every store; the parts themselves are
    written to a file, so that large answers do not stay in the measured process."""

    rows: int
    digest: str
    truncated: bool = False


def canonical(item: Item, results: list, path: Path) -> Answer:
    """The comparable form of an item's answers (one per query of the item), saved."""
    parts, rows, truncated = [], 0, False
    for (text, _), result in zip(item.queries, results, strict=True):
        truncated = truncated or result.truncated
        if isinstance(result, GraphResult):
            triples = sorted(str(_normal_triple(t)) for t in result.triples)
            parts.append(triples)
            rows += len(triples)
            continue
        assert isinstance(result, SelectResult)
        table = _comparable(result, text)
        keys = [result.variables.index(k) for k in sort_keys(text) if k in result.variables]
        parts.append(sorted(json.dumps(row) for row in table))
        parts.append([json.dumps([row[k] for k in keys]) for row in table] if keys else [])
        rows += len(table)
    data = json.dumps(parts).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(data, 3))
    return Answer(rows, hashlib.sha256(data).hexdigest()[:16], truncated)


def answer_file(directory: Path, name: str) -> Path:
    """Where the answer of the item called ``name`` is kept."""
    return directory / (re.sub(r"[^A-Za-z0-9.=-]+", "_", name) + ".json.gz")


def _normal_triple(t: ox.Triple) -> ox.Triple:
    return ox.Triple(t.subject, t.predicate, normalise(t.object))


def _comparable(result: SelectResult, text: str) -> list[list]:
    """Rows as lists of N-Triples strings; GROUP_CONCAT cells as sorted lists of parts
    without language tag (SPARQL leaves the order of parts open; Virtuoso drops the tag)."""
    concatenated = set(re.findall(r"GROUP_CONCAT\s*\(.*?\)\s+AS\s+\?(\w+)", text, re.I | re.S))
    separators = {
        var: sep
        for sep, var in re.findall(
            r"GROUP_CONCAT\s*\(.*?separator\s*=\s*\"([^\"]*)\".*?\)\s+AS\s+\?(\w+)",
            text,
            re.I | re.S,
        )
    }
    table = []
    for row in result.rows:
        cells: list = []
        for var, term in zip(result.variables, row, strict=True):
            term = normalise(term) if term is not None else None
            if var in concatenated and isinstance(term, ox.Literal):
                cells.append(sorted(term.value.split(separators.get(var, " "))))
            else:
                cells.append(None if term is None else str(term))
        table.append(cells)
    return table


def differences(reference: Path, other: Path, limit: int = 3) -> list[str]:
    """A few lines saying how two saved answers differ: sample rows each way, or that
    they hold the same distinct rows (a bag against a set) or the same rows in another
    order."""
    mine = json.loads(gzip.decompress(other.read_bytes()))
    theirs = json.loads(gzip.decompress(reference.read_bytes()))
    lines = []
    for k, (got, expected) in enumerate(zip(mine, theirs, strict=False)):
        if got == expected:
            continue
        if sorted(got) == sorted(expected):
            lines.append(f"part {k}: same rows, sort keys in another order")
            continue
        if set(got) == set(expected):
            lines.append(
                f"part {k}: same distinct rows, but {len(got)} rows here and "
                f"{len(expected)} in the reference (duplicates)"
            )
            continue
        extra = Counter(got) - Counter(expected)
        lacking = Counter(expected) - Counter(got)
        lines.append(f"part {k}: {len(got)} rows vs {len(expected)}")
        lines += [f"  only here: {row[:240]}" for row in list(extra)[:limit]]
        lines += [f"  only in the reference: {row[:240]}" for row in list(lacking)[:limit]]
    return lines
