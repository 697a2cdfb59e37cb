"""``python -m benchmarks.shapes [--threads N]``: what the first page of a new size costs, and
the speed of each OCR backend, on the same pages in one run.

Twenty pages of twenty different sizes (an example page scaled from 0.45× to 1.6× of its size,
alternately stretched): each backend's engine is built and warmed up once, then every page is
read twice in a row. The first read pays for anything built per input shape; the second is the
page's warm time. Prints a table and writes ``benchmarks/results/shapes-<date>.json``. Ratios
measured in one run compare; absolute seconds depend on the machine's load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import cv2
import numpy as np

from benchmarks.bare import peak_rss_mb
from evaluation.metrics import percentile
from workers.backends import BACKENDS
from workers.ocr import OcrEngine
from workers.settings import get_settings

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "examples" / "waybill_photo.jpg"
SIZES = 20


def pages() -> list[np.ndarray]:
    """``SIZES`` versions of the example page, no two of the same detection input shape."""
    image = cv2.imread(str(SOURCE))
    h, w = image.shape[:2]
    scaled = []
    for i in range(SIZES):
        scale = 0.45 + 1.15 * i / (SIZES - 1)
        stretch = 1.0 + 0.15 * (i % 3)
        scaled.append(cv2.resize(image, (int(w * scale * stretch), int(h * scale))))
    return scaled


def run_backend(backend: str, threads: int) -> dict:
    started = time.perf_counter()
    engine = OcrEngine(get_settings().models_path, threads=threads, backend=backend)
    engine.warm_up()
    startup = time.perf_counter() - started
    first, second, lines = [], [], []
    for page in pages():
        for times in (first, second):
            started = time.perf_counter()
            read = engine.read(page)
            times.append(time.perf_counter() - started)
        lines.append([l.text for l in read])
    extra = [a - b for a, b in zip(first, second)]
    return {"startup_s": round(startup, 2), "warmup_s": round(engine.timings.warmup_s, 2),
            "first_read_s": _summary(first), "warm_read_s": _summary(second),
            "new_size_extra_s": _summary(extra), "peak_rss_mb": peak_rss_mb(), "lines": lines}


def _summary(values: list[float]) -> dict:
    return {"p50": round(percentile(values, 50), 3), "p95": round(percentile(values, 95), 3),
            "mean": round(sum(values) / len(values), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args()
    results = {"date": dt.date.today().isoformat(), "threads": args.threads, "source": SOURCE.name,
               "sizes": [list(p.shape[:2]) for p in pages()]}
    for backend in BACKENDS:  # each in a fresh process: its own peak RSS, nothing shared
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            results[backend] = pool.submit(run_backend, backend, args.threads).result()
    paddle, openvino = results["paddle"], results["openvino"]
    results["same_lines"] = sum(a == b for a, b in zip(paddle["lines"], openvino["lines"]))
    results["speedup_warm_p50"] = round(paddle["warm_read_s"]["p50"] / openvino["warm_read_s"]["p50"], 2)
    for backend in BACKENDS:
        r = results[backend]
        print(f"{backend:9} startup {r['startup_s']} s (warm-up {r['warmup_s']} s); page warm p50 "
              f"{r['warm_read_s']['p50']} s p95 {r['warm_read_s']['p95']} s; first page of a new size +"
              f"{r['new_size_extra_s']['mean']} s (mean), +{r['new_size_extra_s']['p95']} s (p95); peak RSS {r['peak_rss_mb']} MB")
    print(f"pages read the same by both: {results['same_lines']} of {SIZES}; openvino {results['speedup_warm_p50']}× faster (warm p50)")
    out = REPO / "benchmarks" / "results" / f"shapes-{results['date']}.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
