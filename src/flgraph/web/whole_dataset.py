"""Work that reads every quad (dumps, the validation report), away from the web process.

Under ``flgraph serve`` (and whenever the app has query workers) such work runs in a
child process (query/whole.py); an app made without query workers (tests, the app
factory) does the work in its own process, on its own store.

The functions given to :func:`run` take the store first and must be importable by name
(a spawned child imports them); what they return comes back pickled.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ..query.answers import Store
from ..query.whole import complete_quads, in_child
from ..rdfio import FORMATS, write_quads
from ..validation.validate import ValidationReport, validate_quads
from .services import services

T = TypeVar("T")
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def run(function: Callable[..., T], *args) -> T:
    """``function(store, *args)`` in a child process when the app has query workers, else
    here."""
    svc = services()
    if svc.child_spec is None:
        return function(svc.store, *args)
    return in_child(svc.child_spec, svc.version, function, *args)


def write_dump(store: Store, target: Path, format_name: str) -> None:
    write_quads(complete_quads(store), target, FORMATS[format_name])


def validate_store(store: Store, reference_up_to: int) -> tuple[ValidationReport, str]:
    """The SHACL report of the store's data and the engine that made it: pyshacl (the
    reference) up to ``reference_up_to`` quads, flgraph's own engine above."""
    quads = complete_quads(store)
    engine = "pyshacl" if len(quads) <= reference_up_to else "fast"
    return validate_quads(quads, engine=engine), engine
