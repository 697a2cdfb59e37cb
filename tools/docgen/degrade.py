"""Scan and photo degradations. Geometric ones (skew, perspective, a background border) move
the ground-truth polygons with the page; photometric ones leave them alone.

Parameters are a plain dict recorded verbatim in the ground truth:
``skew_deg`` (positive = clockwise), ``perspective`` (largest corner shift as a fraction of the
page size), ``margin`` (px of background around the page), ``background`` ("scanner" or
"table"), ``texture`` (paper-fibre contrast), ``lighting`` (largest darkening, 0–1),
``blur`` (Gaussian sigma, px), ``noise`` (Gaussian sigma, grey levels), ``jpeg_quality``.
"""

from __future__ import annotations

import math
import random

import cv2
import numpy as np
from PIL import Image

from workers.preprocess import map_points

from .canvas import Line

MODES = ("none", "mild", "all")
# always recorded for a degraded page, 0 where that degradation was not applied
RECORDED = {"skew_deg": 0.0, "perspective": 0.0, "blur": 0.0, "noise": 0.0}
PHOTO = {"skew_deg": 3.6, "perspective": 0.035, "margin": 110, "background": "table",
         "lighting": 0.3, "texture": 0.04, "blur": 0.5, "noise": 3.0, "jpeg_quality": 80}


def plan(rng: random.Random, mode: str) -> dict:
    """Random parameters for ``mode``: none → {}; mild → a random subset at gentler strength;
    all → every degradation. A degraded page always records ``skew_deg``, ``perspective``,
    ``blur``, ``noise`` (0 where not applied) and ``jpeg_quality`` (40–70). Degraded pages are always re-encoded (``jpeg_quality``). All keep
    text legible (skew ≤ 5°, blur ≤ 1, quality ≥ 40)."""
    if mode not in MODES:
        raise ValueError(f"degrade mode must be one of {MODES}, not {mode!r}")
    if mode == "none":
        return {}
    k = 0.6 if mode == "mild" else 1.0
    makers = {
        "skew_deg": lambda: round(rng.uniform(-5, 5) * k, 2),
        "perspective": lambda: round(rng.uniform(0.004, 0.025) * k, 4),
        "texture": lambda: round(rng.uniform(0.02, 0.05), 3),
        "lighting": lambda: round(rng.uniform(0.1, 0.35) * k, 2),
        "blur": lambda: round(rng.uniform(0.3, 0.6 + 0.4 * k), 2),
        "noise": lambda: round(rng.uniform(2, 8 * k), 1),
    }
    chosen = [name for name in makers if mode == "all" or rng.random() < 0.5]
    params = {name: makers[name]() for name in chosen}
    params["jpeg_quality"] = rng.randint(40, 70)
    if params.get("skew_deg") or params.get("perspective"):
        params |= {"margin": rng.randint(8, 30), "background": "scanner"}
    return RECORDED | params


def apply(image: Image.Image, lines: list[Line], params: dict, seed: int) -> tuple[Image.Image, list[Line]]:
    """Degrade ``image`` as ``params`` say; return it with ``lines`` moved to match."""
    rng = np.random.default_rng(seed)
    page = np.asarray(image.convert("RGB"), np.float32)
    if params.get("skew_deg") or params.get("perspective") or params.get("margin"):
        page, lines = _warp(page, lines, params, rng)
    if params.get("texture"):
        page *= 1 - params["texture"] * _smooth_noise(page.shape[:2], 5, rng)[..., None]
    if params.get("lighting"):
        page *= _lighting(page.shape[:2], params["lighting"], rng)[..., None]
    if params.get("blur"):
        page = cv2.GaussianBlur(page, (0, 0), params["blur"])
    if params.get("noise"):
        page += rng.normal(0, params["noise"], page.shape[:2])[..., None]
    return Image.fromarray(np.clip(page, 0, 255).round().astype(np.uint8)), lines


def _warp(page, lines, params, rng):
    h, w = page.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    a = math.radians(params.get("skew_deg", 0.0))
    rot = np.float32([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    centre = np.float32([w / 2, h / 2])
    dst = (src - centre) @ rot.T + centre
    dst += rng.uniform(-1, 1, (4, 2)).astype(np.float32) * params.get("perspective", 0.0) * [w, h]
    margin = params.get("margin", 0)
    dst += margin - dst.min(axis=0)
    out_w, out_h = (int(math.ceil(v)) + margin for v in dst.max(axis=0))
    matrix = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    warped = cv2.warpPerspective(page, matrix, (out_w, out_h), flags=cv2.INTER_LINEAR)
    inside = cv2.warpPerspective(np.ones((h, w), np.float32), matrix, (out_w, out_h))[..., None]
    back = _background((out_h, out_w), params.get("background", "scanner"), rng)
    moved = [Line(map_points(matrix, line.polygon).tolist(), line.text, line.kind) for line in lines]
    return warped * inside + back * (1 - inside), moved


def _background(shape, kind, rng) -> np.ndarray:
    """A scanner lid (light grey) or a wooden table top."""
    if kind == "scanner":
        return np.full((*shape, 3), 226, np.float32) + 4 * _smooth_noise(shape, 40, rng)[..., None]
    h, w = shape
    grain = np.sin(np.arange(w, dtype=np.float32)[None, :] / 9.0 + 3 * _smooth_noise(shape, 80, rng))
    shade = 0.8 + 0.12 * grain + 0.08 * _smooth_noise(shape, 25, rng)
    return shade[..., None] * np.float32([150, 108, 70])


def _smooth_noise(shape, scale: int, rng) -> np.ndarray:
    """Noise in [0, 1] with features about ``scale`` pixels wide."""
    h, w = shape
    small = rng.random((h // scale + 2, w // scale + 2)).astype(np.float32)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC).clip(0, 1)


def _lighting(shape, strength: float, rng) -> np.ndarray:
    """A smooth light falloff from a random bright point: 1 there, 1 - strength far away."""
    h, w = shape
    cy, cx = rng.uniform(0, h), rng.uniform(0, w)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    dist = np.hypot((yy - cy) / h, (xx - cx) / w) / math.sqrt(2)
    return 1 - strength * np.clip(dist, 0, 1) ** 1.5
