"""How values are printed on Chinese documents: bank upper-case amounts and dates, groupings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import cn2an

UPPER_DIGITS = "零壹贰叁肆伍陆柒捌玖"


def rmb_upper(amount: Decimal) -> str:
    """Bank upper-case amount, e.g. 壹仟贰佰叁拾肆元伍角陆分 / 壹佰元整."""
    return cn2an.an2cn(f"{amount:.2f}", "rmb")


def _upper_number(n: int) -> str:
    """1..31 in upper case: 壹 .. 玖, 壹拾, 壹拾壹 .. 叁拾壹."""
    tens, ones = divmod(n, 10)
    head = f"{UPPER_DIGITS[tens]}拾" if tens else ""
    return head + (UPPER_DIGITS[ones] if ones else "")


def date_upper(day: dt.date) -> str:
    """Bill-convention upper-case date: 贰零贰肆年零叁月壹拾伍日.

    Months 1–10 take a leading 零 (零叁月, 零壹拾月); days 1–10, 20 and 30 do too (零贰拾日).
    """
    year = "".join(UPPER_DIGITS[int(c)] for c in str(day.year))
    month = ("零" if day.month <= 10 else "") + _upper_number(day.month)
    zero_day = day.day <= 10 or day.day % 10 == 0
    return f"{year}年{month}月{'零' if zero_day else ''}{_upper_number(day.day)}日"


def grouped(amount: Decimal) -> str:
    """``1,234,567.80``."""
    return f"{amount:,.2f}"


def spaced(text: str, sizes: tuple[int, ...]) -> str:
    """Split ``text`` into groups of ``sizes`` (the last size repeats) joined by spaces."""
    parts, i, k = [], 0, 0
    while i < len(text):
        size = sizes[min(k, len(sizes) - 1)]
        parts.append(text[i : i + size])
        i, k = i + size, k + 1
    return " ".join(parts)


def cell_digits(amount: Decimal) -> str:
    """Digits written into 亿千百十万千百十元角分 cells: ``¥`` then the amount in fen."""
    return "¥" + str(int(amount * 100))
