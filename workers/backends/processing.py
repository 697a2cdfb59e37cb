"""PP-OCR's pre- and post-processing in plain numpy/OpenCV, step for step as PaddleX does it
(``DetResizeForTest`` limit type max, ``NormalizeImage``, ``DBPostProcess`` quad boxes in
fast score mode, ``OCRReisizeNormImg``, ``CTCLabelDecode``), so that a backend other than
Paddle's reads the same lines. Parameters come from billflow's model configs."""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import pyclipper

DET_STRIDE = 32  # detection input sides are multiples of this
DET_MIN_SIDE_SUM = 64  # smaller images are first padded (black) to 32×32, as PaddleX does
DB_MIN_SIZE = 3
REC_MAX_WIDTH = 3200


@dataclass(frozen=True)
class DbParams:
    thresh: float
    box_thresh: float
    max_candidates: int
    unclip_ratio: float


def det_input_size(height: int, width: int, limit_side: int) -> tuple[int, int]:
    """(height, width) the detector sees: the long side at most ``limit_side``, each side
    rounded to a multiple of 32."""
    ratio = limit_side / max(height, width) if max(height, width) > limit_side else 1.0
    return (max(int(round(int(height * ratio) / DET_STRIDE) * DET_STRIDE), DET_STRIDE),
            max(int(round(int(width * ratio) / DET_STRIDE) * DET_STRIDE), DET_STRIDE))


def det_image(image: np.ndarray, limit_side: int) -> np.ndarray:
    """The BGR page resized for detection (tiny images padded first)."""
    h, w = image.shape[:2]
    if h + w < DET_MIN_SIDE_SUM:
        padded = np.zeros((max(DET_STRIDE, h), max(DET_STRIDE, w), 3), np.uint8)
        padded[:h, :w] = image
        image, (h, w) = padded, padded.shape[:2]
    size = det_input_size(h, w, limit_side)
    return image if size == (h, w) else cv2.resize(image, (size[1], size[0]))


def normalize(image: np.ndarray, mean: list[float], std: list[float], scale: float) -> np.ndarray:
    """HWC uint8 → C-contiguous CHW float32, ``(pixel * scale - mean) / std`` per channel,
    computed in place: one page-sized float array, which OpenVINO reads without copying it."""
    alpha = np.array([scale / s for s in std], dtype=np.float32)[:, None, None]
    beta = np.array([-m / s for m, s in zip(mean, std)], dtype=np.float32)[:, None, None]
    chw = image.transpose(2, 0, 1).astype(np.float32, order="C")
    chw *= alpha
    chw += beta
    return chw


def db_boxes(probability: np.ndarray, height: int, width: int, params: DbParams) -> list[np.ndarray]:
    """Quads (4×2 float32, page pixels of a ``height``×``width`` page) from the DB probability
    map: contours of the map above ``thresh``, kept when their mean probability reaches
    ``box_thresh``, grown by ``unclip_ratio``."""
    map_h, map_w = probability.shape
    bitmap = ((probability > params.thresh) * 255).astype(np.uint8)
    contours, _ = cv2.findContours(bitmap, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    boxes = []
    for contour in contours[: params.max_candidates]:
        points, short_side = _min_box(contour)
        if short_side < DB_MIN_SIZE or _mean_inside(probability, points) < params.box_thresh:
            continue
        grown, short_side = _min_box(_unclip(points, params.unclip_ratio).reshape(-1, 1, 2))
        if short_side < DB_MIN_SIZE + 2:
            continue
        box = np.array(grown)
        box[:, 0] = np.clip(np.round(box[:, 0] * (width / map_w)), 0, width)
        box[:, 1] = np.clip(np.round(box[:, 1] * (height / map_h)), 0, height)
        boxes.append(box.astype(np.int16).astype(np.float32))
    return boxes


def _min_box(contour: np.ndarray) -> tuple[np.ndarray, float]:
    """The contour's minimum-area rectangle, corners clockwise from top-left, and its short side."""
    rect = cv2.minAreaRect(contour)
    points = sorted(cv2.boxPoints(rect), key=lambda p: p[0])
    left = (points[0], points[1]) if points[1][1] > points[0][1] else (points[1], points[0])
    right = (points[2], points[3]) if points[3][1] > points[2][1] else (points[3], points[2])
    return np.array([left[0], right[0], right[1], left[1]]), min(rect[1])


def _mean_inside(probability: np.ndarray, box: np.ndarray) -> float:
    h, w = probability.shape
    xmin = max(0, min(math.floor(box[:, 0].min()), w - 1))
    xmax = max(0, min(math.ceil(box[:, 0].max()), w - 1))
    ymin = max(0, min(math.floor(box[:, 1].min()), h - 1))
    ymax = max(0, min(math.ceil(box[:, 1].max()), h - 1))
    mask = np.zeros((ymax - ymin + 1, xmax - xmin + 1), dtype=np.uint8)
    shifted = box - np.array([xmin, ymin], dtype=box.dtype)
    cv2.fillPoly(mask, shifted.reshape(1, -1, 2).astype(np.int32), 1)
    return cv2.mean(probability[ymin : ymax + 1, xmin : xmax + 1], mask)[0]


def _unclip(box: np.ndarray, ratio: float) -> np.ndarray:
    distance = cv2.contourArea(box) * ratio / cv2.arcLength(box, True)
    offset = pyclipper.PyclipperOffset()
    offset.AddPath(box, pyclipper.JT_ROUND, pyclipper.ET_CLOSEDPOLYGON)
    expanded = offset.Execute(distance)
    try:
        return np.array(expanded)
    except ValueError:  # several polygons of different lengths: the first, as PaddleX does
        return np.array(expanded[0])


def rec_width(crop: np.ndarray, height: int, min_width: int) -> int:
    """The width a crop asks for in a recognition batch: its own at ``height``, at least ``min_width``."""
    h, w = crop.shape[:2]
    return min(int(height * max(min_width / height, w / h)), REC_MAX_WIDTH)


def rec_image(crop: np.ndarray, height: int, min_width: int) -> np.ndarray:
    """A BGR crop as the recognizer's CHW float32 input: height ``height`` keeping its aspect
    ratio, values in [-1, 1], right-padded with zeros to its ``rec_width``."""
    width = rec_width(crop, height, min_width)
    h, w = crop.shape[:2]
    resized_w = width if int(height * max(min_width / height, w / h)) > REC_MAX_WIDTH else min(math.ceil(height * w / h), width)
    resized = cv2.resize(crop, (resized_w, height)).astype(np.float32).transpose(2, 0, 1) / 255
    resized -= 0.5
    resized /= 0.5
    padded = np.zeros((3, height, width), dtype=np.float32)
    padded[:, :, :resized_w] = resized
    return padded


def ctc_decode(output: np.ndarray, characters: list[str]) -> list[tuple[str, float, tuple[int, ...], tuple[float, ...]]]:
    """Greedy CTC decoding of ``output`` (batch × columns × classes, class 0 the blank,
    class i the (i-1)th character): text, mean probability, each character's column and
    probability (3 decimals), per batch row."""
    indexes, probabilities = output.argmax(axis=-1), output.max(axis=-1)
    results = []
    for row, probs in zip(indexes, probabilities):
        kept = np.ones(len(row), dtype=bool)
        kept[1:] = row[1:] != row[:-1]
        kept &= row != 0
        columns = np.flatnonzero(kept)
        text = "".join(characters[i - 1] for i in row[kept])
        score = float(np.mean(probs[kept])) if columns.size else 0.0
        results.append((text, score, tuple(int(c) for c in columns), tuple(round(float(p), 3) for p in probs[kept])))
    return results
