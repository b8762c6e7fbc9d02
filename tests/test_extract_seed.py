"""The seed section, read by the extractor: every value asserted here was read by hand
from data/source/000_2635207760a74e4f.txt."""

from __future__ import annotations

import pytest

from flgraph.extract import extract_files
from flgraph.reference import load_reference

from .conftest import SEED


@pytest.fixture(scope="module")
def outcome():
    [only] = extract_files([SEED], load_reference())
    return only


def by_typology(indicator) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for listing in indicator.listings:
        out.setdefault(listing.typology.label, set()).add(listing.iso3)
    return out


def test_outcome_heading_and_lessons_section_are_one_outcome(outcome):
    assert outcome.number == "15"
    assert outcome.title == "Elimination of Forced Labour"
    assert [t.kind for t in outcome.tables] == ["results", "chain", "outputs"]
    assert len(outcome.lessons) == 4


def test_table_1_listings_by_typology_column(outcome):
    [indicator] = outcome.indicators
    assert indicator.code == "15.1"
    assert by_typology(indicator) == {
        "Policies and strategies": {"ETH", "JOR", "IND", "NPL", "PER", "BRA"},
        "Programmes": {"ETH", "NGA", "ZMB", "NPL", "PER", "BRA"},
        "Regulatory/Legal framework": {"JOR", "IND"},
        "Institutional capacity": {"NGA", "JOR", "NPL"},
        "Data collection and analysis": {"ZMB", "IND", "NPL"},
    }
    assert len(indicator.countries) == 8


def test_capacity_development_spans_two_sub_columns(outcome):
    parents = {t.label: t.parent for t in outcome.result_typologies}
    assert parents["Institutional capacity"] == "Capacity development"
    assert parents["Data collection and analysis"] == "Capacity development"
    assert parents["Programmes"] is None


def test_target_and_result_keep_their_regional_breakdowns(outcome):
    [indicator] = outcome.indicators
    target, result = indicator.target, indicator.result
    assert target.total == 8 and result.total == 8
    assert {p.region: p.count for p in target.breakdown} == {
        "africa": 1, "americas": 2, "arab-states": 1, "asia-and-the-pacific": 2,
        "europe-and-central-asia": 2}
    assert {p.region: p.count for p in result.breakdown} == {
        "africa": 3, "americas": 2, "arab-states": 1, "asia-and-the-pacific": 2}
    asia = next(p for p in result.breakdown if p.region == "asia-and-the-pacific")
    assert asia.region_text == "Asia"  # the report's short form is kept


def test_country_evidence_is_the_exact_span(outcome):
    [indicator] = outcome.indicators
    listing = next(x for x in indicator.listings
                   if x.iso3 == "ZMB" and x.typology.label == "Programmes")
    assert listing.evidence.quote == "Zambia"
    assert listing.evidence.line == 10
    assert listing.evidence.column == "Results / Programmes"
    span = listing.evidence.spans[0]
    assert SEED.read_text(encoding="utf-8")[span.start:span.end] == "Zambia"


def test_results_chain_rows(outcome):
    examples = {e.iso3: e for e in outcome.chain_examples}
    assert list(examples) == ["ZMB", "IND", "BRA"]
    assert [len(examples[c].contributions) for c in examples] == [2, 3, 4]
    assert all(e.gender_specific is True for e in examples.values())


def test_page_break_joins_cut_phrases_and_keeps_main_values(outcome):
    brazil = next(e for e in outcome.chain_examples if e.iso3 == "BRA")
    third = brazil.contributions[2].text
    assert third == ("In the planning, the ILO helped the IAP to establish goals, outcomes and "
                     "indicators.")
    fourth = brazil.contributions[3].text
    assert fourth.startswith("ILO technically supported the systematization")  # bullet gone
    [result] = brazil.results
    assert "the Pastoral Mission for Migrants of the Catholic Church" in result.text
    assert result.text.endswith("in the state of Mato Grosso.")
    assert len(result.evidence.spans) == 2  # two fragments, one on each side of the break
    assert brazil.gender_specific is True  # the empty continuation cell did not erase "√"


def test_html_in_cells_becomes_clean_text(outcome):
    zambia = next(e for e in outcome.chain_examples if e.iso3 == "ZMB")
    assert zambia.country_written == "Zambia"  # was <i>Zambia</i>
    assert zambia.contributions[1].text == ("ILO provided technical inputs to the survey "
                                            "questionnaire and design")
    assert all("<" not in s.text for e in outcome.chain_examples for s in e.contributions)


def test_outputs_by_typology_with_scopes(outcome):
    got = [(o.typology.label, o.ordinal, o.scope.code if o.scope else None)
           for o in outcome.outputs]
    assert got == [
        ("Knowledge generation and dissemination", 1, None),
        ("Policy advice and technical services", 1, None),
        ("Capacity building", 1, None),
        ("Capacity building", 2, "NGA"),
        ("Policy dialogue and advocacy", 1, None),
        ("Policy dialogue and advocacy", 2, "arab-states"),
    ]
    nigeria = outcome.outputs[3]
    assert nigeria.scope.written == "Nigeria"
    assert nigeria.statement.text.startswith("A training manual for law enforcement officers")
    assert outcome.outputs[5].scope.written == "Regional Arab States"
    assert outcome.outputs[0].statement.text == "ILO Global Estimate of Forced Labour"


def test_lessons_in_order(outcome):
    assert outcome.lessons[0].statement.text.startswith("The ILO must expand the existing")
    assert outcome.lessons[3].statement.text.startswith("Another lesson learned over the past")
    assert [lesson.statement.evidence.line for lesson in outcome.lessons] == [24, 26, 28, 30]
