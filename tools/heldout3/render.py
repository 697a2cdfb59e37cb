"""A page canvas that records every printed line's polygon and text, the fonts, stamps,
security tints, dot-matrix printing and the capture (rotation as scanned, photo, mild wear)."""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

# setup.sh installs WenQuanYi Micro Hei; the other families are used when present and fall back to it.
FONT_FILES = {
    "sans": ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",),
    "bold": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    "serif": ("/usr/share/fonts/truetype/arphic/uming.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    "hand": ("/usr/share/fonts/truetype/arphic/ukai.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
}
_FONT_CACHE: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}


def font(family: str, size: int) -> ImageFont.FreeTypeFont:
    """The first installed file of ``family`` at ``size`` px; FileNotFoundError names setup.sh."""
    key = (family, size)
    if key not in _FONT_CACHE:
        path = next((p for p in FONT_FILES[family] if Path(p).exists()), None)
        if path is None:
            raise FileNotFoundError("no CJK font: run setup.sh (it installs fonts-wqy-microhei)")
        _FONT_CACHE[key] = ImageFont.truetype(path, size)
    return _FONT_CACHE[key]


@dataclass
class Page:
    """An RGB page, its labelled lines (``kind`` set → don't care) and the name of its layout."""

    image: Image.Image
    lines: list[dict] = field(default_factory=list)
    layout: str = ""

    @classmethod
    def blank(cls, width: int, height: int, paper: tuple[int, int, int]) -> Page:
        return cls(Image.new("RGB", (width, height), paper))

    @property
    def draw(self) -> ImageDraw.ImageDraw:
        return ImageDraw.Draw(self.image)

    def text(self, x: float, y: float, text: str, size: int, family: str = "sans", fill=(20, 20, 20),
             kind: str | None = None, label: bool = True, spacing: float = 0.0, dots: bool = False) -> tuple[float, float, float, float]:
        """Print ``text`` with its top-left at (x, y) (``spacing`` px between characters; ``dots``:
        a cheque printer's dot matrix); records the line unless ``label`` is False. Returns its box."""
        face = font(family, size)
        if spacing or dots:
            box = self._spaced(x, y, text, face, fill, spacing, dots)
        else:
            self.draw.text((x, y), text, font=face, fill=fill)
            left, top, right, bottom = self.draw.textbbox((x, y), text, font=face)
            box = (left, top, right, bottom)
        if label and text.strip():
            left, top, right, bottom = box
            entry = {"polygon": [[left, top], [right, top], [right, bottom], [left, bottom]], "text": text}
            if kind:
                entry["kind"] = kind
            self.lines.append(entry)
        return box

    def _spaced(self, x, y, text, face, fill, spacing, dots):
        width = int(sum(face.getlength(ch) + spacing for ch in text)) + 4
        height = int(face.size * 1.4) + 4
        layer = Image.new("L", (width, height), 0)
        pen = ImageDraw.Draw(layer)
        cursor = 0.0
        for ch in text:
            pen.text((cursor, 0), ch, font=face, fill=255)
            cursor += face.getlength(ch) + spacing
        if dots:
            layer = _dot_matrix(layer, max(2, face.size // 9))
        ink = Image.new("RGB", layer.size, fill)
        self.image.paste(ink, (int(x), int(y)), layer)
        left, top, right, bottom = layer.getbbox() or (0, 0, 1, 1)
        return (int(x) + left, int(y) + top, int(x) + right, int(y) + bottom)

    def tilted(self, x: float, y: float, text: str, size: int, angle: float, family: str = "hand",
               fill=(25, 35, 110), kind: str | None = None) -> None:
        """Print ``text`` turned ``angle`` degrees counter-clockwise about its centre (a hand-filled
        value drifting off the box's line) and record its turned polygon."""
        face = font(family, size)
        pad = size
        width, height = int(face.getlength(text)) + 2 * pad, int(size * 1.5) + 2 * pad
        layer = Image.new("L", (width, height), 0)
        ImageDraw.Draw(layer).text((pad, pad), text, font=face, fill=255)
        left, top, right, bottom = layer.getbbox() or (pad, pad, pad + 1, pad + 1)
        turned = layer.rotate(angle, resample=Image.BICUBIC, expand=True)
        a = math.radians(angle)
        cx, cy, ncx, ncy = width / 2, height / 2, turned.width / 2, turned.height / 2
        ox, oy = int(x - pad - (turned.width - width) / 2), int(y - pad - (turned.height - height) / 2)

        def move(px, py):
            return [round(ox + ncx + (px - cx) * math.cos(a) + (py - cy) * math.sin(a), 1),
                    round(oy + ncy - (px - cx) * math.sin(a) + (py - cy) * math.cos(a), 1)]

        self.image.paste(Image.new("RGB", turned.size, fill), (int(ox), int(oy)), turned)
        polygon = [move(left, top), move(right, top), move(right, bottom), move(left, bottom)]
        entry = {"polygon": polygon, "text": text}
        if kind:
            entry["kind"] = kind
        self.lines.append(entry)

    def column(self, x: float, y: float, text: str, size: int, family: str = "serif", fill=(20, 20, 20)) -> None:
        """Print ``text`` top to bottom, one character under the other; recorded as a vertical line."""
        step = int(size * 1.15)
        for i, ch in enumerate(text):
            self.text(x, y + i * step, ch, size, family, fill, label=False)
        width = max(self.width_of(ch, size, family) for ch in text)
        self.lines.append({"polygon": [[x, y], [x + width, y], [x + width, y + step * len(text)], [x, y + step * len(text)]],
                           "text": text, "kind": "vertical"})

    def width_of(self, text: str, size: int, family: str = "sans", spacing: float = 0.0) -> float:
        face = font(family, size)
        return sum(face.getlength(ch) + spacing for ch in text) if spacing else face.getlength(text)

    def box(self, x0, y0, x1, y1, color, width=2):
        self.draw.rectangle((x0, y0, x1, y1), outline=color, width=width)

    def hline(self, x0, x1, y, color, width=1):
        self.draw.line((x0, y, x1, y), fill=color, width=width)

    def vline(self, x, y0, y1, color, width=1):
        self.draw.line((x, y0, x, y1), fill=color, width=width)


def _dot_matrix(layer: Image.Image, pitch: int) -> Image.Image:
    """Keep the glyphs' ink only on a grid of round dots, as a 24-pin cheque printer prints."""
    ink = np.asarray(layer) > 100
    h, w = ink.shape
    out = Image.new("L", (w, h), 0)
    pen = ImageDraw.Draw(out)
    radius = pitch * 0.55
    for y in range(0, h, pitch):
        for x in range(0, w, pitch):
            if ink[y:y + pitch, x:x + pitch].mean() > 0.35:
                pen.ellipse((x - radius + pitch / 2, y - radius + pitch / 2, x + radius + pitch / 2, y + radius + pitch / 2), fill=235)
    return out


def tint(page: Page, rng: random.Random, color: tuple[int, int, int]) -> None:
    """A security background: fine guilloche waves and a faint repeated micro-text band in ``color``."""
    pen = page.draw
    w, h = page.image.size
    for k in range(rng.randint(14, 24)):
        amp, period, phase, base = rng.uniform(4, 14), rng.uniform(60, 160), rng.uniform(0, 6.28), k * h / 18
        points = [(x, base + amp * math.sin(x / period * 6.28 + phase)) for x in range(0, w, 6)]
        pen.line(points, fill=color, width=1)
    for k in range(0, w, rng.randint(90, 140)):
        pen.line([(k, 0), (k + h * 0.4, h)], fill=color, width=1)


def stamp_round(page: Page, cx: float, cy: float, radius: float, ring_text: str, center_text: str,
                rng: random.Random, color=(205, 40, 40)) -> None:
    """A round red seal (ring text along the arc, a star, a centre word), labelled don't care."""
    layer = Image.new("RGBA", page.image.size, (0, 0, 0, 0))
    pen = ImageDraw.Draw(layer)
    alpha = rng.randint(150, 210)
    ink = (*color, alpha)
    pen.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=ink, width=max(3, int(radius / 14)))
    size = max(12, int(radius / 4.2))
    face = font("bold", size)
    count = len(ring_text)
    sweep = min(250.0, 20.0 * count)
    for i, ch in enumerate(ring_text):
        angle = math.radians(-90 - sweep / 2 + sweep * (i + 0.5) / count)
        px, py = cx + (radius - size * 0.95) * math.cos(angle), cy + (radius - size * 0.95) * math.sin(angle)
        glyph = Image.new("RGBA", (size * 2, size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((size * 0.5, size * 0.4), ch, font=face, fill=ink)
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.BICUBIC)
        layer.alpha_composite(glyph, (int(px - size), int(py - size)))
    star = [(cx + radius * 0.22 * math.cos(math.radians(-90 + k * 144)), cy + radius * 0.22 * math.sin(math.radians(-90 + k * 144)))
            for k in range(5)]
    pen.polygon(star, fill=ink)
    if center_text:
        cface = font("bold", max(10, int(radius / 5)))
        tw = cface.getlength(center_text)
        pen.text((cx - tw / 2, cy + radius * 0.35), center_text, font=cface, fill=ink)
    page.image.paste(Image.alpha_composite(page.image.convert("RGBA"), layer).convert("RGB"))
    page.lines.append({"polygon": [[cx - radius, cy - radius], [cx + radius, cy - radius], [cx + radius, cy + radius],
                                   [cx - radius, cy + radius]], "text": ring_text + center_text, "kind": "seal"})


def stamp_square(page: Page, x: float, y: float, side: float, name: str, rng: random.Random) -> None:
    """A square personal name seal (2×2 characters, 印 added), labelled don't care."""
    layer = Image.new("RGBA", page.image.size, (0, 0, 0, 0))
    pen = ImageDraw.Draw(layer)
    ink = (200, 30, 40, rng.randint(160, 220))
    pen.rectangle((x, y, x + side, y + side), outline=ink, width=max(3, int(side / 16)))
    chars = (name + "之印")[:4] if len(name) == 2 else (name + "印")[:4]
    face = font("bold", int(side * 0.38))
    for i, ch in enumerate(chars):
        col, row = 1 - i // 2, i % 2  # read right column first, top to bottom
        pen.text((x + side * 0.08 + col * side * 0.46, y + side * 0.06 + row * side * 0.46), ch, font=face, fill=ink)
    page.image.paste(Image.alpha_composite(page.image.convert("RGBA"), layer).convert("RGB"))
    page.lines.append({"polygon": [[x, y], [x + side, y], [x + side, y + side], [x, y + side]], "text": name,
                       "kind": "seal"})


def barcode(page: Page, x: float, y: float, width: float, height: float, rng: random.Random) -> None:
    """A 1-D barcode of random bars (not decodable; decoration)."""
    pen, cursor = page.draw, x
    while cursor < x + width - 4:
        bar = rng.choice((2, 2, 3, 4, 6))
        if rng.random() < 0.55:
            pen.rectangle((cursor, y, cursor + bar - 1, y + height), fill=(10, 10, 10))
        cursor += bar


def qr_block(page: Page, x: float, y: float, side: float, rng: random.Random) -> None:
    """A QR-like square of random modules with three finder patterns (decoration)."""
    n = 25
    cell = side / n
    pen = page.draw
    for r in range(n):
        for c in range(n):
            if rng.random() < 0.5:
                pen.rectangle((x + c * cell, y + r * cell, x + (c + 1) * cell, y + (r + 1) * cell), fill=(10, 10, 10))
    for fx, fy in ((0, 0), (n - 7, 0), (0, n - 7)):
        pen.rectangle((x + fx * cell, y + fy * cell, x + (fx + 7) * cell, y + (fy + 7) * cell), fill=(255, 255, 255))
        pen.rectangle((x + fx * cell, y + fy * cell, x + (fx + 7) * cell - 1, y + (fy + 7) * cell - 1), outline=(10, 10, 10), width=int(cell))
        pen.rectangle((x + (fx + 2) * cell, y + (fy + 2) * cell, x + (fx + 5) * cell, y + (fy + 5) * cell), fill=(10, 10, 10))


# --- capture ----------------------------------------------------------------------------------

def rotate_quarter(page: Page, turns: int) -> Page:
    """The page turned ``turns`` × 90° counter-clockwise (a scan fed sideways or upside down)."""
    turns %= 4
    if not turns:
        return page
    w, h = page.image.size
    image = page.image.rotate(90 * turns, expand=True)

    def move(x, y):
        cw, ch = w, h
        for _ in range(turns):
            x, y, cw, ch = y, cw - x, ch, cw
        return x, y

    lines = [{**l, "polygon": [list(move(x, y)) for x, y in l["polygon"]]} for l in page.lines]
    return Page(image, lines, page.layout)


def warp(page: Page, corners: list[tuple[float, float]], size: tuple[int, int], background) -> Page:
    """The page mapped so that its corners (TL, TR, BR, BL) land on ``corners`` of a ``size`` canvas."""
    w, h = page.image.size
    source = [(0, 0), (w, 0), (w, h), (0, h)]
    forward = _homography(source, corners)
    inverse = np.linalg.inv(forward)
    coefficients = (inverse / inverse[2, 2]).flatten()[:8]
    image = page.image.transform(size, Image.PERSPECTIVE, tuple(coefficients), Image.BICUBIC, fillcolor=background)

    def move(x, y):
        u, v, s = forward @ np.array([x, y, 1.0])
        return [round(float(u / s), 1), round(float(v / s), 1)]

    return Page(image, [{**l, "polygon": [move(x, y) for x, y in l["polygon"]]} for l in page.lines], page.layout)


def _homography(src, dst) -> np.ndarray:
    rows = []
    for (x, y), (u, v) in zip(src, dst):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y, -u])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y, -v])
    _, _, vt = np.linalg.svd(np.array(rows, dtype=float))
    return vt[-1].reshape(3, 3) / vt[-1][-1]


def photographed(page: Page, rng: random.Random) -> Page:
    """A phone photo: the page on a desk, seen at an angle, lit unevenly."""
    w, h = page.image.size
    margin = int(max(w, h) * 0.08)
    size = (w + 2 * margin, h + 2 * margin)
    jitter = lambda: rng.uniform(-0.06, 0.06) * min(w, h)
    corners = [(margin + jitter(), margin + jitter()), (margin + w + jitter(), margin + jitter()),
               (margin + w + jitter(), margin + h + jitter()), (margin + jitter(), margin + h + jitter())]
    shot = warp(page, corners, size, background=(rng.randint(90, 140), rng.randint(80, 120), rng.randint(60, 100)))
    light = np.linspace(rng.uniform(0.78, 0.9), rng.uniform(1.0, 1.08), size[0])[None, :, None]
    pixels = np.clip(np.asarray(shot.image, dtype=float) * light, 0, 255).astype(np.uint8)
    return Page(Image.fromarray(pixels), shot.lines, page.layout)


def worn(page: Page, rng: random.Random) -> Page:
    """Mild wear: a skew of up to 1.2°, a little blur and sensor noise."""
    w, h = page.image.size
    angle = math.radians(rng.uniform(-1.2, 1.2))
    cx, cy = w / 2, h / 2
    turn = lambda x, y: (cx + (x - cx) * math.cos(angle) - (y - cy) * math.sin(angle),
                         cy + (x - cx) * math.sin(angle) + (y - cy) * math.cos(angle))
    skewed = warp(page, [turn(0, 0), turn(w, 0), turn(w, h), turn(0, h)], (w, h), background=(235, 235, 232))
    image = skewed.image.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 0.9)))
    noise = np.random.default_rng(rng.randint(0, 2 ** 31)).normal(0, rng.uniform(3, 7), (h, w, 1))
    pixels = np.clip(np.asarray(image, dtype=float) + noise, 0, 255).astype(np.uint8)
    return Page(Image.fromarray(pixels), skewed.lines, page.layout)


def jpeg_bytes(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()
