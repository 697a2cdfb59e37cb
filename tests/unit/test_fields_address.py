"""Addresses: label stripping and the cpca split."""

import pytest

from extractors.fields import join_address_lines, parse_address


@pytest.mark.parametrize(("text", "value", "parts"), [
    ("收件地址：广东省深圳市南山区科技园南区 高新南七道 88号", "广东省深圳市南山区科技园南区高新南七道88号",
     ("广东省", "深圳市", "南山区", "科技园南区高新南七道88号")),
    ("地址 北京市海淀区中关村大街1号", "北京市海淀区中关村大街1号",
     ("北京市", "北京市", "海淀区", "中关村大街1号")),
    ("深圳南山区粤海街道", "深圳南山区粤海街道", ("广东省", "深圳市", "南山区", "粤海街道")),
    ("湖北省仙桃市沙嘴街道", "湖北省仙桃市沙嘴街道", ("湖北省", None, "仙桃市", "沙嘴街道")),
])
def test_chinese_addresses(text, value, parts):
    parsed = parse_address(text)
    assert parsed.value == value
    assert parsed.normalized == dict(zip(("province", "city", "district", "detail"), parts))
    assert parsed.quality == 1.0


def test_span_starts_after_label():
    text = "收件地址：广东省深圳市南山区科技园"
    parsed = parse_address(text)
    assert text[parsed.start:parsed.end] == "广东省深圳市南山区科技园"


def test_partial_split_lowers_quality():
    partial = parse_address("广州天河体育西路")
    assert partial.normalized["city"] == "广州市"
    assert 0.5 < partial.quality < 1.0
    unknown = parse_address("中关村大街1号")
    assert unknown.normalized == {"province": None, "city": None, "district": None,
                                  "detail": "中关村大街1号"}
    assert unknown.quality < partial.quality


def test_latin_address_keeps_spaces():
    parsed = parse_address("Address:  12, Jalan Ampang,  50450 Kuala Lumpur")
    assert parsed.value == "12, Jalan Ampang, 50450 Kuala Lumpur"
    assert parsed.normalized == {"province": None, "city": None, "district": None,
                                 "detail": "12, Jalan Ampang, 50450 Kuala Lumpur"}


@pytest.mark.parametrize("text", ["", "   ", "地址：", "Address:", "：，"])
def test_no_address(text):
    assert parse_address(text) is None


def test_join_address_lines():
    assert join_address_lines(["广东省深圳市", " 南山区科技园 ", "", "88号"]) == (
        "广东省深圳市南山区科技园88号")
    assert join_address_lines(["12 Jalan Ampang", "50450 Kuala Lumpur"]) == (
        "12 Jalan Ampang 50450 Kuala Lumpur")
    assert join_address_lines([]) == ""
