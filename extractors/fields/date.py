"""Dates: ISO and other numeric forms, named months (via dateparser) and Chinese bill dates
in upper-case (贰零贰肆年零叁月壹拾伍日). Value and normalized form are ISO ``YYYY-MM-DD``."""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

import dateparser

from . import chinese
from .base import Mapped, Parsed

MIN_YEAR, MAX_YEAR = 1900, 2199
SWAPPED_QUALITY = 0.8

_GLUED_TIME = r"(?=\d{1,2}:\d\d)"  # OCR may glue the time on: 25/12/20188:13:39
_GLUED_CLOCK = r"(?=\d{6}(?!\d))"  # or a time without colons: 2017-02-12144838
_YMD = re.compile(r"(?<!\d)(?P<y>\d{4}) *[-./年] *(?P<m>\d{1,2}) *[-./月] *"
                  rf"(?P<d>\d{{2}}{_GLUED_TIME}|\d{{2}}{_GLUED_CLOCK}|\d{{1,2}}(?!\d))"
                  r"(?: *日)?")
_COMPACT = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<m>0[1-9]|1[0-2])"
                      r"(?P<d>0[1-9]|[12]\d|3[01])(?!\d)")
_DMY = re.compile(r"(?<![\d.])(?P<a>\d{1,2}) *(?P<s>[-./]) *(?P<b>\d{1,2}) *(?P=s) *"
                  rf"(?P<y>\d{{4}}{_GLUED_TIME}|\d{{2}}{_GLUED_TIME}|\d{{4}}(?![\d.])|\d{{2}}(?![\d.]))")
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|ju1y?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?(?![a-z])")
_DAY, _SEP = r"\d{1,2}(?:st|nd|rd|th)?", r"[ \-./,'’´]*"  # Jun17'13: a POS printer's year
_NAMED = re.compile(rf"(?<![a-z\d])(?:{_DAY}{_SEP}{_MONTH}|{_MONTH}{_SEP}{_DAY},?){_SEP}"
                    rf"(?P<y>\d{{4}}{_GLUED_TIME}|\d{{2}}{_GLUED_TIME}|\d{{4}}(?!\d)|\d{{2}}(?!\d))", re.IGNORECASE)
_UPPER = re.compile(r"(?P<y>[零壹贰叁肆伍陆柒捌玖]{4})年(?P<m>[零壹贰叁肆伍陆柒捌玖拾]{1,4})月"
                    r"(?P<d>[零壹贰叁肆伍陆柒捌玖拾]{1,4})日")
_DATEPARSER_SETTINGS = {
    "DATE_ORDER": "DMY",
    "PREFER_DAY_OF_MONTH": "first",
    "STRICT_PARSING": True,
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
}


class _Found(NamedTuple):
    start: int
    end: int
    date: dt.date
    quality: float


def make_date(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None when it does not exist or lies outside MIN_YEAR..MAX_YEAR."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _full_year(digits: str) -> int:
    """A 4-digit year, reading 2-digit years as POSIX does: 00–68 → 20xx, 69–99 → 19xx."""
    year = int(digits)
    if len(digits) == 2:
        year += 2000 if year <= 68 else 1900
    return year


def _numeric(text: str, day_first: bool) -> list[_Found]:
    found = []
    for rx in (_YMD, _COMPACT):
        for m in rx.finditer(text):
            if date := make_date(int(m["y"]), int(m["m"]), int(m["d"])):
                found.append(_Found(m.start(), m.end(), date, 1.0))
    for m in _DMY.finditer(text):
        if len(m["y"]) == 2 and m.start() and text[m.start() - 1].isalpha():
            continue  # the tail of a product code (HA06HD01-3-70), not a date
        a, b, year = int(m["a"]), int(m["b"]), _full_year(m["y"])
        day, month = (a, b) if day_first else (b, a)
        if date := make_date(year, month, day):
            found.append(_Found(m.start(), m.end(), date, 1.0))
        elif date := make_date(year, day, month):
            found.append(_Found(m.start(), m.end(), date, SWAPPED_QUALITY))
    return found


def _named(text: str) -> list[_Found]:
    found = []
    for m in _NAMED.finditer(text):
        try:
            text = re.sub(r"(?i)ju1", "jul", m.group()[: m.start("y") - m.start()] + m["y"])
            text = re.sub(r"['’´]|(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)", " ", text, flags=re.IGNORECASE)
            parsed = dateparser.parse(text, languages=["en"], settings=_DATEPARSER_SETTINGS)
        except Exception:  # dateparser is a black box: a failure means "no date here"
            parsed = None
        year = _full_year(m["y"])  # dateparser's own 2-digit-year rule differs
        if parsed and (date := make_date(year, parsed.month, parsed.day)):
            found.append(_Found(m.start(), m.end(), date, 1.0))
    return found


def _upper_part(numeral: str) -> int | None:
    """Month or day written with 零 padding (零叁, 零壹拾, 壹拾伍)."""
    return chinese.to_int(numeral.lstrip("零"))


def _upper(text: str) -> list[_Found]:
    corrected, repaired = chinese.correct(text)
    found = []
    for m in _UPPER.finditer(corrected):
        year = chinese.digit_string(m["y"])
        month, day = _upper_part(m["m"]), _upper_part(m["d"])
        if year and month and day and (date := make_date(int(year), month, day)):
            quality = chinese.repair_quality(repaired, m.start(), m.end())
            found.append(_Found(m.start(), m.end(), date, quality))
    return found


def date_order(text: str) -> bool | None:
    """What the numeric dates in ``text`` say about the order: True when one can only be read
    day first (25/03/2024), False when one can only be read month first (03/25/2024), None
    when none settles it (or they disagree)."""
    orders = set()
    for m in _DMY.finditer(Mapped(text).text):
        a, b = int(m["a"]), int(m["b"])
        if a > 12 >= b >= 1:
            orders.add(True)
        elif b > 12 >= a >= 1:
            orders.add(False)
    return orders.pop() if len(orders) == 1 else None


def is_ambiguous(text: str) -> bool:
    """True when the first date in ``text`` means another day read month first than day first."""
    first, other = parse_date(text, day_first=True), parse_date(text, day_first=False)
    return bool(first and other and first.start == other.start and first.value != other.value)


def parse_date(text: str, day_first: bool = True, **_: object) -> Parsed | None:
    """The first date in ``text``: 2024-03-15, 2024年3月15日, 2024.03.15, 20240315,
    15/03/2024 (``day_first``; a reading only the other order allows costs quality),
    15-Mar-2024, March 15, 2024, 15 MAR 24 or 贰零贰肆年零叁月壹拾伍日. A time after it is
    ignored; impossible dates (month 13, 30 Feb) are not dates."""
    mapped = Mapped(text)
    found = _numeric(mapped.text, day_first) + _named(mapped.text) + _upper(mapped.text)
    if not found:
        return None
    best = min(found, key=lambda f: (f.start, -f.end))
    iso = best.date.isoformat()
    return mapped.parsed(iso, iso, best.start, best.end, best.quality)
