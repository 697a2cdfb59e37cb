"""The receipt template on receipt-shaped OCR lines (SROIE's four fields and the phone)."""

from __future__ import annotations

from extractors.extract import extract_document
from tests.unit.lines_factory import line, page

RECEIPT = [
    line("TAN WOON YANN", 0, 2),
    line("BOOK TA .K (TAMAN DAYA) SDN BHD (789417-W)", 1),
    line("NO.53 55,57 & 59, JALAN SAGU 18,", 2), line("TAMAN DAYA,", 3), line("81100JOHOR BAHRU,", 4),
    line("JOHOR.", 5), line("TEL: 07-3507405", 6), line("TAX INVOICE", 7),
    line("Date: 25/12/20188:13:39PM", 8), line("Item", 9), line("Qty", 9, 10),
    line("SUBTOTAL", 10), line("9.00", 10, 22), line("Total:", 11), line("9.00", 11, 22),
    line("Rounding Adjustment", 12), line("0.00", 12, 22), line("Rounded Total (RM):", 13), line("9.00", 13, 22),
    line("CASH", 22), line("10.00", 14, 22), line("CHANGE", 15), line("1.00", 15, 22),
]


def test_the_four_receipt_fields_and_the_phone():
    result = extract_document(RECEIPT, "receipt", threshold=0.0)  # every value found, however unsure
    got = {name: f.value for name, f in result.fields.items()}
    assert got["company"] == "BOOK TA .K (TAMAN DAYA) SDN BHD"
    assert got["address"] == "NO.53 55,57 & 59, JALAN SAGU 18, TAMAN DAYA, 81100 JOHOR BAHRU, JOHOR."
    assert got["date"] == "2018-12-25" and got["total"] == "9.00"
    assert got["phone"] == "+6073507405"  # a Malaysian receipt (SDN BHD): its numbers are read as Malaysian


def test_the_largest_total_wins_over_tax_lines_and_rounding_is_preferred():
    lines = page("KEDAI RUNCIT ENTERPRISE", "NO 1, JALAN BESAR, 45600 BATANG", "Total Sales (Excluding GST): 42.20",
                 "Total GST: 2.53", "Total Sales (Inclusive of GST): 44.73", "CASH 50.00")
    assert extract_document(lines, "receipt").fields["total"].value == "44.73"
    rounded = page("KEDAI RUNCIT ENTERPRISE", "NO 1, JALAN BESAR", "Net Total: 19.01", "Rounding Adj: -0.01",
                   "Net Total Rounded: 19.00")
    assert extract_document(rounded, "receipt").fields["total"].value == "19.00"


def test_receipts_are_recognised_by_their_vocabulary():
    assert extract_document(RECEIPT).doc_type == "receipt"


def test_cash_tendered_less_change_confirms_the_total():
    head = ("KEDAI RUNCIT ENTERPRISE", "NO 1, JALAN BESAR, 45600 BATANG", "DATE: 15/03/2024", "TOTAL 12.50")
    balanced = extract_document(page(*head, "CASH 20.00", "CHANGE 7.50"), "receipt", threshold=0.0)
    unbalanced = extract_document(page(*head, "CASH 20.00", "CHANGE 8.50"), "receipt", threshold=0.0)
    assert balanced.fields["total"].evidence.confirmed == 1 and unbalanced.fields["total"].evidence.confirmed == 0
    assert balanced.fields["total"].confidence > unbalanced.fields["total"].confidence
    assert (balanced.fields["cash"].value, balanced.fields["change"].value) == ("20.00", "7.50")
    assert "change" not in extract_document(page(*head, "CASHIER: ALI", "EXCHANGE WITHIN 7 DAYS 1.00"),
                                            "receipt", threshold=0.0).fields
