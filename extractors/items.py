"""A document's line items (an invoice's goods and services table): one row per item, cells as
normalized strings, so that the database, the API, the export and ``billflow.process`` carry
them unchanged."""

from __future__ import annotations

from dataclasses import dataclass, field

ITEM_COLUMNS = ("name", "specification", "unit", "quantity", "unit_price", "amount", "tax_rate", "tax")


@dataclass(frozen=True)
class LineItem:
    """One row of an item table. ``row`` counts from 1 in reading order. Numbers are decimal
    strings (``"2"``, ``"100.00"``); ``tax_rate`` is a fraction (``"0.13"`` for 13%), or ``None``
    when the rate is printed as exempt (免税 / 不征税) or unread. A cell not printed or not read is
    ``None``. ``page``/``bbox`` locate the whole row; ``confidence`` is the weakest cell's."""

    row: int
    name: str | None = None
    specification: str | None = None
    unit: str | None = None
    quantity: str | None = None
    unit_price: str | None = None
    amount: str | None = None
    tax_rate: str | None = None
    tax: str | None = None
    page: int = 1
    bbox: list[float] = field(default_factory=list)
    confidence: float = 0.0

    def cells(self) -> dict[str, str | None]:
        """The item's columns by name (``ITEM_COLUMNS`` order)."""
        return {name: getattr(self, name) for name in ITEM_COLUMNS}
