"""``python -m benchmarks.pagememory [--pages 1 50 200]``: how much a process's memory grows
while it rasterizes a PDF of N A4 pages (a few lines of text each, a few KB), and
``benchmarks/results/pagememory-<date>.json``.

Each measure runs in a fresh spawned process: set up (SQLite in a temporary folder, the PDF
submitted), note the resident memory, run, and report the peak resident memory's rise over it.

- ``streamed``: ``pipeline.rasterize_document`` as a worker runs it (pages rendered one at a
  time, PNGs written on the background thread, rows saved), ``BILLFLOW_TEXT_LAYER=false`` so
  that every page is rendered for OCR; ``streamed, text layer``: the same with the text layer read.
- ``all at once``: ``rasterize.rasterize``, every page in memory together (how billflow
  rendered before pages were streamed), for comparison; skipped above 50 pages.
A 200-page PDF should rise no more than one page's image above a 1-page one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import resource
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import psutil
from rich.console import Console
from rich.table import Table

from benchmarks.corpus import REPO

RESULTS = REPO / "benchmarks" / "results"
MODES = ("streamed", "streamed, text layer", "all at once")
MOST_PAGES_AT_ONCE = 50
LINES = [(72, 90 + 40 * row, f"Statement line {row}: transfer 2024-03-{row + 1:02d}  amount {row * 37.5:.2f} EUR", 11)
         for row in range(12)]


def measure(mode: str, pages: int) -> dict:
    """Peak resident memory rise (MB) of one mode on a PDF of ``pages`` pages, in this process."""
    from db.migrate import upgrade
    from tests.unit.pdf_factory import text_pdf
    from workers import pipeline
    from workers.rasterize import rasterize
    from workers.settings import Settings

    data = text_pdf([LINES] * pages)
    with tempfile.TemporaryDirectory(prefix="billflow-bench-") as tmp:
        settings = Settings(database_url=f"sqlite:///{tmp}/billflow.db", data_dir=Path(tmp) / "data",
                            broker_url=None, text_layer=mode == "streamed, text layer", max_pages=max(pages, 200))
        upgrade(settings.database_url)
        document_id = pipeline.submit_bytes(settings, data, "statement.pdf").document_id
        before = psutil.Process().memory_info().rss
        if mode == "all at once":
            count = len(rasterize(data, settings.raster_dpi))
        else:
            count = len(pipeline.rasterize_document(settings, document_id)) or pages
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"mode": mode, "pages": pages, "pdf_kb": round(len(data) / 1024, 1), "rendered": count,
            "rise_mb": round(max(0, peak - before) / 2**20, 1)}


def in_child(mode: str, pages: int) -> dict:
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(measure, mode, pages).result()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pagememory", description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[1, 50, 200], help="page counts to measure")
    counts = parser.parse_args(argv).pages
    rows = [in_child(mode, pages) for mode in MODES for pages in counts
            if mode != "all at once" or pages <= MOST_PAGES_AT_ONCE]
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"pagememory-{dt.date.today().isoformat()}.json"
    out.write_text(json.dumps(rows, indent=1))
    table = Table("mode", "pages", "PDF KB", "peak RSS rise MB")
    for row in rows:
        table.add_row(row["mode"], str(row["pages"]), str(row["pdf_kb"]), str(row["rise_mb"]))
    Console().print(table, f"written to {out}")


if __name__ == "__main__":
    main()
