"""A page that draws form elements and records every text run it draws as a ground-truth line.

Layouts call these methods by name (see ``layouts``). Coordinates are pixels at ~200 dpi.
Red stamps are drawn into a separate mask and inked over the page by ``finish``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from . import barcode
from .fonts import font

Box = tuple[float, float, float, float]
STAMP_RED = (205, 32, 38)


@dataclass
class Line:
    """One drawn run of text: 4-point polygon (clockwise from top-left), text, optional kind."""

    polygon: list[list[float]]
    text: str
    kind: str | None = None

    def to_json(self) -> dict:
        out = {"polygon": [[round(x, 1), round(y, 1)] for x, y in self.polygon], "text": self.text}
        return out | ({"kind": self.kind} if self.kind else {})


def box_polygon(box: Box) -> list[list[float]]:
    x0, y0, x1, y1 = box
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]


class Canvas:
    """An RGB page plus the text lines drawn on it.

    ``ink`` colours the pre-printed form, ``value_ink`` the filled-in values, which are also
    shifted by ``value_offset`` (a printer that is slightly out of register).
    """

    def __init__(self, size: tuple[int, int], rng: random.Random, paper="white", ink="#111111",
                 value_ink="#111111", value_offset=(0, 0)):
        self.image = Image.new("RGB", size, paper)
        self.draw = ImageDraw.Draw(self.image)
        self.stamps = Image.new("L", size, 0)
        self.rng, self.ink, self.value_ink, self.value_offset = rng, ink, value_ink, value_offset
        self.lines: list[Line] = []

    # ----- rules and fills ---------------------------------------------------------------------
    def rect(self, box: Box, width: int = 2, color=None) -> None:
        self.draw.rectangle(box, outline=color or self.ink, width=width)

    def fill(self, box: Box, color=None) -> None:
        self.draw.rectangle(box, fill=color or self.ink)

    def hline(self, y: float, x0: float, x1: float, width: int = 2, dash: int = 0, color=None):
        self._line((x0, y), (x1, y), width, dash, color)

    def vline(self, x: float, y0: float, y1: float, width: int = 2, dash: int = 0, color=None):
        self._line((x, y0), (x, y1), width, dash, color)

    def _line(self, a, b, width, dash, color):
        color = color or self.ink
        if not dash:
            self.draw.line([a, b], fill=color, width=width)
            return
        length = math.dist(a, b)
        for s in np.arange(0, length, 2 * dash):
            t0, t1 = s / length, min(s + dash, length) / length
            p0 = (a[0] + (b[0] - a[0]) * t0, a[1] + (b[1] - a[1]) * t0)
            p1 = (a[0] + (b[0] - a[0]) * t1, a[1] + (b[1] - a[1]) * t1)
            self.draw.line([p0, p1], fill=color, width=width)

    # ----- text --------------------------------------------------------------------------------
    def text(self, x: float, y: float, text: str, size: int, font_role: str = "sans", color=None,
             anchor: str = "lm", kind: str | None = None, value: bool = False) -> None:
        """Draw one run anchored at (x, y) (Pillow anchor, default left-middle); record it."""
        if not text:
            return
        if value:
            x, y = x + self.value_offset[0], y + self.value_offset[1]
        color = color or (self.value_ink if value else self.ink)
        f = font(font_role, size)
        self.draw.text((x, y), text, font=f, fill=color, anchor=anchor)
        box = self.draw.textbbox((x, y), text, font=f, anchor=anchor)
        self.lines.append(Line(box_polygon(box), text, kind))

    def wrap(self, x: float, y: float, text: str, size: int, width: float, font_role: str = "sans",
             leading: float = 1.35, value: bool = False, max_lines: int = 3) -> None:
        """Draw ``text`` over as many lines (≤ max_lines) as ``width`` needs, first at ``y``."""
        for i, row in enumerate(break_rows(text, font(font_role, size).getlength, width, max_lines)):
            self.text(x, y + i * size * leading, row, size, font_role, value=value)

    def vtext(self, x: float, y: float, text: str, size: int, font_role: str = "serif",
              gap: float = 1.15, color=None) -> None:
        """Vertical text: characters stacked downwards, centred on x, starting at y."""
        f = font(font_role, size)
        boxes = []
        for i, ch in enumerate(text):
            pos = (x, y + i * size * gap)
            self.draw.text(pos, ch, font=f, fill=color or self.ink, anchor="mt")
            boxes.append(self.draw.textbbox(pos, ch, font=f, anchor="mt"))
        self.lines.append(Line(box_polygon(_union(boxes)), text, "vertical"))

    def inverse(self, box: Box, text: str, size: int, font_role: str = "sansb") -> None:
        """A white-on-black label (e.g. 收 / 寄 on waybills) centred in ``box``."""
        self.fill(box, "#111111")
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        self.text(cx, cy, text, size, font_role, color="white", anchor="mm")

    def guilloche(self, color, step: int = 22, amplitude: float = 14, period: float = 160) -> None:
        """Security-paper background: interlaced sine waves, softened (keeps JPEGs small).
        Must be the first operation: it blurs the whole page."""
        w, h = self.image.size
        xs = np.arange(0, w + 4, 4, dtype=float)
        for y0 in range(-step, h + step, step):
            for phase in (0.0, math.pi):
                ys = y0 + amplitude * np.sin(2 * math.pi * xs / period + phase + y0 / 37)
                self.draw.line(list(zip(xs, ys)), fill=color, width=1)
        self.image.paste(self.image.filter(ImageFilter.GaussianBlur(1.5)))

    # ----- machine-readable marks ---------------------------------------------------------------
    def barcode(self, box: Box, data: str, caption_size: int = 0, caption: str | None = None,
                font_role: str = "mono") -> None:
        """A Code 128 barcode filling ``box`` width-wise, optional caption centred below."""
        runs = barcode.modules(data)
        unit = (box[2] - box[0]) / sum(w for w, _ in runs)
        x = box[0]
        for width, is_bar in runs:
            if is_bar:
                self.draw.rectangle((round(x), box[1], round(x + width * unit) - 1, box[3]), fill="#000")
            x += width * unit
        if caption_size:
            cx = (box[0] + box[2]) / 2
            self.text(cx, box[3] + 6, caption or data, caption_size, font_role, anchor="mt",
                      kind="barcode-digits")

    def qr(self, box: Box, modules: int = 25) -> None:
        """A QR-looking square: three finder patterns and random modules (not decodable)."""
        cell = (box[2] - box[0]) / modules
        grid = np.array([[self.rng.random() < 0.5 for _ in range(modules)] for _ in range(modules)])
        for r0, c0 in ((0, 0), (0, modules - 7), (modules - 7, 0)):
            grid[max(r0 - 1, 0):r0 + 8, max(c0 - 1, 0):c0 + 8] = False
            grid[r0:r0 + 7, c0:c0 + 7] = True
            grid[r0 + 1:r0 + 6, c0 + 1:c0 + 6] = False
            grid[r0 + 2:r0 + 5, c0 + 2:c0 + 5] = True
        for r, c in zip(*np.nonzero(grid)):
            x0, y0 = box[0] + c * cell, box[1] + r * cell
            self.draw.rectangle((round(x0), round(y0), round(x0 + cell) - 1, round(y0 + cell) - 1),
                                fill="#000")

    def cells(self, x: float, y: float, cell_w: float, cell_h: float, digits: str, size: int,
              header: str = "亿千百十万千百十元角分", header_h: float = 0) -> None:
        """Amount cells: a header row of place names, then ``digits`` right-aligned below."""
        n = len(header)
        if header_h:
            for i, ch in enumerate(header):
                self.rect((x + i * cell_w, y, x + (i + 1) * cell_w, y + header_h), width=1)
                self.draw.text((x + (i + 0.5) * cell_w, y + header_h / 2), ch,
                               font=font("serif", int(header_h * 0.6)), fill=self.ink, anchor="mm")
            hbox = (x + 0.2 * cell_w, y + 0.2 * header_h, x + (n - 0.2) * cell_w, y + 0.8 * header_h)
            self.lines.append(Line(box_polygon(hbox), header, "cells"))
            y += header_h
        for i in range(n):
            self.rect((x + i * cell_w, y, x + (i + 1) * cell_w, y + cell_h), width=1)
        ox, oy = self.value_offset
        boxes = []
        for i, ch in enumerate(digits):
            cx = x + (n - len(digits) + i + 0.5) * cell_w + ox
            pos = (cx, y + cell_h / 2 + oy)
            f = font("sans", size)
            self.draw.text(pos, ch, font=f, fill=self.value_ink, anchor="mm")
            boxes.append(self.draw.textbbox(pos, ch, font=f, anchor="mm"))
        self.lines.append(Line(box_polygon(_union(boxes)), digits, "cells"))

    # ----- stamps -------------------------------------------------------------------------------
    def seal(self, cx: float, cy: float, r: float, arc_text: str, bottom_text: str = "",
             center_text: str = "", ring: float = 0.06) -> None:
        """A round red seal: ring, ``arc_text`` along the top, a star (or ``center_text``) in
        the middle and ``bottom_text`` below it."""
        d = ImageDraw.Draw(self.stamps)
        w = max(3, int(r * ring))
        d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=255, width=w)
        if arc_text:
            self._arc_text(cx, cy, r - w - r * 0.16, arc_text, r * 0.27)
        if center_text:
            self._stamp_text(cx, cy, center_text, int(r * 0.2))
        else:
            d.polygon(_star(cx, cy, r * 0.28), fill=255)
        if bottom_text:
            self._stamp_text(cx, cy + r * 0.52, bottom_text, int(r * 0.22))

    def _stamp_text(self, x, y, text, size):
        d = ImageDraw.Draw(self.stamps)
        f = font("sansb", size)
        d.text((x, y), text, font=f, fill=255, anchor="mm")
        self.lines.append(Line(box_polygon(d.textbbox((x, y), text, font=f, anchor="mm")), text, "seal"))

    def _arc_text(self, cx, cy, radius, text, max_size):
        span = min(260.0, 26.0 * len(text))
        size = int(min(max_size, 0.95 * math.radians(span) * radius / len(text)))
        f = font("sansb", size)
        boxes = []
        for i, ch in enumerate(text):
            theta = math.radians(-span / 2 + span * (i + 0.5) / len(text))
            glyph = Image.new("L", (size * 2, size * 2), 0)
            ImageDraw.Draw(glyph).text((size, size), ch, font=f, fill=255, anchor="mm")
            glyph = glyph.rotate(-math.degrees(theta), resample=Image.BILINEAR)
            gx = cx + radius * math.sin(theta) - size
            gy = cy - radius * math.cos(theta) - size
            self.stamps.paste(255, (round(gx), round(gy)), glyph)
            inner = glyph.getbbox() or (0, 0, 0, 0)
            boxes.append((gx + inner[0], gy + inner[1], gx + inner[2], gy + inner[3]))
        self.lines.append(Line(box_polygon(_union(boxes)), text, "seal"))

    def name_seal(self, x: float, y: float, side: float, name: str) -> None:
        """A square personal seal: 2×2 characters read right column first (张伟之印, 王建国印)."""
        d = ImageDraw.Draw(self.stamps)
        d.rectangle((x, y, x + side, y + side), outline=255, width=max(3, int(side * 0.07)))
        chars = (name + ("之印" if len(name) == 2 else "印"))[:4]
        size = int(side * 0.38)
        f = font("serifb", size)
        order = [(1, 0), (1, 1), (0, 0), (0, 1)]  # right column first, top to bottom
        for ch, (col, row) in zip(chars, order):
            d.text((x + side * (0.27 + 0.46 * col), y + side * (0.29 + 0.44 * row)), ch, font=f,
                   fill=255, anchor="mm")
        inset = side * 0.08
        self.lines.append(Line(box_polygon((x + inset, y + inset, x + side - inset, y + side - inset)),
                               chars, "seal"))

    def finish(self) -> Image.Image:
        """Ink the stamps (semi-transparent, unevenly) over the page and return the image."""
        mask = np.asarray(self.stamps.filter(ImageFilter.GaussianBlur(0.7)), np.float32) / 255
        h, w = mask.shape
        mottle = np.asarray(
            Image.fromarray((np.random.default_rng(self.rng.randrange(2**32)).random(
                (h // 8 + 1, w // 8 + 1)) * 255).astype(np.uint8)).resize((w, h), Image.BILINEAR),
            np.float32) / 255
        alpha = (mask * (0.55 + 0.35 * mottle))[..., None]
        page = np.asarray(self.image, np.float32)
        red = np.array(STAMP_RED, np.float32)
        # multiply-like blend: red ink darkens the paper but dark text still shows through
        inked = page * (1 - alpha) + np.minimum(page, red) * alpha
        return Image.fromarray(inked.round().astype(np.uint8))


def break_rows(text: str, measure: Callable[[str], float], width: float, max_lines: int) -> list[str]:
    """Split ``text`` into ≤ max_lines rows no wider than ``width`` as ``measure`` gives a text's
    width (the last one may be wider), never inside a run of Latin letters or digits; a first
    character wider than ``width`` stands alone on its row."""
    rows = []
    while len(rows) < max_lines - 1 and measure(text) > width:
        cut = max((i for i in range(1, len(text)) if measure(text[:i]) <= width), default=1)
        keep = cut
        while keep > 0 and _latin(text[keep - 1]) and _latin(text[keep]):
            keep -= 1
        cut = keep or cut
        rows.append(text[:cut])
        text = text[cut:]
    return rows + [text]


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _union(boxes) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def _star(cx, cy, r):
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.4
        a = math.radians(-90 + 36 * i)
        points.append((cx + radius * math.cos(a), cy + radius * math.sin(a)))
    return points
