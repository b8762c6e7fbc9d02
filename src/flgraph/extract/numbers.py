"""Numbers as the report writes them: digits ("1,200") or words ("two")."""

from __future__ import annotations

import re

WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100,
}

#: Digits with optional thousands separators, or a number word.
NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+|" + "|".join(sorted(WORDS, key=len, reverse=True)) + r")"
_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")


def to_int(token: str) -> int:
    """The value of a token matched by ``NUMBER``."""
    if _DIGITS.match(token):
        return int(token.replace(",", ""))
    return WORDS[token.lower()]
