"""Build OCR lines for core tests: text placed on a grid like a page would hold it."""

from __future__ import annotations

from extractors.lines import OcrLine, box_polygon

ROW = 40
CHAR = 24


def line(text: str, row: int, col: int = 0, page: int = 1, score: float = 0.99) -> OcrLine:
    """A line whose top-left is at grid ``(row, col)``; width grows with the text length."""
    x0, y0 = 50 + col * CHAR, 50 + row * ROW
    return OcrLine(text, score, box_polygon(x0, y0, x0 + CHAR * max(len(text), 1), y0 + 28), page)


def page(*rows: str | tuple[str, int], page_no: int = 1) -> list[OcrLine]:
    """One line per row; a ``(text, col)`` tuple places it at a column."""
    out = []
    for row, item in enumerate(rows):
        text, col = (item, 0) if isinstance(item, str) else item
        out.append(line(text, row, col, page_no))
    return out
