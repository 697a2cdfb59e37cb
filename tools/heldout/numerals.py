"""Chinese upper-case (大写) numerals for bank bills: amounts and cheque dates.

Amounts follow the PBOC rules for filling bills: groups of four digits (仟佰拾), 万 and 亿
group markers, a single 零 for any run of zeros between non-zero digits (also across a group
boundary), 元 then 角/分, and 整 when the amount stops at 元 or 角. A leading ten is written
壹拾. Dates: year digit by digit; months 1, 2 and 10 and days 1–10, 20 and 30 take a leading
零, days 11–19 a leading 壹 (so 壹拾伍日); we also pad months 3–9 with 零, as most printers do.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = ("", "拾", "佰", "仟")
GROUPS = ("", "万", "亿", "万亿")


def _group_words(group: int) -> str:
    """Words for 0 < group < 10000 without leading/trailing zeros (inner zeros collapsed)."""
    out, zero = "", False
    for power in range(3, -1, -1):
        digit = group // 10 ** power % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += DIGITS[digit] + UNITS[power]
    return out


def integer_words(value: int) -> str:
    """Upper-case words of a non-negative integer, e.g. 1005 → 壹仟零伍, 10 → 壹拾."""
    if value == 0:
        return "零"
    groups = []
    while value:
        groups.append(value % 10000)
        value //= 10000
    out, pending_zero = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            pending_zero = bool(out)
            continue
        if out and (pending_zero or group < 1000):
            out += "零"
        out += _group_words(group) + GROUPS[index]
        pending_zero = False
    return out


def amount_words(amount: Decimal) -> str:
    """The 大写 words of an amount in yuan with two decimals: 1005.30 → 壹仟零伍元叁角整."""
    fen_total = int((amount * 100).to_integral_value())
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    out = integer_words(yuan) + "元" if yuan else ""
    if jiao == 0 and fen == 0:
        return (out or "零元") + "整"
    if jiao:
        out += DIGITS[jiao] + "角"
    elif yuan:
        out += "零"
    if fen:
        return out + DIGITS[fen] + "分"
    return out + "整"


def _padded(number: int) -> str:
    """Month/day words with the anti-alteration prefixes: 3 → 零叁, 10 → 零壹拾, 15 → 壹拾伍."""
    if number < 10:
        return "零" + DIGITS[number]
    tens, ones = divmod(number, 10)
    words = DIGITS[tens] + "拾" + (DIGITS[ones] if ones else "")
    return ("零" + words) if ones == 0 else words


def date_words(day: dt.date) -> str:
    """A cheque date in words: 2024-03-15 → 贰零贰肆年零叁月壹拾伍日."""
    year = "".join(DIGITS[int(c)] for c in str(day.year))
    return f"{year}年{_padded(day.month)}月{_padded(day.day)}日"
