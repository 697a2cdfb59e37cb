"""`explain` says which template matched, which anchors were found, and why each field got its value."""

from __future__ import annotations

from extractors.explain import explain
from tests.unit.lines_factory import page

WAYBILL = page("顺丰速运 运单号：SF1234567890123", "收件人：张伟 13812345678", "地址：广东省深圳市南山区科技园路18号",
               "寄件人：李娜", "地址：火星")


def test_explain_reports_scores_variant_and_the_source_of_each_value():
    result = explain(WAYBILL)
    assert result.scores["courier_waybill"] > result.scores["bank_bill"]
    assert result.variant == "generic"
    assert result.why("receiver_phone").startswith("found same_line on page 1")
    anchors = [e for e in result.field_events("receiver_phone") if e["event"] == "anchor"]
    assert anchors[0]["label"] == "收件人" and anchors[0]["used"]


def test_explain_says_why_a_field_is_missing():
    result = explain(WAYBILL)
    assert result.why("weight") == "no anchor label found on any page"
    assert "none parsed" in result.why("sender_phone")  # 寄件人：李娜 has no phone number
    assert "sender_phone" not in result.extraction.fields
