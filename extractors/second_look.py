"""Where a page deserves a second look: print the first OCR pass saw but did not read.

Bank forms print the amount in figures one digit per box (亿千百十万千百十元角分) beside the amount
in words. On a whole page the detector often misses such lone boxed digits, so the amount in
figures is never read and cannot confirm the words. Read again on a crop of that row alone, the
same models read them (measured: ``¥3185023`` on a cheque whose page pass read none). This module
only proposes the regions, from the lines of the first pass; the shell crops and reads them and
adds what it read to the page's lines, so extraction and its cross-checks run unchanged.

Imports: extractors.fields and extractors.lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.fields import parse
from extractors.lines import OcrLine

ROWS_ABOVE = 1.0  # line heights above the words where the boxes may start (a header row above them)
ROWS_BELOW = 2.0  # and below, where they may end
_FIGURES = re.compile(r"\d")


@dataclass(frozen=True)
class Region:
    """A box of one page to read again, in the pixels of its lines; ``x1`` None: to the page's edge."""

    page: int
    x0: float
    y0: float
    x1: float | None
    y1: float


def amount_boxes_regions(lines: list[OcrLine]) -> list[Region]:
    """For each line holding an amount in words (叁万壹仟…元) whose amount no line of the page
    holds in figures and with no figure read to its right on its row, the band right of it: from
    a line height above to two below, to the page's right edge."""
    regions = []
    for line in lines:
        words = parse("amount_words", line.text)
        if words is None or _read_in_figures(words.value, lines):
            continue
        x0, y0, x1, y1 = line.bbox
        h = max(y1 - y0, 1.0)
        region = Region(line.page, x1, y0 - ROWS_ABOVE * h, None, y1 + ROWS_BELOW * h)
        if not any(_inside(other, region) and _FIGURES.search(other.text) for other in lines if other is not line):
            regions.append(region)  # a figure read there (boxes read one by one): the row is the page pass's
    return regions


def _read_in_figures(amount: str, lines: list[OcrLine]) -> bool:
    """True when a line holds ``amount`` (1234.50) in figures: its digits, cents included."""
    digits = amount.replace(".", "").lstrip("0")
    return bool(digits) and any(digits in re.sub(r"\D", "", line.text) for line in lines)


def _inside(line: OcrLine, region: Region) -> bool:
    """True when the line's centre lies in the region."""
    cx, cy = line.center
    return line.page == region.page and cx >= region.x0 and (region.x1 is None or cx <= region.x1) \
        and region.y0 <= cy <= region.y1
