"""A page image with its OCR line boxes, field boxes and line item rows drawn on it, as PNG bytes."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw

LINE_COLOUR = (30, 110, 230)
VALID_COLOUR = (20, 160, 60)
INVALID_COLOUR = (220, 30, 30)
ITEM_COLOUR = (240, 140, 0)
OVERLAYS = ("lines", "fields", "items")


def parse_overlay(spec: str | None) -> set[str]:
    """``"lines,fields"`` → ``{"lines", "fields"}`` (``items`` too); ValueError naming an unknown layer."""
    layers = {part.strip() for part in (spec or "").split(",") if part.strip()}
    unknown = layers - set(OVERLAYS)
    if unknown:
        raise ValueError(f"unknown overlay {', '.join(sorted(unknown))}: choose from {', '.join(OVERLAYS)}")
    return layers


def overlay_shapes(page, layers: set[str]) -> tuple[list, list, list]:
    """What ``draw_overlay`` draws of a stored page (``db.models.Page``) for ``layers``: its OCR
    line polygons, the boxes of its document's fields on it with whether each is valid, and the
    boxes of its document's line items on it."""
    polygons = [line.polygon for line in page.lines] if "lines" in layers else []
    boxes = [(f.bbox, f.valid) for f in page.document.fields
             if "fields" in layers and f.page == page.number and f.bbox and len(f.bbox) == 4]
    rows = [i.bbox for i in page.document.line_items
            if "items" in layers and i.page == page.number and i.bbox and len(i.bbox) == 4]
    return polygons, boxes, rows


def draw_overlay(image_path: Path, polygons: Sequence[Sequence[Sequence[float]]],
                 boxes: Sequence[tuple[Sequence[float], bool]], rows: Sequence[Sequence[float]] = ()) -> bytes:
    """The page with each line polygon outlined in blue, each field box in green (valid) or red
    (with violations) and each line item's row in orange; ``boxes`` holds ``(x0, y0, x1, y1),
    valid`` pairs, ``rows`` ``(x0, y0, x1, y1)`` boxes."""
    with Image.open(image_path) as page:
        image = page.convert("RGB")
    draw = ImageDraw.Draw(image)
    width = max(2, round(max(image.size) / 600))
    for polygon in polygons:
        draw.polygon([tuple(p) for p in polygon], outline=LINE_COLOUR, width=width)
    for row in rows:
        draw.rectangle(tuple(row), outline=ITEM_COLOUR, width=width)
    for box, valid in boxes:
        draw.rectangle(tuple(box), outline=VALID_COLOUR if valid else INVALID_COLOUR, width=width * 2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
