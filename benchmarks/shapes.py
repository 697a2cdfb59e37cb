"""``python -m benchmarks.shapes [--threads N]``: what the first page of a new size costs, and
the speed of each OCR backend, on the same pages in one run.

Twenty pages of twenty different sizes (an example page scaled from 0.45× to 1.6× of its size,
alternately stretched): both backends' engines are built and warmed up once in this process,
then every page is read twice by each, in turn. The first read pays for anything built per
input shape; the second is the page's warm time. Peak RSS: a fresh process per backend. Prints a table and writes ``benchmarks/results/shapes-<date>.json``. Ratios
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


def engines(threads: int) -> dict[str, tuple[OcrEngine, float]]:
    """Each backend's engine, built and warmed up, with the seconds that took."""
    built = {}
    for backend in BACKENDS:
        started = time.perf_counter()
        engine = OcrEngine(get_settings().models_path, threads=threads, backend=backend)
        engine.warm_up()
        built[backend] = (engine, time.perf_counter() - started)
    return built


def interleaved(threads: int) -> dict:
    """Both backends in this process, page by page in turn (so that the machine's load falls on
    both alike): each page read twice by each, first reads before second reads."""
    built = engines(threads)
    times = {b: {"first": [], "second": []} for b in BACKENDS}
    lines = {b: [] for b in BACKENDS}
    for page in pages():
        for read in ("first", "second"):
            for backend, (engine, _) in built.items():
                started = time.perf_counter()
                found = engine.read(page)
                times[backend][read].append(time.perf_counter() - started)
                if read == "first":
                    lines[backend].append([(l.text, l.polygon) for l in found])
    return {backend: {"startup_s": round(seconds, 2), "warmup_s": round(engine.timings.warmup_s, 2),
                      "first_read_s": _summary(times[backend]["first"]), "warm_read_s": _summary(times[backend]["second"]),
                      "new_size_extra_s": _summary([a - b for a, b in zip(times[backend]["first"], times[backend]["second"])]),
                      "lines": lines[backend]}
            for backend, (engine, seconds) in built.items()}


def new_size_cost(backend: str, threads: int, count: int = SIZES) -> dict:
    """One backend alone (run it in a fresh process): ``count`` of the ``SIZES`` pages, spread over
    the range, each read twice after start-up; what the first read of a size costs over the second."""
    engine = OcrEngine(get_settings().models_path, threads=threads, backend=backend)
    engine.warm_up()
    first, second = [], []
    for page in pages()[:: max(1, SIZES // count)][:count]:
        for reads in (first, second):
            started = time.perf_counter()
            engine.read(page)
            reads.append(time.perf_counter() - started)
    return {"sizes": len(first), "first_read_s": _summary(first), "warm_read_s": _summary(second),
            "new_size_extra_s": _summary([a - b for a, b in zip(first, second)])}


def peak_rss(backend: str, threads: int) -> float:
    """Peak RSS of a fresh process that builds one backend's engine and reads every page once."""
    engine = OcrEngine(get_settings().models_path, threads=threads, backend=backend)
    engine.warm_up()
    for page in pages():
        engine.read(page)
    return peak_memory_mb()


def peak_memory_mb() -> float:
    """This process's own peak RSS (VmHWM starts afresh at exec; ru_maxrss would carry the
    parent's peak into a spawned child)."""
    status = Path("/proc/self/status").read_text()
    return round(int(status.split("VmHWM:")[1].split()[0]) / 1024, 1)


def _summary(values: list[float]) -> dict:
    return {"p50": round(percentile(values, 50), 3), "p95": round(percentile(values, 95), 3),
            "mean": round(sum(values) / len(values), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args()
    results = {"date": dt.date.today().isoformat(), "threads": args.threads, "source": SOURCE.name,
               "sizes": [list(p.shape[:2]) for p in pages()]}
    results |= interleaved(args.threads)
    for backend in BACKENDS:  # each in a fresh process: its own peak memory
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            results[backend]["peak_rss_mb"] = pool.submit(peak_rss, backend, args.threads).result()
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
