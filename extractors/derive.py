"""Fields derived from extracted ones: a waybill's carrier and its sorting code."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

Values = dict[str, tuple[str, Any]]  # field name → (value, normalized)


@lru_cache(maxsize=1)
def routing_table() -> dict[str, dict[str, str]]:
    """City and province → sorting code (``extractors/data/routing.yml``)."""
    text = (resources.files("extractors") / "data" / "routing.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def routing_code(address: dict | None) -> str | None:
    """A parsed address's city's sorting code, else its province's; None when neither is known."""
    address, table = address or {}, routing_table()
    return table["cities"].get(address.get("city") or "") or table["provinces"].get(address.get("province") or "")


def sorting_code(values: Values) -> tuple[str, Any] | None:
    """The receiver city's sorting code, else its province's; None when neither is known."""
    if "receiver_address" not in values:
        return None
    address = values["receiver_address"][1] or {}
    code = routing_code(address)
    if code is None:
        return None
    return code, {"code": code, "province": address.get("province"), "city": address.get("city")}


def carrier(values: Values) -> tuple[str, Any] | None:
    """The carrier whose pattern the tracking number matched."""
    if "tracking_number" not in values:
        return None
    name = (values["tracking_number"][1] or {}).get("carrier")
    return (name, name) if name else None


def given_sorting_code(text: str) -> tuple[str, Any] | None:
    """A reviewer's sorting code (3 or 4 digits, or a printed one such as 021-W123) with the
    normalized form a derived one has, so that every sorting code reads alike; the place is
    not known from a code alone."""
    code = " ".join(unicodedata.normalize("NFKC", text).split()).upper()
    printed = re.fullmatch(r"\d{3}-[A-Z0-9]{1,4}(?:[- ][A-Z0-9]{1,4})?", code)
    return (code, {"code": code, "province": None, "city": None}) if re.fullmatch(r"\d{3,4}", code) or printed else None


DERIVED: dict[str, tuple[str, Callable[[Values], tuple[str, Any] | None]]] = {
    "sorting_code": ("receiver_address", sorting_code),
    "carrier": ("tracking_number", carrier),
}  # derived field → (the field it comes from, how)
GIVEN: dict[str, Callable[[str], tuple[str, Any] | None]] = {
    "sorting_code": given_sorting_code,
}  # derived field → a reviewer's text as (value, normalized); other derived fields are plain text
