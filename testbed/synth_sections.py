"""Report sections in the real report's layout, invented from a seed.

One outcome a section: ``## Outcome N: title``; Table 1 with the report's three-row
merged header and indicator rows N.1…N.k listing member States under the five typology
columns, with a reported total and regional breakdown that agree with the listed
countries (the extractor checks both) and a target; Table 2, one results-chain row per
country with long contribution lists, result texts, the √ mark, and sometimes a row
continued across a page break; ``## Lessons learned``; Table 3, outputs by typology
with scope prefixes. The text is written to be read by ``flgraph.extract``, which stays
the judge of what it says: nothing here builds records.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pycountry

from flgraph.reference import REGION_SLUGS, Country, Reference
from testbed import synth_phrases as say

#: Table 1's header, exactly as the real report writes it (3 rows, merged cells).
TABLE_1_HEADER = (
    "Indicators\tTarget\tResults\t\t\t\t\t\n"
    "\t\tTotal No.\tPolicies and strategies\tProgrammes\tRegulatory/Legal framework\t"
    "Capacity development\t\n"
    "\t\t\t\t\t\tInstitutional capacity\tData collection and analysis\n"
)
TYPOLOGY_COLUMNS = 5
TABLE_2_HEADER = (
    "Country\tILO contribution (outputs delivered by the Office)\t"
    "Results (action taken by the country)\tGender-specific\n"
)
OUTPUT_TYPOLOGIES = (
    "Knowledge generation and dissemination",
    "Policy advice and technical services",
    "Capacity building",
    "Policy dialogue and advocacy",
)
#: How the report names each region in a breakdown ("3 in Africa, 2 in the Americas").
REGION_WORDS = {
    "africa": ("Africa",),
    "americas": ("the Americas", "Americas"),
    "arab-states": ("the Arab States", "Arab States"),
    "asia-and-the-pacific": ("Asia", "Asia and the Pacific"),
    "europe-and-central-asia": ("Europe", "Europe and Central Asia"),
}
UL = '<ul style="list-style-type: none">'
#: The outcome whose indicator 15.1 lists Zambia, as the real report does, so that the
#: parameters testbed/expected.py uses (country/ZMB, result/15.1/ZMB) find rows.
ANCHOR_OUTCOME = 15
ANCHOR_COUNTRY = "ZMB"


@dataclass(frozen=True)
class Shape:
    """How much one outcome holds; ranges are (low, high), inclusive."""

    indicators: int = 4
    countries: tuple[int, int] = (4, 14)  # listed per indicator
    chain_rows: int = 24  # distinct countries in Table 2
    contributions: tuple[int, int] = (2, 5)  # list items per contribution cell
    result_sentences: tuple[int, int] = (3, 6)
    lessons: int = 4
    outputs: tuple[int, int] = (2, 4)  # per output typology
    page_breaks: float = 0.15  # share of Table 2 rows continued after a page break


#: The smallest outcome that still exercises every table and every saved query.
TINY = Shape(
    indicators=1,
    countries=(3, 3),
    chain_rows=2,
    contributions=(2, 2),
    result_sentences=(2, 2),
    lessons=1,
    outputs=(1, 1),
    page_breaks=0.5,
)


def section(number: int, shape: Shape, seed: int, reference: Reference) -> str:
    """The text of outcome ``number``; the same arguments always give the same text."""
    rng = random.Random(f"{seed}:{number}")
    countries = list(reference.countries)
    anchor = reference.country(ANCHOR_COUNTRY) if number == ANCHOR_OUTCOME else None
    parts = [
        f"\n\n## Outcome {number}: Synthetic outcome {number} on forced labour\n\n",
        "**Table 1: Summary of results by indicator and by typology**\n\n",
        TABLE_1_HEADER,
    ]
    for k in range(1, shape.indicators + 1):
        listed = _sample(rng, countries, rng.randint(*shape.countries), anchor if k == 1 else None)
        parts.append(_indicator_row(rng, f"{number}.{k}", listed, reference))
    parts += ["\n**Table 2: ILO results chain: Country examples**\n\n", TABLE_2_HEADER]
    for country in _sample(rng, countries, min(shape.chain_rows, len(countries)), anchor):
        parts.append(_chain_row(rng, country, shape))
    if rng.random() < 0.5:
        parts.append("--\t---\t---\t--\n")  # a stray separator row, as in the report
    parts.append("\n## Lessons learned\n")
    parts += [f"\n{say.lesson(rng)}\n" for _ in range(shape.lessons)]
    parts += ["\n**Table 3: Summary of most significant outputs by typology**\n\n"]
    for typology in OUTPUT_TYPOLOGIES:
        parts.append(_outputs_row(rng, typology, shape, countries, reference, anchor))
    return "".join(parts)


def _sample(
    rng: random.Random, countries: list[Country], n: int, anchor: Country | None
) -> list[Country]:
    chosen = rng.sample(countries, n)
    if anchor is not None and anchor not in chosen:
        chosen[0] = anchor
    return chosen


# Table 1 ---------------------------------------------------------------------------------


def _indicator_row(
    rng: random.Random, code: str, listed: list[Country], reference: Reference
) -> str:
    columns: list[list[Country]] = [[] for _ in range(TYPOLOGY_COLUMNS)]
    for country in listed:
        for column in rng.sample(range(TYPOLOGY_COLUMNS), rng.choice((1, 1, 2, 3))):
            columns[column].append(country)
    cells = [f"{code} {say.indicator(rng)}", _target(rng, len(listed)), _reported(rng, listed)]
    cells += [_country_list(rng, column, reference) for column in columns]
    return "\t".join(cells) + "\n"


def _target(rng: random.Random, listed: int) -> str:
    if rng.random() < 0.05:
        return "Not applicable"
    total = max(1, listed + rng.randint(-2, 2))
    if rng.random() < 0.2:
        return f"{total} member States"
    counts: dict[str, int] = {}
    for _ in range(total):
        region = rng.choice(REGION_SLUGS)
        counts[region] = counts.get(region, 0) + 1
    return f"{total} member states, of which {_breakdown(rng, counts)}"


def _reported(rng: random.Random, listed: list[Country]) -> str:
    noun = "member State" if len(listed) == 1 else "member States"
    head = f"<b>{len(listed)} {noun}</b>"
    if rng.random() < 0.2:
        return head
    counts: dict[str, int] = {}
    for country in listed:
        counts[country.region] = counts.get(country.region, 0) + 1
    return f"{head} , of which {_breakdown(rng, counts)}"


def _breakdown(rng: random.Random, counts: dict[str, int]) -> str:
    parts = [
        f"{counts[slug]} in {rng.choice(REGION_WORDS[slug])}"
        for slug in REGION_SLUGS
        if counts.get(slug)
    ]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _country_list(rng: random.Random, column: list[Country], reference: Reference) -> str:
    """Names run together as the report writes them ("Ethiopia Jordan India, Nepal"),
    unless the gazetteer would then read them differently: then "; " between names."""
    if not column:
        return ""
    names = [c.name for c in column]
    text = names[0] + "".join(rng.choice((" ", ", ")) + name for name in names[1:])
    matches, unmatched = reference.match_countries(text)
    if unmatched or [m.country.iso3 for m in matches] != [c.iso3 for c in column]:
        text = "; ".join(names)
    return text


# Table 2 ---------------------------------------------------------------------------------


def _chain_row(rng: random.Random, country: Country, shape: Shape) -> str:
    items = [say.contribution(rng, country.name) for _ in range(rng.randint(*shape.contributions))]
    result = say.result(rng, country.name, rng.randint(*shape.result_sentences),
                        _first_subdivision(country))
    mark = "√" if rng.random() < 0.6 else ""
    if rng.random() >= shape.page_breaks or len(items) < 2:
        return "\t".join([f"<i>{country.name}</i>", _list(items), result, mark]) + "\n"
    # A page break: the last item and the result text cut mid-phrase, continued in a
    # row whose first cell is empty, after a blank line (the real report's Brazil row).
    head, tail = _cut(rng, items[-1])
    result_head, result_tail = _cut(rng, result)
    first = "\t".join([f"<i>{country.name}</i>", _list([*items[:-1], head]), result_head, mark])
    more = say.contribution(rng, country.name)
    second = "\t".join(
        ["", f"<p>{tail}</p> {UL} <li>• {more}</li> </ul>", f"<p>{result_tail}</p>", ""]
    )
    return f"{first}\n\n{second}\n"


def _first_subdivision(country: Country) -> str | None:
    """The name of the country's first ISO 3166-2 subdivision by code, if it has one and
    the name reads as a name (capitalised words only)."""
    subdivisions = sorted(pycountry.subdivisions.get(country_code=country.iso2) or (),
                          key=lambda s: s.code)
    names = [s.name for s in subdivisions if all(w[:1].isupper() for w in s.name.split())]
    return names[0] if names else None


def _cut(rng: random.Random, text: str) -> tuple[str, str]:
    """Two pieces of ``text`` split between words, the first not ending a sentence."""
    words = text.split(" ")
    spots = [k for k in range(2, len(words) - 1) if words[k - 1][-1] not in '.:;!?")”']
    k = rng.choice(spots) if spots else len(words) // 2
    return " ".join(words[:k]), " ".join(words[k:])


def _list(items: list[str]) -> str:
    return f"{UL} " + " ".join(f"<li>{item}</li>" for item in items) + " </ul>"


# Table 3 ---------------------------------------------------------------------------------


def _outputs_row(
    rng: random.Random,
    typology: str,
    shape: Shape,
    countries: list[Country],
    reference: Reference,
    anchor: Country | None,
) -> str:
    items = []
    for k in range(rng.randint(*shape.outputs)):
        country = rng.choice(countries)
        scope = rng.random()
        if anchor is not None and typology == OUTPUT_TYPOLOGIES[2] and k == 0:
            prefix = f"{anchor.name}: "
            country = anchor
        elif scope < 0.3 and "(" not in country.name:
            prefix = f"{country.name}: "
        elif scope < 0.4:
            region = reference.region_by_slug(rng.choice(REGION_SLUGS))
            prefix = f"Regional {region.label}: "
        else:
            prefix = ""
        items.append(f"<li>• {prefix}{say.output(rng, country.name)}</li>")
    return f"{typology}\t{UL} {' '.join(items)} </ul>\n"
