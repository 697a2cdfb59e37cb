"""CSV for spreadsheets (``billflow export --format csv``), from ``document_record`` dicts.

Wide (the default): a row a document — id, name, type, status, review reasons, error — and a
column per field holding its value. Long: a row per field, with its confidence, page, validity
and violations after the document's id, name, type and status. Items: a row per line item (an
invoice's goods table: its row number, cells, page and confidence) after the same document
columns; a document without items has no row. Every cell is made safe and exact for a spreadsheet:

- a text that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
  ``'``, so that no cell runs as a formula (OWASP "CSV injection"); plain negative numbers stay;
- a digit string a spreadsheet would turn into a number and change (a leading zero, a leading
  ``+``, or more than 11 digits: shown as 6.22E+18 and rounded after 15) is written as the text
  formula ``="…"``, which Excel, LibreOffice and Google Sheets show as exactly those characters.

Programs should read ``--format jsonl``, which holds every value as it is.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from typing import IO, Any

DOCUMENT_COLUMNS = ["document_id", "name", "doc_type", "status"]
VERDICT_COLUMNS = ["review_reasons", "error"]
FIELD_COLUMNS = ["field", "value", "confidence", "page", "valid", "violations"]
LINE_ITEM_COLUMNS = ["row", "name", "specification", "unit", "quantity", "unit_price", "amount", "tax_rate", "tax", "page",
                "confidence"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")
DIGITS = re.compile(r"\+?\d+")
LONGEST_SAFE_NUMBER = 11  # digits a spreadsheet's default cell shows unchanged
BOM = "\ufeff"


def write_csv(handle: IO[str], records: list[dict], long: bool = False, items: bool = False) -> None:
    """``records`` as spreadsheet-safe CSV: a row a document, or a row per field (``long``) or
    per line item (``items``)."""
    rows = item_rows if items else long_rows if long else wide_rows
    csv.writer(handle).writerows([safe_cell(cell) for cell in row] for row in rows(records))


def wide_rows(records: list[dict]) -> Iterator[list[Any]]:
    """The header, then a row a document; field columns in the order fields first appear."""
    names = list(dict.fromkeys(name for record in records for name in record["fields"]))
    yield DOCUMENT_COLUMNS + VERDICT_COLUMNS + names
    for record in records:
        verdict = [_joined(record["review_reasons"]), record["error"]]
        yield _document_cells(record) + verdict + [record["fields"].get(name, {}).get("value") for name in names]


def long_rows(records: list[dict]) -> Iterator[list[Any]]:
    """The header, then a row per field (a row with empty field cells for a document without)."""
    yield DOCUMENT_COLUMNS + FIELD_COLUMNS
    for record in records:
        for name, field in record["fields"].items() or [(None, {})]:
            yield _document_cells(record) + [name, field.get("value"), field.get("confidence"), field.get("page"),
                                             field.get("valid"), _joined(field.get("violations", []))]


def item_rows(records: list[dict]) -> Iterator[list[Any]]:
    """The header, then a row per line item, documents in the given order."""
    yield DOCUMENT_COLUMNS + LINE_ITEM_COLUMNS
    for record in records:
        for item in record["line_items"]:
            yield _document_cells(record) + [item[column] for column in LINE_ITEM_COLUMNS]


def safe_cell(value: Any) -> Any:
    """A cell a spreadsheet neither runs as a formula nor turns into a different number."""
    if not isinstance(value, str):
        return value
    if DIGITS.fullmatch(value) and (value[0] in "+0" and len(value) > 1 or len(value) > LONGEST_SAFE_NUMBER):
        return f'="{value}"'
    if value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _document_cells(record: dict) -> list[Any]:
    return [record["id"], record["name"], record["doc_type"], record["status"]]


def _joined(texts: Iterable[str]) -> str:
    return "; ".join(texts)
