"""A page image with its OCR line boxes and field boxes drawn on it, as PNG bytes."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw

LINE_COLOUR = (30, 110, 230)
VALID_COLOUR = (20, 160, 60)
INVALID_COLOUR = (220, 30, 30)
OVERLAYS = ("lines", "fields")


def parse_overlay(spec: str | None) -> set[str]:
    """``"lines,fields"`` → ``{"lines", "fields"}``; ValueError naming an unknown layer."""
    layers = {part.strip() for part in (spec or "").split(",") if part.strip()}
    unknown = layers - set(OVERLAYS)
    if unknown:
        raise ValueError(f"unknown overlay {', '.join(sorted(unknown))}: choose from {', '.join(OVERLAYS)}")
    return layers


def overlay_shapes(page, layers: set[str]) -> tuple[list, list]:
    """What ``draw_overlay`` draws of a stored page (``db.models.Page``) for ``layers``: its OCR
    line polygons, and the boxes of its document's fields on it with whether each is valid."""
    polygons = [line.polygon for line in page.lines] if "lines" in layers else []
    boxes = [(f.bbox, f.valid) for f in page.document.fields
             if "fields" in layers and f.page == page.number and f.bbox and len(f.bbox) == 4]
    return polygons, boxes


def draw_overlay(image_path: Path, polygons: Sequence[Sequence[Sequence[float]]],
                 boxes: Sequence[tuple[Sequence[float], bool]]) -> bytes:
    """The page with each line polygon outlined in blue and each field box in green (valid)
    or red (with violations); ``boxes`` holds ``(x0, y0, x1, y1), valid`` pairs."""
    with Image.open(image_path) as page:
        image = page.convert("RGB")
    draw = ImageDraw.Draw(image)
    width = max(2, round(max(image.size) / 600))
    for polygon in polygons:
        draw.polygon([tuple(p) for p in polygon], outline=LINE_COLOUR, width=width)
    for box, valid in boxes:
        draw.rectangle(tuple(box), outline=VALID_COLOUR if valid else INVALID_COLOUR, width=width * 2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
