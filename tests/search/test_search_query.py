"""What a user types becomes an FTS5 query of quoted strings only: no syntax of the
engine's (column filters, NEAR, parentheses, stray quotes) gets through, and what cannot
be searched is a one-line reason."""

from __future__ import annotations

import pytest

from flgraph.search.query import MAX_QUERY_CHARS, MAX_TERMS, SearchQueryError, to_fts


@pytest.mark.parametrize(("typed", "fts"), [
    ("survey", '"survey"'),
    ("forced labour", '"forced" AND "labour"'),
    ('"forced labour survey"', '"forced labour survey"'),
    ("traffick*", '"traffick"*'),
    ("survey OR questionnaire Zambia", '("survey" OR "questionnaire") AND "Zambia"'),
    ("trafficking NOT fisheries", '"trafficking" NOT "fisheries"'),
    ("-India bonded", '"bonded" NOT "India"'),
    ("Cote d'Ivoire", '"Cote" AND "d Ivoire"'),
    ("e-learning", '"e learning"'),
    # the engine's own syntax is only words here
    ("names:survey", '"names survey"'),
    ("NEAR(forced labour)", '"NEAR forced" AND "labour"'),
    ('survey"', '"survey"'),
    ('"unclosed phrase', '"unclosed phrase"'),
    ("a AND b", '"a" AND "AND" AND "b"'),
    ("x OR", '"x"'),
])
def test_typed_text_becomes_quoted_terms(typed, fts):
    assert to_fts(typed) == fts


@pytest.mark.parametrize(("typed", "reason"), [
    ("", "type a word"),
    ("   ", "type a word"),
    ('""', "type a word"),
    ("*", "type a word"),
    ("NOT survey", "not only what to leave out"),
    ("-survey", "not only what to leave out"),
    ("x" * (MAX_QUERY_CHARS + 1), f"at most {MAX_QUERY_CHARS}"),
    (" ".join(["word"] * (MAX_TERMS + 1)), f"more than {MAX_TERMS}"),
])
def test_what_cannot_be_searched_says_why(typed, reason):
    with pytest.raises(SearchQueryError, match=reason):
        to_fts(typed)
