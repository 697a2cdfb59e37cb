"""``python -m benchmarks.workermemory [--baseline REV] [--pages N] [--drift-pages N] [--rounds N]``:
a worker process's peak RSS and page time on the code of revision ``REV`` (default ``HEAD``) and
on the working tree, same pages, one run; and ``benchmarks/results/workermemory-<date>.json``.

Each round starts one worker on each code, the baseline first (one pool process with every
core's threads: ``benchmarks.run``'s d1, whose peak RSS is issue 13's), on one Redis and one
PostgreSQL: the pages one document at a time (p50 s per page), all at once (pages per minute),
then the drift pages. The baseline worker runs from ``git archive REV`` (same virtual
environment; ``REV`` must have the working tree's database schema). CPU seconds per page are the
pool process's after warm-up. On a shared machine compare the ratios; each worker records the
load average it ended under.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks.corpus import REPO, select
from benchmarks.queued import run_queued, servers
from evaluation.metrics import timing_summary
from workers.settings import get_settings

RESULTS = REPO / "benchmarks" / "results"
WORKING_TREE = "working tree"


def snapshot(revision: str, folder: Path) -> Path:
    """The files of ``revision`` extracted under ``folder``, compiled to bytecode (as the working
    tree's are: a worker compiling its modules would hold more memory)."""
    archive = subprocess.run(["git", "archive", revision], cwd=REPO, capture_output=True, check=True).stdout
    target = folder / "baseline"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    compileall.compile_dir(target, quiet=1)
    return target


def code_env(root: Path) -> dict[str, str]:
    """A worker's environment that imports billflow from ``root`` (not from its working directory)."""
    return {"PYTHONPATH": str(root), "PYTHONSAFEPATH": "1"}


def measure(baseline: str, pages: int, drift_pages: int, rounds: int) -> dict:
    """Per round, a worker on each code: peak RSS of its pool process, p50/p95 s per page,
    pages per minute, CPU s per page, load average."""
    items = select(pages)
    models, threads, backend = get_settings().models_path.resolve(), os.cpu_count() or 1, get_settings().ocr_backend
    runs = []
    with tempfile.TemporaryDirectory(prefix="billflow-bench-") as tmp, servers(Path(tmp)) as (redis_url, postgres):
        codes = {baseline: code_env(snapshot(baseline, Path(tmp))), WORKING_TREE: code_env(REPO)}
        for round_number in range(rounds):
            for number, (code, env) in enumerate(codes.items()):
                ran = run_queued(f"mem{round_number}_{number}", items, Path(tmp), redis_url, postgres, 1, threads, models,
                                 backend, drift_pages, env)
                runs.append({"code": code, "round": round_number, "peak_rss_mb": max(ran["rss_peak_mb"]["pool_processes_mb"]),
                             **timing_summary(ran["page_seconds"]), "cpu_s_per_page": ran["cpu_s_per_page"],
                             "throughput_pages_per_minute": round(60 * ran["throughput_pages"] / ran["throughput_wall_s"], 2),
                             "drift": ran["drift"], "statuses": ran["statuses"]["counts"],
                             "load_average": [round(x, 2) for x in os.getloadavg()]})
    return {"date": dt.datetime.now().isoformat(timespec="seconds"), "baseline": baseline,
            "baseline_commit": _commit(baseline), "backend": backend, "threads": threads,
            "documents": [s.name for _, s in items], "pages": sum(len(s.pages) for _, s in items),
            "drift_pages": drift_pages, "runs": runs, "ratios": ratios(runs, baseline)}


def ratios(runs: list[dict], baseline: str) -> dict:
    """Working tree over baseline, round by round: peak RSS, p50 s per page, CPU s per page."""
    by_round = {}
    for run in runs:
        by_round.setdefault(run["round"], {})[run["code"]] = run
    return {key: [round(pair[WORKING_TREE][key] / pair[baseline][key], 3) for pair in by_round.values()]
            for key in ("peak_rss_mb", "p50_s", "cpu_s_per_page")}


def _commit(revision: str) -> str:
    return subprocess.run(["git", "rev-parse", revision], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.workermemory", description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", default="HEAD", help="git revision the working tree is compared with")
    parser.add_argument("--pages", type=int, default=10, help="pages timed one document at a time and all at once")
    parser.add_argument("--drift-pages", type=int, default=20, help="pages more, queued at once, after those")
    parser.add_argument("--rounds", type=int, default=1, help="times each code runs, alternating")
    args = parser.parse_args(argv)
    results = measure(args.baseline, args.pages, args.drift_pages, args.rounds)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"workermemory-{dt.date.today().isoformat()}.json"
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    Console(width=None if sys.stdout.isatty() else 200).print(results_table(results))
    print(f"ratios (working tree / {args.baseline}, per round): {results['ratios']}\nwrote {out}")


def results_table(results: dict) -> Table:
    table = Table("code", "round", "peak RSS MB", "p50 s", "p95 s", "pages/min", "CPU s/page", "load avg",
                  title=f"one worker process, {results['backend']}, {results['threads']} threads, "
                        f"{results['pages']} + {results['drift_pages']} pages")
    for run in results["runs"]:
        table.add_row(run["code"], str(run["round"]), str(run["peak_rss_mb"]), str(run["p50_s"]), str(run["p95_s"]),
                      str(run["throughput_pages_per_minute"]), str(run["cpu_s_per_page"]), str(run["load_average"][0]))
    return table


if __name__ == "__main__":
    main()
