"""Page preparation on synthetic pages: text-like bars turned, tilted and photographed with
known parameters, read by a stand-in detector (contours of the bars) and direction classifier
(the bars carry ascender ticks on their upper edge, so an upright line's solid ink lies low)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from extractors.lines import OcrLine
from workers.preprocess import (
    FLAT_MARGIN, PrepareOptions, find_page_quad, flatten_page, map_lines, map_points, normalize_illumination, prepare_page,
    rotate,
)

TURNS_ONLY = PrepareOptions(perspective=False, illumination=False)
LINE_H, TICK_H, PITCH = 16, 8, 52


def text_page(width: int = 900, height: int = 1200, seed: int = 0, paper: int = 255) -> tuple[np.ndarray, list]:
    """A page of left-aligned, ragged-right text-like lines inside a printed frame; the line
    boxes as (x0, y0, x1, y1) including their ticks."""
    rng = np.random.default_rng(seed)
    page = np.full((height, width, 3), paper, np.uint8)
    cv2.rectangle(page, (20, 20), (width - 21, height - 21), (0, 0, 0), 3)
    boxes = []
    for top in range(90, height - 90, PITCH):
        x, right = 80, int(rng.integers(width // 2, width - 80))
        while x < right - 40:
            word = int(rng.integers(40, 160))
            end = min(x + word, right)
            page[top + TICK_H : top + TICK_H + LINE_H, x:end] = 30
            for tick in range(x + 4, end - 4, 14):
                page[top : top + TICK_H, tick : tick + 4] = 30
            x = end + 10
        boxes.append((80, top, x - 10, top + TICK_H + LINE_H))
    return page, boxes


class BarReader:
    """Stands in for the OCR engine: lines are the closed bars; a line is upside down when the
    upper half of its box holds more ink than the lower half."""

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        ink = (cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) < 128).astype(np.uint8)
        ink = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((13, 13), np.uint8))
        contours, _ = cv2.findContours(ink, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
        boxes = [cv2.minAreaRect(c) for c in contours if cv2.contourArea(c) > 300]
        return [cv2.boxPoints(b).astype(np.float32) for b in boxes if max(b[1]) < 0.8 * max(image.shape[:2])]

    def flip_scores(self, image: np.ndarray, polygons: list[np.ndarray]) -> list[float]:
        ink = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) < 128
        scores = []
        for p in polygons:
            x, y, w, h = cv2.boundingRect(np.round(p).astype(np.int32))
            crop = ink[y : y + h, x : x + w]
            scores.append(float(crop[: h // 2].sum() > crop[h // 2 :].sum()))
        return scores


@pytest.mark.parametrize("turned", [0, 90, 180, 270])
def test_a_turned_page_is_turned_back_exactly(turned):
    page, _ = text_page()
    prepared = prepare_page(rotate(page, turned)[0], TURNS_ONLY, BarReader())
    assert prepared.rotation == (360 - turned) % 360 and prepared.skew_degrees == 0
    assert np.array_equal(prepared.image, page)


@pytest.mark.parametrize("tilt", [2, -3.5, 6, 10, -12, 15])
def test_deskew_recovers_the_tilt_within_a_fifth_of_a_degree(tilt):
    page, _ = text_page(seed=1)
    prepared = prepare_page(rotate(page, tilt)[0], TURNS_ONLY, BarReader())
    assert prepared.rotation == 0
    assert prepared.skew_degrees == pytest.approx(tilt, abs=0.2)


def test_a_turned_and_tilted_page_gets_both_corrections():
    page, _ = text_page(seed=2)
    prepared = prepare_page(rotate(page, 270 + 4)[0], TURNS_ONLY, BarReader())
    assert prepared.rotation == 90
    assert prepared.skew_degrees == pytest.approx(4, abs=0.2)


def test_small_tilts_and_switched_off_steps_leave_the_page_alone():
    page, _ = text_page(seed=3)
    slight = rotate(page, 0.3)[0]
    assert prepare_page(slight, TURNS_ONLY, BarReader()).image is slight
    turned = rotate(page, 90)[0]
    off = prepare_page(turned, PrepareOptions(orientation=False, perspective=False, illumination=False), BarReader())
    assert off.rotation == 0 and off.image is turned


def photograph(page: np.ndarray, corners: np.ndarray, size=(1300, 1500), seed: int = 0) -> np.ndarray:
    """The page warped onto ``corners`` of a dark, textured table."""
    rng = np.random.default_rng(seed)
    table = cv2.GaussianBlur(rng.normal(70, 25, (size[1] // 8, size[0] // 8, 3)), (3, 3), 0)
    photo = cv2.resize(np.clip(table, 0, 255).astype(np.uint8), size, interpolation=cv2.INTER_CUBIC)
    h, w = page.shape[:2]
    matrix = cv2.getPerspectiveTransform(np.float32([[0, 0], [w, 0], [w, h], [0, h]]), corners.astype(np.float32))
    cv2.warpPerspective(page, matrix, size, photo, borderMode=cv2.BORDER_TRANSPARENT)
    return photo


CORNERS = np.float32([[180, 140], [1050, 210], [1130, 1390], [120, 1310]])


@pytest.mark.parametrize("light", ["even", "shadow"])
def test_the_page_outline_is_found_on_a_photo(light):
    page, _ = text_page()
    photo = photograph(page, CORNERS)
    quad = find_page_quad(photo if light == "even" else shadowed(photo))
    assert quad is not None
    assert np.abs(quad - CORNERS).max() < 8


@pytest.mark.parametrize("paper", [255, 225])
def test_a_plain_scan_has_no_page_outline(paper):
    page, _ = text_page(seed=4, paper=paper)
    assert find_page_quad(page) is None
    assert find_page_quad(rotate(page, 5)[0]) is None


def test_lines_read_on_the_prepared_page_map_back_onto_the_photo():
    page, boxes = text_page(seed=5)
    photo = photograph(rotate(page, 90 + 6)[0], CORNERS, seed=1)
    prepared = prepare_page(photo, PrepareOptions(illumination=False), BarReader())
    assert prepared.perspective and prepared.rotation == 270
    found = [OcrLine("x", 1.0, tuple(map(tuple, p))) for p in prepared.polygons]
    back = map_lines(found, prepared.to_original)
    expected = photo_points_of(boxes, page.shape, CORNERS)
    centres = np.array([l.center for l in back])
    assert len(back) >= len(boxes)
    assert all(np.min(np.hypot(*(centres - c).T)) < 3 for c in expected)


def photo_points_of(boxes, shape, corners) -> list[np.ndarray]:
    """The mean of each line box's corners on the photo of the page turned 96° clockwise."""
    turned, turn = rotate(np.zeros(shape, np.uint8), 90 + 6)
    h, w = turned.shape[:2]
    place = cv2.getPerspectiveTransform(np.float32([[0, 0], [w, 0], [w, h], [0, h]]), corners)
    return [map_points(place @ turn, [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]).mean(axis=0) for x0, y0, x1, y1 in boxes]


def test_a_flattened_page_keeps_a_margin_and_maps_back_onto_its_outline():
    flat, matrix = flatten_page(np.zeros((1500, 1300, 3), np.uint8), CORNERS)
    h, w = flat.shape[:2]
    mx, my = w * FLAT_MARGIN / (1 + 2 * FLAT_MARGIN), h * FLAT_MARGIN / (1 + 2 * FLAT_MARGIN)
    page = [[mx, my], [w - mx, my], [w - mx, h - my], [mx, h - my]]
    assert np.allclose(map_points(np.linalg.inv(matrix), page), CORNERS, atol=1.0)


def shadowed(page: np.ndarray) -> np.ndarray:
    """A soft diagonal shadow that darkens one corner to 45%."""
    h, w = page.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    light = 1 - 0.55 * np.clip((xx / w + yy / h - 0.6) / 1.4, 0, 1)
    return (page * light[..., None]).astype(np.uint8)


def test_a_shadow_is_divided_out_and_the_ink_kept():
    page, boxes = text_page(seed=6)
    fixed = normalize_illumination(shadowed(page))
    paper = cv2.cvtColor(fixed, cv2.COLOR_BGR2GRAY)[60:85, 60:-60]
    assert paper.min() > 225
    x0, y0, x1, y1 = boxes[-1]
    assert cv2.cvtColor(fixed, cv2.COLOR_BGR2GRAY)[y0 + TICK_H + 4, x0 + 4] < 80


def test_faint_print_is_stretched_and_a_clean_scan_left_alone():
    page, boxes = text_page(seed=7)
    assert normalize_illumination(page) is page
    faint = (200 + page.astype(np.float32) * 40 / 255).astype(np.uint8)
    fixed = normalize_illumination(faint)
    x0, y0, _, _ = boxes[0]
    assert fixed[y0 + TICK_H + 4, x0 + 4].max() < 60
    assert fixed[60, 60].min() > 240


@pytest.mark.parametrize("height,width", [(50_000, 1), (1, 50_000), (20_000, 5)])
def test_a_strip_of_a_few_pixels_goes_through_every_step(height, width):
    strip = np.full((height, width, 3), 255, np.uint8)
    prepared = prepare_page(strip, PrepareOptions(), BarReader())
    assert prepared.image.shape == strip.shape and not prepared.perspective and prepared.rotation == 0
    assert np.allclose(prepared.to_original, np.eye(3))
