"""``billflow eval``: run the OCR engine and extraction over a labelled set and report metrics.

The engine is loaded once (``workers.engine``); each document is rasterized like an upload,
a PDF page with a usable text layer read from it as the pipeline does (``BILLFLOW_TEXT_LAYER``),
every other page prepared and read as a worker does (``pipeline.read_page``), extracted (SROIE
as ``receipt``) and scored with ``evaluation``. Time per page = preparation and OCR of the page
(a text-layer page: reading and rendering it) + its share of the document's extraction
(rasterizing an OCR'd page not counted).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from functools import cache as once
from dataclasses import fields
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import typer
import yaml
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

import extractors
from evaluation.calibrate import WARM, fit
from evaluation.datasets import Dataset, Sample, read_dataset
from evaluation.splits import select
from evaluation.report import preview_jpeg, rich_tables, write_reports
from evaluation.scoring import PageOutput, aggregate, document_record, field_universe
from extractors.confidence import load_model
from extractors.extract import extract_document
from extractors.layouts import Example, LayoutMemory
from extractors.lines import OcrLine
from workers.backends import computed_precision
from workers.engine import build_engine, get_engine
from workers.files import write_atomically
from workers.ocr import OcrEngine
from workers.pipeline import read_page
from workers.preprocess import PrepareOptions, map_lines
from workers.rasterize import Limits, RasterPage, stream_pages
from workers.second_look import look_again_later
from workers.settings import Settings, SettingsError, get_settings
from workers.template_dir import use_template_dir

console = Console(stderr=True)
PREPARATION_STEPS = tuple(f.name for f in fields(PrepareOptions))  # each a BILLFLOW_PREPROCESS_* setting
Previews = dict[str, list[tuple[bytes, float]]]
CACHE_VERSION = 2  # what a cached page holds (2: per-character probabilities)
MODEL_PATH = Path(extractors.__file__).parent / "data" / "confidence.yml"
MODEL_HEADER = ("# The confidence model: fitted by `billflow calibrate` on the tuning parts of the development\n"
                "# sets (see extractors/confidence.py and evaluation/calibrate.py). Do not edit by hand.\n")


class OcrCache:
    """What the engine read on each page, kept in a folder (one JSON per page) so that a set is
    OCR'd once and extraction can be measured again in seconds. A page's key is the hash of the
    document's bytes, the page number and everything that changes what OCR reads (backend,
    line classifier, preparation steps, resolution, precision; pages the paddle backend read keep
    the keys they had before backends existed, pages read in f32 those before precisions)."""

    def __init__(self, folder: Path, settings: Settings) -> None:
        self.folder = folder
        precision = computed_precision(settings.ocr_backend, settings.ocr_precision)
        self.config = json.dumps([CACHE_VERSION, settings.ocr_line_classifier, preparation_steps(settings),
                                  settings.raster_dpi] + ([] if settings.ocr_backend == "paddle" else [settings.ocr_backend])
                                 + ([] if precision == "f32" else [precision]))
        folder.mkdir(parents=True, exist_ok=True)

    def path(self, data: bytes, page: int) -> Path:
        key = hashlib.sha256(data + self.config.encode() + str(page).encode()).hexdigest()
        return self.folder / f"{key}.json"

    def load(self, data: bytes, page: int) -> tuple[list[OcrLine], list[OcrLine], float, dict] | None:
        """(upright lines, lines on the page as uploaded, seconds, step seconds), or None."""
        path = self.path(data, page)
        if not path.exists():
            return None
        entry = json.loads(path.read_text(encoding="utf-8"))
        return (_lines(entry["upright"]), _lines(entry["original"]), entry["seconds"], entry["steps"])

    def store(self, data: bytes, page: int, upright: list[OcrLine], original: list[OcrLine], seconds: float,
              steps: dict) -> None:
        entry = {"upright": [_line_json(l) for l in upright], "original": [_line_json(l) for l in original],
                 "seconds": seconds, "steps": steps}
        text = json.dumps(entry, ensure_ascii=False)
        write_atomically(self.path(data, page), lambda handle: handle.write(text.encode("utf-8")))


def _line_json(line: OcrLine) -> list:
    return [line.text, line.score, [list(p) for p in line.polygon], line.page, line.angle, list(line.char_scores)]


def _lines(entries: list) -> list[OcrLine]:
    return [OcrLine(text, score, tuple(tuple(p) for p in polygon), page, angle, tuple(chars))
            for text, score, polygon, page, angle, chars in entries]


def evaluate_dataset(dataset: Dataset, engine: Callable[[], OcrEngine], settings: Settings,
                     on_document: Callable[[str], None] | None = None, cache: OcrCache | None = None,
                     memory: Callable[[Sample], LayoutMemory | None] = lambda sample: None) -> tuple[dict, Previews]:
    """The report (see ``evaluation.scoring.aggregate``) and each document's page previews.
    ``engine`` gives the OCR engine when a page must be read: pages found in ``cache`` are not
    read again, pages read are stored there. ``memory`` gives each document the layouts people
    confirmed before it (see ``confirmations``)."""
    universe = field_universe(dataset.samples)
    records, previews = [], {}
    for sample in dataset.samples:
        record, previews[sample.name] = evaluate_sample(sample, engine, settings, universe, dataset.format, cache,
                                                        memory(sample))
        records.append(record)
        if on_document:
            on_document(sample.name)
    report = aggregate(records)
    report["dataset"] = {"root": str(dataset.root), "format": dataset.format, "documents": len(dataset.samples),
                         "line_classifier": settings.ocr_line_classifier, "preparation": preparation_steps(settings),
                         "ocr_backend": settings.ocr_backend, "text_layer": settings.text_layer,
                         "ocr_precision": computed_precision(settings.ocr_backend, settings.ocr_precision)}
    return report, previews


def evaluate_sample(sample: Sample, engine: Callable[[], OcrEngine], settings: Settings, universe: dict[str, set[str]],
                    fmt: str, cache: OcrCache | None = None,
                    memory: LayoutMemory | None = None) -> tuple[dict, list[tuple[bytes, float]]]:
    """One document as a worker reads it: every labelled page read from its text layer where the
    pipeline would, else prepared and OCR'd (``read_page``, or from ``cache``) and looked at again
    (``look_again_later``: the cache keeps the first pass only), extraction on the upright lines,
    lines scored on the page as uploaded. Any error fails only this document."""
    outputs, upright, previews, extraction, error = [], [], [], None, None
    try:
        data = sample.source.read_bytes()
        for (raster, came_s), truth in zip(timed_pages(data, settings), sample.pages):
            if raster.lines is not None:
                read = (raster.lines, raster.lines, came_s, {})
            elif (read := cache.load(data, raster.number) if cache else None) is None:
                read = _read(settings, engine(), raster)
                if cache:
                    cache.store(data, raster.number, *read)
            lines, original, seconds, steps = read
            if raster.lines is None and settings.ocr_second_look:
                image = np.ascontiguousarray(np.asarray(raster.image)[:, :, ::-1])
                added, added_original = look_again_later(engine, image, lines, original)
                lines, original = lines + added, original + added_original
            outputs.append(PageOutput(truth.scaled_to(*raster.image.size), original, seconds, steps))
            upright.extend(lines)
            previews.append(preview_jpeg(raster.image))
        started = time.perf_counter()
        extraction = extract_document(upright, sample.requested_type, threshold=settings.done_confidence,
                                      memory=memory)
        share = (time.perf_counter() - started) / max(len(outputs), 1)
        for output in outputs:
            output.seconds += share
    except Exception as exc:  # one document's failure must not stop the evaluation
        error = f"{type(exc).__name__}: {exc}"
    record = document_record(sample, outputs, extraction, error, universe, fmt)
    right = {name for name, f in record["fields"].items() if f["if_given"] == "correct"}
    example = extraction.confirmed(right) if extraction and record["labelled_fields"] else None
    record["example"] = example.to_data() if example else None
    return record, previews


def confirmations(records: list[dict]) -> dict[str, Example]:
    """What a reviewer confirming each labelled document's right values would teach, by document."""
    return {r["name"]: Example.from_data(r["example"]) for r in records if r.get("example")}


def others_confirmed(examples: dict[str, Example]) -> Callable[[Sample], LayoutMemory]:
    """Each document's memory: every other document of ``examples`` confirmed (leave one out)."""
    return lambda sample: LayoutMemory([e for name, e in examples.items() if name != sample.name])


def timed_pages(data: bytes, settings: Settings) -> Iterator[tuple[RasterPage, float]]:
    """The document's pages as the pipeline streams them (``lines`` set on a page read from its text
    layer, when ``settings.text_layer``), each with the seconds it took to come."""
    pages = stream_pages(data, settings.raster_dpi, Limits(), settings.text_layer)
    while True:
        started = time.perf_counter()
        page = next(pages, None)
        if page is None:
            return
        yield page, time.perf_counter() - started


def _read(settings: Settings, engine: OcrEngine, raster) -> tuple[list[OcrLine], list[OcrLine], float, dict]:
    """(upright lines, lines on the page as uploaded, seconds, step seconds) of one page."""
    image = np.ascontiguousarray(np.asarray(raster.image)[:, :, ::-1])
    started = time.perf_counter()
    lines, prepared = read_page(settings, engine, image, raster.number)
    seconds = time.perf_counter() - started
    return lines, map_lines(lines, prepared.to_original), seconds, prepared.timings


def without_preparation(settings: Settings) -> Settings:
    """``settings`` with every page-preparation step switched off."""
    return settings.model_copy(update={f"preprocess_{step}": False for step in PREPARATION_STEPS})


def preparation_steps(settings: Settings) -> list[str]:
    """The page-preparation steps switched on."""
    return [step for step in PREPARATION_STEPS if getattr(settings, f"preprocess_{step}")]


def load_engine(settings: Settings) -> OcrEngine:
    """This process's engine, unless its backend, precision or line-classifier setting differs: then a new one.
    Evaluation runs one engine, so it gets every core unless ``BILLFLOW_OCR_THREADS`` says otherwise."""
    settings = settings.model_copy(update={"ocr_threads": settings.ocr_threads or os.cpu_count() or 1})
    engine = get_engine(settings)
    if (engine.line_classifier != settings.ocr_line_classifier or engine.backend.name != settings.ocr_backend
            or engine.backend.precision != computed_precision(settings.ocr_backend, settings.ocr_precision)):
        engine = build_engine(settings)
    return engine


def evaluate_command(
    dataset: Path = typer.Argument(..., exists=True, file_okay=False, help="Folder of a labelled set (generated, SROIE or ICDAR-style)"),
    report: Path | None = typer.Option(None, "--report", help="Folder to write report.json and report.html into"),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Only the first N documents"),
    line_classifier: bool = typer.Option(True, "--line-classifier/--no-line-classifier", help="Run the 0/180 line classifier"),
    preparation: bool = typer.Option(True, "--preparation/--no-preparation",
                                     help="Page preparation as configured (BILLFLOW_PREPROCESS_*), or every step off"),
    part: str = typer.Option("all", "--part", help="tune or test half of the set (fixed by document name), or all"),
    ocr_cache: Path | None = typer.Option(None, "--ocr-cache", file_okay=False,
                                          help="Folder keeping what OCR read: a second run re-measures extraction only"),
    templates: Path | None = typer.Option(None, "--templates", help="Folder of your own templates, instead of "
                                          "BILLFLOW_TEMPLATE_DIR"),
    memory: str = typer.Option("none", "--memory", help="Layouts people confirmed beforehand: none; tune or test "
                               "(that part's documents confirmed, their right values); others (every other document "
                               "measured)"),
) -> None:
    """Measure OCR (detection, recognition), extraction, the review flag and speed on a labelled set."""
    try:
        settings = get_settings().model_copy(update={"ocr_line_classifier": line_classifier})
        use_template_dir(templates or settings.template_dir, "--templates" if templates else "BILLFLOW_TEMPLATE_DIR")
        settings = settings if preparation else without_preparation(settings)
        if memory not in ("none", "tune", "test", "others"):
            raise ValueError(f"--memory must be none, tune, test or others, not {memory!r}")
        whole = read_dataset(dataset)
        data = Dataset(whole.format, whole.root, select(whole.samples, whole.format, part)[:limit])
    except (SettingsError, ValueError) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    console.print(f"{data.format} set, part {part}: {len(data.samples)} document(s)")
    engine = once(lambda: load_engine(settings))
    cache = OcrCache(ocr_cache, settings) if ocr_cache else None
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        taught = {} if memory == "none" else _confirmed_part(
            data if memory == "others" else Dataset(whole.format, whole.root, select(whole.samples, whole.format, memory)),
            engine, settings, cache, progress)
        remembered = others_confirmed(taught) if memory == "others" else (lambda sample, m=LayoutMemory(taught.values()): m)
        task = progress.add_task("evaluating", total=len(data.samples))
        result, previews = evaluate_dataset(data, engine, settings,
                                            lambda name: progress.update(task, advance=1, description=name), cache,
                                            remembered if taught else lambda sample: None)
    result["dataset"]["part"] = part
    result["dataset"]["memory"] = {"from": memory, "confirmed_documents": len(taught)}
    for table in rich_tables(result):
        Console().print(table)
    if report:
        json_path, html_path = write_reports(report, result, previews)
        console.print(f"wrote {json_path} and {html_path}")


def _confirmed_part(data: Dataset, engine: Callable[[], OcrEngine], settings: Settings, cache: OcrCache | None,
                    progress: Progress) -> dict[str, Example]:
    """``data``'s documents measured without memory, and what confirming them would teach."""
    task = progress.add_task("confirming", total=len(data.samples))
    report, _ = evaluate_dataset(data, engine, settings, lambda name: progress.update(task, advance=1), cache)
    return confirmations(report["documents"])


def calibrate_command(
    datasets: list[Path] = typer.Argument(..., exists=True, file_okay=False, help="Labelled sets to fit on"),
    part: str = typer.Option("tune", "--part", help="Which half of each set to fit on (never report on it)"),
    target: float = typer.Option(0.01, "--target", min=0.0, max=1.0, help="Largest share of documents done but wrong"),
    ocr_cache: Path | None = typer.Option(None, "--ocr-cache", file_okay=False, help="Folder keeping what OCR read"),
    out: Path = typer.Option(MODEL_PATH, "--out", dir_okay=False, help="Where to write the model"),
    family: list[str] = typer.Option([], "--family", help="Sets of one layout family, their folder names joined "
                                     "by commas (repeat per family): the threshold must hold for each one held out"),
    placement_only: bool = typer.Option(False, "--placement-only", help="Keep the bundled model's weights and "
                                        "thresholds; fit only what confirmed layouts add"),
) -> None:
    """Fit the confidence model and the done threshold on labelled sets (see evaluation.calibrate).
    Each set counts twice: its documents as if their layouts were new, and each with every other
    document of the set confirmed by a person (``WARM``): thresholds hold in both."""
    settings = get_settings()
    engine = once(lambda: load_engine(settings))
    cache = OcrCache(ocr_cache, settings) if ocr_cache else None
    sets = {}
    for folder in datasets:
        data = read_dataset(folder)
        data = Dataset(data.format, data.root, select(data.samples, data.format, part))
        console.print(f"{folder}: {len(data.samples)} document(s) of part {part}")
        report, _ = evaluate_dataset(data, engine, settings, cache=cache)
        warm, _ = evaluate_dataset(data, engine, settings, cache=cache,
                                   memory=others_confirmed(confirmations(report["documents"])))
        sets[f"{data.format}:{folder.name}"] = report["documents"]
        sets[f"{data.format}:{folder.name}{WARM}"] = warm["documents"]
    by_folder = {key.split(":", 1)[1]: key for key in sets}
    unknown = sorted({f for entry in family for f in entry.split(",")} - set(by_folder))
    if unknown:
        console.print(f"[red]--family names no set given: {', '.join(unknown)}[/red]")
        raise typer.Exit(2)
    model = fit(sets, target, {entry: tuple(by_folder[n] for f in entry.split(",") for n in (f, f + WARM))
                               for entry in family}, load_model() if placement_only else None)
    out.write_text(MODEL_HEADER + yaml.safe_dump(model.to_data(), allow_unicode=True, sort_keys=False), encoding="utf-8")
    for name, summary in model.fitted_on["sets"].items():
        console.print(f"{name}: {summary}")
    console.print(f"thresholds {model.by_type or model.threshold} (else {model.threshold}); wrote {out}")
