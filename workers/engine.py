"""The one OCR engine of this process, loaded and warmed up on first use."""

from __future__ import annotations

import threading

from workers.ocr import OcrEngine
from workers.settings import Settings

_engine: OcrEngine | None = None
_lock = threading.Lock()


def build_engine(settings: Settings) -> OcrEngine:
    """A new, warmed-up engine on the backend, precision, threads and line classifier ``settings`` name:
    the one place an engine is made (workers, API, evaluation and benchmarks alike)."""
    engine = OcrEngine(settings.models_path, threads=settings.threads_per_engine,
                       line_classifier=settings.ocr_line_classifier, backend=settings.ocr_backend,
                       precision=settings.ocr_precision)
    engine.warm_up()
    return engine


def get_engine(settings: Settings) -> OcrEngine:
    """This process's engine (built once; an engine must not be shared across processes)."""
    global _engine
    with _lock:
        if _engine is None:
            _engine = build_engine(settings)
    return _engine
