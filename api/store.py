"""The API's reads and writes: document search, corrections with their audit trail, reprocessing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.review import PERSON, Current, evaluate, parse_correction, rederived, variant_of
from db.models import Document, Field, FieldCorrection, Status
from extractors.extract import Review
from extractors.template import Template, load_templates


class Conflict(RuntimeError):
    """The document is in no state for this request (still processing, no template)."""


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


def template_of(document: Document) -> Template:
    """The template the document was extracted with; Conflict when it has none or is not final."""
    if document.status not in (Status.done, Status.needs_review):
        raise Conflict(f"document {document.id} is {document.status.value}: only processed documents can be corrected")
    template = load_templates().get(document.doc_type or "")
    if template is None:
        raise Conflict(f"document {document.id} has no template to check corrections against")
    return template


def missing_fields(document: Document) -> list[str]:
    """Required fields of the document's variant that were not found (a reviewer may add them)."""
    template = load_templates().get(document.doc_type or "")
    if template is None:
        return []
    present = {f.name for f in document.fields}
    return [s.name for s in variant_of(template, document.template).fields if s.required and s.name not in present]


def correct_field(session: Session, document: Document, name: str, text: str, reviewer: str,
                  threshold: float | None = None) -> None:
    """Set field ``name`` to the reviewer's ``text`` (parsed, confidence 1.0), record the change,
    re-derive what depends on it, re-validate every field and re-evaluate the status (done when
    every confidence reaches ``threshold``, default the calibrated model's)."""
    template = template_of(document)
    variant = variant_of(template, document.template)
    parsed = parse_correction(template, variant, name, text)
    fields = {f.name: f for f in document.fields}
    old = fields.get(name)
    session.add(FieldCorrection(document_id=document.id, field=name, old_value=old.value if old else None,
                                new_value=parsed.value, reviewer=reviewer))
    _set(document, fields, name, Current(parsed.value, parsed.normalized, PERSON), provenance=old)
    if name == template.variant_field:
        variant = variant_of(template, f"{template.doc_type}/{parsed.value}")
        document.template = f"{template.doc_type}/{variant.name}"
    for derived, value in rederived(template, name, _current(fields)).items():
        _set(document, fields, derived, value, provenance=fields[name])
    _apply(document, fields, evaluate(template, variant, _current(fields), threshold=threshold))
    session.flush()


def _current(fields: dict[str, Field]) -> dict[str, Current]:
    return {name: Current(f.value, f.normalized, f.confidence) for name, f in fields.items()}


def _set(document: Document, fields: dict[str, Field], name: str, value: Current | None, provenance: Field | None) -> None:
    """Write one field's value; None removes it. A new field takes page and box from ``provenance``."""
    if value is None:
        if name in fields:
            document.fields.remove(fields.pop(name))
        return
    if name not in fields:
        fields[name] = Field(name=name, raw_text=None, page=provenance.page if provenance else None,
                             bbox=provenance.bbox if provenance else None, violations=[])
        document.fields.append(fields[name])
    field = fields[name]
    field.value, field.normalized, field.confidence = value.value, value.normalized, value.confidence


def _apply(document: Document, fields: dict[str, Field], evaluation: Review) -> None:
    for name, field in fields.items():
        field.violations = evaluation.violations.get(name, [])
        field.valid = not field.violations
    document.review_reasons = evaluation.reasons
    document.status = Status.needs_review if evaluation.reasons else Status.done


def check_rerunnable(document: Document, original: Path) -> None:
    """Conflict unless the document can run again from its stored upload."""
    if document.status == Status.processing:
        raise Conflict(f"document {document.id} is being processed")
    if not original.exists():
        raise Conflict(f"document {document.id} was never stored ({document.error or 'its upload is missing'}): "
                       "upload the file again")
