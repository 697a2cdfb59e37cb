"""The second look: regions of a page the first OCR pass saw but did not read (proposed by
``extractors.second_look`` from its lines) cropped, enlarged and read again by the same engine.

Digits printed one per box come back as one line per box, or a few: the digits of one row are
joined left to right into one line (``¥|3|1|8…`` → ``¥3185023``), which extraction then reads
as the amount in figures beside the amount in words, so the two can confirm each other. A row
read only in part gives a different amount: the cross-check then sends the document to review,
it never confirms a wrong amount.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import cv2
import numpy as np

from extractors.lines import OcrLine, box_polygon
from extractors.second_look import amount_boxes_regions
from workers.ocr import OcrEngine
from workers.preprocess import map_lines

ENLARGE = 2.0  # lone boxed digits are found far more often at twice the size (tuning halves: 65 of 127 rows, 55 at 1×)
MIN_FIGURES = 3  # digits a row read again needs to be kept as figures
ROW_SHARE = 0.6  # line heights between the centres of two boxes of one row, at most
_DIGIT = re.compile(r"\d")
_SIGN = re.compile(r"[¥￥]")


def look_again(engine: OcrEngine, image: np.ndarray, lines: list[OcrLine]) -> list[OcrLine]:
    """Lines read again in ``image`` (BGR, the pixels of ``lines``) where ``lines`` call for it:
    each row of figures found there as one line, in the image's pixels."""
    height, width = image.shape[:2]
    found = []
    for region in amount_boxes_regions(lines):
        x0, y0 = max(0, int(region.x0)), max(0, int(region.y0))
        x1, y1 = min(width, int(region.x1 if region.x1 is not None else width)), min(height, int(region.y1) + 1)
        if x1 - x0 < 2 or y1 - y0 < 2:
            continue
        crop = cv2.resize(np.ascontiguousarray(image[y0:y1, x0:x1]), None, fx=ENLARGE, fy=ENLARGE,
                          interpolation=cv2.INTER_CUBIC)
        read = [line for line in engine.read(crop, page=region.page) if _DIGIT.search(line.text)]
        for row in _rows(read):
            if len(_DIGIT.findall(_text(row))) >= MIN_FIGURES:
                found.extend(_placed(row, x0, y0))
    return found


def _rows(lines: list[OcrLine]) -> list[list[OcrLine]]:
    """The lines grouped by text row (centres within ``ROW_SHARE`` of a line height), each left to right."""
    rows: list[list[OcrLine]] = []
    for line in sorted(lines, key=lambda l: l.center[1]):
        row = next((r for r in rows if abs(r[0].center[1] - line.center[1]) < ROW_SHARE * max(line.height, 1)), None)
        if row is None:
            rows.append([line])
        else:
            row.append(line)
    return [sorted(row, key=lambda l: l.bbox[0]) for row in rows]


def _text(row: list[OcrLine]) -> str:
    return "".join(line.text.replace(" ", "") for line in row)


def _placed(row: list[OcrLine], x0: int, y0: int) -> list[OcrLine]:
    """The row as the page pass reads boxes: its currency sign (¥, the amount's label) as a line
    of its own, its figures as one line; boxes back in the page's pixels, scores the row's lowest."""
    text = _text(row)
    sign = _SIGN.match(text)
    left, top = min(l.bbox[0] for l in row), min(l.bbox[1] for l in row)
    right, bottom = max(l.bbox[2] for l in row), max(l.bbox[3] for l in row)
    split = left + (right - left) * (sign.end() / len(text) if sign else 0.0)
    score, page = min(l.score for l in row), row[0].page

    def line(text: str, start: float, end: float) -> OcrLine:
        return OcrLine(text, score, box_polygon(round(x0 + start / ENLARGE, 1), round(y0 + top / ENLARGE, 1),
                                                round(x0 + end / ENLARGE, 1), round(y0 + bottom / ENLARGE, 1)), page)

    figures = line(text[sign.end():] if sign else text, split, right)
    return [line(sign.group(), left, split), figures] if sign else [figures]


def look_again_later(engine: Callable[[], OcrEngine], image: np.ndarray, upright: list[OcrLine],
                     original: list[OcrLine]) -> tuple[list[OcrLine], list[OcrLine]]:
    """``look_again`` for a page read before (its lines kept upright and as uploaded, as an OCR
    cache keeps them): the lines it adds, upright and as uploaded. The upright page is rebuilt
    from ``image`` (BGR, as uploaded) by the transform that placed the lines; ``engine`` is only
    made when a region calls for it."""
    if not amount_boxes_regions(upright) or len(upright) != len(original):
        return [], []
    to_upright, _ = cv2.findHomography(_corners(original), _corners(upright), 0)
    if to_upright is None:
        return [], []
    height, width = image.shape[:2]
    edges = cv2.perspectiveTransform(np.float32([[[0, 0], [width, 0], [width, height], [0, height]]]), to_upright)[0]
    size = (int(edges[:, 0].max()) + 1, int(edges[:, 1].max()) + 1)
    page = cv2.warpPerspective(image, to_upright, size, borderValue=(255, 255, 255))
    added = look_again(engine(), page, upright)
    return added, map_lines(added, np.linalg.inv(to_upright))


def _corners(lines: list[OcrLine]) -> np.ndarray:
    return np.float32([point for line in lines for point in line.polygon])
