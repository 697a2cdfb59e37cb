"""Request and response bodies (what ``/docs`` publishes)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from db.models import Status

MAX_ID = 2**31 - 1  # the largest id or page number an INTEGER column holds (PostgreSQL's int4)
MAX_OFFSET = 2**63 - 1  # the largest OFFSET SQLite and PostgreSQL accept


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _in_utc(moment: datetime) -> datetime:
    """``moment`` in UTC (naive means UTC); ValueError when its UTC time is past year 9999 or
    before year 1 (9999-12-31T23:59:59-14:00)."""
    try:
        return moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    except OverflowError:
        raise ValueError("its UTC time is outside the years 1 to 9999") from None


Utc = Annotated[datetime, AfterValidator(_utc)]  # SQLite gives back naive UTC times
Moment = Annotated[datetime, AfterValidator(_in_utc)]
DocumentId = Annotated[int, Path(ge=1, le=MAX_ID, description="The document's id")]
PageNumber = Annotated[int, Path(ge=1, le=MAX_ID, description="Page number, from 1")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Documents to skip")]


class Orm(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Submission(BaseModel):
    id: int
    name: str = Field(description="The client's file name (metadata only)")
    created: bool = Field(description="False when these bytes were uploaded before")
    requeued: bool = Field(False, description="True when they were uploaded before but never stored (the "
                           "document failed for want of them): stored now and queued again")
    status: Status


class Submissions(BaseModel):
    documents: list[Submission]


class Deleted(BaseModel):
    deleted: list[int] = Field(description="The document and those split out of its upload")


class FieldOut(Orm):
    name: str
    value: str | None
    normalized: Any
    raw_text: str | None = Field(description="The OCR text the value was read from")
    confidence: float | None = Field(description="0..1; 1.0 for a reviewer's value")
    page: int | None
    bbox: list[float] | None = Field(description="x0, y0, x1, y1 in page pixels")
    valid: bool
    violations: list[str]


class LineItemOut(Orm):
    """One row of the document's item table (an invoice's goods and services). Cells are
    normalized strings, null when not printed or not read."""

    row: int = Field(description="From 1, in reading order")
    name: str | None
    specification: str | None
    unit: str | None
    quantity: str | None = Field(description='A decimal string, e.g. "2"')
    unit_price: str | None = Field(description='A decimal string, e.g. "100.00"')
    amount: str | None = Field(description="Excluding tax, a decimal string")
    tax_rate: str | None = Field(description='A fraction, e.g. "0.13" for 13%; null when exempt or unread')
    tax: str | None = Field(description="A decimal string")
    page: int
    bbox: list[float] | None = Field(description="x0, y0, x1, y1 of the whole row in page pixels")
    confidence: float = Field(description="0..1: its weakest cell's")


class PageOut(Orm):
    number: int
    width: int
    height: int
    renderer: str
    ocr_seconds: float | None


class LineOut(Orm):
    index: int
    text: str
    score: float
    polygon: list[list[float]]
    angle: int


class CorrectionOut(Orm):
    field: str
    old_value: str | None
    new_value: str | None
    reviewer: str
    corrected_at: Utc


class EventOut(Orm):
    action: str = Field(description="correct, reprocess, …")
    actor: str = Field(description="The token's user (else the X-Reviewer it sent), or the OS user of a command")
    detail: dict[str, Any] = Field(description="What was done; token_user: whom the API token names (null: a bare token)")
    at: Utc


class DocumentSummary(Orm):
    id: int
    name: str = Field(validation_alias="original_name")
    status: Status
    doc_type: str | None
    page_count: int | None
    parent_id: int | None = Field(description="Set when this document was split out of another one's upload "
                                              "(several documents in one file)")
    first_page: int | None = Field(description="The first page of the upload this document covers")
    last_page: int | None = Field(description="The last page of the upload this document covers")
    error: str | None
    review_reasons: list[str]
    created_at: Utc
    updated_at: Utc


class DocumentDetail(DocumentSummary):
    sha256: str
    media_type: str | None
    size_bytes: int
    requested_type: str | None
    template: str | None
    extraction_version: int
    pages: list[PageOut]
    fields: list[FieldOut]
    line_items: list[LineItemOut] = Field(default_factory=list, description="The item table's rows in order; "
                                          "empty for a type without one")
    missing_fields: list[str] = Field(default_factory=list, description="Required fields not found: a reviewer may add them")
    corrections: list[CorrectionOut] = Field(default_factory=list, description="The audit trail, oldest first")
    parts: list[DocumentSummary] = Field(default_factory=list, description="The other documents found in this "
                                         "upload, each with its page range")
    events: list[EventOut] = Field(default_factory=list, description="Who did what to it (corrections, reprocessing), oldest first")


class DocumentList(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[DocumentSummary]


class CorrectionIn(BaseModel):
    value: str = Field(min_length=1, max_length=2000, description="The correct value, as a person reads it")


ItemRow = Annotated[int, Path(ge=1, le=MAX_ID, description="The line item's row, from 1 as shown")]
CellText = Annotated[str | None, Field(max_length=2000)]


class ItemCellsIn(BaseModel):
    cells: dict[str, CellText] = Field(min_length=1, description='Cell → the correct value as a person reads it '
                                       '(name, specification, unit, quantity, unit_price, amount, tax_rate as "13%" '
                                       'or "0.13", tax); empty or null clears the cell', examples=[{"amount": "2000.00"}])


class NewItemIn(ItemCellsIn):
    row: int | None = Field(None, ge=1, le=MAX_ID, description="The row it becomes (those from it on move down); "
                            "default: after the last")
