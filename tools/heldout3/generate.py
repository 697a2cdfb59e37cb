"""Write N documents of the family: half waybills, half bank bills, each a JPEG and a JSON label."""

from __future__ import annotations

import json
import random
from pathlib import Path

from tools.heldout3.bankbills import bank_bill
from tools.heldout3.render import Page, jpeg_bytes, photographed, rotate_quarter, worn
from tools.heldout3.waybills import waybill

DOC_TYPES = ("courier_waybill", "bank_bill")


def generate(out: Path, count: int, seed: int, degrade: str = "none") -> list[Path]:
    """Documents 0..count-1 in ``out`` (even: waybill, odd: bank bill); the same arguments write
    the same bytes. ``degrade`` is part of each document's seed, so a clean and a mild run of one
    seed hold different documents."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for index in range(count):
        rng = random.Random(f"heldout3-{seed}-{degrade}-{index}")
        doc_type = DOC_TYPES[index % 2]
        page, fields = (waybill if doc_type == "courier_waybill" else bank_bill)(rng)
        page, capture = captured(page, rng, degrade)
        stem = out / f"{doc_type}-{index:04d}"
        quality = 92 if degrade == "none" else rng.randint(55, 80)
        stem.with_suffix(".jpg").write_bytes(jpeg_bytes(page.image, quality))
        label = {"doc_type": doc_type, "family": "heldout3", "layout": page.layout, "capture": capture, "fields": fields,
                 "pages": [{"width": page.image.width, "height": page.image.height, "lines": page.lines}]}
        stem.with_suffix(".json").write_text(json.dumps(label, ensure_ascii=False, indent=1), encoding="utf-8")
        written.append(stem.with_suffix(".jpg"))
    return written


def captured(page: Page, rng: random.Random, degrade: str) -> tuple[Page, str]:
    """The page as it reached the scanner or camera: upright or turned a quarter or half (both
    modes); with ``mild`` also skewed, blurred and noisy, or photographed at an angle."""
    turns = rng.choices((0, 1, 2, 3), weights=(70, 10, 12, 8))[0]
    page = rotate_quarter(page, turns)
    capture = f"turned{90 * turns}" if turns else "upright"
    if degrade == "mild":
        if rng.random() < 0.3:
            return photographed(page, rng), capture + "+photo"
        return worn(page, rng), capture + "+worn"
    return page, capture
