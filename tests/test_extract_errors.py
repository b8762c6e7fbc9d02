"""Input that does not fit the layout: a clear error naming file, line and what was
expected — never a traceback, never a partial result."""

from __future__ import annotations

from pathlib import Path

import pytest

from flgraph.extract import SourceError, extract_files
from flgraph.reference import load_reference

from .conftest import SEED

TEXT = SEED.read_text(encoding="utf-8")


def extract_text(tmp_path: Path, text: str, name: str = "section.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return extract_files([path], load_reference())


def error_for(tmp_path: Path, text: str) -> SourceError:
    with pytest.raises(SourceError) as caught:
        extract_text(tmp_path, text)
    return caught.value


def test_unknown_country_is_an_error_not_dropped(tmp_path):
    err = error_for(tmp_path, TEXT.replace("\tZambia India Nepal\n", "\tZambia Narnia Nepal\n"))
    assert err.file == "section.txt" and err.line == 10
    assert "'Narnia' is not a country the gazetteer knows" in err.message
    assert "Data collection and analysis" in err.message


def test_total_contradicted_by_listed_countries(tmp_path):
    err = error_for(tmp_path, TEXT.replace("<b>8 member States</b> , of which 3 in Africa",
                                           "<b>9 member States</b> , of which 4 in Africa"))
    assert err.line == 10
    assert "reports 9 but the typology columns list 8 distinct countries" in err.message


def test_breakdown_contradicted_by_the_countries_regions(tmp_path):
    err = error_for(tmp_path, TEXT.replace(
        "of which 3 in Africa, 2 in the Americas, 1 in the Arab States and 2 in Asia",
        "of which 2 in Africa, 2 in the Americas, 2 in the Arab States and 2 in Asia"))
    assert "states 2 in Africa but the listed countries include 3 there" in err.message


def test_breakdown_that_does_not_add_up(tmp_path):
    err = error_for(tmp_path, TEXT.replace("1 in Arab States, 2 in Asia, 2 in Europe",
                                           "1 in Arab States, 2 in Asia, 3 in Europe"))
    assert "adds up to 9, the total says 8" in err.message


def test_unknown_region(tmp_path):
    err = error_for(tmp_path, TEXT.replace("2 in Europe\t", "2 in Atlantis\t"))
    assert "unknown region 'Atlantis'" in err.message


def test_no_outcome_heading(tmp_path):
    err = error_for(tmp_path, TEXT.replace("## Outcome 15: Elimination of Forced Labour", ""))
    assert err.line == 5  # the first caption, before any outcome
    assert "expected '## Outcome N: title' first" in err.message


def test_empty_file(tmp_path):
    err = error_for(tmp_path, "")
    assert "no outcome heading" in err.message


def test_table_row_without_caption(tmp_path):
    err = error_for(tmp_path, TEXT.replace("**Table 3: Summary of most significant outputs by "
                                           "typology**\n", ""))
    assert "a table row outside a table" in err.message


def test_missing_indicators_header(tmp_path):
    err = error_for(tmp_path, TEXT.replace("Indicators\tTarget\tResults",
                                           "Measures\tTarget\tResults"))
    assert "no 'Indicators' column" in err.message


def test_indicator_of_another_outcome(tmp_path):
    err = error_for(tmp_path, TEXT.replace("15.1 Number of member States",
                                           "16.1 Number of member States"))
    assert "indicator 16.1 does not belong to outcome 15" in err.message


def test_bad_gender_mark(tmp_path):
    err = error_for(tmp_path, TEXT.replace("Forced labour.\t√", "Forced labour.\tmaybe", 1))
    assert "gender-specific cell holds 'maybe'" in err.message


def test_unknown_country_in_results_chain(tmp_path):
    err = error_for(tmp_path, TEXT.replace("<i>Zambia</i>", "<i>Zembla</i>"))
    assert err.line == 15 and "'Zembla' is not a country" in err.message


def test_row_wider_than_its_header(tmp_path):
    err = error_for(tmp_path, TEXT.replace("\tZambia India Nepal\n",
                                           "\tZambia India Nepal\tstray\n"))
    assert "row has 9 cells, the header has 8" in err.message


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes(TEXT.encode("utf-8").replace("√".encode(), b"\xe9"))
    with pytest.raises(SourceError) as caught:
        extract_files([path], load_reference())
    assert caught.value.line == 15 and "not UTF-8" in caught.value.message


def test_unrecognised_table(tmp_path):
    err = error_for(tmp_path, TEXT.replace(
        "**Table 3: Summary of most significant outputs by typology**",
        "**Table 3: Budget by year**"))
    assert "not a table of this layout" in err.message


def test_same_outcome_in_two_files(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        extract_files([tmp_path / "a.txt", tmp_path / "b.txt"], load_reference())
    assert "outcome 15 is also in a.txt" in caught.value.message
