"""Variants move their ground truth with the page: a dark box stays under its moved polygon."""

from __future__ import annotations

import random

import cv2
import numpy as np
import pytest

from tools.variants import VARIANTS, moved_truth

BOX = [[300, 200], [700, 200], [700, 260], [300, 260]]


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_the_moved_polygon_covers_the_box_in_the_variant(name):
    page = np.full((1000, 800, 3), 255, np.uint8)
    cv2.fillPoly(page, [np.int32(BOX)], (20, 20, 20))
    transform, _, _ = VARIANTS[name]
    made, matrix = transform(page, random.Random(name))
    truth = {"pages": [{"image": "x.png", "width": 800, "height": 1000, "lines": [{"polygon": BOX, "text": "x"}]}]}
    moved = moved_truth(truth, matrix, "y.png", made.shape)["pages"][0]
    assert (moved["width"], moved["height"]) == made.shape[1::-1]
    inside = np.zeros(made.shape[:2], np.uint8)
    cv2.fillPoly(inside, [np.round(moved["lines"][0]["polygon"]).astype(np.int32)], 1)
    grey = cv2.cvtColor(made, cv2.COLOR_BGR2GRAY)
    assert grey[inside > 0].mean() < grey.mean() - 60
