"""An invoice's item table read from its lines: the header row names the columns, the rows below
it up to the stop row (合计) are the items.

The header row is the first row holding the labels of at least ``min_columns`` columns (a
text-layer line holding several labels is cut where each label lies). Each column reaches half
way to its neighbours' labels; a line of a following row goes to the column it overlaps most,
or, when it spans several (text-layer cells close together), is cut at its spaces and each piece
goes to its own column. A row with no number in it continues the item above (a name wrapped onto
a second line); a quantity OCR missed is worked out from amount ÷ unit price when that is a whole
number (a filled cell). Cells are normalized as ``LineItem`` says; the stop row's cells in the
``totals`` columns are read too (the 合计 row's amount and tax).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from extractors.fields import parse
from extractors.fields.base import is_cjk
from extractors.items import LineItem
from extractors.locate import Line, find_label, same_row

NUMERIC = ("quantity", "unit_price", "amount", "tax_rate", "tax")
EXEMPT_WORDS = ("免税", "不征税", "免征", "出口零税")
EXEMPT = "exempt"  # a rule's reading of a tax rate printed as exempt
ONE_COLUMN_SHARE = 0.7  # a line this much inside one column is that column's cell
_NUMBER = re.compile(r"[-－]?\d(?:[\d,]*\d)?(?:\.\d+)?")
_RATE = re.compile(r"(\d{1,2}(?:\.\d+)?)\s*%")


@dataclass(frozen=True)
class ItemTable:
    """A template's ``line_items``: item column → its header labels, the labels of the row that
    ends the table, how many columns a header row must name, and item column → the field the
    stop row's cell in that column gives."""

    columns: dict[str, tuple[str, ...]]
    stop: tuple[str, ...]
    min_columns: int = 4
    totals: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Cell:
    """One cell as read: its text, value (normalized), the lines it came from, the lowest OCR
    score and character probability in it, and the parse quality."""

    text: str
    value: str | None
    lines: tuple[Line, ...]
    ocr: float
    weakest: float
    quality: float = 1.0
    bbox: tuple[float, ...] = ()  # around the cell's text (x0, y0, x1, y1)
    filled: bool = False  # not read but worked out from the row's other cells


@dataclass(frozen=True)
class ReadRow:
    """One item: its LineItem (confidence still the weakest OCR score) and its cells by column."""

    item: LineItem
    cells: dict[str, Cell]

    def rule_cells(self) -> dict[str, str | None]:
        """The cells as the rules read them: values, with a tax rate printed as exempt given as
        ``"exempt"`` and one that does not parse as its text."""
        cells = rule_cells(self.item)
        rate = self.cells.get("tax_rate")
        if rate is not None and rate.value is None and rate.text:
            cells["tax_rate"] = EXEMPT if any(w in rate.text for w in EXEMPT_WORDS) else rate.text
        for column, cell in self.cells.items():
            if cell.filled:
                cells[column] = None  # worked out from the others: it can confirm nothing
        return cells


def rule_cells(item: LineItem) -> dict[str, str | None]:
    """An item's cells as the rules on items read them (``validate(items=...)``): its row number
    and its values (a stored item no longer knows whether a rate was printed as exempt)."""
    return {"row": str(item.row), **item.cells()}


@dataclass(frozen=True)
class TableReading:
    rows: list[ReadRow]
    totals: dict[str, Cell]  # field name → the stop row's cell that gives it


@dataclass(frozen=True)
class _Piece:
    """Part of a line that falls in one column."""

    column: str
    text: str
    line: Line
    start: int
    end: int


def read_table(lines: list[Line], table: ItemTable) -> TableReading:
    """The items of every page's table (rows numbered from 1 across pages) and the first
    stop row's totals."""
    rows: list[ReadRow] = []
    totals: dict[str, Cell] = {}
    for page in sorted({l.page for l in lines}):
        grouped = _rows([l for l in lines if l.page == page])
        start = next((i for i, row in enumerate(grouped) if len(_header_cells(row, table)) >= table.min_columns), None)
        if start is None:
            continue
        spans = _column_spans(_header_cells(grouped[start], table))
        body, stop_row = [], None
        for row in grouped[start + 1:]:
            if any(find_label(label, "".join(l.text for l in row)) for label in table.stop):  # 合 计 spaced apart
                stop_row = row
                break
            body.append(row)
        rows.extend(_items(body, spans, len(rows) + 1))
        if stop_row is not None and not totals:
            cells = _cells(_pieces(stop_row, spans))
            totals = {name: cells[column] for column, name in table.totals.items()
                      if column in cells and cells[column].value is not None}
    return TableReading(rows, totals)


def _rows(lines: list[Line]) -> list[list[Line]]:
    """Reading-order lines grouped into rows (each left to right)."""
    rows: list[list[Line]] = []
    for line in lines:
        if rows and same_row(rows[-1][0].ocr, line.ocr):
            rows[-1].append(line)
        else:
            rows.append([line])
    return [sorted(r, key=lambda l: l.ocr.bbox[0]) for r in rows]


def _header_cells(row: list[Line], table: ItemTable) -> dict[str, tuple[float, float]]:
    """Column → the x-extent of its label in the row (a column named twice: its first label)."""
    found: dict[str, tuple[float, float, int]] = {}  # column → (x0, x1, label length)
    for line in row:
        for column, labels in table.columns.items():
            if column in found:
                continue
            for label in labels:
                if hit := find_label(label, line.text):
                    _, start, end = hit
                    found[column] = (*_x_extent(line, start, end), end - start)
                    break
    for column, (x0, x1, size) in list(found.items()):  # a shorter label inside a longer one's box is no column
        if any(o != column and ox0 <= (x0 + x1) / 2 <= ox1 and osize > size for o, (ox0, ox1, osize) in found.items()):
            del found[column]
    return {column: (x0, x1) for column, (x0, x1, _) in found.items()}


def _column_spans(cells: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """Each column's x-range: half way to the labels of the columns beside it."""
    ordered = sorted(cells.items(), key=lambda c: c[1][0] + c[1][1])
    spans = {}
    for i, (column, (x0, x1)) in enumerate(ordered):
        left = (ordered[i - 1][1][1] + x0) / 2 if i else float("-inf")
        right = (x1 + ordered[i + 1][1][0]) / 2 if i + 1 < len(ordered) else float("inf")
        spans[column] = (left, right)
    return spans


def _x_extent(line: Line, start: int, end: int) -> tuple[float, float]:
    """The x-extent of characters ``start:end`` of the line, Chinese characters counted about
    twice as wide as others."""
    x0, _, x1, _ = line.ocr.bbox
    widths = [1.0 if is_cjk(ch) or ord(ch) > 0xFF00 else 0.55 for ch in line.text]
    total = sum(widths) or 1.0
    before, inside = sum(widths[:start]), sum(widths[start:end])
    return x0 + (x1 - x0) * before / total, x0 + (x1 - x0) * (before + inside) / total


def _pieces(row: list[Line], spans: dict[str, tuple[float, float]]) -> list[_Piece]:
    """The row's lines cut into the columns they fall in."""
    pieces = []
    for line in row:
        column, share = _best_column(*line.ocr.bbox[::2], spans)
        if share >= ONE_COLUMN_SHARE or " " not in line.text.strip():
            pieces.append(_Piece(column, line.text, line, 0, len(line.text)))
            continue
        for token in re.finditer(r"\S+", line.text):
            x0, x1 = _x_extent(line, token.start(), token.end())
            column = _best_column(x0, x1, spans)[0]
            if pieces and pieces[-1].line is line and pieces[-1].column == column:
                last = pieces.pop()
                pieces.append(_Piece(column, line.text[last.start:token.end()], line, last.start, token.end()))
            else:
                pieces.append(_Piece(column, token.group(), line, token.start(), token.end()))
    return pieces


def _best_column(x0: float, x1: float, spans: dict[str, tuple[float, float]]) -> tuple[str, float]:
    """The column the x-range overlaps most, and the share of the range inside it."""
    width = max(x1 - x0, 1e-6)
    column, overlap = max(((c, min(x1, r) - max(x0, l)) for c, (l, r) in spans.items()), key=lambda c: c[1])
    return column, max(0.0, overlap) / width


def _items(body: list[list[Line]], spans: dict[str, tuple[float, float]], first_row: int) -> list[ReadRow]:
    """Body rows → items; a row without numbers continues the item above (or starts the next)."""
    groups: list[list[_Piece]] = []
    waiting: list[_Piece] = []  # text rows before the first row with numbers
    for row in body:
        pieces = _pieces(row, spans)
        if not pieces:
            continue
        if any(p.column in NUMERIC and _NUMBER.search(p.text) for p in pieces):
            groups.append(waiting + pieces)
            waiting = []
        elif groups:
            groups[-1].extend(pieces)
        else:
            waiting.extend(pieces)
    return [_row(group, first_row + i) for i, group in enumerate(groups)]


def _row(pieces: list[_Piece], number: int) -> ReadRow:
    cells = _cells(pieces)
    if "quantity" not in cells and (quantity := _whole_quantity(cells)):
        cells["quantity"] = quantity
    lines = {id(p.line): p.line for p in pieces}.values()
    x0, y0 = min(l.ocr.bbox[0] for l in lines), min(l.ocr.bbox[1] for l in lines)
    x1, y1 = max(l.ocr.bbox[2] for l in lines), max(l.ocr.bbox[3] for l in lines)
    item = LineItem(row=number, **{c: cell.value for c, cell in cells.items()}, page=pieces[0].line.page,
                    bbox=[round(v, 1) for v in (x0, y0, x1, y1)],
                    confidence=min((c.ocr for c in cells.values()), default=0.0))
    return ReadRow(item, cells)


FILLED_QUALITY = 0.8


def _whole_quantity(cells: dict[str, Cell]) -> Cell | None:
    """The quantity of a row whose unit price and amount were read but not its quantity (a lone
    "1" the detector missed), when the amount is a whole number of unit prices within the price's
    rounding; a filled cell, never surer than those it comes from."""
    price, amount = cells.get("unit_price"), cells.get("amount")
    if not (price and amount and price.value and amount.value) or Decimal(price.value) <= 0:
        return None
    quantity = (Decimal(amount.value) / Decimal(price.value)).to_integral_value()
    places = max(0, -Decimal(price.value).as_tuple().exponent)
    if quantity < 1 or abs(quantity * Decimal(price.value) - Decimal(amount.value)) > \
            Decimal("0.01") + quantity * Decimal(5) / Decimal(10) ** (places + 1):
        return None
    return Cell("", str(quantity), (), min(price.ocr, amount.ocr), min(price.weakest, amount.weakest), FILLED_QUALITY,
                filled=True)


def _cells(pieces: list[_Piece]) -> dict[str, Cell]:
    """Column → its cell, the pieces of a column joined top to bottom."""
    cells = {}
    for column in dict.fromkeys(p.column for p in pieces):
        mine = [p for p in pieces if p.column == column]
        text = ""
        for p in mine:
            text = _join(text, p.text.strip())
        value, quality = cell_value(column, text)
        weakest = _weakest(mine, _value_span(column, text) if len(mine) == 1 else None)
        extents = [_x_extent(p.line, p.start, p.end) for p in mine]
        bbox = (min(x0 for x0, _ in extents), min(p.line.ocr.bbox[1] for p in mine),
                max(x1 for _, x1 in extents), max(p.line.ocr.bbox[3] for p in mine))
        cells[column] = Cell(text, value, tuple(p.line for p in mine), min(p.line.ocr.score for p in mine),
                             weakest, quality, tuple(round(v, 1) for v in bbox))
    return cells


def _weakest(pieces: list[_Piece], span: tuple[int, int] | None) -> float:
    """The lowest character probability of a cell: of its value's characters when ``span``
    (in the one piece's stripped text) is known (a ¥ before an amount is not the amount)."""
    if span is not None:
        piece = pieces[0]
        start = piece.start + len(piece.text) - len(piece.text.lstrip())
        pieces = [_Piece(piece.column, piece.text, piece.line, start + span[0], start + span[1])]
    return min(p.line.ocr.weakest(p.start / max(len(p.line.text), 1), p.end / max(len(p.line.text), 1)) for p in pieces)


def _value_span(column: str, text: str) -> tuple[int, int] | None:
    """Where a numeric cell's digits lie in its text (None: the whole text)."""
    if column == "tax_rate":
        match = _RATE.search(text)
        return match.span(1) if match else None  # the digits, not the % sign
    match = _NUMBER.search(text) if column in NUMERIC else None
    return match.span() if match else None


def _join(text: str, more: str) -> str:
    """Two pieces of one cell: a space only between two Latin words or numbers."""
    if not text or not more:
        return text or more
    return f"{text} {more}" if text[-1].isascii() and text[-1].isalnum() and more[0].isascii() and more[0].isalnum() \
        else text + more


def cell_value(column: str, text: str) -> tuple[str | None, float]:
    """A cell's normalized value (``LineItem``'s conventions) and the parse quality."""
    if column in ("amount", "tax"):
        parsed = parse("amount", text)
        if parsed is None:
            return None, 0.0
        sign = "-" if text.lstrip()[:1] in "-－" and not parsed.value.startswith("-") else ""
        return sign + parsed.value, parsed.quality
    if column in ("quantity", "unit_price"):
        return _plain_number(text)
    if column == "tax_rate":
        rate = _RATE.search(text)
        if rate is None:
            return None, 1.0 if any(w in text for w in EXEMPT_WORDS) else 0.0
        return _decimal_text(Decimal(rate.group(1)) / 100), 1.0
    squeezed = " ".join(text.split())
    return squeezed or None, 1.0


def _plain_number(text: str) -> tuple[str | None, float]:
    """The printed decimal without grouping commas; a lower quality when more than it is there."""
    match = _NUMBER.search(text)
    if match is None:
        return None, 0.0
    number = match.group().replace(",", "").replace("－", "-")
    try:
        Decimal(number)
    except InvalidOperation:
        return None, 0.0
    return number, 1.0 if match.group() == text.strip() else 0.9


def _decimal_text(value: Decimal) -> str:
    """``Decimal("0.130")`` → ``"0.13"``, ``Decimal("0")`` → ``"0"``."""
    return format(value.normalize(), "f")
