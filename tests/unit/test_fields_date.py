"""Dates in numeric, named-month and Chinese upper-case forms."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.fields import parse_date

DATES = st.dates(min_value=dt.date(1969, 1, 1), max_value=dt.date(2068, 12, 31))  # %y range
UPPER_DIGITS = "零壹贰叁肆伍陆柒捌玖"


@pytest.mark.parametrize(("text", "iso"), [
    ("2024-03-15", "2024-03-15"),
    ("开票日期：2024年3月15日", "2024-03-15"),
    ("2024年03月15日 10:30", "2024-03-15"),
    ("2024.03.15", "2024-03-15"),
    ("2024/3/15", "2024-03-15"),
    ("20240315", "2024-03-15"),
    ("Date: 2024-03-15T10:30:00", "2024-03-15"),
    ("15/03/2024", "2024-03-15"),
    ("15.03.2024 14:02", "2024-03-15"),
    ("15-03-24", "2024-03-15"),
    ("15-Mar-2024", "2024-03-15"),
    ("March 15, 2024", "2024-03-15"),
    ("Mar 15th 2024", "2024-03-15"),
    ("15 MAR 24", "2024-03-15"),
    ("5 Sept. 2023", "2023-09-05"),
    ("15 May 99", "1999-05-15"),
    ("出票日期（大写）贰零贰肆年零叁月壹拾伍日", "2024-03-15"),
    ("贰零贰肆年零壹拾月叁拾壹日", "2024-10-31"),
    ("贰零贰肆年壹拾贰月零捌日", "2024-12-08"),
    ("二〇二四年三月十五日", "2024-03-15"),
])
def test_date_formats(text, iso):
    parsed = parse_date(text)
    assert parsed.value == iso
    assert parsed.normalized == iso
    assert parsed.quality == 1.0


def test_span_excludes_label_and_time():
    text = "出票日期（大写）贰零贰肆年零叁月壹拾伍日 10:30"
    parsed = parse_date(text)
    assert text[parsed.start:parsed.end] == "贰零贰肆年零叁月壹拾伍日"


def test_day_first_option():
    assert parse_date("03/04/2024").value == "2024-04-03"
    assert parse_date("03/04/2024", day_first=False).value == "2024-03-04"


def test_only_possible_order_is_taken_at_lower_quality():
    parsed = parse_date("03/15/2024")
    assert parsed.value == "2024-03-15"
    assert parsed.quality < 1.0


@pytest.mark.parametrize(("text", "iso"), [
    ("贰雾贰肆年零参月壹拾伍日", "2024-03-15"),  # 零→雾, 叁→参 as PP-OCRv4 misreads them
    ("贰零贰肆年零叁月壹拾伍曰", "2024-03-15"),
])
def test_upper_case_ocr_repairs(text, iso):
    parsed = parse_date(text)
    assert parsed.value == iso
    assert parsed.quality < 1.0


@pytest.mark.parametrize("text", [
    "", "no date here", "2024-13-01", "2024-02-30", "31/02/2024", "13/13/2024",
    "贰零贰肆年壹拾叁月零壹日", "total 12.50", "0000-01-01", "31 Feb 2024",
])
def test_not_dates(text):
    assert parse_date(text) is None


def _upper(date: dt.date) -> str:
    """A bill date in upper case, 零-padded as banks write month and day."""
    def padded(n: int) -> str:
        tens, ones = divmod(n, 10)
        text = (UPPER_DIGITS[tens] + "拾" if tens else "") + (UPPER_DIGITS[ones] if ones else "")
        return "零" + text if n <= 10 or n in (20, 30) else text

    year = "".join(UPPER_DIGITS[int(d)] for d in str(date.year))
    return f"{year}年{padded(date.month)}月{padded(date.day)}日"


@settings(max_examples=200, deadline=None)
@given(DATES)
def test_round_trip(date):
    iso = date.isoformat()
    texts = [
        iso, date.strftime("%Y年%m月%d日"), date.strftime("%d/%m/%Y"),
        date.strftime("%d-%b-%Y"), date.strftime("%B %d, %Y"), date.strftime("%d %b %y"),
        _upper(date),
    ]
    for text in texts:
        assert parse_date(f"日期 {text} 12:00").value == iso, text


def test_a_time_glued_to_the_year_by_ocr_does_not_hide_the_date():
    assert parse_date("Date:25/12/20188:13:39PM").value == "2018-12-25"
    assert parse_date("11/01/201909:44:00").value == "2019-01-11"
    assert parse_date("25/12/201812") is None  # digits glued on without a time: no guess


@pytest.mark.parametrize("text,iso", [
    ("05 Mar 201818:24", "2018-03-05"),
    ("29/03/1813:24", "2018-03-29"),
    ("18-10-1715:16", "2017-10-18"),
    ("Date: 2016/05/0114:11:20", "2016-05-01"),
])
def test_every_date_form_survives_a_glued_time(text, iso):
    assert parse_date(text).value == iso
