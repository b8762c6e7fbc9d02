"""Saved queries: ``queries/<name>.rq`` files with a YAML header of ``#+`` lines.

A saved query is data — name, title, description, parameters, view, tags and the SPARQL
text. Running it, rendering it and binding its parameters happen elsewhere; this module
only reads and checks definitions, and turns raw parameter values into typed RDF terms.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import yaml

from .. import namespaces as ns
from .. import paths
from ..sparqltext.binder import iri_problem
from ..sparqltext.header import read_header
from .errors import ParameterError

PARAM_TYPES = ("iri", "string", "integer", "date")
VIEWS = ("table", "bar", "map", "timeline")
MAX_STRING = 200  # longest string parameter accepted; nothing in the graph needs more
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
_CODEPOINT_ESCAPE = re.compile(r"\\[uU]")


class QueryDefinitionError(Exception):
    """A saved query file whose header is not valid."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str = "string"
    optional: bool = False
    default: str | None = None
    values_from: str | None = None  # a class CURIE whose instances fill a drop-down
    description: str = ""


@dataclass(frozen=True)
class SavedQuery:
    name: str
    title: str
    description: str
    text: str
    params: tuple[Param, ...] = ()
    view: str = "table"
    tags: tuple[str, ...] = ()
    #: the sentence shown when a chosen value has no answer ("{label} has no …")
    empty: str = ""
    view_options: dict = field(default_factory=dict, hash=False, compare=False)

    def param(self, name: str) -> Param:
        return next(p for p in self.params if p.name == name)


#: libyaml's parser where PyYAML was built with it (the safe constructor either way): the
#: headers of the saved queries, read as every web process starts, took 46 ms in Python.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_queries(directory: Path | None = None) -> dict[str, SavedQuery]:
    """Every saved query of a folder, by name (the file name without ``.rq``)."""
    directory = directory or paths.queries_dir()
    return {q.name: q for q in (read_query(p) for p in sorted(directory.glob("*.rq")))}


def read_query(path: Path) -> SavedQuery:
    name = path.stem
    if not _NAME.match(name):
        raise QueryDefinitionError(f"{path.name}: a saved query's file name must be lower case "
                                   "letters, digits and hyphens")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise QueryDefinitionError(f"{path.name}: cannot read: {err}") from err
    return _parsed(path.name, name, text)


@functools.lru_cache(maxsize=256)
def _parsed(file: str, name: str, text: str) -> SavedQuery:
    """A saved query's text read once per process: ``flgraph serve`` reads the saved
    queries before it forks its web processes, and each finds its parses here (reading
    them took each 35 ms of its start); a file changed since is read anew."""
    return _from_header(file, name, _header(file, text), text)


def _header(file: str, text: str) -> dict:
    lines = [line[2:] for line in text.splitlines() if line.startswith("#+")]
    if not lines:
        return {}
    try:
        header = yaml.load("\n".join(line[1:] if line.startswith(" ") else line
                                     for line in lines), Loader=_SAFE_LOADER)
    except yaml.YAMLError as err:
        reason = " ".join(str(err).split())  # the CLI reports errors in one line
        raise QueryDefinitionError(f"{file}: header is not valid YAML: {reason}") from err
    if not isinstance(header, dict):
        raise QueryDefinitionError(f"{file}: header must be 'key: value' lines")
    return header


def _from_header(file: str, name: str, header: dict, text: str) -> SavedQuery:
    unknown = set(header) - {"title", "description", "params", "view", "tags", "view_options",
                         "empty"}
    if unknown:
        raise QueryDefinitionError(f"{file}: unknown header keys: {', '.join(sorted(unknown))}")
    view = header.get("view", "table")
    if view not in VIEWS:
        raise QueryDefinitionError(f"{file}: view '{view}' is not one of {', '.join(VIEWS)}")
    params = tuple(_param(file, p) for p in header.get("params") or [])
    # read only where there is a parameter to check: the whole text is tokenised for it
    projection = _projection(text) if params else None
    for p in params:
        if projection is not None and p.name not in projection:
            # Parameters are bound by the engine (substitution) or a trailing VALUES
            # clause; both need the variable in the results, and the latter needs it to
            # survive any GROUP BY.
            raise QueryDefinitionError(f"{file}: parameter '{p.name}' must be a projected "
                                       f"variable (SELECT … ?{p.name} …)")
    return SavedQuery(
        name=name,
        title=str(header.get("title") or name),
        description=str(header.get("description") or ""),
        text=text,
        params=params,
        view=view,
        tags=tuple(str(t) for t in header.get("tags") or ()),
        empty=str(header.get("empty") or ""),
        view_options=dict(header.get("view_options") or {}),
    )


def _projection(text: str) -> set[str] | None:
    """Variables a SELECT projects; None for SELECT * and other query forms. Read without
    the ``#+`` header, comments whose prose (titles, descriptions) is all that holds
    characters beyond ASCII in most saved queries: the lexer then reads them with its
    ASCII pattern as every web process starts (sparqltext/lexer.py)."""
    code = "\n".join(line for line in text.splitlines() if not line.startswith("#+"))
    projection = read_header(code).projection
    return None if projection is None else set(projection)


def _param(file: str, raw) -> Param:
    if not isinstance(raw, dict) or "name" not in raw:
        raise QueryDefinitionError(f"{file}: each parameter needs at least a name")
    name = str(raw["name"])
    if not _VARIABLE.match(name):
        raise QueryDefinitionError(f"{file}: parameter name '{name}' is not a SPARQL variable name")
    kind = raw.get("type", "string")
    if kind not in PARAM_TYPES:
        raise QueryDefinitionError(f"{file}: parameter '{name}' has type '{kind}'; expected one "
                                   f"of {', '.join(PARAM_TYPES)}")
    return Param(name=name, type=kind, optional=bool(raw.get("optional", False)),
                 default=None if raw.get("default") is None else str(raw["default"]),
                 values_from=raw.get("in"), description=str(raw.get("description", "")))


# Parameter values ----------------------------------------------------------------------

def bind_params(query: SavedQuery, raw: dict[str, str], base: str = ns.ID
                ) -> dict[str, ox.NamedNode | ox.Literal]:
    """Typed RDF terms for the query's parameters; missing optional ones stay unbound.

    Values are checked against their declared type before any query sees them, and are
    bound by the engine as terms, never pasted into the query text.
    """
    unknown = set(raw) - {p.name for p in query.params}
    if unknown:
        raise ParameterError(f"unknown parameter(s): {', '.join(sorted(unknown))} (this query "
                             f"takes: {', '.join(p.name for p in query.params) or 'none'})")
    bound = {}
    for param in query.params:
        value = raw.get(param.name)
        if value in (None, ""):
            value = param.default
        if value in (None, ""):
            if not param.optional:
                raise ParameterError(f"parameter '{param.name}' is required")
            continue
        bound[param.name] = to_term(param, value, base)
    return bound


def to_term(param: Param, value: str, base: str = ns.ID) -> ox.NamedNode | ox.Literal:
    value = value.strip()
    if param.type == "iri":
        return ox.NamedNode(check_iri(param.name, value, base))
    if param.type == "integer":
        if not re.fullmatch(r"[+-]?\d{1,18}", value):
            raise ParameterError(f"parameter '{param.name}' must be an integer, got '{value[:40]}'")
        return ox.Literal(str(int(value)), datatype=ox.NamedNode(ns.XSD + "integer"))
    if param.type == "date":
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise ParameterError(f"parameter '{param.name}' must be a date YYYY-MM-DD, got "
                                 f"'{value[:40]}'") from None
        return ox.Literal(day.isoformat(), datatype=ox.NamedNode(ns.XSD + "date"))
    if len(value) > MAX_STRING or any(ord(c) < 0x20 for c in value):
        raise ParameterError(f"parameter '{param.name}' must be a string of at most {MAX_STRING} "
                             "printable characters")
    if _CODEPOINT_ESCAPE.search(value):
        # SPARQL decodes \uXXXX anywhere in a query's text before parsing it, so such a
        # value could not be passed through a VALUES clause unchanged.
        raise ParameterError(f"parameter '{param.name}' may not contain \\u or \\U sequences")
    return ox.Literal(value)


def check_iri(name: str, value: str, base: str = ns.ID) -> str:
    """An absolute http(s) IRI; a relative one ("country/ZMB") is taken under ``base``."""
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value):
        value = base + value.lstrip("/")
    problem = iri_problem(value)
    if problem:
        raise ParameterError(f"parameter '{name}' {problem}")
    return value

