"""Mild realism: a small rotation, light noise or blur, thermal dropouts, JPEG quality.

``plan`` draws the parameters from a ``random.Random``; ``apply`` changes the image and moves
every truth polygon with it (rotation about the page centre, same canvas size).
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageFilter

from .page import Line


def plan(rng, thermal: bool) -> dict:
    """Parameters for one document: about half get noise and/or blur."""
    params = {"rotation": round(rng.uniform(-2.0, 2.0), 2), "jpeg_quality": rng.randint(75, 90)}
    if rng.random() < 0.5:
        if rng.random() < 0.7:
            params["noise"] = round(rng.uniform(2.5, 5.5), 1)
        if rng.random() < 0.6:
            params["blur"] = round(rng.uniform(0.4, 0.9), 2)
    if thermal and rng.random() < 0.35:
        params["dropouts"] = rng.randint(1, 3)
    params["noise_seed"] = rng.randrange(2 ** 31)
    return params


def rotate_point(x: float, y: float, angle: float, center) -> tuple[float, float]:
    """Where PIL's ``rotate(angle)`` (counter-clockwise, about ``center``) moves (x, y)."""
    a = math.radians(angle)
    dx, dy = x - center[0], y - center[1]
    return (center[0] + dx * math.cos(a) + dy * math.sin(a),
            center[1] - dx * math.sin(a) + dy * math.cos(a))


def rotate(image: Image.Image, lines: list[Line], angle: float, paper) -> Image.Image:
    center = (image.width / 2, image.height / 2)
    for line in lines:
        line.polygon = [rotate_point(x, y, angle, center) for x, y in line.polygon]
    return image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=paper)


def dropouts(image: Image.Image, count: int, rng_np) -> Image.Image:
    """Thin white vertical streaks where a thermal print head has dead dots."""
    pixels = np.asarray(image).copy()
    for x in rng_np.integers(60, image.width - 60, size=count):
        pixels[:, int(x):int(x) + 2] = np.maximum(pixels[:, int(x):int(x) + 2], 225)
    return Image.fromarray(pixels)


def noise(image: Image.Image, sigma: float, rng_np) -> Image.Image:
    pixels = np.asarray(image).astype(np.float32)
    grain = rng_np.normal(0.0, sigma, size=pixels.shape[:2])[..., None]
    return Image.fromarray(np.clip(pixels + grain, 0, 255).astype(np.uint8))


def apply(image: Image.Image, lines: list[Line], params: dict, paper) -> Image.Image:
    """Dropouts, rotation, noise, then blur, as ``params`` says."""
    rng_np = np.random.default_rng(params["noise_seed"])
    if params.get("dropouts"):
        image = dropouts(image, params["dropouts"], rng_np)
    if params["rotation"]:
        image = rotate(image, lines, params["rotation"], paper)
    if params.get("noise"):
        image = noise(image, params["noise"], rng_np)
    if params.get("blur"):
        image = image.filter(ImageFilter.GaussianBlur(params["blur"]))
    return image
