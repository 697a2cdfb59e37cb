"""BILLFLOW_OCR_BACKEND: validated at start, and part of what the evaluation's OCR cache is keyed by."""

from __future__ import annotations

import pytest

from extractors.lines import OcrLine
from workers.evaluate import OcrCache
from workers.settings import Settings, SettingsError, get_settings


def test_an_unknown_backend_is_refused_naming_the_variable(monkeypatch):
    monkeypatch.setenv("BILLFLOW_OCR_BACKEND", "tensorrt")
    get_settings.cache_clear()
    try:
        with pytest.raises(SettingsError, match="BILLFLOW_OCR_BACKEND"):
            get_settings()
    finally:
        get_settings.cache_clear()


def test_pages_one_backend_read_are_never_served_to_the_other(tmp_path):
    line = OcrLine("TOTAL 1.00", 0.99, ((0, 0), (10, 0), (10, 5), (0, 5)))
    paddle = OcrCache(tmp_path, Settings(ocr_backend="paddle"))
    paddle.store(b"pdf", 1, [line], [line], 0.5, {})
    assert paddle.load(b"pdf", 1) is not None
    assert OcrCache(tmp_path, Settings(ocr_backend="openvino")).load(b"pdf", 1) is None
