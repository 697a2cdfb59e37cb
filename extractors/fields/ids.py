"""Identifiers: courier tracking numbers, bank accounts and cards, bill and invoice numbers,
Chinese resident ids and taxpayer ids, codes of digits. Values are the bare number, upper-case."""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from stdnum import luhn
from stdnum.cn import ric, uscc

from .base import Mapped, Parsed, label_regex, load_data, mask_labels, upper_same_length

AMBIGUOUS_CARRIER_QUALITY = 0.7
REPAIR_COST, MIN_QUALITY = 0.1, 0.3
UNLABELLED_QUALITY = 0.8
_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)

_DIGIT_RUN = re.compile(r"(?<!\d)\d(?:[ \-]{0,2}\d)*(?!\d)")
_RESIDENT_ID = re.compile(r"(?<!\d)(?:\d[ \-]?){17}[\dX](?![\dX])")
_BILL = re.compile(r"(?<![A-Z0-9])(?P<prefix>[A-Z]{1,4})?(?P<digits>\d(?:[ \-]?\d)*)(?!\d)")
_INVOICE = re.compile(r"[A-Z0-9](?:[A-Z0-9]|[-/](?=[A-Z0-9]))*")


class _Carrier(NamedTuple):
    code: str
    patterns: tuple[tuple[re.Pattern[str], str | None], ...]  # (regex, check)


class _Tracking(NamedTuple):
    carriers: tuple[_Carrier, ...]
    prefix_repairs: dict[str, str]
    digit_repairs: dict[str, str]


@cache
def _tracking_table() -> _Tracking:
    data = load_data("carriers.yml")
    carriers = tuple(
        _Carrier(c["code"], tuple(
            (re.compile(rf"(?<![0-9A-Z])(?:{p['regex']})(?![0-9A-Z])"), p.get("check"))
            for p in c["patterns"]))
        for c in data["carriers"])
    return _Tracking(carriers, data["prefix_repairs"], data["digit_repairs"])


def s10_valid(number: str) -> bool:
    """The UPU S10 check digit (9th character of an item id such as RA123456785CN) holds."""
    serial, check = number[2:10], number[10]
    total = sum(int(d) * w for d, w in zip(serial, _S10_WEIGHTS))
    expected = 11 - total % 11
    return int(check) == {10: 0, 11: 5}.get(expected, expected)


def _compact(text: str) -> tuple[str, list[int]]:
    """Upper-case ``text`` without the spaces and dashes that group a number (those between
    a letter or digit and a digit), and each kept character's index in ``text``."""
    upper = upper_same_length(text)
    kept = [i for i, ch in enumerate(upper)
            if not (ch in " -" and 0 < i < len(upper) - 1
                    and upper[i - 1].isalnum() and upper[i + 1].isdigit())]
    return "".join(upper[i] for i in kept), kept


def _repair(compact: str, table: _Tracking) -> str:
    """``compact`` with prefix and digit OCR repairs applied (same length)."""
    chars = list(compact)
    for i in range(len(chars) - 1):
        at_start = i == 0 or not chars[i - 1].isalnum()
        if at_start and (fix := table.prefix_repairs.get(compact[i:i + 2])):
            chars[i:i + 2] = fix
    for i, ch in enumerate(chars):
        after = chars[i + 1] if i + 1 < len(chars) else " "
        if (ch in table.digit_repairs and i and chars[i - 1].isdigit()
                and (after.isdigit() or after in table.digit_repairs or not after.isalnum())):
            chars[i] = table.digit_repairs[ch]
    return "".join(chars)


def _carrier_matches(repaired: str, carrier: str | None) -> list[tuple[int, int, str]]:
    """(start, end, carrier code) of every pattern match, in table order."""
    found = []
    for entry in _tracking_table().carriers:
        if carrier and entry.code != carrier.upper():
            continue
        for regex, check in entry.patterns:
            for m in regex.finditer(repaired):
                if check != "s10" or s10_valid(m.group()):
                    found.append((m.start(), m.end(), entry.code))
    return found


def parse_tracking_number(text: str, carrier: str | None = None, **_: object) -> Parsed | None:
    """A courier tracking number (carriers.yml) in ``text``, spaces and dashes inside it
    allowed; OCR misreads of the prefix (1D → JD) and of digits (O → 0) are repaired at a
    quality cost. ``carrier`` (a code such as "SF") accepts that carrier only.
    normalized = ``{"carrier": "SF", "number": "SF1234567890123"}``.
    """
    mapped = Mapped(text)
    compact, kept = _compact(mapped.text)
    repaired = _repair(compact, _tracking_table())
    found = _carrier_matches(repaired, carrier)
    if not found:
        return None
    start, end, code = min(found, key=lambda f: (f[0], -f[1]))
    fitting = [f for f in found if f[:2] == (start, end)]
    repairs = sum(a != b for a, b in zip(compact[start:end], repaired[start:end]))
    quality = (1.0 if len(fitting) == 1 else AMBIGUOUS_CARRIER_QUALITY) - REPAIR_COST * repairs
    number = repaired[start:end]
    return mapped.parsed(number, {"carrier": code, "number": number},
                         kept[start], kept[end - 1] + 1, max(MIN_QUALITY, quality))


@cache
def _carrier_names() -> tuple[tuple[str, str], ...]:
    """(printed name, code) pairs, longest names first."""
    pairs = [(name, c["code"]) for c in load_data("carriers.yml")["carriers"] for name in c.get("names", ())]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def parse_carrier(text: str, **_: object) -> Parsed | None:
    """The carrier whose printed name (carriers.yml ``names``: 顺丰, 中通, ZTO EXPRESS…)
    occurs in ``text``. value = normalized = its code ("ZTO")."""
    mapped = Mapped(text)
    upper = upper_same_length(mapped.text)
    hits = [(at, name, code) for name, code in _carrier_names() if (at := upper.find(name.upper())) >= 0]
    if not hits:
        return None
    at, name, code = min(hits, key=lambda h: (h[0], -len(h[1])))
    return mapped.parsed(code, code, at, at + len(name))


def _digit_runs(text: str, lengths: range) -> list[tuple[re.Match[str], str]]:
    """Runs of digits (single spaces or dashes may group them) with a digit count in
    ``lengths``, with their digits."""
    runs = ((m, re.sub(r"\D", "", m.group())) for m in _DIGIT_RUN.finditer(text))
    return [(m, digits) for m, digits in runs if len(digits) in lengths]


def parse_bank_account(text: str, cards: bool = True, **_: object) -> Parsed | None:
    """A bank account or card number: 10–25 digits, spaces or dashes may group them.
    A 16–19-digit number passing the Luhn check is a card; one failing it is still taken as
    an account number, at a lower quality (it may be a misread card) — unless ``cards`` is
    False (a company's account, as an invoice prints it, is no card).
    normalized = ``{"number", "is_card": bool, "luhn_valid": bool | None}``.
    """
    mapped = Mapped(text)
    for m, digits in _digit_runs(mapped.text, range(10, 26)):
        luhn_valid = luhn.is_valid(digits) if 16 <= len(digits) <= 19 else None
        normalized = {"number": digits, "is_card": bool(luhn_valid), "luhn_valid": luhn_valid}
        quality = UNLABELLED_QUALITY if luhn_valid is False and cards else 1.0
        return mapped.parsed(digits, normalized, m.start(), m.end(), quality)
    return None


def parse_card_number(text: str, **_: object) -> Parsed | None:
    """A payment card number: 13–19 digits passing the Luhn check, spaces or dashes may
    group them. normalized = ``{"number": "6222…"}``."""
    mapped = Mapped(text)
    for m, digits in _digit_runs(mapped.text, range(13, 20)):
        if luhn.is_valid(digits):
            return mapped.parsed(digits, {"number": digits}, m.start(), m.end())
    return None


def parse_resident_id(text: str, **_: object) -> Parsed | None:
    """A Chinese resident identity number (18 characters, last one a digit or X) whose
    birth date and check digit are valid. normalized = ``{"number", "birth_date", "valid"}``."""
    mapped = Mapped(text)
    for m in _RESIDENT_ID.finditer(upper_same_length(mapped.text)):
        number = re.sub(r"[ \-]", "", m.group())
        if ric.is_valid(number):
            birth = ric.get_birth_date(number).isoformat()
            normalized = {"number": number, "birth_date": birth, "valid": True}
            return mapped.parsed(number, normalized, m.start(), m.end())
    return None


def parse_bill_number(text: str, **_: object) -> Parsed | None:
    """A cheque number (8 digits, an optional letter prefix written against it) or an
    acceptance-bill number (16–30 digits), preferably after a label (No., 号码, 票号).
    normalized = ``{"number", "type": "cheque" | "acceptance_bill"}``."""
    mapped = Mapped(text)
    masked, label_end = mask_labels(upper_same_length(mapped.text), "bill_number")
    after_label = list(_BILL.finditer(masked, label_end)) if label_end else []
    for m in after_label + list(_BILL.finditer(masked)):
        digits = re.sub(r"\D", "", m["digits"])
        if len(digits) == 8:
            number, kind, start = (m["prefix"] or "") + digits, "cheque", m.start()
        elif 16 <= len(digits) <= 30:
            number, kind, start = digits, "acceptance_bill", m.start("digits")
        else:
            continue
        return mapped.parsed(number, {"number": number, "type": kind}, start, m.end())
    return None


_SORTING = re.compile(r"^\s*(\d{3})\s*[-—–]\s*([A-Z0-9]{1,4}(?:\s*[-—–\s]\s*[A-Z0-9]{1,4})?)\s*$")


def parse_sorting_code(text: str, **_: object) -> Parsed | None:
    """A sorting code as a label prints its destination, the whole text: three digits, a dash
    and one or two short groups of capitals and digits (021-W 123, 510-G36, 351-654-Z80).
    normalized = ``{"code": "021-W 123", "province": None, "city": None}`` (as printed, one
    space between groups; the place is not known from a printed code)."""
    mapped = Mapped(text)
    m = _SORTING.match(upper_same_length(mapped.text))
    if m is None:
        return None
    code = m[1] + "-" + " ".join(re.sub("[—–]", "-", m[2]).split())
    return mapped.parsed(code, {"code": code, "province": None, "city": None}, m.start(1), m.end(2))


def parse_invoice_number(text: str, **_: object) -> Parsed | None:
    """An invoice number: 6–20 letters and digits (at least one digit; inner ``-`` / ``/``
    kept), preferably right after a label (Invoice No, 发票号码, No.); without a label the
    first such token, at a lower quality. normalized = ``{"number": "INV-2024-001"}``."""
    mapped = Mapped(text)
    upper = upper_same_length(mapped.text)
    for label in label_regex("invoice_number").finditer(upper):
        token = _INVOICE.match(upper, label.end())
        if token and _invoice_like(token.group()):
            return mapped.parsed(token.group(), {"number": token.group()}, *token.span())
    masked, _ = mask_labels(upper, "invoice_number")
    for token in _INVOICE.finditer(masked):
        if _invoice_like(token.group()):
            return mapped.parsed(token.group(), {"number": token.group()}, *token.span(),
                                 UNLABELLED_QUALITY)
    return None


def _invoice_like(token: str) -> bool:
    return 6 <= len(token) <= 20 and any(ch.isdigit() for ch in token)


_CODE_CHAR = re.compile(r"[0-9A-Z]+")
_USCC_REPAIRS = {"O": "0", "I": "1", "Z": "2", "S": "5"}  # letters a USCC never holds, as OCR misreads them
_DIGIT_REPAIRS = {"O": "0", "D": "0", "Q": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "B": "8", "G": "6"}
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
LEGACY_QUALITY, LEGACY_UNCHECKED_QUALITY, INVALID_QUALITY = 0.8, 0.6, 0.3


def parse_taxpayer_id(text: str, **_: object) -> Parsed | None:
    """A Chinese taxpayer id: an 18-character unified social credit code (统一社会信用代码)
    whose check digit holds, else a legacy taxpayer id of 15, 17 or 20 characters (mostly
    digits) at a lower quality. OCR confusions (O for 0, I for 1, a letter among the first
    eight digits) are repaired only when the repaired code validates; an 18-character code
    that fails its check digit comes back at a low quality, ``valid`` False.
    normalized = ``{"number", "type": "uscc" | "legacy", "valid": bool}``."""
    mapped = Mapped(text)
    tokens = list(_CODE_CHAR.finditer(upper_same_length(mapped.text)))
    found = [(reading, m) for m in tokens if (reading := _taxpayer_reading(m.group()))]
    if not found:
        return None
    (number, kind, valid, quality), m = max(found, key=lambda f: f[0][3])
    return mapped.parsed(number, {"number": number, "type": kind, "valid": valid}, m.start(), m.end(), quality)


def _taxpayer_reading(token: str) -> tuple[str, str, bool, float] | None:
    """(number, type, valid, quality) of one upper-case token, or None when it is no taxpayer id."""
    if len(token) == 18:
        if uscc.is_valid(token):
            return token, "uscc", True, 1.0
        repaired = _repaired_uscc(token)
        if repaired != token and uscc.is_valid(repaired):
            repairs = sum(a != b for a, b in zip(token, repaired))
            return repaired, "uscc", True, max(MIN_QUALITY, 1.0 - REPAIR_COST * repairs)
        return (token, "uscc", False, INVALID_QUALITY) if token[:8].isdigit() else None
    if len(token) in (15, 17, 20) and sum(ch.isdigit() for ch in token) >= len(token) - 2 and token[:6].isdigit():
        checked = len(token) == 15 and _org_code_valid(token[6:])
        return token, "legacy", checked, LEGACY_QUALITY if checked else LEGACY_UNCHECKED_QUALITY
    return None


def _repaired_uscc(token: str) -> str:
    """The token with OCR confusions undone: digits where only digits stand (the first eight),
    and letters a USCC never holds read as the digits they resemble."""
    head = "".join(_DIGIT_REPAIRS.get(ch, ch) for ch in token[:8])
    return head + "".join(_USCC_REPAIRS.get(ch, ch) for ch in token[8:])


def _org_code_valid(code: str) -> bool:
    """The check character of a 9-character organisation code (GB 11714) holds."""
    try:
        total = sum(int(ch, 36) * w for ch, w in zip(code[:8], _ORG_WEIGHTS))
    except ValueError:
        return False
    check = 11 - total % 11
    return code[8] == {10: "X", 11: "0"}.get(check, str(check))


def parse_digit_code(text: str, lengths: list[int] | tuple[int, ...] = (), **_: object) -> Parsed | None:
    """A code of digits only (an invoice code, an invoice number, a check code) with as many
    digits as one of ``lengths`` (any, when none are given), spaces or dashes may group them;
    the first one in ``text``. value = normalized ``{"number"}``: the digits alone."""
    mapped = Mapped(text)
    wanted = range(1, 64) if not lengths else tuple(int(n) for n in lengths)
    for m, digits in _digit_runs(mapped.text, range(1, 64)):
        if len(digits) in wanted:
            return mapped.parsed(digits, {"number": digits}, m.start(), m.end())
    return None
