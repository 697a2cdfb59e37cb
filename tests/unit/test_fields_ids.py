"""Tracking numbers, bank accounts and cards, resident ids, bill and invoice numbers."""

import pytest

from extractors.fields import (
    parse_carrier,
    parse_bank_account,
    parse_bill_number,
    parse_card_number,
    parse_invoice_number,
    parse_resident_id,
    parse_tracking_number,
)

CARD_19 = "6222021234567890128"   # passes Luhn
CARD_16 = "4111111111111111"      # the well-known Visa test number
RESIDENT_ID = "440305199003071236"


@pytest.mark.parametrize(("text", "carrier", "number"), [
    ("运单号：SF1234567890123", "SF", "SF1234567890123"),
    ("SF 1234 5678 9012 3", "SF", "SF1234567890123"),
    ("sf1234567890123", "SF", "SF1234567890123"),
    ("JDVA12345678901", "JD", "JDVA12345678901"),
    ("JDX000123456789", "JD", "JDX000123456789"),
    ("YT1234567890123", "YTO", "YT1234567890123"),
    ("JT0006968326954", "JT", "JT0006968326954"),
    ("EA123456785CN", "EMS", "EA123456785CN"),
    ("RA123456785CN", "CNPOST", "RA123456785CN"),
    ("中通 75312345678901", "ZTO", "75312345678901"),
    ("4312345678901", "YUNDA", "4312345678901"),
    ("Waybill No SF1234567890123 Tel 13812345678", "SF", "SF1234567890123"),
])
def test_tracking_numbers(text, carrier, number):
    parsed = parse_tracking_number(text)
    assert parsed.normalized == {"carrier": carrier, "number": number}
    assert parsed.value == number
    assert parsed.quality == 1.0


def test_tracking_span():
    text = "运单号：SF 1234 5678 9012 3 （顺丰）"
    parsed = parse_tracking_number(text)
    assert text[parsed.start:parsed.end] == "SF 1234 5678 9012 3"


@pytest.mark.parametrize(("text", "number"), [
    ("1DVA12345678901", "JDVA12345678901"),   # J read as 1 (measured)
    ("JOX000123456789", "JDX000123456789"),
    ("5F1234567890123", "SF1234567890123"),
    ("SF12345O7890123", "SF1234507890123"),   # O for 0 inside the digits
    ("YT12345678901Z3", "YT1234567890123"),
])
def test_tracking_ocr_repairs(text, number):
    parsed = parse_tracking_number(text)
    assert parsed.value == number
    assert parsed.quality < 1.0


def test_ambiguous_digit_only_number_has_lower_quality():
    parsed = parse_tracking_number("773012345678")
    assert parsed.normalized["carrier"] == "SF"  # first in carriers.yml of those that fit
    assert parsed.quality < 1.0


def test_forced_carrier():
    assert parse_tracking_number("773012345678", carrier="sto").normalized == {
        "carrier": "STO", "number": "773012345678"}
    assert parse_tracking_number("SF1234567890123", carrier="JD") is None
    assert parse_tracking_number("SF1234567890123", carrier="NOPE") is None


@pytest.mark.parametrize("text", [
    "", "no number", "12345", "EA123456786CN",  # S10 check digit wrong
    "SF12345",
])
def test_not_tracking_numbers(text):
    assert parse_tracking_number(text) is None


def test_bank_account_card():
    parsed = parse_bank_account(f"账号：{CARD_19[:4]} {CARD_19[4:8]} {CARD_19[8:12]} "
                                f"{CARD_19[12:16]} {CARD_19[16:]}")
    assert parsed.value == CARD_19
    assert parsed.normalized == {"number": CARD_19, "is_card": True, "luhn_valid": True}
    assert parsed.quality == 1.0


def test_bank_account_failing_luhn_is_an_account_at_lower_quality():
    number = CARD_19[:-1] + "9"
    parsed = parse_bank_account(number)
    assert parsed.normalized == {"number": number, "is_card": False, "luhn_valid": False}
    assert parsed.quality < 1.0


@pytest.mark.parametrize("number", ["1234567890", "440501876543210", "4405018765432100123456"])
def test_bank_account_other_lengths_skip_luhn(number):
    assert parse_bank_account(f"账号 {number}").normalized == {
        "number": number, "is_card": False, "luhn_valid": None}


@pytest.mark.parametrize("text", ["", "账号：123456789", "1" * 26])
def test_not_bank_accounts(text):
    assert parse_bank_account(text) is None


@pytest.mark.parametrize("text", [CARD_16, "4111-1111-1111-1111", "卡号 6217 0012 3456 7893"])
def test_card_numbers(text):
    parsed = parse_card_number(text)
    assert parsed.value == "".join(ch for ch in text if ch.isdigit())


@pytest.mark.parametrize("text", ["", "4111 1111 1111 1112", "123456789012"])
def test_not_card_numbers(text):
    assert parse_card_number(text) is None


@pytest.mark.parametrize("text", [
    f"身份证号：{RESIDENT_ID}", "440305 19900307 1236", "11010519491231002x",
])
def test_resident_ids(text):
    parsed = parse_resident_id(text)
    number = parsed.value
    assert len(number) == 18
    assert parsed.normalized["number"] == number
    assert parsed.normalized["valid"] is True
    assert parsed.normalized["birth_date"] in ("1990-03-07", "1949-12-31")


@pytest.mark.parametrize("text", [
    "", RESIDENT_ID[:-1] + "7",  # bad check digit
    "440305199013071236",        # month 13
    RESIDENT_ID + "1",
])
def test_not_resident_ids(text):
    assert parse_resident_id(text) is None


@pytest.mark.parametrize(("text", "number", "kind"), [
    ("支票号码 12345678", "12345678", "cheque"),
    ("No. AB12345678", "AB12345678", "cheque"),
    ("Cheque12345678", "12345678", "cheque"),
    ("票号：3130 0051 2024 0315", "3130005120240315", "acceptance_bill"),
    ("号码 313000512024031512345678901234", "313000512024031512345678901234",
     "acceptance_bill"),
    ("出票日期 20240315 票号 87654321", "87654321", "cheque"),
])
def test_bill_numbers(text, number, kind):
    parsed = parse_bill_number(text)
    assert parsed.value == number
    assert parsed.normalized == {"number": number, "type": kind}


@pytest.mark.parametrize("text", ["", "票号 1234", "票号 1234567890"])
def test_not_bill_numbers(text):
    assert parse_bill_number(text) is None


@pytest.mark.parametrize(("text", "number"), [
    ("Invoice No: INV-2024-00123", "INV-2024-00123"),
    ("发票号码：12345678", "12345678"),
    ("No.00012345 Date 2024-03-15", "00012345"),
    ("Tax Invoice No. a1b2c3d4", "A1B2C3D4"),
    ("InvoiceNo12345678", "12345678"),
])
def test_invoice_numbers(text, number):
    parsed = parse_invoice_number(text)
    assert parsed.value == number
    assert parsed.normalized == {"number": number}
    assert parsed.quality == 1.0


def test_unlabelled_invoice_number_has_lower_quality():
    parsed = parse_invoice_number("CS/123/2024 total")
    assert parsed.value == "CS/123/2024"
    assert parsed.quality < 1.0


@pytest.mark.parametrize("text", ["", "INVOICE", "Invoice No: ABCDEFG", "No. 123"])
def test_not_invoice_numbers(text):
    assert parse_invoice_number(text) is None


@pytest.mark.parametrize(("text", "code"), [
    ("顺丰速运", "SF"), ("中国邮政EMS", "EMS"), ("中国邮政 EMS", "EMS"), ("EMS中国邮政速递物流", "EMS"),
    ("中国邮政", "CNPOST"), ("邮政快递包裹", "CNPOST"), ("德邦快递", "DEPPON"),
])
def test_the_carrier_a_brand_names(text, code):
    """中国邮政 EMS is China Post's express brand: EMS, not its parcel service."""
    assert parse_carrier(text).value == code
