"""SHACL-SPARQL sh:select constraints, prepared to run once over all focus nodes.

SHACL pre-binds ``$this``: the query is evaluated as if each focus node were written in
place of the variable, everywhere — also inside a UNION branch or a FILTER NOT EXISTS
that does not itself bind it. Two ways to run that as one query:

* set at a time ("join"): the focus nodes are joined into the query's top-level group.
  That is pre-binding only when every part of the query that mentions ``$this`` sees it
  bound — the top-level group binds it; a nested group that mentions it binds it with its
  own triples; results are grouped by ``$this`` and not sliced (LIMIT/OFFSET). Checked
  on the query's group structure; fastest, because the engine hash-joins as it likes.
  A plain group or UNION branch right inside the top-level group that mentions ``$this``
  without binding it (``{ … FILTER NOT EXISTS { $this … } }``) gets the focus pattern
  and the top-level group's own triples copied into it: it then sees ``$this`` bound, and
  the copied triples link it to the focus node (without them the branch would be joined
  to every focus node, a cross product). The copy changes nothing when those triples are
  plain (no paths, no blank nodes: their solutions are a set, so joining them twice is
  joining them once) and every variable they share with the branch is bound by the
  branch's own triples (so no filter, BIND or MINUS in it sees a new binding).
* per focus node ("lateral"), for every other query: Oxigraph's ``LATERAL`` evaluates
  the query once per focus node with ``?this`` injected into every part of it::

      SELECT * WHERE { <focus nodes as ?this> LATERAL { <the sh:select query> } }

One rewrite is applied, only where it provably keeps the meaning: Oxigraph evaluates
``FILTER NOT EXISTS { … }`` with a join inside it slowly (per row, from the wrong end),
while ``MINUS { … }`` is a hash anti-join. The two agree when the inner pattern is plain
triples and every variable it shares with its group is bound by that group's own triples
(or is ``?this``, bound for the whole query), and at least one other variable is shared.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...sparqltext.lexer import Token, significant
from ...sparqltext.lexer import tokenize as lex
from .shapes import Select, UnsupportedShapes

#: Where ``query`` puts the focus pattern in a query run set at a time.
FOCUS = "\x00focus\x00"
#: Tokens of triples that may be copied into a branch: no paths, no blank nodes.
PLAIN_TRIPLE_KINDS = {"var", "iri", "pname", "string", "number", "lang"}
PLAIN_TRIPLE_TEXT = {"a", ";", ",", ".", "^^", "true", "false"}

#: Variables SHACL gives special meanings that this engine does not bind.
UNSUPPORTED_VARIABLES = {"PATH", "currentShape", "shapesGraph", "failure"}
GROUP_KEYWORDS = {"OPTIONAL", "MINUS", "GRAPH", "SERVICE", "FILTER", "BIND", "VALUES"}


def tokenize(text: str) -> list[Token]:
    """The query's tokens as the one lexer reads them, without white space and comments."""
    return significant(lex(text))


@dataclass(frozen=True)
class PreparedSelect:
    prologue: str  # PREFIX and BASE declarations, hoisted above the wrapping query
    projection: tuple[str, ...]  # variable names in order; () for SELECT *
    lateral: str  # the SELECT query without its prologue, rewritten for LATERAL
    join: str | None  # the query with FOCUS where the focus pattern goes, if safe
    rewrites: int  # how many FILTER NOT EXISTS became MINUS in the mode used
    copies: int = 0  # branches the focus pattern was copied into (join mode)

    @property
    def mode(self) -> str:
        return "join" if self.join else "lateral"

    def query(self, focus_pattern: str) -> str:
        """The whole query for the focus nodes bound by ``focus_pattern`` (to ?this)."""
        if self.join:
            return self.prologue + self.join.replace(FOCUS, focus_pattern)
        return (f"{self.prologue}SELECT * WHERE {{ {focus_pattern} "
                f"LATERAL {{ {self.lateral} }} }}")


def prepare(select: Select) -> PreparedSelect:
    """Check the query against what pre-binding allows, split off its prologue, choose
    how to run it and apply the safe NOT EXISTS → MINUS rewrite."""
    text = select.text
    tokens = tokenize(text)
    body_at = _prologue_end(tokens)
    projection = _projection(tokens, body_at)
    problems = _problems(tokens, select)
    if projection and "this" not in projection:
        problems.append(f"sh:select that does not project $this ({select.node})")
    if problems:
        raise UnsupportedShapes(problems)
    own_prologue = text[:tokens[body_at].start] if body_at else ""
    declared = "".join(f"PREFIX {p}: <{n}>\n" for p, n in select.prefixes)
    body_tokens = tokens[body_at:]
    offset = body_tokens[0].start
    body = text[offset:]
    structure = _structure(body_tokens)
    if structure is None:  # a query we cannot read is run exactly as written
        return PreparedSelect(declared + own_prologue, projection, body, None, 0)
    where, group, end = structure
    copies = _join_plan(group, body_tokens, end)
    join_mode = copies is not None
    edits: list = []
    _collect(group, edits, top=True, injected=not join_mode, copies=copies or [])
    rewrites = len(edits)
    if join_mode:
        shared = _triples_text(group, text)
        edits.append((body_tokens[where].end, body_tokens[where].end, f" {FOCUS} "))
        edits += [(g.open.end, g.open.end, f" {FOCUS} {shared} ") for g in copies]
    for start, stop, replacement in sorted(edits, key=lambda e: e[:2], reverse=True):
        body = body[:start - offset] + replacement + body[stop - offset:]
    if join_mode:
        return PreparedSelect(declared + own_prologue, projection, "", body, rewrites,
                              len(copies))
    return PreparedSelect(declared + own_prologue, projection, body, None, rewrites)


def _problems(tokens: list[Token], select: Select) -> list[str]:
    problems = []
    words = {t.upper for t in tokens if t.kind == "word"}
    for keyword in ("MINUS", "VALUES", "SERVICE"):
        if keyword in words:  # pyshacl refuses these in a SPARQL constraint too
            problems.append(f"{keyword} in an sh:select ({select.node})")
    if not any(t.upper == "SELECT" for t in tokens):
        problems.append(f"sh:select that is not a SELECT query ({select.node})")
    names = {t.text[1:] for t in tokens if t.kind == "var"}
    for name in sorted(names & UNSUPPORTED_VARIABLES):
        problems.append(f"${name} in an sh:select ({select.node})")
    for i, t in enumerate(tokens[:-1]):
        if t.upper == "AS" and tokens[i + 1].kind == "var" and tokens[i + 1].text[1:] == "this":
            problems.append(f"an sh:select that binds $this ({select.node})")
    for i, t in enumerate(tokens):
        if t.upper == "SELECT" and i > _prologue_end(tokens):
            nested = _projection(tokens, i)
            if nested and "this" not in nested:
                problems.append(f"a nested SELECT that does not project $this ({select.node})")
    return problems


def _prologue_end(tokens: list[Token]) -> int:
    i = 0
    while i < len(tokens) and tokens[i].upper in ("PREFIX", "BASE"):
        i += 3 if tokens[i].upper == "PREFIX" else 2
    return i


def _projection(tokens: list[Token], i: int) -> tuple[str, ...]:
    """Variable names a SELECT at token ``i`` projects, in order; () for ``*``."""
    i += 1
    if i < len(tokens) and tokens[i].upper in ("DISTINCT", "REDUCED"):
        i += 1
    names, depth = [], 0
    while i < len(tokens):
        t = tokens[i]
        if depth == 0 and (t.text == "{" or t.upper in ("WHERE", "FROM")):
            break
        if t.text == "*" and depth == 0:
            return ()
        if t.text == "(":
            depth += 1
        elif t.text == ")":
            depth -= 1
        elif t.kind == "var" and (depth == 0 or tokens[i - 1].upper == "AS"):
            names.append(t.text[1:])
        i += 1
    return tuple(names)


# Group structure, for the NOT EXISTS → MINUS rewrite --------------------------------------

@dataclass
class Element:
    kind: str  # triples | not_exists | filter | group | union | optional | minus | other
    tokens: list[Token]
    groups: list[Group] = field(default_factory=list)

    def variables(self) -> set[str]:
        return {t.text[1:] for t in self.tokens if t.kind == "var"}


@dataclass
class Group:
    elements: list[Element]
    open: Token  # its ``{``


class _Unreadable(Exception):
    pass


def _structure(tokens: list[Token]) -> tuple[int, Group, int] | None:
    """(index of the WHERE group's brace, the group, index after it), if readable."""
    try:
        where = next(i for i, t in enumerate(tokens) if t.text == "{")
        group, end = _group(tokens, where)
    except (_Unreadable, StopIteration, IndexError):
        return None
    return where, group, end


AGGREGATES = {"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"}


def _join_plan(group: Group, tokens: list[Token], end: int) -> list[Group] | None:
    """Whether joining the focus nodes into the top-level group means pre-binding: None
    if not, else the branches the focus pattern (and the group's triples) is copied into."""
    modifiers = tokens[end:]
    words = {t.upper for t in modifiers if t.kind == "word"}
    if words & {"LIMIT", "OFFSET"}:
        return None
    grouped = "GROUP" in words or any(t.upper in AGGREGATES for t in tokens[:end])
    if grouped and "this" not in _group_by(modifiers):
        return None
    copies: list[Group] = []
    if not _sees_this_bound(group, top=True, copies=copies):
        return None
    return copies


def _triples_text(group: Group, text: str) -> str:
    """The group's own triples, as one block of text."""
    parts = []
    for e in group.elements:
        if e.kind == "triples":
            tokens = e.tokens[:-1] if e.tokens[-1].text == "." else e.tokens
            parts.append(text[tokens[0].start:tokens[-1].end])
    return "".join(f"{p} . " for p in parts)


def _copyable(sub: Group, top: Group) -> bool:
    """Whether the top-level group's triples may be copied into ``sub`` (see above)."""
    triples = [t for e in top.elements if e.kind == "triples" for t in e.tokens]
    if any(t.kind not in PLAIN_TRIPLE_KINDS and t.text not in PLAIN_TRIPLE_TEXT
           for t in triples):
        return False
    shared = {t.text[1:] for t in triples if t.kind == "var"} - {"this"}
    mentioned = set().union(*(x.variables() for x in sub.elements))
    return shared & mentioned <= _binds(sub)


def _group_by(modifiers: list[Token]) -> set[str]:
    names, depth, inside = set(), 0, False
    for i, t in enumerate(modifiers):
        if t.upper == "BY" and i and modifiers[i - 1].upper == "GROUP":
            inside = True
        elif inside and depth == 0 and t.upper in ("HAVING", "ORDER", "LIMIT", "OFFSET",
                                                    "VALUES"):
            break
        elif inside:
            depth += (t.text == "(") - (t.text == ")")
            if depth == 0 and t.kind == "var":
                names.add(t.text[1:])
    return names


def _sees_this_bound(group: Group, top: bool, copies: list[Group] | None = None) -> bool:
    """Whether every part of ``group`` that mentions ``$this`` sees it bound; in the
    top-level group (``copies`` given) a branch may see it through a copy (added)."""
    binds = _binds(group) | ({"this"} if top else set())
    for e in group.elements:
        if e.kind == "triples" or "this" not in e.variables():
            continue
        if e.kind in ("filter", "not_exists"):
            if "this" not in binds:
                return False
        elif e.kind in ("group", "union", "optional", "minus"):
            for sub in e.groups:
                if not any("this" in x.variables() for x in sub.elements):
                    continue
                if "this" in _binds(sub):
                    if not _sees_this_bound(sub, False):
                        return False
                elif (copies is not None and e.kind in ("group", "union")
                      and _copyable(sub, group) and _sees_this_bound(sub, True)):
                    copies.append(sub)
                else:
                    return False
        else:  # BIND, VALUES, GRAPH, SERVICE, a sub-SELECT: not analysed
            return False
    return True


def _binds(group: Group) -> set[str]:
    return set().union(*(e.variables() for e in group.elements if e.kind == "triples"))


def _collect(group: Group, edits: list, top: bool, injected: bool,
             copies: list[Group]) -> None:
    """NOT EXISTS → MINUS edits in ``group`` and the plain groups nested in it. ``?this``
    is bound everywhere when LATERAL injects it, else where a group's triples bind it (and
    in the top-level group and the branches the focus pattern is copied into)."""
    copied = any(group is g for g in copies)
    bound = _binds(group) | ({"this"} if top or injected or copied else set())
    for e in group.elements:
        if e.kind == "not_exists" and _minus_safe(e, group, bound):
            filter_token, exists_token = e.tokens[0], e.tokens[2]
            edits.append((filter_token.start, exists_token.end, "MINUS"))
        if e.kind in ("group", "union"):
            # Not into OPTIONAL (its filters see the left side's bindings), MINUS, EXISTS
            # or sub-SELECTs: their scoping differs from a plain group's.
            for g in e.groups:
                _collect(g, edits, top=False, injected=injected, copies=copies)


def _minus_safe(e: Element, group: Group, bound: set[str]) -> bool:
    inner = e.groups[0]
    if not inner.elements or any(x.kind != "triples" for x in inner.elements):
        return False
    in_scope = set().union(*(x.variables() for x in group.elements if x is not e)) | {"this"}
    shared = _binds(inner) & in_scope
    return bool(shared - {"this"}) and shared <= bound


def _group(tokens: list[Token], i: int) -> tuple[Group, int]:
    """Parse the group starting at the ``{`` at ``i``; return it and the index after."""
    if tokens[i].text != "{":
        raise _Unreadable
    open_ = tokens[i]
    i += 1
    elements: list[Element] = []
    while tokens[i].text != "}":
        t = tokens[i]
        word = t.upper
        if t.text == ".":
            i += 1
        elif t.text == "{":
            if tokens[i + 1].upper == "SELECT":
                j = _balanced(tokens, i, "{", "}")
                elements.append(Element("other", tokens[i:j]))
                i = j
                continue
            start, groups = i, []
            g, i = _group(tokens, i)
            groups.append(g)
            while tokens[i].upper == "UNION":
                g, i = _group(tokens, i + 1)
                groups.append(g)
            kind = "union" if len(groups) > 1 else "group"
            elements.append(Element(kind, tokens[start:i], groups))
        elif word in ("OPTIONAL", "MINUS"):
            g, j = _group(tokens, i + 1)
            elements.append(Element(word.lower(), tokens[i:j], [g]))
            i = j
        elif word == "FILTER" and tokens[i + 1].upper == "NOT" and tokens[i + 2].upper == "EXISTS":
            g, j = _group(tokens, i + 3)
            elements.append(Element("not_exists", tokens[i:j], [g]))
            i = j
        elif word in ("FILTER", "BIND", "GRAPH", "SERVICE", "VALUES"):
            j = _skip_element(tokens, i)
            elements.append(Element("filter" if word == "FILTER" else "other", tokens[i:j]))
            i = j
        else:
            j = _triples_end(tokens, i)
            elements.append(Element("triples", tokens[i:j]))
            i = j
    return Group(elements, open_), i + 1


def _balanced(tokens: list[Token], i: int, open_: str, close: str) -> int:
    depth = 0
    while True:
        if tokens[i].text == open_:
            depth += 1
        elif tokens[i].text == close:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1


def _skip_element(tokens: list[Token], i: int) -> int:
    """The end of a FILTER/BIND/GRAPH/SERVICE/VALUES element: through its first balanced
    ``(...)`` or ``{...}`` (FILTER EXISTS { } and FILTER fn(...) alike)."""
    j = i + 1
    while tokens[j].text not in ("(", "{"):
        j += 1
    if tokens[i].upper in ("GRAPH", "SERVICE", "VALUES") or tokens[j].text == "{":
        close = _balanced(tokens, j, tokens[j].text, "}" if tokens[j].text == "{" else ")")
        if tokens[i].upper == "VALUES" and tokens[j].text == "(":
            close = _balanced(tokens, close, "{", "}")
        return close
    return _balanced(tokens, j, "(", ")")


def _triples_end(tokens: list[Token], i: int) -> int:
    depth = 0
    while True:
        t = tokens[i]
        if depth == 0 and (t.text in ("{", "}") or t.upper in GROUP_KEYWORDS):
            return i
        if t.text in ("[", "("):
            depth += 1
        elif t.text in ("]", ")"):
            depth -= 1
        i += 1
