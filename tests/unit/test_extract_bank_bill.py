"""Bank bills: payer and payee blocks told apart, amounts cross-checked, dates and accounts checked."""

from __future__ import annotations

from datetime import date

import pytest

from extractors.extract import extract_document
from extractors.lines import OcrLine, box_polygon
from extractors.locate import Line, vertical_words
from tests.unit.lines_factory import line, page

TODAY = date(2024, 6, 1)
CHEQUE = page(
    "中国工商银行 转账支票  支票号码 10203040",
    "出票日期（大写）贰零贰肆年零叁月壹拾伍日  付款行名称：中国工商银行上海分行浦东支行",
    "收款人：上海华东贸易有限公司  出票人账号：6222021001116245702",
    "人民币（大写）壹万贰仟叁佰肆拾伍元陆角柒分",
    "小写 ¥12,345.67",
    "用途：货款",
    "出票人全称：北京远航科技有限公司",
)
DEPOSIT_SLIP = [
    line("中国建设银行 进账单", 0, 8),
    line("出票日期 2024年05月20日", 1, 8), line("票据号码 31000051", 1, 20),
    line("出票人", 2, 0), line("全称", 2, 3), line("深圳市南山物流有限公司", 2, 6),
    line("收款人", 2, 20), line("全称", 2, 23), line("杭州西湖食品有限公司", 2, 26),
    line("账号", 3, 3), line("44201501100052542567", 3, 6), line("账号", 3, 23), line("33001616782059000125", 3, 26),
    line("开户银行", 4, 3), line("中国建设银行深圳南山支行", 4, 7), line("开户银行", 4, 23), line("中国建设银行杭州西湖支行", 4, 27),
    line("金额 人民币（大写）伍仟元整", 5, 3), line("小写 ¥5,000.00", 5, 23),
]


def values(result) -> dict[str, str]:
    return {name: f.value for name, f in result.fields.items()}


def test_a_transfer_cheque_is_read_in_full():
    result = extract_document(CHEQUE, today=TODAY)
    got = values(result)
    assert result.doc_type == "bank_bill" and got["bill_type"] == "transfer_cheque"
    assert got["bill_number"] == "10203040" and got["issue_date"] == "2024-03-15"
    assert got["amount"] == got["amount_words"] == "12345.67"
    assert got["payee_name"] == "上海华东贸易有限公司" and got["payer_account"] == "6222021001116245702"
    assert got["payer_bank"] == "中国工商银行上海分行浦东支行" and got["purpose"] == "货款"
    assert got["payer_name"] == "北京远航科技有限公司"
    assert result.status == "done", result.reasons


def test_side_by_side_payer_and_payee_blocks_of_a_deposit_slip():
    got = values(extract_document(DEPOSIT_SLIP, today=TODAY))
    assert got["bill_type"] == "deposit_slip"
    assert (got["payer_name"], got["payee_name"]) == ("深圳市南山物流有限公司", "杭州西湖食品有限公司")
    assert (got["payer_account"], got["payee_account"]) == ("44201501100052542567", "33001616782059000125")
    assert (got["payer_bank"], got["payee_bank"]) == ("中国建设银行深圳南山支行", "中国建设银行杭州西湖支行")
    assert got["amount"] == got["amount_words"] == "5000.00" and got["issue_date"] == "2024-05-20"


def test_amount_in_words_must_equal_amount_in_digits():
    altered = [l if "小写" not in l.text else l.__class__("小写 ¥12,345.76", l.score, l.polygon) for l in CHEQUE]
    result = extract_document(altered, today=TODAY)
    assert result.status == "needs_review"
    assert result.fields["amount_words"].violations == [
        "amount in words (12345.67) differs from amount in digits (12345.76)"]


def test_future_dates_same_parties_and_bad_card_numbers_are_flagged():
    result = extract_document(CHEQUE, today=date(2024, 3, 1))
    assert "issue_date: date 2024-03-15 is in the future" in result.reasons
    same = page("转账支票 支票号码 10203040", "出票日期 2024年3月15日", "收款人：北京远航科技有限公司",
                "出票人账号：6222021001116245703", "出票人全称：北京远航科技有限公司",
                "人民币（大写）伍拾元整", "小写 ¥50.00")
    reasons = extract_document(same, today=TODAY).reasons
    assert any("payer_name and payee_name are the same" in r for r in reasons)
    assert "payer_account: card number fails its Luhn check digit" in reasons


def test_ocr_misreads_in_the_upper_case_amount_are_repaired():
    misread = [l if "大写）壹万" not in l.text else l.__class__("人民币（大写）壹万贰仟参佰肆拾伍元陆角柒分", l.score, l.polygon)
               for l in CHEQUE]
    got = extract_document(misread, today=TODAY).fields["amount_words"]
    assert got.value == "12345.67" and got.evidence.quality < 1.0  # repaired: a lower parse quality
    assert got.evidence.confirmed == 1  # and the digits agree with it


def test_amount_printed_in_digit_boxes_is_read_from_its_row():
    boxes = [line("进账单（回单）", 0, 8), line("出票日期 2024年05月20日", 1, 8), line("票据号码 31000051", 1, 24),
             line("金额 人民币（大写）伍仟元整", 2, 0),
             line("¥", 3, 30), line("5", 3, 32), line("0", 3, 34), line("0", 3, 36), line("0", 3, 38), line("0", 3, 40),
             line("0", 3, 42)]
    fields = extract_document(boxes, "bank_bill", today=TODAY).fields
    assert fields["amount"].value == "5000.00" and fields["amount"].how == "row"
    assert fields["amount_words"].value == "5000.00"


def test_an_unlabelled_cheque_number_is_the_one_printed_largest():
    small, large = line("30205459", 0, 40), line("38044321", 1, 40)
    large = large.__class__(large.text, large.score, ((1010, 90), (1250, 90), (1250, 140), (1010, 140)))
    cheque = [line("转账支票", 0, 10), small, large] + CHEQUE[1:]
    cheque = [l for l in cheque if "支票号码" not in l.text]
    assert extract_document(cheque, today=TODAY).fields["bill_number"].value == "38044321"


def _vertical_slip(payer_label: list[tuple[str, float, float]]) -> list[OcrLine]:
    """A deposit slip laid out as printed: the 出票人 / 收款人 labels stand top to bottom beside
    their blocks; ``payer_label`` gives the payer label's pieces as (text, top, bottom)."""
    def at(text, x0, y0, x1, y1):
        return OcrLine(text, 0.99, box_polygon(x0, y0, x1, y1))

    return [
        at("中国建设银行", 60, 46, 253, 82), at("进账单(回单)", 648, 39, 973, 85), at("No 31000051", 1446, 53, 1600, 74),
        at("2024年05月20日", 725, 117, 933, 145),
        *(at(text, 58, top, 93, bottom) for text, top, bottom in payer_label),
        at("收款人", 839, 212, 883, 321),
        at("全称", 140, 187, 201, 210), at("深圳市南山物流有限公司", 254, 191, 566, 217),
        at("全称", 925, 187, 986, 210), at("杭州西湖食品有限公司", 1039, 191, 1330, 217),
        at("账号", 140, 260, 200, 284), at("44201501100052542567", 254, 268, 510, 287),
        at("账号", 925, 260, 985, 284), at("33001616782059000125", 1039, 268, 1295, 287),
        at("开户银行", 122, 333, 218, 357), at("中国建设银行深圳南山支行", 254, 338, 542, 362),
        at("开户银行", 907, 333, 1003, 357), at("中国建设银行杭州西湖支行", 1039, 338, 1327, 362),
        at("人民币(大写)伍仟元整", 140, 420, 500, 445), at("¥5,000.00", 1100, 420, 1250, 445),
    ]


@pytest.mark.parametrize("pieces", [
    [("出票人", 212, 321)],
    [("出", 214, 260), ("票人", 244, 318)],  # the detector cut the label; the pieces overlap
    [("出", 212, 249), ("票", 252, 286), ("人", 281, 309)],
], ids=["whole", "two-pieces", "three-pieces"])
def test_a_vertical_party_label_cut_into_pieces_still_heads_its_block(pieces):
    got = values(extract_document(_vertical_slip(pieces), today=TODAY))
    assert (got.get("payer_name"), got.get("payee_name")) == ("深圳市南山物流有限公司", "杭州西湖食品有限公司")
    assert (got.get("payer_account"), got.get("payee_account")) == ("44201501100052542567", "33001616782059000125")
    assert (got.get("payer_bank"), got.get("payee_bank")) == ("中国建设银行深圳南山支行", "中国建设银行杭州西湖支行")


def test_single_characters_side_by_side_or_far_apart_are_not_joined_into_a_label():
    lines = [Line(i, l, l.text) for i, l in enumerate([
        OcrLine("出", 0.99, box_polygon(58, 214, 93, 250)), OcrLine("票", 0.99, box_polygon(100, 214, 135, 250)),
        OcrLine("人", 0.99, box_polygon(58, 400, 93, 436)), OcrLine("9", 0.99, box_polygon(58, 252, 93, 288)),
    ])]
    assert vertical_words(lines) == []


def test_a_slip_whose_parties_are_the_columns_of_a_table_with_row_labels_at_the_left():
    lines = [line("广发银行", 0, 0), line("进账单（收账通知）", 0, 26), line("2024年3月15日", 1, 30),
             line("项目", 2, 2), line("收款人", 2, 18), line("付款人", 2, 46),
             line("全称", 3, 2), line("太原丰泽物业管理有限公司", 3, 8), line("太原兴隆家居有限公司", 3, 36),
             line("账号", 4, 2), line("8147366584120553558", 4, 8), line("333177850796202402843", 4, 36),
             line("开户行", 5, 2), line("广发银行太原平阳路支行", 5, 8), line("中国邮政储蓄银行太原小店区支行", 5, 36),
             line("人民币（大写）柒拾肆万柒仟零叁拾捌元陆角肆分", 6, 8), line("票据号码18047814", 7, 36)]
    got = values(extract_document(lines, today=TODAY, threshold=0.0))
    assert (got["payee_name"], got["payee_account"]) == ("太原丰泽物业管理有限公司", "8147366584120553558")
    assert (got["payer_name"], got["payer_account"]) == ("太原兴隆家居有限公司", "333177850796202402843")
    assert got["payer_bank"] == "中国邮政储蓄银行太原小店区支行"


def test_a_company_name_cut_where_the_stub_wraps_it_is_read_whole():
    body = [line(item.text, row, 0) for row, item in enumerate(CHEQUE[:-1])]
    stub = [line("出票人：", 7, 40), line("温州丰泽供应链管理有限公", 8, 40),
            line("财务专用章", 9, 0), line("司", 9, 40)]  # the body's seal box far left in the wrapped line's row
    got = values(extract_document(body + stub, today=TODAY))
    assert got["payer_name"] == "温州丰泽供应链管理有限公司"


def test_a_label_inside_another_fields_longer_label_is_not_its_own():
    cheque = page("中国银行转账支票 No.9176474826060647", "出票人账号243048887671", "款期限十",
                  "收款人宁波创新汽车配件集团有限公司", "出票日期（大写）贰零贰肆年叁月贰拾柒日", "人民币（大写）伍拾肆万玖仟肆佰元整")
    got = values(extract_document(cheque, today=TODAY))
    assert got["payer_account"] == "243048887671"
    assert "payer_name" not in got  # 出票人 of 出票人账号 heads no name: the margin's 款期限十 below it is none
    assert got["payee_name"] == "宁波创新汽车配件集团有限公司"


def test_a_deposit_slips_own_serial_is_its_bill_number_and_the_deposited_cheques_is_apart():
    slip = DEPOSIT_SLIP + [line("No 05052998", 0, 40)]
    result = extract_document(slip, today=TODAY)
    got = values(result)
    assert (got["bill_number"], got["deposited_number"]) == ("05052998", "31000051")
    without_serial = extract_document(DEPOSIT_SLIP, today=TODAY)
    assert "bill_number" not in without_serial.fields and values(without_serial)["deposited_number"] == "31000051"
    assert not any("bill_number" in reason for reason in without_serial.reasons)  # a slip need not print its own number
