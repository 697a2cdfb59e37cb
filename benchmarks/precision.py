"""``python -m benchmarks.precision [--limit N]``: OpenVINO computing in f32 and in bf16, the
same pages read both ways in one run.

Two engines on the openvino backend, one per precision, are built and warmed up in this process.
Every document of each set is measured as ``billflow eval`` measures it (``evaluate_sample``,
no OCR cache, no layout memory) by both engines in turn, the first one alternating document by
document, so the machine's load falls on both alike. Per set and precision: detection hmean,
line and page CER, fields F1 (normalized), statuses and documents done right or wrong
(``evaluation.scoring.aggregate``), page time; aggregates only. Writes
``benchmarks/results/precision-<date>.json`` with the load average and this process's CPU time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import time
from pathlib import Path

from evaluation.datasets import read_dataset
from evaluation.scoring import aggregate, field_universe
from evaluation.splits import select
from workers.backends import computed_precision
from workers.engine import build_engine
from workers.evaluate import evaluate_sample
from workers.settings import Settings, get_settings

REPO = Path(__file__).resolve().parents[1]
SROIE = Path(os.environ.get("SROIE_DIR", REPO.parent / "shared" / "datasets" / "sroie"))
SETS = ((SROIE, "test"), (REPO / "tests" / "fixtures" / "generated" / "clean", "all"),
        (REPO / "tests" / "fixtures" / "heldout", "all"), (Path("/work/data/heldout2"), "tune"))
PRECISIONS = ("f32", "bf16")
# bf16 becomes the default (``auto``) only if on every set it stays this close to f32 and no set
# has fewer documents done right.
CER_TOLERANCE, FIELDS_F1_TOLERANCE = 0.002, 0.005


def summary(report: dict) -> dict:
    """The figures compared: what ``billflow eval`` reports for the set."""
    review = report["review"]
    done = review["by_status"].get("done", 0)
    return {"documents": review["documents"], "detection_hmean": report["detection"]["hmean"],
            "cer": report["recognition"]["cer"], "page_cer": report["recognition"]["page_cer"],
            "fields_f1_normalized": report["extraction"]["overall"]["normalized"]["f1"],
            "done": done, "done_right": round((review["automation"] or 0) * review["labelled_documents"]),
            "done_wrong": review["flag_counts"]["fn"],
            "page_s_p50": report["speed"]["p50_s"], "page_s_p95": report["speed"]["p95_s"]}


def measure_set(root: Path, part: str, limit: int | None, engines: dict, settings: dict[str, Settings]) -> dict:
    """Each document of the set's ``part`` (its first ``limit``) by each precision in turn."""
    whole = read_dataset(root)
    samples = select(whole.samples, whole.format, part)[:limit]
    universe = field_universe(samples)
    records = {p: [] for p in PRECISIONS}
    for number, sample in enumerate(samples):
        for precision in PRECISIONS[::-1] if number % 2 else PRECISIONS:
            record, _ = evaluate_sample(sample, lambda p=precision: engines[p], settings[precision], universe,
                                        whole.format)
            records[precision].append(record)
    figures = {p: summary(aggregate(records[p])) for p in PRECISIONS}
    f32, bf16 = figures["f32"], figures["bf16"]
    return {"set": root.name, "part": part, "limit": limit, **figures,
            "bf16_page_time_ratio": round(bf16["page_s_p50"] / f32["page_s_p50"], 3),
            "bf16_within_tolerance": within_tolerance(f32, bf16), "load_average_after": os.getloadavg()}


def within_tolerance(f32: dict, bf16: dict) -> bool:
    """bf16 as accurate as f32 on a set by the rule above."""
    return (abs(bf16["cer"] - f32["cer"]) <= CER_TOLERANCE and abs(bf16["page_cer"] - f32["page_cer"]) <= CER_TOLERANCE
            and abs(bf16["fields_f1_normalized"] - f32["fields_f1_normalized"]) <= FIELDS_F1_TOLERANCE
            and bf16["done_right"] >= f32["done_right"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, help="Only each set's first N documents")
    args = parser.parse_args(argv)
    if computed_precision("openvino", "auto") != "bf16":
        raise SystemExit("OpenVINO's CPU plugin reports no BF16 on this machine: nothing to compare")
    base = get_settings().model_copy(update={"ocr_backend": "openvino", "ocr_threads": os.cpu_count() or 1})
    settings = {p: base.model_copy(update={"ocr_precision": p}) for p in PRECISIONS}
    engines = {p: build_engine(settings[p]) for p in PRECISIONS}
    results = {"date": dt.date.today().isoformat(), "threads": base.threads_per_engine,
               "load_average_before": os.getloadavg(), "sets": []}
    started = time.perf_counter()
    for root, part in SETS:
        results["sets"].append(measure_set(root, part, args.limit, engines, settings))
        print(table_row(results["sets"][-1]), flush=True)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    results |= {"wall_s": round(time.perf_counter() - started), "cpu_s": round(usage.ru_utime + usage.ru_stime),
                "bf16_within_tolerance_on_every_set": all(s["bf16_within_tolerance"] for s in results["sets"])}
    out = REPO / "benchmarks" / "results" / f"precision-{results['date']}.json"
    out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"bf16 within tolerance on every set: {results['bf16_within_tolerance_on_every_set']}; "
          f"{results['wall_s']} s, CPU {results['cpu_s']} s; wrote {out}")


def table_row(measured: dict) -> str:
    """One set: each figure as f32 → bf16."""
    f32, bf16 = measured["f32"], measured["bf16"]
    figures = ", ".join(f"{key} {f32[key]} → {bf16[key]}" for key in f32)
    return f"{measured['set']} ({measured['part']}): {figures}; bf16 page time {measured['bf16_page_time_ratio']}×"


if __name__ == "__main__":
    main()
