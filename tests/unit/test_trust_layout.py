"""Whole documents through extract_document: layout-free fields of unknown documents, thermal
waybills whose parties carry no labels, amounts filled by a cross-check, and receipt dates."""

from __future__ import annotations

from datetime import date

import pytest

from extractors.extract import extract_document
from extractors.layout_free import MAX_PER_KIND, layout_free_fields
from extractors.lines import OcrLine, box_polygon
from tests.unit.lines_factory import line, page

TODAY = date(2024, 6, 1)


def values(result) -> dict[str, str]:
    return {name: f.value for name, f in result.fields.items()}


# --- documents of no known type ------------------------------------------------------------------

NOTICE = page(
    "会议通知",
    "联系人 王小明 13812345678",
    "备用 李四 13912345678",
    "时间 2024年3月15日",
    "地址：浙江省宁波市鄞州区中山东路100号",
    "会费 ¥1,200.00",
)


def test_layout_free_fields_find_every_kind_numbered_in_reading_order():
    found = layout_free_fields(NOTICE)
    assert {n: f["value"] for n, f in found.items()} == {
        "phone": "+8613812345678", "phone_2": "+8613912345678", "name": "王小明", "name_2": "李四",
        "date": "2024-03-15", "amount": "1200.00", "address": "浙江省宁波市鄞州区中山东路100号"}
    assert all(f["evidence"].how == "layout_free" for f in found.values())


def test_layout_free_boxes_point_at_the_value_inside_its_line():
    phone = layout_free_fields(NOTICE)["phone"]
    line_x0, _, line_x1, _ = NOTICE[1].bbox
    x0, y0, x1, y1 = phone["bbox"]
    assert line_x0 < x0 < x1 <= line_x1 and (y0, y1) == (NOTICE[1].bbox[1], NOTICE[1].bbox[3])
    assert phone["raw_text"] == "联系人 王小明 13812345678" and phone["page"] == 1


def test_layout_free_keeps_at_most_a_few_distinct_values_of_a_kind():
    repeated = page(*[f"分机 1381234567{i}" for i in range(8)], "再次 13812345670")
    phones = [n for n in layout_free_fields(repeated) if n.startswith("phone")]
    assert phones == ["phone"] + [f"phone_{i}" for i in range(2, MAX_PER_KIND + 1)]


def test_layout_free_phone_numbers_are_read_in_the_documents_region():
    lines = page("Meeting notes", "Call 612 355 5600", "12 Main Street, Springfield")
    found = layout_free_fields(lines, "US")
    assert found["phone"]["value"] == "+16123555600"
    assert found["address"]["value"] == "12 Main Street, Springfield"  # a Latin street number


def test_an_unknown_document_goes_to_review_with_its_fields_calibrated():
    result = extract_document(NOTICE, today=TODAY)
    assert (result.doc_type, result.template, result.status) == ("unknown", None, "needs_review")
    assert result.reasons == ["document type unknown"] and result.problems == ["document type unknown"]
    assert values(result)["phone"] == "+8613812345678" and values(result)["name"] == "王小明"
    assert all(0.0 < f.confidence < 1.0 and f.how == "layout_free" for f in result.fields.values())


@pytest.mark.parametrize("text", ["电话 13812345678", "手机：13812345678"])
def test_a_phone_label_is_not_a_persons_name(text):
    result = extract_document(page("随便写点什么", text), today=TODAY)
    assert values(result)["phone"] == "+8613812345678"
    assert "name" not in result.fields


def test_a_name_glued_to_its_label_is_cut_at_the_label():
    result = extract_document(page("随便写点什么", "收货人张伟 13812345678"), today=TODAY)
    assert values(result).get("name") in (None, "张伟")


def test_layout_free_dates_follow_the_documents_country():
    lines = page("Meeting notes", "Call (612) 355-5600", "Minneapolis, MN 55414", "Due 03/04/2025")
    assert values(extract_document(lines, today=TODAY))["date"] == "2025-03-04"


# --- thermal waybills -----------------------------------------------------------------------------

def at(text: str, x0: float, y0: float, size: float) -> OcrLine:
    """A line printed ``size`` pixels tall (thermal labels print the receiver large)."""
    return OcrLine(text, 0.99, box_polygon(x0, y0, x0 + size * len(text), y0 + size))


GLYPHS = [
    at("京东物流", 50, 20, 60), at("JD0012345678901", 50, 100, 30),
    at("收", 50, 170, 90), at("向轩 15712345678", 160, 170, 36), at("浙江省宁波市鄞州区中山东路100号", 160, 215, 30),
    at("寄", 50, 300, 60), at("王敏 13912345678", 160, 300, 24), at("北京市朝阳区建国路88号", 160, 330, 24),
    at("2024-03-15", 50, 400, 24),
]
NO_MARKS = [  # no label and no glyph: the block printed largest is the receiver's
    at("中通快递", 50, 20, 60), at("731234567890", 50, 100, 30),
    at("向轩 15712345678", 50, 170, 40), at("浙江省宁波市鄞州区中山东路100号", 50, 215, 40),
    at("王敏 13912345678", 50, 300, 24), at("北京市朝阳区建国路88号", 50, 330, 24),
    at("2024-03-15", 50, 400, 24),
]


@pytest.mark.parametrize("lines,carrier", [(GLYPHS, "JD"), (NO_MARKS, "ZTO")], ids=["glyphs", "no-marks"])
def test_a_thermal_waybill_is_a_waybill_with_receiver_and_sender_told_apart(lines, carrier):
    result = extract_document(lines, today=TODAY, threshold=0.0)
    got = values(result)
    assert result.doc_type == "courier_waybill" and got["carrier"] == carrier
    assert (got["receiver_name"], got["receiver_phone"]) == ("向轩", "+8615712345678")
    assert got["receiver_address"] == "浙江省宁波市鄞州区中山东路100号"
    assert (got["sender_name"], got["sender_phone"]) == ("王敏", "+8613912345678")
    assert got["sender_address"] == "北京市朝阳区建国路88号"


def test_lone_glyphs_decide_the_type_without_any_label():
    lines = [line("收", 0), line("向轩 15712345678", 0, 3), line("浙江省宁波市鄞州区中山东路100号", 1, 3),
             line("寄", 3), line("王敏 13912345678", 3, 3), line("JD0012345678901", 5)]
    assert extract_document(lines, today=TODAY).doc_type == "courier_waybill"


def test_the_carriers_printed_name_next_to_the_receiver_is_never_the_receivers_name():
    lines = [at("JD0012345678901", 50, 20, 30),
             at("收", 50, 170, 90), at("京东物流", 160, 130, 36), at("向轩 15712345678", 160, 170, 36),
             at("浙江省宁波市鄞州区中山东路100号", 160, 215, 30),
             at("寄", 50, 300, 60), at("王敏 13912345678", 160, 300, 24), at("北京市朝阳区建国路88号", 160, 330, 24),
             at("2024-03-15", 50, 400, 24)]
    got = values(extract_document(lines, today=TODAY, threshold=0.0))
    assert got["receiver_name"] == "向轩" and got["carrier"] == "JD"


def test_a_carrier_above_the_name_line_of_an_unmarked_waybill_is_skipped():
    lines = [at("731234567890", 50, 20, 30), at("中通快递", 50, 120, 40)] + NO_MARKS[2:]
    got = values(extract_document(lines, today=TODAY, threshold=0.0))
    assert got["receiver_name"] == "向轩"


def test_a_waybill_phone_outside_every_numbering_plan_is_no_phone():
    # 174 is China's satellite range: 17411805694 is not a valid number, so the receiver's
    # phone is missing and the waybill goes to review instead of carrying a made-up number
    lines = [at("JD0012345678901", 50, 20, 30), at("收", 50, 170, 90), at("向轩 17411805694", 160, 170, 36),
             at("浙江省宁波市鄞州区中山东路100号", 160, 215, 30), at("寄", 50, 300, 60),
             at("王敏 13912345678", 160, 300, 24), at("2024-03-15", 50, 400, 24)]
    result = extract_document(lines, today=TODAY)
    assert result.status == "needs_review" and "required field receiver_phone not found" in result.reasons
    assert values(result)["receiver_name"] == "向轩"


@pytest.mark.parametrize("lines", [
    [at("京东物流", 50, 20, 60), at("JD0012345678901", 50, 100, 30),
     at("收", 50, 170, 90), at("15712345678", 160, 170, 36), at("浙江省宁波市鄞州区中山东路100号", 160, 215, 30),
     at("寄", 50, 300, 60), at("王敏 13912345678", 160, 300, 24), at("北京市朝阳区建国路88号", 160, 330, 24)],
    [at("中通快递", 50, 20, 60), at("731234567890", 50, 100, 30),
     at("15712345678", 50, 170, 40), at("浙江省宁波市鄞州区中山东路100号", 50, 215, 40),
     at("王敏 13912345678", 50, 300, 24), at("北京市朝阳区建国路88号", 50, 330, 24)],
], ids=["glyphs", "no-marks"])
def test_a_receivers_address_is_never_taken_for_the_receivers_name(lines):
    got = values(extract_document(lines, today=TODAY, threshold=0.0))
    assert got["receiver_phone"] == "+8615712345678"
    assert "receiver_name" not in got


def test_the_same_phone_for_both_parties_sends_the_waybill_to_review():
    lines = [line("顺丰速运 运单号：SF1234567890123", 0), line("收件人：张伟 13812345678", 1),
             line("地址：广东省深圳市南山区科技园路18号", 2), line("寄件人：李娜 13812345678", 3),
             line("地址：浙江省杭州市西湖区文三路90号", 4), line("寄件日期：2024-03-15", 5)]
    result = extract_document(lines, today=TODAY)
    assert result.status == "needs_review"
    assert any("receiver_phone and sender_phone are the same" in r for r in result.reasons)
    assert result.fields["sender_phone"].violations


# --- an amount filled by its cross-check ------------------------------------------------------------

WORDS_ONLY = page(
    "中国工商银行 转账支票  支票号码 10203040",
    "出票日期（大写）贰零贰肆年零叁月壹拾伍日",
    "收款人：上海华东贸易有限公司  出票人账号：6222021001116245702",
    "人民币（大写）玖佰元整",
    "用途：货款",
    "出票人全称：北京远航科技有限公司",
)
BOTH = page(*(l.text for l in WORDS_ONLY[:4]), "小写 ¥900.00", *(l.text for l in WORDS_ONLY[4:]))


def test_a_bill_with_only_the_amount_in_words_gets_the_digits_from_it():
    result = extract_document(WORDS_ONLY, today=TODAY, threshold=0.0)
    amount, words = result.fields["amount"], result.fields["amount_words"]
    assert amount.value == words.value == "900.00"
    assert amount.how == "cross_check" and amount.raw_text == words.raw_text
    assert amount.confidence < words.confidence
    assert "required field amount not found" not in result.reasons


def test_an_amount_printed_in_digits_is_read_not_filled():
    amount = extract_document(BOTH, today=TODAY, threshold=0.0).fields["amount"]
    assert amount.value == "900.00" and amount.how != "cross_check" and amount.evidence.confirmed == 1


def test_a_filled_amount_does_not_confirm_the_words_it_was_copied_from():
    result = extract_document(WORDS_ONLY, today=TODAY, threshold=0.0)
    assert result.fields["amount_words"].evidence.confirmed == 0
    assert result.fields["amount"].evidence.confirmed == 0


# --- receipt dates --------------------------------------------------------------------------------

def _receipt(*rows: str, total: str = "TOTAL 12.50"):
    return extract_document(page("SOME SHOP", "12 MAIN STREET", *rows, total, "CASH 20.00"), "receipt",
                            today=TODAY, threshold=0.0)


def test_a_receipts_country_settles_an_ambiguous_date():
    us = extract_document(page("MAIN STREET DELI", "12 Main Street, Minneapolis, MN 55414", "Date: 03/04/2024",
                               "TOTAL 12.50", "CASH 20.00"), "receipt", today=TODAY)
    assert us.fields["date"].value == "2024-03-04"
    assert not any("ambiguously" in r for r in us.reasons)


def test_an_ambiguous_date_nothing_settles_goes_to_review():
    result = _receipt("Date: 03/04/2024")
    assert any(r.startswith("date: printed ambiguously") for r in result.reasons)


def test_an_unambiguous_date_elsewhere_settles_the_order():
    result = _receipt("Date: 03/04/2024", "Printed 25/04/2024")
    assert result.fields["date"].value == "2024-04-03"
    assert not any("ambiguously" in r for r in result.reasons)


def test_a_pos_printers_date_and_glued_time_are_read():
    assert _receipt("Date: Jun17'13 11:02AM").fields["date"].value == "2013-06-17"
    assert _receipt("Date: 15/03/202414:22").fields["date"].value == "2024-03-15"


def test_a_receipt_whose_only_date_is_a_product_code_goes_to_review():
    result = _receipt("HA06HD01-3-70 2.50")
    assert result.status == "needs_review"
    assert "required field date not found" in result.reasons


def test_a_product_code_above_the_real_date_does_not_hide_it():
    result = _receipt("HA06HD01-3-70 2.50", "15/03/2024 14:22")
    assert result.fields["date"].value == "2024-03-15"


def test_subtotal_and_tax_that_add_up_make_the_total_surer():
    added_up = _receipt("Date: 15/03/2024", "SUBTOTAL 10.00", "TAX 0.60", total="TOTAL 10.60")
    not_added = _receipt("Date: 15/03/2024", "SUBTOTAL 10.00", "TAX 0.60", total="TOTAL 10.90")
    assert added_up.fields["total"].evidence.confirmed == 1 and not_added.fields["total"].evidence.confirmed == 0
    assert added_up.fields["total"].confidence > not_added.fields["total"].confidence
    assert not any("total" in r for r in not_added.problems)  # not adding up is no violation


def test_the_last_glyph_of_a_vertical_label_below_the_address_is_not_part_of_it():
    lines = [at("圆通速递", 50, 20, 40), at("运单号：YT8781653823196", 220, 120, 26),
             at("向刚15842345560", 120, 180, 30),
             at("收", 55, 206, 30), at("件", 55, 236, 30), at("安徽省合肥市蜀山区潜山路871号阳光广场23楼", 117, 240, 30),
             at("人", 55, 270, 30),
             at("寄", 60, 430, 28), at("秦若曦024-41549415", 120, 430, 25), at("件", 60, 458, 28),
             at("人", 60, 486, 28), at("辽宁省沈阳市和平区南京北街596号阳光广场3楼", 120, 480, 22)]
    got = values(extract_document(lines, today=TODAY, threshold=0.0))
    assert got["receiver_address"] == "安徽省合肥市蜀山区潜山路871号阳光广场23楼"


def test_a_lone_character_wrapped_right_under_the_address_is_part_of_it():
    lines = [at("圆通速递", 50, 20, 40), at("运单号：YT8781653823196", 220, 120, 26),
             at("收", 28, 497, 46), at("向刚15842345560", 109, 450, 30),
             at("辽宁省沈阳市和平区三好街431号B栋1412", 109, 490, 30), at("室", 108, 533, 30),
             at("寄", 31, 700, 40), at("秦若曦024-41549415", 120, 700, 25), at("北京市朝阳区建国路88号", 120, 730, 25)]
    got = values(extract_document(lines, today=TODAY, threshold=0.0))
    assert got["receiver_address"] == "辽宁省沈阳市和平区三好街431号B栋1412室"


def test_an_address_wrapped_in_a_cell_beside_its_centred_label_is_read_whole_though_the_boxes_overlap():
    lines = [at("极兔速递", 52, 67, 48), at("No.JT6926533834663", 511, 73, 23),
             at("收件信息", 54, 616, 34), at("姓名", 50, 675, 36), at("诸葛清妍", 192, 672, 40),
             at("电话", 456, 677, 36), at("+8619532408039", 587, 680, 30),
             at("河南省洛阳市西工区中州中路106号蓝湾公寓C座", 193, 735, 38),
             at("地址", 52, 766, 40), at("709", 193, 767, 35)]
    got = values(extract_document(lines, doc_type="courier_waybill", today=TODAY, threshold=0.0))
    assert got["receiver_address"] == "河南省洛阳市西工区中州中路106号蓝湾公寓C座709"


def test_an_address_that_starts_after_the_phone_on_the_name_line_is_read_from_there():
    lines = [at("韵达快递", 30, 32, 54), at("4301262633578", 247, 242, 27),
             at("萧明远199-2149-4678新疆维吾尔", 151, 321, 35), at("自治区乌鲁木齐市天山区新华北路", 153, 368, 31),
             at("539号星河写字楼12F-2601", 152, 413, 31),
             at("乐亚楠191-9779-8372内蒙古自治区呼和浩", 151, 541, 31), at("特市新城区新华大街84号152弄20号1407室", 152, 579, 29),
             at("打印日期2025/4/13", 25, 704, 28)]
    got = values(extract_document(lines, doc_type="courier_waybill", today=TODAY, threshold=0.0))
    assert got["receiver_address"] == "新疆维吾尔自治区乌鲁木齐市天山区新华北路539号星河写字楼12F-2601"


@pytest.mark.parametrize("rows,kg", [
    (["计费重量（g)", "200"], "0.2"), (["重量(kg)：1.6"], "1.6"), (["重量（克）：350"], "0.35"), (["重量：2"], "2")])
def test_a_weight_is_read_in_the_unit_its_label_prints(rows, kg):
    lines = page("中国邮政速递物流", "邮件号：ED596896497CN", "收货人：袁瑾瑜 电话：17714796480", *rows)
    assert values(extract_document(lines, doc_type="courier_waybill", today=TODAY, threshold=0.0))["weight"] == kg


def test_an_address_after_the_phone_is_boxed_where_it_is_printed_though_punctuation_ends_the_line():
    lines = [at("韵达快递", 30, 32, 54), at("4301262633578", 247, 242, 27),
             at("萧明远199-2149-4678江苏省南京市鼓楼区虎踞路92号，", 100, 321, 30),
             at("乐亚楠191-9779-8372北京市朝阳区建国路88号", 100, 541, 30)]
    address = extract_document(lines, doc_type="courier_waybill", today=TODAY, threshold=0.0).fields["receiver_address"]
    assert address.value == "江苏省南京市鼓楼区虎踞路92号"
    assert address.bbox[0] == pytest.approx(100 + 16 * 30, abs=2)  # 江, the 17th character
