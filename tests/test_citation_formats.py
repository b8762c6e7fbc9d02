"""Citations of data that says little about itself: a section without a metadata file,
data built before versions. Each format still parses and names nothing invented."""

from __future__ import annotations

import json

import bibtexparser
import jsonschema

from flgraph import citation

from .conftest import ROOT

SCHEMA = json.loads((ROOT / "tests" / "data" / "csl" / "csl-data.json").read_text())
BARE = citation.DatasetCard()  # no version, no date, no report
CITED = citation.Cited("Zambia", "https://w3id.org/flgraph/id/country/ZMB")


def test_a_bare_card_names_only_what_is_known():
    item = citation.csl_item(BARE, CITED)
    jsonschema.validate([item], SCHEMA)
    assert set(item) == {"id", "type", "title", "author", "publisher", "URL",
                         "container-title"}
    (entry,) = bibtexparser.parse_string(citation.bibtex(BARE, CITED)).entries
    assert "version" not in entry and "year" not in entry and "note" not in entry
    ris = citation.ris(BARE, CITED)
    assert "ET  -" not in ris and "PY  -" not in ris and "N1  -" not in ris
    assert "Source:" not in citation.text(BARE, CITED)


def test_tex_specials_are_escaped_in_bibtex():
    cited = citation.Cited("50% of {cases} & more_than #1", "https://example.org/x")
    (entry,) = bibtexparser.parse_string(citation.bibtex(BARE, cited)).entries
    assert entry["title"] == r"{50\% of \{cases\} \& more\_than \#1}"


def test_an_unknown_format_is_refused():
    try:
        citation.render(BARE, CITED, "mla")
    except ValueError as err:
        assert "choose from: text, bibtex, ris, csl-json" in str(err)
    else:
        raise AssertionError("no error for an unknown format")
