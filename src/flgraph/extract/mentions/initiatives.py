"""Programmes, strategies, surveys, tools, data sets and events the text names or
describes, and the languages a thing is said to be in.

Named ones are capitalised names whose words include a word for such a thing
("Integration Action Programme (IAP)", "National Labour Force Survey", "Global Dialogue
Forum for the Promotion of …"), or a quoted name the sentence says is one ("\\"Movement
Integrated Action\\", which is the strategy …"). A name defined with an acronym anywhere
in the source is recognised by that acronym in any statement ("the IAP"). Described ones
are a word for such a thing with the words the text gives it ("a tripartite conference in
Amman", "E-learning tool … in USB format, translated into 5 languages (English, …)").
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

import pycountry

from ..records import Evidence, InitiativeMention, LanguageMention
from ..textmap import TextMap
from .names import name_runs

#: Words that make a capitalised name a thing of this kind, and the kind.
KINDS = {
    "programme": "programme", "program": "programme", "project": "programme",
    "initiative": "programme", "campaign": "programme", "strategy": "strategy",
    "plan": "strategy", "survey": "survey", "census": "survey", "forum": "event",
    "conference": "event", "summit": "event", "symposium": "event", "seminar": "event",
    "indicators": "dataset", "database": "dataset", "tool": "tool", "toolkit": "tool",
    "memorandum": "agreement", "memorandums": "agreement", "memoranda": "agreement",
    "agreement": "agreement", "accord": "agreement", "pact": "agreement",
}
#: Events the text says someone held, without naming them ("The ILO held a workshop with
#: …", "facilitated more than 20 workshops", "Organized convening sessions").
_HELD_EVENT = re.compile(
    r"\b(?i:held|organi[sz]ed|facilitated|convened|hosted)\s+(?:(?:a|an|the)\s+|"
    r"(?:(?:more\s+than|over|some|about|nearly)\s+)?\d[\d,]*\s+)?"
    r"(?P<name>(?:[a-z][\w-]*\s+){0,2}(?:workshops?|seminars?|meetings?|conferences?|forums?|"
    r"sessions?|consultations?|trainings?))\b")
_EVENT_NOUNS = ("conference", "forum", "workshop", "seminar", "meeting", "summit",
                "symposium", "consultation")
_ACRONYM = re.compile(r"^\s*\((?P<acronym>[A-Z][A-Za-z]{0,2}[A-Z][A-Za-z]{0,6})\)")
_POSSESSIVE = re.compile(r"^[A-Z][\w]*['’]s\s+")
_QUOTED_KIND = re.compile(r"[\"“](?P<name>[^\"“”]{3,80})[\"”],?\s+which\s+is\s+(?:the|a|an)\s+"
                          r"(?P<noun>" + "|".join(KINDS) + r")\b")
_DESCRIBED_EVENT = re.compile(r"\b(?:a|an)\s+(?P<name>(?:[a-z][\w-]*\s+){0,2}(?:"
                              + "|".join(_EVENT_NOUNS) + r"))\s+(?:in|at)\s+"
                              r"(?P<venue>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,2})")
_DESCRIBED_TOOL = re.compile(r"(?<![\w-])(?P<name>[A-Za-z]+-[a-z]+\s+(?:tool|toolkit|course|"
                             r"platform|module))\b")
_FORMAT = re.compile(r"\bin\s+(?P<format>[A-Z]{2,}|[A-Za-z]+)\s+format\b")
_LANGUAGE_LIST = re.compile(r"\blanguages?\s*\((?P<list>[^()]{2,200})\)")
_LANGUAGES_AFTER = re.compile(r"\b(?:translated\s+into|in)\s+(?P<list>[A-Z][a-z]+"
                              r"(?:(?:,\s*|\s+and\s+)[A-Z][a-z]+)+)")
#: A date after a name is not part of it: "… Survey in November/December 2012".
_DATE_TAIL = re.compile(r"\s+(?:in|on|of|for|to)\s+(?:January|February|March|April|May|June|"
                        r"July|August|September|October|November|December)\b.*$")
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?](?=\s|$)|$)")


def find_initiatives(text: TextMap, evidence: Evidence,
                     country: str | None = None) -> tuple[InitiativeMention, ...]:
    found: list[tuple[int, int, InitiativeMention]] = []
    acronyms = defined_acronyms(evidence.source.text) if evidence.source else {}
    for run in name_runs(text.text):
        mention = _named(text, evidence, run.start, run.end, country)
        if mention is not None:
            found.append(mention)
    for match in _QUOTED_KIND.finditer(text.text):
        found.append(_make(text, evidence, match.start("name"), match.end("name"),
                           match["name"], KINDS[match["noun"].lower()], None, True, country))
    for acronym, (name, kind) in acronyms.items():
        for match in re.finditer(rf"\b{re.escape(acronym)}s?\b", text.text):  # "the MoUs"
            if not _inside(found, match.start()):
                found.append(_make(text, evidence, match.start(), match.end(), name, kind,
                                   acronym, True, country))
    for match in _DESCRIBED_EVENT.finditer(text.text):
        if not _inside(found, match.start("name")):
            found.append(_make(text, evidence, match.start("name"), match.end("name"),
                               match["name"], "event", None, False, country,
                               venue=match["venue"]))
    for match in _HELD_EVENT.finditer(text.text):
        if not _inside(found, match.start("name")):
            found.append(_make(text, evidence, match.start("name"), match.end("name"),
                               match["name"], "event", None, False, country))
    for match in _DESCRIBED_TOOL.finditer(text.text):
        if not _inside(found, match.start("name")):
            found.append(_described_tool(text, evidence, match, country))
    return tuple(m for _, _, m in sorted(found, key=lambda f: f[0]))


def _named(text: TextMap, evidence: Evidence, start: int, end: int,
           country: str | None) -> tuple[int, int, InitiativeMention] | None:
    words = text.text[start:end]
    possessive = _POSSESSIVE.match(words)  # "ILO's Global Dialogue Forum"
    if possessive:
        start += possessive.end()
        words = words[possessive.end():]
    if words.startswith("The "):
        start, words = start + 4, words[4:]
    words = _DATE_TAIL.sub("", words)
    end = start + len(words)
    head = next((KINDS[w.lower()] for w in words.split() if w.lower() in KINDS), None)
    if head is None or len(words.split()) < 2:
        return None
    after = text.text[end:]
    convention = re.match(r"^,\s*(?:19|20)\d{2}\s*\(\s*No\.?\s*\d{1,3}\s*\)", after)
    if convention:  # "… Work in Fishing Convention, 2007 (No. 188)" ends the name
        end += convention.end()
    acronym = _ACRONYM.match(text.text[end:])
    return _make(text, evidence, start, end, text.text[start:end], head,
                 acronym["acronym"] if acronym else None, True, country,
                 cite_end=end + acronym.end() if acronym else end)


def _described_tool(text: TextMap, evidence: Evidence, match: re.Match[str],
                    country: str | None) -> tuple[int, int, InitiativeMention]:
    sentence = _sentence_of(text.text, match.start())
    fmt = _FORMAT.search(sentence)
    start, end, mention = _make(text, evidence, match.start("name"), match.end("name"),
                                match["name"], "tool", None, False, country)
    offset = text.text.index(sentence)
    languages = find_languages(text.slice(offset, offset + len(sentence)), evidence)
    return start, end, replace(mention, format=fmt["format"] if fmt else None,
                               languages=languages)


def _make(text: TextMap, evidence: Evidence, start: int, end: int, name: str, kind: str,
          acronym: str | None, named: bool, country: str | None, venue: str | None = None,
          cite_end: int | None = None) -> tuple[int, int, InitiativeMention]:
    return start, cite_end or end, InitiativeMention(
        name=name.strip(), kind=kind, acronym=acronym, named=named, country=country,
        evidence=replace(evidence, spans=text.spans(start, cite_end or end)), venue=venue)


def _inside(found: list[tuple[int, int, InitiativeMention]], pos: int) -> bool:
    return any(s <= pos < e for s, e, _ in found)


def _sentence_of(text: str, pos: int) -> str:
    for match in _SENTENCE.finditer(text):
        if match.start() <= pos < match.end():
            return match.group(0)
    return text


@lru_cache(maxsize=64)
def defined_acronyms(source: str) -> dict[str, tuple[str, str]]:
    """Acronyms the source defines for a programme, survey … ("Integration Action
    Programme (IAP)"): acronym → (name, kind)."""
    out: dict[str, tuple[str, str]] = {}
    for run in name_runs(source):
        words = _DATE_TAIL.sub("", re.sub(r"^(?:The\s+|[A-Z]\w*['’]s\s+)", "", run.text))
        head = next((KINDS[w.lower()] for w in words.split() if w.lower() in KINDS), None)
        acronym = _ACRONYM.match(source[run.end:])
        if head and acronym and len(words.split()) >= 2:
            out.setdefault(acronym["acronym"], (words, head))
    return out


def find_languages(text: TextMap, evidence: Evidence) -> tuple[LanguageMention, ...]:
    """Languages listed after "languages (…)" or "translated into …", by their ISO 639
    names (pycountry); a word that names no language is not one."""
    found: list[LanguageMention] = []
    for pattern in (_LANGUAGE_LIST, _LANGUAGES_AFTER):
        for match in pattern.finditer(text.text):
            for word in re.finditer(r"[A-Z][a-z]+", match["list"]):
                language = _language(word.group(0))
                start = match.start("list") + word.start()
                if language is None or any(m.evidence.spans == text.spans(start, start + len(
                        word.group(0))) for m in found):
                    continue
                found.append(LanguageMention(
                    name=word.group(0), iso639_1=getattr(language, "alpha_2", None),
                    iso639_3=language.alpha_3,
                    evidence=replace(evidence, spans=text.spans(start, start + len(
                        word.group(0))))))
    return tuple(found)


@lru_cache(maxsize=1024)
def _language(name: str):
    """The living individual language of this English name (ISO 639-3), or None."""
    language = pycountry.languages.get(name=name)
    return language if language is not None and getattr(language, "type", "L") == "L" else None
