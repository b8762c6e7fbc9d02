"""What each saved query must answer, read by hand from the report section
(data/source/000_2635207760a74e4f.txt) — the queries are the graph's competency
questions. Each entry: the parameters to pass and a check of the rows (plain dicts of
variable → lexical value), shared by the CLI test and the three-store test."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ID = "https://w3id.org/flgraph/id/"
SEED = Path(__file__).resolve().parents[1] / "data" / "source" / "000_2635207760a74e4f.txt"
SEED_SHA256 = hashlib.sha256(SEED.read_bytes()).hexdigest()
Rows = list[dict[str, str]]


@dataclass(frozen=True)
class Expectation:
    params: dict[str, str]
    check: Callable[[Rows], None]


def pairs(rows: Rows, *keys: str) -> set[tuple[str, ...]]:
    return {tuple(r.get(k) for k in keys) for r in rows}


# Table 1 of the report, column by column.
TABLE_1 = {
    "Policies and strategies": {"Ethiopia", "Jordan", "India", "Nepal", "Peru", "Brazil"},
    "Programmes": {"Ethiopia", "Nigeria", "Zambia", "Nepal", "Peru", "Brazil"},
    "Regulatory/Legal framework": {"Jordan", "India"},
    "Institutional capacity": {"Nigeria", "Jordan", "Nepal"},
    "Data collection and analysis": {"Zambia", "India", "Nepal"},
}


def check_countries_by_typology(rows: Rows) -> None:
    got: dict[str, set[str]] = {}
    for r in rows:
        got.setdefault(r["typologyLabel"], set()).add(r["countryName"])
    expected = dict(TABLE_1)
    # Capacity development spans its two sub-columns
    expected["Capacity development"] = (TABLE_1["Institutional capacity"]
                                        | TABLE_1["Data collection and analysis"])
    assert got == expected
    nepal = [r["listedUnder"] for r in rows
             if r["typologyLabel"] == "Capacity development" and r["countryName"] == "Nepal"]
    assert sorted(nepal) == ["Data collection and analysis", "Institutional capacity"]
    assert all(r["evidence"].startswith(ID + "evidence/") for r in rows)


def check_countries_by_typology_filtered(rows: Rows) -> None:
    assert {r["countryName"] for r in rows} == {"Zambia", "India", "Nepal", "Nigeria", "Jordan"}
    assert {r["typologyLabel"] for r in rows} == {"Capacity development"}


def check_table_1(rows: Rows) -> None:
    got: dict[str, list[str]] = {}
    for r in rows:
        got.setdefault(r["typologyLabel"], []).append(r["countryName"])
    assert {k: set(v) for k, v in got.items()} == TABLE_1
    # the report's column order, and each cell's member States in its listing order
    assert got == {
        "Policies and strategies": ["Ethiopia", "Jordan", "India", "Nepal", "Peru", "Brazil"],
        "Programmes": ["Ethiopia", "Nigeria", "Zambia", "Nepal", "Peru", "Brazil"],
        "Regulatory/Legal framework": ["Jordan", "India"],
        "Institutional capacity": ["Nigeria", "Jordan", "Nepal"],
        "Data collection and analysis": ["Zambia", "India", "Nepal"],
    }
    assert list(got) == list(TABLE_1)
    assert {r["indicatorCode"] for r in rows} == {"15.1"}
    assert {r["target"] for r in rows} == {
        "8 member states, of which 1 in Africa, 2 in the Americas, 1 in Arab States, 2 in "
        "Asia, 2 in Europe"}
    assert all(r["reportedResult"].startswith("8 member States") for r in rows)
    assert {r["typologyLabel"]: int(r["countryCount"]) for r in rows} == {
        k: len(v) for k, v in TABLE_1.items()}


def check_target_vs_result(rows: Rows) -> None:
    got = {r["regionLabel"]: (r.get("target"), r.get("reported"), r["listed"]) for r in rows}
    assert got == {
        "Africa": ("1", "3", "3"),
        "Americas": ("2", "2", "2"),
        "Arab States": ("1", "1", "1"),
        "Asia and the Pacific": ("2", "2", "2"),
        # the result's breakdown does not mention Europe: unstated, not zero
        "Europe and Central Asia": ("2", None, "0"),
    }


def check_arithmetic(rows: Rows) -> None:
    [row] = rows
    assert row["indicatorCode"] == "15.1"
    assert [int(row[k]) for k in ("targetTotal", "targetBreakdownSum", "reportedTotal",
                                  "reportedBreakdownSum", "listedCountries")] == [8] * 5
    assert [row[k] for k in ("totalMatchesListed", "resultBreakdownAddsUp",
                             "targetBreakdownAddsUp")] == ["true"] * 3


def check_country_profile(rows: Rows) -> None:
    aspects = Counter(r["aspect"] for r in rows)
    assert aspects == Counter({"ILO contribution": 2, "country result": 1,
                               "result typology (indicator 15.1)": 2, "organisation": 3,
                               "gender-specific": 1, "ILO region": 1, "ISO 3166-1 alpha-3": 1,
                               "UN M49": 1})
    labels = {r["aspect"]: set() for r in rows}
    for r in rows:
        labels[r["aspect"]].add(r.get("valueLabel"))
    assert labels["result typology (indicator 15.1)"] == {"Programmes",
                                                          "Data collection and analysis"}
    assert labels["organisation"] == {"Central Statistical Office",
                                      "Ministry of Labour and Social Security",
                                      "Government of Zambia"}
    assert labels["ILO region"] == {"Africa"} and labels["UN M49"] == {"894"}
    assert any("November/December 2012" in v for v in labels["country result"])
    # grouped as a reader asks, each group in the report's order: Table 1's columns
    # (Programmes before Data collection and analysis), the results chain (the
    # contributions as numbered, the result, the gender mark), organisations, then the
    # reference data
    assert [(r["aspect"], r.get("valueLabel", "")[:20]) for r in rows] == [
        ("result typology (indicator 15.1)", "Programmes"),
        ("result typology (indicator 15.1)", "Data collection and "),
        ("ILO contribution", "The ILO held a works"),
        ("ILO contribution", "ILO provided technic"),
        ("country result", "The Government of Za"),
        ("gender-specific", "yes"),
        ("organisation", "Central Statistical "),
        ("organisation", "Government of Zambia"),
        ("organisation", "Ministry of Labour a"),
        ("ILO region", "Africa"), ("ISO 3166-1 alpha-3", "ZMB"), ("UN M49", "894")]


def check_results_chain(rows: Rows) -> None:
    # Table 2 in the report's order: Zambia (2 contributions), India (3), Brazil (4, the
    # fourth on the line continued after the page break), each followed by its result
    assert [(r["countryName"], r["part"], int(r["ordinal"])) for r in rows] == [
        ("Zambia", "ILO contribution", 1), ("Zambia", "ILO contribution", 2),
        ("Zambia", "Country result", 1),
        ("India", "ILO contribution", 1), ("India", "ILO contribution", 2),
        ("India", "ILO contribution", 3), ("India", "Country result", 1),
        ("Brazil", "ILO contribution", 1), ("Brazil", "ILO contribution", 2),
        ("Brazil", "ILO contribution", 3), ("Brazil", "ILO contribution", 4),
        ("Brazil", "Country result", 1)]
    brazil = [r["text"] for r in rows if r["countryName"] == "Brazil"]
    assert brazil[2] == ("In the planning, the ILO helped the IAP to establish goals, outcomes "
                         "and indicators.")
    # the result read whole: its first part on line 17, its end after the page break
    assert brazil[4].startswith("The Integration Action Programme (IAP) which benefits")
    assert brazil[4].endswith("in the pilot phase conducted in the state of Mato Grosso.")
    assert all(r["genderSpecific"] == "true" for r in rows)


def check_results_chain_zambia(rows: Rows) -> None:
    assert [r["text"][:38] for r in rows] == [
        "The ILO held a workshop with the Centr", "ILO provided technical inputs to the s",
        "The Government of Zambia implemented i"]


def check_gender(rows: Rows) -> None:
    assert pairs(rows, "countryName", "mark") == {("Zambia", "gender-specific"),
                                                  ("India", "gender-specific"),
                                                  ("Brazil", "gender-specific")}


def check_outputs(rows: Rows) -> None:
    got = [(r["typologyLabel"], int(r["ordinal"]), r.get("scopeLabel")) for r in rows]
    assert sorted(got) == sorted([
        ("Knowledge generation and dissemination", 1, None),
        ("Policy advice and technical services", 1, None),
        ("Capacity building", 1, None),
        ("Capacity building", 2, "Nigeria"),
        ("Policy dialogue and advocacy", 1, None),
        ("Policy dialogue and advocacy", 2, "Arab States"),
    ])


def check_outputs_filtered(rows: Rows) -> None:
    assert [r["text"][:30] for r in rows] == ["E-learning tool on how to dete",
                                              "A training manual for law enfo"]


def check_quantities(rows: Rows) -> None:
    got = Counter((r.get("qualifier"), int(r["value"]), r["unit"]) for r in rows)
    assert got == Counter([
        ("more than", 20, "workshops"), ("over", 200, "tripartite constituents"),  # India
        (None, 6, "States Governments"), (None, 2, "new MoUs"),
        (None, 2, "major migration corridors"),
        ("more than", 400, "victims"),                                             # Brazil
        ("over", 30, "member States"),                                             # Table 3
        (None, 5, "languages"), ("more than", 59, "participants"), (None, 25, "countries"),
        (None, 40, "law enforcement agents"),
        (None, 2, "years"),                                                        # lesson 4
    ])
    # "over the past two years" (lesson 4) measures time; every other one counts things
    kinds = {(r["unit"], r.get("kindLabel")) for r in rows}
    assert ("years", "duration") in kinds and ("workshops", "count") in kinds
    assert {r.get("kindLabel") for r in rows if r["unit"] != "years"} == {"count"}
    phrases = {r["phrase"] for r in rows}
    assert "More than 400 victims" in phrases  # as written, capital M kept


def check_organisations(rows: Rows) -> None:
    named = pairs([r for r in rows if not r["organisation"].endswith("/ilo")],
                  "name", "acronym", "countryName", "roleLabel")
    assert named == {
        ("Central Statistical Office", "CSO", "Zambia", "partner of an ILO contribution"),
        ("Ministry of Labour and Social Security", "MLSS", "Zambia",
         "partner of an ILO contribution"),
        ("Government of Zambia", None, "Zambia", "actor of a country result"),
        ("Government of India", None, "India", "actor of a country result"),
        ("Ministry of Labour and Employment", "MoLE", "India", "actor of a country result"),
        # "New institutional structures, including a Central Cell … were established"
        ("Central Cell on Migrant Workers", None, "India", "established by a statement"),
        ("Ministry of Labour", None, "Brazil", "partner of an ILO contribution"),
        ("Pastoral Mission for Migrants of the Catholic Church", None, "Brazil",
         "actor of a country result"),
        # named inside the Pastoral Mission's name: "… of the Catholic Church" (no country)
        ("Catholic Church", None, None, "actor of a country result"),
    }
    ilo = [r for r in rows if r["organisation"].endswith("/ilo")]
    # 9 contributions (Table 2) and 6 outputs (Table 3), all the Office's
    assert len(ilo) == 15 and {r["roleLabel"] for r in ilo} == {"provider of outputs"}


def check_publications(rows: Rows) -> None:
    assert len(rows) == 4  # each named once, in Table 3
    assert pairs(rows, "title", "kind", "year", "publisher") == {
        ("ILO Global Estimate of Forced Labour", "estimate", None,
         "International Labour Organization"),
        ("Training Manual on Human Trafficking for Law Enforcement Agents 'Victim Focused'",
         "manual", None, None),
        ("Caught at Sea: Forced labour and trafficking in fisheries", "report", "2013",
         "International Labour Organization"),
        ("Tricked and Trapped Study", "study", None, None),
    }


def check_timeline(rows: Rows) -> None:
    got = [(r["phrase"], r["begins"], r["ends"]) for r in rows]
    assert sorted(got) == sorted([
        ("November/December 2012", "2012-11", "2012-12"),   # Zambia's survey
        ("Between 2012 and 2013", "2012", "2013"),          # India's workshops
        ("2008", "2008", "2008"),                           # IAP initiated
        ("2013", "2013", "2013"),                           # planning for the year 2013
        ("2013 - 2016", "2013", "2016"),                    # longer term plan
        ("Nov. 2012", "2012-11", "2012-11"),                # publication launched
        ("2013", "2013", "2013"),                           # Caught at Sea produced
    ])
    assert rows[0]["begins"] == "2008"  # chronological


def check_lessons(rows: Rows) -> None:
    assert [int(r["ordinal"]) for r in rows] == [1, 2, 3, 4]
    assert rows[1]["text"].startswith("While there are no shortage of reports and statistics")
    assert rows[3]["text"].endswith("while promoting cooperation amongst the different "
                                    "stakeholders.")


def check_evidence(rows: Rows) -> None:
    got = {(r["quote"], r["table"], r["row"], r["column"], int(r["line"])) for r in rows}
    assert got == {
        ("Zambia", "Table 1", "15.1", "Results / Programmes", 10),
        ("Zambia", "Table 1", "15.1",
         "Results / Capacity development / Data collection and analysis", 10),
    }
    assert {r["sha256"] for r in rows} == {SEED_SHA256}


def check_external(rows: Rows) -> None:
    got = {(r["iso3"], r["m49"], r["regionLabel"], r["wikidata"].rsplit("/", 1)[-1])
           for r in rows}
    assert got == {
        ("ETH", "231", "Africa", "Q115"), ("NGA", "566", "Africa", "Q1033"),
        ("ZMB", "894", "Africa", "Q953"), ("PER", "604", "Americas", "Q419"),
        ("BRA", "076", "Americas", "Q155"), ("JOR", "400", "Arab States", "Q810"),
        ("IND", "356", "Asia and the Pacific", "Q668"),
        ("NPL", "524", "Asia and the Pacific", "Q837"),
    }
    assert all(r["euAuthority"].endswith("/country/" + r["iso3"]) for r in rows)


def check_by_instrument(rows: Rows) -> None:
    # Table 3, Policy dialogue and advocacy, first output: "… at ILO's Global Dialogue Forum
    # for the Promotion of the Work in Fishing Convention, 2007 (No. 188)"; no other
    # statement of the section names a convention
    assert pairs(rows, "notation", "written", "statement") == {
        ("C188", "Work in Fishing Convention, 2007 (No. 188)",
         ID + "output/15/policy-dialogue-and-advocacy/1")}
    assert rows[0]["normlex"].endswith("P12100_ILO_CODE:C188")


def check_places(rows: Rows) -> None:
    got = Counter((r["placeLabel"], r.get("code"), r["placeType"], r["countryName"])
                  for r in rows)
    assert got == Counter([
        # Brazil's result: "in Mato Grosso is being replicated in Rio de Janeiro and Bahia" …
        # "the pilot phase conducted in the state of Mato Grosso"
        ("Bahia", "BR-BA", "State", "Brazil"),
        ("Mato Grosso", "BR-MT", "State", "Brazil"), ("Mato Grosso", "BR-MT", "State", "Brazil"),
        ("Rio de Janeiro", "BR-RJ", "State", "Brazil"),
        # Table 3: "presented at a tripartite conference in Amman, Jordan" (a city: no code)
        ("Amman", None, "city", "Jordan"),
    ])


def check_programmes(rows: Rows) -> None:
    got = {(r["name"], r["kind"], r.get("acronym"), r.get("countryName")) for r in rows}
    assert got == {
        ("Integration Action Programme", "programme", "IAP", "Brazil"),
        ("Movement Integrated Action", "strategy", None, "Brazil"),
        ("National Labour Force Survey", "survey", None, "Zambia"),
        ("Key Indicators of Labour Market", "dataset", "KILM", "Zambia"),
        ("E-learning tool", "tool", None, None),
        ("Global Dialogue Forum for the Promotion of the Work in Fishing Convention, 2007 "
         "(No. 188)", "event", None, None),
        # "a tripartite conference in Amman, Jordan": the venue's country
        ("tripartite conference", "event", None, "Jordan"),
        # India: "Memorandums of Understanding (MoU)", "two new MoUs", "sign the MoUs"
        ("Memorandums of Understanding", "agreement", "MoU", "India"),
        # described, not named: "held a workshop" (Zambia), "facilitated more than 20
        # workshops", "Organized convening sessions" (India)
        ("workshop", "event", None, "Zambia"), ("workshops", "event", None, "India"),
        ("convening sessions", "event", None, "India"),
    }
    # the IAP: named in Brazil's four contributions and twice in its result ("The
    # Integration Action Programme (IAP) which …", "The IAP is based on …")
    iap = Counter(r["statement"].rsplit("/", 2)[-2] for r in rows if r.get("acronym") == "IAP")
    assert iap == Counter({"contribution": 4, "result": 2})


ILO = "International Labour Organization"
DESCRIBED = ("publication which aimed to provide other states or municipalities in Brazil with "
             "the methodology and steps needed to replicate the program")


def check_when_and_by_whom(rows: Rows) -> None:
    got = Counter((r["name"], r["part"], r.get("when"), r.get("whoName"),
                   r["statement"].rsplit("/id/", 1)[-1]) for r in rows)
    iap, bra = "Integration Action Programme", "chain/15/BRA/"
    partnership = ["labour inspectorates", "labour prosecutors office",
                   "regional office of the ministry of labour", "business",
                   "vocational training schools",
                   "Pastoral Mission for Migrants of the Catholic Church", "civil society partners"]
    assert got == Counter([
        # Zambia: "The ILO held a workshop with the Central Statistical Office (CSO) in
        # conjunction with the Ministry of Labour and Social Security (MLSS)"
        ("workshop", "organiser", None, ILO, "chain/15/ZMB/contribution/1"),
        ("workshop", "participant", None, "Central Statistical Office",
         "chain/15/ZMB/contribution/1"),
        ("workshop", "participant", None, "Ministry of Labour and Social Security",
         "chain/15/ZMB/contribution/1"),
        # "The Government of Zambia implemented its first National Labour Force Survey in
        # November/December 2012"
        ("National Labour Force Survey", "implementer", None, "Government of Zambia",
         "chain/15/ZMB/result/1"),
        ("National Labour Force Survey", "date", "November/December 2012", None,
         "chain/15/ZMB/result/1"),
        # India: "Between 2012 and 2013 the ILO facilitated more than 20 workshops with over
        # 200 tripartite constituents"; "Organized convening sessions"
        ("workshops", "date", "Between 2012 and 2013", None, "chain/15/IND/contribution/1"),
        ("workshops", "organiser", None, ILO, "chain/15/IND/contribution/1"),
        ("workshops", "participant", None, "tripartite constituents",
         "chain/15/IND/contribution/1"),
        ("convening sessions", "organiser", None, ILO, "chain/15/IND/contribution/3"),
        # "the Ministry of Labour and Employment (MoLE) and 6 States Governments signed two
        # new MoUs"
        ("Memorandums of Understanding", "signatory", None, "Ministry of Labour and Employment",
         "chain/15/IND/result/1"),
        ("Memorandums of Understanding", "signatory", None, "States Governments",
         "chain/15/IND/result/1"),
        # Brazil: "The Integration Action Programme (IAP) project was initiated by the Ministry
        # of Labour, with ILO support, in 2008."
        (iap, "initiator", None, "Ministry of Labour", bra + "contribution/1"),
        (iap, "supporter", None, ILO, bra + "contribution/1"),
        (iap, "launched", "2008", None, bra + "contribution/1"),
        # "The ILO technically supported … the strategic planning of the IAP for the year
        # 2013, and also for their longer term plan (2013 - 2016)"
        (iap, "supporter", None, ILO, bra + "contribution/2"),
        (iap, "date", "2013", None, bra + "contribution/2"),
        (iap, "date", "2013 - 2016", None, bra + "contribution/2"),
        (iap, "supporter", None, ILO, bra + "contribution/3"),  # "the ILO helped the IAP"
        # "ILO technically supported the systematization of the IAP in Mato Grosso by
        # revising and commenting on a publication which … The launching of this publication
        # (Nov. 2012) also represented the launch of the "Movement Integrated Action""
        (iap, "supporter", None, ILO, bra + "contribution/4"),
        (DESCRIBED, "reviewer", None, ILO, bra + "contribution/4"),
        (DESCRIBED, "launched", "Nov. 2012", None, bra + "contribution/4"),
        ("Movement Integrated Action", "launched", "Nov. 2012", None, bra + "contribution/4"),
        # "The IAP which benefits victims of forced labour …", "The IAP is based on a unique
        # partnership between the labour inspectorates, …"
        (iap, "beneficiary", None, "victims of forced labour", bra + "result/1"),
        *[(iap, "partner", None, partner, bra + "result/1") for partner in partnership],
        # Table 3, outputs of the Office: "E-learning tool … developed", "A training manual …
        # was produced and disseminated to 40 law enforcement agents", "ILO report entitled
        # "Caught at Sea: …" produced in 2013 and presented … at ILO's Global Dialogue
        # Forum …", '"Tricked and Trapped Study" … published'
        ("E-learning tool", "developer", None, ILO, "output/15/capacity-building/1"),
        ("Training Manual on Human Trafficking for Law Enforcement Agents 'Victim Focused'",
         "developer", None, ILO, "output/15/capacity-building/2"),
        ("Training Manual on Human Trafficking for Law Enforcement Agents 'Victim Focused'",
         "beneficiary", None, "law enforcement agents", "output/15/capacity-building/2"),
        ("Caught at Sea: Forced labour and trafficking in fisheries", "developer", None, ILO,
         "output/15/policy-dialogue-and-advocacy/1"),
        ("Caught at Sea: Forced labour and trafficking in fisheries", "date", "2013", None,
         "output/15/policy-dialogue-and-advocacy/1"),
        ("Global Dialogue Forum for the Promotion of the Work in Fishing Convention, 2007 "
         "(No. 188)", "organiser", None, ILO, "output/15/policy-dialogue-and-advocacy/1"),
        ("Tricked and Trapped Study", "publisher", None, ILO,
         "output/15/policy-dialogue-and-advocacy/2"),
    ])
    # every date at the precision the report gives: "November/December 2012" is two months
    survey = next(r for r in rows if r.get("when") == "November/December 2012")
    assert (survey["begins"], survey["ends"]) == ("2012-11", "2012-12")
    assert all(r["evidence"].startswith(ID + "evidence/") for r in rows)


EXPECTED: dict[str, list[Expectation]] = {
    "countries-by-result-typology": [
        Expectation({}, check_countries_by_typology),
        Expectation({"typology": "result-typology/capacity-development"},
                    check_countries_by_typology_filtered)],
    "table-1": [Expectation({}, check_table_1)],
    "target-vs-result-by-region": [Expectation({}, check_target_vs_result)],
    "arithmetic-check": [Expectation({}, check_arithmetic)],
    "country-profile": [Expectation({"country": "country/ZMB"}, check_country_profile)],
    "results-chain": [Expectation({}, check_results_chain),
                      Expectation({"country": "country/ZMB"}, check_results_chain_zambia)],
    "gender-specific-results": [Expectation({}, check_gender)],
    "outputs-by-typology": [
        Expectation({}, check_outputs),
        Expectation({"typology": "output-typology/capacity-building"}, check_outputs_filtered)],
    "quantities": [Expectation({}, check_quantities)],
    "organisations": [Expectation({}, check_organisations)],
    "publications": [Expectation({}, check_publications)],
    "timeline": [Expectation({}, check_timeline)],
    "lessons-learned": [Expectation({}, check_lessons)],
    "evidence": [Expectation({"resource": "result/15.1/ZMB"}, check_evidence)],
    "external-identifiers": [Expectation({}, check_external)],
    "outputs-and-results-by-instrument": [Expectation({}, check_by_instrument)],
    "places-below-country-level": [Expectation({}, check_places)],
    "programmes-and-surveys": [Expectation({}, check_programmes)],
    "when-and-by-whom": [Expectation({}, check_when_and_by_whom)],
}
