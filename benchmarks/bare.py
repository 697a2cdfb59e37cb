"""Phases (a) and (b): the bare ``paddleocr.PaddleOCR`` pipeline on billflow's model folders.

(a) ``stock``: PaddleOCR 3.x defaults, changed only where running on the shipped weights needs
it: the model names and folders of ``workers.ocr.prepare_models``, no document
orientation/unwarping models (not shipped), device cpu, and oneDNN's new IR off (the default
engine, oneDNN with the new IR, raises NotImplementedError "ConvertPirAttribute2RuntimeAttribute"
on this detection model; an ``engine_config`` overrides ``enable_mkldnn``/``cpu_threads``, so it
restates their defaults: oneDNN, 10 threads). Text-line orientation stays on with its stock
preprocessing (plain resize, every "180" obeyed); detection runs at the 3.x default
(``limit_side_len`` 64, type ``min``: full resolution up to 4000 px), no score threshold.
(b) ``tuned``: the same pipeline with billflow's settings: detection limit 960 ``max``,
``engine_config`` mkldnn with ``enable_new_ir`` off and the machine's cores as threads (the
config overrides ``enable_mkldnn``/``cpu_threads``), recognition score threshold 0.5.

A PDF page the pipeline reads from its text layer (``BILLFLOW_TEXT_LAYER``) is read from it by
both variants too, as a user of PaddleOCR with pypdfium2 would; the others are OCR'd.
``run_bare`` runs in a child process; ``score_read`` scores what a phase read, in the parent.
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from benchmarks.corpus import Item
from evaluation.scoring import PageOutput, aggregate, document_record, field_universe
from extractors.extract import extract_document
from extractors.lines import OcrLine
from workers.ocr import CLS_MODEL, DET_MODEL, REC_MODEL, REC_SCORE_THRESHOLD, prepare_models
from workers.rasterize import stream_pages

STOCK_CPU_THREADS = 10  # paddleocr 3.7's default cpu_threads


def pipeline_args(variant: str, models: Path, threads: int) -> dict:
    """``PaddleOCR(...)`` keyword arguments of the ``stock`` or ``tuned`` variant."""
    folders = prepare_models(models)
    args = {
        "text_detection_model_name": DET_MODEL, "text_detection_model_dir": str(folders[DET_MODEL]),
        "text_recognition_model_name": REC_MODEL, "text_recognition_model_dir": str(folders[REC_MODEL]),
        "textline_orientation_model_name": CLS_MODEL, "textline_orientation_model_dir": str(folders[CLS_MODEL]),
        "use_doc_orientation_classify": False, "use_doc_unwarping": False, "use_textline_orientation": True,
        "device": "cpu",
    }
    if variant == "stock":
        return args | {"engine_config": {"paddle_static": {
            "run_mode": "mkldnn", "cpu_threads": STOCK_CPU_THREADS, "mkldnn_cache_capacity": 10, "enable_new_ir": False}}}
    return args | {
        "text_det_limit_side_len": 960, "text_det_limit_type": "max", "text_rec_score_thresh": REC_SCORE_THRESHOLD,
        "engine_config": {"paddle_static": {"run_mode": "mkldnn", "cpu_threads": threads, "enable_new_ir": False}},
    }


def run_bare(variant: str, sources: list[str], models: str, threads: int, text_layer: bool = True) -> dict:
    """Child process: build the pipeline, warm it up on the first page to OCR, then time each
    page's ``predict``; with ``text_layer``, a PDF page the pipeline reads from its text layer is
    read from it here too (timed from the bytes), so both score the same lines on it. Returns per
    document its pages' seconds and lines, load time and peak RSS."""
    os.environ.setdefault("PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK", "True")
    os.environ.setdefault("PADDLE_PDX_CACHE_HOME", str(Path(models) / ".paddlex"))
    started = time.perf_counter()
    import paddleocr

    pipeline = paddleocr.PaddleOCR(**pipeline_args(variant, Path(models), threads))
    load_s = time.perf_counter() - started
    documents = [list(_pages(Path(s).read_bytes(), text_layer)) for s in sources]
    if scans := [page for pages in documents for page in pages if isinstance(page, np.ndarray)]:
        pipeline.predict(scans[0])
    read = [[page if isinstance(page, dict) else _timed_predict(pipeline, page, number)
             for number, page in enumerate(pages, start=1)] for pages in documents]
    return {"documents": read, "load_s": round(load_s, 2), "peak_rss_mb": peak_rss_mb()}


def _pages(data: bytes, text_layer: bool) -> Iterator[np.ndarray | dict]:
    """Each page as a BGR image to OCR, or already read (a dict like ``_timed_predict``'s) where
    the pipeline reads it from its text layer."""
    pages = stream_pages(data, text_layer=text_layer)
    while True:
        started = time.perf_counter()
        page = next(pages, None)
        if page is None:
            return
        if page.lines is None:
            yield _bgr(page.image)
        else:
            yield {"number": page.number, "seconds": time.perf_counter() - started, "size": list(page.image.size),
                   "lines": [[l.text, l.score, [list(p) for p in l.polygon]] for l in page.lines]}


def _bgr(image) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(image.convert("RGB"))[:, :, ::-1])


def _timed_predict(pipeline, image: np.ndarray, number: int) -> dict:
    started = time.perf_counter()
    result = pipeline.predict(image)[0]
    seconds = time.perf_counter() - started
    lines = [[text, float(score), np.asarray(poly, dtype=float).round(1).tolist()]
             for text, score, poly in zip(result["rec_texts"], result["rec_scores"], result["rec_polys"])
             if text.strip()]
    return {"number": number, "seconds": seconds, "size": [image.shape[1], image.shape[0]], "lines": lines}


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB (Linux reports kilobytes)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def score_read(items: list[Item], read: list[list[dict]]) -> dict:
    """Detection, recognition and extraction (re-run on the lines) of what a phase read, per
    document its pages' ``number``, ``size``, ``seconds`` and ``lines``, as ``billflow eval`` scores them."""
    universe = field_universe([s for _, s in items])
    records = []
    for (fmt, sample), pages in zip(items, read):
        outputs = [
            PageOutput(truth.scaled_to(*page["size"]),
                       [OcrLine(t, s, tuple(map(tuple, p)), page["number"]) for t, s, p in page["lines"]], page["seconds"])
            for truth, page in zip(sample.pages, pages)
        ]
        extraction = extract_document([l for o in outputs for l in o.lines], sample.requested_type)
        records.append(document_record(sample, outputs, extraction, None, universe, fmt))
    report = aggregate(records)
    return {k: report[k] for k in ("detection", "recognition", "speed")} | {
        "extraction": {"overall": report["extraction"]["overall"], "by_type": report["extraction"]["by_type"]}}
