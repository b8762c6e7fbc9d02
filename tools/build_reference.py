"""Regenerate data/reference/countries.csv and regions.csv from their named sources.

Inputs, all read offline:

* pycountry (ISO 3166-1 alpha-2/alpha-3, numeric = M49 code, English names);
* country-converter's packaged ``country_data.tsv`` (short and official names, UN
  membership year, and its name patterns, used only to resolve names in the sources);
* the snapshots in ``data/reference/sources/`` (see data/reference/README.md):
  the ILO member list, the ILO regions, Wikidata QIDs, GeoNames ids, UN names,
  the curated aliases and the region labels.

The output is byte-identical on rerun. A value no source gives stays empty and is listed
in the missing-values report printed at the end. A source row that cannot be matched to
a country is an error: the script exits with status 1 and writes nothing.

    python tools/build_reference.py [--output-dir DIR] [--sources-dir DIR]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import country_converter
import pycountry

ROOT = Path(__file__).resolve().parents[1]
try:  # the package is not necessarily installed when the tool runs from a checkout
    from flgraph.reference import COUNTRY_COLUMNS, REGION_COLUMNS, REGION_SLUGS, name_key
except ModuleNotFoundError:  # pragma: no cover - depends on the environment
    sys.path.insert(0, str(ROOT / "src"))
    from flgraph.reference import COUNTRY_COLUMNS, REGION_COLUMNS, REGION_SLUGS, name_key

DEFAULT_OUTPUT = ROOT / "data" / "reference"
DEFAULT_SOURCES = DEFAULT_OUTPUT / "sources"
CC_TABLE = Path(country_converter.__file__).parent / "country_data.tsv"
MEMBER_COUNT = 187
WIKIDATA_URI = re.compile(r"https?://www\.wikidata\.org/entity/(Q[1-9][0-9]*)")
OWID_ONLY_CODE = re.compile(r"OWID_[A-Z0-9]+")  # OWID's codes for areas with no ISO code
ILO_SUFFIX = " (ILO)"
REPORTED_COLUMNS = ("iso2", "m49", "name", "wikidata", "geonames", "ilo_region")


class BuildError(Exception):
    """A source cannot be used as it stands; the message names the file and line."""


@dataclass
class Row:
    """One row of a source table and where it came from, for error messages."""

    values: dict[str, str]
    where: str

    def __getitem__(self, column: str) -> str:
        return self.values[column]


@dataclass
class Build:
    """Everything gathered for one run, keyed by ISO 3166-1 alpha-3."""

    names: dict[str, str]
    aliases: dict[str, list[str]] = field(default_factory=dict)
    wikidata: dict[str, str] = field(default_factory=dict)
    geonames: dict[str, str] = field(default_factory=dict)
    regions: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------- reading


def read_table(path: Path, delimiter: str = ",") -> list[Row]:
    """All rows of a UTF-8 CSV/TSV file, each tagged with ``file:line``."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter=delimiter)
            return [Row(dict(row), f"{path}:{reader.line_num}") for row in reader]
    except OSError as err:
        raise BuildError(f"{path}: cannot read ({err.strerror})") from err


def cc_rows() -> list[Row]:
    """country-converter's own table (read with csv: its pandas API is not needed)."""
    return read_table(CC_TABLE, delimiter="\t")


def clean_un_name(name: str) -> str:
    """A UNTERM name without its footnote marks, trailing "(the)" and leading "the"."""
    name = re.sub(r"\s*\*+\s*$", "", name).strip()
    name = re.sub(r"\s*\(the\)$", "", name)
    return re.sub(r"^the\s+", "", name)


def iso_country(iso3: str, where: str):
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        raise BuildError(f"{where}: {iso3!r} is not an ISO 3166-1 alpha-3 code in pycountry")
    return country


def pycountry_names(country) -> list[str]:
    return [
        name
        for attr in ("name", "official_name", "common_name")
        if (name := getattr(country, attr, None))
    ]


# --------------------------------------------------------------------------- resolving


class NameResolver:
    """Resolve a country name written in a source to an ISO code.

    Exact names first (pycountry, country-converter, UN names, curated aliases), compared
    by the same name key the runtime gazetteer uses; then country-converter's regular
    expressions, which exist for exactly this job. A name that resolves to no code, or to several,
    is an error rather than a guess.
    """

    def __init__(self, cc: list[Row], un_names: list[Row], curated: list[Row]) -> None:
        self._exact: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for country in pycountry.countries:
            for name in pycountry_names(country):
                self._exact[name_key(name)].add(country.alpha_3)
        for row in cc:
            for column in ("name_short", "name_official"):
                if row[column]:
                    self._exact[name_key(row[column])].add(row["ISO3"])
        for row in un_names:
            for column in ("UNTERM English Short", "UNTERM English Formal", "official_name_en"):
                if row[column]:
                    self._exact[name_key(clean_un_name(row[column]))].add(row["ISO3166-1-Alpha-3"])
        for row in curated:
            self._exact[name_key(row["alias"])].add(row["iso3"])
        self._patterns = [
            (re.compile(row["regex"], re.IGNORECASE), row["ISO3"]) for row in cc if row["regex"]
        ]

    def resolve(self, name: str, where: str) -> str:
        exact = self._exact.get(name_key(name), set())
        if len(exact) == 1:
            return next(iter(exact))
        found = {iso3 for pattern, iso3 in self._patterns if pattern.search(name)}
        if len(found) == 1:
            return next(iter(found))
        candidates = ", ".join(sorted(exact or found)) or "none"
        raise BuildError(
            f"{where}: cannot resolve {name!r} to one country (candidates: {candidates})"
        )


# ----------------------------------------------------------------------------- members


def read_members(sources: Path, resolver: NameResolver) -> dict[str, str]:
    """ILO member States (ISO alpha-3 → name as the member list writes it)."""
    members: dict[str, str] = {}
    for row in read_table(sources / "ilo_members_wikipedia.csv"):
        iso3 = resolver.resolve(row["name"], row.where)
        iso_country(iso3, row.where)
        if iso3 in members:
            raise BuildError(f"{row.where}: {row['name']!r} and {members[iso3]!r} are both {iso3}")
        members[iso3] = row["name"]
    if len(members) != MEMBER_COUNT:
        raise BuildError(
            f"ilo_members_wikipedia.csv: {len(members)} members, expected {MEMBER_COUNT}"
        )
    return members


def library_versions() -> str:
    """The library versions behind this run: their tables change between releases."""
    return f"pycountry {version('pycountry')}, country-converter {country_converter.__version__}"


def membership_notes(members: dict[str, str], cc: list[Row]) -> list[str]:
    """How the member list compares with UN membership (country-converter's UNmember)."""
    un = {row["ISO3"] for row in cc if row["UNmember"].strip()}
    return [
        "ILO members that are not UN members: " + (", ".join(sorted(set(members) - un)) or "none"),
        "UN members that are not ILO members: " + (", ".join(sorted(un - set(members))) or "none"),
    ]


# ----------------------------------------------------------------------------- regions


def read_region_labels(sources: Path) -> list[Row]:
    rows = read_table(sources / "region_labels.csv")
    slugs = [row["slug"] for row in rows]
    if sorted(slugs) != sorted(REGION_SLUGS):
        raise BuildError(f"{sources / 'region_labels.csv'}: slugs {slugs} are not {REGION_SLUGS}")
    return rows


def read_ilo_regions(sources: Path, labels: list[Row], members: dict[str, str]) -> dict[str, str]:
    """ILO region slug of each member State, from OWID's copy of the ILOSTAT groupings."""
    slug_of = {row["label"]: row["slug"] for row in labels}
    regions: dict[str, str] = {}
    for row in read_table(sources / "owid_ilo_regions.csv"):
        label = row["owid_name"].removesuffix(ILO_SUFFIX)
        if label not in slug_of:
            raise BuildError(
                f"{row.where}: {row['owid_name']!r} is not one of the five ILO regions"
            )
        code = row["member"]
        if OWID_ONLY_CODE.fullmatch(code):
            continue  # an area without an ISO code (e.g. Kosovo), never an ILO member
        if pycountry.countries.get(alpha_3=code) is None and (
            pycountry.historic_countries.get(alpha_3=code) is None
        ):
            raise BuildError(f"{row.where}: {code!r} is not an ISO 3166 alpha-3 code")
        if code not in members:
            continue
        if code in regions and regions[code] != slug_of[label]:
            raise BuildError(f"{row.where}: {code} is in both {regions[code]} and {slug_of[label]}")
        regions[code] = slug_of[label]
    return regions


def check_arab_states(sources: Path, regions: dict[str, str], resolver: NameResolver) -> str:
    """The ILO Regional Office for Arab States page must agree with the ILOSTAT grouping."""
    path = sources / "ilo_roas_arab_states.csv"
    on_page = {resolver.resolve(row["name_on_page"], row.where) for row in read_table(path)}
    grouped = {iso3 for iso3, slug in regions.items() if slug == "arab-states"}
    members_on_page = {iso3 for iso3 in on_page if iso3 in regions}
    if members_on_page != grouped:
        raise BuildError(
            f"{path}: the regional office covers {sorted(members_on_page)}, "
            f"the ILO grouping has {sorted(grouped)}"
        )
    return f"Arab States agree with the ILO Regional Office for Arab States page ({len(grouped)})"


# ----------------------------------------------------------------------------- aliases


def alias_candidates(
    members: dict[str, str], cc: list[Row], un_names: list[Row], curated: list[Row]
) -> dict[str, list[str]]:
    """Every name each source gives a member State, in a fixed source order."""
    found: dict[str, list[str]] = {iso3: [] for iso3 in members}
    for iso3 in members:
        found[iso3].extend(pycountry_names(iso_country(iso3, "members")))
    for row in cc:
        if row["ISO3"] in found:
            found[row["ISO3"]].extend(n for n in (row["name_short"], row["name_official"]) if n)
    for row in un_names:
        iso3 = row["ISO3166-1-Alpha-3"]
        if iso3 not in found:
            raise BuildError(f"{row.where}: {iso3} is not an ILO member State")
        for column in ("UNTERM English Short", "UNTERM English Formal", "official_name_en"):
            if row[column]:
                found[iso3].append(clean_un_name(row[column]))
    for row in curated:
        if row["iso3"] not in found:
            raise BuildError(f"{row.where}: {row['iso3']} is not an ILO member State")
        if not row["alias"].strip() or not row["reason"].strip():
            raise BuildError(f"{row.where}: an alias needs a name and a reason")
        found[row["iso3"]].append(row["alias"].strip())
    return found


@dataclass
class NameIndex:
    """What each name key can stand for, over every country and territory known.

    ``library`` holds the names pycountry, country-converter and the UN give each code;
    ``exact`` those plus the alias candidates; ``inside`` every run of words inside a
    library name, so that "Korea" is seen to occur in the names of two countries.
    """

    library: dict[str, set[tuple]] = field(default_factory=lambda: defaultdict(set))
    exact: dict[tuple, set[str]] = field(default_factory=lambda: defaultdict(set))
    inside: dict[tuple, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add_library_name(self, iso3: str, name: str) -> None:
        key = name_key(name)
        self.library[iso3].add(key)
        self.exact[key].add(iso3)
        for start in range(len(key)):
            for end in range(start + 1, len(key) + 1):
                self.inside[key[start:end]].add(iso3)

    def clash(self, iso3: str, key: tuple) -> set[str]:
        """Other codes a name could stand for: the same whole name, or (for a name no
        library gives this country) words found inside another country's name."""
        others = self.exact.get(key, set()) - {iso3}
        if not others and key not in self.library.get(iso3, set()):
            others = self.inside.get(key, set()) - {iso3}
        return others


def name_index(cc: list[Row], un_names: list[Row], candidates: dict[str, list[str]]) -> NameIndex:
    index = NameIndex()
    for country in pycountry.countries:
        for name in pycountry_names(country):
            index.add_library_name(country.alpha_3, name)
    for row in cc:
        for column in ("name_short", "name_official"):
            if row[column]:
                index.add_library_name(row["ISO3"], row[column])
    for row in un_names:
        for column in ("UNTERM English Short", "UNTERM English Formal", "official_name_en"):
            if row[column]:
                index.add_library_name(row["ISO3166-1-Alpha-3"], clean_un_name(row[column]))
    for iso3, names in candidates.items():
        for name in names:
            index.exact[name_key(name)].add(iso3)
    return index


def choose_aliases(
    members: dict[str, str], candidates: dict[str, list[str]], index: NameIndex, region_keys: set
) -> tuple[dict[str, list[str]], list[str]]:
    """One spelling per name key, minus any alias that could name another country."""
    chosen: dict[str, list[str]] = {}
    dropped: list[str] = []
    for iso3, name in members.items():
        own = name_key(name)
        if index.exact[own] - {iso3}:
            raise BuildError(
                f"the member name {name!r} ({iso3}) also names {sorted(index.exact[own])}"
            )
        by_key: dict[tuple, str] = {}
        for alias in candidates[iso3]:
            if "|" in alias:
                raise BuildError(f"alias {alias!r} of {iso3} contains the list separator '|'")
            key = name_key(alias)
            if not key or key == own or key in by_key:
                continue
            clash = index.clash(iso3, key) or ({"a region"} if key in region_keys else set())
            if clash:
                dropped.append(f"{iso3} {alias!r} (also {', '.join(sorted(clash))})")
                continue
            by_key[key] = alias
        chosen[iso3] = sorted(by_key.values(), key=lambda a: (a.casefold(), a))
    return chosen, sorted(set(dropped))


# ------------------------------------------------------------------- wikidata, geonames


def read_wikidata(sources: Path, members: dict[str, str], resolver: NameResolver) -> dict[str, str]:
    """Wikidata QIDs; each row's Wikidata label must name the same country as its code."""
    qids: dict[str, str] = {}
    for row in read_table(sources / "owid_countries_wikidata.csv"):
        iso3 = row["iso_alpha3"]
        if iso3 not in members:
            raise BuildError(f"{row.where}: {iso3} is not an ILO member State")
        match = WIKIDATA_URI.fullmatch(row["wikidata_uri"])
        if match is None:
            raise BuildError(f"{row.where}: {row['wikidata_uri']!r} is not a Wikidata entity IRI")
        if resolver.resolve(row["wikidata_label"], row.where) != iso3:
            raise BuildError(f"{row.where}: label {row['wikidata_label']!r} does not name {iso3}")
        qids[iso3] = match.group(1)
    return qids


def read_geonames(un_names: list[Row], members: dict[str, str]) -> dict[str, str]:
    ids: dict[str, str] = {}
    for row in un_names:
        iso3, value = row["ISO3166-1-Alpha-3"], row["Geoname ID"].strip()
        if iso3 not in members:
            raise BuildError(f"{row.where}: {iso3} is not an ILO member State")
        if value and not value.isdigit():
            raise BuildError(f"{row.where}: Geoname ID {value!r} is not a number")
        if value:
            ids[iso3] = value
    return ids


# ----------------------------------------------------------------------------- writing


def country_rows(build: Build) -> Iterator[list[str]]:
    for iso3 in sorted(build.names):
        country = iso_country(iso3, "members")
        yield [
            iso3,
            country.alpha_2,
            country.numeric,
            build.names[iso3],
            "|".join(build.aliases.get(iso3, [])),
            build.wikidata.get(iso3, ""),
            build.geonames.get(iso3, ""),
            build.regions.get(iso3, ""),
        ]


def region_rows(labels: list[Row]) -> Iterator[list[str]]:
    for row in sorted(labels, key=lambda r: r["slug"]):
        # No source gives a Wikidata item for an ILO region: the column stays empty.
        yield [row["slug"], row["label"], row["alt_labels"], ""]


def write_table(path: Path, header: Iterable[str], rows: Iterable[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def missing_report(countries: list[list[str]], regions: list[list[str]]) -> list[str]:
    """One line per column with its empty cells, so that gaps are seen, never guessed."""
    lines = []
    for column in REPORTED_COLUMNS:
        index = COUNTRY_COLUMNS.index(column)
        lines.append(missing_line(f"countries.{column}", [r[0] for r in countries if not r[index]]))
    index = REGION_COLUMNS.index("wikidata")
    lines.append(missing_line("regions.wikidata", [r[0] for r in regions if not r[index]]))
    return lines


def missing_line(column: str, empty: list[str]) -> str:
    listed = f" ({', '.join(empty)})" if empty else ""
    return f"{column}: {len(empty)} missing{listed}"


# -------------------------------------------------------------------------------- main


def build(sources: Path) -> tuple[list[list[str]], list[list[str]], list[str]]:
    """Both tables and the report lines, or BuildError."""
    cc = cc_rows()
    un_names = read_table(sources / "datasets_country_codes.csv")
    curated = read_table(sources / "aliases.csv")
    resolver = NameResolver(cc, un_names, curated)
    members = read_members(sources, resolver)
    result = Build(names=members, notes=[library_versions(), *membership_notes(members, cc)])
    labels = read_region_labels(sources)
    result.regions = read_ilo_regions(sources, labels, members)
    result.notes.append(check_arab_states(sources, result.regions, resolver))
    region_keys = {
        name_key(name)
        for row in labels
        for name in (row["label"], *row["alt_labels"].split("|"))
        if name
    }
    candidates = alias_candidates(members, cc, un_names, curated)
    index = name_index(cc, un_names, candidates)
    result.aliases, dropped = choose_aliases(members, candidates, index, region_keys)
    result.notes.append(f"aliases dropped as ambiguous: {len(dropped)}")
    result.notes.extend(f"  {line}" for line in dropped)
    result.wikidata = read_wikidata(sources, members, resolver)
    result.geonames = read_geonames(un_names, members)
    countries = list(country_rows(result))
    regions = list(region_rows(labels))
    return countries, regions, result.notes + missing_report(countries, regions)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--sources-dir", type=Path, default=DEFAULT_SOURCES)
    args = parser.parse_args(argv)
    try:
        countries, regions, report = build(args.sources_dir)
    except BuildError as err:
        print(f"build_reference: error: {err}", file=sys.stderr)
        return 1
    write_table(args.output_dir / "countries.csv", COUNTRY_COLUMNS, countries)
    write_table(args.output_dir / "regions.csv", REGION_COLUMNS, regions)
    print(f"wrote {len(countries)} countries and {len(regions)} regions to {args.output_dir}")
    for line in report:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
