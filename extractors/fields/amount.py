"""Money amounts: in digits (``amount``) and in Chinese upper-case words (``amount_words``).

Values are ``Decimal``-exact strings with two decimals; nothing goes through float.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from . import chinese
from .base import Mapped, Parsed, alternation, load_data

MAX_DIGITS = 15
GUESSED_QUALITY = 0.9
_TOKEN = r"\d(?:\d|[,.'](?=\d)| (?=\d{3}(?!\d)))*"
_GROUP_SEPARATORS = re.compile(r"[,.' ]")

_INT = f"[零壹贰叁肆伍陆柒捌玖拾佰仟万亿]{{1,{chinese.MAX_NUMERAL}}}"
_WORDS = re.compile(
    rf"(?:(?P<yuan>{_INT})[元圆])?"
    r"(?:零?(?P<jiao>[零壹贰叁肆伍陆柒捌玖])角)?"
    r"(?:零?(?P<fen>[壹贰叁肆伍陆柒捌玖])分)?[整正]?"
)


@cache
def _currencies() -> dict[str, str]:
    """Currency marker → ISO code."""
    return {mark: code for code, marks in load_data("currencies.yml").items() for mark in marks}


@cache
def _amount_regex() -> re.Pattern[str]:
    marks = alternation(list(_currencies()))
    return re.compile(
        rf"(?:(?P<pre>{marks}) *)?(?P<num>{_TOKEN})(?: *(?P<post>{marks})(?![A-Za-z]))?"
    )


def _decimal_mark(token: str, decimal_comma: bool | None) -> tuple[str | None, bool]:
    """Which of ``,`` / ``.`` is the decimal mark of ``token`` (None: it has none) and
    whether that was a guess: a single ``.`` followed by exactly three digits is read as a
    thousands separator, a reading that is less certain than ``1,234``."""
    if decimal_comma is not None:
        mark = "," if decimal_comma else "."
        return (mark if mark in token else None), False
    last = max(token.rfind(","), token.rfind("."))
    if last < 0:
        return None, False
    mark = token[last]
    if ("." if mark == "," else ",") in token:
        return mark, False
    if token.count(mark) > 1:
        return None, False
    if len(token) - last - 1 == 3:
        return None, mark == "."
    return mark, False


def _whole_digits(whole: str) -> str | None:
    """The digits of an integer part, checking thousands groups when there are any."""
    groups = _GROUP_SEPARATORS.split(whole)
    if len(groups) > 1:
        if len(set(_GROUP_SEPARATORS.findall(whole))) > 1 or len(groups[0]) > 3:
            return None
        if any(len(g) != 3 for g in groups[1:]):
            return None
    digits = "".join(groups)
    return digits if len(digits) <= MAX_DIGITS else None


def to_decimal(token: str, decimal_comma: bool | None = None) -> tuple[Decimal, bool] | None:
    """The value of a digit token such as ``1.234,56`` and whether its reading was a guess;
    None when the separators fit no convention."""
    mark, guessed = _decimal_mark(token, decimal_comma)
    whole, frac = token, ""
    if mark:
        if token.count(mark) > 1:
            return None
        whole, frac = token.split(mark)
        if not 1 <= len(frac) <= 2:
            return None
    digits = _whole_digits(whole)
    if digits is None:
        return None
    return Decimal(f"{digits}.{frac or '0'}").quantize(Decimal("0.01")), guessed


def _looks_like_other_number(text: str, start: int, end: int, has_prefix: bool) -> bool:
    """Digits glued to a word (INV123), part of a date or time, or a percentage."""
    before, after = text[max(0, start - 2):start], text[end:end + 2]
    if not has_prefix and before[-1:].isalpha():
        return True
    return bool(re.fullmatch(r"\d[-/:]", before) or re.match(r"[-/:]\d|%", after))


CELLS_QUALITY = 0.9


def parse_amount(text: str, decimal_comma: bool | None = None, prefer: str = "first",
                 **_: object) -> Parsed | None:
    """An amount in digits (``1,234.56``, ``1.234,56``, ``1 234,56``, ``¥1,234.56元``,
    ``RM9.00``) with an optional currency marker before or after it.

    ``decimal_comma`` forces the convention (None infers it per number); ``prefer`` picks
    among several numbers: ``"first"``, ``"last"`` or ``"largest"``.
    normalized = ``{"amount": "1234.56", "currency": "CNY" | "USD" | "MYR" | None}``.
    """
    mapped = Mapped(text)
    found = []
    for m in _amount_regex().finditer(mapped.text):
        if _looks_like_other_number(mapped.text, m.start("num"), m.end("num"), bool(m["pre"])):
            continue
        reading = to_decimal(m["num"], decimal_comma)
        if reading:
            found.append((m, *reading))
    if not found:
        return None
    if prefer == "last":
        m, value, guessed = found[-1]
    elif prefer == "largest":
        m, value, guessed = max(found, key=lambda f: f[1])
    else:
        m, value, guessed = found[0]
    currency = _currencies().get(m["pre"] or m["post"] or "")
    amount = f"{value:.2f}"
    return mapped.parsed(amount, {"amount": amount, "currency": currency},
                         m.start(), m.end(), GUESSED_QUALITY if guessed else 1.0)


_COLUMN_ENTRY = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+\.\d{2}|\d+\.\d{2})\s*[A-Z*]{0,2}\s*$")
COLUMN_SEPARATOR = " | "


def parse_amount_column(text: str, **_: object) -> Parsed | None:
    """A column of printed prices, one line per entry joined by ``COLUMN_SEPARATOR``
    ("2.85 S | 24.40 | 72.74"): each entry's price with its cents at the end of its line (a
    tax code letter after it is allowed). Entries that end otherwise are left out; fewer than
    two prices are no column. normalized = ``{"amounts": ["2.85", "24.40", "72.74"]}``."""
    amounts = [m[1].replace(",", "") for entry in text.split(COLUMN_SEPARATOR)
               if (m := _COLUMN_ENTRY.search(entry.strip()))]
    if len(amounts) < 2:
        return None
    return Parsed(" + ".join(amounts), {"amounts": amounts}, 0, len(text), 1.0)


_CELLS = re.compile(r"(?:^|[¥￥Y])\s*(?P<digits>\d(?:\s*\d){2,13})\s*$")


def parse_amount_cells(text: str, **_: object) -> Parsed | None:
    """An amount printed one digit per box (…千百十元角分) and read as a row of digits, the
    last two being jiao and fen: "¥ 9 3 6 5 6 8 8 7" → 936568.87. Text with a decimal point
    or separator is not a row of cells. normalized as ``amount``."""
    mapped = Mapped(text)
    m = _CELLS.search(mapped.text.strip())
    if m is None or any(ch in mapped.text for ch in ".,"):
        return None
    digits = re.sub(r"\s", "", m["digits"])
    amount = f"{Decimal(digits) / 100:.2f}"
    offset = len(mapped.text) - len(mapped.text.lstrip())
    return mapped.parsed(amount, {"amount": amount, "currency": "CNY"}, offset + m.start("digits"),
                         offset + m.end("digits"), CELLS_QUALITY)


_NUMERAL = re.compile("[零壹贰叁肆伍陆柒捌玖]")


def _words_value(m: re.Match[str]) -> tuple[Decimal, int] | None:
    """The value of an amount-in-words match and where its numeral really starts (junk
    characters before the numeral are skipped)."""
    start, yuan = m.start(), 0
    if m["yuan"]:
        for skip in range(len(m["yuan"])):
            if (value := chinese.to_int(m["yuan"][skip:])) is not None:
                start, yuan = m.start() + skip, value
                break
        else:
            return None
    jiao = chinese.DIGITS.index(m["jiao"]) if m["jiao"] else 0
    fen = chinese.DIGITS.index(m["fen"]) if m["fen"] else 0
    return Decimal(yuan) + Decimal(jiao) / 10 + Decimal(fen) / 100, start


def parse_amount_words(text: str, **_: object) -> Parsed | None:
    """A Chinese upper-case amount (壹万贰仟叁佰肆拾伍元陆角柒分, 壹佰元整, 人民币（大写）…).

    Characters are first mapped into the closed alphabet (参→叁, 雾→零, …); each repair lowers
    quality, and a match that is half repairs or more is rejected.
    normalized = ``{"amount": "12345.67", "currency": "CNY"}``.
    """
    mapped = Mapped(text)
    corrected, repaired = chinese.correct(mapped.text)
    for m in _WORDS.finditer(corrected):
        if not (m["yuan"] or m["jiao"] or m["fen"]):
            continue
        reading = _words_value(m)
        if reading is None:
            continue
        value, start = reading
        if 2 * sum(repaired[start:m.end()]) >= m.end() - start or not _NUMERAL.search(corrected, start, m.end()):
            continue  # half repairs, or units without a numeral (the 亿千百十万…元角分 header of amount cells)
        amount = f"{value:.2f}"
        return mapped.parsed(amount, {"amount": amount, "currency": "CNY"}, start, m.end(),
                             chinese.repair_quality(repaired, start, m.end()))
    return None
