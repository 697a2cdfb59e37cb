"""A drawing surface that records every text run it draws as a ground-truth line."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

Box = tuple[float, float, float, float]
RED = (200, 30, 40)


@dataclass
class Line:
    """One drawn run: 4 corners clockwise from top-left, its text, optional ``kind``."""

    polygon: list[tuple[float, float]]
    text: str
    kind: str | None = None

    def to_json(self) -> dict:
        out = {"polygon": [[round(x), round(y)] for x, y in self.polygon], "text": self.text}
        if self.kind:
            out["kind"] = self.kind
        return out


def corners(box: Box) -> list[tuple[float, float]]:
    x0, y0, x1, y1 = box
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def union(boxes: list[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


class Page:
    """An RGB page; ``text`` draws one run and records it, the rest draws rules and shapes."""

    def __init__(self, size: tuple[int, int], paper="white", ink=(20, 20, 20)):
        self.image = Image.new("RGB", size, paper)
        self.draw = ImageDraw.Draw(self.image)
        self.paper, self.ink = paper, ink
        self.lines: list[Line] = []

    @property
    def size(self) -> tuple[int, int]:
        return self.image.size

    def text(self, xy, text: str, font: ImageFont.FreeTypeFont, fill=None, anchor: str = "la",
             kind: str | None = None, bold: int = 0, record: bool = True) -> Box:
        """Draw ``text`` at ``xy`` (Pillow anchor); record its tight box; return the box."""
        fill = fill or self.ink
        self.draw.text(xy, text, font=font, fill=fill, anchor=anchor, stroke_width=bold, stroke_fill=fill)
        box = self.draw.textbbox(xy, text, font=font, anchor=anchor, stroke_width=bold)
        if record:
            self.lines.append(Line(corners(box), text, kind))
        return box

    def record(self, box: Box, text: str, kind: str | None = None) -> None:
        self.lines.append(Line(corners(box), text, kind))

    def rect(self, box: Box, width: int = 2, color=None, fill=None) -> None:
        self.draw.rectangle(box, outline=color or self.ink, width=width, fill=fill)

    def hline(self, y: float, x0: float, x1: float, width: int = 2, color=None) -> None:
        self.draw.line((x0, y, x1, y), fill=color or self.ink, width=width)

    def vline(self, x: float, y0: float, y1: float, width: int = 2, color=None) -> None:
        self.draw.line((x, y0, x, y1), fill=color or self.ink, width=width)

    def dashed(self, y: float, x0: float, x1: float, dash: int = 12, width: int = 2) -> None:
        for x in range(int(x0), int(x1), dash * 2):
            self.hline(y, x, min(x + dash, x1), width)

    def vertical(self, x: float, y0: float, y1: float, text: str, font, fill=None) -> None:
        """``text`` one character under another, centred on ``x`` and spread over y0..y1;
        recorded as one ``vertical`` line."""
        step = (y1 - y0) / len(text)
        boxes = [self.text((x, y0 + step * (i + 0.5)), ch, font, fill, "mm", record=False)
                 for i, ch in enumerate(text)]
        self.record(union(boxes), text, "vertical")

    def barcode(self, box: Box, data: str, fill=None) -> None:
        """Bars derived from ``data`` filling ``box``; recorded as a ``barcode`` line."""
        x0, y0, x1, y1 = box
        pattern = _bar_pattern(data)
        module = (x1 - x0) / sum(pattern)
        x = x0
        for i, width in enumerate(pattern):
            if i % 2 == 0:
                self.draw.rectangle((round(x), y0, round(x + width * module) - 1, y1), fill=fill or self.ink)
            x += width * module
        self.record(box, data, "barcode")

    def cells(self, x0: float, y0: float, cell: float, height: float, chars: str, font,
              fill=None, draw_grid: bool = True, text: str | None = None, color=None) -> None:
        """One character per cell (right-aligned run of cells starting at x0); recorded as one
        ``cells`` line (``text`` or the characters joined)."""
        boxes = []
        for i, ch in enumerate(chars):
            cx = x0 + cell * (i + 0.5)
            if draw_grid:
                self.rect((x0 + cell * i, y0, x0 + cell * (i + 1), y0 + height), 1, color)
            if ch.strip():
                boxes.append(self.text((cx, y0 + height / 2), ch, font, fill, "mm", record=False))
        if boxes:
            self.record(union(boxes), text or chars.replace(" ", ""), "cells")

    def seal_square(self, box: Box, chars: str, font) -> None:
        """A red square name seal of four characters in 2×2; recorded as a ``seal`` line."""
        x0, y0, x1, y1 = box
        self.rect(box, 4, RED)
        w, h = (x1 - x0) / 2, (y1 - y0) / 2
        spots = [(x1 - w / 2, y0 + h / 2), (x1 - w / 2, y0 + 1.5 * h), (x0 + w / 2, y0 + h / 2),
                 (x0 + w / 2, y0 + 1.5 * h)]  # read top-to-bottom, right column first
        for (cx, cy), ch in zip(spots, chars):
            self.text((cx, cy), ch, font, RED, "mm", record=False)
        self.record(box, chars, "seal")

    def stamp(self, box: Box, rows: list[str], font) -> None:
        """A red rectangular bank stamp with centred rows; each row a ``seal`` line."""
        x0, y0, x1, y1 = box
        self.draw.rounded_rectangle(box, radius=10, outline=RED, width=3)
        step = (y1 - y0) / len(rows)
        for i, row in enumerate(rows):
            self.text(((x0 + x1) / 2, y0 + step * (i + 0.5)), row, font, RED, "mm", kind="seal")


def _bar_pattern(data: str) -> list[int]:
    """Alternating bar/space widths (1–4 modules) from a hash of ``data``, with guard bars."""
    digest = hashlib.sha256(data.encode()).digest() + hashlib.sha256(data[::-1].encode()).digest()
    widths = [2, 1, 1, 2, 3, 1]
    for byte in digest[:40]:
        widths += [1 + byte % 4, 1 + (byte >> 2) % 3]
    return widths + [2, 3, 3, 1, 1, 1, 2]


def fit(font_for, text: str, size: int, max_width: float, min_size: int = 12):
    """The largest font (``font_for(size)``, shrinking by 1 px) whose run fits ``max_width``."""
    while size > min_size and font_for(size).getlength(text) > max_width:
        size -= 1
    return font_for(size)


def wrap(font, text: str, width: float) -> list[str]:
    """Character wrap of ``text`` into lines no wider than ``width``; a break never splits a
    run of ASCII letters/digits (a house or room number) unless the run alone is too wide."""
    lines, current = [], ""
    for ch in text:
        if current and font.getlength(current + ch) > width:
            keep, moved = _split_run(current, ch)
            lines.append(keep.rstrip())
            current = moved.lstrip()
        else:
            current += ch
    return lines + ([current] if current else [])


def _split_run(current: str, ch: str) -> tuple[str, str]:
    """Where to break ``current`` when ``ch`` does not fit: before a trailing ASCII run that
    ``ch`` continues (and that is not the whole line)."""
    if not (ch.isascii() and ch.isalnum()):
        return current, ch
    start = len(current)
    while start > 0 and current[start - 1].isascii() and current[start - 1] not in " ":
        start -= 1
    if start == 0:
        return current, ch
    return current[:start], current[start:] + ch
