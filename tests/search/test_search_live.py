"""Searches a reader would type, against ``flgraph serve`` on each store (in memory, on
disk, Virtuoso), with the things expected read from the report by hand
(data/source/000_2635207760a74e4f.txt; the line of the report is quoted beside each).
"""

from __future__ import annotations

import pytest

from .searching import ID, found, search_json

SEARCHES = [
    # single word: Table 2, India, 1st ILO contribution: "...the root causes of bonded
    # labour..." (India's result says "bondage", another word)
    ("bonded", ["chain/15/IND/contribution/1"]),
    # stem: "surveys" finds "survey" — Zambia's two contributions ("national surveys on
    # forced labour", "the survey questionnaire"), Zambia's result ("Labour Force
    # Survey"), Table 3's policy advice output ("forced labour surveys") and the third
    # lesson ("to carry out national surveys")
    ("surveys", {"chain/15/ZMB/contribution/1", "chain/15/ZMB/contribution/2",
                 "chain/15/ZMB/result/1", "output/15/policy-advice-and-technical-services/1",
                 "lesson/15/3"}),
    # stem: "trafficked" finds "trafficking" — Table 3: "Caught at Sea: Forced labour and
    # trafficking in fisheries" (the report and its output), the Training Manual on Human
    # Trafficking (the publication and Nigeria's output), the Tricked and Trapped Study
    # "on Human Trafficking" (its output; the study's title lacks the word)
    ("trafficked", {"publication/caught-at-sea-forced-labour-and-trafficking-in-fisheries",
                    "publication/training-manual-on-human-trafficking-for-law-enforcement-"
                    "agents-victim-focused",
                    "output/15/policy-dialogue-and-advocacy/1",
                    "output/15/policy-dialogue-and-advocacy/2",
                    "output/15/capacity-building/2"}),
    # prefix: the same five
    ("traffick*", {"publication/caught-at-sea-forced-labour-and-trafficking-in-fisheries",
                   "publication/training-manual-on-human-trafficking-for-law-enforcement-"
                   "agents-victim-focused",
                   "output/15/policy-dialogue-and-advocacy/1",
                   "output/15/policy-dialogue-and-advocacy/2",
                   "output/15/capacity-building/2"}),
    # phrase: only Table 3's "how to conduct forced labour surveys" has the words in this
    # order (Zambia's "national surveys on forced labour" does not)
    ('"forced labour survey"', ["output/15/policy-advice-and-technical-services/1"]),
    # two words: Brazil's result ("pilot phase ... in the state of Mato Grosso") and the
    # ILO's 4th contribution there ("systematization of the IAP in Mato Grosso")
    ("Mato Grosso", {"chain/15/BRA/result/1", "chain/15/BRA/contribution/4"}),
    # hyphenated: Table 3, capacity building: "E-learning tool on how to detect..."
    ("e-learning", ["output/15/capacity-building/1"]),
    # accents: the reference table's Côte d'Ivoire, typed without them
    ("Cote d'Ivoire", ["country/CIV"]),
    ("Sao Tome", ["country/STP"]),  # São Tomé and Príncipe
    # a country's alternative name (data/reference/countries.csv: aliases of CIV)
    ("Ivory Coast", ["country/CIV"]),
    # acronyms, the organisation first (its name), then where the report uses it:
    # Table 2, India's result: "the Ministry of Labour and Employment (MoLE)"
    ("MoLE", ["organisation/IND/ministry-of-labour-and-employment", "chain/15/IND/result/1"]),
    # Zambia, 1st contribution: "a workshop with the Central Statistical Office (CSO)"
    ("CSO", ["organisation/ZMB/central-statistical-office", "chain/15/ZMB/contribution/1"]),
    # OR: the India contribution and the two "fisheries" things
    ("bonded OR fisheries", {"chain/15/IND/contribution/1",
                             "publication/caught-at-sea-forced-labour-and-trafficking-in-"
                             "fisheries",
                             "output/15/policy-dialogue-and-advocacy/1"}),
    # NOT: the trafficking things but Caught at Sea's two
    ("trafficking NOT fisheries",
     {"publication/training-manual-on-human-trafficking-for-law-enforcement-agents-victim-"
      "focused",
      "output/15/policy-dialogue-and-advocacy/2", "output/15/capacity-building/2"}),
]


@pytest.mark.parametrize(("text", "expected"), SEARCHES, ids=[s[0] for s in SEARCHES])
def test_search_finds_what_the_report_says(any_server, text, expected):
    answer = search_json(any_server, {"q": text})
    if isinstance(expected, list):  # relevance decides the order
        assert found(answer) == expected
    else:
        assert set(found(answer)) == expected
    assert answer["total"] == len(expected)


def test_names_and_titles_rank_above_body_text(any_server):
    # "fisheries" is in the title of the report "Caught at Sea: Forced labour and
    # trafficking in fisheries" and in the body of the output that presents it (Table 3)
    assert found(search_json(any_server, {"q": "fisheries"})) == [
        "publication/caught-at-sea-forced-labour-and-trafficking-in-fisheries",
        "output/15/policy-dialogue-and-advocacy/1"]
    # "ILO" is the International Labour Organization's acronym, and in many texts
    assert found(search_json(any_server, {"q": "ILO"}))[0] == "organisation/ilo"


def test_a_section_facet_narrows_and_counts(any_server):
    # "survey" is in Zambia's two contributions and result (Table 2, the results chain),
    # the policy advice output (Table 3) and the third lesson
    answer = search_json(any_server, {"q": "survey"})
    sections = {c["label"]: c["count"] for c in answer["facets"]["section"]}
    assert sections == {"Table 2": 3, "Table 3": 1, "Lessons learned": 1}
    narrowed = search_json(any_server, {"q": "survey", "section": "Table 2"})
    assert set(found(narrowed)) == {"chain/15/ZMB/contribution/1",
                                    "chain/15/ZMB/contribution/2", "chain/15/ZMB/result/1"}
    assert [c["label"] for c in narrowed["facets"]["country"]] == ["Zambia"]


def test_a_country_facet(any_server):
    # Table 2's Brazil rows: the result ("benefits victims of forced labour in Brazil")
    # and the contributions; of these only the result and the 4th contribution say
    # "Mato Grosso"; "labour" is in the result and in contribution 1 ("Ministry of
    # Labour"), and in the name of the Ministry of Labour of Brazil
    answer = search_json(any_server, {"q": "labour", "country": ID + "country/BRA"})
    assert set(found(answer)) == {"chain/15/BRA/result/1", "chain/15/BRA/contribution/1",
                                  "organisation/BRA/ministry-of-labour"}
    regions = {c["label"]: c["count"] for c in answer["facets"]["region"]}
    assert regions == {"Americas": 3}


def test_a_hit_shows_kind_country_snippet_and_evidence(any_server):
    hit = search_json(any_server, {"q": "bonded"})["hits"][0]
    assert hit["kind"] == "ILO contribution"
    assert [c["label"] for c in hit["country"]] == ["India"]
    assert [p["text"] for p in hit["snippet"] if p["match"]] == ["bonded"]
    assert "root causes of " in "".join(p["text"] for p in hit["snippet"])
    # the evidence of India's first contribution is its bullet in Table 2
    evidence = any_server.get(hit["evidenceHref"], headers={"Accept": "text/html"})
    assert evidence.status_code == 200 and "bonded labour" in evidence.text
    page = any_server.get(hit["href"], headers={"Accept": "text/html"})
    assert page.status_code == 200 and "India" in page.text
