"""A receipt's total confirmed by what else it prints: the prices above it, a subtotal and tax,
the cash paid and the change; the merchant name is not required to finish a receipt."""

from __future__ import annotations

from extractors.extract import extract_document
from extractors.fields import parse
from tests.unit.lines_factory import line


def _receipt(*prices: str, total: str = "10.60", cash: str = "20.00", change: str = "9.40", head: int = 4):
    """A receipt: a shop header, a dated line, one row per item (name left, price right), the
    rows after them (``(label, amount)``), then TOTAL, CASH and CHANGE."""
    lines = [line("KEDAI MAJU JAYA", 0, 6), line("NO 12 JALAN BESAR 45600 BATANG BERJUNTAI", 1),
             line("DATE: 25/12/2018", 2)]
    row = head
    for item in prices:
        name, price = item if isinstance(item, tuple) else (f"ITEM {row}", item)
        lines += [line(name, row), line(price, row, 26 - len(price))]
        row += 1
    lines += [line("TOTAL", row), line(total, row, 26 - len(total)),
              line("CASH", row + 1), line(cash, row + 1, 26 - len(cash)),
              line("CHANGE", row + 2), line(change, row + 2, 26 - len(change))]
    return lines


def test_a_price_column_is_read_entry_by_entry_skipping_lines_without_a_price():
    parsed = parse("amount_column", "2.85 S | Qty(s): 2 | RM24.40 | 1,250.00")
    assert parsed.normalized == {"amounts": ["2.85", "24.40", "1250.00"]}
    assert parse("amount_column", "TOTAL | 9.00") is None  # one price is no column


def test_prices_adding_up_to_the_total_confirm_it_and_the_receipt_is_done_without_a_merchant():
    lines = _receipt("4.20", "6.40", cash="10.60", change="0.00")  # paid exactly: the payment confirms too
    done = extract_document(lines, "receipt")
    assert done.fields["total"].evidence.confirmed > 0
    lines = _receipt("4.20", "6.40", cash="20.00", change="8.00")  # the payment disagrees by far (a card paid part)
    result = extract_document(lines, "receipt")
    assert result.fields["total"].value == "10.60" and result.fields["total"].evidence.confirmed > 0
    assert "company" not in result.required


def test_prices_that_do_not_add_up_leave_the_total_unconfirmed():
    result = extract_document(_receipt("4.20", "6.30", cash="20.00", change="8.00"), "receipt")
    assert result.fields["total"].evidence.confirmed <= 0


def test_items_then_a_subtotal_and_tax_confirm_the_total():
    lines = _receipt("4.20", "5.80", ("SUBTOTAL", "10.00"), ("GST 6%", "0.60"), cash="50.00", change="30.00")
    assert extract_document(lines, "receipt").fields["total"].evidence.confirmed > 0
    wrong_tax = _receipt("4.20", "5.80", ("SUBTOTAL", "10.00"), ("GST 6%", "0.50"), cash="50.00", change="30.00")
    assert extract_document(wrong_tax, "receipt").fields["total"].evidence.confirmed <= 0


def test_a_cash_payment_a_few_cents_off_the_total_sends_the_receipt_to_review():
    result = extract_document(_receipt("4.20", "6.39", total="10.59", cash="20.00", change="9.40"), "receipt",
                              threshold=0.0)
    assert result.status == "needs_review"
    assert any("before rounding" in reason for reason in result.reasons)
    settled = extract_document(_receipt("4.20", "6.39", total="10.59", cash="20.00", change="9.41"), "receipt",
                               threshold=0.0)
    assert not any("before rounding" in reason for reason in settled.reasons)
