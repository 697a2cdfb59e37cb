"""Field parsers: find and parse the first (best) value of one kind in a piece of OCR text.

Contract, for every kind: ``parse_<kind>(text: str, **options) -> Parsed | None``. The text
may hold a label and noise around the value ("收件人电话：138 1234 5678", "TOTAL RM 9.00");
the result's ``start``/``end`` give the span of ``text`` that produced the value. None means
no value of that kind; no str input makes a parser raise. Unknown options are ignored.
Each kind's tables (labels, carriers, currencies, OCR repairs, units) are YAML files in this
package.
"""

from __future__ import annotations

from collections.abc import Callable

from .address import join_address_lines, parse_address
from .amount import parse_amount, parse_amount_cells, parse_amount_column, parse_amount_words
from .base import Parsed
from .date import parse_date
from .ids import (
    parse_bank_account,
    parse_carrier,
    parse_bill_number,
    parse_card_number,
    parse_digit_code,
    parse_invoice_number,
    parse_resident_id,
    parse_sorting_code,
    parse_taxpayer_id,
    parse_tracking_number,
)
from .phone import parse_phone
from .text import parse_name, parse_text
from .weight import parse_weight

KINDS: dict[str, Callable[..., Parsed | None]] = {
    "amount": parse_amount,
    "amount_words": parse_amount_words,
    "amount_cells": parse_amount_cells,
    "amount_column": parse_amount_column,
    "date": parse_date,
    "phone": parse_phone,
    "address": parse_address,
    "tracking_number": parse_tracking_number,
    "carrier": parse_carrier,
    "bank_account": parse_bank_account,
    "card_number": parse_card_number,
    "bill_number": parse_bill_number,
    "resident_id": parse_resident_id,
    "sorting_code": parse_sorting_code,
    "taxpayer_id": parse_taxpayer_id,
    "digit_code": parse_digit_code,
    "invoice_number": parse_invoice_number,
    "weight": parse_weight,
    "text": parse_text,
    "name": parse_name,
}


def parse(kind: str, text: str, **options: object) -> Parsed | None:
    """Parse ``text`` as ``kind`` (a key of ``KINDS``; another kind raises KeyError).
    A non-str ``text`` has no value: None."""
    parser = KINDS[kind]
    return parser(text, **options) if isinstance(text, str) else None


__all__ = [
    "KINDS", "Parsed", "join_address_lines", "parse",
    "parse_address", "parse_amount", "parse_amount_cells", "parse_amount_column", "parse_amount_words", "parse_bank_account",
    "parse_bill_number", "parse_card_number", "parse_carrier", "parse_digit_code", "parse_taxpayer_id", "parse_date", "parse_invoice_number",
    "parse_name", "parse_phone", "parse_resident_id", "parse_sorting_code", "parse_text", "parse_tracking_number",
    "parse_weight",
]
