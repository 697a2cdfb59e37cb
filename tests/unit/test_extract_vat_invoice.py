"""Chinese VAT invoices: header fields, buyer and seller blocks, taxpayer ids with their check
digit, the goods table read by columns, and the rules that tie the table to the totals."""

from __future__ import annotations

import copy
from datetime import date
from importlib import resources

import pytest
import yaml

from extractors.classify import classify
from extractors.corrections import apply_corrections
from extractors.extract import extract_document
from extractors.fields import parse
from extractors.lines import OcrLine, box_polygon
from extractors.template import load_templates, template_problems
from tests.unit.lines_factory import line, page

TODAY = date(2024, 6, 1)
BUYER_ID, SELLER_ID = "91310115MA1H7GXX1D", "91440300MA5FABCD1Q"
HEADER = [("货物或应税劳务、服务名称", 0), ("规格型号", 13), ("单位", 19), ("数量", 23), ("单价", 28),
          ("金额", 35), ("税率", 42), ("税额", 47)]


def row(cells: list[tuple[str, int]], at: int) -> list[OcrLine]:
    return [line(text, at, col) for text, col in cells if text]


def item(at: int, name: str, spec: str, unit: str, qty: str, price: str, amount: str, rate: str, tax: str):
    return row([(name, 0), (spec, 13), (unit, 19), (qty, 23), (price, 27), (amount, 35), (rate, 42), (tax, 47)], at)


def paper_invoice(items=None, totals=("2300.00", "299.00"), total="2599.00", words="贰仟伍佰玖拾玖元整",
                  seller_id=SELLER_ID) -> list[OcrLine]:
    """A paper special invoice as OCR reads it: the block labels 购 买 方 one character a line."""
    items = items or [
        item(8, "*计算机外部设备*激光打印机", "HP-M1136", "台", "2", "1000.00", "2000.00", "13%", "260.00"),
        item(9, "*纸制品*复印纸", "A4", "箱", "3", "100.00", "300.00", "13%", "39.00"),
    ]
    return [
        line("上海增值税专用发票", 0, 15),
        line("发票代码：3100231130", 1, 0), line("发票号码：08812345", 1, 30),
        line("开票日期：2024年05月20日", 2, 30), line("校验码：12345 67890 12345 67890", 2, 0),
        line("购", 3, 0), line("名称：上海远景信息技术有限公司", 3, 2), line("密码区", 3, 34),
        line("买", 4, 0), line(f"纳税人识别号：{BUYER_ID}", 4, 2),
        line("地址、电话：上海市浦东新区张江路88号 021-58881234", 5, 2),
        line("方", 6, 0), line("开户行及账号：中国工商银行上海张江支行 1001234509876543210", 6, 2),
        *row(HEADER, 7),
        *(l for cells in items for l in cells),
        line("合计", 11, 3), line(f"¥{totals[0]}", 11, 34), line(f"¥{totals[1]}", 11, 46),
        line(f"价税合计（大写） {words}", 12, 0), line(f"（小写）¥{total}", 12, 34),
        line("销", 13, 0), line("名称：深圳华创办公设备有限公司", 13, 2), line("备注", 13, 34),
        line("售", 14, 0), line(f"纳税人识别号：{seller_id}", 14, 2),
        line("地址、电话：深圳市南山区科技园路1号 0755-26661234", 15, 2),
        line("方", 16, 0), line("开户行及账号：招商银行深圳科技园支行 755912345610001", 16, 2),
        line("收款人：李明  复核：王芳  开票人：张伟  销售方：（章）", 17, 0),
    ]


def values(result) -> dict[str, str]:
    return {name: f.value for name, f in result.fields.items()}


def test_a_paper_special_invoice_is_read_in_full():
    result = extract_document(paper_invoice(), today=TODAY)
    got = values(result)
    assert result.doc_type == "vat_invoice" and got["invoice_kind"] == "special"
    assert (got["invoice_code"], got["invoice_number"], got["issue_date"]) == ("3100231130", "08812345", "2024-05-20")
    assert got["check_code"] == "12345678901234567890"
    assert (got["buyer_name"], got["buyer_tax_id"]) == ("上海远景信息技术有限公司", BUYER_ID)
    assert (got["seller_name"], got["seller_tax_id"]) == ("深圳华创办公设备有限公司", SELLER_ID)
    assert (got["buyer_bank"], got["buyer_account"]) == ("中国工商银行上海张江支行", "1001234509876543210")
    assert (got["seller_bank"], got["seller_account"]) == ("招商银行深圳科技园支行", "755912345610001")
    assert (got["total_excluding_tax"], got["total_tax"], got["total"], got["total_words"]) == (
        "2300.00", "299.00", "2599.00", "2599.00")
    assert result.status == "done", result.reasons


def test_the_goods_table_is_read_by_columns():
    items = extract_document(paper_invoice(), today=TODAY).line_items
    assert [i.cells() for i in items] == [
        {"name": "*计算机外部设备*激光打印机", "specification": "HP-M1136", "unit": "台", "quantity": "2",
         "unit_price": "1000.00", "amount": "2000.00", "tax_rate": "0.13", "tax": "260.00"},
        {"name": "*纸制品*复印纸", "specification": "A4", "unit": "箱", "quantity": "3",
         "unit_price": "100.00", "amount": "300.00", "tax_rate": "0.13", "tax": "39.00"},
    ]
    assert [i.row for i in items] == [1, 2] and all(i.confidence >= 0.9683 for i in items)
    assert items[0].bbox[1] < items[1].bbox[1]


def test_a_wrapped_name_joins_its_row_and_empty_cells_stay_empty():
    items = [
        item(8, "*信息技术服务*软件开发", "", "", "", "", "2000.00", "6%", "120.00"),
        row([("服务费", 0)], 9),
        item(10, "*现代服务*技术咨询费", "", "次", "1", "300.00", "300.00", "6%", "18.00"),
    ]
    result = extract_document(paper_invoice(items, totals=("2300.00", "138.00"), total="2438.00",
                                            words="贰仟肆佰叁拾捌元整"), today=TODAY)
    first, second = result.line_items
    assert first.name == "*信息技术服务*软件开发服务费"
    assert (first.specification, first.unit, first.quantity, first.unit_price) == (None, None, None, None)
    assert (first.amount, first.tax_rate, first.tax) == ("2000.00", "0.06", "120.00")
    assert (second.row, second.unit, second.quantity) == (2, "次", "1")
    assert result.status == "done", result.reasons


def test_an_exempt_item_has_no_rate_and_passes_the_legal_rates():
    items = [item(8, "*蔬菜*白菜", "", "千克", "100", "3.00", "300.00", "免税", "***"),
             item(9, "*纸制品*复印纸", "A4", "箱", "20", "100.00", "2000.00", "13%", "260.00")]
    result = extract_document(paper_invoice(items, totals=("2300.00", "260.00"), total="2560.00",
                                            words="贰仟伍佰陆拾元整"), today=TODAY)
    assert (result.line_items[0].tax_rate, result.line_items[0].tax) == (None, None)
    assert result.status == "done", result.reasons


def test_a_text_layer_row_holding_several_cells_is_cut_at_its_spaces():
    """Born-digital PDFs give cells printed close together as one line."""
    lines = paper_invoice()
    lines = [l for l in lines if not (8 * 40 + 50 <= l.bbox[1] < 9 * 40 + 50)]
    y0 = 50 + 8 * 40
    lines += [line("*计算机外部设备*激光打印机", 8, 0)] + [
        OcrLine(text, 1.0, box_polygon(x0, y0, x1, y0 + 28)) for text, x0, x1 in
        (("HP-M1136 台", 362, 554), ("2 1000.00", 602, 770), ("2000.00 13% 260.00", 890, 1226))]
    first = extract_document(lines, today=TODAY).line_items[0]
    assert (first.specification, first.unit, first.quantity, first.unit_price) == ("HP-M1136", "台", "2", "1000.00")
    assert (first.amount, first.tax_rate, first.tax) == ("2000.00", "0.13", "260.00")


@pytest.mark.parametrize("change, reason", [
    ({"totals": ("2300.00", "299.00"), "total": "2600.00", "words": "贰仟陆佰元整"},
     "total: total_excluding_tax + total_tax = 2599.00, not total (2600.00)"),
    ({"totals": ("2400.00", "299.00"), "total": "2699.00", "words": "贰仟陆佰玖拾玖元整"},
     "total_excluding_tax: the line items' amount add up to 2300.00, not total_excluding_tax (2400.00)"),
    ({"totals": ("2300.00", "300.00"), "total": "2600.00", "words": "贰仟陆佰元整"},
     "total_tax: the line items' tax add up to 299.00, not total_tax (300.00)"),
    ({"words": "贰仟伍佰玖拾捌元整"},
     "total_words: amount in words (2598.00) differs from amount in digits (2599.00)"),
])
def test_totals_that_disagree_send_the_invoice_to_review_with_the_rule(change, reason):
    result = extract_document(paper_invoice(**change), today=TODAY)
    assert result.status == "needs_review" and reason in result.reasons, result.reasons


@pytest.mark.parametrize("cells, reason", [
    (("3", "100.00", "310.00", "13%", "40.30"), "line item 2: quantity 3 × unit price 100.00 = 300.00, not the amount 310.00"),
    (("3", "100.00", "300.00", "17%", "51.00"), "line item 2: tax rate 0.17 is not a legal rate"),
    (("3", "100.00", "300.00", "13%", "40.00"), "line item 2: amount 300.00 × tax rate 0.13 = 39.00, not the tax 40.00"),
])
def test_an_item_row_that_breaks_a_rule_is_named(cells, reason):
    qty, price, amount, rate, tax = cells
    items = [item(8, "*计算机外部设备*激光打印机", "HP-M1136", "台", "2", "1000.00", "2000.00", "13%", "260.00"),
             item(9, "*纸制品*复印纸", "A4", "箱", qty, price, amount, rate, tax)]
    total_tax = f"{260 + float(tax):.2f}"
    result = extract_document(paper_invoice(items, totals=(f"{2000 + float(amount):.2f}", total_tax)), today=TODAY)
    assert result.status == "needs_review" and reason in result.reasons, result.reasons


def test_a_unit_price_rounded_when_printed_still_multiplies_to_the_amount():
    items = [item(8, "*软件*授权", "", "套", "3", "33.333333", "100.00", "6%", "6.00"),
             item(9, "*纸制品*复印纸", "A4", "箱", "22", "100.00", "2200.00", "13%", "286.00")]
    result = extract_document(paper_invoice(items, totals=("2300.00", "292.00"), total="2592.00",
                                            words="贰仟伍佰玖拾贰元整"), today=TODAY)
    assert result.status == "done", result.reasons


def test_an_unsure_item_row_sends_the_invoice_to_review():
    lines = paper_invoice()
    unsure = [OcrLine(l.text, 0.6, l.polygon, l.page, char_scores=(0.6,) * len(l.text)) if l.text == "*纸制品*复印纸" else l
              for l in lines]
    result = extract_document(unsure, today=TODAY)
    assert result.status == "needs_review"
    assert any(r.startswith("line item 2: confidence") for r in result.reasons), result.reasons


def test_a_bad_check_digit_in_the_sellers_taxpayer_id_is_flagged():
    result = extract_document(paper_invoice(seller_id="91440300MA5FABCD1R"), today=TODAY)
    assert "seller_tax_id: unified social credit code fails its check digit" in result.reasons


def test_an_all_electronic_invoice_has_a_20_digit_number_and_no_code():
    lines = [
        line("电子发票（增值税专用发票）", 0, 12), line("发票号码：24312000000012345678", 1, 30),
        line("开票日期：2024年05月20日", 2, 30),
        line("购", 3, 0), line("名称：上海远景信息技术有限公司", 3, 2),
        line("销", 3, 24), line("名称：深圳华创办公设备有限公司", 3, 26),
        line("买", 4, 0), line(f"统一社会信用代码/纳税人识别号：{BUYER_ID}", 4, 2),
        line("售", 4, 24), line(f"统一社会信用代码/纳税人识别号：{SELLER_ID}", 4, 26),
        *row([("项目名称", 0), ("规格型号", 13), ("单位", 19), ("数量", 23), ("单价", 28), ("金额", 35),
              ("税率/征收率", 41), ("税额", 48)], 7),
        *item(8, "*信息技术服务*软件开发服务", "", "", "", "", "2000.00", "6%", "120.00"),
        line("合计", 11, 3), line("¥2000.00", 11, 34), line("¥120.00", 11, 46),
        line("价税合计（大写） 贰仟壹佰贰拾元整", 12, 0), line("（小写）¥2120.00", 12, 34),
    ]
    result = extract_document(lines, today=TODAY)
    got = values(result)
    assert got["invoice_kind"] == "electronic" and got["invoice_number"] == "24312000000012345678"
    assert "invoice_code" not in got and "check_code" not in got
    assert (got["buyer_tax_id"], got["seller_tax_id"]) == (BUYER_ID, SELLER_ID)
    assert (got["buyer_name"], got["seller_name"]) == ("上海远景信息技术有限公司", "深圳华创办公设备有限公司")
    assert result.line_items[0].name == "*信息技术服务*软件开发服务"
    assert result.status == "done", result.reasons


def test_bank_bills_waybills_and_receipts_are_not_taken_for_invoices():
    templates = load_templates()
    cheque = page("中国工商银行 转账支票  支票号码 10203040", "出票日期（大写）贰零贰肆年零叁月壹拾伍日",
                  "收款人：上海华东贸易有限公司  出票人账号：6222021001116245702", "人民币（大写）壹万贰仟叁佰肆拾伍元陆角柒分",
                  "小写 ¥12,345.67", "开户银行 中国工商银行上海分行")
    receipt = page("好又多超市", "收银员 012", "商品 数量 金额", "牛奶 2 12.00", "面包 1 8.50", "合计 20.50",
                   "实收 50.00", "找零 29.50", "税额 2.36", "欢迎光临 发票请在30天内开具")
    assert classify(cheque, templates).doc_type == "bank_bill"
    assert classify(receipt, templates).doc_type == "receipt"
    assert classify(paper_invoice(), templates).doc_type == "vat_invoice"


@pytest.mark.parametrize("text, number, quality", [
    (f"纳税人识别号：{BUYER_ID}", BUYER_ID, 1.0),
    ("纳税人识别号：9131O115MA1H7GXX1D", BUYER_ID, 0.9),  # O read for 0 among the first eight digits
    ("纳税人识别号：91310115MA1H7GXXID", BUYER_ID, 0.9),  # I read for 1
    ("税号 110108600037341", "110108600037341", 0.8),  # a legacy 15-character id, its organisation code valid
])
def test_taxpayer_ids_are_checked_and_ocr_confusions_repaired_only_when_they_then_validate(text, number, quality):
    parsed = parse("taxpayer_id", text)
    assert (parsed.value, parsed.quality) == (number, quality)
    assert parsed.normalized["valid"] is True


def test_a_repair_that_does_not_validate_is_not_made():
    parsed = parse("taxpayer_id", "91310115MA1H7GXXIE")
    assert parsed.value == "91310115MA1H7GXXIE" and parsed.normalized["valid"] is False and parsed.quality < 0.5
    assert parse("taxpayer_id", "号码 12345") is None


def test_remarks_beside_a_vertical_label_and_a_total_row_printed_spaced_apart():
    """Born-digital layouts print 合 and 计 far apart and 备 注 one character a line, the remark
    to their right holding a label of its own (项目名称：…)."""
    lines = [l for l in paper_invoice() if l.text not in ("合计", "备注")]
    lines += [line("合", 11, 3), line("计", 11, 6),
              OcrLine("备", 0.99, box_polygon(866, 570, 890, 596)), OcrLine("注", 0.99, box_polygon(866, 596, 890, 622)),
              line("项目名称：2024年度服务", 13, 36)]
    result = extract_document(lines, today=TODAY)
    got = values(result)
    assert got["remarks"] == "项目名称:2024年度服务"
    assert (got["total_excluding_tax"], got["total_tax"]) == ("2300.00", "299.00") and len(result.line_items) == 2
    assert got["seller_name"] == "深圳华创办公设备有限公司"


def test_a_weakly_read_yuan_sign_does_not_make_the_amounts_unsure():
    """The ¥ before an amount is read less surely than its digits; only the digits count."""
    def weak_sign(l: OcrLine) -> OcrLine:
        if "¥" not in l.text:
            return l
        return OcrLine(l.text, l.score, l.polygon, l.page, char_scores=tuple(0.5 if ch == "¥" else 0.99 for ch in l.text))
    result = extract_document([weak_sign(l) for l in paper_invoice()], today=TODAY)
    assert all(result.fields[n].evidence.weakest == 0.99 for n in ("total_excluding_tax", "total_tax", "total"))
    assert result.status == "done", result.reasons


def test_an_invoices_account_is_no_card_whatever_luhn_says():
    assert parse("bank_account", "1001234509876543210").quality < 1.0  # a card number misread, perhaps
    assert parse("bank_account", "1001234509876543210", cards=False).quality == 1.0


def test_a_typo_in_the_item_table_or_its_rules_is_named_when_the_template_loads():
    data = yaml.safe_load((resources.files("extractors") / "templates" / "vat_invoice.yml").read_text(encoding="utf-8"))
    misspelt = copy.deepcopy(data)
    misspelt["line_items"]["stops"] = misspelt["line_items"].pop("stop")
    assert "vat.yml: line_items.stops: unknown key 'stops'; did you mean 'stop'?" in template_problems(misspelt, "vat.yml")
    data["line_items"]["columns"]["amout"] = data["line_items"]["columns"].pop("amount")
    data["rules"].append({"items_multiply": {"quantity_column": "qty"}})
    found = template_problems(data, "vat.yml")
    assert "vat.yml: line_items.columns: unknown item column 'amout'; did you mean 'amount'?" in found
    assert any(p.startswith(f"vat.yml: rules[{len(data['rules']) - 1}].items_multiply.quantity_column: unknown item "
                            "column 'qty'") for p in found), found


def test_a_correction_keeps_the_items_and_their_rules():
    """A reviewer who corrects the total of an invoice whose items disagree with it sees the
    items still there, and the rule still naming the disagreement until the total fits."""
    result = extract_document(paper_invoice(totals=("2400.00", "299.00"), total="2699.00", words="贰仟陆佰玖拾玖元整"),
                              today=TODAY)
    wrong = apply_corrections(result, [("total", "2699.00")])
    assert len(wrong.line_items) == 2
    assert "total_excluding_tax: the line items' amount add up to 2300.00, not total_excluding_tax (2400.00)" in wrong.reasons
    fixed = apply_corrections(result, [("total_excluding_tax", "2300.00"), ("total", "2599.00"), ("total_words", "2599.00")])
    assert fixed.line_items == result.line_items and not any("add up" in r for r in fixed.reasons), fixed.reasons


def test_a_stamps_text_low_in_an_empty_remarks_box_is_no_remark():
    lines = [l for l in paper_invoice() if l.text != "备注"]
    lines += [OcrLine("备", 0.99, box_polygon(866, 570, 890, 596)), OcrLine("注", 0.99, box_polygon(866, 596, 890, 622)),
              OcrLine("化传媒", 0.98, box_polygon(1150, 605, 1230, 640))]  # the seller's seal over the box's bottom
    assert "remarks" not in extract_document(lines, today=TODAY).fields


def test_a_quantity_the_ocr_missed_is_worked_out_but_the_row_still_needs_review():
    items = [item(8, "*计算机外部设备*激光打印机", "HP-M1136", "台", "", "1000.00", "2000.00", "13%", "260.00"),
             item(9, "*纸制品*复印纸", "A4", "箱", "3", "100.00", "300.00", "13%", "39.00")]
    result = extract_document(paper_invoice(items), today=TODAY)
    first = result.line_items[0]
    assert first.quantity == "2"
    assert result.status == "needs_review" and any(r.startswith("line item 1: confidence") for r in result.reasons)
