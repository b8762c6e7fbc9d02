"""Sentences in the report's voice, with what the extractor looks for in them.

Each sentence carries the mentions the real report has and the saved queries read:
qualified counts ("more than 20 workshops"), dates at the report's precisions
("November/December 2012", "Nov. 2012", "2013 - 2016"), organisations with acronyms
("Ministry of Labour and Employment (MoLE)"), publications with titles ('a study
entitled "…"'). Only word lists and a ``random.Random`` are used, so a seed fixes the
text; the extractor, not this module, decides what the text means.
"""

from __future__ import annotations

import random

QUALIFIERS = ("more than", "over", "nearly", "at least", "about", "some", "up to", "")
PEOPLE = (
    "labour inspectors",
    "victims",
    "participants",
    "law enforcement agents",
    "tripartite constituents",
    "district officers",
    "enumerators",
    "households",
    "migrant workers",
    "judges",
    "prosecutors",
    "trainers",
    "community leaders",
)
MEETINGS = ("workshops", "training sessions", "consultations", "awareness campaigns")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
TOPICS = (
    "knowledge sharing",
    "inter-state coordination",
    "victim identification",
    "labour inspection",
    "fair recruitment",
    "debt bondage",
    "national surveys",
    "prosecution of offenders",
    "social protection",
    "skills training",
)
#: Names with a word that makes them organisations; the acronym comes from their capitals.
ORGANISATIONS = (
    "Ministry of Labour and Employment",
    "Ministry of Labour and Social Security",
    "Ministry of Justice",
    "Ministry of Home Affairs",
    "Ministry of Women and Child Development",
    "Central Statistical Office",
    "National Bureau of Statistics",
    "Labour Inspectorate",
    "Federation of Trade Unions",
    "Confederation of Employers",
    "Anti-Trafficking Unit",
    "Supreme Court",
    "National Police Service",
    "Office of the Public Prosecutor",
    "Human Rights Commission",
    "National Council for Social Dialogue",
)
PUBLICATION_KINDS = ("study", "report", "manual", "guide", "handbook", "toolkit")
TITLE_HEADS = (
    "Caught at Sea",
    "Tricked and Trapped",
    "Hard to See",
    "Out of the Shadows",
    "Bound by Debt",
    "Invisible Hands",
    "Profits and Poverty",
    "Fair Recruitment",
    "Behind Closed Doors",
    "From Bondage to Freedom",
)
SECTORS = (
    "fisheries",
    "agriculture",
    "domestic work",
    "construction",
    "brick kilns",
    "mining",
    "textiles",
    "cocoa farming",
    "cattle ranching",
    "charcoal production",
)
ACTIONS = (
    "implement specific policies, programmes or actions",
    "adopt national action plans",
    "strengthen labour inspection",
    "collect and analyse data",
    "ratify and apply the Protocol",
)
EVENTS = (
    "a tripartite conference",
    "a regional forum",
    "a national validation workshop",
    "a meeting of experts",
    "the Global Dialogue Forum for the Promotion of the Work in Fishing Convention, 2007 (No. 188)",
)


def acronym(name: str) -> str:
    """ "Ministry of Labour and Employment" → "MoLE": capitals, and "o" for "of" inside."""
    words = name.replace("-", " ").split()
    letters = [w[0] if w[0].isupper() else ("o" if w == "of" else "") for w in words]
    return "".join(letters).strip("o") or words[0][:3].upper()


def organisation(rng: random.Random, with_acronym: bool | None = None) -> str:
    name = rng.choice(ORGANISATIONS)
    if with_acronym is None:
        with_acronym = rng.random() < 0.5
    return f"{name} ({acronym(name)})" if with_acronym else name


def quantity(rng: random.Random, units: tuple[str, ...] = PEOPLE) -> str:
    """ "more than 20 workshops": a qualifier (or none), a number, what is counted."""
    qualifier = rng.choice(QUALIFIERS)
    number = rng.choice((3, 5, 6, 12, 20, 25, 40, 59, 120, 200, 400, 1500, 12000))
    text = f"{number:,}" if number >= 10000 else str(number)
    return f"{qualifier + ' ' if qualifier else ''}{text} {rng.choice(units)}"


def date(rng: random.Random) -> str:
    """A date phrase at one of the report's precisions, 2008–2016."""
    year = rng.randint(2008, 2016)
    month = rng.randrange(12)
    forms = (
        lambda: (
            f"in {MONTHS[month]}/{MONTHS[(month + 1) % 12]} {year}"
            if month < 11
            else f"in {MONTHS[month]} {year}"
        ),
        lambda: f"in {MONTHS[month][:3]}. {year}" if MONTHS[month] != "May" else f"in May {year}",
        lambda: f"between {year} and {year + 1}",
        lambda: f"for the years {year} - {year + 3}",
        lambda: f"on {rng.randint(1, 28)} {MONTHS[month]} {year}",
        lambda: f"in {year}",
    )
    return rng.choice(forms)()


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def title(rng: random.Random, country: str) -> str:
    return f"{rng.choice(TITLE_HEADS)}: forced labour in {rng.choice(SECTORS)} in {country}"


def publication(rng: random.Random, country: str) -> str:
    kind = rng.choice(PUBLICATION_KINDS)
    return f'a {kind} entitled "{title(rng, country)}"'


def contribution(rng: random.Random, country: str) -> str:
    """One ILO contribution: a list item of Table 2's second column."""
    forms = (
        lambda: (
            f"The ILO held {quantity(rng, MEETINGS)} with the {organisation(rng)} in conjunction "
            f"with the {organisation(rng)} to introduce ILO's methodology on "
            f"{rng.choice(TOPICS)}"
        ),
        lambda: (
            f"{_capital(date(rng))} the ILO facilitated {quantity(rng, MEETINGS)} with "
            f"{quantity(rng)} on the following topics: {rng.choice(TOPICS)}, "
            f"{rng.choice(TOPICS)} and {rng.choice(TOPICS)}"
        ),
        lambda: (
            f"Technical advice provided to the {organisation(rng)} during the drafting "
            f"of the national action plan {date(rng)}"
        ),
        lambda: (
            f"ILO technically supported the systematization of the programme in "
            f"{country} by revising {publication(rng, country)}, launched {date(rng)}."
        ),
        lambda: (
            f"ILO provided technical inputs to the survey questionnaire and design of "
            f"the {organisation(rng)} and trained {quantity(rng)}"
        ),
    )
    return rng.choice(forms)()


def result(rng: random.Random, country: str, sentences: int, place: str | None = None) -> str:
    """A country result: several sentences, as long as the report's; ``place`` is a state
    or province of the country (ISO 3166-2), where the programme started."""
    where = f", first in {place}" if place else ""
    forms = (
        lambda: (
            f"The Government of {country} implemented its first national survey on "
            f"{rng.choice(TOPICS)} {date(rng)} that included questions on forced labour."
        ),
        lambda: (
            f"In particular, the {organisation(rng, True)} and {rng.randint(2, 9)} State "
            f"Governments signed two new agreements covering {quantity(rng)}."
        ),
        lambda: (
            f"New institutional structures, including the {organisation(rng)}, were "
            f"established {date(rng)} to support implementation of the policy framework."
        ),
        lambda: (
            f"The programme, which benefits victims of forced labour in {country}, is "
            f"being replicated in {rng.randint(2, 6)} provinces{where} and reached "
            f"{quantity(rng)} in the pilot phase."
        ),
        lambda: (
            f"Its results provided the government and stakeholders with sex "
            f"disaggregated data on the incidence and prevalence of forced labour in "
            f"{rng.choice(SECTORS)}."
        ),
        lambda: (
            f"The {organisation(rng)} published {publication(rng, country)} {date(rng)} "
            f"and presented it to {quantity(rng)}."
        ),
    )
    said = []
    for k in range(sentences):
        form = rng.choice(forms)
        if k == 0 and place:  # the state or province is named in every such row
            form = forms[3]
        said.append(form())
    return " ".join(said)


def output(rng: random.Random, country: str) -> str:
    """An output of Table 3, without its scope prefix."""
    forms = (
        lambda: (
            f'ILO report entitled "{title(rng, country)}" produced in '
            f"{rng.randint(2012, 2013)} and presented to {quantity(rng)} at "
            f"{rng.choice(EVENTS)}"
        ),
        lambda: (
            f"Advisory services on {rng.choice(TOPICS)} and {rng.choice(TOPICS)} provided "
            f"to {quantity(rng)}, with direct beneficiaries including employers' "
            f"organizations, workers' organizations and government entities."
        ),
        lambda: (
            f"A training manual for labour inspectors (Training Manual on "
            f"{rng.choice(TITLE_HEADS)} for the {rng.choice(ORGANISATIONS)}) was produced "
            f"and disseminated to {quantity(rng)}"
        ),
        lambda: (
            f"E-learning tool on {rng.choice(TOPICS)} developed and launched {date(rng)}, "
            f"translated into {rng.randint(2, 6)} languages and tested with "
            f"{quantity(rng)} from {rng.randint(5, 40)} countries."
        ),
    )
    return rng.choice(forms)()


def lesson(rng: random.Random) -> str:
    """A lessons-learned paragraph."""
    parts = [
        "The ILO must expand the existing knowledge on the operating environment of forced "
        "labour, its victims and perpetrators, in order to design more effective prevention "
        "and protection measures.",
        f"What has been learnt {date(rng)} is how to set the standards for collection and "
        f"analysis of national statistics on {rng.choice(TOPICS)}.",
        f"Experience with {quantity(rng)} shows that prevention strategies are a top priority "
        "but often under-emphasized at national level.",
        f"Cooperation with the {organisation(rng)} proved essential to reach {quantity(rng)}.",
        "For this we need solid and detailed data.",
    ]
    rng.shuffle(parts)
    # every section names one dated publication, as the report's does, whatever its size
    return " ".join(parts[: rng.randint(2, 5)]) + (
        ' The ILO report entitled "Hard to See: measuring forced labour" was published in '
        "2012.")


def indicator(rng: random.Random) -> str:
    return (
        f"Number of member States in which constituents, with ILO support, "
        f"{rng.choice(ACTIONS)} leading to improved application of Conventions (such as "
        f"the Forced Labour Convention, 1930 (No. 29)), principles and rights on the "
        f"elimination of forced labour."
    )
