"""Weights, free text and names."""

import pytest

from extractors.fields import parse_name, parse_text, parse_weight


@pytest.mark.parametrize(("text", "kg"), [
    ("1.5kg", "1.5"), ("1.5 KG", "1.5"), ("1500g", "1.5"), ("重量: 2公斤", "2"),
    ("毛重 3.25千克", "3.25"), ("1,5 kg", "1.5"), ("1,500 g", "1.5"), ("15克", "0.015"),
    ("3 lbs", "1.361"), ("2斤", "1"), ("1.2t", "1200"), ("0.0004 kg", "0"),
])
def test_weights(text, kg):
    parsed = parse_weight(text)
    assert parsed.value == kg
    assert parsed.normalized == {"kg": kg}


@pytest.mark.parametrize("text", ["", "5 gallons", "no weight", "12", "kg"])
def test_not_weights(text):
    assert parse_weight(text) is None


@pytest.mark.parametrize(("text", "value"), [
    ("备注： 请尽快发货！", "请尽快发货"),
    ("Note:  hello   world. ", "hello world"),
    ("Time 10:30", "Time 10:30"),
    ("《合同》", "合同"),
])
def test_text(text, value):
    parsed = parse_text(text)
    assert parsed.value == value
    assert parsed.normalized == value
    assert parsed.value in text or value == "hello world"


def test_text_span_and_strip_label_option():
    text = "备注： 请尽快发货！"
    parsed = parse_text(text)
    assert text[parsed.start:parsed.end] == "请尽快发货"
    assert parse_text("a: b", strip_label=False).value == "a: b"


@pytest.mark.parametrize("text", ["", "  ", "::", "备注："])
def test_no_text(text):
    assert parse_text(text) is None


@pytest.mark.parametrize(("text", "name", "quality"), [
    ("收件人：张三", "张三", 1.0),
    ("收件人张三", "张三", 1.0),
    ("Name: ACME Sdn. Bhd.", "ACME Sdn. Bhd", 1.0),
    ("出票人全称：深圳市某某科技有限公司", "深圳市某某科技有限公司", 1.0),
    ("收件人张三13812345678", "张三", 0.8),
    ("姓名: 李四 138-1234-5678", "李四", 0.8),
])
def test_names(text, name, quality):
    parsed = parse_name(text)
    assert parsed.value == name
    assert parsed.quality == quality


@pytest.mark.parametrize("text", ["", "13812345678", "张", "姓名：", "12 34"])
def test_not_names(text):
    assert parse_name(text) is None


@pytest.mark.parametrize("text", ["密码", "复核", "小写)¥", "金额￥100"])
def test_a_form_box_or_an_amount_label_is_no_name(text):
    assert parse_name(text) is None


def test_a_bank_is_no_party_where_the_bank_has_a_field_of_its_own():
    bank = "中国建设银行股份有限公司乌鲁木齐新市支行"
    assert parse_name(bank).value == bank
    assert parse_name(bank, bank=False) is None
    assert parse_name("乌鲁木齐润泽机械设备股份有限公司", bank=False) is not None


def test_brackets_in_a_chinese_name_are_printed_full_width():
    assert parse_name("全称：宏图(重庆)食品有限公司").value == "宏图（重庆）食品有限公司"
    assert parse_name("宏图（重庆）食品有限公司").value == "宏图（重庆）食品有限公司"
    assert parse_name("ACME (M) SDN BHD").value == "ACME (M) SDN BHD"


def test_name_max_len():
    assert parse_name("深圳市某某科技有限公司", max_len=5) is None
    assert parse_name("深圳市某某科技有限公司", max_len=11).value == "深圳市某某科技有限公司"


def test_a_bare_weight_counts_only_when_the_label_gave_the_unit():
    from extractors.fields import parse

    assert parse("weight", "(kg): 1.6", default_unit="kg").value == "1.6"
    assert parse("weight", "1.6") is None
    assert parse("weight", "1500", default_unit="g").value == "1.5"
