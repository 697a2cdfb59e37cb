"""OCR repairs for Latin text that a template may ask for: digits read inside words, numbers
glued to words ("81100JOHOR"), and words run together that the template's vocabulary knows
("HARDWARETRADING", "SDNBHD")."""

from __future__ import annotations

import re

_DIGIT_IN_WORD = re.compile(r"(?<=[A-Za-z])[01](?=[A-Za-z])|(?<=[A-Z])0(?=[:.,]|\s[A-Z]|$)")
_BRACKETS = (re.compile(r"(?<=[A-Za-z.])\("), re.compile(r"\)(?=[A-Za-z])"))


def repair_latin(text: str) -> str:
    """0 and 1 read between letters become O and I/l ("CONFECTI0NERY", "Ja1an", "N0:")."""
    def letter(match: re.Match) -> str:
        if match.group() == "0":
            return "O"
        before = text[match.start() - 1]
        return "l" if before.islower() else "I"

    return _DIGIT_IN_WORD.sub(letter, text)


def separate_numbers(text: str) -> str:
    """A space between a number and the capitalized word glued after it ("81100JOHOR")."""
    return re.sub(r"(?<=\d)(?=[A-Z]{3,})", " ", text)


def separate_words(text: str, vocabulary: tuple[str, ...]) -> str:
    """Spaces put back before vocabulary words glued to the letters or '.' before them
    ("HARDWARETRADING", "SDN.BHD"), and outside parentheses."""
    for word in sorted((w for w in vocabulary if re.fullmatch(r"[A-Z]{3,}", w)), key=len, reverse=True):
        text = re.sub(rf"(?<=[A-Za-z.])(?={word})", " ", text, flags=re.IGNORECASE)
    text = _BRACKETS[0].sub(" (", text)
    text = _BRACKETS[1].sub(") ", text)
    return re.sub(r" {2,}", " ", text)
