"""Parameters written into query text, on every store.

A remote endpoint only receives text; Oxigraph could bind parameters itself
(``substitutions``), but then plans the query without them and scans where a look-up
would do. So the terms go into a ``VALUES`` block written from their N-Triples form
(pyoxigraph escapes quotes, backslashes and line breaks), after every term was checked:

- an IRI or datatype cannot contain ``<>"{}|^`\\`` or spaces, so it cannot close its
  brackets; a language tag is letters, digits and hyphens;
- a literal is written with its quotes and backslashes escaped, so it cannot close its
  quotes. A ``\\u0022`` typed by a user arrives as ``\\\\u0022``: even a server that
  decodes ``\\u`` escapes before parsing (SPARQL allows it) sees an escaped quote (and
  ``queries.to_term`` refuses such values anyway).

Where the block goes: first in the query's WHERE group, for every query form. That is
a join of the bindings with the whole pattern — what Oxigraph's substitution does — and
it is the placement Virtuoso gets right: it refuses a trailing ``VALUES`` after ASK,
CONSTRUCT and DESCRIBE (``SP031``), and after a SELECT it drops every row in which the
variable is not bound by the pattern itself, where SPARQL would bind it.

The block is also written first in every nested group that names a bound variable (a
UNION branch, an OPTIONAL or GRAPH group, a plain ``{ … }``). A join distributes over
these, so the answer is the same — or, where a BIND or FILTER inside the group reads the
parameter, the one substitution gives (the parameter is a constant of the query). Engines
need it: Oxigraph evaluates a UNION or a group with a BIND without the bindings of the
enclosing group and joins afterwards, so a country profile (nine UNION branches) read
every country's facts; with the block in each branch it reads one country's (40 → 4 ms at
2M triples). Left alone: sub-SELECTs (their variables are their own), MINUS (a binding
added to its rows would change which rows it removes), EXISTS and SERVICE.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache

import pyoxigraph as ox

from ..query.saved import ParameterError, check_iri
from .base import QuerySyntaxError, Term

_LANGUAGE = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
_MODIFIERS = ("GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES")
_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_KEYWORD = re.compile(r"[A-Za-z]+(?![\w:-])")  # a keyword, not a prefixed name
_VARIABLE_AT = re.compile(r"[?$]([A-Za-z0-9_]+)")
_OPAQUE = ("MINUS", "EXISTS", "SERVICE", "VALUES")  # groups no binding is joined into
_OTHER = re.compile(r"[^\s{}()<>\"'#]+")


def bind(sparql: str, bindings: Mapping[str, Term]) -> str:
    """The query text with ``bindings`` as a VALUES block."""
    block = values_block(bindings)
    where, groups = _placement(sparql, frozenset(bindings))
    if where is None:  # DESCRIBE <…> ?x with no WHERE clause: give it one
        return f"{sparql[:groups[0]]}\nWHERE {{ {block} }}\n{sparql[groups[0]:]}"
    pieces, last = [], 0
    for i in groups:
        pieces += [sparql[last:i + 1], f" {block}\n"]
        last = i + 1
    return "".join([*pieces, sparql[last:]])


@lru_cache(maxsize=512)
def _placement(sparql: str, names: frozenset[str]) -> tuple[int | None, tuple[int, ...]]:
    """Where the VALUES blocks go: the WHERE group's ``{`` and each nested group's, in
    text order, or (None, (end of the DESCRIBE clause,)) for a DESCRIBE without WHERE.

    They depend on the text and the variables' names only, not on their values, so a
    page asked for many resources reads its query once (reading it in Python costs
    0.4–0.6 ms, as much as Oxigraph takes to answer the look-up)."""
    start = _where_group(sparql)
    if start is None:
        return None, (_modifiers_start(sparql),)
    return start, tuple(sorted([start, *_nested_groups(sparql, start, set(names))]))


def query_form(sparql: str) -> str:
    """SELECT, CONSTRUCT, ASK or DESCRIBE: the keyword after the prologue."""
    try:
        return _after_prologue(sparql)[1]
    except ParameterError:
        raise QuerySyntaxError("only queries (SELECT, ASK, CONSTRUCT, DESCRIBE) can run "
                               "here") from None


@lru_cache(maxsize=256)
def with_row_cap(sparql: str, rows: int) -> tuple[str, bool] | None:
    """The SELECT query with ``LIMIT rows`` after its solution modifiers, and whether it
    is ordered; None where a LIMIT cannot simply be added: another form, a query with a
    LIMIT or a trailing VALUES block of its own, or a text this reader cannot follow
    (the server then judges it as written).

    A remote store asks for one row more than it shows, so that the server writes no
    more than that: Virtuoso writes a whole answer before sending it (the organisations
    query at 2M triples, 28,792 rows: 5.7 s, and 2.0 s with a LIMIT; bench/RESULTS.md).
    Reading the text costs 0.17–0.19 ms for a saved query, so it is read once per text
    and row count: give it the query before its parameters are bound (``bind`` writes
    them inside the WHERE group, which leaves the modifiers as they are).
    """
    try:
        if query_form(sparql) != "SELECT":
            return None
        where = _where_group(sparql)
        if where is None:
            return None
        words = {_word_at(sparql, i).upper()
                 for i in _tokens(sparql, _after_braces(sparql, where))}
    except (ParameterError, QuerySyntaxError):
        return None
    if words & {"LIMIT", "VALUES"}:
        return None
    return f"{sparql}\nLIMIT {rows}\n", "ORDER" in words


def values_block(bindings: Mapping[str, Term]) -> str:
    """``VALUES (?a ?b) { (<iri> "lit") }``, every variable and term checked first."""
    checked = {name: _checked(name, term) for name, term in bindings.items()}
    names = " ".join(f"?{name}" for name in checked)
    terms = " ".join(str(term) for term in checked.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


def _checked(name: str, term: Term) -> ox.NamedNode | ox.Literal:
    if not _VARIABLE.match(name):
        raise ParameterError(f"'{name[:40]}' is not a variable name")
    if isinstance(term, ox.NamedNode):
        check_iri(name, term.value)
        return term
    if isinstance(term, ox.Literal):
        if term.language:
            if not _LANGUAGE.match(term.language):
                raise ParameterError(f"parameter '{name}' has a bad language tag")
        else:
            check_iri(name, term.datatype.value)
        return term
    raise ParameterError(f"parameter '{name}' must be an IRI or a literal (a blank node "
                         "cannot be bound on a remote store)")


# Reading just enough of the query text ---------------------------------------------------

def has_dataset_clause(sparql: str) -> bool:
    """Whether the query names its own dataset (FROM / FROM NAMED), which a store must
    then use instead of its union default graph (SPARQL 1.1 Query §13.2)."""
    return bool(dataset_clauses(sparql))


@lru_cache(maxsize=512)
def dataset_clauses(sparql: str) -> tuple[tuple[int, int, bool], ...]:
    """The query's FROM and FROM NAMED clauses: (start, end, whether NAMED) each.

    A text this reader cannot follow has none here; the engine's parser then judges it
    (a query without a readable prologue does not parse there either)."""
    try:
        return _scan_header(sparql, template_optional=True)[1]
    except (ParameterError, QuerySyntaxError):
        return ()


def without_dataset_clauses(sparql: str) -> str:
    """The query with its FROM / FROM NAMED clauses left out: for a server that adds the
    protocol's graphs to the query's (Virtuoso) where the protocol's should replace them
    (SPARQL 1.1 Protocol §2.1.4)."""
    pieces, last = [], 0
    for start, end, _ in dataset_clauses(sparql):
        pieces += [sparql[last:start], " "]
        last = end
    return "".join([*pieces, sparql[last:]])


def _where_group(text: str) -> int | None:
    """Index of the ``{`` opening the query's WHERE group (None: a DESCRIBE without one)."""
    return _scan_header(text)[0]


def _scan_header(text: str, template_optional: bool = False
                 ) -> tuple[int | None, tuple[tuple[int, int, bool], ...]]:
    """Read up to the WHERE group: where it opens, and the FROM clauses before it.

    Skipped on the way: the prologue, a CONSTRUCT template, and the projection, whose
    parenthesised expressions may hold braces of their own (``EXISTS { … }``). A
    short-form ``CONSTRUCT WHERE`` has no template: its WHERE group is its template too,
    so no bindings can go into it, but its dataset clause can be read
    (``template_optional``).
    """
    after, form = _after_prologue(text)
    if form == "CONSTRUCT":
        after = _skip_space(text, after)
        if text.startswith("{", after):
            after = _after_braces(text, after)
        elif not template_optional:
            raise ParameterError("parameters cannot be bound in a short-form CONSTRUCT WHERE "
                                 "on a remote store; write the template out")
    depth = 0
    clauses: list[tuple[int, int, bool]] = []
    for i in _tokens(text, after):
        char = text[i]
        if char == "{" and depth == 0:
            return i, tuple(clauses)
        word = _word_at(text, i).upper() if depth == 0 else ""
        if word in _MODIFIERS:
            break
        if word == "FROM":
            clauses.append(_dataset_clause(text, i))
        depth += {"(": 1, ")": -1}.get(char, 0)
    return None, tuple(clauses)


def _dataset_clause(text: str, start: int) -> tuple[int, int, bool]:
    """The FROM clause at ``start``: where it ends (after its IRI or prefixed name) and
    whether it is FROM NAMED."""
    i = _skip_space(text, _token_end(text, start))
    named = _word_at(text, i).upper() == "NAMED"
    if named:
        i = _skip_space(text, _token_end(text, i))
    return start, _token_end(text, i), named


def _nested_groups(text: str, start: int, names: set[str]) -> list[int]:
    """Opening braces of the groups nested in the group opening at ``start`` that name
    one of the variables ``names`` and into which bindings may be joined: not a
    sub-SELECT, MINUS, EXISTS, SERVICE or VALUES block, nor anything inside those."""
    groups: list[int] = []
    opened: list[list | None] = []  # per open brace: [index, names a variable], or None
    previous = ""  # the last keyword seen, to know what a brace opens
    for i in _tokens(text, start):
        char = text[i]
        if char == "{":
            inside_skipped = bool(opened) and opened[-1] is None
            word = _word_at(text, _skip_space(text, i + 1)).upper()
            skip = inside_skipped or previous in _OPAQUE or word == "SELECT"
            opened.append(None if skip else [i, False])
            previous = ""
            continue
        if char == "}":
            group = opened.pop()
            if group is not None and group[0] != start and group[1]:
                groups.append(group[0])
            if not opened:
                break
            continue
        variable = _VARIABLE_AT.match(text, i)
        if variable and variable.group(1) in names:
            for group in opened:
                if group is not None:
                    group[1] = True
        word = _word_at(text, i).upper()
        if word in _OPAQUE:
            previous = word
        elif word and word != "SILENT":
            previous = ""  # SERVICE SILENT <iri>, VALUES (?x): the keyword holds until "{"
    return groups


def _after_prologue(text: str) -> tuple[int, str]:
    """Index after the query form keyword, and the keyword, past PREFIX and BASE lines."""
    i = 0
    while True:
        i = _skip_space(text, i)
        word = _word_at(text, i)
        upper = word.upper()
        if upper in _FORMS:
            return i + len(word), upper
        if upper not in ("PREFIX", "BASE"):
            raise ParameterError("cannot find the query form to bind parameters into")
        i = _skip_space(text, i + len(word))
        if upper == "PREFIX":
            i = _skip_space(text, _token_end(text, i))  # the prefix name
        if not text.startswith("<", i):
            raise ParameterError("cannot read the query's prologue")
        i = _token_end(text, i)


def _modifiers_start(text: str) -> int:
    start, _ = _after_prologue(text)
    for i in _tokens(text, start):
        if _word_at(text, i).upper() in _MODIFIERS:
            return i
    return len(text)


def _after_braces(text: str, start: int) -> int:
    depth = 0
    for i in _tokens(text, start):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i + 1
    raise ParameterError("unbalanced braces in the query")


def _tokens(text: str, i: int) -> Iterator[int]:
    """Where each token starts, from ``i`` on, past spaces and comments; a brace or
    parenthesis is a token of its own."""
    while True:
        i = _skip_space(text, i)
        if i >= len(text):
            return
        yield i
        i = _token_end(text, i)


def _skip_space(text: str, i: int) -> int:
    while i < len(text):
        if text[i].isspace():
            i += 1
        elif text[i] == "#":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end + 1
        else:
            break
    return i


def _word_at(text: str, i: int) -> str:
    match = _KEYWORD.match(text, i)
    return match.group(0) if match else ""


def _token_end(text: str, i: int) -> int:
    """The end of the token at ``i``: an IRI, a string (any quoting), a bracket, or a run
    of anything else up to a space, bracket, quote or comment. ``<`` starts an IRI only
    if an IRIREF follows (no spaces, quotes or braces before ``>``), as in SPARQL's own
    grammar; otherwise it is the less-than operator."""
    iri = _IRIREF.match(text, i)
    if iri:
        return iri.end()
    for quote in ('"""', "'''", '"', "'"):
        if text.startswith(quote, i):
            return _string_end(text, i + len(quote), quote)
    match = _OTHER.match(text, i)
    return match.end() if match else i + 1


def _string_end(text: str, i: int, quote: str) -> int:
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text.startswith(quote, i):
            return i + len(quote)
        else:
            i += 1
    raise ParameterError("a string in the query is not closed")
