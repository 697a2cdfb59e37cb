"""Telephone numbers through phonenumbers."""

import pytest

from extractors.fields import parse_phone


@pytest.mark.parametrize(("text", "e164", "extension", "kind"), [
    ("收件人电话：138 1234 5678", "+8613812345678", None, "mobile"),
    ("138-1234-5678", "+8613812345678", None, "mobile"),
    ("13812345678", "+8613812345678", None, "mobile"),
    ("+86 138 1234 5678", "+8613812345678", None, "mobile"),
    ("008613812345678", "+8613812345678", None, "mobile"),
    ("张三13812345678", "+8613812345678", None, "mobile"),
    ("１３８１２３４５６７８", "+8613812345678", None, "mobile"),
    ("010-12345678", "+861012345678", None, "fixed_line"),
    ("(0755)12345678", "+8675512345678", None, "fixed_line"),
    ("0755-12345678 转 123", "+8675512345678", "123", "fixed_line"),
    ("0755-12345678转8001", "+8675512345678", "8001", "fixed_line"),
    ("0755-12345678 ext 123", "+8675512345678", "123", "fixed_line"),
    ("0755-12345678 ext. 45", "+8675512345678", "45", "fixed_line"),
    ("0755-12345678-123", "+8675512345678", "123", "fixed_line"),
    ("Tel: +60 3-2345 6789", "+60323456789", None, "fixed_line"),
    ("+60 12-345 6789", "+60123456789", None, "mobile"),
])
def test_phones(text, e164, extension, kind):
    parsed = parse_phone(text)
    assert parsed.value == e164
    assert parsed.normalized == {"e164": e164, "extension": extension, "type": kind}


def test_span_excludes_label_and_includes_extension():
    text = "电话：0755-12345678 转 123（工作日）"
    parsed = parse_phone(text)
    assert text[parsed.start:parsed.end] == "0755-12345678 转 123"


def test_first_of_two_numbers():
    assert parse_phone("138 1234 5678 / 0755-12345678").value == "+8613812345678"


def test_region_option():
    assert parse_phone("03-2345 6789", region="MY").value == "+60323456789"
    assert parse_phone("03-2345 6789") is None  # not a Chinese number


@pytest.mark.parametrize("text", [
    "", "no phone", "12345", "1381234567", "Tel 12345678901",
    "0755-1234567",  # Shenzhen subscriber numbers have 8 digits
])
def test_not_phones(text):
    assert parse_phone(text) is None


def test_bad_region_is_no_phone():
    assert parse_phone("13812345678", region="nonsense") is None
