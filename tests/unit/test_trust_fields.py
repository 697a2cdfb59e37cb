"""The pure pieces the trust machinery leans on: a document's country and date order, district
repair, dates printed the way POS printers print them, person names, and the cross-check rules."""

from __future__ import annotations

from datetime import date

import pytest

from extractors.fields import parse
from extractors.fields.date import date_order, is_ambiguous
from extractors.places import repair_places
from extractors.region import document_region
from extractors.validate import (
    TODAY, amount_words_match, date_plausible, parties_differ, rule_specs, total_consistent, validate,
)
from tests.unit.lines_factory import page

# --- the document's country --------------------------------------------------------------------


@pytest.mark.parametrize("rows,country", [
    (("Tel: +60 3-7960 1234",), "MY"),
    (("KEDAI RUNCIT SDN BHD", "TOTAL RM 9.00"), "MY"),
    (("浙江省宁波市鄞州区中山东路100号",), "CN"),
    (("12 Main St, Minneapolis, MN 55414", "(612) 355-5600"), "US"),
    (("10 Downing St, London SW1A 2AA", "Total £9.00"), "GB"),
    (("Tel: +44 20 7946 0958",), "GB"),
], ids=["my-phone", "my-words", "cn-address", "us", "gb", "gb-phone"])
def test_the_document_names_its_country(rows, country):
    assert document_region(page(*rows)).country == country


def test_nothing_pointing_anywhere_and_a_tie_decide_no_country():
    assert document_region(page("hello world", "12.50")).country is None
    tie = document_region(page("Call (612) 355-5600", "TOTAL RM 9.00"))  # US 2, MY 2: no clear lead
    assert tie.country is None and tie.votes == {"US": 2, "MY": 2}


def test_the_country_sets_the_date_order():
    assert document_region(page("(612) 355-5600")).day_first is False
    assert document_region(page("Tel: +60 3-7960 1234")).day_first is True
    assert document_region(page("浙江省宁波市鄞州区")).day_first is True  # year-first, never month-first
    assert document_region(page("hello")).day_first is None


def test_a_bare_postcode_and_town_vote_for_no_country():
    assert document_region(page("No. 5, Jalan SS2/1, 47301 Petaling Jaya")).country is None  # DE, FR print the same


def test_an_assorted_item_on_a_us_receipt_is_no_malaysian_tax_mark():
    assert document_region(page("Call (612) 355-5600", "DONUTS ASSTD 3.99")).country == "US"


def test_unambiguous_dates_settle_the_order_when_the_country_does_not():
    assert date_order("paid 25/03/2024") is True
    assert date_order("paid 03/25/2024") is False
    assert date_order("paid 03/04/2024") is None
    assert date_order("25/03/2024 and 03/25/2024") is None  # they disagree


# --- district repair ----------------------------------------------------------------------------

@pytest.mark.parametrize("misread,mended", [
    ("浙江省宁波市勤州区中山东路100号", "浙江省宁波市鄞州区中山东路100号"),  # a rare character read as a look-alike
    ("宁波市州区中山东路100号", "宁波市鄞州区中山东路100号"),  # or dropped
    ("中国工商银行宁波分行勤州支行", "中国工商银行宁波分行鄞州支行"),  # a bank branch named after its district
])
def test_a_district_misread_by_one_character_is_mended(misread, mended):
    assert repair_places(misread) == mended


@pytest.mark.parametrize("misread,mended", [
    ("湖北省宣昌市西陵区东山大道156号", "湖北省宜昌市西陵区东山大道156号"),
    ("湖北省荆川市沙市区", "湖北省荆川市沙市区"),  # as close to 荆州市 as to 荆门市: left alone
    ("湖北省荆门市东宝区", "湖北省荆门市东宝区"),
])
def test_a_city_misread_by_one_character_after_its_province_is_mended(misread, mended):
    assert repair_places(misread) == mended


@pytest.mark.parametrize("text", [
    "浙江省宁波市鄞州区中山东路100号", "北京市朝阳区建国路88号", "上海市浦东新区世纪大道1号",
    "中国工商银行上海分行浦东支行", "宁波市中山东路100号", "12 Main Street", "",
    "江苏银行股份有限公司济南市中支行",  # the city's 市 begins its district (济南 市中区), no 市 is missing
])
def test_correct_addresses_and_text_without_a_district_are_unchanged(text):
    assert repair_places(text) == text


def test_a_token_close_to_two_districts_is_left_alone():
    assert repair_places("北京市南城区建国路1号") == "北京市南城区建国路1号"  # 东城区 or 西城区?


# --- dates as printers print them ---------------------------------------------------------------

@pytest.mark.parametrize("text,iso", [
    ("Jun17'13", "2013-06-17"),  # a POS printer's month, day and two-digit year
    ("DATE: Jun17'13 11:02AM", "2013-06-17"),
    ("15/03/202414:22", "2024-03-15"),  # the clock glued onto the year
    ("25/12/20188:13:39PM", "2018-12-25"),
    ("2017-02-12144838", "2017-02-12"),  # a clock without colons glued on
])
def test_dates_with_printer_quirks(text, iso):
    assert parse("date", text).value == iso


def test_an_ambiguous_date_is_detected_and_read_in_the_order_asked():
    assert is_ambiguous("03/04/2025")
    assert parse("date", "03/04/2025", day_first=True).value == "2025-04-03"
    assert parse("date", "03/04/2025", day_first=False).value == "2025-03-04"
    for clear in ("25/04/2025", "2025-03-04", "4 Mar 2025", "03/03/2025"):
        assert not is_ambiguous(clear), clear


def test_a_date_only_the_other_order_allows_is_read_at_a_lower_quality():
    swapped = parse("date", "03/25/2024", day_first=True)
    assert swapped.value == "2024-03-25" and swapped.quality < 1.0


def test_a_product_codes_tail_is_no_date_and_the_plausibility_rule_rejects_1970():
    assert parse("date", "HA06HD01-3-70") is None and parse("date", "Date:01-3-70").value == "1970-03-01"
    checked = date_plausible({"date": ("1970-03-01", "1970-03-01"), TODAY: ("2024-06-01", None)}, field="date")
    assert [v.message for v in checked.violations] == ["date 1970-03-01 is before 2000-01-01"]


def test_dates_are_plausible_from_not_before_to_a_few_days_ahead():
    def check(value: str) -> list[str]:
        return [v.message for v in date_plausible({"date": (value, value), TODAY: ("2024-06-01", None)},
                                                  field="date", not_before="2010-01-01", future_days=2).violations]

    assert check("2010-01-01") == [] and check("2024-06-03") == []
    assert check("2009-12-31") == ["date 2009-12-31 is before 2010-01-01"]
    assert check("2024-06-04") == ["date 2024-06-04 is in the future"]


# --- person names -------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["京东物流", "顺丰速运", "中通快递", "宁波海通贸易有限公司", "中国工商银行", "菜鸟驿站"])
def test_carriers_companies_and_banks_are_not_person_names(text):
    assert parse("name", text, person=True) is None
    assert parse("name", text) is not None  # as a payee or payer they are names


@pytest.mark.parametrize("text", ["张伟", "向轩", "欧阳娜娜"])
def test_person_names_are_sure(text):
    parsed = parse("name", text, person=True)
    assert parsed.value == text and parsed.quality == 1.0


@pytest.mark.parametrize("text", ["账号", "开户银行", "金额", "收款人签章", "开户银行签章", "出票人签章", "转讫", "业务专用章"])
def test_a_label_a_form_caption_or_a_stamp_is_nobodys_name(text):
    assert parse("name", text) is None and parse("name", text, person=True) is None


@pytest.mark.parametrize("text", ["付款", "江南", "水果", "温馨提示", "宠物用品", "泽宇"])  # 泽宇: a given name, its surname dropped
def test_common_words_and_phrases_are_not_sure_person_names_even_after_a_surname(text):
    assert parse("name", text, person=True) is None or parse("name", text, person=True).quality < 1.0


def test_a_company_name_cut_where_its_line_wrapped_is_unsure():
    assert parse("name", "佛山恒信达供应链管理有限").quality < parse("name", "佛山恒信达供应链管理有限公司").quality == 1.0
    assert parse("name", "温州丰泽供应链管理有限公").quality < 1.0  # 司 wrapped alone


def test_a_phone_glued_to_a_name_is_cut_off_at_a_lower_quality():
    parsed = parse("name", "张伟13812345678", person=True)
    assert parsed.value == "张伟" and parsed.quality < 1.0


# --- cross-check rules --------------------------------------------------------------------------

def _values(**fields: tuple[str, str]) -> dict:
    out = {}
    for name, (kind, text) in fields.items():
        parsed = parse(kind, text)
        out[name] = (parsed.value, parsed.normalized)
    return out


def test_the_unit_header_of_amount_cells_is_no_amount_in_words():
    assert parse("amount_words", "亿千百十万千百十元角分") is None
    assert parse("amount_words", "壹拾元整").value == "10.00"


def test_an_amount_in_words_equal_to_the_digits_confirms_both():
    checked = amount_words_match(_values(amount_words=("amount_words", "玖佰元整"), amount=("amount", "900.00")))
    assert checked.violations == [] and checked.confirmed == {"amount_words", "amount"}


def test_an_amount_in_words_that_differs_from_the_digits_is_a_violation_on_the_words():
    checked = amount_words_match(_values(amount_words=("amount_words", "玖佰元整"), amount=("amount", "990.00")))
    assert checked.confirmed == set()
    assert [(v.rule, v.field) for v in checked.violations] == [("amount_words_match", "amount_words")]
    assert "900.00" in checked.violations[0].message and "990.00" in checked.violations[0].message


def test_subtotal_and_tax_adding_up_to_the_total_confirm_all_three():
    values = _values(total=("amount", "10.60"), subtotal=("amount", "10.00"), tax=("amount", "0.60"))
    assert total_consistent(values).confirmed == {"total", "subtotal", "tax"}


def test_a_total_that_does_not_add_up_stays_unconfirmed_without_a_violation():
    # discounts and service charges come between subtotal and total: no violation, no confirmation
    values = _values(total=("amount", "10.90"), subtotal=("amount", "10.00"), tax=("amount", "0.60"))
    checked = total_consistent(values)
    assert checked.violations == [] and checked.confirmed == set()
    no_tax = _values(total=("amount", "10.00"), subtotal=("amount", "10.00"))
    assert total_consistent(no_tax).confirmed == set()


def test_the_same_phone_for_receiver_and_sender_is_a_violation():
    same = _values(receiver_phone=("phone", "138 1234 5678"), sender_phone=("phone", "+86 13812345678"))
    checked = parties_differ(same, pairs=[["receiver_phone", "sender_phone"]])
    assert [(v.rule, v.field) for v in checked.violations] == [("parties_differ", "sender_phone")]
    different = _values(receiver_phone=("phone", "13812345678"), sender_phone=("phone", "13912345678"))
    assert parties_differ(different, pairs=[["receiver_phone", "sender_phone"]]).violations == []


def test_a_bank_or_company_name_cut_where_it_wrapped_is_a_violation():
    from extractors.validate import names_complete
    values = {"payer_bank": ("北京银行股份有限公司佛山季华五路支", None), "payee_bank": ("中国工商银行上海分行营业部", None),
              "payer_name": ("呼和浩特凯旋生物科技有限", None), "payee_name": ("温州丰泽供应链管理有限公", None)}
    banks = names_complete(values, ["payer_bank", "payee_bank"], endings=["行", "部", "社", "处", "所", "中心"])
    names = names_complete(values, ["payer_name", "payee_name"], cut=["有限", "股份", "有限公"])
    assert [v.field for v in banks.violations] == ["payer_bank"]
    assert [v.field for v in names.violations] == ["payer_name", "payee_name"]
    assert not names_complete({"payee_name": ("张伟", None)}, ["payee_name"], cut=["有限"]).violations


def test_rules_are_data_and_unknown_rules_or_parameters_are_refused():
    specs = rule_specs([{"amount_words_match": {"words": "w", "digits": "d"}}, "positive"])
    assert [(s.name, s.params) for s in specs] == [("amount_words_match", {"words": "w", "digits": "d"}),
                                                  ("positive", {})]
    with pytest.raises(ValueError, match="unknown rule"):
        rule_specs(["no_such_rule"])
    with pytest.raises(ValueError, match="unknown parameter"):
        rule_specs([{"positive": {"fields": "total"}}])


def test_validate_runs_every_rule_of_a_template_with_today():
    rules = rule_specs([{"date_plausible": {"field": "date", "not_before": "2000-01-01", "future_days": 1}},
                        {"total_consistent": {}}])
    values = {**_values(date=("date", "2024-06-03")),
              **_values(total=("amount", "10.60"), subtotal=("amount", "10.00"), tax=("amount", "0.60"))}
    checked = validate("receipt", rules, values, today=date(2024, 6, 1))
    assert [v.message for v in checked.violations] == ["date 2024-06-03 is in the future"]
    assert checked.confirmed == {"total", "subtotal", "tax"}
