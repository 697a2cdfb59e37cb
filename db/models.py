"""Typed models: Document → Page → OcrLine, Document → Field and Document → LineItem, with provenance."""

from __future__ import annotations

import enum
from datetime import datetime, timezone

from sqlalchemy import JSON, DateTime, Enum, ForeignKey, MetaData, String, Text, UniqueConstraint, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: DateTime(timezone=True)}


class Status(str, enum.Enum):
    """A document's lifecycle; done, needs_review and failed are final."""

    queued = "queued"
    processing = "processing"
    done = "done"
    needs_review = "needs_review"
    failed = "failed"

    @property
    def is_final(self) -> bool:
        return self in (Status.done, Status.needs_review, Status.failed)


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str | None] = mapped_column(String(64))
    size_bytes: Mapped[int]
    page_count: Mapped[int | None]
    requested_type: Mapped[str | None] = mapped_column(String(64))
    doc_type: Mapped[str | None] = mapped_column(String(64))
    template: Mapped[str | None] = mapped_column(String(128))
    status: Mapped[Status] = mapped_column(
        Enum(Status, native_enum=False, length=16, validate_strings=True), index=True
    )
    error: Mapped[str | None] = mapped_column(Text)
    error_detail: Mapped[str | None] = mapped_column(Text)
    review_reasons: Mapped[list] = mapped_column(JSON, default=list)
    extraction_version: Mapped[int] = mapped_column(default=0)
    deliveries: Mapped[int] = mapped_column(default=0, server_default="0")  # worker deaths on it since queued
    # one of several documents in one upload (a sheet-feeder batch): the upload's document and
    # the pages of the upload this one covers (page numbers are the upload's); None before extraction
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    first_page: Mapped[int | None]
    last_page: Mapped[int | None]
    # the latest extraction's layout (``extractors.layouts.Example.to_data()`` under "example", in
    # the upright pages' text frame) and the value it found for each field ("values"): what a
    # person's confirmation teaches (``LayoutExample``); None before any extraction
    layout_reading: Mapped[dict | None] = mapped_column(JSON)
    # what the rules judged the values on besides the fields given: the optional fields withheld
    # as too unsure to give (name → ``repo.FIELD_VALUES``, never shown) and the doubts about
    # readings still standing (name → why); a correction judges the document on them again.
    # None: saved before they were kept
    withheld: Mapped[dict | None] = mapped_column(JSON)
    doubts: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    pages: Mapped[list[Page]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="Page.number"
    )
    fields: Mapped[list[Field]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="Field.id"
    )
    line_items: Mapped[list[LineItem]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="LineItem.row"
    )
    extractions: Mapped[list[Extraction]] = relationship(
        cascade="all, delete-orphan", order_by="Extraction.version"
    )
    parts: Mapped[list[Document]] = relationship(
        cascade="all, delete-orphan", order_by="Document.first_page", passive_deletes=True
    )


class Page(Base):
    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    number: Mapped[int]
    image_path: Mapped[str] = mapped_column(String(512))
    width: Mapped[int]
    height: Mapped[int]
    renderer: Mapped[str] = mapped_column(String(32))
    ocr_seconds: Mapped[float | None]
    # page preparation (workers.preprocess): clockwise turn to upright, tilt removed, photo
    # flattened, and the 3×3 map from the prepared image to this page's pixels (None: identity)
    rotation: Mapped[int] = mapped_column(default=0)
    skew_degrees: Mapped[float] = mapped_column(default=0.0)
    perspective: Mapped[bool] = mapped_column(default=False)
    to_original: Mapped[list | None] = mapped_column(JSON)

    document: Mapped[Document] = relationship(back_populates="pages")
    lines: Mapped[list[OcrLine]] = relationship(
        back_populates="page", cascade="all, delete-orphan", order_by="OcrLine.index"
    )


class OcrLine(Base):
    __tablename__ = "ocr_lines"
    __table_args__ = (UniqueConstraint("page_id", "index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"))
    index: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    score: Mapped[float]
    polygon: Mapped[list] = mapped_column(JSON)
    angle: Mapped[int] = mapped_column(default=0)
    char_scores: Mapped[list | None] = mapped_column(JSON)  # each character's probability

    page: Mapped[Page] = relationship(back_populates="lines")


class Field(Base):
    __tablename__ = "fields"
    __table_args__ = (UniqueConstraint("document_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(64))
    value: Mapped[str | None] = mapped_column(Text)
    normalized: Mapped[dict | list | str | None] = mapped_column(JSON)
    raw_text: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[float | None]
    page: Mapped[int | None]
    bbox: Mapped[list | None] = mapped_column(JSON)
    valid: Mapped[bool] = mapped_column(default=True)
    violations: Mapped[list] = mapped_column(JSON, default=list)

    document: Mapped[Document] = relationship(back_populates="fields")


class LineItem(Base):
    """One row of a document's item table (an invoice's goods and services), ``row`` from 1 in
    reading order. Cells are normalized strings (``"100.00"``; ``tax_rate`` a fraction such as
    ``"0.13"``), None when not printed or not read; ``bbox`` boxes the whole row on ``page``."""

    __tablename__ = "line_items"
    __table_args__ = (UniqueConstraint("document_id", "row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    row: Mapped[int]
    name: Mapped[str | None] = mapped_column(Text)
    specification: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(Text)
    quantity: Mapped[str | None] = mapped_column(Text)
    unit_price: Mapped[str | None] = mapped_column(Text)
    amount: Mapped[str | None] = mapped_column(Text)
    tax_rate: Mapped[str | None] = mapped_column(Text)
    tax: Mapped[str | None] = mapped_column(Text)
    page: Mapped[int]
    bbox: Mapped[list | None] = mapped_column(JSON)  # x0, y0, x1, y1 in page pixels; None: not located
    confidence: Mapped[float]  # its weakest cell's

    document: Mapped[Document] = relationship(back_populates="line_items")


class Extraction(Base):
    """An earlier extraction of a document, kept when a newer one replaced it; never updated."""

    __tablename__ = "extractions"
    __table_args__ = (UniqueConstraint("document_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    version: Mapped[int]
    doc_type: Mapped[str | None] = mapped_column(String(64))
    template: Mapped[str | None] = mapped_column(String(128))
    status: Mapped[Status] = mapped_column(Enum(Status, native_enum=False, length=16, validate_strings=True))
    review_reasons: Mapped[list] = mapped_column(JSON, default=list)
    fields: Mapped[dict] = mapped_column(JSON)
    line_items: Mapped[list | None] = mapped_column(JSON)  # None: kept before items were recorded
    replaced_at: Mapped[datetime] = mapped_column(default=utcnow)


class FieldCorrection(Base):
    """The audit trail of reviewers' corrections: one row per change. The latest of a field's
    corrections is applied again whenever the document is extracted again, until a reprocess
    that discards corrections marks it ``discarded`` (its only update)."""

    __tablename__ = "field_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(128))
    corrected_at: Mapped[datetime] = mapped_column(default=utcnow)
    discarded: Mapped[bool] = mapped_column(default=False, server_default=false())


class LineItemCorrection(Base):
    """The audit trail of reviewers' changes to a document's line items: one row per change,
    ``action`` correct (``cells`` of ``row`` set), delete (``row`` removed) or add (a row of
    ``cells`` added as row ``row``; None: after the last), rows numbered as shown then; cells
    are the values given (None: cleared), ``old`` those replaced. Every change not discarded is
    made again, in order, whenever the document is extracted again, until a reprocess that
    discards corrections marks it ``discarded`` (its only update)."""

    __tablename__ = "line_item_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    row: Mapped[int | None]
    cells: Mapped[dict] = mapped_column(JSON, default=dict)
    old: Mapped[dict | None] = mapped_column(JSON)
    reviewer: Mapped[str] = mapped_column(String(128))
    corrected_at: Mapped[datetime] = mapped_column(default=utcnow)
    discarded: Mapped[bool] = mapped_column(default=False, server_default=false())


class LayoutExample(Base):
    """A layout a person confirmed: one per document, replaced when it is confirmed again and
    deleted with it. ``example`` is ``Example.to_data()`` with the boxes of the fields whose
    extracted value the person confirmed (those a correction changed left out)."""

    __tablename__ = "layout_examples"
    __table_args__ = {"sqlite_autoincrement": True}  # ids never reused: a new example always has a new id

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), unique=True)
    doc_type: Mapped[str] = mapped_column(String(64))
    example: Mapped[dict] = mapped_column(JSON)
    actor: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEvent(Base):
    """Who did what to a document (reprocess, delete, retry, …): one row per act, never updated.

    ``document_id`` is not a foreign key: the record outlives a deleted document."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int | None] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(128))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)
