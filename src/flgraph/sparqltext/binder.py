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
2M triples). Left alone: MINUS (a binding added to its rows would change which rows it
removes), EXISTS and SERVICE.

A sub-SELECT's variables are its own: its ``?x`` is the enclosing query's only where it
projects it. So the block goes into a sub-SELECT's WHERE group (and its nested groups)
only when it projects every bound variable as itself (``?x``, not ``(… AS ?x)``), groups
by each of them if it groups, and has no LIMIT, OFFSET or VALUES of its own: then the
join with the bindings distributes over it as over a plain group, since a group of
``?x = v`` holds the rows it held before and a LIMIT could not have picked other rows
(where ``?x`` may be left unbound inside, those rows join the bound value, as with the
one substitution). Engines need it there too: Oxigraph evaluates a sub-SELECT once,
without the enclosing bindings, so a results-chain example asked for one country grouped
every country's examples first (44 ms at 2M triples, twice Virtuoso's time). Any other
sub-SELECT is left as it is.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping
from functools import lru_cache

import pyoxigraph as ox

from .errors import BindingError
from .header import read_header
from .lexer import Token, significant, tokenize

Term = ox.NamedNode | ox.Literal | ox.BlankNode
_LANGUAGE = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
_MODIFIERS = ("GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES")
_OPAQUE = ("MINUS", "EXISTS", "SERVICE", "VALUES")  # groups no binding is joined into
#: Characters an IRI may not contain (RFC 3987 / SPARQL IRIREF), nor control characters.
_IRI_FORBIDDEN = re.compile(r"[\x00-\x20<>\"{}|^`\\]")


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
    form = read_header(sparql).form
    if form is None:
        raise BindingError("only queries (SELECT, ASK, CONSTRUCT, DESCRIBE) can run here")
    return form


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
    except BindingError:
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
        raise BindingError(f"'{name[:40]}' is not a variable name")
    if isinstance(term, ox.NamedNode):
        _check_iri(name, term.value)
        return term
    if isinstance(term, ox.Literal):
        if term.language:
            if not _LANGUAGE.match(term.language):
                raise BindingError(f"parameter '{name}' has a bad language tag")
        else:
            _check_iri(name, term.datatype.value)
        return term
    raise BindingError(f"parameter '{name}' must be an IRI or a literal (a blank node "
                         "cannot be bound on a remote store)")


def _check_iri(name: str, value: str) -> None:
    problem = iri_problem(value)
    if problem:
        raise BindingError(f"parameter '{name}' {problem}")


def iri_problem(value: str) -> str | None:
    """Why ``value`` cannot be written as an IRI in a query (None: it can): an absolute
    http(s) IRI without ``<>"{}|^`\\``, spaces or controls, valid by RFC 3987 as the
    engine reads it."""
    if not re.match(r"^https?://[^/?#\s]+", value) or _IRI_FORBIDDEN.search(value) or len(
            value) > 2000:
        return ("must be an http(s) IRI without spaces or any of <>\"{}|^`\\, got "
                f"'{value[:60]}'")
    try:
        ox.NamedNode(value)
    except ValueError as err:
        return f"is not a valid IRI: {err}"
    return None


# Reading just enough of the query text ---------------------------------------------------

def has_dataset_clause(sparql: str) -> bool:
    """Whether the query names its own dataset (FROM / FROM NAMED), which a store must
    then use instead of its union default graph (SPARQL 1.1 Query §13.2)."""
    return bool(dataset_clauses(sparql))


@lru_cache(maxsize=512)
def dataset_clauses(sparql: str) -> tuple[tuple[int, int, bool], ...]:
    """The query's FROM and FROM NAMED clauses: (start, end, whether NAMED) each.

    A text this reader cannot follow has none here; the engine's parser then judges it
    (a query without a readable prologue does not parse there either). A text without
    the letters of FROM has none either, and is not read at all: every query an engine
    runs is asked this, in the query worker, right after the gateway read it."""
    if "from" not in sparql.lower():
        return ()
    try:
        return _scan_header(sparql, template_optional=True)[1]
    except BindingError:
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
            raise BindingError("parameters cannot be bound in a short-form CONSTRUCT WHERE "
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
    one of the variables ``names`` and into which bindings may be joined: not a MINUS,
    EXISTS, SERVICE or VALUES block, nor a sub-SELECT that keeps its variables to itself
    (``_takes_bindings``), nor anything inside those. A sub-SELECT that takes them is
    seen through: the brace around it is no group of its own, its WHERE group is one."""
    groups: list[int] = []
    # per open brace: [index, names a variable, is a place for the block], or None
    opened: list[list | None] = []
    previous = ""  # the last keyword seen, to know what a brace opens
    for i in _tokens(text, start):
        char = text[i]
        if char == "{":
            inside_skipped = bool(opened) and opened[-1] is None
            word = _word_at(text, _skip_space(text, i + 1)).upper()
            skip = inside_skipped or previous in _OPAQUE or (
                word == "SELECT" and not _takes_bindings(text, i, names))
            opened.append(None if skip else [i, False, word != "SELECT"])
            previous = ""
            continue
        if char == "}":
            group = opened.pop()
            if group is not None and group[0] != start and group[1] and group[2]:
                groups.append(group[0])
            if not opened:
                break
            continue
        if _variable_at(text, i) in names:
            for group in opened:
                if group is not None:
                    group[1] = True
        word = _word_at(text, i).upper()
        if word in _OPAQUE:
            previous = word
        elif word and word != "SILENT":
            previous = ""  # SERVICE SILENT <iri>, VALUES (?x): the keyword holds until "{"
    return groups


def _takes_bindings(text: str, brace: int, names: set[str]) -> bool:
    """Whether the sub-SELECT in the braces opening at ``brace`` can have the bindings
    of ``names`` joined into its WHERE group with the same answer: it projects each as
    itself (or ``*``), groups by each as itself if it has a GROUP BY, and has no LIMIT,
    OFFSET or VALUES clause. Read at the depth of the sub-SELECT only: what is inside
    its WHERE group or inside parentheses (``(COUNT(?x) AS ?n)``) is not a projection."""
    projected: set[str] = set()
    grouped: set[str] | None = None
    clause = "projection"
    depth = 0  # of braces and parentheses below the sub-SELECT's own level
    for i in _tokens(text, _skip_space(text, brace + 1)):
        char = text[i]
        if char in "{(":
            if char == "{" and depth == 0 and clause == "projection":
                clause = "where"
            depth += 1
            continue
        if char in "})":
            if depth == 0:  # the brace closing the sub-SELECT
                break
            depth -= 1
            if depth == 0 and clause == "where" and char == "}":
                clause = "modifiers"
            continue
        if depth:
            continue
        word = _word_at(text, i).upper()
        if word in ("LIMIT", "OFFSET", "VALUES"):
            return False
        if word == "GROUP":
            grouped, clause = set(), "group"
        elif word in ("HAVING", "ORDER"):
            clause = "modifiers"
        variable = _variable_at(text, i)
        if clause == "projection" and (variable is not None or char == "*"):
            projected.add(variable or "*")
        elif clause == "group" and variable is not None:
            grouped.add(variable)
    takes = "*" in projected or names <= projected
    return takes and (grouped is None or names <= grouped)


def _after_prologue(text: str) -> tuple[int, str]:
    """Index after the query form keyword, and the keyword, past PREFIX and BASE lines."""
    _readable(text)
    header = read_header(text)
    if header.form is None:
        if not header.prologue_complete:
            raise BindingError("cannot read the query's prologue")
        raise BindingError("cannot find the query form to bind parameters into")
    return header.keyword_end, header.form


def _readable(text: str) -> None:
    if _index(text)[2]:
        raise BindingError("a string in the query is not closed")


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
    raise BindingError("unbalanced braces in the query")


@lru_cache(maxsize=512)
def _index(text: str) -> tuple[list[int], dict[int, Token], bool]:
    """The significant tokens' starts in order, the tokens by start, and whether a quote
    opens no well-formed string (the lexer's ``error``)."""
    tokens = significant(tokenize(text))
    return ([t.start for t in tokens], {t.start: t for t in tokens},
            any(t.kind == "error" for t in tokens))


def _tokens(text: str, i: int) -> Iterator[int]:
    """Where each significant token starts, from ``i`` on (a bracket is a token)."""
    starts = _index(text)[0]
    yield from starts[bisect.bisect_left(starts, i):]


def _skip_space(text: str, i: int) -> int:
    """Where the first significant token at or after ``i`` starts (or the text's end)."""
    starts = _index(text)[0]
    k = bisect.bisect_left(starts, i)
    return starts[k] if k < len(starts) else len(text)


def _word_at(text: str, i: int) -> str:
    """The keyword starting at ``i`` ("" if a token of another kind starts there)."""
    token = _index(text)[1].get(i)
    return token.text if token is not None and token.kind == "word" else ""


def _token_end(text: str, i: int) -> int:
    """The end of the token starting at ``i``."""
    token = _index(text)[1].get(i)
    return token.end if token is not None else i + 1


def _variable_at(text: str, i: int) -> str | None:
    token = _index(text)[1].get(i)
    return token.text[1:] if token is not None and token.kind == "var" else None
