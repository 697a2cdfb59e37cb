"""BILLFLOW_OCR_BACKEND and BILLFLOW_OCR_PRECISION: validated at start; the backend is part of what
the evaluation's OCR cache is keyed by."""

from __future__ import annotations

import json

import pytest

from extractors.lines import OcrLine
from workers.backends import computed_precision
from workers.evaluate import CACHE_VERSION, OcrCache, preparation_steps
from workers.settings import Settings, SettingsError, get_settings


def test_an_unknown_backend_is_refused_naming_the_variable(monkeypatch):
    monkeypatch.setenv("BILLFLOW_OCR_BACKEND", "tensorrt")
    get_settings.cache_clear()
    try:
        with pytest.raises(SettingsError, match="BILLFLOW_OCR_BACKEND"):
            get_settings()
    finally:
        get_settings.cache_clear()


def test_an_unknown_precision_is_refused_naming_the_variable_and_the_values_allowed(monkeypatch):
    monkeypatch.setenv("BILLFLOW_OCR_PRECISION", "fp16")
    get_settings.cache_clear()
    try:
        with pytest.raises(SettingsError, match=r"BILLFLOW_OCR_PRECISION: .*'f32', 'bf16' or 'auto'"):
            get_settings()
    finally:
        get_settings.cache_clear()
    with pytest.raises(ValueError, match="unknown OCR precision 'fp16': use one of f32, bf16, auto"):
        computed_precision("openvino", "fp16")


def test_the_paddle_backend_computes_in_f32_whatever_the_precision_asked():
    assert computed_precision("paddle", "bf16") == computed_precision("paddle", "auto") == "f32"
    assert computed_precision("openvino", "bf16") == "bf16" and computed_precision("openvino", "f32") == "f32"


def test_pages_one_backend_read_are_never_served_to_the_other(tmp_path):
    line = OcrLine("TOTAL 1.00", 0.99, ((0, 0), (10, 0), (10, 5), (0, 5)))
    paddle = OcrCache(tmp_path, Settings(ocr_backend="paddle"))
    paddle.store(b"pdf", 1, [line], [line], 0.5, {})
    assert paddle.load(b"pdf", 1) is not None
    assert OcrCache(tmp_path, Settings(ocr_backend="openvino")).load(b"pdf", 1) is None


def test_pages_read_in_bf16_are_never_served_to_f32_and_f32_pages_keep_their_keys(tmp_path):
    line = OcrLine("TOTAL 1.00", 0.99, ((0, 0), (10, 0), (10, 5), (0, 5)))
    f32 = OcrCache(tmp_path, Settings(ocr_backend="openvino", ocr_precision="f32"))
    f32.store(b"pdf", 1, [line], [line], 0.5, {})
    assert OcrCache(tmp_path, Settings(ocr_backend="openvino", ocr_precision="bf16")).load(b"pdf", 1) is None
    settings = Settings(ocr_backend="openvino")
    before_precisions = json.dumps([CACHE_VERSION, settings.ocr_line_classifier, preparation_steps(settings),
                                    settings.raster_dpi, "openvino"])
    assert f32.config == before_precisions and f32.load(b"pdf", 1) is not None
