"""Postal addresses. Chinese ones are split into province, city and district by cpca."""

from __future__ import annotations

import math
from functools import lru_cache

import cpca

from .base import Mapped, Parsed, after_label, is_cjk, strip_span

# cpca's placeholders for the city level of municipalities and directly administered
# county-level cities; a municipality's city is the municipality itself.
_MUNICIPALITY = "市辖区"
_NO_CITY = {"省直辖县级行政区划", "自治区直辖县级行政区划"}
_PARTIAL_QUALITY, _UNSPLIT_QUALITY = 0.8, 0.5
_EDGE_JUNK = " ,;:，。；：、"


@lru_cache(maxsize=2048)
def split_chinese(address: str) -> tuple[str | None, str | None, str | None, str | None]:
    """(province, city, district, detail) of a Chinese address via cpca, None where missing.

    cpca builds a pandas frame on every call, so results are cached per text."""
    try:
        row = cpca.transform([address]).iloc[0]
    except Exception:  # cpca is a black box: a failure means "no split"
        return None, None, None, address
    province, city, district, detail = (_cell(row[k]) for k in ("省", "市", "区", "地址"))
    if city == _MUNICIPALITY:
        city = province
    elif city in _NO_CITY:
        city = None
    return province, city, district, detail or (None if province else address)


def _cell(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value) or None


def _squeeze(text: str) -> str:
    """Spaces removed next to Chinese characters, kept (single) between Latin words."""
    parts = text.split()
    out = parts[0] if parts else ""
    for part in parts[1:]:
        out += part if is_cjk(out[-1]) or is_cjk(part[0]) else " " + part
    return out


def join_address_lines(parts: list[str]) -> str:
    """An address printed over several lines as one string: Chinese lines are joined
    directly, Latin ones with a space; blank lines are dropped."""
    return _squeeze(" ".join(p.strip() for p in parts if p and p.strip()))


def parse_address(text: str, chinese_only: bool = False, **_: object) -> Parsed | None:
    """The address in ``text`` after an optional label (收件地址：, 地址, Address:).

    With ``chinese_only`` text without Chinese characters is no address (a waybill's).
    value: the address with spaces next to Chinese characters removed. normalized:
    ``{"province", "city", "district", "detail"}``; a non-Chinese address has only
    ``detail``. quality: 1.0 when a Chinese address resolves down to its district (which
    implies the city), lower when parts are missing.
    """
    mapped = Mapped(text)
    start, end = strip_span(mapped.text, after_label(mapped.text, "address"), _EDGE_JUNK)
    value = _squeeze(mapped.text[start:end])
    if not any(ch.isalnum() for ch in value):
        return None
    if not any(is_cjk(ch) for ch in value):
        if chinese_only:
            return None
        parts = {"province": None, "city": None, "district": None, "detail": value}
        return mapped.parsed(value, parts, start, end)
    province, city, district, detail = split_chinese(value)
    parts = {"province": province, "city": city, "district": district, "detail": detail}
    quality = (1.0 if province and district
               else _PARTIAL_QUALITY if province or city else _UNSPLIT_QUALITY)
    return mapped.parsed(value, parts, start, end, quality)
