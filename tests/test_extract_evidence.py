"""Evidence is exact: every quote is the report's own words, never its markup, and a
code or scope prefix belongs to the evidence of what it labels. Expected quotes and lines
were read by hand from data/source/000_2635207760a74e4f.txt."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from flgraph.extract import extract_files
from flgraph.rdfio import read_quads
from flgraph.reference import load_reference

from .conftest import DATA, SEED

FLG = "https://w3id.org/flgraph/ontology#"
OA = "http://www.w3.org/ns/oa#"


@pytest.fixture(scope="module")
def outcome():
    [only] = extract_files([SEED], load_reference())
    return only


def test_reported_result_quote_has_no_markup(outcome):
    # line 10, Total No. column: "<b>8 member States</b> , of which 3 in Africa, …"
    evidence = outcome.indicators[0].result.evidence
    assert evidence.quote == ("8 member States , of which 3 in Africa, 2 in the Americas, "
                              "1 in the Arab States and 2 in Asia")
    text = SEED.read_text(encoding="utf-8")
    assert all("<" not in text[s.start:s.end] for s in evidence.spans)


def test_outcome_evidence_is_the_heading_without_markdown(outcome):
    # line 3: "## Outcome 15: Elimination of Forced Labour"
    assert outcome.evidence.quote == "Outcome 15: Elimination of Forced Labour"
    assert outcome.evidence.line == 3


def test_indicator_code_belongs_to_the_indicator_evidence(outcome):
    statement = outcome.indicators[0].statement
    assert statement.evidence.quote.startswith("15.1 Number of member States in which")
    assert statement.text.startswith("Number of member States")  # the words, without code


def test_output_scope_prefix_belongs_to_the_output_evidence(outcome):
    nigeria = next(o for o in outcome.outputs if o.scope and o.scope.code == "NGA")
    assert nigeria.statement.evidence.quote.startswith("Nigeria: A training manual")
    arab = next(o for o in outcome.outputs if o.scope and o.scope.kind == "region")
    assert arab.statement.evidence.quote.startswith('Regional Arab States: "Tricked and Trapped')
    # Table 3 has no header row: its evidence names no column
    assert all(o.statement.evidence.column is None for o in outcome.outputs)


def test_a_statement_split_by_a_page_break_reads_in_order_with_each_part_on_its_line(outcome):
    brazil = next(e for e in outcome.chain_examples if e.iso3 == "BRA")
    [result] = brazil.results
    # "… the Pastoral" ends line 17; "Mission for Migrants …" opens line 19's result cell
    assert result.evidence.lines == (17, 19)
    assert result.evidence.quote.startswith("The Integration Action Programme (IAP) which")
    assert "the Pastoral … Mission for Migrants of the Catholic Church" in result.evidence.quote
    row = brazil.evidence  # the whole row: both lines, in the order of the report
    assert row.lines[0] == 17 and row.lines[-1] == 19
    assert row.quote.startswith("Brazil … The Integration Action Programme (IAP) project")
    starts = [s.start for s in row.spans]
    assert starts == sorted(starts)


@pytest.fixture(scope="module")
def evidence_nodes():
    nodes: dict[str, dict] = {}
    selectors: dict[str, dict] = {}
    for q in read_quads(DATA):
        s, p, o = q.subject.value, q.predicate.value, q.object
        if p == FLG + "quote":
            nodes.setdefault(s, {})["quote"] = o.value
        elif p == OA + "hasSelector":
            nodes.setdefault(s, {}).setdefault("selectors", []).append(o.value)
        elif p in (OA + "start", OA + "end", FLG + "ordinal", FLG + "line") and isinstance(
                o, ox.Literal):
            selectors.setdefault(s, {})[p.rsplit("#", 1)[-1]] = int(o.value)
    return nodes, selectors


def test_every_evidence_node_is_named_by_all_its_ordered_parts(evidence_nodes):
    nodes, selectors = evidence_nodes
    text = SEED.read_text(encoding="utf-8")
    assert nodes
    for iri, node in nodes.items():
        parts = sorted((selectors[s] for s in node["selectors"]), key=lambda d: d["ordinal"])
        assert [p["ordinal"] for p in parts] == list(range(1, len(parts) + 1))
        assert iri.rsplit("/", 1)[-1] == "+".join(f"{p['start']}-{p['end']}" for p in parts)
        assert [p["start"] for p in parts] == sorted(p["start"] for p in parts)
        for part in parts:
            assert part["line"] == text.count("\n", 0, part["start"]) + 1
            assert "<" not in text[part["start"]:part["end"]]
        assert "<" not in node["quote"] and not node["quote"].startswith("#")
