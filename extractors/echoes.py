"""Values a page prints twice: a waybill's stub (收：name phone address) repeats its receiver and
sender, a label repeats its tracking number. Two readings of separate print that agree are a
cross-check: OCR seldom misreads the same value the same way in two places and sizes.

A value is echoed when, outside the lines it was read from and not overlapping them, one line
(or two consecutive lines, a stub's address wraps) holds it again, whole (not continued by more
of its kind) — and, for a field of a block (receiver, sender), that line belongs to the same
block, so another party's stub line never confirms a value taken from the wrong block (the caller
says which lines are the block). Only kinds whose text identifies them: names, phones,
addresses, tracking and bill numbers, bank accounts (a cheque's stub repeats its number); not
amounts, whose repeats say nothing of which field they are.

Imports: extractors.locate (lines) and phonenumbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import phonenumbers

from extractors.locate import Line

ECHO_KINDS = ("name", "phone", "address", "tracking_number", "bill_number", "bank_account")
MIN_KEY = 2  # characters a name's key needs (姓名)
MAX_OVERLAP = 0.3  # share of a box two readings of one print have in common


def echo_key(kind: str, value: str, normalized: object) -> str | None:
    """What must be printed again for a value of ``kind`` to be echoed: a phone's national
    number, else the value without spaces; None when too short to mean anything."""
    if kind == "phone":
        e164 = normalized.get("e164") if isinstance(normalized, dict) else None
        try:
            return str(phonenumbers.parse(e164).national_number) if e164 else None
        except phonenumbers.NumberParseException:
            return None
    key = re.sub(r"\s+", "", value)
    return key if len(key) >= MIN_KEY else None


# What may stand right before and after a value printed again: a name runs on into its phone
# (收：柯静134…), an address ends its line or meets other print; a value continued by more of
# its kind (…6单元24 of …6单元2402室, 泽宇 of 昌泽宇) is not the value printed again.
_CJK = "\u3400-\u9fff"
_EDGES = {"name": (f"(?<![{_CJK}])", f"(?![{_CJK}])"),
          "address": (f"(?<![{_CJK}])", f"(?![{_CJK}0-9A-Za-z])"),
          "phone": ("", "")}
_ID_EDGES = ("(?<![0-9A-Za-z])", "(?![0-9A-Za-z])")


def is_echoed(key: str, kind: str, own: set[int], lines: list[Line], block: set[int] | None) -> bool:
    """True when ``key`` is printed whole in a line outside ``own`` (or in two consecutive ones)
    that does not overlap them, and lies in ``block`` (line indices) when one is given."""
    own_lines = [l for l in lines if l.index in own]
    others = [l for l in lines if l.index not in own and (block is None or l.index in block)
              and not any(_overlap(l, o) > MAX_OVERLAP for o in own_lines)]
    before, after = _EDGES.get(kind, _ID_EDGES)
    whole = re.compile(before + re.escape(key) + after)
    return any(whole.search(_comparable(kind, text)) for text in _texts(others))


def _texts(lines: list[Line]) -> Iterable[str]:
    """Each line's text, and each line's joined with the next one's on its page."""
    for first, second in zip(lines, lines[1:] + [None]):
        yield first.text
        if second is not None and second.page == first.page:
            yield first.text + second.text


def _comparable(kind: str, text: str) -> str:
    """A phone's digits; a number's text with the spaces between its groups of digits dropped
    (No 3804 4321 → No 38044321: a label stays apart); other text without spaces."""
    if kind == "phone":
        return re.sub(r"\D", "", text)
    return re.sub(r"(?<=\d)\s+(?=\d)", "", text) if kind not in _EDGES else re.sub(r"\s+", "", text)


def _overlap(a: Line, b: Line) -> float:
    """The share of the smaller box that two lines' boxes have in common."""
    ax0, ay0, ax1, ay1 = a.ocr.bbox
    bx0, by0, bx1, by1 = b.ocr.bbox
    inter = max(0.0, min(ax1, bx1) - max(ax0, bx0)) * max(0.0, min(ay1, by1) - max(ay0, by0))
    smaller = min((ax1 - ax0) * (ay1 - ay0), (bx1 - bx0) * (by1 - by0))
    return inter / smaller if a.page == b.page and smaller > 0 else 0.0
