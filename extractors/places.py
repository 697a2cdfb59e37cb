"""Chinese place names mended from a closed vocabulary: a district (区/县/县级市) misread by one
character is put back when the city named before it has exactly one district that close, and
a city (…市) misread by one character when the province named before it has exactly one city
that close (湖北省宣昌市 → 湖北省宜昌市).

The recognizer reads rare characters as common look-alikes (鄞州区 → 勤州区) or drops them
(鄞州区 → 州区). Within a city the districts are few, so a token after the city that is no
district there but one edit away from exactly one of them is that district. The vocabulary is
cpca's administrative-division table (shipped in its wheel).
"""

from __future__ import annotations

import re
from functools import lru_cache

import cpca
from rapidfuzz.distance import Levenshtein

_SUFFIXES = "区县市旗"
_AFTER_CITY = 6  # characters after a city's name where its district is looked for


@lru_cache(maxsize=1)
def _cities() -> dict[str, tuple[str, ...]]:
    """City name (full and without 市) → its districts' names (full, e.g. 鄞州区)."""
    divisions = cpca.ad_2_addr_dict.values()
    by_prefix: dict[str, list[str]] = {}
    for place in divisions:
        if place.rank == place.RANK_COUNTY:
            by_prefix.setdefault(str(place.adcode)[:4], []).append(place.name)
    cities: dict[str, tuple[str, ...]] = {}
    for place in divisions:
        if place.rank == place.RANK_CITY and (districts := by_prefix.get(str(place.adcode)[:4])):
            for name in {place.name, place.name.removesuffix("市")}:
                if len(name) >= 2:
                    cities[name] = tuple(districts)
    return cities


@lru_cache(maxsize=1)
def _city_pattern() -> re.Pattern[str]:
    return re.compile("|".join(sorted(map(re.escape, _cities()), key=len, reverse=True)))


@lru_cache(maxsize=1)
def _provinces() -> dict[str, tuple[str, ...]]:
    """Province name (full, e.g. 湖北省) → its cities' names (full, e.g. 宜昌市)."""
    divisions = cpca.ad_2_addr_dict.values()
    cities: dict[str, list[str]] = {}
    for place in divisions:
        if place.rank == place.RANK_CITY and place.name.endswith("市"):
            cities.setdefault(str(place.adcode)[:2], []).append(place.name)
    return {place.name: tuple(cities[str(place.adcode)[:2]]) for place in divisions
            if place.rank == place.RANK_PROVINCE and str(place.adcode)[:2] in cities}


@lru_cache(maxsize=1)
def _province_pattern() -> re.Pattern[str]:
    return re.compile("|".join(sorted(map(re.escape, _provinces()), key=len, reverse=True)))


def _mend_cities(text: str) -> str:
    """``text`` with a city misread by one character right after its province's name mended."""
    for province in reversed(list(_province_pattern().finditer(text))):
        start, cities = province.end(), _provinces()[province.group()]
        end = text.find("市", start, start + 5)
        token = text[start:end + 1] if end >= 0 else ""
        if token and token not in cities:
            near = [c for c in cities if Levenshtein.distance(token, c) == 1 and len(c) == len(token)]
            if len(near) == 1:
                text = text[:start] + near[0] + text[end + 1:]
    return text


def repair_places(text: str) -> str:
    """``text`` with each city misread by one character after its province's name, and each
    district misread by one character after its city's name, mended (in an address
    "宁波市勤州区", in a bank branch "宁波分行勤州支行")."""
    if not re.search(r"[\u4e00-\u9fff]", text):
        return text
    text = _mend_cities(text)
    for city in reversed(list(_city_pattern().finditer(text))):
        if city.group().endswith("市") and _starts_with_district(text[city.end() - 1:], _cities()[city.group()]):
            continue  # 济南市中支行: the city's 市 begins its district (市中区)
        start = city.end()
        for skip in ("市", "分行"):
            if _starts_with_district(text[start:], _cities()[city.group()]):
                break
            start += len(skip) if text.startswith(skip, start) else 0
        if mended := _mended_district(text[start : start + _AFTER_CITY], _cities()[city.group()]):
            old, new = mended
            text = text[:start] + new + text[start + len(old):]
    return text


def _starts_with_district(text: str, districts: tuple[str, ...]) -> bool:
    return any(text.startswith(d[:-1] if len(d) > 2 else d) for d in districts)


def _mended_district(window: str, districts: tuple[str, ...]) -> tuple[str, str] | None:
    """(the misread token at the start of ``window``, the district it stands for), or None
    when the window starts with a district or no single district is one edit away. The token
    ends with a district suffix (勤州区) or before 支行 (勤州支行: compared without the suffix)."""
    names = {d: d[:-1] if len(d) > 2 else d for d in districts}
    if _starts_with_district(window, districts):
        return None
    for end in range(1, min(len(window), 4) + 1):
        suffixed = window[end - 1] in _SUFFIXES
        if not suffixed and not window.startswith("支行", end):
            continue
        token = window[:end]
        near = [d for d, short in names.items() if Levenshtein.distance(token, d if suffixed else short) == 1]
        if len(near) == 1:
            return token, near[0] if suffixed else names[near[0]]
        return None
    return None
