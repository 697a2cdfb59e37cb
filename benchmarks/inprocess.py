"""Phase (c): billflow end to end in one process, SQLite in a temporary folder (child process).

Per document: ``submit_path`` + ``process_in_process`` (rasterize, OCR, extract, validate, every
row saved), timed together and divided by its pages. The engine is loaded and warmed up first,
outside the timing, as a worker does once per process.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from pathlib import Path

from benchmarks.bare import peak_rss_mb
from db import repo
from db.migrate import upgrade
from db.session import session_scope
from workers import pipeline
from workers.engine import build_engine
from workers.settings import Settings


def run_inprocess(sources: list[str], models: str, threads: int, backend: str) -> dict:
    """Seconds per page (each document's time over its pages), OCR seconds per page and the
    lines read (from the database), engine load timings and peak RSS, on OCR ``backend``."""
    with tempfile.TemporaryDirectory(prefix="billflow-bench-") as tmp:
        settings = Settings(database_url=f"sqlite:///{tmp}/billflow.db", data_dir=Path(tmp) / "data",
                            model_dir=Path(models), broker_url=None, ocr_threads=threads, ocr_backend=backend)
        upgrade(settings.database_url)
        engine = build_engine(settings)
        page_seconds, statuses, documents = [], [], []
        for source in sources:
            started = time.perf_counter()
            document_id = pipeline.submit_path(settings, Path(source)).document_id
            statuses.append(pipeline.process_in_process(settings, lambda: engine, document_id).value)
            seconds = time.perf_counter() - started
            pages = pages_read(settings, document_id)
            documents.append(pages)
            page_seconds += [seconds / len(pages)] * len(pages)
    timings = engine.timings
    return {"page_seconds": page_seconds, "ocr_seconds": [p["seconds"] for d in documents for p in d],
            "documents": documents, "statuses": dict(Counter(statuses)),
            "load_s": round(timings.load_s, 2), "warmup_s": round(timings.warmup_s, 2),
            "peak_rss_mb": peak_rss_mb()}


def pages_read(settings: Settings, document_id: int) -> list[dict]:
    """The document's pages as stored: number, size, OCR seconds and lines (text, score, polygon)."""
    with session_scope(settings.database_url) as session:
        return [{"number": p.number, "size": [p.width, p.height], "seconds": p.ocr_seconds or 0.0,
                 "lines": [[l.text, l.score, l.polygon] for l in p.lines]}
                for p in repo.get_document(session, document_id).pages]
