"""``billflow eval``: run the OCR engine and extraction over a labelled set and report metrics.

The engine is loaded once (``workers.engine``); each document is rasterized like an upload,
prepared and read page by page as a worker does (``pipeline.read_page``), extracted (SROIE as
``receipt``) and scored with ``evaluation``. Time per page = preparation and OCR of the page +
its share of the document's extraction (rasterizing not counted).
"""

from __future__ import annotations

import os
import time
from dataclasses import fields
from collections.abc import Callable
from pathlib import Path

import numpy as np
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from evaluation.datasets import Dataset, Sample, read_dataset
from evaluation.report import preview_jpeg, rich_tables, write_reports
from evaluation.scoring import PageOutput, aggregate, document_record, field_universe
from extractors.extract import extract_document
from workers.engine import get_engine
from workers.ocr import OcrEngine
from workers.pipeline import read_page
from workers.preprocess import PrepareOptions, map_lines
from workers.rasterize import Limits, rasterize
from workers.settings import Settings, SettingsError, get_settings

console = Console(stderr=True)
PREPARATION_STEPS = tuple(f.name for f in fields(PrepareOptions))  # each a BILLFLOW_PREPROCESS_* setting
Previews = dict[str, list[tuple[bytes, float]]]


def evaluate_dataset(dataset: Dataset, engine: OcrEngine, settings: Settings,
                     on_document: Callable[[str], None] | None = None) -> tuple[dict, Previews]:
    """The report (see ``evaluation.scoring.aggregate``) and each document's page previews."""
    universe = field_universe(dataset.samples)
    records, previews = [], {}
    for sample in dataset.samples:
        record, previews[sample.name] = evaluate_sample(sample, engine, settings, universe, dataset.format)
        records.append(record)
        if on_document:
            on_document(sample.name)
    report = aggregate(records)
    report["dataset"] = {"root": str(dataset.root), "format": dataset.format, "documents": len(dataset.samples),
                         "line_classifier": engine.line_classifier, "preparation": preparation_steps(settings)}
    return report, previews


def evaluate_sample(sample: Sample, engine: OcrEngine, settings: Settings, universe: dict[str, set[str]],
                    fmt: str) -> tuple[dict, list[tuple[bytes, float]]]:
    """One document as a worker reads it: every labelled page prepared and OCR'd (``read_page``),
    extraction on the upright lines, lines scored on the page as uploaded. Any error fails only
    this document."""
    outputs, upright, previews, extraction, error = [], [], [], None, None
    try:
        pages = rasterize(sample.source.read_bytes(), settings.raster_dpi, Limits())
        for raster, truth in zip(pages, sample.pages):
            image = np.ascontiguousarray(np.asarray(raster.image)[:, :, ::-1])
            started = time.perf_counter()
            lines, prepared = read_page(settings, engine, image, raster.number)
            seconds = time.perf_counter() - started
            outputs.append(PageOutput(truth.scaled_to(*raster.image.size), map_lines(lines, prepared.to_original),
                                      seconds, prepared.timings))
            upright.extend(lines)
            previews.append(preview_jpeg(raster.image))
        started = time.perf_counter()
        extraction = extract_document(upright, sample.requested_type)
        share = (time.perf_counter() - started) / max(len(outputs), 1)
        for output in outputs:
            output.seconds += share
    except Exception as exc:  # one document's failure must not stop the evaluation
        error = f"{type(exc).__name__}: {exc}"
    return document_record(sample, outputs, extraction, error, universe, fmt), previews


def without_preparation(settings: Settings) -> Settings:
    """``settings`` with every page-preparation step switched off."""
    return settings.model_copy(update={f"preprocess_{step}": False for step in PREPARATION_STEPS})


def preparation_steps(settings: Settings) -> list[str]:
    """The page-preparation steps switched on."""
    return [step for step in PREPARATION_STEPS if getattr(settings, f"preprocess_{step}")]


def load_engine(settings: Settings) -> OcrEngine:
    """This process's engine, unless its line-classifier setting differs: then a new one.
    Evaluation runs one engine, so it gets every core unless ``BILLFLOW_OCR_THREADS`` says otherwise."""
    settings = settings.model_copy(update={"ocr_threads": settings.ocr_threads or os.cpu_count() or 1})
    engine = get_engine(settings)
    if engine.line_classifier != settings.ocr_line_classifier:
        engine = OcrEngine(settings.models_path, threads=settings.threads_per_engine,
                           line_classifier=settings.ocr_line_classifier)
        engine.warm_up()
    return engine


def evaluate_command(
    dataset: Path = typer.Argument(..., exists=True, file_okay=False, help="Folder of a labelled set (generated, SROIE or ICDAR-style)"),
    report: Path | None = typer.Option(None, "--report", help="Folder to write report.json and report.html into"),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Only the first N documents"),
    line_classifier: bool = typer.Option(True, "--line-classifier/--no-line-classifier", help="Run the 0/180 line classifier"),
    preparation: bool = typer.Option(True, "--preparation/--no-preparation",
                                     help="Page preparation as configured (BILLFLOW_PREPROCESS_*), or every step off"),
) -> None:
    """Measure OCR (detection, recognition), extraction, the review flag and speed on a labelled set."""
    try:
        settings = get_settings().model_copy(update={"ocr_line_classifier": line_classifier})
        settings = settings if preparation else without_preparation(settings)
        data = read_dataset(dataset, limit)
    except (SettingsError, ValueError) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    console.print(f"{data.format} set: {len(data.samples)} document(s); loading the OCR engine")
    engine = load_engine(settings)
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("evaluating", total=len(data.samples))
        result, previews = evaluate_dataset(data, engine, settings,
                                            lambda name: progress.update(task, advance=1, description=name))
    for table in rich_tables(result):
        Console().print(table)
    if report:
        json_path, html_path = write_reports(report, result, previews)
        console.print(f"wrote {json_path} and {html_path}")
