"""A PDF page's own text (its text layer) as OCR lines, when it can be trusted.

Born-digital PDFs (e-invoices, statements, e-waybills) carry their text: PDFium gives every
character with its box, and ``page_lines`` groups them into lines as OCR detection does (a wide
gap starts a new line), in the pixels of the page rendered at the same scale, each with score
1.0. ``None`` means "OCR this page": no text or hardly any, a text layer that is broken (private-use,
replacement or non-printable characters, characters PDFium could not map to Unicode, letters of
no script billflow reads, or letters whose printed shapes are not of the script they claim: CJK
glyphs mapped to Latin letters or the reverse), or a scan's page (images cover most of it: its
text layer, if any, is someone else's OCR).
"""

from __future__ import annotations

import ctypes
import math
import statistics
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pypdfium2
import pypdfium2.raw as pdfium_c

from extractors.lines import OcrLine

MOST_BROKEN = 0.05  # share of unmappable, private-use or non-printable characters a usable layer may hold
MOST_FOREIGN = 0.2  # share of letters of scripts other than Latin and CJK a usable layer may hold
MOST_IMAGE = 0.5  # share of the page images may cover before it is taken for a scan
LEAST_CHARACTERS = 20  # fewer printed characters: OCR the page (its text may be drawn as outlines)
SHAPE_SAMPLE = 3  # letters of a script needed to judge their shapes
MOST_FORM_DEPTH = 4  # form XObjects nested deeper are not looked into for images
LINE_GAP = 1.0  # a horizontal gap wider than this many line heights starts a new line
BROAD_LATIN = "mwMW"  # Latin letters as wide as they are tall in any font (the mm of 0.5mm): no sign of a script
WIDE_LATIN, NARROW_CJK = 0.72, 0.55  # median advance/height beyond which a script's claim is not believed
CJK_SCRIPTS = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO", "FULLWIDTH", "IDEOGRAPHIC"})
BAD_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cn", "Cs"})


@dataclass(frozen=True)
class Glyph:
    """One character of the text layer: its box ``(x0, y0, x1, y1)`` in page pixels (y down)."""

    char: str
    box: tuple[float, float, float, float]
    unmapped: bool = False  # PDFium found no Unicode mapping for it

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]


def page_lines(page: pypdfium2.PdfPage, scale: float, number: int) -> list[OcrLine] | None:
    """The page's text lines in the pixels of ``page.render(scale=scale)``, or None when the page
    must be OCR'd (no usable text layer: see the module's docstring)."""
    if image_share(page) > MOST_IMAGE:
        return None
    textpage = page.get_textpage()
    try:
        glyphs = read_glyphs(textpage, to_pixels(page, scale))
    finally:
        textpage.close()
    return group_lines(glyphs, number) if usable(glyphs) else None


def image_share(page: pypdfium2.PdfPage) -> float:
    """The share of the page's area its image objects cover, inside form XObjects too (overlaps
    counted twice)."""
    width, height = page.get_size()
    objects = [pdfium_c.FPDFPage_GetObject(page, i) for i in range(pdfium_c.FPDFPage_CountObjects(page))]
    return image_area(objects) / max(width * height, 1.0)


def image_area(objects: Iterable, depth: int = 0) -> float:
    """The area the image objects among ``objects`` cover, and those of the forms among them."""
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    covered = 0.0
    for item in objects:
        kind = pdfium_c.FPDFPageObj_GetType(item)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < MOST_FORM_DEPTH:
            inner = (pdfium_c.FPDFFormObj_GetObject(item, i) for i in range(pdfium_c.FPDFFormObj_CountObjects(item)))
            covered += image_area(inner, depth + 1)
        elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE and pdfium_c.FPDFPageObj_GetBounds(item, left, bottom, right, top):
            covered += max(0.0, right.value - left.value) * max(0.0, top.value - bottom.value)
    return covered


def to_pixels(page: pypdfium2.PdfPage, scale: float) -> tuple[float, ...]:
    """The affine map ``(a, b, c, d, e, f)``: page point (x, y) → pixel (a·x + b·y + c, d·x + e·y + f)
    of the page rendered at ``scale`` (its crop box, origin and /Rotate as PDFium renders them)."""
    size_x, size_y = math.ceil(page.get_width() * scale), math.ceil(page.get_height() * scale)
    span = 1000.0
    px, py = ctypes.c_int(), ctypes.c_int()

    def device(x: float, y: float) -> tuple[int, int]:
        pdfium_c.FPDF_PageToDevice(page, 0, 0, size_x, size_y, 0, x, y, px, py)
        return px.value, py.value

    (x0, y0), (x1, y1), (x2, y2) = device(0, 0), device(span, 0), device(0, span)
    return ((x1 - x0) / span, (x2 - x0) / span, x0, (y1 - y0) / span, (y2 - y0) / span, y0)


def read_glyphs(textpage: pypdfium2.PdfTextPage, affine: Sequence[float]) -> list[Glyph]:
    """Every character PDFium finds on the page with its loose box (font ascent to descent, its
    advance wide) in pixels; the line breaks PDFium infers are kept as ``"\\n"`` without a box."""
    rect = pdfium_c.FS_RECTF()
    chars, unmapped, corners = [], [], []
    for index in range(pdfium_c.FPDFText_CountChars(textpage)):
        chars.append(chr(pdfium_c.FPDFText_GetUnicode(textpage, index) or 0xFFFD))
        pdfium_c.FPDFText_GetLooseCharBox(textpage, index, rect)
        corners.append((rect.left, rect.bottom, rect.right, rect.top))
        unmapped.append(pdfium_c.FPDFText_HasUnicodeMapError(textpage, index) == 1)
    boxes = pixel_boxes(np.asarray(corners, dtype=np.float64).reshape(-1, 4), affine)
    return [Glyph("\n", (0, 0, 0, 0)) if char in "\r\n" else Glyph(char, tuple(box), bad)
            for char, box, bad in zip(chars, boxes.tolist(), unmapped)]


def pixel_boxes(rects: np.ndarray, affine: Sequence[float]) -> np.ndarray:
    """Page-space rectangles ``(left, bottom, right, top)`` → pixel boxes ``(x0, y0, x1, y1)``."""
    a, b, c, d, e, f = affine
    xs = np.stack([rects[:, 0], rects[:, 2], rects[:, 0], rects[:, 2]], axis=1)
    ys = np.stack([rects[:, 1], rects[:, 1], rects[:, 3], rects[:, 3]], axis=1)
    px, py = a * xs + b * ys + c, d * xs + e * ys + f
    return np.stack([px.min(axis=1), py.min(axis=1), px.max(axis=1), py.max(axis=1)], axis=1)


def usable(glyphs: Iterable[Glyph]) -> bool:
    """True when the characters read as text of a script billflow reads (see the module)."""
    printed = [g for g in glyphs if not g.char.isspace()]
    if len(printed) < LEAST_CHARACTERS:
        return False
    broken = sum(g.unmapped or is_garbage(g.char) for g in printed)
    if broken > MOST_BROKEN * len(printed):
        return False
    letters = [g for g in printed if g.char.isalpha()]
    foreign = sum(script(g.char) not in ("LATIN", "CJK") for g in letters)
    return foreign <= MOST_FOREIGN * max(len(letters), 1) and shapes_fit_scripts(letters)


def is_garbage(char: str) -> bool:
    """A replacement, private-use, control, format, unassigned or surrogate character."""
    return char == "\ufffd" or unicodedata.category(char) in BAD_CATEGORIES


def script(char: str) -> str:
    """``LATIN``, ``CJK`` (Han, kana, Hangul, full-width forms) or the first word of its Unicode name."""
    word = unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]
    return "CJK" if word in CJK_SCRIPTS else word


def shapes_fit_scripts(letters: Sequence[Glyph]) -> bool:
    """False when the letters' advances contradict their script: Latin letters as wide as CJK
    glyphs (a CJK page whose fonts map to ASCII), or CJK characters as narrow as Latin ones."""
    def median_ratio(wanted: str) -> float | None:
        ratios = [(g.box[2] - g.box[0]) / g.height for g in letters
                  if script(g.char) == wanted and g.height > 0 and g.char not in BROAD_LATIN]
        return statistics.median(ratios) if len(ratios) >= SHAPE_SAMPLE else None

    latin, cjk = median_ratio("LATIN"), median_ratio("CJK")
    return (latin is None or latin <= WIDE_LATIN) and (cjk is None or cjk >= NARROW_CJK)


def group_lines(glyphs: Sequence[Glyph], number: int) -> list[OcrLine]:
    """Characters → text lines as OCR detection finds them: a line break, a change of baseline,
    a step back or a gap wider than ``LINE_GAP`` line heights ends a line. Sorted top to bottom,
    then left to right; text with single spaces, every character's score 1.0."""
    lines: list[list[Glyph]] = []
    current: list[Glyph] = []
    band = (0.0, 0.0, 0.0, 0.0)  # the current line's top, bottom and right edge, its last glyph's left edge
    for glyph in glyphs:
        printed = not glyph.char.isspace()
        if glyph.char == "\n" or (printed and current and not continues(band, glyph)):
            lines.append(current)
            current = []
        if printed:
            x0, y0, x1, y1 = glyph.box
            band = (min(band[0], y0), max(band[1], y1), max(band[2], x1), x0) if current else (y0, y1, x1, x0)
        if glyph.char != "\n" and (current or printed):
            current.append(glyph)
    lines.append(current)
    return reading_order([line for line in (as_line(g, number) for g in lines) if line])


def continues(band: tuple[float, float, float, float], glyph: Glyph) -> bool:
    """Whether ``glyph`` carries on the line whose ``(top, bottom, right, last glyph's left)`` is
    ``band``: within its height, just to the right of it — or inside the last glyph's box (the
    second letter of a ligature such as ff shares the first one's box)."""
    top, bottom, right, last_left = band
    height = bottom - top
    middle = (glyph.box[1] + glyph.box[3]) / 2
    step = glyph.box[0] - right
    return top <= middle <= bottom and (-0.5 * height <= step or glyph.box[0] >= last_left) and step <= LINE_GAP * height


def reading_order(lines: list[OcrLine]) -> list[OcrLine]:
    """Top to bottom; lines whose middles lie within half a line height of a row's first line
    form a row, read left to right."""
    rows: list[list[OcrLine]] = []
    for line in sorted(lines, key=lambda l: l.center[1]):
        if rows and line.center[1] - rows[-1][0].center[1] <= rows[-1][0].height / 2:
            rows[-1].append(line)
        else:
            rows.append([line])
    return [line for row in rows for line in sorted(row, key=lambda l: l.bbox[0])]


def as_line(glyphs: Sequence[Glyph], number: int) -> OcrLine | None:
    """One line's characters as an ``OcrLine`` (None when it holds nothing printed)."""
    printed = [g for g in glyphs if not g.char.isspace()]
    if not printed:
        return None
    text = " ".join("".join(g.char for g in glyphs).split())
    x0, y0 = min(g.box[0] for g in printed), min(g.box[1] for g in printed)
    x1, y1 = max(g.box[2] for g in printed), max(g.box[3] for g in printed)
    x0, y0, x1, y1 = (round(v, 1) for v in (x0, y0, x1, y1))
    polygon = ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
    return OcrLine(text=text, score=1.0, polygon=polygon, page=number, char_scores=(1.0,) * len(text))
