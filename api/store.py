"""The API's reads and writes: document search, corrections with their audit trail, reprocessing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Document, FieldCorrection, Status
from extractors.corrections import variant_of
from extractors.template import load_templates
from workers.review import Conflict, whole_upload_problem


@dataclass(frozen=True)
class Filters:
    status: Status | None = None
    doc_type: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None


def search_documents(session: Session, filters: Filters, limit: int, offset: int) -> tuple[int, list[Document]]:
    """The total matching ``filters`` and one page of them, oldest first (a review queue's order)."""
    query = select(Document)
    if filters.status is not None:
        query = query.where(Document.status == filters.status)
    if filters.doc_type is not None:
        query = query.where(Document.doc_type == filters.doc_type)
    if filters.created_from is not None:
        query = query.where(Document.created_at >= filters.created_from)
    if filters.created_to is not None:
        query = query.where(Document.created_at < filters.created_to)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    page = session.scalars(query.order_by(Document.id).limit(limit).offset(offset))
    return total, list(page)


def corrections(session: Session, document_id: int) -> list[FieldCorrection]:
    return list(session.scalars(
        select(FieldCorrection).where(FieldCorrection.document_id == document_id).order_by(FieldCorrection.id)
    ))


def pending_ids(session: Session) -> list[int]:
    """Documents accepted but not finished (left behind when an in-process API stopped)."""
    return list(session.scalars(
        select(Document.id).where(Document.status.in_((Status.queued, Status.processing))).order_by(Document.id)
    ))


def missing_fields(document: Document) -> list[str]:
    """Required fields of the document's variant that were not found (a reviewer may add them)."""
    template = load_templates().get(document.doc_type or "")
    if template is None:
        return []
    present = {f.name for f in document.fields}
    return [s.name for s in variant_of(template, document.template).fields if s.required and s.name not in present]


def check_rerunnable(document: Document, original: Path) -> None:
    """Conflict unless the document can run again from its stored upload."""
    if problem := whole_upload_problem(document):
        raise Conflict(problem)
    if document.status == Status.processing:
        raise Conflict(f"document {document.id} is being processed")
    if not original.exists():
        raise Conflict(f"document {document.id} was never stored ({document.error or 'its upload is missing'}): "
                       "upload the file again")
