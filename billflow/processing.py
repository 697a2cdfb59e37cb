"""``billflow.process``: one upload through the workers' own steps, in memory or stored."""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from billflow.results import Document, Result, as_line, failed, fields_of, line_items_of
from db import repo
from db.migrate import upgrade
from db.session import session_scope
from extractors.extract import Extraction
from extractors.lines import OcrLine
from extractors.pages import PageRange, split_pages
from extractors.template import load_templates
from workers import pipeline
from workers.engine import get_engine
from workers.preprocess import map_lines
from workers.problems import Problem, data_dir_problem, database_url_problem
from workers.rasterize import Limits, RasterPage, stream_pages
from workers.reasons import failure_reason
from workers.settings import Settings, get_settings
from workers.template_dir import use_template_dir

Source = str | os.PathLike | bytes


def process(source: Source, doc_type: str | None = None, database_url: str | None = None) -> Result:
    """Process a file (a path) or its bytes and return what billflow found in it.

    Without ``database_url`` nothing is stored and no queue is used: the pages are rasterized,
    prepared and OCR'd here (the engine is loaded on the first call and kept for the process),
    split into the documents they hold, extracted and validated (a born-digital PDF page is
    read from its text layer, as ``BILLFLOW_TEXT_LAYER`` says). With a ``database_url``
    (``sqlite:///…`` or ``postgresql://…``) the upload goes through the normal pipeline in this
    process: stored by its sha256 under ``BILLFLOW_DATA_DIR`` with pages, lines and fields,
    visible to ``billflow show`` and the API; bytes already stored and final are not processed
    again, their stored result is returned. ``doc_type`` skips classification.

    Bytes that are no document (empty, not a PDF or image, too large, broken) give a result
    with status ``failed`` and a one-line ``reason``, never an exception; an unknown
    ``doc_type``, a missing file or an unusable database raise. Other settings come from the
    ``BILLFLOW_*`` environment (resolution, limits, page preparation, done threshold, your own
    templates in ``BILLFLOW_TEMPLATE_DIR``).
    """
    settings = get_settings()
    use_template_dir(settings.template_dir)
    if doc_type is not None and doc_type not in load_templates():
        raise ValueError(f"unknown document type {doc_type!r}: one of {', '.join(sorted(load_templates()))}")
    name, data = _read(source)
    if database_url is None:
        return _in_memory(settings, data, doc_type)
    return _stored(_database_settings(settings, database_url), data, name, doc_type)


def _read(source: Source) -> tuple[str, bytes]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return "upload", bytes(source)
    path = Path(source)
    return path.name, path.read_bytes()


def _in_memory(settings: Settings, data: bytes, doc_type: str | None) -> Result:
    """The chain of ``pipeline.process_in_process`` with nothing stored; any error fails only
    this upload, with its one-line reason."""
    if problem := pipeline.intake_problem(settings, data):
        return failed(problem)
    try:
        read = _read_pages(settings, stream_pages(data, settings.raster_dpi,
                                                  Limits(settings.max_pages, settings.max_page_pixels), settings.text_layer))
        documents = [_outcome(pipeline.extract_range(settings, read.upright, pages, doc_type, read.to_page), pages)
                     for pages in split_pages(read.upright, read.numbers, doc_type)]
    except Exception as exc:  # a document's failure is its result, as in the pipeline
        return failed(failure_reason(exc), traceback.format_exc()[-pipeline.TRACEBACK_CHARS:])
    first, *parts = documents
    return Result(**first, lines=tuple(as_line(l, l.page) for l in read.uploaded),
                  parts=tuple(Document(**p) for p in parts))


@dataclass
class UploadRead:
    """What an upload's pages say: the upright lines extraction reads, the same lines on the
    pages as uploaded, each OCR'd page's map from prepared to uploaded, and the page numbers."""

    upright: list[OcrLine] = field(default_factory=list)
    uploaded: list[OcrLine] = field(default_factory=list)
    to_page: dict[int, np.ndarray] = field(default_factory=dict)
    numbers: list[int] = field(default_factory=list)


def _read_pages(settings: Settings, pages: Iterable[RasterPage]) -> UploadRead:
    """Each page, as it is rendered, read as a worker reads it: from its text layer when usable,
    else prepared and OCR'd (``pipeline.read_page``; the engine loaded at the first such page)."""
    read = UploadRead()
    for page in pages:
        read.numbers.append(page.number)
        if page.lines is not None:
            read.upright += page.lines
            read.uploaded += page.lines
            continue
        image = cv2.cvtColor(np.asarray(page.image), cv2.COLOR_RGB2BGR)
        lines, prepared = pipeline.read_page(settings, get_engine(settings), image, page.number)
        read.upright += lines
        read.uploaded += map_lines(lines, prepared.to_original)
        read.to_page[page.number] = prepared.to_original
    return read


def _outcome(extraction: Extraction, pages: PageRange) -> dict:
    """An extracted document of the upload as ``Document`` arguments."""
    return {"doc_type": extraction.doc_type, "status": extraction.status, "fields": fields_of(extraction.fields.values()),
            "line_items": line_items_of(extraction.line_items), "review_reasons": tuple(extraction.reasons),
            "first_page": pages.first, "last_page": pages.last}


def _database_settings(settings: Settings, database_url: str) -> Settings:
    """The settings with this database, checked (``workers.problems.Problem`` when it cannot
    work or the data directory cannot be written) and migrated to the current schema."""
    if problem := database_url_problem(database_url) or data_dir_problem(settings.data_dir):
        raise Problem(problem)
    settings = settings.model_copy(update={"database_url": database_url})
    upgrade(database_url)
    return settings


def _stored(settings: Settings, data: bytes, name: str, doc_type: str | None) -> Result:
    """Submit and run the upload through the pipeline here (unless it is final already), then
    read its result back from the database."""
    submitted = pipeline.submit_bytes(settings, data, name, doc_type)
    if not submitted.status.is_final:
        pipeline.process_in_process(settings, lambda: get_engine(settings), submitted.document_id)
    with session_scope(settings.database_url) as session:
        document = repo.get_document(session, submitted.document_id)
        lines = tuple(as_line(line, number) for number, line in repo.document_lines(session, document.id))
        parts = tuple(Document(**_stored_document(part)) for part in document.parts)
        return Result(**_stored_document(document), lines=lines, parts=parts, reason=document.error,
                      error_detail=document.error_detail)


def _stored_document(document) -> dict:
    """A stored ``db.models.Document``'s outcome as ``Document`` arguments."""
    return {"doc_type": document.doc_type, "status": document.status.value, "fields": fields_of(document.fields),
            "line_items": line_items_of(document.line_items), "review_reasons": tuple(document.review_reasons or ()), "first_page": document.first_page,
            "last_page": document.last_page, "id": document.id}
