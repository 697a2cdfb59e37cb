"""Pure metric functions: polygon IoU, one-to-one matching, CER, precision/recall/F1, percentiles."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein
from shapely.geometry import Polygon
from shapely.validation import make_valid

IOU_THRESHOLD = 0.5
_SPACE = re.compile(r"\s+")


def polygon(points: Sequence[Sequence[float]]) -> Polygon:
    """A valid shapely polygon from corner points (self-intersecting quads are repaired)."""
    shape = Polygon([(float(x), float(y)) for x, y in points])
    return shape if shape.is_valid else make_valid(shape)


def iou(a: Polygon, b: Polygon) -> float:
    """Intersection over union of two polygons; 0.0 when either has no area."""
    union = a.union(b).area
    return a.intersection(b).area / union if union > 0 else 0.0


def covered_fraction(inner: Polygon, outer: Polygon) -> float:
    """The share of ``inner``'s area that lies inside ``outer``."""
    return inner.intersection(outer).area / inner.area if inner.area > 0 else 0.0


@dataclass(frozen=True)
class Match:
    truth: int
    predicted: int
    iou: float


def match_one_to_one(truth: Sequence[Polygon], predicted: Sequence[Polygon],
                     threshold: float = IOU_THRESHOLD) -> list[Match]:
    """Greedy one-to-one matching, highest IoU first: each polygon is used at most once and a
    pair counts only at ``iou >= threshold``. Ties go to the lower indices. Sorted by truth index."""
    pairs = sorted(
        ((iou(t, p), ti, pi) for ti, t in enumerate(truth) for pi, p in enumerate(predicted)
         if _boxes_overlap(t.bounds, p.bounds)),
        key=lambda pair: (-pair[0], pair[1], pair[2]),
    )
    used_truth, used_pred, matches = set(), set(), []
    for value, ti, pi in pairs:
        if value < threshold:
            break
        if ti not in used_truth and pi not in used_pred:
            used_truth.add(ti)
            used_pred.add(pi)
            matches.append(Match(ti, pi, round(value, 4)))
    return sorted(matches, key=lambda m: m.truth)


def order_by_truth(truth: Sequence[Polygon], predicted: Sequence[Polygon]) -> list[int]:
    """Indices of ``predicted`` arranged in the order of ``truth``: each one at the truth polygon
    it overlaps most (the nearest one when it overlaps none), left to right among those at the
    same one. Without truth polygons: top to bottom, then left to right."""
    def slot(shape: Polygon) -> int:
        overlaps = [(shape.intersection(t).area, -ti) for ti, t in enumerate(truth) if _boxes_overlap(shape.bounds, t.bounds)]
        area, ti = max(overlaps, default=(0.0, 0))
        if area > 0:
            return -ti
        return min(range(len(truth)), key=lambda i: truth[i].centroid.distance(shape.centroid))

    if not truth:
        return sorted(range(len(predicted)), key=lambda i: (predicted[i].bounds[1], predicted[i].bounds[0]))
    return sorted(range(len(predicted)), key=lambda i: (slot(predicted[i]), predicted[i].bounds[0]))


def _boxes_overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def text_key(text: str, fold_case: bool = False) -> str:
    """Text as recognition is judged: NFKC, every whitespace character removed, case folded
    when the truth ignores case (SROIE's transcriptions are all upper case)."""
    key = _SPACE.sub("", unicodedata.normalize("NFKC", text))
    return key.casefold() if fold_case else key


def edit_distance(predicted: str, truth: str, fold_case: bool = False) -> int:
    """Levenshtein distance (insertions, deletions, substitutions) of the two keys."""
    return Levenshtein.distance(text_key(predicted, fold_case), text_key(truth, fold_case))


def cer(edits: int, truth_chars: int) -> float | None:
    """Character error rate: edits over truth characters (None when there is no truth text)."""
    return edits / truth_chars if truth_chars else None


@dataclass(frozen=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


def prf(counts: Counts) -> dict[str, float | int]:
    """Precision, recall and F1 with their counts. An empty denominator scores 1.0 only when
    nothing went wrong (no FN for precision, no FP for recall), else 0.0."""
    precision = counts.tp / (counts.tp + counts.fp) if counts.tp + counts.fp else float(counts.fn == 0)
    recall = counts.tp / (counts.tp + counts.fn) if counts.tp + counts.fn else float(counts.fp == 0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "tp": counts.tp, "fp": counts.fp, "fn": counts.fn}


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0..100) with linear interpolation (numpy's default); None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def timing_summary(seconds: Sequence[float]) -> dict[str, float | int | None]:
    """p50/p95 seconds per page and pages per minute (pages over their summed time)."""
    total = sum(seconds)
    return {"pages": len(seconds), "p50_s": _round(percentile(seconds, 50)), "p95_s": _round(percentile(seconds, 95)),
            "pages_per_minute": round(60 * len(seconds) / total, 2) if total else None}


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)
