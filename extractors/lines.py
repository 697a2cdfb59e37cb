"""The unit of OCR output the core works on: one recognized text line on one page."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

Point = tuple[float, float]
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class OcrLine:
    """A recognized text line: 4-point polygon (clockwise from top-left), text and score.

    ``page`` is 1-based. ``angle`` is the line orientation the classifier decided (0 or 180).
    ``char_scores`` holds the recognizer's probability of each character of ``text`` (empty
    when unknown): one misread character hides in the line's mean ``score``, not here.
    """

    text: str
    score: float
    polygon: tuple[Point, Point, Point, Point]
    page: int = 1
    angle: int = 0
    char_scores: tuple[float, ...] = ()

    def weakest(self, start: float = 0.0, end: float = 1.0) -> float:
        """The lowest character probability between the fractions ``start`` and ``end`` of the
        text (its score when per-character probabilities are unknown)."""
        if len(self.char_scores) != len(self.text) or not self.text:
            return self.score
        n = len(self.char_scores)
        first, last = min(int(start * n), n - 1), max(int(start * n) + 1, min(n, round(end * n + 0.5)))
        return min(self.char_scores[first:last])

    @cached_property  # asked for often by every locator; the line never changes
    def bbox(self) -> tuple[float, float, float, float]:
        """Axis-aligned box ``(x0, y0, x1, y1)`` around the polygon."""
        xs = [p[0] for p in self.polygon]
        ys = [p[1] for p in self.polygon]
        return (min(xs), min(ys), max(xs), max(ys))

    @cached_property
    def height(self) -> float:
        """The line's own height: its left and right edges' mean length (skew aside)."""
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = self.polygon
        return (math.dist((x0, y0), (x3, y3)) + math.dist((x1, y1), (x2, y2))) / 2

    @cached_property
    def center(self) -> Point:
        return (sum(p[0] for p in self.polygon) / 4, sum(p[1] for p in self.polygon) / 4)


def normalize_text(text: str) -> str:
    """NFKC (full-width → half-width), unify the multiplication sign, collapse whitespace."""
    text = unicodedata.normalize("NFKC", text).replace("×", "x")
    return _SPACES.sub(" ", text).strip()


def box_polygon(x0: float, y0: float, x1: float, y1: float) -> tuple[Point, Point, Point, Point]:
    """The 4-point polygon of an axis-aligned box."""
    return ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
