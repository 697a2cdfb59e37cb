"""The one OCR engine of this process, loaded and warmed up on first use."""

from __future__ import annotations

import threading

from workers.ocr import OcrEngine
from workers.settings import Settings

_engine: OcrEngine | None = None
_lock = threading.Lock()


def get_engine(settings: Settings) -> OcrEngine:
    """This process's engine (built once; PaddleOCR must not be shared across processes)."""
    global _engine
    with _lock:
        if _engine is None:
            engine = OcrEngine(
                settings.models_path, threads=settings.threads_per_engine,
                line_classifier=settings.ocr_line_classifier,
            )
            engine.warm_up()
            _engine = engine
    return _engine
