"""What a piece of report text mentions: counts, dates, organisations, publications,
conventions, places, programmes and events, actors named in lower case and subjects; and
what each sentence says of the programmes, events and publications it names (``links``:
their dates, and who took which part).

Each finder reads clean text (a ``TextMap``) and returns records whose evidence is the
exact source span of the words found. ``statement`` bundles them for one block of text.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..records import Evidence, Statement
from ..textmap import TextMap
from .actors import find_actor_types
from .conventions import find_conventions
from .dates import find_periods
from .initiatives import find_initiatives
from .links import find_links
from .organisations import find_organisations
from .places import find_places
from .publications import find_publications
from .quantities import find_quantities
from .subjects import find_subjects

if TYPE_CHECKING:
    from ...reference import Reference


def statement(text: TextMap, evidence: Evidence, reference: Reference,
              country: str | None = None, cited: TextMap | None = None,
              by_office: bool = False) -> Statement:
    """A block of text with what it mentions; ``country`` scopes unnamed organisations;
    ``by_office``: the text is an ILO contribution or output (the Office's doing).

    ``cited`` is the whole text the statement's evidence cites when it is more than
    ``text``: a code or a scope prefix ("15.1 …", "Nigeria: …") labels the statement and
    belongs to its evidence, though not to its words."""
    base = replace(evidence, spans=(cited or text).spans())
    periods = find_periods(text, base)
    organisations = find_organisations(text, base, reference, country)
    publications = find_publications(text, base, periods)
    initiatives = find_initiatives(text, base, country)
    actor_types = find_actor_types(text, base)
    return Statement(
        text=text.text,
        evidence=base,
        quantities=find_quantities(text, base, exclude=[p.evidence.spans for p in periods]),
        periods=periods,
        organisations=organisations,
        publications=publications,
        conventions=find_conventions(text, base),
        places=find_places(text, base, reference, country),
        initiatives=initiatives,
        actor_types=actor_types,
        subjects=find_subjects(text, base),
        links=find_links(text, base, [*initiatives, *publications], periods, organisations,
                         actor_types, by_office),
    )
