"""``/id/<kind>/``: the members of one kind of resource (member States, indicators,
organisations, publications, outputs, …), each with its label and a line about it, the
member States with results in the report first. A kind is the first segment of the
dataset's IRIs (``id/country/NPL``), so every class the data has gets its index.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pyoxigraph as ox
from flask import abort, render_template

from ..query.service import QueryRequest
from .description import readable
from .internal_queries import sparql
from .services import services
from .term_names import term_names

_LINE = 160  # characters of a member's own words on its line


@dataclass(frozen=True)
class Member:
    href: str
    label: str
    line: str


def index(kind: str):
    """The page of ``/id/<kind>/`` (routed by resources.py)."""
    svc = services()
    prefix = svc.base + "id/" + kind + "/"
    result = svc.query_service.run(QueryRequest(sparql("index-members"),
                                                {"prefix": ox.Literal(prefix)}))
    rows = result.dicts()
    if not rows:
        abort(404, f"no resource of this dataset is under /id/{kind}/")
    members = [_member(row, svc.links) for row in rows]
    kinds = Counter(row["kind"].value for row in rows if "kind" in row)
    name = term_names().get(kinds.most_common(1)[0][0]) if kinds else None
    return render_template("resource/index.html", kind=name or kind.replace("-", " "),
                           members=members, truncated=result.truncated)


def _member(row: dict, links) -> Member:
    iri = row["member"].value
    label = row["label"].value if "label" in row else readable(iri)
    return Member(links.href(iri) or iri, label, _line(row))


def _line(row: dict) -> str:
    """One line about a member: a member State's region and how often Table 1 lists it;
    anything else, the start of its own words."""
    listings = int(row["listings"].value) if "listings" in row else 0
    if "region" in row:
        listed = (f"listed {listings} time{'s' if listings != 1 else ''} in Table 1"
                  if listings else "not named in the report's results")
        return f"ILO region {row['region'].value}; {listed}"
    if "place" in row:
        return f"in {row['place'].value}"
    if "issued" in row:
        return f"issued {row['issued'].value}"
    words = row["words"].value if "words" in row else ""
    return words if len(words) <= _LINE else words[:_LINE].rsplit(" ", 1)[0] + " …"
