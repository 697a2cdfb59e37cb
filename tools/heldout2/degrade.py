"""Mild photo and scan degradation of a rendered page, moving its truth polygons along:
a slight perspective (a phone held almost flat) or skew (a scanner feed), uneven light, blur,
sensor noise, a paper tint and JPEG compression."""

from __future__ import annotations

import random

import cv2
import numpy as np
from PIL import Image


def degrade(rng: random.Random, image: Image.Image, lines: list[dict]) -> tuple[Image.Image, list[dict]]:
    """(degraded image, lines with moved polygons); the page keeps its size."""
    pixels = np.asarray(image.convert("RGB")).astype(np.float32)
    height, width = pixels.shape[:2]
    matrix = _perspective(rng, width, height) if rng.random() < 0.6 else _skew(rng, width, height)
    pixels = cv2.warpPerspective(pixels, matrix, (width, height), flags=cv2.INTER_LINEAR,
                                 borderMode=cv2.BORDER_CONSTANT, borderValue=_border(rng))
    pixels = _uneven_light(rng, pixels)
    if rng.random() < 0.8:
        sigma = rng.uniform(0.5, 1.1)
        pixels = cv2.GaussianBlur(pixels, (0, 0), sigma)
    pixels += np.random.default_rng(rng.randrange(2**32)).normal(0, rng.uniform(2, 6), pixels.shape).astype(np.float32)
    tint = np.array([rng.uniform(0.94, 1.0), rng.uniform(0.93, 1.0), rng.uniform(0.88, 0.98)], dtype=np.float32)
    pixels = np.clip(pixels * tint, 0, 255).astype(np.uint8)
    quality = rng.randint(55, 80)
    ok, encoded = cv2.imencode(".jpg", pixels[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, quality])
    pixels = cv2.imdecode(encoded, cv2.IMREAD_COLOR)[:, :, ::-1]
    moved = [dict(line, polygon=_move(matrix, line["polygon"])) for line in lines]
    return Image.fromarray(pixels), moved


def _perspective(rng: random.Random, width: int, height: int) -> np.ndarray:
    share = rng.uniform(0.01, 0.035)
    source = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    target = np.float32([[x + rng.uniform(-share, share) * width, y + rng.uniform(-share, share) * height]
                         for x, y in source])
    return cv2.getPerspectiveTransform(source, target)


def _skew(rng: random.Random, width: int, height: int) -> np.ndarray:
    angle = rng.uniform(-2.0, 2.0)
    rotation = cv2.getRotationMatrix2D((width / 2, height / 2), angle, rng.uniform(0.97, 1.0))
    return np.vstack([rotation, [0, 0, 1]]).astype(np.float64)


def _border(rng: random.Random) -> tuple[float, float, float]:
    shade = rng.uniform(60, 200)
    return (shade, shade * 0.97, shade * 0.92)


def _uneven_light(rng: random.Random, pixels: np.ndarray) -> np.ndarray:
    height, width = pixels.shape[:2]
    cx, cy = rng.uniform(0, width), rng.uniform(0, height)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    distance = np.sqrt((xs - cx) ** 2 + (ys - cy) ** 2) / max(width, height)
    light = 1.0 - rng.uniform(0.12, 0.3) * np.clip(distance, 0, 1)
    return pixels * light[:, :, None]


def _move(matrix: np.ndarray, polygon: list[list[float]]) -> list[list[float]]:
    points = cv2.perspectiveTransform(np.float32([polygon]), matrix)[0]
    return [[round(float(x), 1), round(float(y), 1)] for x, y in points]
