"""Rules that keep a misread value from ending ``done``: a person's name without its surname."""

from __future__ import annotations

from dataclasses import replace

from extractors.extract import extract_document
from extractors.validate import persons_named
from tests.unit.lines_factory import page


def test_a_given_name_alone_is_no_full_name():
    checked = persons_named({"receiver_name": ("泽宇", "泽宇"), "sender_name": ("毕思彤", "毕思彤")})
    assert [(v.field, v.rule) for v in checked.violations] == [("receiver_name", "persons_named")]
    assert not persons_named({"receiver_name": ("John Smith", "John Smith")}).violations  # other scripts not judged


def test_a_waybill_whose_receiver_lost_the_surname_goes_to_review():
    lines = page("申通快递", "运单编号 7759489189564", "收件人：泽宇", "电话：13677677048",
                 "地址：江苏省无锡市梁溪区学前街445号", "寄件人：毕思彤", "电话：13812345678",
                 "寄件时间 2026-07-30")
    result = extract_document(lines, "courier_waybill", threshold=0.0)
    assert result.fields["receiver_name"].value == "泽宇"
    assert result.status == "needs_review"
    assert any("surname" in reason for reason in result.reasons)


WAYBILL = ("申通快递", "运单编号 7759489189564", "收件人：王泽宇", "电话：13677677048", "地址：上海市浦东新区世纪大道100号",
           "寄件人：毕思彤", "电话：13812345678", "寄件时间 2026-07-30")


def test_a_printed_sorting_code_is_read_as_printed_and_the_receivers_city_confirms_it():
    printed = extract_document(page(WAYBILL[0], "021-W 123", *WAYBILL[1:]), "courier_waybill", threshold=0.0)
    code = printed.fields["sorting_code"]
    assert code.value == "021-W 123" and code.how == "anywhere"
    assert code.evidence.confirmed > 0 and printed.fields["receiver_address"].evidence.confirmed > 0
    other = extract_document(page(WAYBILL[0], "351-654-Z80", *WAYBILL[1:]), "courier_waybill", threshold=0.0)
    assert other.fields["sorting_code"].value == "351-654-Z80"  # a carrier's own code: as printed, unconfirmed
    assert other.fields["sorting_code"].evidence.confirmed <= 0
    derived = extract_document(page(*WAYBILL), "courier_waybill", threshold=0.0).fields["sorting_code"]
    assert derived.value == "021" and derived.how == "derived from receiver_address"  # none printed: from the city


def test_a_sorting_code_vouches_for_the_city_so_an_address_with_a_character_read_unsurely_stays_unconfirmed():
    lines = page(WAYBILL[0], "021-W 123", *WAYBILL[1:])
    address = next(i for i, l in enumerate(lines) if l.text.startswith("地址"))
    chars = [0.99] * len(lines[address].text)
    chars[-3] = 0.88  # one character of the street read unsurely (公寓 → 公高)
    lines[address] = replace(lines[address], char_scores=tuple(chars))
    result = extract_document(lines, "courier_waybill", threshold=0.0)
    assert result.fields["sorting_code"].evidence.confirmed > 0
    assert result.fields["receiver_address"].evidence.confirmed == 0
    sure = extract_document(page(WAYBILL[0], "021-W 123", *WAYBILL[1:]), "courier_waybill", threshold=0.0)
    assert result.fields["receiver_address"].confidence < sure.fields["receiver_address"].confidence


def test_a_line_of_another_field_is_no_value_below_or_right_of_a_label_nor_an_address_line():
    cheque = page("兴业银行转账支票", ("出票人账号：476013423298652948", 20), ("付款银行兴业银行乌鲁木齐天山支行", 20),
                  "收款人大连宏图餐饮管理有限公司", "出票日期（大写）贰零贰叁年零壹拾月零玖日", "人民币（大写）伍拾肆万玖仟肆佰捌拾玖元整")
    result = extract_document(cheque, "bank_bill", threshold=0.0)
    assert "付款银行" not in (result.fields.get("payer_name").value if "payer_name" in result.fields else "")
    assert result.fields["payer_bank"].value == "兴业银行乌鲁木齐天山支行"
    waybill = page("申通快递", "运单编号 771815227002", "收货人：娄丽斌 13909211042", "四川省成都市锦江区人民街853号",
                   "寄件人：皇甫一 13812345678", "天津市滨海新区友谊大道406号东方家园23号楼", "数量：1件", "揽收时间：2025-07-02")
    sender = extract_document(waybill, "courier_waybill", threshold=0.0).fields["sender_address"]
    assert sender.value.endswith("东方家园23号楼")


def test_a_tracking_number_is_a_whole_token_and_deppon_numbers_are_known():
    from extractors.fields import parse

    assert parse("tracking_number", "运单号：DPK508415420636").normalized == {"carrier": "DEPPON",
                                                                          "number": "DPK508415420636"}
    assert parse("tracking_number", "单号 XYZ508415420636") is None  # no SF number inside another carrier's


def test_a_block_mark_read_onto_the_name_heads_its_block_and_a_time_label_heads_none():
    from tests.unit.lines_factory import line

    tab = [line("德邦快递", 0), line("运单号：DPK508415420636", 1), line("收杨海杰", 2), line("件", 3),
           line("13833642485", 3, 2), line("人", 4), line("地址：广东省广州市番禺区南京中路72号和谐小区10", 4, 2),
           line("栋6单元3002室", 5, 2), line("寄", 6), line("宗琦俊", 6, 2), line("件", 7), line("17354037993", 7, 2),
           line("地址：江苏省无锡市梁溪区迎宾中路357号", 8, 2), line("寄件时间：2024-02-01", 9)]
    fields = extract_document(tab, "courier_waybill", threshold=0.0).fields
    assert fields["receiver_name"].value == "杨海杰" and fields["sender_name"].value == "宗琦俊"
    assert fields["receiver_address"].value.endswith("10栋6单元3002室")  # not the sender's name after it
    payment = page("申通快递", "运单编号 7759489189564", "收件人：王泽宇 13677677048", "寄付现结", "寄件时间 2026-07-30")
    assert "sender_name" not in extract_document(payment, "courier_waybill", threshold=0.0).fields


def test_a_label_holding_a_blocks_label_heads_no_block():
    from extractors.template import load_templates
    from extractors.extract import _foreign_labels

    assert "寄件时间" in _foreign_labels(load_templates()["courier_waybill"])["sender"]


def test_an_amount_in_words_is_nobodys_name():
    from extractors.fields import parse

    assert parse("name", "叁拾伍万捌仟玖佰叁拾壹元整") is None
    assert parse("name", "北京华信信息技术有限公司").value == "北京华信信息技术有限公司"
