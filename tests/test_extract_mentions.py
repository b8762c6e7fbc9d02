"""Quantities, dates, organisations and publications found in running text."""

from __future__ import annotations

import pytest

from flgraph.extract.mentions.dates import find_periods
from flgraph.extract.mentions.organisations import find_organisations
from flgraph.extract.mentions.publications import find_publications
from flgraph.extract.mentions.quantities import find_quantities
from flgraph.extract.records import Evidence, SourceDocument
from flgraph.extract.textmap import TextMap
from flgraph.reference import load_reference

DOC = SourceDocument("t.txt", "t.txt", "0" * 64, "")
EV = Evidence(DOC, ())


def text(s: str) -> TextMap:
    return TextMap.from_source(s, 0)


@pytest.mark.parametrize(("sentence", "expected"), [
    ("facilitated more than 20 workshops with", [("more than", 20, "workshops")]),
    ("with over 200 tripartite constituents in", [("over", 200, "tripartite constituents")]),
    ("trained nearly 50 labour inspectors.", [("nearly", 50, "labour inspectors")]),
    ("reached at least 60 judges", [("at least", 60, "judges")]),
    ("More than 400 victims were referred", [("more than", 400, "victims")]),
    ("6 States Governments signed two new MoUs", [(None, 6, "States Governments"),
                                                 (None, 2, "new MoUs")]),
    ("about 1,200 households", [("about", 1200, "households")]),
    ("30% of cases", [(None, 30, "per cent")]),
])
def test_quantities_keep_their_qualifier(sentence, expected):
    found = find_quantities(text(sentence), EV)
    assert [(q.qualifier, q.value, q.unit) for q in found] == expected


@pytest.mark.parametrize("sentence", [
    "the Work in Fishing Convention, 2007 (No. 188)",   # a title's year and a number
    "indicator 15.1 and Table 3",
    "in 2013 the office",
    "one of the reports",
])
def test_codes_years_and_titles_are_not_quantities(sentence):
    assert find_quantities(text(sentence), EV) == ()


def test_quantity_span_points_at_the_phrase():
    s = "The ILO facilitated more than 20 workshops."
    [q] = find_quantities(text(s), EV)
    assert s[q.evidence.spans[0].start:q.evidence.spans[0].end] == "more than 20 workshops"
    assert q.phrase == "more than 20 workshops"


@pytest.mark.parametrize(("sentence", "expected"), [
    ("its first survey in November/December 2012 that",
     [("November/December 2012", "2012-11", "2012-12")]),
    ("their longer term plan (2013 - 2016).", [("2013 - 2016", "2013", "2016")]),
    ("this publication (Nov. 2012) also", [("Nov. 2012", "2012-11", "2012-11")]),
    ("Between 2012 and 2013 the ILO", [("Between 2012 and 2013", "2012", "2013")]),
    ("with ILO support, in 2008.", [("2008", "2008", "2008")]),
    ("for the year 2013, and", [("2013", "2013", "2013")]),
    ("launched on 15 June 2013.", [("15 June 2013", "2013-06-15", "2013-06-15")]),
    ("the 2012-13 biennium", [("2012-13", "2012", "2013")]),
])
def test_dates_and_periods_at_the_reports_precision(sentence, expected):
    found = find_periods(text(sentence), EV)
    assert [(p.phrase, p.start, p.end) for p in found] == expected


@pytest.mark.parametrize("sentence", [
    "Fishing Convention, 2007 (No. 188)",
    "they may 2013 differ",          # "may" is not a month
    "from 2016 to 2013",             # not a period
])
def test_not_dates(sentence):
    assert find_periods(text(sentence), EV) == ()


def test_a_day_that_does_not_exist_keeps_the_month():
    [period] = find_periods(text("on 31 February 2013"), EV)
    assert (period.phrase, period.start) == ("February 2013", "2013-02")


def test_organisations_with_acronyms_and_countries():
    reference = load_reference()
    s = ("The ILO held a workshop with the Central Statistical Office (CSO) in conjunction "
         "with the Ministry of Labour and Social Security (MLSS). The Government of "
         "Côte d'Ivoire and the Office agreed.")
    found = find_organisations(text(s), EV, reference, country="ZMB")
    assert [(o.name, o.acronym, o.kind, o.country) for o in found] == [
        ("Central Statistical Office", "CSO", "office", "ZMB"),
        ("Ministry of Labour and Social Security", "MLSS", "ministry", "ZMB"),
        ("Government of Côte d'Ivoire", None, "government", "CIV"),
    ]


def test_publications_need_a_title_and_a_publication_noun():
    s = ('ILO report entitled "Caught at Sea: Forced labour and trafficking in fisheries" '
         'produced in 2013, and the "Movement Integrated Action" strategy.')
    periods = find_periods(text(s), EV)
    [pub] = find_publications(text(s), EV, periods)
    assert (pub.title, pub.kind, pub.year, pub.by_ilo) == (
        "Caught at Sea: Forced labour and trafficking in fisheries", "report", "2013", True)


@pytest.mark.parametrize(("sentence", "kinds"), [
    ("Another lesson learned over the past two years, is", [("years", "duration")]),
    ("a pilot of 18 months with 40 judges", [("months", "duration"), ("judges", "count")]),
    ("more than 20 workshops", [("workshops", "count")]),
    ("30% of cases", [("per cent", "share")]),
])
def test_a_duration_or_a_share_is_not_a_count(sentence, kinds):
    assert [(q.unit, q.kind) for q in find_quantities(text(sentence), EV)] == kinds


@pytest.mark.parametrize(("sentence", "established"), [
    ("New structures, including a Central Cell on Migrant Workers were established to",
     {"Central Cell on Migrant Workers"}),
    ("The Government established a new National Commission on Bonded Labour.",
     {"National Commission on Bonded Labour"}),
    ("The Ministry of Labour signed an agreement; a Task Force Unit was set up.",
     {"Task Force Unit"}),
    ("The Ministry of Justice was consulted before the law was established.", set()),
])
def test_established_is_a_relation_of_its_own(sentence, established):
    found = find_organisations(text(sentence), EV, load_reference())
    assert {m.name for m in found if m.established} == established


def test_a_bracketed_acronym_of_another_organisation_makes_a_part():
    sentence = ("The Ministry of Labour and Employment (MoLE) and a Central Cell on Migrant "
                "Workers at the National level (MoLE) were established.")
    found = {m.name: m for m in find_organisations(text(sentence), EV, load_reference())}
    assert found["Central Cell on Migrant Workers"].part_of == "Ministry of Labour and Employment"
    assert found["Ministry of Labour and Employment"].part_of is None


@pytest.mark.parametrize(("sentence", "expected"), [
    ("to ratify the Worst Forms of Child Labour Convention, 1999 (No. 182) soon",
     [("convention", 182, "Worst Forms of Child Labour Convention", "1999")]),
    ("ratified Convention No. 29 and C105", [("convention", 29, None, None),
                                             ("convention", 105, None, None)]),
    ("the Protocol of 2014 to the Forced Labour Convention, 1930 entered into force",
     [("protocol", None, "Protocol of 2014 to the Forced Labour Convention, 1930", "2014")]),
    ("a new convention on domestic work", []),  # no number, no title: no instrument
])
def test_instruments_by_number_title_or_code(sentence, expected):
    from flgraph.extract.mentions.conventions import find_conventions
    found = find_conventions(text(sentence), EV)
    assert [(c.kind, c.number, c.title, c.year) for c in found] == expected


@pytest.mark.parametrize(("sentence", "country", "expected"), [
    ("replicated in Rio de Janeiro and Bahia", "BRA",
     [("Rio de Janeiro", "BR-RJ"), ("Bahia", "BR-BA")]),
    ("a pilot in Bagmati and Lumbini provinces of Nepal", None,
     [("Bagmati", "NP-P3"), ("Lumbini", "NP-P5")]),
    ("The Central Statistical Office of Zambia", "ZMB", []),  # "Central" is a province
    ("a conference in Amman, Jordan", None, [("Amman", None)]),
    ("a conference in Amman", None, []),  # a city only with its country
])
def test_places_below_country_level_by_rule(sentence, country, expected):
    from flgraph.extract.mentions.places import find_places
    found = find_places(text(sentence), EV, load_reference(), country)
    assert [(p.name, p.code) for p in found] == expected


def test_lower_case_actors_by_the_words_that_open_a_list():
    from flgraph.extract.mentions.actors import find_actor_types
    sentence = ("in cooperation with employers, trade unions and the Supreme Court, for the "
                "benefit of seasonal workers and their families.")
    found = find_actor_types(text(sentence), EV)
    assert [(a.label, a.relation) for a in found] == [
        ("employers", "partner"), ("trade unions", "partner"),    # the Court: a proper name
        ("seasonal workers", "beneficiary"), ("their families", "beneficiary")]
