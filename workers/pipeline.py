"""The steps of processing one document, shared by the Celery tasks and the in-process runner.

submit → rasterize → OCR each page → extract and validate. Each step loads by id, calls a pure
function, saves, and can run again with the same result (no duplicate rows).
"""

from __future__ import annotations

import hashlib
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import cv2
import numpy as np
from sqlalchemy.orm import Session

from db import repo
from db.models import Document, Page, Status
from db.session import session_scope
from extractors.corrections import ItemCorrection, apply_corrections
from extractors.extract import ExtractedField, Extraction, extract_document, status_of
from extractors.items import LineItem
from extractors.layouts import Example, LayoutMemory
from extractors.lines import OcrLine
from extractors.pages import PageRange, split_pages
from workers.files import write_atomically
from workers.ocr import OcrEngine
from workers.pagewriter import PageImageWriter
from workers.preprocess import PreparedPage, PrepareOptions, map_bbox, map_lines, prepare_page
from workers.rasterize import BadDocument, Limits, RasterPage, sniff_media_type, stream_pages
from workers.reasons import failure_reason
from workers.second_look import look_again
from workers.settings import Settings

READ_CHUNK = 1 << 20
TRACEBACK_CHARS = 2000
MEMORY_EXAMPLES = 2000  # the newest confirmed layouts extraction weighs
NOT_PREPARED = {"rotation": 0, "skew_degrees": 0.0, "perspective": False, "to_original": None}


@dataclass(frozen=True)
class Submitted:
    document_id: int
    created: bool
    status: Status
    requeued: bool = False  # submitted before but never stored (then failed): stored now, queued again


def original_path(settings: Settings, sha256: str) -> Path:
    """Where the uploaded bytes are kept: named by content, never by the client's file name."""
    return settings.data_dir / "originals" / sha256[:2] / sha256


def page_dir(settings: Settings, sha256: str) -> Path:
    return settings.data_dir / "pages" / sha256[:2] / sha256


def submit_bytes(settings: Settings, data: bytes, name: str, requested_type: str | None = None) -> Submitted:
    """Register an upload: the same bytes always give the same document (never a second one).

    Acceptable bytes are stored whenever the data directory lacks them, and a document that
    failed without them (over an earlier size limit, or lost from the data directory) is queued
    again: submitting the file again is how it runs again."""
    sha256 = hashlib.sha256(data).hexdigest()
    problem = intake_problem(settings, data)
    stored = original_path(settings, sha256)
    with session_scope(settings.database_url) as session:
        document, created = repo.get_or_create_document(
            session, sha256=sha256, original_name=safe_display_name(name),
            media_type=None if problem else sniff_media_type(data), size_bytes=len(data),
            requested_type=requested_type,
        )
        if created and problem:
            repo.set_status(session, document, Status.failed, problem)
        elif not problem and not stored.exists():
            write_atomically(stored, lambda handle: handle.write(data))
            if document.status == Status.failed:  # it failed for want of these bytes
                document.media_type = sniff_media_type(data)
                document.requested_type = requested_type or document.requested_type
                repo.requeue(session, document)
                return Submitted(document.id, created, document.status, requeued=True)
        return Submitted(document.id, created, document.status)


def submit_path(settings: Settings, path: Path, requested_type: str | None = None) -> Submitted:
    """Submit a file from disk (too-large files are recorded as failed without being read whole)."""
    size = path.stat().st_size
    if size > settings.max_file_mb * 1024 * 1024:
        return _submit_oversized(settings, path, size)
    return submit_bytes(settings, path.read_bytes(), path.name, requested_type)


def _submit_oversized(settings: Settings, path: Path, size: int) -> Submitted:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(READ_CHUNK):
            digest.update(chunk)
    with session_scope(settings.database_url) as session:
        document, created = repo.get_or_create_document(
            session, sha256=digest.hexdigest(), original_name=safe_display_name(path.name),
            media_type=None, size_bytes=size, requested_type=None,
        )
        if created:
            repo.set_status(session, document, Status.failed, _too_large(settings, size))
        return Submitted(document.id, created, document.status)


def intake_problem(settings: Settings, data: bytes) -> str | None:
    """Why these bytes are refused before anything is stored (too large, empty, not a PDF or
    image), in one line; None when they are accepted."""
    if len(data) > settings.max_file_mb * 1024 * 1024:
        return _too_large(settings, len(data))
    try:
        sniff_media_type(data)
    except BadDocument as exc:
        return str(exc)
    return None


def _too_large(settings: Settings, size: int) -> str:
    return f"file of {size / 1048576:.1f} MB is larger than the limit of {settings.max_file_mb:g} MB"


def safe_display_name(name: str) -> str:
    """The client's file name as metadata only: base name, printable, at most 255 characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch if ch.isprintable() else "?" for ch in base.encode("utf-8", "replace").decode("utf-8", "replace"))
    return (cleaned or "unnamed")[:255]


def rasterize_document(settings: Settings, document_id: int, engine_factory: Callable[[], OcrEngine] | None = None,
                       on_page: Callable[[int, int], None] | None = None) -> list[int]:
    """Render the document's pages one at a time, each PNG written on a background thread
    while the page is read, and save Page rows; bad input marks it failed.

    A PDF page whose text layer is usable (``BILLFLOW_TEXT_LAYER``) is read from it, not OCR'd.
    With ``engine_factory`` (an in-process run) every other page is OCR'd from the rendered
    image in memory as it comes (the engine is made at the first such page); ``on_page(number,
    count)`` follows. Returns the page numbers left to OCR (empty when the document failed, is
    already final, or every page is read).
    """
    with session_scope(settings.database_url) as session:
        document = repo.get_document(session, document_id)
        if document.status.is_final:
            return []
        repo.set_status(session, document, Status.processing)
        sha256 = document.sha256
    try:
        data = original_path(settings, sha256).read_bytes()
    except FileNotFoundError:
        mark_failed(settings, document_id, "the uploaded file is missing from the data directory")
        return []
    folder = page_dir(settings, sha256)
    folder.mkdir(parents=True, exist_ok=True)
    reader = _PageReader(settings, engine_factory)
    rows = []
    try:
        with PageImageWriter() as writer:
            for page in stream_pages(data, settings.raster_dpi, Limits(settings.max_pages, settings.max_page_pixels),
                                     settings.text_layer):
                path = folder / f"page-{page.number:04d}.png"
                writer.write(path, page.image)
                rows.append({"number": page.number, "image_path": str(path), "width": page.image.width,
                             "height": page.image.height, "renderer": page.renderer, "ocr_seconds": None})
                reader.read(page)
                if on_page and page.number in reader.reads:
                    on_page(page.number, page.count)
                del page
                writer.wait()  # written while it was read; let go before the next page renders
            save_pages(settings, document_id, rows, reader.reads)  # while the last image is written
    except BadDocument as exc:
        mark_failed(settings, document_id, str(exc), traceback.format_exc())
        return []
    return [row["number"] for row in rows if row["number"] not in reader.reads]


def save_pages(settings: Settings, document_id: int, rows: list[dict], reads: dict[int, PageRead]) -> None:
    """Make the document's pages these rows, with the reads of those already read."""
    with session_scope(settings.database_url) as session:
        for page in repo.save_pages(session, repo.get_document(session, document_id, lock=True), rows):
            if page.number in reads:
                save_read(session, page, reads[page.number])


@dataclass(frozen=True)
class PageRead:
    """A page's lines as stored (on the page as uploaded), how it was prepared, the seconds it took."""

    rows: list[dict]
    preparation: dict = field(default_factory=lambda: dict(NOT_PREPARED))
    seconds: float = 0.0


@dataclass
class _PageReader:
    """Reads rendered pages while they are in memory: text-layer pages always, the others
    only with an engine factory (made once, at the first page that needs OCR)."""

    settings: Settings
    engine_factory: Callable[[], OcrEngine] | None
    reads: dict[int, PageRead] = field(default_factory=dict)
    engine: OcrEngine | None = None

    def read(self, page: RasterPage) -> None:
        if page.lines is not None:
            self.reads[page.number] = PageRead(line_rows(page.lines))
        elif self.engine_factory is not None:
            self.engine = self.engine or self.engine_factory()
            image = np.asarray(page.image)[:, :, ::-1]  # RGB → BGR, as the PNG reads back
            self.reads[page.number] = ocr_read(self.settings, self.engine, image, page.number)


def ocr_page(settings: Settings, engine: OcrEngine, document_id: int, number: int) -> int | None:
    """OCR one page and replace its lines; how many lines were read, or None when the document
    is already final (a late or repeated delivery changes nothing)."""
    with session_scope(settings.database_url) as session:
        if repo.get_document(session, document_id).status.is_final:
            return None
        image_path = repo.get_page(session, document_id, number).image_path
    image = cv2.imread(image_path, cv2.IMREAD_COLOR)
    if image is None:
        raise BadDocument(f"page {number} image is unreadable")
    read = ocr_read(settings, engine, image, number)
    with session_scope(settings.database_url) as session:
        save_read(session, repo.get_page(session, document_id, number), read)
    return len(read.rows)


def ocr_read(settings: Settings, engine: OcrEngine, image: np.ndarray, number: int) -> PageRead:
    """A BGR page prepared and OCR'd (``read_page``, then ``look_again`` where the settings allow),
    its lines put back on the page as uploaded."""
    started = time.perf_counter()
    lines, prepared = read_page(settings, engine, image, number)
    if settings.ocr_second_look:
        lines += look_again(engine, prepared.image, lines)
    seconds = time.perf_counter() - started
    preparation = {"rotation": prepared.rotation, "skew_degrees": prepared.skew_degrees,
                   "perspective": prepared.perspective, "to_original": prepared.to_original.tolist()}
    return PageRead(line_rows(map_lines(lines, prepared.to_original)), preparation, seconds)


def line_rows(lines: list[OcrLine]) -> list[dict]:
    """Lines as the rows ``repo.save_lines`` stores."""
    return [{"text": l.text, "score": l.score, "polygon": [list(p) for p in l.polygon], "angle": l.angle,
             "char_scores": list(l.char_scores) or None} for l in lines]


def save_read(session: Session, page: Page, read: PageRead) -> None:
    """Store a page's read: its preparation and lines (the page counts as read from now on)."""
    for key, value in read.preparation.items():
        setattr(page, key, value)
    repo.save_lines(session, page, read.rows, read.seconds)


def read_page(settings: Settings, engine: OcrEngine, image: np.ndarray, number: int) -> tuple[list[OcrLine], PreparedPage]:
    """Prepare a BGR page (the ``BILLFLOW_PREPROCESS_*`` steps) and OCR it. The lines are in the
    prepared (upright) page's pixels; ``map_lines(lines, prepared.to_original)`` puts them on the upload."""
    options = PrepareOptions(settings.preprocess_orientation, settings.preprocess_deskew,
                             settings.preprocess_perspective, settings.preprocess_illumination)
    prepared = prepare_page(np.ascontiguousarray(image), options, engine)
    return engine.read(prepared.image, page=number, polygons=prepared.polygons), prepared


def extraction_due(settings: Settings, document_id: int) -> bool:
    """True once every page is read: checked after saving a page, so the last one sees it."""
    with session_scope(settings.database_url) as session:
        return repo.unread_pages(session, document_id) == 0


def extract_fields(settings: Settings, document_id: int) -> Status:
    """Classify, extract and validate from the stored lines; save fields and the final status.

    An upload that holds several documents (``extractors.pages``: a sheet-feeder batch) keeps
    the first as itself and saves each other one as a part: a document of its own with the
    upload's page range, extracted here too. Reviewers' corrections in force are applied again.
    Runs once per processing: concurrent callers take turns on the document's row and a final
    document is left as it is. A replaced extraction is kept in the history under its version.
    The layouts people confirmed weigh in (``layout_memory``).
    """
    with session_scope(settings.database_url) as session:
        document = repo.get_document(session, document_id, lock=True)
        if document.status.is_final:
            return document.status
        lines = upright_lines(session, document)
        first, *others = page_ranges(document, lines)
        memory = layout_memory(settings, session)
        _extract_pages(settings, session, document, lines, first, memory)
        for pages in others:
            part = repo.save_part(session, document, pages.first, pages.last)
            _extract_pages(settings, session, part, lines, pages, memory)
        if document.parent_id is None:
            for part_id in repo.remove_parts(session, document, [pages.first for pages in others]):
                repo.record_event(session, part_id, "part_removed", "billflow", parent_id=document.id)
        return document.status


def page_ranges(document: Document, lines: list[OcrLine]) -> list[PageRange]:
    """The documents in an upload's pages; a part is its own page range."""
    if document.parent_id is not None:
        return [PageRange(document.first_page, document.last_page)]
    return split_pages(lines, [p.number for p in document.pages], document.requested_type)


def _extract_pages(settings: Settings, session: Session, document: Document, lines: list[OcrLine],
                   pages: PageRange, memory: LayoutMemory | None) -> None:
    """Extract ``document`` from the lines of its pages as a new version, with the corrections
    in force (of fields and of line items) applied again, and save it with the layout it read
    (``layout_reading``)."""
    repo.archive_extraction(session, document, Status(status_of(document.review_reasons)))
    result = extract_range(settings, lines, pages, document.requested_type, page_frames(document), memory)
    document.layout_reading = layout_reading(result)
    corrections, item_changes = repo.kept_corrections(session, document.id), kept_item_changes(session, document.id)
    if corrections or item_changes:
        result = corrected(result, corrections, settings.done_confidence, item_changes=item_changes)
    document.first_page, document.last_page = pages.first, pages.last
    document.extraction_version += 1
    save_result(session, document, result)


def layout_reading(result: Extraction) -> dict | None:
    """What ``documents.layout_reading`` keeps of an extraction, before any correction: its
    layout example (boxes in the upright pages' text frame) and the value it found for each
    field, given or withheld; None for a document of no template."""
    if result.example is None:
        return None
    values = {name: f.value for name, f in {**result.withheld, **result.fields}.items()}
    return {"example": result.example.to_data(), "values": values}


_MEMORIES: dict[str, tuple[tuple[int, int | None], LayoutMemory]] = {}  # database → (examples version, memory)


def layout_memory(settings: Settings, session: Session) -> LayoutMemory | None:
    """The layouts people confirmed (the newest ``MEMORY_EXAMPLES``), None when
    ``BILLFLOW_LAYOUT_MEMORY`` is off. Built once per process and database, and again when a
    confirmed layout was saved or deleted since."""
    if not settings.layout_memory:
        return None
    version = repo.layout_examples_version(session)
    cached = _MEMORIES.get(settings.database_url)
    if cached is None or cached[0] != version:
        examples = [Example.from_data(data) for data in repo.layout_examples(session, MEMORY_EXAMPLES)]
        cached = _MEMORIES[settings.database_url] = (version, LayoutMemory(examples))
    return cached[1]


def corrected(result: Extraction, corrections: list[tuple[str, str]], threshold: float | None,
              strict: bool = False, item_changes: Sequence[ItemCorrection] = ()) -> Extraction:
    """``apply_corrections`` to ``result``: reviewers' values of fields, and their changes to its
    line items (none: the items stay as they are)."""
    return apply_corrections(result, corrections, threshold, strict=strict, item_changes=item_changes)


def kept_item_changes(session: Session, document_id: int) -> list[ItemCorrection]:
    """The reviewers' changes to the document's line items in force, in the order they were made."""
    return [ItemCorrection(action, row, cells) for action, row, cells in repo.kept_item_corrections(session, document_id)]


def extract_range(settings: Settings, lines: list[OcrLine], pages: PageRange, requested_type: str | None,
                  to_page: dict[int, np.ndarray], memory: LayoutMemory | None = None) -> Extraction:
    """The document on ``pages`` of an upload, extracted from the upload's upright lines (those
    of its pages) with the confirmed layouts in ``memory``, its field boxes moved onto the pages
    as uploaded (``to_page``: ``page_frames``; its ``example`` stays upright)."""
    return on_upload(extract_document([l for l in lines if pages.first <= l.page <= pages.last], requested_type,
                                      threshold=settings.done_confidence, memory=memory), to_page)


def save_result(session: Session, document: Document, result: Extraction) -> None:
    """Store a judged result (an extraction, or stored fields with a correction applied): its
    fields, line items, type, template, review reasons and the status they give, and what they
    were judged on besides (the fields withheld, the doubts standing: ``stored_result`` gives
    them back for the next judgement)."""
    repo.save_result(session, document, [{"name": f.name, **stored_values(f)} for f in result.fields.values()],
                     item_rows(result.line_items), result.doc_type, result.template, result.reasons,
                     Status(result.status), {n: stored_values(f) for n, f in result.withheld.items()}, result.doubts)


def stored_values(found: ExtractedField) -> dict:
    """A field as the values ``repo`` stores of it (``repo.FIELD_VALUES``)."""
    return {"value": found.value, "normalized": found.normalized, "raw_text": found.raw_text,
            "confidence": found.confidence, "page": found.page, "bbox": found.bbox, "valid": found.valid,
            "violations": found.violations}


def item_rows(items: list[LineItem]) -> list[dict]:
    """Line items as the rows ``repo.save_line_items`` stores (a row without a box: None)."""
    return [{"row": i.row, **i.cells(), "page": i.page, "bbox": i.bbox or None, "confidence": i.confidence}
            for i in items]


def stored_result(document: Document) -> Extraction:
    """The document's stored fields, line items and verdict as the core's result (what a
    correction changes), with what the verdict was judged on besides: the fields withheld and
    the doubts standing."""
    fields = {f.name: stored_field(f.name, repo.field_values(f)) for f in document.fields}
    withheld = {name: stored_field(name, values) for name, values in (document.withheld or {}).items()}
    items = [LineItem(**{**repo.item_values(i), "bbox": i.bbox or []}) for i in document.line_items]
    return Extraction(document.doc_type, document.template, fields, list(document.review_reasons),
                      withheld=withheld, doubts=dict(document.doubts or {}), line_items=items)


def stored_field(name: str, values: dict) -> ExtractedField:
    """A field from the values ``repo`` stores of it (``stored_values``)."""
    return ExtractedField(name=name, value=values["value"], normalized=values["normalized"],
                          raw_text=values["raw_text"], confidence=values["confidence"], page=values["page"],
                          bbox=values["bbox"], violations=list(values["violations"]), how="stored")


def on_upload(result: Extraction, to_page: dict[int, np.ndarray]) -> Extraction:
    """``result`` with its field and line item boxes moved from the pages as prepared for OCR to
    the uploaded pages."""
    def moved(fields: dict[str, ExtractedField]) -> dict[str, ExtractedField]:
        return {n: replace(f, bbox=map_bbox(to_page[f.page], f.bbox)) if f.bbox and f.page in to_page else f
                for n, f in fields.items()}

    items = [replace(i, bbox=map_bbox(to_page[i.page], i.bbox)) if i.bbox and i.page in to_page else i
             for i in result.line_items]
    return replace(result, fields=moved(result.fields), withheld=moved(result.withheld), line_items=items)


def page_frames(document: Document) -> dict[int, np.ndarray]:
    """Page number → the 3×3 map from the page as prepared for OCR to the page as uploaded."""
    return {p.number: np.asarray(p.to_original) for p in document.pages if p.to_original}


def upright_lines(session: Session, document: Document) -> list[OcrLine]:
    """The document's stored lines in the pixels of their pages as prepared for OCR (upright,
    flattened), where extraction reads the layout; stored polygons lie on the uploaded pages."""
    to_upright = {n: np.linalg.inv(m) for n, m in page_frames(document).items()}
    lines = [OcrLine(text=l.text, score=l.score, polygon=tuple(tuple(p) for p in l.polygon), page=n, angle=l.angle,
                     char_scores=tuple(l.char_scores or ()))
             for n, l in repo.document_lines(session, document.id)]
    return [map_lines([l], to_upright[l.page])[0] if l.page in to_upright else l for l in lines]


def own_lines(session: Session, document: Document) -> list[OcrLine]:
    """``upright_lines`` of the pages the document covers: of an upload split into several
    documents, the first's (what its extraction read)."""
    lines = upright_lines(session, document)
    if document.first_page is None:
        return lines
    return [l for l in lines if document.first_page <= l.page <= document.last_page]


def mark_failed(settings: Settings, document_id: int, reason: str, detail: str | None = None) -> None:
    """Record a final failure with its one-line reason (first line, at most 500 characters) and
    the end of its traceback. A finished result is kept: a late duplicate's failure is no news."""
    line = (reason.strip().splitlines() or ["unknown error"])[0][:500]
    with session_scope(settings.database_url) as session:
        document = repo.get_document(session, document_id, lock=True)
        if document.status not in (Status.done, Status.needs_review):
            repo.set_status(session, document, Status.failed, line, detail[-TRACEBACK_CHARS:] if detail else None)


def requeue(settings: Settings, document_id: int) -> None:
    """Make a document ``queued`` again, its error cleared and its count of worker deaths reset,
    for a full run (retry, re-OCR)."""
    with session_scope(settings.database_url) as session:
        repo.requeue(session, repo.get_document(session, document_id, lock=True))


def worker_died(settings: Settings, document_id: int) -> bool:
    """Count a worker process that died running one of the document's tasks. The
    ``max_deliveries``-th death fails the document (it would kill every worker it reaches).
    True while the task may be delivered again; False once the document is final."""
    with session_scope(settings.database_url) as session:
        document = repo.get_document(session, document_id, lock=True)
        if document.status.is_final:
            return False
        document.deliveries += 1
        if document.deliveries < settings.max_deliveries:
            return True
        repo.set_status(session, document, Status.failed, f"worker died {document.deliveries} times on it")
        return False


def reextract(settings: Settings, document_id: int) -> Status:
    """Extract again from the stored OCR lines (after a template change): a new version whose
    predecessor is kept in the history. Needs every page OCR'd (else ValueError)."""
    with session_scope(settings.database_url) as session:
        document = repo.get_document(session, document_id, lock=True)
        if not document.pages or repo.unread_pages(session, document_id):
            raise ValueError(f"document {document_id} has no complete OCR to extract from: re-run it with --ocr")
        repo.set_status(session, document, Status.processing)
    return _guarded(settings, document_id, lambda: extract_fields(settings, document_id))


def _guarded(settings: Settings, document_id: int, run: Callable[[], object]) -> Status:
    """Run one document's work; any error fails only this document, with its traceback."""
    try:
        run()
    except Exception as exc:  # one document's failure must not stop the batch
        mark_failed(settings, document_id, failure_reason(exc), traceback.format_exc())
    with session_scope(settings.database_url) as session:
        return repo.get_document(session, document_id).status


def process_in_process(settings: Settings, engine_factory: Callable[[], OcrEngine], document_id: int,
                       on_page: Callable[[int, int], None] | None = None) -> Status:
    """Run the whole chain for one document in this process, each page read as it is rendered
    (``rasterize_document``); any error fails only this document."""
    def run() -> None:
        rasterize_document(settings, document_id, engine_factory, on_page)
        if extraction_due(settings, document_id):
            extract_fields(settings, document_id)

    return _guarded(settings, document_id, run)
