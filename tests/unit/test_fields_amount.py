"""Amounts in digits and in Chinese upper-case words."""

from decimal import Decimal

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.fields import parse_amount, parse_amount_words

AMOUNTS = st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2)


@pytest.mark.parametrize(("text", "amount", "currency"), [
    ("1,234.56", "1234.56", None),
    ("1.234,56", "1234.56", None),
    ("1 234,56", "1234.56", None),
    ("1234,56", "1234.56", None),
    ("1234", "1234.00", None),
    ("1,234,567.8", "1234567.80", None),
    ("１２３４．５６", "1234.56", None),
    ("¥1,234.56元", "1234.56", "CNY"),
    ("￥ 88.00", "88.00", "CNY"),
    ("RMB 100", "100.00", "CNY"),
    ("合计：100元", "100.00", "CNY"),
    ("人民币 3,000.00", "3000.00", "CNY"),
    ("USD 1,000", "1000.00", "USD"),
    ("$5.5", "5.50", "USD"),
    ("TOTAL RM 9.00", "9.00", "MYR"),
    ("TOTAL RM9.00", "9.00", "MYR"),
    ("TOTALRM9.00", "9.00", "MYR"),
    ("9.00 SR", "9.00", None),
    ("INV12345 total 9.00", "9.00", None),
    ("2024-03-15 合计 100元", "100.00", "CNY"),
])
def test_amount_formats(text, amount, currency):
    parsed = parse_amount(text)
    assert parsed.value == amount
    assert parsed.normalized == {"amount": amount, "currency": currency}


def test_amount_span_covers_currency_and_number_only():
    text = "TOTAL RM 9.00 SR"
    parsed = parse_amount(text)
    assert text[parsed.start:parsed.end] == "RM 9.00"


def test_full_width_span_maps_to_input():
    text = "金额：￥１２３４．５６"
    parsed = parse_amount(text)
    assert text[parsed.start:parsed.end] == "￥１２３４．５６"


def test_prefer_picks_among_several_numbers():
    text = "Qty 2 9.00 18.00 0.50"
    assert parse_amount(text, prefer="first").value == "2.00"
    assert parse_amount(text, prefer="last").value == "0.50"
    assert parse_amount(text, prefer="largest").value == "18.00"


def test_decimal_comma_option_forces_convention():
    assert parse_amount("1,234", decimal_comma=True) is None  # 3 decimals: not an amount
    assert parse_amount("1,23", decimal_comma=True).value == "1.23"
    assert parse_amount("1.234", decimal_comma=True).value == "1234.00"
    assert parse_amount("1,234", decimal_comma=False).value == "1234.00"


def test_guessed_thousands_dot_costs_quality():
    assert parse_amount("1.234").value == "1234.00"
    assert parse_amount("1.234").quality < 1.0
    assert parse_amount("1,234").quality == 1.0


@pytest.mark.parametrize("text", [
    "no amount here", "", "12.5%", "2024-03-15", "10:30", "INV12345", "1.2345", "1,2,3",
])
def test_not_amounts(text):
    assert parse_amount(text) is None


def _conventions(value: Decimal) -> list[str]:
    en = f"{value:,.2f}"
    plain = f"{value:.2f}"
    out = [
        en,
        en.replace(",", "_").replace(".", ",").replace("_", "."),
        en.replace(",", " ").replace(".", ","),
        plain,
        plain.replace(".", ","),
    ]
    if value == value.to_integral_value():
        out += [f"{value:,.0f}", f"{value:.0f}"]
    return out


@settings(max_examples=200)
@given(AMOUNTS)
def test_amount_round_trip_in_every_convention(value):
    for text in _conventions(value):
        parsed = parse_amount(f"合计 {text} 元")
        assert parsed is not None, text
        assert Decimal(parsed.value) == value, text
        assert parsed.value == f"{value:.2f}"


@pytest.mark.parametrize(("text", "amount"), [
    ("壹万贰仟叁佰肆拾伍元陆角柒分", "12345.67"),
    ("壹佰元整", "100.00"),
    ("壹佰元正", "100.00"),
    ("壹佰圆整", "100.00"),
    ("人民币（大写）壹万贰仟叁佰肆拾伍元陆角柒分", "12345.67"),
    ("金额大写：贰拾元零伍分", "20.05"),
    ("壹仟零伍元整", "1005.00"),
    ("壹亿零叁佰万元整", "103000000.00"),
    ("伍角", "0.50"),
    ("伍分", "0.05"),
    ("壹拾元壹角", "10.10"),
    ("壹佰元伍角整", "100.50"),
    ("零元整", "0.00"),
    ("拾伍元", "15.00"),
    ("壹佰萬元整", "1000000.00"),
])
def test_amount_words(text, amount):
    parsed = parse_amount_words(text)
    assert parsed.value == amount
    assert parsed.normalized == {"amount": amount, "currency": "CNY"}
    assert parsed.quality == 1.0


def test_amount_words_span_excludes_label():
    text = "人民币（大写）壹佰元整"
    parsed = parse_amount_words(text)
    assert text[parsed.start:parsed.end] == "壹佰元整"


@pytest.mark.parametrize(("text", "amount"), [
    ("参佰元整", "300.00"),          # 叁 read as 参 (measured on real bills)
    ("壹万雾伍元整", "10005.00"),    # 零 read as 雾 (measured)
    ("壹佰肄拾元整", "140.00"),
    ("玫拾元整", "90.00"),
    ("壹什元整", "1000.00"),
])
def test_amount_words_ocr_repairs_lower_quality(text, amount):
    parsed = parse_amount_words(text)
    assert parsed.value == amount
    assert parsed.quality < 1.0


@pytest.mark.parametrize("text", [
    "", "没有金额", "壹佰", "元整", "什么", "O元", "参元", "1234.56", "佰佰元",
])
def test_not_amount_words(text):
    assert parse_amount_words(text) is None


def _bank_form(value: Decimal) -> str:
    """Upper-case amount as banks write it, independent of cn2an's an2cn."""
    digits = "零壹贰叁肆伍陆柒捌玖"
    yuan, cents = divmod(int(value * 100), 100)
    jiao, fen = divmod(cents, 10)
    text = cn2an.an2cn(str(yuan), "up") + "元" if yuan else ""
    if jiao:
        text += digits[jiao] + "角"
    elif fen and yuan:
        text += "零"
    if fen:
        text += digits[fen] + "分"
    return text + ("整" if not fen else "") if text else "零元整"


@settings(max_examples=200)
@given(AMOUNTS)
def test_amount_words_round_trip(value):
    for text in (cn2an.an2cn(str(value), "rmb"), _bank_form(value)):
        parsed = parse_amount_words(f"人民币（大写）{text}")
        assert parsed is not None, text
        assert parsed.value == f"{value:.2f}", text
