"""The idempotent reads and writes the tasks need: re-running any of them gives the same rows."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from db.models import (
    AuditEvent, Document, Extraction, Field, FieldCorrection, LayoutExample, LineItem, LineItemCorrection, OcrLine, Page,
    Status,
)

FIELD_VALUES = ("value", "normalized", "raw_text", "confidence", "page", "bbox", "valid", "violations")
PAGE_VALUES = ("number", "image_path", "width", "height", "renderer", "ocr_seconds", "rotation", "skew_degrees",
               "perspective", "to_original")
LINE_VALUES = ("text", "score", "polygon", "angle", "char_scores")
ITEM_VALUES = ("row", "name", "specification", "unit", "quantity", "unit_price", "amount", "tax_rate", "tax",
               "page", "bbox", "confidence")


def get_or_create_document(
    session: Session, *, sha256: str, original_name: str, media_type: str | None,
    size_bytes: int, requested_type: str | None,
) -> tuple[Document, bool]:
    """The document with these bytes, created as ``queued`` if new; True when it was created."""
    existing = session.scalar(select(Document).where(Document.sha256 == sha256))
    if existing is not None:
        return existing, False
    document = Document(
        sha256=sha256, original_name=original_name, media_type=media_type, size_bytes=size_bytes,
        requested_type=requested_type, status=Status.queued, review_reasons=[],
    )
    try:
        with session.begin_nested():
            session.add(document)
    except IntegrityError:
        return session.scalars(select(Document).where(Document.sha256 == sha256)).one(), False
    return document, True


def get_document(session: Session, document_id: int, lock: bool = False) -> Document:
    """The document with this id; raises LookupError when there is none. ``lock`` holds its row
    until commit (PostgreSQL), so that concurrent deliveries of one task take turns."""
    document = session.get(Document, document_id, with_for_update=lock or None, populate_existing=lock)
    if document is None:
        raise LookupError(f"no document {document_id}")
    return document


def find_document(session: Session, ref: str) -> Document:
    """A document by numeric id or by a unique sha256 prefix (at least 6 characters)."""
    if ref.isdigit():
        return get_document(session, int(ref))
    if len(ref) >= 6:
        matches = session.scalars(select(Document).where(Document.sha256.startswith(ref.lower()))).all()
        if len(matches) == 1:
            return matches[0]
    raise LookupError(f"no single document matches {ref!r}")


def set_status(session: Session, document: Document, status: Status, error: str | None = None,
               detail: str | None = None) -> None:
    """Set the status with its one-line reason and, for failures, a short traceback."""
    document.status = status
    document.error = error
    document.error_detail = detail
    session.flush()


def requeue(session: Session, document: Document) -> None:
    """Make the document ``queued`` for a full run: its error cleared, its count of worker deaths reset."""
    document.deliveries = 0
    set_status(session, document, Status.queued)


def save_pages(session: Session, document: Document, pages: Sequence[dict[str, Any]]) -> list[Page]:
    """Make the document's pages exactly ``pages`` (keyed by ``number``); extra old pages go."""
    by_number = {page.number: page for page in document.pages}
    wanted = {p["number"] for p in pages}
    for number, page in by_number.items():
        if number not in wanted:
            document.pages.remove(page)
    for data in pages:
        page = by_number.get(data["number"])
        if page is None:
            page = Page(**data)
            document.pages.append(page)
        else:
            for key, value in data.items():
                setattr(page, key, value)
    document.page_count = len(pages)
    session.flush()
    return sorted(document.pages, key=lambda p: p.number)


def get_page(session: Session, document_id: int, number: int) -> Page:
    page = session.scalar(select(Page).where(Page.document_id == document_id, Page.number == number))
    if page is None:
        raise LookupError(f"document {document_id} has no page {number}")
    return page


def save_lines(session: Session, page: Page, lines: Iterable[dict[str, Any]], ocr_seconds: float) -> None:
    """Replace the page's OCR lines with ``lines`` (indexed in the given order); concurrent
    writers of one page take turns (its row is locked) instead of colliding on the indexes."""
    session.execute(select(Page.id).where(Page.id == page.id).with_for_update())
    session.execute(delete(OcrLine).where(OcrLine.page_id == page.id))
    session.add_all(OcrLine(page_id=page.id, index=i, **line) for i, line in enumerate(lines))
    page.ocr_seconds = ocr_seconds
    session.flush()
    session.expire(page, ["lines"])


def document_lines(session: Session, document_id: int) -> list[tuple[int, OcrLine]]:
    """Every OCR line of the document as ``(page number, line)`` in page and line order."""
    rows = session.execute(
        select(Page.number, OcrLine).join(OcrLine.page)
        .where(Page.document_id == document_id).order_by(Page.number, OcrLine.index)
    )
    return [(number, line) for number, line in rows]


def unread_pages(session: Session, document_id: int) -> int:
    """How many of the document's pages have not been OCR'd since they were last rendered."""
    return session.scalar(select(func.count()).where(Page.document_id == document_id, Page.ocr_seconds.is_(None)))


def archive_extraction(session: Session, document: Document, status: Status) -> None:
    """Keep the current extraction (fields, type, ``status``: its verdict) under its version
    number before a newer one replaces it; nothing happens when there is none or it is already kept."""
    version = document.extraction_version
    kept = select(Extraction.id).where(Extraction.document_id == document.id, Extraction.version == version)
    if not version or session.scalar(kept) is not None:
        return
    session.add(Extraction(
        document_id=document.id, version=version, doc_type=document.doc_type, template=document.template,
        status=status,
        review_reasons=list(document.review_reasons),
        fields={f.name: field_values(f) for f in document.fields},
        line_items=[item_values(item) for item in document.line_items],
    ))
    session.flush()


def save_fields(session: Session, document: Document, fields: Iterable[dict[str, Any]]) -> None:
    """Replace the document's extracted fields (one row per field name)."""
    session.execute(delete(Field).where(Field.document_id == document.id))
    session.add_all(Field(document_id=document.id, **data) for data in fields)
    session.flush()
    session.expire(document, ["fields"])


def field_values(field: Field) -> dict[str, Any]:
    """A stored field's ``FIELD_VALUES``."""
    return {key: getattr(field, key) for key in FIELD_VALUES}


def save_line_items(session: Session, document: Document, items: Iterable[dict[str, Any]]) -> None:
    """Replace the document's line items (``ITEM_VALUES`` each, one row per ``row`` number)."""
    session.execute(delete(LineItem).where(LineItem.document_id == document.id))
    session.add_all(LineItem(document_id=document.id, **data) for data in items)
    session.flush()
    session.expire(document, ["line_items"])


def item_values(item: LineItem) -> dict[str, Any]:
    """A stored line item as the dict ``save_line_items`` takes."""
    return {key: getattr(item, key) for key in ITEM_VALUES}


def save_result(session: Session, document: Document, fields: Iterable[dict[str, Any]],
                items: Iterable[dict[str, Any]], doc_type: str | None, template: str | None, reasons: list[str],
                status: Status, withheld: dict[str, dict[str, Any]], doubts: dict[str, str]) -> None:
    """Make ``fields`` and ``items`` (its line items) the document's values, with the type,
    template, review reasons and status they were judged to give (after an extraction and after
    a correction alike) and what they were judged on besides (``withheld``: name →
    ``FIELD_VALUES``; ``doubts``: name → why)."""
    save_fields(session, document, fields)
    save_line_items(session, document, items)
    document.doc_type, document.template, document.review_reasons = doc_type, template, list(reasons)
    document.withheld, document.doubts = dict(withheld), dict(doubts)
    set_status(session, document, status)


def save_part(session: Session, parent: Document, first: int, last: int) -> Document:
    """The document holding pages ``first``..``last`` of ``parent``'s upload (one of several
    documents in it), made or updated with copies of those pages and their OCR lines (page
    numbers stay the upload's). A part is known by its first page: it keeps its id, fields and
    corrections when the upload is processed again."""
    part = session.scalar(select(Document).where(Document.parent_id == parent.id, Document.first_page == first))
    if part is None:
        part = Document(sha256=hashlib.sha256(f"{parent.sha256} from page {first}".encode()).hexdigest(),
                        original_name=parent.original_name, media_type=parent.media_type,
                        size_bytes=parent.size_bytes, parent_id=parent.id, first_page=first,
                        status=Status.processing, review_reasons=[])
        session.add(part)
    part.last_page, part.requested_type = last, parent.requested_type
    source = [p for p in parent.pages if first <= p.number <= last]
    copies = save_pages(session, part, [{key: getattr(p, key) for key in PAGE_VALUES} for p in source])
    for page, copy in zip(source, copies):
        save_lines(session, copy, [{key: getattr(l, key) for key in LINE_VALUES} for l in page.lines], page.ocr_seconds)
    return part


def remove_parts(session: Session, parent: Document, keep: Sequence[int]) -> list[int]:
    """Delete the parts of ``parent`` whose first page is not in ``keep`` (the upload now splits
    otherwise); their ids."""
    gone = [p for p in parts_of(session, parent.id) if p.first_page not in keep]
    for part in gone:
        session.delete(part)
    session.flush()
    return [p.id for p in gone]


def parts_of(session: Session, document_id: int) -> list[Document]:
    """The documents split out of this one's upload, in page order."""
    return list(session.scalars(select(Document).where(Document.parent_id == document_id).order_by(Document.first_page)))


def add_correction(session: Session, document_id: int, field: str, old: str | None, new: str | None,
                   reviewer: str) -> None:
    session.add(FieldCorrection(document_id=document_id, field=field, old_value=old, new_value=new, reviewer=reviewer))
    session.flush()


def kept_corrections(session: Session, document_id: int) -> list[tuple[str, str]]:
    """The reviewers' values in force, ``(field, value)``: each field's latest correction not
    discarded, in the order they were made."""
    latest = {row.field: row for row in _in_force(session, FieldCorrection, document_id)}
    return [(row.field, row.new_value) for row in sorted(latest.values(), key=lambda r: r.id) if row.new_value is not None]


def add_item_correction(session: Session, document_id: int, action: str, row: int | None,
                        cells: dict[str, str | None], old: dict[str, str | None] | None, reviewer: str) -> None:
    """Keep a reviewer's change to the document's line items (``LineItemCorrection``)."""
    session.add(LineItemCorrection(document_id=document_id, action=action, row=row, cells=cells, old=old,
                                   reviewer=reviewer))
    session.flush()


def kept_item_corrections(session: Session, document_id: int) -> list[tuple[str, int | None, dict[str, str | None]]]:
    """The reviewers' changes to the line items in force, ``(action, row, cells)``: every one
    not discarded, in the order they were made (each counts the rows as the one before left them)."""
    return [(row.action, row.row, dict(row.cells)) for row in _in_force(session, LineItemCorrection, document_id)]


def _in_force(session: Session, model: type[FieldCorrection] | type[LineItemCorrection],
              document_id: int) -> list[FieldCorrection] | list[LineItemCorrection]:
    """The document's corrections of ``model`` not discarded, in the order they were made."""
    return list(session.scalars(select(model).where(model.document_id == document_id, model.discarded.is_(False))
                                .order_by(model.id)))


def discard_corrections(session: Session, document_id: int) -> list[str]:
    """Mark the document's corrections, of fields and of line items, discarded (kept in the
    trail, never applied again); the fields they were for, and ``line items`` when there were
    changes to those."""
    fields = _in_force(session, FieldCorrection, document_id)
    items = _in_force(session, LineItemCorrection, document_id)
    for row in [*fields, *items]:
        row.discarded = True
    session.flush()
    return list(dict.fromkeys(row.field for row in fields)) + (["line items"] if items else [])


def save_layout_example(session: Session, document_id: int, doc_type: str, example: dict[str, Any],
                        actor: str) -> None:
    """Make ``example`` the document's confirmed layout, replacing the one it had (a new row, with
    a new id: ``layout_examples_version`` sees the change)."""
    session.execute(delete(LayoutExample).where(LayoutExample.document_id == document_id))
    session.add(LayoutExample(document_id=document_id, doc_type=doc_type, example=example, actor=actor[:128]))
    session.flush()


def layout_examples_version(session: Session) -> tuple[int, int | None]:
    """(count, largest id) of the confirmed layouts: changes whenever one is saved or deleted."""
    return tuple(session.execute(select(func.count(), func.max(LayoutExample.id))).one())


def layout_examples(session: Session, limit: int = 2000) -> list[dict[str, Any]]:
    """The ``limit`` newest confirmed layouts' examples, oldest first."""
    newest = session.scalars(select(LayoutExample.example).order_by(LayoutExample.id.desc()).limit(limit)).all()
    return list(reversed(newest))


def delete_documents(session: Session, ids: Sequence[int]) -> None:
    """Delete these documents with all that is theirs: pages, lines, fields, line items, earlier
    extractions, corrections of fields and of line items, confirmed layouts (the database
    cascades). ``audit_events`` keeps their records."""
    session.execute(delete(Document).where(Document.id.in_(ids)), execution_options={"synchronize_session": False})


def images_in_use(session: Session, paths: Iterable[str]) -> set[str]:
    """Those of ``paths`` a page still shows (a part's pages show its upload's images)."""
    return set(session.scalars(select(Page.image_path).where(Page.image_path.in_(list(paths)))))


def record_event(session: Session, document_id: int | None, action: str, actor: str, **detail: Any) -> None:
    """Add one act on a document to ``audit_events`` (who, what, when; never updated)."""
    session.add(AuditEvent(document_id=document_id, action=action, actor=actor[:128], detail=detail))
    session.flush()


def events(session: Session, document_id: int) -> list[AuditEvent]:
    """The acts on the document, oldest first."""
    return list(session.scalars(select(AuditEvent).where(AuditEvent.document_id == document_id).order_by(AuditEvent.id)))


def list_documents(session: Session, status: Status | None = None, limit: int = 100) -> list[Document]:
    """Newest first, optionally only those with ``status``; fields and line items loaded."""
    query = (select(Document).options(selectinload(Document.fields), selectinload(Document.line_items))
             .order_by(Document.id.desc()).limit(limit))
    if status is not None:
        query = query.where(Document.status == status)
    return list(session.scalars(query))
