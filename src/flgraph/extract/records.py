"""Plain records of what the report says, with where it says it.

The extractor's output and the model's input. Nothing here knows RDF: a record holds
values and the evidence (file, table, row, column, character spans) a reader needs to
check each value against the source text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: Inline markup alone between two fragments on one line: the fragments read as one text.
_INLINE_GAP = re.compile(r"(?:</?(?:b|i|em|strong|u|span|a|sup|sub|font)\b[^>\n]*>)*")


@dataclass(frozen=True)
class Span:
    """Characters ``start``..``end`` (code points, end exclusive) of the source text."""

    start: int
    end: int


@dataclass(frozen=True)
class SourceDocument:
    """One input file, read verbatim."""

    path: str  # as given to the extractor
    name: str  # file name, the natural key of the source
    sha256: str
    text: str

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset."""
        return self.text.count("\n", 0, offset) + 1


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: a table cell or a paragraph, and the exact spans."""

    source: SourceDocument
    spans: tuple[Span, ...]
    table: str | None = None  # "Table 1", or None for running text
    row: str | None = None  # the row's key: indicator code, country, typology
    column: str | None = None  # the column's header path, "Results / Programmes"
    section: str | None = None  # "Lessons learned", for paragraphs

    def __post_init__(self) -> None:
        # A reader reads the report in order: the parts of a cited text are kept in the
        # order of the source, whatever order the cells were read in.
        object.__setattr__(self, "spans", tuple(sorted(set(self.spans),
                                                       key=lambda s: (s.start, s.end))))

    @property
    def line(self) -> int:
        return self.source.line_of(self.spans[0].start) if self.spans else 0

    @property
    def lines(self) -> tuple[int, ...]:
        """The line of each part, in order."""
        return tuple(self.source.line_of(s.start) for s in self.spans)

    @property
    def quote(self) -> str:
        """The cited source text in reading order: parts that only inline markup separates
        are joined as they read; parts further apart (a page break, another list item or
        cell) are joined by " … ". The quote never contains markup."""
        out = ""
        for k, span in enumerate(self.spans):
            if k:
                gap = self.source.text[self.spans[k - 1].end : span.start]
                out += "" if _INLINE_GAP.fullmatch(gap) else " … "
            out += self.source.text[span.start : span.end]
        return out


@dataclass(frozen=True)
class Quantity:
    """A count stated in the text: "more than 400 victims"."""

    value: int
    qualifier: str | None  # normalised: "more than", "over", "nearly", "at least", "about" …
    unit: str  # the counted noun phrase: "victims"
    phrase: str  # the raw words as written
    evidence: Evidence
    kind: str = "count"  # count | duration ("two years") | share ("40 per cent")


@dataclass(frozen=True)
class Period:
    """A date or period stated in the text, at the precision the text gives."""

    start: str  # ISO 8601: "2012", "2012-11" or "2012-11-05"
    end: str  # same precision; equal to start for a single date
    phrase: str
    evidence: Evidence


@dataclass(frozen=True)
class OrganisationMention:
    name: str  # as written, expanded when the text defines an acronym
    acronym: str | None
    kind: str  # ministry, government, office, international organisation …
    country: str | None  # ISO alpha-3 when the name says whose ("Government of Zambia")
    evidence: Evidence
    established: bool = False  # the text says it was established, created or set up
    part_of: str | None = None  # name of the organisation it is part of, when the text says
    part_of_country: str | None = None  # that organisation's country (ISO alpha-3)


@dataclass(frozen=True)
class PublicationMention:
    title: str
    kind: str  # report, study, manual, publication, estimate …
    year: str | None
    by_ilo: bool  # the text says the ILO produced it
    evidence: Evidence
    #: An untitled publication the text describes ("a publication which aimed to …"):
    #: where it is first described (source offset), its one identity in every naming
    #: ("this publication"); None for a titled one.
    described_at: int | None = None


@dataclass(frozen=True)
class ConventionMention:
    """An international labour standard named in the text, as the text gives it."""

    kind: str  # convention | protocol | recommendation
    number: int | None  # "No. 188": only when the text gives it
    title: str | None  # "Work in Fishing Convention"
    year: str | None  # "2007", as written after the title
    written: str  # the words that name it
    evidence: Evidence


@dataclass(frozen=True)
class PlaceMention:
    """A place below or beside a country: a state or province (with its ISO 3166-2
    code), or a city (its country only: there is no code to give it)."""

    name: str
    kind: str  # subdivision | city
    country: str  # ISO alpha-3
    code: str | None  # ISO 3166-2 for a subdivision
    subdivision_type: str | None  # "State", as ISO 3166-2 names it
    evidence: Evidence


@dataclass(frozen=True)
class InitiativeMention:
    """A programme, project, strategy, survey, tool or event the text names, or describes
    without a name ("a tripartite conference in Amman")."""

    name: str
    kind: str  # programme | strategy | survey | tool | event | dataset
    acronym: str | None
    named: bool  # False: described, not named ("a tripartite conference")
    country: str | None
    evidence: Evidence
    venue: str | None = None  # a place's name, for an event
    format: str | None = None  # "USB", for a tool
    languages: tuple[LanguageMention, ...] = ()


@dataclass(frozen=True)
class LanguageMention:
    name: str  # as written: "Arabic"
    iso639_1: str | None
    iso639_3: str
    evidence: Evidence


@dataclass(frozen=True)
class ActorTypeMention:
    """Actors named in lower case, by what they are ("the labour inspectorates",
    "employers' organizations"): organisation types or roles, not proper names."""

    label: str  # "labour inspectorates"
    relation: str  # partner | beneficiary
    evidence: Evidence


@dataclass(frozen=True)
class SubjectMention:
    """A subject the text says something is about ("knowledge sharing")."""

    label: str
    evidence: Evidence


@dataclass(frozen=True)
class ThingLink:
    """What a sentence says of a programme, survey, tool, event or publication it names:
    a date ("initiated … in 2008"), or an organisation, the ILO or a kind of actor and the
    part it takes ("The Government of Zambia implemented its … Survey": implementer)."""

    thing: InitiativeMention | PublicationMention
    relation: str  # date | launched, or a role: organiser, implementer, initiator …
    evidence: Evidence  # the words that say it: from the first of the two to the last
    period: Period | None = None
    organisation: OrganisationMention | None = None
    ilo: bool = False  # the ILO itself, which is never an organisation mention
    #: the ILO's part by the table's definition of the statement ("outputs delivered by the
    #: Office"), the sentence naming no one else: its evidence is the thing and the verb
    implied: bool = False
    actor_type: ActorTypeMention | None = None


@dataclass(frozen=True)
class Statement:
    """A sentence-level piece of report text and what is mentioned in it."""

    text: str
    evidence: Evidence
    quantities: tuple[Quantity, ...] = ()
    periods: tuple[Period, ...] = ()
    organisations: tuple[OrganisationMention, ...] = ()
    publications: tuple[PublicationMention, ...] = ()
    conventions: tuple[ConventionMention, ...] = ()
    places: tuple[PlaceMention, ...] = ()
    initiatives: tuple[InitiativeMention, ...] = ()
    actor_types: tuple[ActorTypeMention, ...] = ()
    subjects: tuple[SubjectMention, ...] = ()
    links: tuple[ThingLink, ...] = ()


@dataclass(frozen=True)
class RegionalCount:
    region: str  # Region.slug
    region_text: str  # as written: "Asia"
    count: int
    evidence: Evidence


@dataclass(frozen=True)
class CountStatement:
    """A target or reported result: "8 member States, of which 3 in Africa …"."""

    text: str
    total: int | None
    unit: str | None  # "member States"
    breakdown: tuple[RegionalCount, ...]
    evidence: Evidence


@dataclass(frozen=True)
class Typology:
    """A column of a typology table: its label and the label of the column above it."""

    label: str
    parent: str | None = None  # "Capacity development" for "Institutional capacity"


@dataclass(frozen=True)
class CountryListing:
    """One country named in one typology column of Table 1: the atomic fact of the table."""

    iso3: str
    typology: Typology
    written: str  # the name as written in the cell
    evidence: Evidence


@dataclass(frozen=True)
class Indicator:
    code: str  # "15.1"
    statement: Statement
    target: CountStatement | None
    result: CountStatement | None
    listings: tuple[CountryListing, ...]
    evidence: Evidence  # the whole row

    @property
    def countries(self) -> list[str]:
        """Distinct ISO codes across the typology columns, in order of first mention."""
        return list(dict.fromkeys(listing.iso3 for listing in self.listings))


@dataclass(frozen=True)
class ChainExample:
    """A row of the results-chain table: what the ILO did, what the country did."""

    iso3: str
    country_written: str
    contributions: tuple[Statement, ...]
    results: tuple[Statement, ...]
    gender_specific: bool | None  # None: the cell is empty, which means unknown
    evidence: Evidence


@dataclass(frozen=True)
class Scope:
    """Where an output applies, from its prefix ("Nigeria: …", "Regional Arab States: …")."""

    kind: str  # "country" or "region"
    code: str  # ISO alpha-3 or Region.slug
    written: str


@dataclass(frozen=True)
class Output:
    typology: Typology
    ordinal: int  # position within its typology row, 1-based
    statement: Statement
    scope: Scope | None


@dataclass(frozen=True)
class Lesson:
    ordinal: int
    statement: Statement


@dataclass(frozen=True)
class Paragraph:
    """Running text outside the tables, under a heading other than lessons learned."""

    section: str
    ordinal: int
    statement: Statement


@dataclass(frozen=True)
class TableCaption:
    number: str  # "1"
    title: str
    kind: str  # results | chain | outputs
    evidence: Evidence


@dataclass
class Outcome:
    number: str  # "15"
    title: str
    source: SourceDocument
    evidence: Evidence
    tables: list[TableCaption] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    result_typologies: list[Typology] = field(default_factory=list)
    chain_examples: list[ChainExample] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    output_typologies: list[Typology] = field(default_factory=list)
    lessons: list[Lesson] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
