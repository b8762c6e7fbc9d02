"""Reference tables (data/reference) and the gazetteer that reads them.

Expected values are written by hand from the report and from general knowledge of the
ILO's membership and regions, never copied from the program's output.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pycountry
import pytest

from flgraph.reference import (
    REGION_SLUGS,
    Reference,
    ReferenceTableError,
    load_reference,
    name_key,
)
from tests.conftest import require

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "reference"
BUILD_SCRIPT = ROOT / "tools" / "build_reference.py"
# The committed tables were built with these releases (data/reference/README.md); other
# releases may spell names differently, so only then must a rebuild equal the commit.
BUILT_WITH = {"pycountry": "26.2.16", "country-converter": "1.3.2"}


@pytest.fixture(scope="module")
def ref() -> Reference:
    return load_reference(REFERENCE)


def iso3s(ref: Reference, text: str) -> list[str]:
    matches, unmatched = ref.match_countries(text)
    assert unmatched == [], unmatched
    return [m.country.iso3 for m in matches]


# ------------------------------------------------------------------------ the tables


def test_there_are_187_member_states(ref):
    assert len(ref.countries) == 187


def test_codes_are_unique(ref):
    for attr in ("iso3", "iso2", "m49"):
        values = [getattr(c, attr) for c in ref.countries]
        assert len(set(values)) == len(values), attr


def test_m49_codes_are_zero_padded_three_digit_strings(ref):
    assert all(len(c.m49) == 3 and c.m49.isdigit() for c in ref.countries)


def test_every_code_agrees_with_pycountry(ref):
    for country in ref.countries:
        iso = pycountry.countries.get(alpha_3=country.iso3)
        assert iso is not None, country.iso3
        assert (iso.alpha_2, iso.numeric) == (country.iso2, country.m49), country.iso3


def test_regions_are_the_five_ilo_regions(ref):
    assert {r.slug for r in ref.regions} == set(REGION_SLUGS)
    assert {c.region for c in ref.countries} <= set(REGION_SLUGS) | {None}
    labels = {r.slug: r.label for r in ref.regions}
    assert labels == {
        "africa": "Africa",
        "americas": "Americas",
        "arab-states": "Arab States",
        "asia-and-the-pacific": "Asia and the Pacific",
        "europe-and-central-asia": "Europe and Central Asia",
    }


def test_rows_are_sorted_by_iso3(ref):
    codes = [c.iso3 for c in ref.countries]
    assert codes == sorted(codes)


@pytest.mark.parametrize(
    ("iso3", "region"),
    [
        ("JOR", "arab-states"),
        ("LBN", "arab-states"),
        ("SAU", "arab-states"),
        ("ZMB", "africa"),
        ("EGY", "africa"),  # an Arab country the ILO counts in Africa
        ("MAR", "africa"),
        ("IND", "asia-and-the-pacific"),
        ("IRN", "asia-and-the-pacific"),
        ("AFG", "asia-and-the-pacific"),
        ("BRA", "americas"),
        ("USA", "americas"),
        ("TUR", "europe-and-central-asia"),
        ("ISR", "europe-and-central-asia"),
        ("KAZ", "europe-and-central-asia"),
    ],
)
def test_ilo_region_spot_values(ref, iso3, region):
    assert ref.country(iso3).region == region


def test_spot_values_of_codes_and_links(ref):
    brazil = ref.country("BRA")
    assert (brazil.iso2, brazil.m49, brazil.name) == ("BR", "076", "Brazil")
    assert ref.country("ZMB").wikidata == "Q953"
    assert ref.country("BRA").wikidata == "Q155"
    assert ref.country("IND").geonames == "1269750"


def test_membership_follows_the_ilo_not_the_un(ref):
    members = {c.iso3 for c in ref.countries}
    assert "COK" in members  # the Cook Islands: ILO member, not a UN member
    assert members.isdisjoint({"AND", "BTN", "PRK", "LIE", "FSM", "MCO", "NRU"})


def test_unknown_codes_raise_key_error(ref):
    with pytest.raises(KeyError):
        ref.country("XXX")
    with pytest.raises(KeyError):
        ref.region_by_slug("oceania")


def test_no_alias_names_two_countries_or_a_region(ref):
    seen: dict[tuple[str, ...], str] = {}
    region_keys = {name_key(n) for r in ref.regions for n in (r.label, *r.alt_labels)}
    for country in ref.countries:
        for name in (country.name, *country.aliases):
            key = name_key(name)
            assert seen.setdefault(key, country.iso3) == country.iso3, name
            assert key not in region_keys, name


# ------------------------------------------------------------------------ lookups


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Côte d'Ivoire", "CIV"),
        ("Cote d’Ivoire", "CIV"),
        ("COTE DʼIVOIRE", "CIV"),
        ("Ivory Coast", "CIV"),
        ("Tanzania", "TZA"),
        ("United Republic of Tanzania", "TZA"),
        ("Bolivia", "BOL"),
        ("Viet Nam", "VNM"),
        ("Vietnam", "VNM"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Republic of Moldova", "MDA"),
        ("Moldova", "MDA"),
        ("Lao PDR", "LAO"),
        ("Korea, Republic of", "KOR"),
        ("the Gambia", "GMB"),
        ("Guinea Bissau", "GNB"),
        ("  zambia  ", "ZMB"),
        ("Cook Islands", "COK"),
    ],
)
def test_lookup_country_by_name_or_alias(ref, name, iso3):
    found = ref.lookup_country(name)
    assert found is not None and found.iso3 == iso3


@pytest.mark.parametrize("name", ["Atlantis", "", "Korea", "the", "Guinea Atlantis"])
def test_lookup_country_returns_none_for_unknown_names(ref, name):
    assert ref.lookup_country(name) is None


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Asia", "asia-and-the-pacific"),
        ("Asia and the Pacific", "asia-and-the-pacific"),
        ("the Americas", "americas"),
        ("Americas", "americas"),
        ("Arab States", "arab-states"),
        ("the Arab States", "arab-states"),
        ("Europe", "europe-and-central-asia"),
        ("Europe and Central Asia", "europe-and-central-asia"),
        ("Africa", "africa"),
    ],
)
def test_lookup_region_with_the_forms_the_report_uses(ref, name, slug):
    region = ref.lookup_region(name)
    assert region is not None and region.slug == slug


def test_lookup_region_returns_none_for_unknown_names(ref):
    assert ref.lookup_region("Oceania") is None


# ------------------------------------------------------------------------ matching


def test_segments_a_cell_without_reliable_delimiters(ref):
    text = "Ethiopia Jordan India, Nepal Peru Brazil"
    matches, unmatched = ref.match_countries(text)
    assert [(m.country.iso3, m.start, m.end, m.text) for m in matches] == [
        ("ETH", 0, 8, "Ethiopia"),
        ("JOR", 9, 15, "Jordan"),
        ("IND", 16, 21, "India"),
        ("NPL", 23, 28, "Nepal"),
        ("PER", 29, 33, "Peru"),
        ("BRA", 34, 40, "Brazil"),
    ]
    assert unmatched == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the cells of the report's Table 1
        (
            "Ethiopia, Nigeria, Zambia, Nepal Peru Brazil",
            ["ETH", "NGA", "ZMB", "NPL", "PER", "BRA"],
        ),
        ("Jordan India", ["JOR", "IND"]),
        ("Nigeria Jordan Nepal", ["NGA", "JOR", "NPL"]),
        ("Zambia India Nepal", ["ZMB", "IND", "NPL"]),
        # names that contain other names
        ("Niger Nigeria", ["NER", "NGA"]),
        ("Nigeria Niger", ["NGA", "NER"]),
        ("Guinea Guinea-Bissau Equatorial Guinea Papua New Guinea", ["GIN", "GNB", "GNQ", "PNG"]),
        ("Sudan South Sudan", ["SDN", "SSD"]),
        ("South Sudan and Sudan", ["SSD", "SDN"]),
        ("Congo and the Democratic Republic of the Congo", ["COG", "COD"]),
        ("Democratic Republic of the Congo Congo", ["COD", "COG"]),
        ("Dominica Dominican Republic", ["DMA", "DOM"]),
        ("Dominican Republic Dominica", ["DOM", "DMA"]),
        ("Samoa Tonga", ["WSM", "TON"]),
        # names with commas, brackets and "and" inside them
        ("Korea, Republic of, Iran (Islamic Republic of)", ["KOR", "IRN"]),
        ("Bosnia and Herzegovina and Trinidad and Tobago", ["BIH", "TTO"]),
        ("Saint Vincent and the Grenadines Saint Lucia", ["VCT", "LCA"]),
        # case, diacritics, apostrophes, hyphens and whitespace
        ("Côte d'Ivoire cote d’ivoire COTE D'IVOIRE", ["CIV", "CIV", "CIV"]),
        ("guinea   bissau", ["GNB"]),
        ("Sao Tome and Principe / São Tomé and Príncipe", ["STP", "STP"]),
        # delimiters: ; / . & and a leading "the"
        (
            "Peru; Brazil/Chile. Jordan & Lebanon and the Gambia",
            ["PER", "BRA", "CHL", "JOR", "LBN", "GMB"],
        ),
        ("Trinidad & Tobago", ["TTO"]),
        ("St. Kitts and Nevis, St. Lucia.", ["KNA", "LCA"]),
        ("", []),
    ],
)
def test_tricky_segmentation(ref, text, expected):
    assert iso3s(ref, text) == expected


def test_match_offsets_point_into_the_original_text(ref):
    text = "the Gambia; Côte d’Ivoire"
    matches, _ = ref.match_countries(text)
    assert [(m.start, m.end, m.text) for m in matches] == [
        (4, 10, "Gambia"),
        (12, 25, "Côte d’Ivoire"),
    ]
    assert all(text[m.start : m.end] == m.text for m in matches)


def test_a_bracketed_name_includes_its_closing_bracket(ref):
    matches, unmatched = ref.match_countries("Iran (Islamic Republic of), Peru")
    assert [(m.start, m.end) for m in matches] == [(0, 26), (28, 32)]
    assert unmatched == []


def test_unknown_names_are_reported_with_their_offsets(ref):
    text = "Brazil, Atlantis; Peru New Lemuria"
    matches, unmatched = ref.match_countries(text)
    assert [m.country.iso3 for m in matches] == ["BRA", "PER"]
    assert [(u.start, u.end, u.text) for u in unmatched] == [
        (8, 16, "Atlantis"),
        (23, 34, "New Lemuria"),
    ]


def test_a_name_is_never_found_inside_a_longer_word(ref):
    matches, unmatched = ref.match_countries("Nigerian Perus")
    assert matches == []
    assert [(u.start, u.end, u.text) for u in unmatched] == [(0, 14, "Nigerian Perus")]


def test_stray_characters_are_reported(ref):
    text = "Brazil (pilot), Nepal 2"
    _, unmatched = ref.match_countries(text)
    assert [(u.start, u.end, u.text) for u in unmatched] == [(7, 14, "(pilot)"), (22, 23, "2")]


def test_a_semicolon_or_slash_parts_names(ref):
    # "Guinea" and "Bissau" on either side of a semicolon are not one country
    matches, unmatched = ref.match_countries("Guinea; Bissau")
    assert [m.country.iso3 for m in matches] == ["GIN"]
    assert [u.text for u in unmatched] == ["Bissau"]


# ------------------------------------------------------------------------ loading


def test_load_reference_is_cached_per_directory():
    assert load_reference(REFERENCE) is load_reference(REFERENCE)


def copy_tables(tmp_path: Path) -> Path:
    for name in ("countries.csv", "regions.csv"):
        shutil.copy(REFERENCE / name, tmp_path / name)
    return tmp_path


def replace_line(path: Path, line: int, text: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line - 1] = text + "\n"
    path.write_text("".join(lines), encoding="utf-8")


def test_a_malformed_row_is_reported_with_file_and_line(tmp_path):
    directory = copy_tables(tmp_path)
    replace_line(directory / "countries.csv", 3, "ALB,AL,8,Albania,,,,europe-and-central-asia")
    with pytest.raises(ReferenceTableError, match=r"countries\.csv:3: m49 '8' is malformed"):
        load_reference(directory)


def test_an_unknown_region_is_reported(tmp_path):
    directory = copy_tables(tmp_path)
    replace_line(directory / "countries.csv", 2, "AFG,AF,004,Afghanistan,,,,oceania")
    with pytest.raises(ReferenceTableError, match=r"countries\.csv:2: unknown ilo_region"):
        load_reference(directory)


def test_a_missing_table_is_reported(tmp_path):
    shutil.copy(REFERENCE / "regions.csv", tmp_path / "regions.csv")
    with pytest.raises(ReferenceTableError, match=r"countries\.csv"):
        load_reference(tmp_path)


def test_a_wrong_header_is_reported(tmp_path):
    directory = copy_tables(tmp_path)
    replace_line(directory / "regions.csv", 1, "slug,label")
    with pytest.raises(ReferenceTableError, match=r"regions\.csv:1: expected columns"):
        load_reference(directory)


# ------------------------------------------------------------------------ the build


def run_build(*args: str) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("country_converter", reason="the build reads country-converter's table")
    return subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.slow  # builds the reference tables twice
def test_build_is_byte_identical_on_rerun_and_matches_the_committed_tables(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    for out in (first, second):
        result = run_build("--output-dir", str(out))
        assert result.returncode == 0, result.stderr
    for name in ("countries.csv", "regions.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    assert "regions.wikidata: 5 missing" in result.stdout
    installed = {name: version(name) for name in BUILT_WITH}
    # The test extra pins these versions; another version may spell a name differently.
    require(installed == BUILT_WITH, f"{BUILT_WITH} (the committed tables' build)")
    for name in ("countries.csv", "regions.csv"):
        assert (first / name).read_bytes() == (REFERENCE / name).read_bytes()


def copy_sources(tmp_path: Path) -> Path:
    sources = tmp_path / "sources"
    shutil.copytree(REFERENCE / "sources", sources)
    return sources


def test_build_fails_on_a_source_row_it_cannot_match(tmp_path):
    sources = copy_sources(tmp_path)
    with (sources / "ilo_members_wikipedia.csv").open("a", encoding="utf-8") as handle:
        handle.write("Atlantis,1 January 2000\n")
    result = run_build("--sources-dir", str(sources), "--output-dir", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "ilo_members_wikipedia.csv:189" in result.stderr and "Atlantis" in result.stderr
    assert not (tmp_path / "out").exists()


def test_build_drops_an_alias_that_could_name_two_countries(tmp_path):
    sources = copy_sources(tmp_path)
    with (sources / "aliases.csv").open("a", encoding="utf-8") as handle:
        handle.write("KOR,Korea,test: also the Democratic People's Republic of Korea\n")
    out = tmp_path / "out"
    result = run_build("--sources-dir", str(sources), "--output-dir", str(out))
    assert result.returncode == 0, result.stderr
    assert "KOR 'Korea'" in result.stdout
    with (out / "countries.csv").open(encoding="utf-8", newline="") as handle:
        korea = next(row for row in csv.DictReader(handle) if row["iso3"] == "KOR")
    assert "Korea" not in korea["aliases"].split("|")


def test_a_name_shared_by_two_countries_is_refused(tmp_path):
    directory = copy_tables(tmp_path)
    # line 2 is Afghanistan, line 4 Albania (Angola stands between them)
    replace_line(directory / "countries.csv", 2, "AFG,AF,004,Afghanistan,Albania,,,")
    with pytest.raises(ReferenceTableError, match=r"countries\.csv:4: the name 'Albania'"):
        load_reference(directory)


@pytest.mark.parametrize(("cell", "expected"), [
    # "Congo, Republic" is itself a name: a longest match first would leave "of" behind
    ("Congo, Republic of Korea", ["COG", "KOR"]),
    ("Republic of Korea Congo, Republic", ["KOR", "COG"]),
    # a name inside a longer one, twice over
    ("Niger Nigeria Guinea Equatorial Guinea Guinea-Bissau", ["NER", "NGA", "GIN", "GNQ", "GNB"]),
])
def test_the_whole_cell_is_segmented_into_known_names(cell, expected):
    matches, unmatched = load_reference().match_countries(cell)
    assert [m.country.iso3 for m in matches] == expected
    assert unmatched == []


def test_only_what_no_segmentation_explains_is_refused():
    matches, unmatched = load_reference().match_countries("Congo, Republic of Atlantis")
    assert [u.text for u in unmatched] == ["of Atlantis"]  # no name explains these words
    assert [m.country.iso3 for m in matches] == ["COG"]
