"""Shared pieces of the field parsers: the ``Parsed`` result, text normalization that keeps
a map back to the caller's text, label tables and YAML data loading."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import yaml


@dataclass(frozen=True)
class Parsed:
    """One parsed field value.

    ``value`` is the canonical string, ``normalized`` a JSON-serializable structured form,
    ``start``/``end`` the span of the caller's text that produced it and ``quality`` 1.0 for a
    clean parse, lower when OCR correction or guessing was needed.
    """

    value: str
    normalized: Any
    start: int
    end: int
    quality: float = 1.0


class Mapped:
    """Normalized text (per-character NFKC, ``×`` → ``x``, every whitespace character → a
    space, every decimal digit → its ASCII digit) that remembers where each of its
    characters came from in the original text."""

    def __init__(self, text: str) -> None:
        chars: list[str] = []
        origin: list[int] = []
        for i, ch in enumerate(text):
            for out in unicodedata.normalize("NFKC", ch).replace("×", "x"):
                chars.append(_normal_char(out))
                origin.append(i)
        self.text = "".join(chars)
        self.origin = origin

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original-text span of the normalized span ``[start, end)`` (non-empty)."""
        return self.origin[start], self.origin[end - 1] + 1

    def parsed(self, value: str, normalized: Any, start: int, end: int,
               quality: float = 1.0) -> Parsed:
        """A ``Parsed`` whose span is mapped back to the original text."""
        s, e = self.span(start, end)
        return Parsed(value, normalized, s, e, round(max(0.0, min(1.0, quality)), 3))


def _normal_char(ch: str) -> str:
    if ch.isspace():
        return " "
    digit = unicodedata.decimal(ch, None)
    return ch if digit is None else str(digit)


def upper_same_length(text: str) -> str:
    """Upper-case each character whose upper case is a single character (keeps indices)."""
    return "".join(u if len(u := c.upper()) == 1 else c for c in text)


def is_cjk(ch: str) -> bool:
    """True for CJK unified ideographs (the characters of Chinese text)."""
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


@cache
def load_data(name: str) -> Any:
    """A YAML data table shipped in this package (loaded once)."""
    return yaml.safe_load(files(__package__).joinpath(name).read_text("utf-8"))


def alternation(words: list[str]) -> str:
    """A regex alternation of literal words, longest first; a space in a word matches any
    run of spaces, including none (OCR drops them)."""
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(r"\s*".join(map(re.escape, w.split(" "))) for w in ordered)


@cache
def label_regex(kind: str) -> re.Pattern[str]:
    """Labels of ``kind`` from ``labels.yml`` (not inside a Latin word), each with the
    ``:`` / ``#`` / ``.`` and spaces after it."""
    words = load_data("labels.yml")[kind]
    return re.compile(rf"(?<![A-Za-z])(?:{alternation(words)})(?![a-z])[\s.:#]*",
                      re.IGNORECASE)


def mask_labels(text: str, kind: str) -> tuple[str, int]:
    """``text`` with every label of ``kind`` blanked out (same length), and the end of the
    last label (0 when none)."""
    last = 0

    def blank(m: re.Match[str]) -> str:
        nonlocal last
        last = m.end()
        return " " * len(m.group())

    return label_regex(kind).sub(blank, text), last


def after_label(text: str, kind: str) -> int:
    """Where the value starts in ``text``: after leading spaces and a label of ``kind``."""
    start = len(text) - len(text.lstrip())
    label = label_regex(kind).match(text, start)
    return label.end() if label else start


def strip_span(text: str, start: int, chars: str) -> tuple[int, int]:
    """``[start, len(text))`` narrowed past ``chars`` at both ends (may become empty)."""
    end = len(text.rstrip(chars))
    while start < end and text[start] in chars:
        start += 1
    return start, max(start, end)
