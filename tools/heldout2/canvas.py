"""A page that remembers what it prints: every text run drawn is a truth line (its box and text);
seals are "don't care" lines. Also bars, QR-like codes, grids and stamps.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_FILES = {
    "microhei": ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    "zenhei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    "kai": ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
    "ming": ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    "sans": ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0),
    "sans_bold": ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 0),
    "mono": ("/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf", 0),
    "mono_bold": ("/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf", 0),
    "serif": ("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf", 0),
    "narrow": ("/usr/share/fonts/truetype/liberation/LiberationSansNarrow-Bold.ttf", 0),
}
CJK_FALLBACK = "microhei"
LATIN_FALLBACK = "sans"
CJK_FACES = ("microhei", "zenhei", "kai", "ming")
INK = (20, 20, 20)


def available(face: str) -> bool:
    return Path(FONT_FILES[face][0]).exists()


@lru_cache(maxsize=256)
def font(face: str, size: int) -> ImageFont.FreeTypeFont:
    """The face at ``size`` px; a missing CJK face falls back to WenQuanYi Micro Hei, a Latin one to DejaVu."""
    if not available(face):
        face = CJK_FALLBACK if face in CJK_FACES else LATIN_FALLBACK
    path, index = FONT_FILES[face]
    return ImageFont.truetype(path, size, index=index)


def cjk_faces() -> list[str]:
    return [f for f in CJK_FACES if available(f)] or [CJK_FALLBACK]


@dataclass
class Page:
    """An RGB page ``width``×``height`` px whose text runs are recorded as truth lines."""

    width: int
    height: int
    paper: tuple[int, int, int] = (255, 255, 255)
    lines: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.image = Image.new("RGB", (self.width, self.height), self.paper)
        self.draw = ImageDraw.Draw(self.image)

    def text(self, x: float, y: float, text: str, face: str, size: int, fill=INK, bold: bool = False,
             kind: str | None = None, record: bool = True) -> tuple[int, int, int, int]:
        """Draw ``text`` with its top-left at (x, y); returns its ink box."""
        typeface = font(face, size)
        stroke = max(1, size // 28) if bold else 0
        self.draw.text((x, y), text, font=typeface, fill=fill, stroke_width=stroke, stroke_fill=fill)
        left, top, right, bottom = self.draw.textbbox((x, y), text, font=typeface, stroke_width=stroke)
        if record and text.strip():
            self.record((left, top, right, bottom), text, kind)
        return left, top, right, bottom

    def spaced(self, x: float, y: float, text: str, face: str, size: int, gap: float, fill=INK, bold: bool = False):
        """Characters set ``gap`` px apart (labels like 收 款 人), one truth line."""
        boxes = []
        for char in text:
            boxes.append(self.text(x, y, char, face, size, fill, bold, record=False))
            x = boxes[-1][2] + gap if char.strip() else x + size * 0.5 + gap
        box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        self.record(box, " ".join(c for c in text if c.strip()))
        return box

    def vertical(self, x: float, y: float, text: str, face: str, size: int, gap: float = 2, fill=INK, bold=False):
        """One character under the other; each is its own truth line (that is how a reader sees them)."""
        for char in text:
            box = self.text(x, y, char, face, size, fill, bold)
            y = box[3] + gap
        return y

    def runs(self, x: float, y: float, parts: list[tuple[str, str, int, tuple]], gap: float = 6):
        """Pieces in their own faces and colours on one baseline (a printed value between a form's
        年 月 日), recorded as one truth line; returns its box."""
        boxes = []
        for text, face, size, fill in parts:
            boxes.append(self.text(x, y, text, face, size, fill, record=False))
            x = boxes[-1][2] + gap
        box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        self.record(box, "".join(p[0] for p in parts))
        return box

    def crop(self, height: int) -> None:
        """Keep the top ``height`` px (a label drawn on a long roll, cut to its size)."""
        self.image = self.image.crop((0, 0, self.width, height))
        self.height = height
        self.draw = ImageDraw.Draw(self.image)

    def content_bottom(self) -> int:
        return int(max((l["polygon"][2][1] for l in self.lines), default=0))

    def width_of(self, text: str, face: str, size: int) -> float:
        return font(face, size).getlength(text)

    def record(self, box, text: str, kind: str | None = None) -> None:
        left, top, right, bottom = box
        line = {"polygon": [[left - 1, top - 1], [right + 1, top - 1], [right + 1, bottom + 1], [left - 1, bottom + 1]],
                "text": text}
        if kind:
            line["kind"] = kind
        self.lines.append(line)

    def rect(self, box, outline=INK, width: int = 2, fill=None) -> None:
        self.draw.rectangle(box, outline=outline, width=width, fill=fill)

    def hline(self, x0, x1, y, fill=INK, width: int = 2) -> None:
        self.draw.line((x0, y, x1, y), fill=fill, width=width)

    def vline(self, x, y0, y1, fill=INK, width: int = 2) -> None:
        self.draw.line((x, y0, x, y1), fill=fill, width=width)

    def bars(self, rng: random.Random, box, payload: str) -> None:
        """A one-dimensional barcode look-alike filling ``box`` (not decodable: only its look matters)."""
        left, top, right, bottom = box
        local = random.Random(payload)
        modules, pattern = 0, []
        while modules < (right - left) / 2:
            width = local.choice((1, 1, 2, 2, 3, 4))
            pattern.append(width)
            modules += width
        scale = (right - left) / modules
        x, black = left, True
        for width in pattern:
            if black:
                self.draw.rectangle((round(x), top, round(x + width * scale) - 1, bottom), fill=INK)
            x += width * scale
            black = not black

    def qr(self, rng: random.Random, x: int, y: int, size: int, fill=INK) -> None:
        """A QR-code look-alike: 25 modules with the three finder squares."""
        n = 25
        cell = size / n
        for row in range(n):
            for col in range(n):
                if _in_finder(row, col, n):
                    dark = _finder_dark(row, col, n)
                else:
                    dark = rng.random() < 0.5
                if dark:
                    self.draw.rectangle((x + col * cell, y + row * cell, x + (col + 1) * cell - 1,
                                         y + (row + 1) * cell - 1), fill=fill)

    def stamp_round(self, rng: random.Random, cx: float, cy: float, radius: float, ring_text: str,
                    centre_text: str = "", colour=(210, 40, 40)) -> None:
        """A round red seal (company name around a star), printed over whatever is below it;
        recorded as a "don't care" region."""
        layer = Image.new("L", self.image.size, 0)
        pen = ImageDraw.Draw(layer)
        ink = rng.randint(150, 230)
        pen.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=ink, width=max(3, int(radius / 14)))
        _star(pen, cx, cy, radius * 0.28, ink)
        size = int(radius * 0.30)
        typeface = font("ming" if available("ming") else CJK_FALLBACK, size)
        span = math.radians(250)
        count = max(1, len(ring_text))
        for index, char in enumerate(ring_text):
            angle = -math.pi / 2 - span / 2 + span * (index + 0.5) / count
            glyph = Image.new("L", (size * 2, size * 2), 0)
            ImageDraw.Draw(glyph).text((size * 0.5, size * 0.4), char, font=typeface, fill=ink)
            glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.BICUBIC)
            gx = cx + (radius - size * 0.85) * math.cos(angle) - size
            gy = cy + (radius - size * 0.85) * math.sin(angle) - size
            layer.paste(glyph, (int(gx), int(gy)), glyph)
        if centre_text:
            small = font("ming" if available("ming") else CJK_FALLBACK, int(size * 0.9))
            width = small.getlength(centre_text)
            pen.text((cx - width / 2, cy + radius * 0.42), centre_text, font=small, fill=ink)
        self._overprint(layer, colour)
        self.record((cx - radius, cy - radius, cx + radius, cy + radius), ring_text + centre_text, kind="seal")

    def stamp_square(self, rng: random.Random, x: float, y: float, side: float, text: str, colour=(205, 35, 35)) -> None:
        """A square name seal (2×2 characters, read top-right down)."""
        layer = Image.new("L", self.image.size, 0)
        pen = ImageDraw.Draw(layer)
        ink = rng.randint(160, 230)
        pen.rectangle((x, y, x + side, y + side), outline=ink, width=max(3, int(side / 16)))
        chars = (text + "印" * 4)[:4]
        size = int(side * 0.38)
        typeface = font("kai" if available("kai") else CJK_FALLBACK, size)
        spots = ((x + side * 0.55, y + side * 0.08), (x + side * 0.55, y + side * 0.52),
                 (x + side * 0.08, y + side * 0.08), (x + side * 0.08, y + side * 0.52))
        for char, spot in zip(chars, spots):
            pen.text(spot, char, font=typeface, fill=ink)
        self._overprint(layer, colour)
        self.record((x, y, x + side, y + side), chars, kind="seal")

    def _overprint(self, alpha: Image.Image, colour) -> None:
        """Multiply a coloured ink layer over the page (ink over ink stays dark)."""
        tint = Image.new("RGB", self.image.size, colour)
        blended = Image.composite(tint, Image.new("RGB", self.image.size, (255, 255, 255)), alpha)
        from PIL import ImageChops
        self.image = ImageChops.multiply(self.image, blended)
        self.draw = ImageDraw.Draw(self.image)


def _in_finder(row: int, col: int, n: int) -> bool:
    return (row < 8 and col < 8) or (row < 8 and col >= n - 8) or (row >= n - 8 and col < 8)


def _finder_dark(row: int, col: int, n: int) -> bool:
    r = row if row < 8 else row - (n - 7)
    c = col if col < 8 else col - (n - 7)
    if not (0 <= r < 7 and 0 <= c < 7):
        return False
    return max(abs(r - 3), abs(c - 3)) != 2


def _star(pen: ImageDraw.ImageDraw, cx: float, cy: float, r: float, ink: int) -> None:
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.4
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    pen.polygon(points, fill=ink)


def wrap(text: str, face: str, size: int, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` px (character by character: Chinese)."""
    typeface = font(face, size)
    rows, current = [], ""
    for char in text:
        if current and typeface.getlength(current + char) > width:
            rows.append(current)
            current = char
        else:
            current += char
    if current:
        rows.append(current)
    return rows
