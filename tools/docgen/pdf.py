"""Born-digital PDFs: a page drawn on a ``RecordingCanvas`` is written again as vector rules and
real text (the CJK face the image used, embedded as a subset: the PDF has a text layer), with
the stamps as small transparent images. Coordinates: the image's pixels at ``DPI``."""

from __future__ import annotations

import datetime as dt
import functools
import tempfile
from pathlib import Path

import numpy as np
from fontTools.ttLib import TTFont
from fpdf import FPDF
from PIL import Image, ImageColor, ImageDraw, ImageFont

from .canvas import STAMP_RED, Box, Canvas

DPI = 200
PT = 72 / DPI  # PDF points per pixel
STAMP_OPACITY = 0.85


class RecordingDraw:
    """An ``ImageDraw`` that also keeps every line, rectangle and text call, in drawing order."""

    def __init__(self, draw: ImageDraw.ImageDraw) -> None:
        self._draw, self.calls = draw, []

    def line(self, xy, fill=None, width=1, **kwargs) -> None:
        self.calls.append(("line", [tuple(p) for p in xy], fill, width))
        self._draw.line(xy, fill=fill, width=width, **kwargs)

    def rectangle(self, xy, fill=None, outline=None, width=1) -> None:
        self.calls.append(("rectangle", tuple(xy), fill, outline, width))
        self._draw.rectangle(xy, fill=fill, outline=outline, width=width)

    def text(self, xy, text, fill=None, font=None, anchor=None, **kwargs) -> None:
        self.calls.append(("text", tuple(xy), text, fill, font, anchor or "la"))
        self._draw.text(xy, text, fill=fill, font=font, anchor=anchor, **kwargs)

    def __getattr__(self, name):  # textbbox and the rest: not drawing on the page
        return getattr(self._draw, name)


class RecordingCanvas(Canvas):
    """A ``Canvas`` whose drawing can be written as a PDF by ``to_pdf``; seals are kept as the
    boxes they cover on the stamp layer."""

    def __init__(self, size, rng, paper="white", *args, **kwargs) -> None:
        super().__init__(size, rng, paper, *args, **kwargs)
        self.paper = paper
        self.draw = RecordingDraw(self.draw)
        self.stamp_boxes: list[Box] = []

    def seal(self, cx: float, cy: float, r: float, *args, **kwargs) -> None:
        super().seal(cx, cy, r, *args, **kwargs)
        self.stamp_boxes.append((cx - r - 3, cy - r - 3, cx + r + 3, cy + r + 3))

    def name_seal(self, x: float, y: float, side: float, name: str) -> None:
        super().name_seal(x, y, side, name)
        self.stamp_boxes.append((x - 3, y - 3, x + side + 3, y + side + 3))


def to_pdf(canvas: RecordingCanvas, created: dt.date) -> bytes:
    """The canvas's page as a one-page PDF; the same canvas and date give the same bytes."""
    width, height = canvas.image.size
    pdf = FPDF(unit="pt", format=(width * PT, height * PT))
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.set_creation_date(dt.datetime(created.year, created.month, created.day, tzinfo=dt.timezone.utc))
    pdf.set_producer("billflow tools.docgen")
    pdf.add_page()
    if _rgb(canvas.paper) != (255, 255, 255):
        _rectangle(pdf, (0, 0, width - 1, height - 1), canvas.paper, None, 0)
    for call in canvas.draw.calls:
        _DRAWERS[call[0]](pdf, *call[1:])
    for box in canvas.stamp_boxes:
        _stamp(pdf, canvas.stamps, box)
    return bytes(pdf.output())


def _rgb(color) -> tuple[int, int, int]:
    return tuple(color[:3]) if isinstance(color, tuple) else ImageColor.getrgb(color)[:3]


def _line(pdf: FPDF, points, fill, width) -> None:
    pdf.set_draw_color(*_rgb(fill))
    pdf.set_line_width(width * PT)
    pdf.polyline([(x * PT, y * PT) for x, y in points])


def _rectangle(pdf: FPDF, box, fill, outline, width) -> None:
    x0, y0, x1, y1 = box
    if fill is not None:
        pdf.set_fill_color(*_rgb(fill))
        pdf.rect(x0 * PT, y0 * PT, (x1 - x0 + 1) * PT, (y1 - y0 + 1) * PT, style="F")
    if outline is not None:  # Pillow draws the outline inside the box
        inset = width / 2
        pdf.set_draw_color(*_rgb(outline))
        pdf.set_line_width(width * PT)
        pdf.rect((x0 + inset) * PT, (y0 + inset) * PT, (x1 - x0 + 1 - width) * PT, (y1 - y0 + 1 - width) * PT)


def _text(pdf: FPDF, xy, text, fill, font: ImageFont.FreeTypeFont, anchor: str) -> None:
    """The run at the baseline Pillow drew it on: the same ink box whatever the anchor."""
    anchored, baseline = font.getbbox(text, anchor=anchor), font.getbbox(text, anchor="ls")
    x, y = xy[0] + anchored[0] - baseline[0], xy[1] + anchored[1] - baseline[1]
    family = _family(pdf, font.path, font.index)
    pdf.set_font(family, size=font.size * PT)
    pdf.set_text_color(*_rgb(fill))
    pdf.text(x * PT, y * PT, text)


_DRAWERS = {"line": _line, "rectangle": _rectangle, "text": _text}


def _family(pdf: FPDF, path: str, index: int) -> str:
    family = f"F{Path(path).stem}-{index}".replace(" ", "")
    if family.lower() not in pdf.fonts:
        pdf.add_font(family, fname=str(single_face(path, index)))
    return family


@functools.cache
def single_face(path: str, index: int) -> Path:
    """A font file fpdf2 can embed: the file itself, or face ``index`` of a collection written
    to a temporary file once per process (fpdf2 reads only a collection's first face)."""
    if index == 0:
        return Path(path)
    out = Path(tempfile.mkdtemp(prefix="docgen-font-")) / f"{Path(path).stem}-{index}.ttf"
    TTFont(path, fontNumber=index).save(out)
    return out


def _stamp(pdf: FPDF, stamps: Image.Image, box: Box) -> None:
    """The stamp layer inside ``box`` as a red image whose opacity is the stamp's ink."""
    x0, y0, x1, y1 = (round(max(v, 0)) for v in box)
    mask = np.asarray(stamps.crop((x0, y0, x1, y1)), np.float32) * STAMP_OPACITY
    red = Image.new("RGB", (x1 - x0, y1 - y0), STAMP_RED)
    red.putalpha(Image.fromarray(mask.round().astype(np.uint8)))
    pdf.image(red, x0 * PT, y0 * PT, (x1 - x0) * PT, (y1 - y0) * PT)
