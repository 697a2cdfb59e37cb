"""Where a document comes from, read off the document itself: its country decides how phone
numbers without a country code are read and in which order a date's day and month are printed.

Signals, each a vote for a country: phone numbers with a country code (+44 …), national phone
formats that only one numbering plan allows ((612) 355-5600), postal codes with a state or
region (MN 55414, SW1A 1AA), currency marks (RM, £, S$) and whole words (MALAYSIA, SELANGOR,
SDN BHD, MwSt, DUBAI). A bare five-digit postcode votes for nobody (Malaysia, Germany and France
print the same). The country with the most votes wins when it leads clearly; none
otherwise (then dates printed ambiguously go to review).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import phonenumbers

from extractors.lines import OcrLine, normalize_text

MONTH_FIRST = {"US", "PH", "FM", "PW", "MH"}  # countries printing dates month first
YEAR_FIRST = {"CN", "JP", "KR", "TW", "HU", "LT", "MN"}
_US_STATES = ("AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND "
              "OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC").split()
_MY_WORDS = ("MALAYSIA", "SELANGOR", "JOHOR", "KUALA LUMPUR", "PENANG", "PULAU PINANG", "PERAK", "KEDAH", "SABAH",
             "SARAWAK", "MELAKA", "NEGERI SEMBILAN", "PAHANG", "TERENGGANU", "KELANTAN", "PUTRAJAYA", "SDN BHD",
             "SDN. BHD", "GST ID", "GST REG", "SST")
_SIGNS: tuple[tuple[re.Pattern[str], str, int], ...] = (
    (re.compile(rf"\b(?:{'|'.join(_US_STATES)})[ ,.]*\d{{5}}(?:-\d{{4}})?\b"), "US", 2),
    (re.compile(r"\([2-9]\d\d\) ?[2-9]\d\d-\d{4}\b"), "US", 2),
    (re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b"), "GB", 1),
    (re.compile(r"£"), "GB", 2),
    (re.compile(r"\bRM ?\d"), "MY", 2),
    (re.compile(rf"\b(?:{'|'.join(re.escape(w) for w in _MY_WORDS)})\b"), "MY", 2),
    (re.compile(r"\b(?:MWST|UST-ID|STEUER|SUMME|RECHNUNG)\b"), "DE", 2),
    (re.compile(r"\bS\$|\bSINGAPORE\b"), "SG", 2),
    (re.compile(r"\bU\.?A\.?E\b|\bDUBAI\b|\bAED\b"), "AE", 2),
    (re.compile(r"\bCANADA\b|\bGST/HST\b|\bHST\b"), "CA", 2),
    (re.compile(r"\bAUSTRALIA\b|\bABN\b"), "AU", 2),
    (re.compile(r"[\u4e00-\u9fff]{4,}"), "CN", 1),
)
_INTERNATIONAL = re.compile(r"(?<![\d+])(?:\+|00)\d[\d ()./-]{7,}\d")
LEAD = 2  # votes the first country needs over the second


@dataclass(frozen=True)
class Region:
    """A document's country (ISO 3166 alpha-2) or None, and the votes that decided it."""

    country: str | None
    votes: dict[str, int]

    @property
    def day_first(self) -> bool | None:
        """True where dates are printed day first, False month first, None when unknown."""
        if self.country is None:
            return None
        return self.country not in MONTH_FIRST


def document_region(lines: list[OcrLine]) -> Region:
    """The country the document's own text points to (see the module docstring)."""
    votes: Counter[str] = Counter()
    for line in lines:
        text = normalize_text(line.text).upper()
        for pattern, country, weight in _SIGNS:
            if pattern.search(text):
                votes[country] += weight
        for match in _INTERNATIONAL.finditer(text):
            country = _calling_country(match.group())
            if country:
                votes[country] += 3
    ranked = votes.most_common(2)
    if not ranked or (len(ranked) > 1 and ranked[0][1] - ranked[1][1] < LEAD):
        return Region(None, dict(votes))
    return Region(ranked[0][0], dict(votes))


def _calling_country(text: str) -> str | None:
    try:
        number = phonenumbers.parse(text.replace("00", "+", 1) if text.startswith("00") else text, None)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.region_code_for_number(number) if phonenumbers.is_valid_number(number) else None
