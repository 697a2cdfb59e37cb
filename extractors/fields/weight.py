"""Weights (1.5kg, 1500 g, 重量: 2公斤, 3 lbs), as kilograms."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from .base import Mapped, Parsed, alternation, load_data

MAX_DIGITS = 12
_KG_STEP = Decimal("0.001")


@cache
def _units() -> tuple[re.Pattern[str], dict[str, Decimal]]:
    table = load_data("weight_units.yml")
    factors = {unit.lower(): Decimal(str(kg)) for unit, kg in table.items()}
    regex = re.compile(rf"(?<![\d.,])(?P<num>\d[\d,]*(?:\.\d+)?) *"
                       rf"(?P<unit>{alternation(list(factors))})(?![A-Za-z])", re.IGNORECASE)
    return regex, factors


def _number(token: str) -> Decimal | None:
    """``1,500`` (thousands) / ``1,5`` (decimal comma) / ``1.5``; None when malformed."""
    if "," in token and not re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", token):
        if token.count(",") > 1 or "." in token:
            return None
        token = token.replace(",", ".")
    digits = token.replace(",", "")
    if len(digits.split(".")[0]) > MAX_DIGITS:
        return None
    return Decimal(digits)


def kilograms_text(kg: Decimal) -> str:
    """Kilograms rounded to grams, without trailing zeros ("1.5", "2", "0.015")."""
    return format(kg.quantize(_KG_STEP).normalize(), "f")


_BARE = re.compile(r"(?<![\d.,])(?P<num>\d[\d,]*(?:\.\d+)?)(?![\d.,]*\d)")


def parse_weight(text: str, default_unit: str | None = None, **_: object) -> Parsed | None:
    """The first weight in ``text``. value: kilograms as a decimal string with at most
    three decimals, trailing zeros stripped. normalized = ``{"kg": "1.5"}``. A bare number
    counts only with ``default_unit`` (the label said the unit: "重量(kg): 1.6")."""
    mapped = Mapped(text)
    regex, factors = _units()
    for m in regex.finditer(mapped.text):
        number = _number(m["num"])
        if number is not None:
            kg = kilograms_text(number * factors[m["unit"].lower()])
            return mapped.parsed(kg, {"kg": kg}, m.start(), m.end())
    factor = factors.get((default_unit or "").lower())
    if factor is not None and (m := _BARE.search(mapped.text)) and (number := _number(m["num"])) is not None:
        kg = kilograms_text(number * factor)
        return mapped.parsed(kg, {"kg": kg}, m.start(), m.end(), 0.9)
    return None
