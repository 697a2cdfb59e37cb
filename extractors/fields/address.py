"""Postal addresses. Chinese ones are split into province, city and district by cpca."""

from __future__ import annotations

import math
import re
from functools import lru_cache

import cpca

from .base import Mapped, Parsed, after_label, is_cjk, strip_span
from .text import is_person_name, tagged_as_name

# cpca's placeholders for the city level of municipalities and directly administered
# county-level cities; a municipality's city is the municipality itself.
_MUNICIPALITY = "市辖区"
_NO_CITY = {"省直辖县级行政区划", "自治区直辖县级行政区划"}
_PARTIAL_QUALITY, _UNSPLIT_QUALITY = 0.8, 0.5
_EDGE_JUNK = " ,;:，。；：、「」【】《》\"'“”‘’"
# A mobile or landline number, or a date, is never part of a Chinese address: it is the edge of
# another field read into the same text (name, phone and address on one line; the next line's
# date or phone joined on).
_FOREIGN = re.compile(r"(?<!\d)(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)|(?<!\d)0\d{2,3}-\d{7,8}(?!\d)"
                      r"|\(0\d{2,3}\)\s?\d{7,8}(?!\d)|\+86[ -]?\d{9,11}(?!\d)"
                      r"|(?<!\d)\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?")
_TRAILING_NAME = re.compile(r"(?<=[0-9A-Za-z号室座楼层])[\u4e00-\u9fff]{2,4}$")
# After the house number: a printed notice (…3009请您确认包裹完好后再签收), or a person's name
# and the next party's address (…D座1003景若永哈尔滨市…): the address ended before them.
_AFTER_NUMBER = re.compile(r"(?<=[0-9A-Za-z号室座楼层])(?![号室座楼层])[\u4e00-\u9fff]{3,}")
_NOTICE = re.compile(r"请|谢谢|感谢|温馨提示|如有疑问|如有问题")
# A waybill's count or payment terms printed after the house number (…176号共1件, …2层月结)
_SHIPMENT_TERMS = re.compile(r"(?<=[0-9A-Za-z号室座楼层])(?:共\s*\d+\s*件|月结|寄付|到付|现付|现结)")


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


def _address_piece(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of ``text[start:end]`` that is the address when phone numbers or dates cut it into
    pieces: the first of the pieces that resolve furthest (province and district, else province
    or city), without a person's name run on at its end (…B座2512席英昊)."""
    end = _before_run_on(text, start, end)
    cuts = list(_FOREIGN.finditer(text, start, end))
    if not cuts:
        return start, _without_trailing_name(text, start, end, strict=True)
    bounds = [start, *(b for m in cuts for b in (m.start(), m.end())), end]
    pieces = [strip_span(text[:e], s, _EDGE_JUNK) for s, e in zip(bounds[::2], bounds[1::2])]
    pieces = [(s, e) for s, e in pieces if any(is_cjk(ch) for ch in text[s:e])]
    if not pieces:
        return start, end
    best_start, best_end = max(pieces, key=lambda p: (_resolution(text[p[0]:p[1]]), -p[0]))
    return best_start, _without_trailing_name(text, best_start, best_end, strict=best_end == end)


def _before_run_on(text: str, start: int, end: int) -> int:
    """``end`` moved before a notice, a waybill's count or payment terms, or a name and another
    address run on after a house number."""
    terms = next((m for m in _SHIPMENT_TERMS.finditer(text, start, end) if _resolution(text[start:m.start()])), None)
    if terms:
        end = len(text[:terms.start()].rstrip(_EDGE_JUNK))
    phones_end = {m.end() for m in _FOREIGN.finditer(text, start, end)}
    for run in _AFTER_NUMBER.finditer(text, start, end):
        tail = run.group()
        if run.start() in phones_end or not _resolution(text[start:run.start()]):
            continue  # after a phone number, or before any address: not after a house number
        if notice := _NOTICE.match(tail):
            return len(text[:run.start() + notice.start()].rstrip(_EDGE_JUNK))
        for size in (2, 3, 4):
            rest = tail[size:]
            if len(rest) >= 2 and is_person_name(tail[:size]) and any(split_chinese(rest)[:2]):
                return run.start()
    return end


def _resolution(text: str) -> int:
    province, city, district, _ = split_chinese(_squeeze(text))
    return 2 if province and district else 1 if province or city else 0


def _without_trailing_name(text: str, start: int, end: int, strict: bool) -> int:
    """``end`` moved before a person's name printed right after the house number; at the very end
    of the text (``strict``) only a name jieba tags as one counts."""
    name = _TRAILING_NAME.search(text[start:end])
    if name and (tagged_as_name(name.group()) if strict else is_person_name(name.group())):
        return len(text[:start + name.start()].rstrip(_EDGE_JUNK))
    return end


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
    if any(is_cjk(ch) for ch in mapped.text[start:end]):
        start, end = _address_piece(mapped.text, start, end)
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
