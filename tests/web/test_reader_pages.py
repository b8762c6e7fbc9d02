"""Resource pages read as the report does: a summary in its words first, property names
from the ontology's labels, plain values, evidence as text, titles that say what a page
is about. Expected values are read from the report (data/source/000_2635207760a74e4f.txt).
"""

from __future__ import annotations

import html
import re

import pytest

#: One page of each kind a reader reaches from the report's facts.
PAGE_KINDS = {
    "member State": "/id/country/NPL",
    "indicator": "/id/indicator/15.1",
    "outcome": "/id/outcome/15",
    "results-chain example": "/id/chain/15/BRA",
    "output": "/id/output/15/capacity-building/1",
    "organisation": "/id/organisation/ilo",
    "publication": "/id/publication/caught-at-sea-forced-labour-and-trafficking-in-fisheries",
    "lesson": "/id/lesson/15/1",
    "evidence": "/id/evidence/000_2635207760a74e4f/1111-1143",
    "involvement": "/id/involvement/000_2635207760a74e4f/1111",
}
#: A prefixed name shown as if it were a name (``id:country/NPL``, ``flg:iloRegion``).
CURIE = re.compile(r"^(id|flg|skos|rdf|rdfs|prov|oa|dcterms|org|xsd|qb|schema|time):\S+$")


def page_of(site, path: str) -> str:
    response = site.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, path
    return response.text


def shown_texts(page: str) -> list[str]:
    """What a reader reads as names and values: link texts, values, headings."""
    main = page[page.index("<main"):page.index("</main>")]
    found = re.findall(r"<a [^>]*>([^<]*)</a>|<span class=\"(?:literal|iri)\"[^>]*>([^<]*)</span>"
                       r"|<h[12][^>]*>([^<]*)</h[12]>", main)
    return [html.unescape("".join(parts)).strip() for parts in found]


@pytest.mark.parametrize("kind", sorted(PAGE_KINDS))
def test_pages_read_plainly(site, kind):
    page = page_of(site, PAGE_KINDS[kind])
    texts = shown_texts(page)
    assert texts, kind
    assert not [t for t in texts if CURIE.match(t)], kind
    main = page[page.index("<main"):page.index('<script type="application/ld+json">')]
    assert "@en" not in main and "^^xsd:" not in main
    for excerpt in re.findall(r'<pre class="excerpt">(.*?)</pre>', main, re.S):
        assert "&lt;" not in excerpt and "<li" not in excerpt and "<b>" not in excerpt
        assert "**" not in excerpt


def test_titles_are_distinct_and_say_what_a_page_is_about(site):
    titles = {kind: re.search(r"<h1>(.*?)</h1>", page_of(site, path)).group(1)
              for kind, path in PAGE_KINDS.items()}
    assert len(set(titles.values())) == len(titles), titles
    # Table 2, Zambia: "…a workshop with the Central Statistical Office (CSO)…"
    assert titles["evidence"] == "Evidence for Central Statistical Office"
    assert titles["involvement"] == "Central Statistical Office (involvement)"
    organisation = page_of(site, "/id/organisation/ZMB/central-statistical-office")
    assert "<h1>Central Statistical Office</h1>" in organisation


def test_a_member_states_page_opens_with_what_the_report_says(site):
    page = page_of(site, "/id/country/BRA")
    summary = page[page.index('<section id="summary">'):page.index("</section>")]
    headings = re.findall(r"<h2>([^<]*)</h2>", summary)
    assert headings == ["Its results in Table 1, by typology (indicator 15.1)",
                        "What the ILO contributed", "What the country did", "Gender",
                        "Organisations named", "ILO region"]
    items = [html.unescape(re.sub(r"<[^>]+>", "", li)).strip()
             for li in re.findall(r"<li>(.*?)</li>", summary, re.S)]
    # Table 1, row 15.1: Brazil under Policies and strategies, then Programmes
    assert items[0].startswith("Policies and strategies") and items[1].startswith("Programmes")
    # Table 2, Brazil: four contributions in order (the fourth after the page break),
    # then the country's result, then the gender mark (√)
    assert items[2].startswith("The Integration Action Programme (IAP) project was initiated")
    assert items[5].startswith("ILO technically supported the systematization of the IAP")
    assert items[6].startswith("The Integration Action Programme (IAP) which benefits")
    assert "More than 400 victims were referred to in the pilot phase" in items[6]
    assert items[7].startswith("Gender-specific")
    assert items[-1] == "Americas"  # Brazil's ILO region
    # each statement from the report carries its evidence
    assert summary.count('class="evidence-link"') == len(items) - 1
    assert 'href="/queries/country-profile?country=BRA"' in summary


def test_property_names_come_from_the_ontology(site):
    page = page_of(site, "/id/country/NPL")
    table = page[page.index('<section id="outgoing">'):]
    # flg:iloRegion is labelled "ILO region" in ontology/flgraph.ttl
    assert re.search(r'title="flg:iloRegion · [^"]+">ILO region</a>', table)
    assert ">Preferred label</a>" in table  # skos:prefLabel, as SKOS names it
    assert ">Asia and the Pacific</a>" in table  # the report's "Asia"


def test_a_statement_opens_with_its_own_words(site):
    page = page_of(site, "/id/lesson/15/1")
    words = re.search(r'<p class="words">(.*?)</p>', page, re.S).group(1)
    # the report's first lesson learned of outcome 15
    assert html.unescape(words).startswith("The ILO must expand the existing knowledge")
    assert 'class="evidence-link" href="/id/evidence/' in words


@pytest.mark.parametrize(("kind", "first", "count"), [
    # Table 1 lists Nepal four times (policies, programmes, institutional capacity, data
    # collection); 187 member States in the reference data
    ("country", "Nepal", 187),
    ("indicator", "Indicator 15.1", 1),
    # the ILO and the International Labour Office ("the Office"); Brazil's Ministry of
    # Labour, the Pastoral Mission for Migrants of the Catholic Church and the Church; India's
    # Government, Ministry of Labour and Employment and Central Cell on Migrant Workers;
    # Zambia's Government, Ministry of Labour and Social Security and Central Statistical Office
    ("organisation", None, 11),
    # four with a title in Table 3, and the untitled one Brazil's fourth contribution
    # describes ("a publication which aimed to provide …")
    ("publication", None, 5),
    ("output", None, 6),  # Table 3: six outputs of outcome 15
])
def test_indexes_list_members_with_a_line_each(site, kind, first, count):
    page = page_of(site, f"/id/{kind}/")
    members = re.findall(r'<li><a href="(/id/[^"]+)">([^<]+)</a>(.*?)</li>', page, re.S)
    assert len(members) == count
    assert all(href.startswith(f"/id/{kind}/") for href, _, _ in members)
    if first:
        assert members[0][1] == first
    if kind in ("country", "indicator", "output"):  # a region, a definition, a text
        assert all(line.strip() for _, _, line in members)


def test_member_states_with_results_come_first_in_their_index(site):
    page = page_of(site, "/id/country/")
    names = re.findall(r'<li><a href="/id/country/[A-Z]{3}">([^<]+)</a>', page)
    # Table 1, indicator 15.1: the eight member States with results
    with_results = {"Ethiopia", "Jordan", "India", "Nepal", "Peru", "Brazil", "Nigeria",
                    "Zambia"}
    assert set(names[:8]) == with_results
    assert "ILO region Africa; listed 2 times in Table 1" in page  # Zambia: two columns
    assert site.get("/id/no-such-kind/", headers={"Accept": "text/html"}).status_code == 404


def test_the_overview_leads_to_the_indexes(site):
    page = page_of(site, "/")
    for kind in ("country", "indicator", "organisation", "publication", "output"):
        assert f'href="/id/{kind}/"' in page


def test_target_versus_result_says_over_under_and_not_stated(site):
    page = html.unescape(page_of(site, "/"))
    said = re.search(r'<ul class="said" id="regions-said">(.*?)</ul>', page, re.S).group(1)
    # Table 1, 15.1: target "1 in Africa, 2 in the Americas, 1 in Arab States, 2 in Asia,
    # 2 in Europe"; result "3 in Africa, 2 in the Americas, 1 in the Arab States and 2 in
    # Asia" — Europe is not stated, which is not zero
    assert "Africa: 3 reported against a target of 1, 2 over; 3 listed in Table 1." in said
    assert "Americas: 2 reported, as targeted; 2 listed in Table 1." in said
    assert "Europe and Central Asia: target 2; the result does not state this region" in said
    table = page[page.index('id="regions-table"'):]
    assert re.search(r"Europe and Central Asia</a></th>\s*<td class=\"num\">2</td>\s*"
                     r"<td class=\"num\">not stated</td>\s*<td class=\"num\">0</td>\s*"
                     r"<td class=\"num\">—</td>", table)
    assert "<strong>listed</strong> counts the member States Table 1 names" in page


def test_every_chart_has_its_table_with_the_same_links(site):
    page = page_of(site, "/")
    for chart, table in (("chart-matrix", "matrix-table"), ("chart-regions", "regions-table"),
                         ("chart-map", "map-table")):
        assert re.search(rf'id="{chart}" role="img" aria-labelledby="[^"]+" '
                         r'aria-describedby="[^"]+"', page), chart
        assert f'id="{table}"' in page
    matrix = page[page.index('id="matrix-table"'):page.index('id="regions-title"')]
    # Zambia: Programmes and Data collection and analysis, each to its listing's page
    assert 'href="/id/result/15.1/ZMB/data-collection-and-analysis"' in matrix
    assert 'href="/id/result/15.1/ZMB/programmes"' in matrix
