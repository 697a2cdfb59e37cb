"""``python -m benchmarks.textlayer [--repeat N]``: born-digital PDF pages read from their text
layer against the same pages OCR'd, in one run, and ``benchmarks/results/textlayer-<date>.json``.

The pages: the invoice2data PDFs (``../shared/datasets/invoice2data``, ``INVOICE2DATA_DIR``).
Two measures, each as milliseconds per page and the ratio text layer / OCR:

- *page*: one page from the PDF's bytes to its lines: read from the text layer and rendered by
  PDFium, against rendered and then prepared and OCR'd as a worker does (the engine loaded and
  warmed up first, outside the timing). The best of ``--repeat`` runs per page.
- *document*: ``submit_bytes`` + ``process_in_process`` (pages, PNGs, rows, extraction) with
  ``BILLFLOW_TEXT_LAYER`` on and off, on SQLite in a temporary folder, over its pages.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from benchmarks.corpus import REPO
from db import repo
from db.migrate import upgrade
from db.session import session_scope
from evaluation.metrics import percentile
from workers import pipeline
from workers.engine import build_engine
from workers.rasterize import stream_pages
from workers.settings import Settings, get_settings

DATASET = Path(os.environ.get("INVOICE2DATA_DIR", REPO.parent / "shared" / "datasets" / "invoice2data"))
RESULTS = REPO / "benchmarks" / "results"


def sources() -> list[Path]:
    """The dataset's PDFs, by the manifest's order."""
    manifest = json.loads((DATASET / "MANIFEST.json").read_text())
    return [DATASET / item["input"].removeprefix("invoice2data/") for item in manifest if item["input"].endswith(".pdf")]


def page_ms(data: bytes, dpi: int, text_layer: bool, read=None) -> list[float]:
    """Milliseconds per page from the bytes to its lines (``read(page)`` OCRs a page without any)."""
    times, pages = [], stream_pages(data, dpi, text_layer=text_layer)
    while True:
        started = time.perf_counter()
        page = next(pages, None)
        if page is None:
            return times
        if page.lines is None and read:
            read(page)
        times.append(1000 * (time.perf_counter() - started))


def text_layer_page_ms(repeat: int = 2) -> dict:
    """The text-layer path alone (no engine): milliseconds per page from the PDF's bytes to its
    lines, the best of ``repeat`` runs per page, over every page of the dataset's PDFs."""
    dpi = get_settings().raster_dpi
    times = [min(t) for source in sources() for t in zip(*(page_ms(source.read_bytes(), dpi, True) for _ in range(repeat)))]
    return {"pages": len(times), "p50_ms": round(percentile(times, 50), 1), "p95_ms": round(percentile(times, 95), 1)}


def document_ms(settings: Settings, engine, data: bytes) -> tuple[float, list[str]]:
    """A whole in-process run's milliseconds per page, and its pages' renderers."""
    started = time.perf_counter()
    document_id = pipeline.submit_bytes(settings, data, "invoice.pdf").document_id
    pipeline.process_in_process(settings, lambda: engine, document_id)
    seconds = time.perf_counter() - started
    with session_scope(settings.database_url) as session:
        renderers = [p.renderer for p in repo.get_document(session, document_id).pages]
    return 1000 * seconds / len(renderers), renderers


def run(repeat: int) -> dict:
    settings = get_settings()
    engine = build_engine(settings)

    def ocr(page) -> None:
        pipeline.read_page(settings, engine, np.ascontiguousarray(np.asarray(page.image)[:, :, ::-1]), page.number)

    rows = []
    with tempfile.TemporaryDirectory(prefix="billflow-bench-") as tmp:
        on = Settings(database_url=f"sqlite:///{tmp}/on.db", data_dir=Path(tmp) / "on", broker_url=None,
                      model_dir=settings.models_path, text_layer=True)
        off = on.model_copy(update={"database_url": f"sqlite:///{tmp}/off.db", "data_dir": Path(tmp) / "off",
                                    "text_layer": False})
        for database in (on, off):
            upgrade(database.database_url)
        for source in sources():
            data = source.read_bytes()
            text = [min(t) for t in zip(*(page_ms(data, settings.raster_dpi, True) for _ in range(repeat)))]
            ocred = [min(t) for t in zip(*(page_ms(data, settings.raster_dpi, False, ocr) for _ in range(repeat)))]
            text_doc, renderers = document_ms(on, engine, data)
            ocr_doc, _ = document_ms(off, engine, data)
            rows.append({"pdf": source.name, "pages": len(text), "renderers": renderers, "text_page_ms": text,
                         "ocr_page_ms": ocred, "text_document_ms_per_page": round(text_doc, 1),
                         "ocr_document_ms_per_page": round(ocr_doc, 1)})
    return {"rows": rows, "summary": summary(rows)}


def summary(rows: list[dict]) -> dict:
    """Medians over pages (page) and documents (document), and the ratios text layer / OCR."""
    def median(key: str) -> float:
        values = [v for row in rows for v in (row[key] if isinstance(row[key], list) else [row[key]])]
        return round(statistics.median(values), 1)

    text, ocr = median("text_page_ms"), median("ocr_page_ms")
    text_doc, ocr_doc = median("text_document_ms_per_page"), median("ocr_document_ms_per_page")
    read = sum(row["renderers"].count("text-layer") for row in rows)
    return {"pages": sum(row["pages"] for row in rows), "pages_read_from_text_layer": read,
            "page_ms": {"text_layer": text, "ocr": ocr, "ratio": round(text / ocr, 3)},
            "document_ms_per_page": {"text_layer": text_doc, "ocr": ocr_doc, "ratio": round(text_doc / ocr_doc, 3)}}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.textlayer", description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per page of the page measure (the best counts)")
    result = run(parser.parse_args(argv).repeat)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"textlayer-{dt.date.today().isoformat()}.json"
    out.write_text(json.dumps(result, indent=1))
    table = Table("PDF", "pages", "text layer ms/page", "OCR ms/page", "document, text layer", "document, OCR")
    for row in result["rows"]:
        table.add_row(row["pdf"], str(row["pages"]), f"{statistics.median(row['text_page_ms']):.0f}",
                      f"{statistics.median(row['ocr_page_ms']):.0f}", f"{row['text_document_ms_per_page']:.0f}",
                      f"{row['ocr_document_ms_per_page']:.0f}")
    Console().print(table)
    Console().print(result["summary"], f"written to {out}")


if __name__ == "__main__":
    main()
