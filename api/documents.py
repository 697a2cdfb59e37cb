"""``/documents``: upload, list, read, page images, corrections (of fields and line items), confirmation and
reprocessing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, Response, UploadFile
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session

from api import store
from api.auth import reviewer
from api.overlay import draw_overlay, overlay_shapes, parse_overlay
from api.payloads import (
    CorrectionIn, CorrectionOut, DocumentDetail, DocumentId, DocumentList, DocumentSummary, EventOut, ItemCellsIn,
    ItemRow, LineOut, Moment, Deleted, NewItemIn, Offset, PageNumber, Submission, Submissions,
)
from db import repo
from db.models import Document, Page, Status
from db.session import session_scope
from extractors.corrections import InvalidCorrection, ItemCorrection
from extractors.template import load_templates
from workers import pipeline, review
from workers.settings import Settings

router = APIRouter(prefix="/documents", tags=["documents"], dependencies=[Depends(reviewer)])
PNG = {200: {"content": {"image/png": {}}, "description": "The page as PNG"}}


@contextmanager
def _session(request: Request) -> Iterator[Session]:
    with session_scope(request.app.state.settings.database_url) as session:
        yield session


def _document(session: Session, document_id: int, lock: bool = False) -> Document:
    try:
        return repo.get_document(session, document_id, lock=lock)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from None


def _page(session: Session, document_id: int, number: int) -> Page:
    try:
        return repo.get_page(session, document_id, number)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from None


def _known_type(doc_type: str | None) -> str | None:
    if doc_type is not None and doc_type not in load_templates():
        raise HTTPException(422, f"unknown document type {doc_type!r}; known: {', '.join(sorted(load_templates()))}")
    return doc_type


def _detail(session: Session, document: Document) -> DocumentDetail:
    return DocumentDetail.model_validate(document).model_copy(update={
        "missing_fields": store.missing_fields(document),
        "corrections": [CorrectionOut.model_validate(c) for c in store.corrections(session, document.id)],
        "events": [EventOut.model_validate(e) for e in repo.events(session, document.id)],
    })


@router.post("", status_code=202, response_model=Submissions)
def upload(
    request: Request,
    files: list[UploadFile] = File(..., description="One or more PDFs, images or multi-page TIFFs"),
    doc_type: str | None = Form(None, description="Document type (skips classification)"),
) -> Submissions:
    """Accept documents and queue them; the same bytes always give the same document id."""
    settings: Settings = request.app.state.settings
    _known_type(doc_type)
    limit = int(settings.max_file_mb * 1024 * 1024)
    too_large = [f.filename for f in files if f.size is not None and f.size > limit]
    if too_large:
        raise HTTPException(413, f"larger than {settings.max_file_mb:g} MB: {', '.join(map(str, too_large))}")
    accepted = [_submit(settings, f, limit, doc_type) for f in files]
    for item in accepted:
        if (item.created or item.requeued) and item.status == Status.queued:
            request.app.state.dispatcher.submit(item.id)
    return Submissions(documents=accepted)


def _submit(settings: Settings, upload: UploadFile, limit: int, doc_type: str | None) -> Submission:
    data = upload.file.read(limit + 1)
    if len(data) > limit:
        raise HTTPException(413, f"{upload.filename} is larger than {settings.max_file_mb:g} MB")
    submitted = pipeline.submit_bytes(settings, data, upload.filename or "unnamed", doc_type)
    return Submission(id=submitted.document_id, name=pipeline.safe_display_name(upload.filename or ""),
                      created=submitted.created, status=submitted.status, requeued=submitted.requeued)


@router.get("", response_model=DocumentList)
def list_documents(
    request: Request,
    status: Status | None = Query(None),
    doc_type: str | None = Query(None, alias="type", description="Document type"),
    created_from: Moment | None = Query(None, description="Uploaded at or after (date or date-time; UTC unless given)"),
    created_to: Moment | None = Query(None, description="Uploaded before"),
    limit: int = Query(50, ge=1, le=500),
    offset: Offset = 0,
) -> DocumentList:
    """Documents matching every filter given, oldest first, one page at a time."""
    filters = store.Filters(status, doc_type, created_from, created_to)
    with _session(request) as session:
        total, documents = store.search_documents(session, filters, limit, offset)
        return DocumentList(total=total, limit=limit, offset=offset,
                            items=[DocumentSummary.model_validate(d) for d in documents])


@router.get("/{document_id}", response_model=DocumentDetail)
def get_document(request: Request, document_id: DocumentId) -> DocumentDetail:
    """Status, pages, fields with value, confidence, page, box and violations, line items (an
    invoice's goods table), review reasons and the corrections made so far."""
    with _session(request) as session:
        return _detail(session, _document(session, document_id))


@router.get("/{document_id}/pages/{number}", response_class=Response, responses=PNG)
def page_image(
    request: Request, document_id: DocumentId, number: PageNumber,
    overlay: str | None = Query(None, description="Boxes to draw: lines, fields, items (line item rows), "
                                "or several: lines,fields"),
) -> Response:
    """The rendered page; with ``overlay``, OCR line boxes (blue), field boxes (green, red when
    a field has violations) and line item rows (orange) drawn on it."""
    try:
        layers = parse_overlay(overlay)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    with _session(request) as session:
        page = _page(session, document_id, number)
        path = Path(page.image_path)
        shapes = overlay_shapes(page, layers)
    if not path.is_file():
        raise HTTPException(404, f"the image of page {number} is missing from the data directory")
    if not layers:
        return FileResponse(path, media_type="image/png")
    return Response(draw_overlay(path, *shapes), media_type="image/png")


@router.get("/{document_id}/pages/{number}/lines", response_model=list[LineOut])
def page_lines(request: Request, document_id: DocumentId, number: PageNumber) -> list[LineOut]:
    """The page's OCR lines with their text, score and polygon, in reading order."""
    with _session(request) as session:
        return [LineOut.model_validate(line) for line in _page(session, document_id, number).lines]


@router.patch("/{document_id}/fields/{name}", response_model=DocumentDetail)
def correct_field(request: Request, document_id: DocumentId, name: str, body: CorrectionIn,
                  who: str = Depends(reviewer)) -> DocumentDetail:
    """A reviewer's value for a field (also one that was not found). It is parsed, validated with
    the document's schema and rules like OCR output, kept with confidence 1.0, recorded with the
    old value, the reviewer and the time (fields derived from it that change are audited too),
    and applied again whenever the document is reprocessed; the document is done when no review
    reason remains."""
    return _reviewed(request, document_id, lambda: review.correct_field(
        request.app.state.settings, document_id, name, body.value, _actor(request, who)))


@router.patch("/{document_id}/items/{row}", response_model=DocumentDetail)
def correct_item(request: Request, document_id: DocumentId, row: ItemRow, body: ItemCellsIn,
                 who: str = Depends(reviewer)) -> DocumentDetail:
    """A reviewer's values for cells of one line item (a misread quantity or amount), parsed as
    extraction reads the cell (422 for a value not of its kind, an unknown cell or row); the row
    is kept with confidence 1.0, the rules on items (their sum against the total, quantity ×
    price, amount × rate) and the document's review are judged again: it is done when no
    reason remains. Audited, and applied again whenever the document is reprocessed."""
    return _item_changed(request, document_id, ItemCorrection("correct", row, body.cells), who)


@router.delete("/{document_id}/items/{row}", response_model=DocumentDetail)
def delete_item(request: Request, document_id: DocumentId, row: ItemRow, who: str = Depends(reviewer)) -> DocumentDetail:
    """Remove a spurious line item; the rows after it move up a number and the document is
    judged again. Audited, and made again whenever the document is reprocessed."""
    return _item_changed(request, document_id, ItemCorrection("delete", row), who)


@router.post("/{document_id}/items", status_code=201, response_model=DocumentDetail)
def add_item(request: Request, document_id: DocumentId, body: NewItemIn, who: str = Depends(reviewer)) -> DocumentDetail:
    """Add a line item the extraction missed, its cells parsed as a correction's (at least one
    given), at confidence 1.0, as row ``row`` (default: after the last); the document is judged
    again. Audited, and made again whenever the document is reprocessed."""
    return _item_changed(request, document_id, ItemCorrection("add", body.row, body.cells), who)


def _item_changed(request: Request, document_id: int, change: ItemCorrection, who: str) -> DocumentDetail:
    return _reviewed(request, document_id, lambda: review.correct_items(
        request.app.state.settings, document_id, change, _actor(request, who)))


@router.post("/{document_id}/confirm", response_model=DocumentDetail)
def confirm(request: Request, document_id: DocumentId, who: str = Depends(reviewer)) -> DocumentDetail:
    """A reviewer confirms that every value shown is right: fields and line items are kept with
    confidence 1.0 and the document becomes done; where the values no correction changed lay is
    remembered for documents of the same layout (their values found there count as surer).
    409 while a required field is missing or a rule objects to a value: correct it first.
    Audited with the caller; confirming again replaces what was remembered."""
    return _reviewed(request, document_id, lambda: review.confirm_document(
        request.app.state.settings, document_id, _actor(request, who)))


def _reviewed(request: Request, document_id: int, act: Callable[[], object]) -> DocumentDetail:
    """The document once a reviewer's ``act`` on it is done: 404 when there is none, 422 for a
    value refused (``InvalidCorrection``), 409 when it is in no state for it (``review.Conflict``)."""
    with _session(request) as session:
        _document(session, document_id)
    try:
        act()
    except InvalidCorrection as exc:
        raise HTTPException(422, str(exc)) from None
    except review.Conflict as exc:
        raise HTTPException(409, str(exc)) from None
    with _session(request) as session:
        return _detail(session, _document(session, document_id))


def _actor(request: Request, who: str) -> review.Actor:
    """The caller as recorded in the audit trail: its name and the user its token names."""
    return review.Actor(who, "api", request.state.token_user)


@router.post("/{document_id}/reprocess", status_code=202, response_model=DocumentSummary)
def reprocess(request: Request, document_id: DocumentId,
              doc_type: str | None = Query(None, alias="type", description="Process as this type"),
              discard_corrections: bool = Query(False, description="Drop reviewers' corrections instead of applying "
                                                "them again (they stay in the audit trail)"),
              who: str = Depends(reviewer)) -> DocumentSummary:
    """Run the whole chain again from the stored upload (rasterize, OCR, extract, validate),
    with the parts split out of it; reviewers' corrections are applied again unless discarded.
    Recorded in the audit trail with the caller."""
    settings: Settings = request.app.state.settings
    with _session(request) as session:
        document = _document(session, document_id, lock=True)
        try:
            store.check_rerunnable(document, pipeline.original_path(settings, document.sha256))
        except store.Conflict as exc:
            raise HTTPException(409, str(exc)) from None
        document.requested_type = _known_type(doc_type) or document.requested_type
    review.record_reprocess(settings, document_id, _actor(request, who), ocr=True,
                            discard_corrections=discard_corrections)
    pipeline.requeue(settings, document_id)
    request.app.state.dispatcher.submit(document_id)
    with _session(request) as session:
        return DocumentSummary.model_validate(_document(session, document_id))


@router.delete("/{document_id}", response_model=Deleted)
def delete_document(request: Request, document_id: DocumentId, who: str = Depends(reviewer)) -> Deleted:
    """Delete the document for good: its rows, page images and stored upload, with the documents
    split out of its upload. Recorded in the audit trail with the caller."""
    try:
        deleted = review.delete_document(request.app.state.settings, document_id, _actor(request, who))
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from None
    except review.Conflict as exc:
        raise HTTPException(409, str(exc)) from None
    return Deleted(deleted=deleted)
