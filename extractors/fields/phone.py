"""Telephone numbers via phonenumbers: E.164 value, extension and number type."""

from __future__ import annotations

import re

import phonenumbers

from .base import Mapped, Parsed

# An extension written after the number: 转 123, 分机 123, ext 123, x123, #123, and -123
# after a subscriber number of 7+ digits (0755-12345678-123; 138-1234-5678 is not one).
_EXTENSION = re.compile(r"(?:(?<=\d) *(?:转|分机|ext\.?|x|#) *|(?<=\d{7})-)(?P<ext>\d{1,6})(?!\d)",
                        re.IGNORECASE)
_TYPES = {value: name.lower() for name, value in vars(phonenumbers.PhoneNumberType).items()
          if name.isupper()}


def _mask_extensions(text: str) -> tuple[str, dict[int, re.Match[str]]]:
    """``text`` with extensions blanked out (same length), and each extension by the position
    where its blanking starts."""
    found = {m.start(): m for m in _EXTENSION.finditer(text)}
    masked = _EXTENSION.sub(lambda m: " " * len(m.group()), text)
    return masked, found


def parse_phone(text: str, region: str = "CN", **_: object) -> Parsed | None:
    """The first valid phone number in ``text`` (138 1234 5678, +86 138-1234-5678,
    0086…, 010-12345678, 0755-12345678 转 123, +60 3-2345 6789); numbers without a country
    code are read in ``region``. Invalid numbers are not phones.
    normalized = ``{"e164": "+8613812345678", "extension": "123" | None, "type": "mobile"}``.
    """
    mapped = Mapped(text)
    masked, extensions = _mask_extensions(mapped.text)
    try:
        match = next(iter(phonenumbers.PhoneNumberMatcher(masked, region)), None)
    except Exception:  # an unknown region or a library failure means "no phone here"
        return None
    if match is None:
        return None
    number, end, extension = match.number, match.end, None
    if ext := extensions.get(match.end):
        end, extension = ext.end(), ext["ext"]
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    kind = _TYPES.get(phonenumbers.number_type(number), "unknown")
    return mapped.parsed(e164, {"e164": e164, "extension": extension, "type": kind},
                         match.start, end)
