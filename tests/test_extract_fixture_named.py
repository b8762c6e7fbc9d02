"""An invented section (tests/data/sections/outcome_19_fixture.txt) naming other
conventions, places, programmes, surveys, events, lower-case actors and languages than
the seed, and a Table 1 whose cells hold a name with a comma that is also the start of
another name. Every expected value below was written by hand from the fixture's text."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from flgraph.extract import extract_files
from flgraph.reference import load_reference

from .conftest import FIXTURES
from .helpers import run_cli

FIXTURE = FIXTURES / "sections" / "outcome_19_fixture.txt"


@pytest.fixture(scope="module")
def outcome():
    [only] = extract_files([FIXTURE], load_reference())
    return only


def statements(outcome):
    yield outcome.indicators[0].statement
    for example in outcome.chain_examples:
        yield from example.contributions
        yield from example.results
    for output in outcome.outputs:
        yield output.statement


def found(outcome, kind: str, *fields: str) -> list[tuple]:
    return [tuple(getattr(m, f) for f in fields) for s in statements(outcome)
            for m in getattr(s, kind)]


def test_a_cell_is_segmented_whole(outcome):
    # "Congo, Republic of Korea": Congo and the Republic of Korea, not "Congo, Republic" and
    # a stray "of Korea"; "Niger Nigeria": two names, one inside the other
    assert [(x.typology.label, x.iso3, x.written) for x in outcome.indicators[0].listings] == [
        ("Policies and strategies", "COG", "Congo"),
        ("Policies and strategies", "KOR", "Republic of Korea"),
        ("Programmes", "NER", "Niger"), ("Programmes", "NGA", "Nigeria"),
        ("Regulatory/Legal framework", "PER", "Peru")]


def test_a_territory_is_kept_as_what_it_is_and_counted(outcome):
    second = outcome.indicators[1]
    # "Palestine, State of Jordan": a name with a comma (a territory, ISO 3166-1 PSE, not
    # an ILO member State), then Jordan; the total "2 member States and territories"
    # counts both
    assert [(x.iso3, x.written) for x in second.listings] == [
        ("PSE", "Palestine, State of"), ("JOR", "Jordan")]
    assert second.result.total == 2 == len(second.countries)
    reference = load_reference()
    assert [reference.country(x.iso3).member for x in second.listings] == [False, True]


def test_conventions_by_number_title_code_and_protocol(outcome):
    assert found(outcome, "conventions", "kind", "number", "title", "year", "written") == [
        # the indicator
        ("convention", 29, "Forced Labour Convention", "1930",
         "Forced Labour Convention, 1930 (No. 29)"),
        # Peru's result: a protocol known by its title, no number given
        ("protocol", None, "Protocol of 2014 to the Forced Labour Convention, 1930", "2014",
         "Protocol of 2014 to the Forced Labour Convention, 1930"),
        # Table 3: "citing Convention No. 105 and C029"
        ("convention", 105, None, None, "Convention No. 105"),
        ("convention", 29, None, None, "C029"),
    ]


def test_regions_of_peru_and_a_city_with_its_country(outcome):
    assert found(outcome, "places", "name", "kind", "country", "code") == [
        ("Cusco", "subdivision", "PER", "PE-CUS"), ("Puno", "subdivision", "PER", "PE-PUN"),
        ("Juliaca", "city", "PER", None),                              # "in Juliaca, Peru"
        ("Cusco", "subdivision", "PER", "PE-CUS"), ("Puno", "subdivision", "PER", "PE-PUN"),
        ("Cusco", "subdivision", "PER", "PE-CUS"),                     # "in Cusco, Peru"
    ]


def test_programmes_surveys_events_and_a_tool(outcome):
    assert found(outcome, "initiatives", "name", "kind", "acronym", "named", "venue") == [
        ("Rural Employment Programme", "programme", "REP", True, None),
        ("regional seminar", "event", None, False, "Juliaca"),
        ("Rural Employment Programme", "programme", "REP", True, None),  # "the REP team"
        ("workshops", "event", None, False, None),                      # "ILO held 3 workshops"
        ("National Rural Household Survey", "survey", None, True, None),
        ("Rural Employment Programme", "programme", "REP", True, None),  # "The REP is based"
        ("Rural Labour Agreement", "agreement", None, True, None),
        ("Self-study course", "tool", None, False, None),
        ("national forum", "event", None, False, "Cusco"),
        ("International Labour Conference", "event", None, True, None),
    ]
    [tool] = [m for s in statements(outcome) for m in s.initiatives if m.kind == "tool"]
    # "in USB format, translated into 3 languages (Spanish, Quechua, Aymara)"
    assert tool.format == "USB"
    assert [(x.name, x.iso639_3) for x in tool.languages] == [
        ("Spanish", "spa"), ("Quechua", "que"), ("Aymara", "aym")]


def test_lower_case_actors_subjects_and_an_established_body(outcome):
    assert found(outcome, "actor_types", "label", "relation") == [
        ("rural employers", "participant"),  # "ILO held 3 workshops with 60 rural employers"
        # "a partnership between the labour inspectorate, trade unions and local
        # governments, and benefits indigenous workers in Cusco"
        ("labour inspectorate", "partner"), ("trade unions", "partner"),
        ("local governments", "partner"), ("indigenous workers", "beneficiary"),
        # "… and 12 Regional Governments signed …": counted, so a kind, not one body
        ("Regional Governments", "actor"),
        # "beneficiaries including domestic workers, rural employers and municipal officials"
        ("domestic workers", "beneficiary"), ("rural employers", "beneficiary"),
        ("municipal officials", "beneficiary"),
        ("labour inspectors", "beneficiary"),  # "disseminated to 150 labour inspectors"
    ]
    assert found(outcome, "subjects", "label") == [
        ("recruitment fees",), ("debt bondage",),
        # "provided municipal officials with inspection checklists and referral forms"
        ("inspection checklists",), ("referral forms",)]
    # "A Regional Commission against Forced Labour was set up in Puno."
    assert ("Regional Commission", True) in found(outcome, "organisations", "name", "established")


@pytest.mark.slow  # builds and validates with pyshacl
def test_the_fixture_builds_and_conforms(tmp_path):
    out = tmp_path / "fixture.trig"
    result = run_cli("build", str(FIXTURE), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "conforms (0 violations" in result.stdout
    store = ox.Store()
    store.bulk_load(path=str(out), format=ox.RdfFormat.TRIG)
    flg = "https://w3id.org/flgraph/ontology#"
    types = {q.object.value.rsplit("#", 1)[-1] for q in store.quads_for_pattern(
        ox.NamedNode("https://w3id.org/flgraph/id/country/PSE"),
        ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), None)}
    assert "Territory" in types and "Country" not in types  # not a member State
    assert list(store.quads_for_pattern(
        ox.NamedNode("https://w3id.org/flgraph/id/result/19.2/PSE"),
        ox.NamedNode(flg + "country"), ox.NamedNode("https://w3id.org/flgraph/id/country/PSE")))


GUIDE = "guide which sets out how to inspect rural workplaces"


def links(outcome) -> list[tuple]:
    out = []
    for s in statements(outcome):
        for link in s.links:
            other = (link.period.phrase if link.period else link.organisation.name
                     if link.organisation else "ILO" if link.ilo else link.actor_type.label)
            thing = getattr(link.thing, "name", None) or link.thing.title
            out.append((thing, link.relation, other, link.implied))
    return out


def test_dates_and_parts_of_what_the_fixture_names(outcome):
    assert links(outcome) == [
        # "The ILO supported the Ministry of Labour and Employment Promotion (MTPE) in
        # designing the Rural Employment Programme (REP) … in 2012 (test fixture)": a year
        # before a bracket is not read as a date (a convention's "1930 (No. 29)")
        ("Rural Employment Programme", "developer",
         "Ministry of Labour and Employment Promotion", False),
        ("regional seminar", "organiser", "ILO", False),  # "ILO organised a regional seminar"
        # "ILO held 3 workshops with 60 rural employers in 2013."
        ("workshops", "date", "2013", False),
        ("workshops", "organiser", "ILO", False),
        ("workshops", "participant", "rural employers", False),
        # "The Government of Peru ratified the Protocol … and launched its National Rural
        # Household Survey in March 2013."
        ("National Rural Household Survey", "launched", "March 2013", False),
        ("National Rural Household Survey", "initiator", "Government of Peru", False),
        # "The REP is based on a partnership between the labour inspectorate, trade unions and
        # local governments, and benefits indigenous workers in Cusco."
        ("Rural Employment Programme", "partner", "labour inspectorate", False),
        ("Rural Employment Programme", "partner", "trade unions", False),
        ("Rural Employment Programme", "partner", "local governments", False),
        ("Rural Employment Programme", "beneficiary", "indigenous workers", False),
        # "The Ministry of Labour and Employment Promotion and 12 Regional Governments signed
        # the Rural Labour Agreement in June 2013."
        ("Rural Labour Agreement", "date", "June 2013", False),
        ("Rural Labour Agreement", "signatory", "Ministry of Labour and Employment Promotion",
         False),
        ("Rural Labour Agreement", "signatory", "Regional Governments", False),
        # an output of the Office: "Self-study course on fair recruitment developed …"
        ("Self-study course", "developer", "ILO", True),
        # "ILO produced a guide which sets out how to inspect rural workplaces, disseminated
        # to 150 labour inspectors. The launching of this guide (May 2013) …"
        (GUIDE, "developer", "ILO", False),
        (GUIDE, "beneficiary", "labour inspectors", False),
        (GUIDE, "launched", "May 2013", False),
    ]


def test_an_untitled_guide_is_known_by_its_description(outcome):
    guides = [p for s in statements(outcome) for p in s.publications if p.kind == "guide"]
    assert [(p.title, p.evidence.quote) for p in guides] == [
        (GUIDE, GUIDE), (GUIDE, "this guide")]
    assert guides[0].described_at == guides[1].described_at == guides[0].evidence.spans[0].start
