"""Every kind of /id/ page opens with a summary a reader can follow, read in headless
Chromium as a person sees it: headings, statements in the report's words and order, and
an evidence link on each statement that leads to the report's own text with the cited
words highlighted. No page shows a prefixed name as a name, a language tag, a datatype
or markup in a quote.

Expected values are read from the report (data/source/000_2635207760a74e4f.txt):
Table 1, row 15.1 (target, result and the member States in each typology column, in the
order printed); Table 2 (Zambia, India, Brazil; Brazil's four ILO contributions, the
fourth after the page break, and its result); the four lessons learned; Table 3's six
outputs ("Caught at Sea" produced by the ILO in 2013; the "Tricked and Trapped Study"
presented in Amman).
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import DATA

from .browsing import open_page

#: The build's address names the build (a hash of what it read), so it is read from the
#: committed data rather than written here: every rebuild with new inputs changes it.
BUILD = "/id/build/" + re.search(r"/id/build/([0-9a-f]{16})>", DATA.read_text()).group(1)

pytestmark = pytest.mark.browser

#: One page of every kind of resource the data has, as a reader may reach it.
EVERY_KIND = [
    "/id/country/NPL", "/id/indicator/15.1", "/id/outcome/15", "/id/chain/15/BRA",
    "/id/chain/15/BRA/contribution/1", "/id/chain/15/ZMB/result/1",
    "/id/output/15/capacity-building/1", "/id/lesson/15/1", "/id/organisation/ilo",
    "/id/organisation/BRA/ministry-of-labour", "/id/organisation/ilo/office",
    "/id/publication/caught-at-sea-forced-labour-and-trafficking-in-fisheries",
    "/id/evidence/000_2635207760a74e4f/1111-1143",
    "/id/evidence/000_2635207760a74e4f/855-860/selector/855-860",
    "/id/involvement/000_2635207760a74e4f/1111", "/id/citation/000_2635207760a74e4f/7611",
    "/id/result/15.1", "/id/result/15.1/NPL", "/id/result/15.1/NPL/programmes",
    "/id/result/15.1/region/africa", "/id/target/15.1", "/id/target/15.1/region/africa",
    "/id/cube/table-1", "/id/cube/table-1/15.1/NPL/programmes",
    "/id/instrument/C188", "/id/place/BR-MT", "/id/place/JOR/amman",
    "/id/programme/BRA/integration-action-programme",
    "/id/strategy/BRA/movement-integrated-action", "/id/survey/ZMB/national-labour-force-survey",
    "/id/dataset/ZMB/key-indicators-of-labour-market",
    "/id/agreement/IND/memorandums-of-understanding", "/id/tool/000_2635207760a74e4f/6787",
    "/id/event/000_2635207760a74e4f/7707", "/id/language/spa", "/id/subject/training",
    "/id/mention/000_2635207760a74e4f/7732", "/id/quantity/000_2635207760a74e4f/6910",
    "/id/period/000_2635207760a74e4f/3376", "/id/period/000_2635207760a74e4f/3376/beginning",
    "/id/region/africa", "/id/result-typology/programmes", "/id/output-typology/capacity-building",
    "/id/organisation-role/result-actor", "/id/organisation-type/workers-organizations",
    "/id/quantity-kind/count", "/id/scheme/subject", "/id/editorial/1",
    "/id/report/ilo-programme-implementation-2012-13", "/id/source/000_2635207760a74e4f",
    "/id/dataset", BUILD, "/id/software/flgraph/0.1.0",
    "/id/reference/countries.csv", "/id/graph/cube",
]
#: Kinds read from the report: each opens with a summary, every statement with evidence
#: (a few facts of reference data excepted, named in NO_EVIDENCE).
READ_FROM_THE_REPORT = [p for p in EVERY_KIND if re.match(
    r"/id/(indicator|outcome|chain|output/|lesson|publication|involvement|citation|result/|"
    r"target/|instrument|place|programme|strategy|survey|dataset/|agreement|tool|event|"
    r"language|subject|mention|quantity/|period/\w+/\d+$|organisation/BRA)", p)]
#: A prefixed name shown as a name (``id:country/NPL``, ``flg:iloRegion``).
CURIE = re.compile(r"^(id|flg|skos|rdf|rdfs|prov|oa|dcterms|org|xsd|qb|schema|time|dcat|"
                   r"void|owl|foaf):\S+$")

#: The summary as a reader sees it: each heading with its statements, each statement's
#: words (without its "its page" and "evidence" links) and its evidence link's address.
READ_SUMMARY = """() => {
    const words = el => {
        const copy = el.cloneNode(true);
        copy.querySelectorAll('a.evidence-link, a.its-page').forEach(a => a.remove());
        return copy.textContent.replace(/[\\s·]+$/, '').replace(/\\s+/g, ' ').trim();
    };
    return [...document.querySelectorAll('#summary h2')].map(h => {
        const body = h.nextElementSibling;
        const items = body.tagName === 'UL' ? [...body.querySelectorAll(':scope > li')] : [body];
        return [h.textContent.trim(), items.map(item => {
            const evidence = item.querySelector('a.evidence-link');
            return [words(item), evidence ? evidence.getAttribute('href') : null];
        })];
    });
}"""


def summary_of(browser, server, path: str) -> tuple[str, dict[str, list[tuple[str, str]]]]:
    """The page's title and its summary: heading → [(statement, evidence href)]."""
    context, page, recorder = open_page(browser, server.url)
    try:
        page.goto(server.url + path)
        title = page.inner_text("h1")
        sections = {heading: [tuple(s) for s in statements]
                    for heading, statements in page.evaluate(READ_SUMMARY)}
        assert recorder.errors == [] and recorder.outside(server.url) == []
        return title, sections
    finally:
        context.close()


def texts(statements: list[tuple[str, str]]) -> list[str]:
    return [text for text, _ in statements]


def marked_words(browser, server, href: str) -> list[str]:
    """The words an evidence page highlights in the report's text, as a reader follows
    the link."""
    context, page, _ = open_page(browser, server.url)
    try:
        page.goto(server.url + href)
        return page.eval_on_selector_all("#evidence mark", "marks => marks.map(m => m.innerText)")
    finally:
        context.close()


def test_an_indicator_says_what_it_measures_its_target_result_and_who_is_listed(browser,
                                                                               server):
    title, summary = summary_of(browser, server, "/id/indicator/15.1")
    assert title == "Indicator 15.1"
    assert list(summary) == [
        "What it measures", "Target and result",
        "Member States listed under Policies and strategies (Table 1)",
        "Member States listed under Programmes (Table 1)",
        "Member States listed under Regulatory/Legal framework (Table 1)",
        "Member States listed under Institutional capacity (Table 1)",
        "Member States listed under Data collection and analysis (Table 1)"]
    measures = texts(summary["What it measures"])
    assert measures[0] == "Indicator 15.1 of Outcome 15: Elimination of Forced Labour"
    assert measures[1].startswith("Number of member States in which constituents, with ILO "
                                  "support, implement specific policies")
    assert texts(summary["Target and result"]) == [
        "Target: 8 member states, of which 1 in Africa, 2 in the Americas, 1 in Arab States, "
        "2 in Asia, 2 in Europe",
        "Result reported: 8 member States , of which 3 in Africa, 2 in the Americas, 1 in the "
        "Arab States and 2 in Asia"]
    # Table 1, row 15.1, each cell's member States in the order printed
    listed = {heading.removeprefix("Member States listed under ").removesuffix(" (Table 1)"):
              texts(statements) for heading, statements in summary.items()
              if heading.startswith("Member States")}
    assert listed == {
        "Policies and strategies": ["Ethiopia", "Jordan", "India", "Nepal", "Peru", "Brazil"],
        "Programmes": ["Ethiopia", "Nigeria", "Zambia", "Nepal", "Peru", "Brazil"],
        "Regulatory/Legal framework": ["Jordan", "India"],
        "Institutional capacity": ["Nigeria", "Jordan", "Nepal"],
        "Data collection and analysis": ["Zambia", "India", "Nepal"]}
    assert all(evidence for statements in summary.values() for _, evidence in statements)
    # Nepal's listing under Data collection and analysis leads to "Nepal" in that cell
    nepal = dict(summary["Member States listed under Data collection and analysis (Table 1)"])
    assert marked_words(browser, server, nepal["Nepal"]) == ["Nepal"]


def test_an_outcome_lists_its_indicators_results_chains_outputs_and_lessons(browser, server):
    title, summary = summary_of(browser, server, "/id/outcome/15")
    assert title == "Outcome 15: Elimination of Forced Labour"
    assert list(summary) == ["Its indicators", "Targets and results reported",
                             "Results-chain examples", "ILO outputs", "Lessons learned"]
    assert texts(summary["Its indicators"])[0].startswith(
        "Indicator 15.1: Number of member States in which constituents")
    assert [t.split(":")[0] for t in texts(summary["Targets and results reported"])] == [
        "Indicator 15.1, target", "Indicator 15.1, result reported"]
    # Table 2's rows in the report's order
    assert texts(summary["Results-chain examples"]) == [
        "Results chain: Zambia (outcome 15)", "Results chain: India (outcome 15)",
        "Results chain: Brazil (outcome 15)"]
    outputs = texts(summary["ILO outputs"])
    assert len(outputs) == 6  # Table 3
    assert outputs[0] == "ILO Global Estimate of Forced Labour"
    assert outputs[-1].startswith('"Tricked and Trapped Study" on Human Trafficking')
    lessons = texts(summary["Lessons learned"])
    assert len(lessons) == 4
    assert lessons[0].startswith("The ILO must expand the existing knowledge")
    assert lessons[3].startswith("Another lesson learned over the past two years")
    assert all(evidence for statements in summary.values() for _, evidence in statements)


def test_an_organisation_tells_every_involvement_and_its_role(browser, server):
    title, summary = summary_of(browser, server, "/id/organisation/BRA/ministry-of-labour")
    assert title == "Ministry of Labour"
    assert "Country: Brazil" in texts(summary["What the report says it is"])
    # Table 2, Brazil: "The Integration Action Programme (IAP) project was initiated by the
    # Ministry of Labour, with ILO support, in 2008."
    involvements = summary["Where the report names it, and in what role"]
    assert [role for role, _ in involvements] == [
        "Initiator of Integration Action Programme: ILO contribution in Brazil (1)",
        "Partner of an ILO contribution: ILO contribution in Brazil (1)"]
    assert all(evidence for _, evidence in involvements)
    assert marked_words(browser, server, involvements[1][1]) == ["Ministry of Labour"]


def test_the_ilo_page_lists_what_the_report_attributes_to_it(browser, server):
    title, summary = summary_of(browser, server, "/id/organisation/ilo")
    assert title == "International Labour Organization"
    assert "Also called ILO" in texts(summary["What the report says it is"])
    attributed = texts(summary["What the report attributes to it"])
    # Table 2: Zambia 2 contributions, India 3, Brazil 4; Table 3: six outputs
    assert len(attributed) == 15
    assert attributed[:2] == ["ILO contribution in Zambia (1)", "ILO contribution in Zambia (2)"]
    assert attributed[9] == "Knowledge generation and dissemination output 1 (outcome 15)"
    assert all(evidence for _, evidence in summary["What the report attributes to it"])


def test_a_publication_says_what_it_is_who_produced_it_and_where_it_is_named(browser,
                                                                             server):
    title, summary = summary_of(
        browser, server, "/id/publication/caught-at-sea-forced-labour-and-trafficking-in-fisheries")
    assert title == "Caught at Sea: Forced labour and trafficking in fisheries"
    # Table 3: 'ILO report entitled "Caught at Sea: …" produced in 2013'
    assert texts(summary["What it is"]) == [
        "Title: Caught at Sea: Forced labour and trafficking in fisheries",
        "Kind of publication: report", "Published in 2013",
        "Produced by International Labour Organization"]
    [(named, evidence)] = summary["Where the report names it"]
    assert named.startswith('Policy dialogue and advocacy output 1 (outcome 15): ILO report '
                            'entitled "Caught at Sea')
    assert marked_words(browser, server, evidence) == [
        "Caught at Sea: Forced labour and trafficking in fisheries"]


def test_a_results_chain_reads_as_the_report_tells_it(browser, server):
    title, summary = summary_of(browser, server, "/id/chain/15/BRA")
    assert title == "Results chain: Brazil (outcome 15)"
    assert list(summary) == ["Member State", "What the ILO contributed", "What the country did",
                             "Gender"]
    contributions = texts(summary["What the ILO contributed"])
    assert len(contributions) == 4
    assert contributions[0].startswith("The Integration Action Programme (IAP) project was "
                                       "initiated by the Ministry of Labour")
    # the third continues after the page break ("…establish" / "goals, outcomes and
    # indicators."), read as one statement
    assert contributions[2] == ("In the planning, the ILO helped the IAP to establish goals, "
                                "outcomes and indicators.")
    assert contributions[3].startswith("ILO technically supported the systematization")
    [result] = texts(summary["What the country did"])
    assert "More than 400 victims were referred to in the pilot phase" in result
    assert all(evidence for statements in summary.values() for _, evidence in statements)


def test_a_listing_and_its_data_cube_observation_say_what_table_1_says(browser, server):
    for path, title in (("/id/result/15.1/NPL/programmes", "Nepal: Programmes (indicator 15.1)"),
                        ("/id/cube/table-1/15.1/NPL/programmes",
                         "Table 1 data: Nepal listed under Programmes, indicator 15.1")):
        shown, summary = summary_of(browser, server, path)
        assert shown == title
        first, evidence = summary["What Table 1 says"][0]
        assert first.startswith("Nepal is listed under “Programmes” (indicator 15.1) in Table 1")
        assert evidence


def test_a_thing_named_in_the_report_says_where(browser, server):
    title, summary = summary_of(browser, server, "/id/programme/BRA/integration-action-programme")
    assert title == "Integration Action Programme"
    assert texts(summary["What it is"]) == ["Member State: Brazil", "Also called IAP"]
    named = texts(summary["Where the report names it"])
    # Table 2, Brazil: named in the first three contributions, twice in the result, and in
    # the fourth contribution after the page break
    assert named[0] == "In ILO contribution in Brazil (1): “Integration Action Programme”"
    assert len(named) == 6
    # "...initiated by the Ministry of Labour, with ILO support, in 2008": what is said of
    # it, apart from where it is named
    said = texts(summary["What the report says of it"])
    assert said[:3] == [
        "In ILO contribution in Brazil (1): “Integration Action Programme: Ministry of Labour "
        "(initiator)”",
        "In ILO contribution in Brazil (1): “Integration Action Programme: ILO (supporter)”",
        "In ILO contribution in Brazil (1): “Integration Action Programme: 2008”"]
    title, summary = summary_of(browser, server, "/id/place/JOR/amman")
    # Table 3: "…presented at a tripartite conference in Amman, Jordan"
    assert texts(summary["What it is"]) == ["Member State: Jordan"]
    [(named, evidence)] = summary["Where the report names it"]
    assert named == "In Policy dialogue and advocacy output 2 (outcome 15): “Amman”"
    assert marked_words(browser, server, evidence) == ["Amman"]


def test_a_member_states_data_cube_observations_are_named_as_a_reader_reads(browser, server):
    context, page, _ = open_page(browser, server.url)
    try:
        page.goto(server.url + "/id/country/NPL")
        referred = page.inner_text("#incoming")
        # Table 1, row 15.1: Nepal under Data collection and analysis
        assert "Table 1 data: Nepal listed under Data collection and analysis, indicator 15.1" \
            in referred
        assert "cube:" not in referred and "table-1" not in referred
    finally:
        context.close()


@pytest.mark.parametrize("path", EVERY_KIND)
def test_every_kind_of_page_reads_plainly(browser, server, path):
    context, page, recorder = open_page(browser, server.url)
    try:
        response = page.goto(server.url + path)
        assert response.status == 200
        main = page.inner_text("main")
        assert "@en" not in main and "^^" not in main, path
        names = page.eval_on_selector_all(
            "main h1, main h2, main a, main .literal, main .iri",
            "nodes => nodes.map(n => n.innerText.trim())")
        assert not [n for n in names if CURIE.match(n)], path
        # a title is a name, not the IRI's keys ("cube: table-1 · 15.1 · NPL") or an IRI
        title = page.inner_text("h1")
        assert title and "·" not in title and "://" not in title, f"{path}: {title}"
        for quote in page.eval_on_selector_all("pre.excerpt, blockquote.quote",
                                               "nodes => nodes.map(n => n.innerText)"):
            assert "<" not in quote and "**" not in quote, path
        assert recorder.errors == []
    finally:
        context.close()


@pytest.mark.parametrize("path", READ_FROM_THE_REPORT)
def test_things_read_from_the_report_open_with_a_summary_and_its_evidence(browser, server,
                                                                         path):
    _, summary = summary_of(browser, server, path)
    assert summary, f"{path} has no summary"
    statements = [s for section in summary.values() for s in section]
    assert any(evidence for _, evidence in statements), path
    assert all(text for text, _ in statements), path
