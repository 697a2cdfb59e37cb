"""What ``billflow.process`` returns: frozen dataclasses, the same whether the document was
processed in memory or stored in a database.

Boxes and polygons are in pixels of the page as uploaded (a PDF page rendered at
``BILLFLOW_RASTER_DPI``); pages are numbered from 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

Status = Literal["done", "needs_review", "failed"]
Point = tuple[float, float]


@dataclass(frozen=True, kw_only=True)
class Field:
    """One extracted value with its provenance. ``value`` is the text as read (corrected);
    ``normalized`` its typed form (see the README: a string for text and dates, an object such
    as ``{"amount", "currency"}`` for others); ``confidence`` the calibrated probability that
    it is right; ``bbox`` ``(x0, y0, x1, y1)`` on ``page``; ``violations`` the rules it breaks."""

    name: str
    value: str | None
    normalized: Any
    confidence: float | None
    page: int | None
    bbox: tuple[float, float, float, float] | None
    raw_text: str | None = None
    violations: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class LineItem:
    """One row of the document's item table (an invoice's goods and services), ``row`` from 1 in
    reading order. Cells are normalized strings (``quantity`` ``"2"``, ``unit_price``
    ``"100.00"``, ``tax_rate`` a fraction such as ``"0.13"``), None when not printed or not read;
    ``bbox`` ``(x0, y0, x1, y1)`` boxes the whole row on ``page``; ``confidence`` is its weakest
    cell's."""

    row: int
    name: str | None = None
    specification: str | None = None
    unit: str | None = None
    quantity: str | None = None
    unit_price: str | None = None
    amount: str | None = None
    tax_rate: str | None = None
    tax: str | None = None
    page: int
    bbox: tuple[float, float, float, float] | None
    confidence: float


@dataclass(frozen=True, kw_only=True)
class Line:
    """One OCR text line: its text, recognition score (0-1), 4-point box clockwise from the
    top-left corner, and page."""

    text: str
    score: float
    box: tuple[Point, Point, Point, Point]
    page: int


@dataclass(frozen=True, kw_only=True)
class Document:
    """One document of an upload: its type, status (``done`` only when nothing needs a person),
    fields by name, line items (empty for a type without an item table), the reasons it needs
    review, and the upload's pages it covers. ``id`` is its database id (None in memory)."""

    doc_type: str | None
    status: Status
    fields: Mapping[str, Field] = field(default_factory=lambda: MappingProxyType({}))
    line_items: tuple[LineItem, ...] = ()
    review_reasons: tuple[str, ...] = ()
    first_page: int | None = None
    last_page: int | None = None
    id: int | None = None


@dataclass(frozen=True, kw_only=True)
class Result(Document):
    """An upload's outcome: its first document (itself), the other documents split out of it
    (``parts``: a sheet-feeder batch holds several), every page's OCR lines, and for a failed
    upload the one-line ``reason`` (with ``error_detail``, a traceback, for a bug)."""

    lines: tuple[Line, ...] = ()
    parts: tuple[Document, ...] = ()
    reason: str | None = None
    error_detail: str | None = None

    @property
    def documents(self) -> tuple[Document, ...]:
        """Every document of the upload in page order: this one, then its parts."""
        return (self, *self.parts)


def as_field(source) -> Field:
    """A field from the core's ``ExtractedField`` or a stored ``db.models.Field``."""
    return Field(name=source.name, value=source.value, normalized=source.normalized, confidence=source.confidence,
                 page=source.page, bbox=tuple(source.bbox) if source.bbox else None, raw_text=source.raw_text,
                 violations=tuple(source.violations or ()))


def line_items_of(sources) -> tuple[LineItem, ...]:
    """Line items from the core's ``extractors.items.LineItem`` or stored ``db.models.LineItem``s."""
    return tuple(LineItem(row=i.row, name=i.name, specification=i.specification, unit=i.unit, quantity=i.quantity,
                          unit_price=i.unit_price, amount=i.amount, tax_rate=i.tax_rate, tax=i.tax, page=i.page,
                          bbox=tuple(i.bbox) if i.bbox else None, confidence=i.confidence)
                 for i in sources)


def as_line(source, page: int) -> Line:
    """A line from the core's ``OcrLine`` or a stored ``db.models.OcrLine`` on ``page``."""
    return Line(text=source.text, score=source.score, box=tuple(tuple(map(float, p)) for p in source.polygon),
                page=page)


def fields_of(sources) -> Mapping[str, Field]:
    """Fields by name, read-only."""
    return MappingProxyType({f.name: as_field(f) for f in sources})


def failed(reason: str, error_detail: str | None = None, document_id: int | None = None) -> Result:
    """An upload that could not be processed, and why."""
    return Result(doc_type=None, status="failed", reason=reason, error_detail=error_detail, id=document_id)
