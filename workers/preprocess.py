"""Page preparation before OCR: perspective, illumination, orientation (0/90/180/270), deskew.

Each step is a pure function on a BGR image. ``prepare_page`` chains the enabled ones and keeps
``to_original``, the 3×3 transform from the prepared image back to the page as uploaded, so that
polygons read on the prepared image are stored in the uploaded page's pixels (``map_lines``).

Orientation and skew come from the text detector's boxes: their dominant long-side direction
says whether lines run across (0/180) or down (90/270) the page and how far they are tilted
(refined to 0.1° on the ink's row profile, as the boxes lean a few percent towards level); the
0/180 line classifier's votes on the longest lines then decide between the two candidates.
When the page needs no turn the first detection is handed on to OCR, so a clean page is
detected once. Measured and left out: denoising (a 3×3 median lost fields on noisy 150 dpi
scans) and binarization (Otsu lost fields on faded prints).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Protocol

import cv2
import numpy as np

from extractors.lines import OcrLine

QUAD_SEARCH_SIDE = 640  # long side, in pixels, the page-outline search works at
MIN_PAGE_AREA = 0.2  # share of the photo a page outline must cover
MIN_PAGE_CONTRAST = 40  # grey levels between the page just inside each side and the background just outside
DARK_BAND = 0.6  # a side may lack a step where the page just inside is this dark (share of its median)
RIM = 6  # distance, in search pixels, from a side to where page and background are sampled
THRESHOLD_SHARES = (1.0, 0.9, 0.8, 0.7, 0.6)  # of Otsu's threshold: a shadowed part of the page is darker
FLAT_MARGIN = 0.08  # of the page's size, kept around a flattened page
MIN_ELONGATION = 2.0  # boxes at least this many times longer than high count as text lines
MIN_LINES = 3  # fewer text lines: leave the page's orientation and skew alone
MIN_SKEW = 0.5  # degrees; a smaller tilt is left to the detector (no resampling)
INK_STEP = 60  # grey levels below the paper's median that count as ink when cropping
CROP_MARGIN = 0.02  # of the long side, kept around the ink of a deskewed page
TILT_SEARCH = 1.0  # degrees either side of the detector's tilt searched by the ink's row profile
MIN_INK_PIXELS = 200  # fewer sampled ink pixels: keep the detector's tilt
VOTE_LINES = 8  # the longest lines the 0/180 classifier votes on
BACKGROUND_SIDE = 256  # long side the paper's brightness is estimated at
UNEVEN_LIGHT = 30  # grey levels between the darkest and brightest paper: a shadow
FAINT_INK = 110  # grey levels between paper and the darkest ink: a faded print
WHITE = (255, 255, 255)


class Detector(Protocol):
    """What preparation needs from the OCR engine (``workers.ocr.OcrEngine`` has both)."""

    def detect(self, image: np.ndarray) -> list[np.ndarray]: ...

    def flip_scores(self, image: np.ndarray, polygons: list[np.ndarray]) -> list[float]: ...


@dataclass(frozen=True)
class PrepareOptions:
    orientation: bool = True
    deskew: bool = True
    perspective: bool = True
    illumination: bool = True


@dataclass(frozen=True)
class PreparedPage:
    """The page ready for OCR.

    ``to_original`` maps prepared-image pixels to uploaded-page pixels. ``rotation``: degrees
    the upload was turned clockwise to stand upright (0/90/180/270); ``skew_degrees``: the tilt
    then removed (text lines running down to the right are positive); ``perspective``: a page
    outline was found and flattened. ``polygons``: text boxes already detected on ``image``
    (None when orientation and deskew are off). ``timings``: seconds per step.
    """

    image: np.ndarray
    to_original: np.ndarray
    rotation: int = 0
    skew_degrees: float = 0.0
    perspective: bool = False
    polygons: list[np.ndarray] | None = None
    timings: dict[str, float] = field(default_factory=dict)


def prepare_page(image: np.ndarray, options: PrepareOptions, engine: Detector) -> PreparedPage:
    """Run the enabled steps in order: perspective, illumination, orientation and deskew."""
    timings: dict[str, float] = {}
    forward, flattened = np.eye(3), False
    if options.perspective:
        with _timed(timings, "perspective"):
            quad = find_page_quad(image)
            if quad is not None:
                image, forward = flatten_page(image, quad)
                flattened = True
    if options.illumination:
        with _timed(timings, "illumination"):
            image = normalize_illumination(image)
    if not (options.orientation or options.deskew):
        return PreparedPage(image, np.linalg.inv(forward), perspective=flattened, timings=timings)
    image, turn, rotation, skew, polygons = _upright(image, options, engine, timings)
    return PreparedPage(image, np.linalg.inv(turn @ forward), rotation, skew, flattened, polygons, timings)


def _upright(image: np.ndarray, options: PrepareOptions, engine: Detector, timings: dict[str, float]):
    """Turn and deskew from the detected lines, then settle 0 versus 180 by the classifier's vote.
    Returns (image, 3×3 map from the given image, rotation, skew, boxes detected on the image)."""
    with _timed(timings, "detect"):
        polygons = engine.detect(image)
    quarter, skew = split_direction(line_direction(polygons))
    if quarter and not options.orientation:  # lines run down the page and may not be turned
        quarter, skew = 0, 0.0
    if not options.deskew or abs(skew) < MIN_SKEW:
        skew = 0.0
    matrix = np.eye(3)
    if quarter or skew:
        with _timed(timings, "rotate"):
            skew = refine_tilt(image, quarter, skew) if skew else 0.0
            image, matrix = rotate(image, quarter - skew)
            if skew:  # the turned canvas grew white corners: cut them, or detection sees smaller text
                image, crop = crop_to_ink(unblur(image))
                matrix = crop @ matrix
            polygons = engine.detect(image)
    with _timed(timings, "vote"):
        upside_down = options.orientation and is_upside_down(engine.flip_scores(image, longest_lines(polygons)))
    if upside_down:
        with _timed(timings, "rotate"):
            image, half = rotate(image, 180)
            matrix, quarter = half @ matrix, quarter + 180
            polygons = engine.detect(image)  # boxes found on upside-down text sit off it
    return image, matrix, quarter, round(float(skew), 2), polygons


@contextmanager
def _timed(timings: dict[str, float], step: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    timings[step] = timings.get(step, 0.0) + time.perf_counter() - started


# --- orientation and skew -------------------------------------------------------------------


def _sides(polygon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A quad's mean long side vector and mean short side vector."""
    p = np.asarray(polygon, dtype=np.float64)
    across, down = (p[1] - p[0] + p[2] - p[3]) / 2, (p[3] - p[0] + p[2] - p[1]) / 2
    return (across, down) if np.hypot(*across) >= np.hypot(*down) else (down, across)


def _is_line(polygon: np.ndarray) -> bool:
    long, short = _sides(polygon)
    return np.hypot(*long) >= MIN_ELONGATION * max(np.hypot(*short), 1.0)


def line_direction(polygons: list[np.ndarray]) -> float | None:
    """The text lines' dominant direction in degrees, in [-90, 90): 0 is across the page, positive
    runs down to the right, ±90 down the page. None with fewer than ``MIN_LINES`` line boxes.

    Axial mean of the long sides (weighted by length), refined by the weighted median deviation.
    """
    sides = [_sides(p)[0] for p in polygons if _is_line(p)]
    if len(sides) < MIN_LINES:
        return None
    angles = np.array([math.atan2(dy, dx) for dx, dy in sides])
    weights = np.array([math.hypot(dx, dy) for dx, dy in sides])
    mean = np.angle(np.sum(weights * np.exp(2j * angles))) / 2
    deviations = _wrap_half_turn(angles - mean)
    order = np.argsort(deviations)
    cumulative = np.cumsum(weights[order])
    median = deviations[order][np.searchsorted(cumulative, cumulative[-1] / 2)]
    return math.degrees(_wrap_half_turn(mean + median))


def _wrap_half_turn(radians):
    """Angles of undirected lines folded into [-π/2, π/2)."""
    return (radians + math.pi / 2) % math.pi - math.pi / 2


def split_direction(direction: float | None) -> tuple[int, float]:
    """(quarter, skew): a clockwise quarter turn (0 or 90) that lays the lines across the page,
    then the tilt left, in (-45, 45]; rotating clockwise by ``quarter - skew`` levels the lines."""
    if direction is None:
        return 0, 0.0
    quarter = 90 if abs(direction) > 45 else 0
    return quarter, math.degrees(_wrap_half_turn(math.radians(direction + quarter)))


def refine_tilt(image: np.ndarray, quarter: int, tilt: float) -> float:
    """The tilt within ``TILT_SEARCH`` degrees of ``tilt`` (detector boxes lean a few percent
    towards level) after which the ink's rows are sharpest: turned clockwise by
    ``quarter - tilt``, the row profile of the ink has the largest sum of squares."""
    xs, ys, _ = _ink(image, 1000)
    if len(xs) < MIN_INK_PIXELS:
        return tilt
    tilts = tilt + np.arange(-TILT_SEARCH, TILT_SEARCH + 1e-9, 0.1)
    return round(float(max(tilts, key=lambda t: _row_sharpness(xs, ys, quarter - t))), 2)


def _row_sharpness(xs: np.ndarray, ys: np.ndarray, clockwise: float) -> float:
    radians = math.radians(clockwise)
    rows = np.round(xs * math.sin(radians) + ys * math.cos(radians)).astype(np.int64)
    counts = np.bincount(rows - rows.min())
    return float(np.dot(counts, counts))


def longest_lines(polygons: list[np.ndarray], count: int = VOTE_LINES) -> list[np.ndarray]:
    """The ``count`` longest line boxes (the surest for the direction classifier)."""
    lines = [p for p in polygons if _is_line(p)]
    return sorted(lines, key=lambda p: -np.hypot(*_sides(p)[0]))[:count]


def is_upside_down(flip_scores: list[float]) -> bool:
    """The page is upside down when the lines' mean probability of being turned exceeds 1/2."""
    return bool(flip_scores) and float(np.mean(flip_scores)) > 0.5


def rotate(image: np.ndarray, clockwise: float) -> tuple[np.ndarray, np.ndarray]:
    """The image turned ``clockwise`` degrees on a canvas that holds all of it (new corners
    white), and the 3×3 map from old to new pixels. Quarter turns are exact (no resampling)."""
    h, w = image.shape[:2]
    radians = math.radians(clockwise)
    cos, sin = abs(math.cos(radians)), abs(math.sin(radians))
    size = (round(w * cos + h * sin), round(w * sin + h * cos))
    affine = cv2.getRotationMatrix2D((w / 2, h / 2), -clockwise, 1.0)
    affine[:, 2] += (size[0] - w) / 2, (size[1] - h) / 2
    if clockwise % 90 == 0:
        turned = np.ascontiguousarray(np.rot90(image, -round(clockwise / 90) % 4))
    else:
        turned = cv2.warpAffine(image, affine, size, flags=cv2.INTER_LINEAR, borderValue=WHITE)
    return turned, np.vstack([affine, [0.0, 0.0, 1.0]])


def _ink(image: np.ndarray, side: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Columns and rows of the ink (pixels ``INK_STEP`` darker than the paper's median) on the
    image sampled every ``step`` pixels so that its long side is about ``side``, and ``step``."""
    step = max(1, max(image.shape[:2]) // side)
    grey = _grey(image[::step, ::step])
    ys, xs = np.nonzero(grey < np.median(grey) - INK_STEP)
    return xs, ys, step


def unblur(image: np.ndarray) -> np.ndarray:
    """An unsharp mask (σ 1 px, amount 1) against the blur of resampling a turned page: measured
    on pages tilted 2–15°, it brought back thin rules and labels detection had lost."""
    return cv2.addWeighted(image, 2.0, cv2.GaussianBlur(image, (0, 0), 1.0), -1.0, 0)


def crop_to_ink(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The image cut to the box around its ink (pixels far darker than the paper) plus a
    ``CROP_MARGIN`` band, and the 3×3 map from old to new pixels."""
    xs, ys, step = _ink(image, 800)
    if not len(xs):
        return image, np.eye(3)
    h, w = image.shape[:2]
    pad = round(CROP_MARGIN * max(h, w))
    x0, y0 = max(0, xs.min() * step - pad), max(0, ys.min() * step - pad)
    x1, y1 = min(w, (xs.max() + 1) * step + pad), min(h, (ys.max() + 1) * step + pad)
    return np.ascontiguousarray(image[y0:y1, x0:x1]), np.array([[1.0, 0, -x0], [0, 1, -y0], [0, 0, 1]])


# --- perspective ----------------------------------------------------------------------------


def find_page_quad(image: np.ndarray) -> np.ndarray | None:
    """Corners (top-left, top-right, bottom-right, bottom-left) of a bright page photographed on a
    darker background; None when no outline is clear enough (a scan, a page filling the frame,
    a page on a light table).

    Bright regions at Otsu's threshold and below it (a shadow across the page darkens part of
    it) are outlined; of the four-cornered outlines that fit a page (``_fit``), the one with
    the fewest sides lacking a step, then the largest, wins.
    """
    scale = min(1.0, QUAD_SEARCH_SIDE / max(image.shape[:2]))
    if min(image.shape[:2]) * scale <= 2 * RIM:  # a strip (1×50000): no room for a page and background beside it
        return None
    grey = cv2.resize(_grey(image), None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    grey = cv2.GaussianBlur(grey, (5, 5), 0)
    otsu, _ = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    quads = [q for q in (_outline(grey, otsu * share) for share in THRESHOLD_SHARES) if q is not None]
    fits = [(fit, quad) for quad in quads if (fit := _fit(grey, quad)) is not None]
    if not fits:
        return None
    return order_corners(max(fits, key=lambda f: f[0])[1] / scale)


def _outline(grey: np.ndarray, threshold: float) -> np.ndarray | None:
    """Four corners of the largest region brighter than ``threshold``, if it has four."""
    bright = cv2.morphologyEx((grey > threshold).astype(np.uint8), cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    hull = cv2.convexHull(max(contours, key=cv2.contourArea))
    perimeter = cv2.arcLength(hull, True)
    for tolerance in (0.01, 0.02, 0.03, 0.05):
        corners = cv2.approxPolyDP(hull, tolerance * perimeter, True)
        if len(corners) == 4:
            return corners.reshape(4, 2).astype(np.float32)
    return None


def _fit(grey: np.ndarray, quad: np.ndarray) -> tuple[int, float] | None:
    """How well ``quad`` outlines a page: (-sides without a step, area), None when it does not.

    A page is large enough and shows a sharp step from brighter page to darker background
    across every side inside the photo, but one where a dark band is printed along the edge
    (a header bar as dark as the table hides that edge); at least two steps are needed (an
    outline along the photo's frame is a scan)."""
    area = cv2.contourArea(quad)
    if area < MIN_PAGE_AREA * grey.size:
        return None
    inside = np.zeros_like(grey)
    cv2.fillConvexPoly(inside, np.round(quad).astype(np.int32), 255)
    page = float(np.median(grey[inside > 0]))
    sides = [s for s in _side_levels(grey, quad) if s is not None]
    flat = [(i, o) for i, o in sides if i - o < MIN_PAGE_CONTRAST]
    if len(sides) - len(flat) < 2 or len(flat) > 1 or any(i > DARK_BAND * page for i, _ in flat):
        return None
    return -len(flat), area


def _side_levels(grey: np.ndarray, quad: np.ndarray) -> list[tuple[float, float] | None]:
    """Per side: median brightness just inside and just outside it; None where the side runs
    along or outside the photo's frame."""
    centre, (h, w) = quad.mean(axis=0), grey.shape
    levels = []
    for start, end in zip(quad, np.roll(quad, -1, axis=0)):
        along = start + np.linspace(0.1, 0.9, 24)[:, None] * (end - start)
        normal = np.array([end[1] - start[1], start[0] - end[0]]) / max(np.hypot(*(end - start)), 1e-6)
        normal = normal if np.dot(normal, along.mean(axis=0) - centre) > 0 else -normal
        inner, outer = np.round(along - RIM * normal).astype(int), np.round(along + RIM * normal).astype(int)
        seen = (outer[:, 0] >= 0) & (outer[:, 0] < w) & (outer[:, 1] >= 0) & (outer[:, 1] < h)
        if seen.mean() < 0.5:
            levels.append(None)
            continue
        inner, outer = np.clip(inner[seen], 0, (w - 1, h - 1)), outer[seen]
        levels.append((float(np.median(grey[inner[:, 1], inner[:, 0]])), float(np.median(grey[outer[:, 1], outer[:, 0]]))))
    return levels


def order_corners(quad: np.ndarray) -> np.ndarray:
    """The four points clockwise (in image coordinates) from the top-left one."""
    quad = np.asarray(quad, dtype=np.float32)
    centre = quad.mean(axis=0)
    clockwise = quad[np.argsort(np.arctan2(quad[:, 1] - centre[1], quad[:, 0] - centre[0]))]
    return np.roll(clockwise, -int(np.argmin(clockwise.sum(axis=1))), axis=0)


def flatten_page(image: np.ndarray, quad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The page inside ``quad`` warped to a rectangle of its own size plus a ``FLAT_MARGIN`` band
    of the photo around it (an edge that hid under a dark printed band is not cut), and the
    3×3 map from photo to flattened pixels."""
    tl, tr, br, bl = quad
    width = max(np.hypot(*(tr - tl)), np.hypot(*(br - bl)))
    height = max(np.hypot(*(bl - tl)), np.hypot(*(br - tr)))
    x0, y0 = FLAT_MARGIN * width, FLAT_MARGIN * height
    target = np.float32([[x0, y0], [x0 + width, y0], [x0 + width, y0 + height], [x0, y0 + height]])
    matrix = cv2.getPerspectiveTransform(quad.astype(np.float32), target)
    size = (round(width + 2 * x0), round(height + 2 * y0))
    return cv2.warpPerspective(image, matrix, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE), matrix


# --- illumination ---------------------------------------------------------------------------


def normalize_illumination(image: np.ndarray) -> np.ndarray:
    """Shadows divided out and faint print stretched to full contrast; the image itself when the
    paper is evenly lit and the ink dark enough (a clean scan is not resampled).

    Shading is judged on a coarse paper estimate that also erases printed blocks (a coloured
    header bar is not a shadow); the division uses a fine one that follows a shadow's edge.
    """
    small = shrink(image, min(1.0, BACKGROUND_SIDE / max(image.shape[:2])))
    paper, shading = _grey(brightest_around(small, 40)), _grey(brightest_around(small, 6))
    uneven = np.percentile(shading, 98) - np.percentile(shading, 2)
    faint = np.median(paper) - np.percentile(_grey(image[::2, ::2]), 0.5) < FAINT_INK
    if uneven < UNEVEN_LIGHT and not faint:
        return image
    background = cv2.resize(brightest_around(small, 40), image.shape[1::-1], interpolation=cv2.INTER_LINEAR)
    return stretch(cv2.divide(image, background, scale=255))


def brightest_around(image: np.ndarray, parts: int) -> np.ndarray:
    """Each pixel's brightest neighbourhood (a disc 1/``parts`` of the long side across),
    smoothed: the paper with whatever is printed smaller than the disc erased."""
    size = max(3, round(max(image.shape[:2]) / parts)) | 1
    paper = cv2.dilate(image, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size)))
    return cv2.blur(paper, (2 * size + 1, 2 * size + 1))


def stretch(image: np.ndarray) -> np.ndarray:
    """Grey levels stretched so the darkest ink (0.5th percentile) becomes black."""
    low = min(float(np.percentile(_grey(image), 0.5)), 230.0)
    table = np.clip((np.arange(256) - low) * 255 / (255 - low), 0, 255).astype(np.uint8)
    return cv2.LUT(image, table)


def shrink(image: np.ndarray, scale: float) -> np.ndarray:
    """``image`` resized by ``scale`` (at most 1), keeping at least one pixel each way."""
    h, w = image.shape[:2]
    return cv2.resize(image, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)


def _grey(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image


# --- mapping back ---------------------------------------------------------------------------


def map_points(matrix: np.ndarray, points) -> np.ndarray:
    """Points (N×2) through a 3×3 projective transform."""
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 1, 2)
    return cv2.perspectiveTransform(pts, np.asarray(matrix, dtype=np.float64)).reshape(-1, 2)


def map_lines(lines: list[OcrLine], matrix: np.ndarray) -> list[OcrLine]:
    """The lines with their polygons mapped through ``matrix`` (rounded to 0.1 px)."""
    return [replace(l, polygon=tuple((round(float(x), 1), round(float(y), 1)) for x, y in map_points(matrix, l.polygon)))
            for l in lines]


def map_bbox(matrix: np.ndarray, bbox) -> list[float]:
    """The axis-aligned box ``[x0, y0, x1, y1]`` around ``bbox``'s corners mapped through ``matrix``."""
    x0, y0, x1, y1 = bbox
    corners = map_points(matrix, [(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
    return [round(float(v), 1) for v in (*corners.min(axis=0), *corners.max(axis=0))]
