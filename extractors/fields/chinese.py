"""Closed-alphabet correction and numeral reading for Chinese upper-case amounts and dates
(the alphabet and the repair tables are in ``chinese_upper.yml``)."""

from __future__ import annotations

from functools import cache

import cn2an

from .base import load_data

DIGITS = "零壹贰叁肆伍陆柒捌玖"
MAX_NUMERAL = 40  # longer runs are noise, and cn2an gets slow on them


@cache
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    data = load_data("chinese_upper.yml")
    return data["variants"], data["ocr"]


def correct(text: str) -> tuple[str, list[bool]]:
    """``text`` with variants and OCR misreads mapped into the alphabet, one character for
    one character, and for each position whether an OCR repair was made there."""
    variants, ocr = _tables()
    chars = [ocr.get(ch) or variants.get(ch, ch) for ch in text]
    return "".join(chars), [ch in ocr for ch in text]


def repair_quality(repaired: list[bool], start: int, end: int) -> float:
    """1.0 without repairs in ``[start, end)``, 0.1 less per repair, at least 0.5."""
    return max(0.5, 1.0 - 0.1 * sum(repaired[start:end]))


def to_int(numeral: str) -> int | None:
    """The value of a Chinese numeral such as 壹万零贰拾 (cn2an, strict), or None."""
    if not numeral or len(numeral) > MAX_NUMERAL:
        return None
    try:
        value = cn2an.cn2an(numeral, "strict")
    except Exception:  # cn2an signals every malformed numeral with its own exceptions
        return None
    return value if isinstance(value, int) else None


def digit_string(digits: str) -> str | None:
    """Chinese digits read one by one (贰零贰肆 → "2024"), or None."""
    if not digits or any(ch not in DIGITS for ch in digits):
        return None
    return "".join(str(DIGITS.index(ch)) for ch in digits)
