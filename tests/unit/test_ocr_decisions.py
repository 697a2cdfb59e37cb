"""Pure decisions of the OCR engine: classifier input padding and which lines turn 180°."""

from __future__ import annotations

import numpy as np

from workers.ocr import decide_line_angles, pad_for_direction


def test_direction_padding_keeps_the_aspect_ratio():
    short = pad_for_direction(np.zeros((20, 40, 3), dtype=np.uint8))
    assert short.shape == (48, 192, 3)
    assert (short[:, :96] == 0).all() and (short[:, 96:] == 128).all()
    assert pad_for_direction(np.zeros((10, 1000, 3), dtype=np.uint8)).shape == (48, 192, 3)


def test_line_direction_votes_turn_whole_pages_but_not_short_crops():
    long, short = 8.0, 1.5
    assert decide_line_angles([0.95, 0.97, 0.2], [long, long, short]) == [180, 180, 180]
    assert decide_line_angles([0.1, 0.2, 0.99], [long, long, short]) == [0, 0, 0]
    assert decide_line_angles([0.1, 0.2, 0.995], [long, long, long]) == [0, 0, 180]
    assert decide_line_angles([0.95], [short]) == [0]
