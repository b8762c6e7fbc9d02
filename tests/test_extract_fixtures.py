"""Sections in the same layout that the seed does not cover (tests/data/sections/):
another outcome, two indicators, multi-word names, empty typology cells, continuation
rows in every table, two outcomes in one file."""

from __future__ import annotations

import pytest

from flgraph.extract import extract_files
from flgraph.reference import load_reference

from .conftest import FIXTURES

SECTIONS = FIXTURES / "sections"


@pytest.fixture(scope="module")
def outcome16():
    [only] = extract_files([SECTIONS / "outcome_16_fixture.txt"], load_reference())
    return only


def listed(indicator) -> set[tuple[str, str]]:
    return {(x.typology.label, x.iso3) for x in indicator.listings}


def test_two_indicators_and_multi_word_names(outcome16):
    first, second = outcome16.indicators
    assert (first.code, second.code) == ("16.1", "16.2")
    assert listed(first) == {
        ("Policies and strategies", "TZA"),          # United Republic of Tanzania
        ("Policies and strategies", "CIV"),          # Côte d’Ivoire, curly apostrophe
        ("Regulatory/Legal framework", "LAO"),       # cut across the page break
        ("Institutional capacity", "BOL"),           # Plurinational State of Bolivia
    }
    # "and" separates names and is also inside them
    assert listed(second) == {
        ("Policies and strategies", "BIH"),
        ("Policies and strategies", "TTO"),
        ("Programmes", "TTO"),
        ("Data collection and analysis", "BOL"),    # "Bolivia (Plurinational State of)"
    }


def test_empty_typology_cell_lists_nobody(outcome16):
    first = outcome16.indicators[0]
    assert not [x for x in first.listings if x.typology.label == "Programmes"]


def test_country_cut_by_page_break_cites_both_fragments(outcome16):
    lao = next(x for x in outcome16.indicators[0].listings if x.iso3 == "LAO")
    assert lao.written == "Lao People's Democratic Republic"
    assert lao.evidence.quote == "Lao People's Democratic … Republic"
    assert len(lao.evidence.spans) == 2


def test_breakdowns_with_region_names_containing_and(outcome16):
    first, second = outcome16.indicators
    assert {p.region: p.count for p in first.target.breakdown} == {
        "africa": 2, "americas": 1, "asia-and-the-pacific": 2}
    assert {p.region: p.count for p in second.result.breakdown} == {
        "europe-and-central-asia": 1, "americas": 2}
    assert second.target.total == 3 and second.target.breakdown == ()


def test_chain_continuation_and_unknown_gender(outcome16):
    ivory, tanzania = outcome16.chain_examples
    assert ivory.iso3 == "CIV" and ivory.gender_specific is True
    assert tanzania.iso3 == "TZA"
    assert tanzania.gender_specific is None  # empty mark: unknown, not false
    assert [c.text for c in tanzania.contributions] == [
        "The ILO supported the National Bureau of Statistics (NBS) in designing a child "
        "labour module for the household survey.",
        "ILO organised 3 regional workshops in 2013.",
    ]
    [result] = tanzania.results
    assert result.text.endswith("covering about 12,000 households in all regions.")


def test_qualified_quantities_and_dates(outcome16):
    ivory = outcome16.chain_examples[0]
    quantities = {(q.qualifier, q.value, q.unit) for s in ivory.contributions
                  for q in s.quantities}
    assert quantities == {("nearly", 50, "labour inspectors"), ("at least", 60, "judges")}
    periods = [(p.phrase, p.start, p.end) for s in (*ivory.contributions, *ivory.results)
               for p in s.periods]
    assert periods == [("March 2013", "2013-03", "2013-03"),
                       ("2014 - 2015", "2014", "2015"),
                       ("15 June 2013", "2013-06-15", "2013-06-15")]


def test_outputs_continuation_and_scopes(outcome16):
    got = [(o.typology.label, o.scope.kind if o.scope else None,
            o.scope.code if o.scope else None, o.statement.text) for o in outcome16.outputs]
    assert got == [
        ("Knowledge generation and dissemination", "country", "CIV",
         'A study entitled "Children in cocoa farming" was published in 2013.'),
        ("Knowledge generation and dissemination", "region", "africa",
         "A toolkit on child labour monitoring for 12 member States"),
        ("Capacity building", None, None,
         "Training of over 200 inspectors in the use of the new inspection checklist."),
        ("Capacity building", "country", "LAO", "Guidance for 40 district officers"),
    ]


def test_two_outcomes_in_one_file_each_keep_their_lessons():
    outcomes = extract_files([SECTIONS / "two_outcomes_fixture.txt"], load_reference())
    assert [o.number for o in outcomes] == ["17", "18"]
    assert [[lesson.statement.text for lesson in o.lessons] for o in outcomes] == [
        ["A lesson of outcome 17."], ["A lesson of outcome 18."]]
    assert outcomes[1].indicators[0].target.total is None  # "Not applicable"
    assert outcomes[1].indicators[0].target.text == "Not applicable"
