"""What a sentence says of the programmes, surveys, tools, events and publications it
names: when, and who took which part.

A date belongs to the nearest thing named before it in the sentence ("… Survey in
November/December 2012"; "… report … produced in 2013 and presented … at … Forum" dates
the report, not the forum), or to the first thing after it when it opens the sentence
("Between 2012 and 2013 the ILO facilitated … workshops"). It is a launch date where a
launch word stands between the two ("was initiated …, in 2008"), or where the sentence
speaks of the thing's launch ("the launch of the \"Movement …\"").

An organisation's part is read from the verb between it and the thing ("The Government
of Zambia implemented its first … Survey": implementer; "was initiated by the Ministry of
Labour": initiator; "the ILO helped the IAP": supporter), from "with X support"
(supporter), from "with"/"in conjunction with" after an event (participant) or another
thing (partner), from a partnership the thing "is based on" (partner), and from "ILO's
…" before an event (organiser). A kind of actor listed after a thing keeps its list's
relation (partner, beneficiary, participant). In a statement of the Office (an ILO
contribution or output), a thing the sentence says was organised, developed, produced …
with no one named to do it is the ILO's doing, as the tables define those statements
("outputs delivered by the Office"): "Organized convening sessions".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..records import (
    ActorTypeMention,
    Evidence,
    InitiativeMention,
    OrganisationMention,
    Period,
    ThingLink,
)
from ..textmap import TextMap

#: Verbs by the part their subject (or, passive, their "by …" agent) takes in the thing.
ROLE_VERBS = {
    "organiser": r"held|holding|organi[sz]ed|organi[sz]ing|organi[sz]es?|hosted|hosting|"
                 r"convened|convening|facilitated|facilitating",
    "implementer": r"implemented|implementing|conducted|conducting|carried\s+out|ran|"
                   r"undertook|undertaken",
    "initiator": r"initiated|initiating|launched|launching|started|founded|set\s+up|created",
    "developer": r"developed|developing|produced|producing|designed|designing|drafted|"
                 r"prepared",
    "publisher": r"published|issued|released",
    "supporter": r"supported|supporting|helped|helping|assisted|funded|financed",
    "signatory": r"signed|signing",
    "reviewer": r"revised|revising|reviewed|reviewing|commented|commenting",
}
_VERB = re.compile(r"\b(?:" + "|".join(f"(?P<{k}>{v})" for k, v in ROLE_VERBS.items())
                   + r")\b", re.I)
_LAUNCH = re.compile(r"\b(?:launch(?:ed|ing)?|initiated|started|began|inaugurated)\b", re.I)
_LAUNCH_OF = re.compile(r"\blaunch(?:ing)?\s+of\s+(?:the\s+|this\s+|its\s+)?[\"“]?$", re.I)
_BY = re.compile(r"\bby\s+(?:the\s+)?$")
_WITH_SUPPORT = re.compile(r"^\s*support\b")
_WITH = re.compile(r"\b(?:in\s+conjunction\s+with|together\s+with|in\s+(?:cooperation|"
                   r"collaboration|partnership)\s+with|with)\s+(?:the\s+)?$", re.I)
_PARTNERSHIP = re.compile(r"\bpartnership\s+(?:between|among|with)\b", re.I)
_CHAIN = re.compile(r"^\s*(?:\([^()]{1,12}\)\s*)?(?:,\s*(?:and\s+)?|\s+and\s+|\s*(?:in\s+"
                    r"conjunction\s+with|together\s+with)\s+)(?:the\s+)?$")
_ILO = re.compile(r"\b(?:the\s+)?ILO\b")
_POSSESSIVE = re.compile(r"^['’]s\s+$")
#: A sentence ends at ". " before a capital, a quote or the end: "(Nov. 2012)" does not.
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z\"“•]|\s*$)")
_OPENING_VERB = re.compile(r"^[\s•]*(?P<verb>[A-Z][a-z]+)\b")
MAX_GAP = 120


@dataclass(frozen=True)
class _At:
    """A found thing or agent with where it stands in the clean text."""

    start: int
    end: int
    item: object


def find_links(text: TextMap, evidence: Evidence, things: list, periods: tuple[Period, ...],
               organisations: tuple[OrganisationMention, ...],
               actor_types: tuple[ActorTypeMention, ...],
               by_office: bool = False) -> tuple[ThingLink, ...]:
    """Dates and parts for ``things`` (initiative and publication mentions) of ``text``."""
    placed_things = _placed(text, things)
    placed_periods = _placed(text, periods)
    agents = _placed(text, organisations) + _ilo(text)
    types = _placed(text, actor_types)
    out: list[ThingLink] = []
    for start, end in _sentences(text.text):
        inside = [t for t in placed_things if start <= t.start < end]
        if not inside:
            continue
        here = [a for a in agents if start <= a.start < end]
        out += _dates(text, evidence, inside, [p for p in placed_periods
                                               if start <= p.start < end], start)
        linked = _agent_links(text, evidence, inside, here, start, end)
        out += linked
        out += _type_links(text, evidence, inside, [t for t in types if start <= t.start < end])
        if by_office:
            done = {id(link.thing) for link in linked}
            out += _office_links(text, evidence, [t for t in inside if id(t.item) not in done],
                                 here, start, end)
    return tuple(out)


def _placed(text: TextMap, items) -> list[_At]:
    """Each item with the clean-text range of its evidence."""
    out = []
    for item in items:
        spans = item.evidence.spans
        if not spans:
            continue
        try:
            i = text.starts.index(spans[0].start)
            j = text.ends.index(spans[-1].end) + 1
        except ValueError:
            continue
        out.append(_At(i, j, item))
    return sorted(out, key=lambda a: a.start)


def _ilo(text: TextMap) -> list[_At]:
    return [_At(m.start(), m.end(), "ILO") for m in _ILO.finditer(text.text)]


def _sentences(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        out.append((start, match.end()))
        start = match.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def _span(text: TextMap, evidence: Evidence, *placed: _At) -> Evidence:
    i = min(p.start for p in placed)
    j = max(p.end for p in placed)
    return replace(evidence, spans=text.spans(i, j))


def _dates(text: TextMap, evidence: Evidence, things: list[_At], periods: list[_At],
           sentence_start: int) -> list[ThingLink]:
    out = []
    launched_things = [t for t in things
                       if _LAUNCH_OF.search(text.text[sentence_start : t.start])]
    for period in periods:
        before = [t for t in things if t.end <= period.start]
        thing = before[-1] if before else next((t for t in things if t.start >= period.end),
                                               None)
        if thing is None:
            continue
        between = text.text[min(thing.end, period.end) : max(thing.start, period.start)]
        near = text.text[max(sentence_start, thing.start - 50) : thing.start]
        launched = bool(_LAUNCH.search(between) or _LAUNCH.search(near))
        targets = [thing] + [t for t in launched_things if t is not thing]
        for target in targets:
            relation = "launched" if launched or target is not thing else "date"
            out.append(ThingLink(target.item, relation, _span(text, evidence, target, period),
                                 period=period.item))
    return out


def _agent_links(text: TextMap, evidence: Evidence, things: list[_At], agents: list[_At],
                 start: int, end: int) -> list[ThingLink]:
    out: list[ThingLink] = []
    agents = [a for a in agents  # an organisation named inside another's name is not apart
              if not any(b is not a and b.start <= a.start and a.end <= b.end
                         and (b.start, b.end) != (a.start, a.end) for b in agents)]
    for k, agent in enumerate(agents):
        found = _roles_before(text, agent, things, agents)
        if not found:
            role, thing = _role_after(text, agent, things, agents[:k], out)
            found = [(role, thing)] if role is not None and thing is not None else []
        out += [_agent_link(text, evidence, thing, agent, role) for role, thing in found]
    return out


def _agent_link(text: TextMap, evidence: Evidence, thing: _At, agent: _At,
                role: str) -> ThingLink:
    org = agent.item if isinstance(agent.item, OrganisationMention) else None
    return ThingLink(thing.item, role, _span(text, evidence, thing, agent),
                     organisation=org, ilo=org is None)


def _roles_before(text: TextMap, agent: _At, things: list[_At],
                  agents: list[_At]) -> list[tuple[str, _At]]:
    """The agent stands before things: "The ILO held a workshop", "ILO's … Forum"; each
    later thing takes the part of the last verb before it ("supported the
    systematization of the IAP … by revising and commenting on a publication")."""
    out: list[tuple[str, _At]] = []
    previous_end = agent.end
    for thing in (t for t in things if t.start >= agent.end):
        if any(agent.end <= a.start < thing.start for a in agents if a is not agent):
            break
        gap = text.text[previous_end : thing.start]
        if agent.item == "ILO" and previous_end == agent.end and _POSSESSIVE.match(gap):
            if isinstance(thing.item, InitiativeMention) and thing.item.kind == "event":
                out.append(("organiser", thing))
            break
        if len(text.text[agent.end : thing.start]) > MAX_GAP:
            break
        verbs = list(_VERB.finditer(gap))
        if verbs and not _BY.search(gap):
            out.append((verbs[-1].lastgroup, thing))
        previous_end = thing.end
    return out


def _role_after(text: TextMap, agent: _At, things: list[_At], earlier: list[_At],
                linked: list[ThingLink]) -> tuple[str | None, _At | None]:
    """The agent stands after the thing: "initiated by the Ministry", "with ILO support",
    "a workshop with the CSO in conjunction with the MLSS", "a partnership between …"."""
    before = [t for t in things if t.end <= agent.start]
    if not before:
        return None, None
    thing = before[-1]
    between = [a for a in earlier if a.start >= thing.end]
    immediate = text.text[(between[-1].end if between else thing.end) : agent.start]
    if _WITH.search(immediate) and _WITH_SUPPORT.match(text.text[agent.end :]):
        return "supporter", thing  # "…, with ILO support, …"
    if between:  # "with the CSO in conjunction with the MLSS": the same part as the CSO's
        last = between[-1]
        chained = next((link for link in linked if link.thing is thing.item
                        and _same_agent(link, last.item)), None)
        if chained and _CHAIN.match(text.text[last.end : agent.start]):
            return chained.relation, thing
        if not _PARTNERSHIP.search(text.text[thing.end : agent.start]):
            return None, None
    gap = text.text[thing.end : agent.start]
    if len(gap) > MAX_GAP * 2:
        return None, None
    if _BY.search(gap):
        verbs = list(_VERB.finditer(gap))
        return (verbs[-1].lastgroup, thing) if verbs else (None, None)
    if _WITH.search(gap):
        kind = getattr(thing.item, "kind", "")
        return ("participant" if kind == "event" else "partner"), thing
    if _PARTNERSHIP.search(gap):
        return "partner", thing
    return None, None


def _same_agent(link: ThingLink, item) -> bool:
    return (link.ilo and item == "ILO") or link.organisation is item


def _type_links(text: TextMap, evidence: Evidence, things: list[_At],
                types: list[_At]) -> list[ThingLink]:
    """Kinds of actors listed after a thing keep their list's relation; a counted kind
    ("6 States Governments") takes the part its verb gives it."""
    out = []
    for placed in types:
        mention: ActorTypeMention = placed.item
        if mention.relation == "actor":
            found = _roles_before(text, placed, things, [])
            role, thing = found[0] if found else (None, None)
        else:
            before = [t for t in things if t.end <= placed.start]
            role, thing = (mention.relation, before[-1]) if before else (None, None)
        if role is not None and thing is not None:
            out.append(ThingLink(thing.item, role, _span(text, evidence, thing, placed),
                                 actor_type=mention))
    return out


def _office_links(text: TextMap, evidence: Evidence, things: list[_At], agents: list[_At],
                  start: int, end: int) -> list[ThingLink]:
    """Things of an Office statement that the sentence says were organised, developed …
    without naming who: "Organized convening sessions", "E-learning tool … developed"."""
    out = []
    opening = _OPENING_VERB.match(text.text[start:end])
    verb = _VERB.fullmatch(opening["verb"]) if opening else None
    for k, thing in enumerate(things):
        if verb and k == 0 and not any(a.start < thing.start for a in agents):
            out.append(ThingLink(thing.item, verb.lastgroup, _span(
                text, evidence, _At(start + opening.start("verb"), start + opening.end(),
                                    None), thing), ilo=True, implied=True))
            continue
        after = text.text[thing.end : end]
        match = _VERB.search(after[:MAX_GAP])
        if match and not re.match(r"\s+by\b", after[match.end():]) \
                and not any(thing.end <= a.start < thing.end + match.start() for a in agents) \
                and not any(t.start > thing.start and t.start < thing.end + match.start()
                            for t in things):
            out.append(ThingLink(thing.item, match.lastgroup, _span(
                text, evidence, thing, _At(thing.end + match.start(),
                                           thing.end + match.end(), None)), ilo=True, implied=True))
    return out
