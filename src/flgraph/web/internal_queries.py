"""The site's own SPARQL (overview counts, chart data, drop-down options), kept in .rq
files beside this module and read once."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_DIR = Path(__file__).parent / "site_queries"


@cache
def sparql(name: str) -> str:
    return (_DIR / f"{name}.rq").read_text(encoding="utf-8")
