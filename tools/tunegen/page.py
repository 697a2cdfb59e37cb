"""A page laid out in millimetres at a chosen resolution, drawn with docgen's canvas (rules,
barcodes, seals, amount cells) and with text of its own styles: another face, condensed or
widened glyphs, thermal-printer bold. Every run of text drawn is recorded as a truth line."""

from __future__ import annotations

import functools
import random

from PIL import Image, ImageDraw, ImageFont

from tools.docgen.canvas import Canvas, Line, box_polygon, break_rows
from tools.docgen.fonts import available_faces, face_for

DOCGEN_FAMILIES = {"Noto Sans CJK SC", "Noto Serif CJK SC", "Noto Sans Mono CJK SC", "WenQuanYi Micro Hei"}


@functools.cache
def face(name: str) -> tuple[str, int]:
    """``(path, index)`` for a face: ``hei`` (docgen's sans), ``mono`` (a monospaced CJK face),
    ``other`` (an installed CJK face docgen does not prefer, else the monospaced one)."""
    if name == "hei":
        return face_for("sans")
    if name == "other":
        for path, index, family, _style in available_faces():
            if family not in DOCGEN_FAMILIES and "Mono" not in family:
                return path, index
    return face_for("mono")


@functools.cache
def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    path, index = face(name)
    return ImageFont.truetype(path, size, index=index)


class Page:
    """A ``size_mm`` page at ``dpi``; coordinates and sizes in millimetres.

    ``style`` is the default text style: ``face``, ``sx`` (horizontal scale of the glyphs) and
    ``bold`` (stroke width in pixels).
    """

    def __init__(self, size_mm: tuple[float, float], dpi: int, rng: random.Random, paper="white",
                 ink="#111111", value_ink="#111111", value_offset_mm=(0.0, 0.0), **style):
        self.k = dpi / 25.4
        size = (round(size_mm[0] * self.k), round(size_mm[1] * self.k))
        offset = (round(value_offset_mm[0] * self.k), round(value_offset_mm[1] * self.k))
        self.canvas = Canvas(size, rng, paper, ink, value_ink, offset)
        self.rng, self.ink, self.value_ink = rng, ink, value_ink
        self.style = {"face": "hei", "sx": 1.0, "bold": 0} | style

    def px(self, *values: float) -> tuple[float, ...]:
        return tuple(v * self.k for v in values)

    # ----- form --------------------------------------------------------------------------------
    def rect(self, x0, y0, x1, y1, width: float = 0.3, color=None):
        self.canvas.rect(self.px(x0, y0, x1, y1), max(1, round(width * self.k)), color)

    def fill(self, x0, y0, x1, y1, color=None):
        self.canvas.fill(self.px(x0, y0, x1, y1), color)

    def hline(self, y, x0, x1, width: float = 0.25, dash: float = 0, color=None):
        self.canvas.hline(*self.px(y, x0, x1), max(1, round(width * self.k)), round(dash * self.k), color)

    def vline(self, x, y0, y1, width: float = 0.25, dash: float = 0, color=None):
        self.canvas.vline(*self.px(x, y0, y1), max(1, round(width * self.k)), round(dash * self.k), color)

    def grid(self, x0, y0, cols: list[float], rows: list[float], width: float = 0.25):
        """A table: column widths ``cols`` and row heights ``rows`` from (x0, y0), all ruled."""
        x1, y1 = x0 + sum(cols), y0 + sum(rows)
        y = y0
        for h in [0, *rows]:
            y += h
            self.hline(y, x0, x1, width)
        x = x0
        for w in [0, *cols]:
            x += w
            self.vline(x, y0, y1, width)

    # ----- marks -------------------------------------------------------------------------------
    def barcode(self, x0, y0, x1, y1, data: str):
        self.canvas.barcode(self.px(x0, y0, x1, y1), data)

    def qr(self, x0, y0, side):
        self.canvas.qr(self.px(x0, y0, x0 + side, y0 + side))

    def seal(self, cx, cy, r, arc: str, bottom: str = "", center: str = ""):
        self.canvas.seal(*self.px(cx, cy, r), arc, bottom, center)

    def name_seal(self, x, y, side, name: str):
        self.canvas.name_seal(*self.px(x, y, side), name)

    def cells(self, x, y, cell_w, cell_h, digits: str, size, header_h: float = 0):
        self.canvas.cells(*self.px(x, y, cell_w, cell_h), digits, round(size * self.k),
                          header_h=header_h * self.k)

    # ----- text --------------------------------------------------------------------------------
    def text(self, x: float, y: float, text: str, size: float, anchor: str = "lm", color=None,
             value: bool = False, kind: str | None = None, **style) -> tuple[float, float, float, float]:
        """Draw one run (``size`` = em height in mm) anchored at (x, y) on its ink box
        (l/m/r × t/m/b); record it; return the ink box in mm."""
        if not text:
            return (x, y, x, y)
        mask = self._glyphs(text, round(size * self.k), **(self.style | style))
        w, h = mask.size
        px, py = self.px(x, y)
        if value:
            px, py = px + self.canvas.value_offset[0], py + self.canvas.value_offset[1]
        left = px - {"l": 0, "m": w / 2, "r": w}[anchor[0]]
        top = py - {"t": 0, "m": h / 2, "b": h}[anchor[1]]
        left, top = round(left), round(top)
        ink = color or (self.value_ink if value else self.ink)
        self.canvas.image.paste(Image.new("RGB", mask.size, ink), (left, top), mask)
        self.canvas.lines.append(Line(box_polygon((left, top, left + w, top + h)), text, kind))
        return (left / self.k, top / self.k, (left + w) / self.k, (top + h) / self.k)

    def width(self, text: str, size: float, **style) -> float:
        """Advance width of ``text`` in mm (close to its ink width)."""
        style = self.style | style
        advance = font(style["face"], round(size * self.k)).getlength(text) * style["sx"]
        return (advance + 2 * style["bold"]) / self.k

    def wrap(self, x: float, y: float, text: str, size: float, width: float, leading: float = 1.3,
             max_lines: int = 3, **kwargs) -> float:
        """``text`` over as many rows (≤ max_lines) as ``width`` needs, first at ``y``; returns
        the y of the row after the last."""
        rows = break_rows(text, lambda t: self.width(t, size, **_style(kwargs)), width, max_lines)
        for i, row in enumerate(rows):
            self.text(x, y + i * size * leading, row, size, **kwargs)
        return y + len(rows) * size * leading

    def inverse(self, x0, y0, x1, y1, text: str, size: float, **style):
        """White text on a black box, centred (a thermal label's block mark)."""
        self.fill(x0, y0, x1, y1, "#111111")
        self.text((x0 + x1) / 2, (y0 + y1) / 2, text, size, "mm", color="white", **style)

    def ring(self, cx, cy, r, text: str, size: float, width: float = 0.5, **style):
        """A glyph in a circle (到 / 发 marks)."""
        x0, y0, x1, y1 = self.px(cx - r, cy - r, cx + r, cy + r)
        ImageDraw.Draw(self.canvas.image).ellipse((x0, y0, x1, y1), outline=self.ink,
                                                  width=max(2, round(width * self.k)))
        self.text(cx, cy, text, size, "mm", **style)

    def finish(self) -> tuple[Image.Image, list[Line]]:
        return self.canvas.finish(), self.canvas.lines

    @staticmethod
    @functools.lru_cache(maxsize=4096)
    def _glyphs(text: str, size_px: int, face: str = "hei", sx: float = 1.0, bold: int = 0) -> Image.Image:
        """The ink of ``text`` as an L mask cropped to its ink box, scaled ``sx`` across."""
        f = font(face, size_px)
        pad = size_px + 2 * bold
        canvas = Image.new("L", (round(f.getlength(text)) + 2 * pad, size_px * 2 + 2 * pad), 0)
        ImageDraw.Draw(canvas).text((pad, pad), text, font=f, fill=255, stroke_width=bold, stroke_fill=255)
        canvas = canvas.crop(canvas.getbbox() or (0, 0, 1, 1))
        if sx != 1.0:
            canvas = canvas.resize((max(1, round(canvas.width * sx)), canvas.height), Image.LANCZOS)
        return canvas


def _style(kwargs: dict) -> dict:
    return {k: kwargs[k] for k in ("face", "sx", "bold") if k in kwargs}
