"""Fields found without a template: the entities any document may hold, for documents of a
type billflow has no template for (they go to review, with these as a head start).

Every line is read for phone numbers, dates, amounts, addresses (those cpca places in a
province, or any with a Latin street number), and person names (a Chinese name next to a
phone). Each kind's values are numbered in reading order: ``phone``, ``phone_2``, …
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from extractors.confidence import Evidence
from extractors.fields import Parsed, parse
from extractors.fields.base import label_regex
from extractors.locate import Line, prepare_lines, sub_bbox
from extractors.lines import OcrLine

KINDS = ("phone", "date", "amount", "address", "name")
MAX_PER_KIND = 5
_AMOUNT = re.compile(r"(?:[¥￥$€£]\s*)?(?<![\d.,])(?:\d{1,3}(?:,\d{3})+(?:\.\d{2})?|\d+\.\d{2}|(?<=[¥￥$€£])\d+)(?![\d.,]\d)")
_NAME_BEFORE_PHONE = re.compile(r"([\u3400-\u9fff·]{2,8})\s*[:：]?\s*(?=(?:\+?86)?1[3-9]\d)")  # label and name


def layout_free_fields(lines: list[OcrLine], region: str | None = None, day_first: bool | None = None) -> dict[str, dict]:
    """Field name → ``{"value", "normalized", "raw_text", "page", "bbox", "evidence"}`` of every
    entity found (see the module docstring); phone numbers without a country code are read in
    ``region`` (default: China), dates in the ``day_first`` order (default: day first)."""
    found: dict[str, list[dict]] = {kind: [] for kind in KINDS}
    for line in prepare_lines(lines):
        for kind, parsed, offset in _entities(line.text, region or "CN", day_first is not False):
            if len(found[kind]) < MAX_PER_KIND and parsed.value not in {f["value"] for f in found[kind]}:
                found[kind].append(_field(kind, line, parsed, offset))
    return {f"{kind}_{i}" if i > 1 else kind: entry for kind, entries in found.items()
            for i, entry in enumerate(entries, start=1)}


def _entities(text: str, region: str, day_first: bool) -> Iterator[tuple[str, Parsed, int]]:
    """(kind, parsed value, where the parsed text starts in ``text``) of each entity on a line."""
    if (phone := parse("phone", text, region=region)) and phone.normalized["type"] != "unknown":
        yield "phone", phone, 0
        if (match := _NAME_BEFORE_PHONE.search(text)) and (name := parse("name", _without_phone_label(match.group(1)),
                                                                        person=True)):
            yield "name", name, match.start(1)
    if date := parse("date", text, day_first=day_first):
        yield "date", date, 0
    if (match := _AMOUNT.search(text)) and (amount := parse("amount", match.group())):
        yield "amount", amount, match.start()
    address = parse("address", text)
    if address and (address.normalized.get("province") or re.match(r"\d+\s+[A-Za-z]", address.value)):
        yield "address", address, 0


def _without_phone_label(text: str) -> str:
    """``text`` without a phone label at its end (张伟电话 → 张伟)."""
    for match in label_regex("phone").finditer(text):
        if match.end() == len(text):
            return text[:match.start()]
    return text


def _field(kind: str, line: Line, parsed: Parsed, offset: int) -> dict:
    return {"value": parsed.value, "normalized": parsed.normalized, "raw_text": line.ocr.text, "page": line.page,
            "bbox": sub_bbox(line, offset + parsed.start, offset + parsed.end),
            "evidence": Evidence(kind=kind, how="layout_free", ocr=line.ocr.score, weakest=line.ocr.weakest(),
                                 quality=parsed.quality)}
