"""``python -m benchmarks.run [--backends paddle,openvino] [--pages N] [--quick] [--drift-pages N]
[--sizes N]``: every phase on the same pages, a table on the terminal and
``benchmarks/results/<date>.json`` (``<date>-quick.json``).

Bare PaddleOCR, (a) stock and (b) tuned, runs once; then per OCR backend (``BILLFLOW_OCR_BACKEND``
values, both by default): (c) billflow in-process, (d) billflow workers, and the first page of a
new size (``benchmarks.shapes``: that many sizes, each read twice). Last, a born-digital PDF page
read from its text layer (``benchmarks.textlayer``, no OCR). Phases (a), (b), (c), the new-size
pass and the text-layer pass each run in a fresh child process (so their peak RSS is their own);
phase (d) starts Redis, PostgreSQL and ``billflow worker`` processes and stops them all. A phase
that fails is recorded with its error and the others still run. Every phase records the load
average when it ended: on a shared machine compare the ratios, measured in one run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import platform
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from importlib.metadata import version
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks.bare import run_bare, score_read
from benchmarks.corpus import REPO, Item, select
from benchmarks.inprocess import run_inprocess
from benchmarks.queued import run_queued, servers
from benchmarks.shapes import new_size_cost
from benchmarks.textlayer import text_layer_page_ms
from evaluation.metrics import percentile, timing_summary
from workers.backends import BACKENDS
from workers.settings import get_settings

RESULTS = REPO / "benchmarks" / "results"
console = Console(width=None if sys.stdout.isatty() else 200)  # a log file gets the whole table


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description="Benchmark billflow against bare PaddleOCR on the same labelled pages.")
    parser.add_argument("--backends", default=",".join(BACKENDS),
                        help=f"OCR backends to run billflow on, comma-separated (default {','.join(BACKENDS)})")
    parser.add_argument("--pages", type=int, help="pages to time in every phase (default 16; --quick: 4)")
    parser.add_argument("--drift-pages", type=int, help="pages for the RSS drift pass of one worker, per backend "
                        "(default 40; --quick: 10)")
    parser.add_argument("--sizes", type=int, help="page sizes for the new-size pass, per backend (default 8; --quick: 3)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: few pages, short drift pass")
    args = parser.parse_args(argv)
    args.backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if unknown := set(args.backends) - set(BACKENDS):
        parser.error(f"unknown backend(s) {', '.join(sorted(unknown))}: use {', '.join(BACKENDS)}")
    args.pages = args.pages or (4 if args.quick else 16)
    args.drift_pages = args.drift_pages if args.drift_pages is not None else (10 if args.quick else 40)
    args.sizes = args.sizes or (3 if args.quick else 8)
    return args


def in_child(function, *args) -> dict:
    """``function(*args)`` in a fresh spawned process, which ends with it."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


def guarded(phase, *args) -> dict:
    """A phase's result, or its error (the benchmark goes on), with the load average at its end."""
    try:
        result = phase(*args)
    except Exception as exc:  # a crashing configuration is itself a result worth recording
        console.print(f"[red]{phase.__name__} failed: {type(exc).__name__}: {exc}[/red]")
        result = {"error": f"{type(exc).__name__}: {exc}"}
    return result | {"load_average": [round(x, 2) for x in os.getloadavg()]}


def bare_phase(items: list[Item], variant: str, models: Path, cores: int) -> dict:
    read = in_child(run_bare, variant, [str(s.source) for _, s in items], str(models), cores, get_settings().text_layer)
    seconds = [p["seconds"] for doc in read["documents"] for p in doc]
    return timing(seconds) | {"load_s": read["load_s"], "peak_rss_mb": read["peak_rss_mb"],
                              "quality": score_read(items, read["documents"])}


def inprocess_phase(items: list[Item], models: Path, cores: int, backend: str) -> dict:
    ran = in_child(run_inprocess, [str(s.source) for _, s in items], str(models), cores, backend)
    return timing(ran["page_seconds"], ran["ocr_seconds"]) | {
        "load_s": ran["load_s"], "warmup_s": ran["warmup_s"], "peak_rss_mb": ran["peak_rss_mb"], "statuses": ran["statuses"],
        "quality": score_read(items, ran["documents"])}


def queued_phases(items: list[Item], models: Path, cores: int, drift_pages: int, backend: str) -> dict:
    """On one Redis and one PostgreSQL server: d1, one pool process with every core's threads
    (with the drift pass); d1s, one process with one thread (d2's processes, alone: the baseline
    of scaling); d2, one process per core with one thread each."""
    runs = {"d1": (1, cores, drift_pages), "d1s": (1, 1, 0), "d2": (2, max(1, cores // 2), 0)}
    with tempfile.TemporaryDirectory(prefix="billflow-bench-") as tmp, servers(Path(tmp)) as (redis_url, postgres):
        return {name: guarded(queued_phase, f"{name}_{backend}", items, Path(tmp), redis_url, postgres, processes, threads,
                              models, backend, drift)
                for name, (processes, threads, drift) in runs.items()}


def queued_phase(name, items, folder, redis_url, postgres, concurrency, threads, models, backend, drift_pages) -> dict:
    ran = run_queued(name, items, folder, redis_url, postgres, concurrency, threads, models, backend, drift_pages)
    result = timing(ran["page_seconds"], ran["ocr_seconds"])
    result["pages_per_minute"] = round(60 * ran["throughput_pages"] / ran["throughput_wall_s"], 2)
    pool = ran["rss_peak_mb"]["pool_processes_mb"]
    return result | {"concurrency": concurrency, "ocr_threads": threads, "peak_rss_mb": max(pool, default=None),
                     "cpu_s_per_page": ran["cpu_s_per_page"],
                     "rss": ran["rss_peak_mb"], "drift": ran["drift"], "statuses": ran["statuses"],
                     "throughput_wall_s": ran["throughput_wall_s"]}


def new_size_phase(backend: str, cores: int, sizes: int) -> dict:
    return in_child(new_size_cost, backend, cores, sizes)


def text_layer_phase() -> dict:
    return in_child(text_layer_page_ms)


def timing(page_seconds: list[float], ocr_seconds: list[float] | None = None) -> dict:
    """p50/p95 seconds per page and pages per minute; OCR-only p50/p95 when given."""
    result = timing_summary(page_seconds)
    if ocr_seconds:
        result |= {"ocr_p50_s": round(percentile(ocr_seconds, 50), 4), "ocr_p95_s": round(percentile(ocr_seconds, 95), 4)}
    return result


def ratios(phases: dict) -> dict:
    """The comparisons that matter, as ratios (None where a phase failed)."""
    def ratio(a: str, b: str, key: str) -> float | None:
        x, y = phases.get(a, {}).get(key), phases.get(b, {}).get(key)
        return round(x / y, 3) if x and y else None

    return {"a/b p50 (stock vs tuned time per page)": ratio("a", "b", "p50_s"),
            "c/b p50 (billflow end to end vs tuned bare OCR)": ratio("c", "b", "p50_s"),
            "c/b pages per minute": ratio("c", "b", "pages_per_minute"),
            "d1/c p50 (queue latency vs in-process)": ratio("d1", "c", "p50_s"),
            "d2/d1 pages per minute (2 processes vs 1 with 2 threads)": ratio("d2", "d1", "pages_per_minute"),
            "d2/d1s pages per minute (2 processes vs 1, 1 thread each)": ratio("d2", "d1s", "pages_per_minute")}


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    items = select(args.pages)
    if not items:
        raise SystemExit("no labelled documents found (SROIE_DIR, examples/, tests/fixtures/generated/)")
    cores, models = os.cpu_count() or 1, get_settings().models_path.resolve()
    pages = sum(len(s.pages) for _, s in items)
    console.print(f"{len(items)} documents, {pages} pages; {cores} cores; backends {', '.join(args.backends)}; "
                  f"models in {models}; load average {os.getloadavg()}")
    started = machine()["load_average"]
    phases = {"a": guarded(bare_phase, items, "stock", models, cores), "b": guarded(bare_phase, items, "tuned", models, cores)}
    backends = {backend: backend_phases(items, models, cores, backend, args) for backend in args.backends}
    results = {"date": dt.datetime.now().isoformat(timespec="seconds"), "quick": args.quick,
               "machine": machine() | {"load_average_at_start": started},
               "documents": [s.name for _, s in items], "pages": pages, "phases": phases, "backends": backends,
               "text_layer": guarded(text_layer_phase),
               "ratios": {backend: ratios(phases | found) for backend, found in backends.items()}}
    path = write_results(results, args.quick)
    console.print(results_table(results))
    console.print(f"wrote {path}")


def backend_phases(items: list[Item], models: Path, cores: int, backend: str, args: argparse.Namespace) -> dict:
    """Phases (c) and (d) and the new-size pass of billflow on one OCR backend."""
    found = {"c": guarded(inprocess_phase, items, models, cores, backend)}
    queued = guarded(queued_phases, items, models, cores, args.drift_pages, backend)
    found |= dict.fromkeys(("d1", "d1s", "d2"), queued) if "error" in queued else {k: queued[k] for k in ("d1", "d1s", "d2")}
    return found | {"new_size": guarded(new_size_phase, backend, cores, args.sizes)}


def machine() -> dict:
    return {"cores": os.cpu_count(), "load_average": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(), "paddlepaddle": version("paddlepaddle"), "paddleocr": version("paddleocr"),
            "openvino": version("openvino"), "default_ocr_backend": get_settings().ocr_backend}


def write_results(results: dict, quick: bool) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{dt.date.today().isoformat()}{'-quick' if quick else ''}.json"
    path.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    return path


PHASE_NAMES = {"a": "(a) PaddleOCR stock", "b": "(b) PaddleOCR tuned"}
BACKEND_PHASE_NAMES = {"c": "(c) billflow in-process", "d1": "(d1) billflow 1 process × 2 threads",
                       "d1s": "(d1s) billflow 1 process × 1 thread", "d2": "(d2) billflow 2 processes × 1 thread"}
COLUMNS = ("phase", "p50 s", "p95 s", "pages/min", "OCR p50 s", "peak RSS MB", "CER", "fields F1", "load avg")


def results_table(results: dict) -> Table:
    table = Table(title=f"billflow benchmark, {results['pages']} pages, {results['machine']['cores']} cores")
    for column in COLUMNS:
        table.add_column(column)
    for key, name in PHASE_NAMES.items():
        table.add_row(*_phase_row(name, results["phases"].get(key, {})))
    for backend, found in results["backends"].items():
        for key, name in BACKEND_PHASE_NAMES.items():
            table.add_row(*_phase_row(f"{name}, {backend}", found.get(key, {})))
    for backend, found in results["backends"].items():
        for label, value in results["ratios"][backend].items():
            table.add_row(f"[bold]{backend}: {label}[/bold]", _cell(value), *[""] * (len(COLUMNS) - 2))
        new_size = found.get("new_size", {})
        if "new_size_extra_s" in new_size:
            table.add_row(f"[bold]{backend}: first page of a new size, extra over warm (mean of {new_size['sizes']})[/bold]",
                          _cell(new_size["new_size_extra_s"]["mean"]), *[""] * (len(COLUMNS) - 3),
                          _load(new_size))
        drift = found.get("d1", {}).get("drift")
        if drift:
            table.add_row(f"[bold]{backend}: RSS drift over {drift['pages']} pages (1 worker, peak of first → last fifth)[/bold]",
                          f"{drift['first_fifth_peak_mb']} → {drift['last_fifth_peak_mb']} MB ({drift['drift_pct']:+}%)",
                          *[""] * (len(COLUMNS) - 2))
    text = results["text_layer"]
    if "p50_ms" in text:
        table.add_row(f"[bold]born-digital PDF page from its text layer ({text['pages']} pages), p50 / p95[/bold]",
                      f"{text['p50_ms'] / 1000:.4f}", f"{text['p95_ms'] / 1000:.4f}", *[""] * (len(COLUMNS) - 4), _load(text))
    return table


def _phase_row(name: str, phase: dict) -> list[str]:
    if "error" in phase:
        return [name, f"[red]{phase['error'][:60]}[/red]", *[""] * (len(COLUMNS) - 3), _load(phase)]
    quality = phase.get("quality", {})
    f1 = quality.get("extraction", {}).get("overall", {}).get("normalized", {}).get("f1")
    return [name, *(_cell(phase.get(k)) for k in ("p50_s", "p95_s", "pages_per_minute", "ocr_p50_s", "peak_rss_mb")),
            _cell(quality.get("recognition", {}).get("page_cer")), _cell(f1), _load(phase)]


def _load(phase: dict) -> str:
    return _cell(phase.get("load_average", [None])[0])


def _cell(value) -> str:
    return "-" if value is None else str(value)


if __name__ == "__main__":
    main()
