"""The query gateway: what may run on a public, read-only endpoint.

Checked before any engine sees the query, in two steps:

1. ``prepare`` — cheap, on the text, in the web process: its size, its characters, its
   line ends and its nesting depth (an engine's recursive parser can be crashed by a
   query nested a few thousand levels deep). It returns the text every later step and
   every engine receives: with bare carriage returns turned into line feeds, because
   rdflib ends a ``#`` comment at a line feed only while Oxigraph (and the SPARQL
   grammar) also end it at a carriage return — left alone, a ``SERVICE`` after a CR in
   a comment would be hidden from the check and run by the engine.
2. ``check_query`` — the parsed query, not the text: escapes such as ``\\u0053ERVICE``
   are decoded by the parser, so keyword filters on the text would be bypassable. Only
   SELECT, ASK, CONSTRUCT and DESCRIBE; no SERVICE (the engines would make outbound
   requests); no FROM / FROM NAMED of a graph the store does not hold (never fetched);
   bounded numbers of triple patterns, unions, subqueries and path operators; no
   extension functions (only the XSD casts every engine implements). Parsing costs
   seconds for a long crafted query, so a server does this step in a query worker,
   under the query's deadline (see ``pool``). On a store whose engine parses by the
   grammar itself (Oxigraph), a plain query is checked from the one lexer's tokens
   instead (``lexed_shape``: bounds that cannot undercount, else rdflib parses it);
   rdflib's parse was most of a worker's time for a new query.

Every reading of the text here is the one lexer's (``sparqltext``), the same the
binder and saved queries use.

A refusal is ``QueryRefused`` with the reason, which the web layer answers with 400.
"""

from __future__ import annotations

import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from .. import namespaces as ns
from ..config import Limits
from ..sparqltext import decode_codepoints, read_header, significant, tokenize
from ..sparqltext.lexer import CODEPOINT_ESCAPE
from ..store import QuerySyntaxError
from .errors import QueryRefused

FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
         "DescribeQuery": "DESCRIBE"}
#: Functions named by IRI that may be called: the XSD casts (SPARQL 1.1 §17.5 and the
#: date/duration casts Oxigraph and Virtuoso share). Any other IRI is an extension —
#: and a crafted ``PREFIX`` can make one look like ``xsd:…`` to the checker while an
#: engine with built-in prefixes (Virtuoso's ``bif:``) reads its own function.
XSD_CASTS = frozenset(ns.XSD + name for name in (
    "string", "boolean", "integer", "decimal", "float", "double", "dateTime", "date", "time",
    "duration", "dayTimeDuration", "yearMonthDuration"))
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY",
                             "MOVE", "ADD", "WITH"})
#: Control characters a query may not contain raw (tab and line feed are whitespace).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_ESCAPE_ANY = re.compile(r"\\[uU]")
#: Triple separators a query may hold per allowed triple pattern, before parsing: a
#: CONSTRUCT template and ``.`` between groups add some that are not patterns.
PATTERN_SEPARATOR_FACTOR = 2


@dataclass(frozen=True)
class Shape:
    """What the gateway learned of a query: its form and what it is made of."""

    form: str
    graphs: tuple[str, ...]  # IRIs named in FROM / FROM NAMED
    patterns: int
    unions: int
    subqueries: int
    paths: int
    services: int
    functions: tuple[str, ...]  # IRIs of non-builtin functions called


@lru_cache(maxsize=256)
def prepare(text: str, limits: Limits) -> str:
    """The text engines will receive, if its size, characters and nesting allow it.

    Cheap (one pass over the text): run it wherever the query arrives. Kept for the last
    texts seen, since a request asks it twice (its form for negotiation, then its run).
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limits.max_query_bytes:
        raise QueryRefused(f"query is {size} bytes; the limit is {limits.max_query_bytes}")
    text = canonical(text)
    depth, separators, path_operators = _structure(text)
    if depth > limits.max_nesting:
        raise QueryRefused(f"query nests {depth} levels deep; the limit is {limits.max_nesting}")
    if separators > PATTERN_SEPARATOR_FACTOR * limits.max_patterns:
        raise QueryRefused(f"query has about {separators} triple patterns; the limit is "
                           f"{limits.max_patterns}")
    if path_operators > limits.max_paths:
        raise QueryRefused(f"query has at least {path_operators} property path operators; "
                           f"the limit is {limits.max_paths}")
    if mentions_service(text):
        raise QueryRefused(SERVICE_REFUSED)
    return text


SERVICE_REFUSED = "SERVICE is not allowed: this endpoint makes no outbound requests"


def mentions_service(text: str) -> bool:
    """Whether the keyword SERVICE appears in the code of the query (not in a string, an
    IRI or a comment, as the one lexer reads them), with its escapes left alone as an
    engine may read it or decoded as rdflib reads it.

    The parsed algebra is the real check; this one does not depend on how rdflib lays
    out its tree (it once hid the graph of a nested EXISTS from a walk of the items),
    and a remote store, which runs SERVICE itself, has no sandbox behind it.
    """
    readings = {text}
    if _ESCAPE_ANY.search(text):
        readings.add(decode_codepoints(text))
    return any(_names_service(reading) for reading in readings)


def _names_service(text: str) -> bool:
    return any(t.kind == "word" and t.upper == "SERVICE" for t in tokenize(text))


def canonical(text: str) -> str:
    """Line ends as line feeds; code point escapes that every reader decodes alike.

    rdflib decodes ``\\u`` escapes before parsing, Oxigraph only inside terms, Virtuoso
    as it likes; what matters is that none of them can see code where the checker saw a
    comment or a string. So: no bare carriage returns (rdflib would keep them inside a
    comment, the others end the comment there), no escape that rdflib reads differently
    from the grammar (it takes ``\\u`` with 8 digits and ``\\U`` with 4), and no escape
    of a line end or control character.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = _CONTROL.search(text)
    if bad:
        raise QueryRefused(f"the query contains the control character U+{ord(bad.group()):04X}")
    if _ESCAPE_ANY.search(text):
        _check_escapes(text)
    return text


def _check_escapes(text: str) -> None:
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes

    try:
        theirs = expandUnicodeEscapes(text)
        ours = decode_codepoints(text)
    except (ValueError, OverflowError):
        raise QuerySyntaxError("the query has a \\u escape that is not a code point") from None
    if ours != theirs:
        raise QueryRefused("ambiguous code point escape: write \\u with exactly 4 hex digits "
                           "or \\U with exactly 8")
    decoded = CODEPOINT_ESCAPE.findall(text)
    for short, long in decoded:
        code = int(short or long, 16)
        if (code < 0x20 and code not in (0x09, 0x0A)) or 0xD800 <= code <= 0xDFFF:
            raise QueryRefused(f"the query escapes the control character U+{code:04X}; "
                               "write it in a string as \\t, \\n, \\r … instead")


def check_query(text: str, limits: Limits, graphs: Collection[str] | None = None,
                engine_parses: bool = False) -> Shape:
    """The query's shape if it may run; ``QueryRefused`` or ``QuerySyntaxError`` if not.

    ``graphs`` are the store's graph names; FROM of anything else is refused. ``text``
    is prepared here again (cheap) so that no caller can skip that step.
    ``engine_parses``: the store's engine parses the SPARQL 1.1 grammar itself and
    refuses what does not parse (Oxigraph); then a query whose tokens alone prove it
    within every check (``lexed_shape``) is not parsed by rdflib as well.
    """
    prepared = prepare(text, limits)
    shape = lexed_shape(prepared, limits) if engine_parses else None
    if shape is None:
        shape = query_shape(prepared)
    _check_shape(shape, limits, graphs)
    return shape


def explain_refusal(text: str, limits: Limits, graphs: Collection[str] | None = None
                    ) -> None:
    """For a query taken from its tokens that the engine's parser then refused: raise
    the error rdflib's reading gives, which names the line and column of the client's
    own text (the engine counts the BASE line the service puts first, and names what
    it expected in its own terms). Returns if rdflib reads the query: the engine's
    error then stands."""
    check_query(text, limits, graphs)


#: The words of SPARQL 1.1 Query (keywords, built-in calls, aggregates), upper case.
#: FROM and SERVICE are left out on purpose: a query naming them takes the full check.
QUERY_WORDS = frozenset({
    "BASE", "PREFIX", "SELECT", "DISTINCT", "REDUCED", "AS", "WHERE", "CONSTRUCT",
    "DESCRIBE", "ASK", "GROUP", "BY", "HAVING", "ORDER", "ASC", "DESC", "LIMIT",
    "OFFSET", "VALUES", "UNDEF", "OPTIONAL", "GRAPH", "BIND", "MINUS", "UNION",
    "FILTER", "EXISTS", "NOT", "IN", "A", "TRUE", "FALSE", "COUNT", "SUM", "MIN", "MAX",
    "AVG", "SAMPLE", "GROUP_CONCAT", "SEPARATOR", "STR", "LANG", "LANGMATCHES",
    "DATATYPE", "BOUND", "IRI", "URI", "BNODE", "RAND", "ABS", "CEIL", "FLOOR", "ROUND",
    "CONCAT", "STRLEN", "UCASE", "LCASE", "ENCODE_FOR_URI", "CONTAINS", "STRSTARTS",
    "STRENDS", "STRBEFORE", "STRAFTER", "YEAR", "MONTH", "DAY", "HOURS", "MINUTES",
    "SECONDS", "TIMEZONE", "TZ", "NOW", "UUID", "STRUUID", "MD5", "SHA1", "SHA256",
    "SHA384", "SHA512", "COALESCE", "IF", "STRLANG", "STRDT", "SAMETERM", "ISIRI",
    "ISURI", "ISBLANK", "ISLITERAL", "ISNUMERIC", "REGEX", "SUBSTR", "REPLACE"})
#: Tokens of which each triple pattern of the algebra needs at least one in three: its
#: predicate (an IRI, a variable, ``a``, a path step) or, for a collection's element,
#: the element (two triples each) — so patterns ≤ 3 × these.
_TERM_KINDS = frozenset({"var", "iri", "pname", "string", "number", "bnode"})
_TERM_WORDS = frozenset({"A", "TRUE", "FALSE"})
#: Punctuation a property path operator is written with (also division, negation, …:
#: counting them all bounds the operators from above).
_PATH_PUNCT = frozenset({"/", "|", "^", "*", "+", "?", "!"})
#: Text outside SPARQL 1.1 that Oxigraph reads (RDF-star triple terms and annotations).
_BEYOND_11 = ("<<", ">>", "{|", "|}")


def lexed_shape(text: str, limits: Limits) -> Shape | None:
    """The shape of a prepared query read from its tokens alone, when they prove it may
    run; None when they cannot (then rdflib parses it).

    Every count is an upper bound that cannot miss what the parsed algebra counts: a
    UNION needs the keyword, a subquery a SELECT, a path operator its punctuation, a
    triple pattern a term token (see ``_TERM_KINDS``); a function is called by a name
    before ``(``. So the tokens prove a query within the limits only when they are
    plain: no code point escape (rdflib and the engine would each decode them), no
    word outside SPARQL 1.1 Query (an engine's extension such as LATERAL, or a typo:
    rdflib then refuses it as before), no FROM (graphs are checked on the parsed
    query), no IRI or prefixed name before ``(`` (a function call, or a collection
    object: both go to rdflib), and every bound within its limit. The engine then
    parses the text itself, and refuses what is not a query (Oxigraph's parser is the
    grammar's). Reading the tokens costs tens of microseconds where rdflib's parse
    costs milliseconds (bench/RESULTS.md, 2026-12-07).
    """
    if _ESCAPE_ANY.search(text) or any(marker in text for marker in _BEYOND_11):
        return None
    header = read_header(text)
    if header.form is None or not header.prologue_complete:
        return None
    tokens = significant(tokenize(text))
    counts = _plain_counts(tokens)
    if counts is None:
        return None
    unions, selects, paths, terms = counts
    subqueries = selects - (header.form == "SELECT")
    patterns = 3 * terms
    if (patterns > limits.max_patterns or unions > limits.max_unions
            or subqueries > limits.max_subqueries or paths > limits.max_paths):
        return None
    return Shape(form=header.form, graphs=(), patterns=patterns, unions=unions,
                 subqueries=subqueries, paths=paths, services=0, functions=())


def _plain_counts(tokens) -> tuple[int, int, int, int] | None:
    """(UNIONs, SELECTs, path punctuation, term tokens), or None for tokens that are not
    plain SPARQL 1.1 (see ``lexed_shape``)."""
    unions = selects = paths = terms = 0
    previous = None
    for token in tokens:
        kind = token.kind
        if kind == "word":
            word = token.upper
            if word not in QUERY_WORDS:
                return None
            unions += word == "UNION"
            selects += word == "SELECT"
            terms += word in _TERM_WORDS
        elif kind == "punct":
            if token.text == "(" and previous is not None and previous.kind in ("iri", "pname"):
                return None
            paths += token.text in _PATH_PUNCT
            terms += token.text in "[("
        elif kind in _TERM_KINDS:
            terms += 1
        elif kind != "lang":
            return None  # an unclosed quote, a character outside the grammar
        previous = token
    return unions, selects, paths, terms


def _check_shape(shape: Shape, limits: Limits, graphs: Collection[str] | None) -> None:
    if shape.services:
        raise QueryRefused(SERVICE_REFUSED)
    if graphs is not None:
        foreign = [g for g in shape.graphs if g not in graphs]
        if foreign:
            raise QueryRefused(f"FROM <{foreign[0]}>: not a graph of this dataset (graphs are "
                               "never fetched)")
    for name, count, limit in (("triple patterns", shape.patterns, limits.max_patterns),
                               ("UNIONs", shape.unions, limits.max_unions),
                               ("subqueries", shape.subqueries, limits.max_subqueries),
                               ("property path operators", shape.paths, limits.max_paths)):
        if count > limit:
            raise QueryRefused(f"query has {count} {name}; the limit is {limit}")
    if shape.functions:
        raise QueryRefused(f"extension function <{shape.functions[0]}> is not supported")


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE by the keyword after the prologue — a cheap
    guess for content negotiation (None when unsure; the parser decides). An update
    keyword there is refused at once."""
    header = read_header(text)
    if header.keyword in UPDATE_KEYWORDS:
        raise QueryRefused("updates are not accepted: this endpoint is read-only")
    return header.form


def _structure(text: str) -> tuple[int, int, int]:
    """The deepest nesting, the number of triple separators and a lower bound of the
    property path operators, in one cheap pass.

    A separator is a ``.``, ``;`` or ``,`` token outside parentheses (where commas
    separate function arguments): every triple pattern but the last of a block is
    followed by one. Counting them bounds the patterns of a query before rdflib parses
    it — its parser takes seconds over a few hundred patterns, so a huge BGP is refused
    here, at once, instead of costing a worker its deadline. Likewise a ``/`` or ``|``
    outside parentheses can only be a path's sequence or alternative (division and
    ``||`` live in expressions, which are always bracketed), and each is one operator
    of the parsed path: an 800-step path is refused here too, not after a parse that
    outlasts the deadline.
    """
    depth = deepest = parens = separators = path_operators = 0
    for token in significant(tokenize(text)):
        if token.kind != "punct":
            continue
        ch = token.text
        if ch in "({[":
            depth += 1
            deepest = max(deepest, depth)
            parens += ch == "("
        elif ch in ")}]":
            depth = max(0, depth - 1)
            parens = max(0, parens - (ch == ")"))
        elif not parens and ch in (".", ";", ","):
            separators += 1
        elif not parens and ch in ("/", "|"):
            path_operators += 1
    return deepest, separators, path_operators


#: rdflib's SPARQL parser is not thread-safe: two queries parsed at once in one process
#: (web threads, with a remote store) fail with errors about the parser's own internals,
#: and a valid query would be refused as a syntax error.
_PARSER_LOCK = threading.Lock()


@lru_cache(maxsize=1024)
def query_shape(text: str) -> Shape:
    """Parse with rdflib's SPARQL parser (it decodes escapes first) and walk the algebra.

    Cached by text: repeated queries — the common case — are parsed once. rdflib's
    parser recurses deeply (about 30 nested parentheses or 100 triple patterns exhaust
    Python's default recursion limit); query workers raise the limit, elsewhere such a
    query is refused as too large.
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    with _PARSER_LOCK:
        try:
            query = translateQuery(parseQuery(text))
        except ParseException as err:
            try:
                parseUpdate(text)
            except RecursionError:
                raise _too_large() from None
            except Exception:
                raise QuerySyntaxError(_parse_message(err)) from None
            raise QueryRefused("updates are not accepted: this endpoint is read-only") \
                from None
        except RecursionError:
            raise _too_large() from None
        except Exception as err:
            raise QuerySyntaxError(f"cannot read the query: {err}") from None
    return _shape(query.algebra)


def _too_large() -> QueryRefused:
    return QueryRefused("query is too large or nests too deeply to be read")


def _parse_message(err) -> str:
    near = err.line[max(0, err.col - 1):][:30].strip()
    where = f"line {err.lineno}, column {err.col}"
    return f"syntax error at {where}" + (f" near '{near}'" if near else " (unexpected end)")


def _shape(algebra) -> Shape:
    from pyparsing import ParseResults
    from rdflib.paths import Path
    from rdflib.plugins.sparql.parserutils import CompValue

    names: Counter[str] = Counter()
    functions: list[str] = []
    patterns = paths = 0
    stack = [algebra]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            names[node.name] += 1
            if node.name == "Function" and str(node.iri) not in XSD_CASTS:
                functions.append(str(node.iri))
            patterns += _patterns(node)
            if _is_subquery(node):
                names["subquery"] += 1
            stack.extend(_children(node))
        elif isinstance(node, list | tuple | ParseResults):  # parsed, not translated
            stack.extend(node)
        elif isinstance(node, Path):
            paths += _path_size(node)
    form = FORMS.get(algebra.name)
    if form is None:
        raise QueryRefused(f"{algebra.name} is not a query this endpoint runs")
    # CompValue.get(key) answers the key itself when it is missing: test membership.
    graphs = tuple(str(d["default"] if "default" in d else d["named"])
                   for d in algebra.get("datasetClause") or ())
    return Shape(form=form, graphs=graphs, patterns=patterns, unions=names["Union"],
                 subqueries=names["subquery"], paths=paths,
                 services=names["ServiceGraphPattern"], functions=tuple(functions))


def _children(node) -> list:
    """A node's parts as translated. rdflib translates the graph of an EXISTS by setting
    an attribute, which shadows the parsed item of the same name without replacing it:
    walking the items alone would miss a SERVICE in a nested EXISTS."""
    shadowed = vars(node)
    parts = [shadowed.get(key, OrderedDict.get(node, key)) for key in node]
    parts += [value for key, value in shadowed.items()
              if key not in node and isinstance(value, OrderedDict | list)]
    return parts


def _patterns(node) -> int:
    """Triple patterns of an algebra node: a BGP's, or — inside a nested EXISTS, which
    rdflib leaves as parsed — a triples block's (``s p o p2 o2 …``, one per pair)."""
    if node.name == "BGP":
        return len(node.triples)
    if node.name == "TriplesBlock":
        return sum(max(1, (len(triples) - 1) // 2) for triples in node.triples)
    return 0


def _is_subquery(node) -> bool:
    """A nested SELECT: translated, it is a ``ToMultiSet`` of anything but a VALUES
    block; inside a nested EXISTS it is still a parsed ``SubSelect``."""
    if node.name == "SubSelect":
        return True
    return node.name == "ToMultiSet" and getattr(node.p, "name", "") != "values"


def _path_size(path) -> int:
    """Operators in a property path: sequences, alternatives, inverses, repetitions."""
    from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath

    if isinstance(path, SequencePath | AlternativePath):
        # one operator per ``/`` or ``|``: a 300-step sequence is a 300-way join
        return len(path.args) - 1 + sum(_path_size(p) for p in path.args)
    if isinstance(path, InvPath):
        return 1 + _path_size(path.arg)
    if isinstance(path, MulPath):
        return 1 + _path_size(path.path)
    if isinstance(path, NegatedPath):
        return 1
    return 0
