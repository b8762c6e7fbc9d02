"""Write data/reference/territories.csv: the places ISO 3166-1 codes that are not ILO
member States (Hong Kong, Puerto Rico, Palestine …), so that a report section that lists
one keeps it as what it is instead of refusing it.

Every value comes from pycountry 26.2.16 (the Debian iso-codes tables of ISO 3166-1):
``alpha_3``, ``alpha_2``, ``numeric``, ``name``, and ``common_name`` / ``official_name``
as aliases. A name that could also name a member State or an ILO region is dropped and
reported, as tools/build_reference.py does for aliases. Run from the repository root:

    python tools/build_territories.py
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from flgraph.reference import load_reference, name_key  # noqa: E402

OUT = ROOT / "data" / "reference" / "territories.csv"
COLUMNS = ("iso3", "iso2", "m49", "name", "aliases")


def main() -> int:
    reference = load_reference(ROOT / "data" / "reference")
    members = {c.iso3 for c in reference.countries}
    taken = {name_key(n) for c in reference.countries for n in (c.name, *c.aliases)}
    taken |= {name_key(n) for r in reference.regions for n in (r.label, *r.alt_labels)}
    rows, dropped = [], []
    for entry in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        if entry.alpha_3 in members:
            continue
        names = [entry.name] + [getattr(entry, a) for a in ("common_name", "official_name")
                                if getattr(entry, a, None)]
        kept: list[str] = []
        for name in names:
            key = name_key(name)
            if key in taken:
                dropped.append(f"{entry.alpha_3}: {name!r} also names a member State or region")
                continue
            if key not in {name_key(k) for k in kept}:
                kept.append(name)
        if not kept:
            dropped.append(f"{entry.alpha_3}: no name of its own; left out")
            continue
        rows.append({"iso3": entry.alpha_3, "iso2": entry.alpha_2, "m49": entry.numeric,
                     "name": kept[0], "aliases": "|".join(kept[1:])})
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {OUT.relative_to(ROOT)}: {len(rows)} territories")
    for line in dropped:
        print(f"  dropped {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
