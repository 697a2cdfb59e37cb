"""A reviewer's correction is checked like OCR output (the field's parser, schema, rules, derived
fields, review reasons), and kept corrections apply again to a fresh extraction."""

from __future__ import annotations

from dataclasses import replace

import pytest

from extractors.corrections import PERSON, InvalidCorrection, apply_corrections, parse_correction, variant_of
from extractors.extract import extract_document
from extractors.template import load_templates
from tests.unit.lines_factory import page
from tests.unit.test_layouts import form

WAYBILL = load_templates()["courier_waybill"]
BANK_BILL = load_templates()["bank_bill"]
UNSURE = 0.999  # every value of a form is below it: its optional fields (sender, sorting code) are withheld
UNKNOWN_ADDRESS = page("中通快递 运单号：731234567890", "收件人：王芳 15912345678", "地址：火星基地1号",
                       "寄件人：赵强 13912345678", "地址：北京市朝阳区建国路88号", "寄件日期：2024-03-16")


def test_a_correction_goes_through_the_fields_parser_with_the_templates_options():
    variant = variant_of(WAYBILL, "courier_waybill/generic")
    parsed = parse_correction(WAYBILL, variant, "receiver_phone", "138 1234 5678")
    assert (parsed.value, parsed.normalized["type"]) == ("+8613812345678", "mobile")
    assert parse_correction(WAYBILL, variant, "date", "2024年3月16日").value == "2024-03-16"
    with pytest.raises(InvalidCorrection, match="not a valid phone"):
        parse_correction(WAYBILL, variant, "receiver_phone", "call me")
    with pytest.raises(InvalidCorrection, match="no field 'colour'"):
        parse_correction(WAYBILL, variant, "colour", "red")


def test_derived_and_variant_fields_take_text_and_a_variant_name():
    waybill = variant_of(WAYBILL, None)
    assert parse_correction(WAYBILL, waybill, "sorting_code", " 755 ").value == "755"
    bill = variant_of(BANK_BILL, None)
    names = [v.name for v in BANK_BILL.variants]
    assert parse_correction(BANK_BILL, bill, BANK_BILL.variant_field, names[-1]).value == names[-1]
    with pytest.raises(InvalidCorrection, match="one of"):
        parse_correction(BANK_BILL, bill, BANK_BILL.variant_field, "postcard")


def test_correcting_the_address_rederives_the_sorting_code_and_clears_every_reason():
    extraction = extract_document(UNKNOWN_ADDRESS)
    assert "sorting_code" not in extraction.fields and extraction.status == "needs_review"

    corrected = apply_corrections(extraction, [("receiver_address", "北京市朝阳区建国路88号")])
    address, code = corrected.fields["receiver_address"], corrected.fields["sorting_code"]
    assert (address.value, address.confidence) == ("北京市朝阳区建国路88号", PERSON)
    assert address.raw_text == extraction.fields["receiver_address"].raw_text  # what OCR read stays as provenance
    assert code.value and code.confidence == PERSON and code.page == address.page
    assert corrected.status == "done" and corrected.reasons == []
    assert not any(f.violations for f in corrected.fields.values())


def test_reasons_are_stated_like_extraction_states_them():
    extraction = extract_document(UNKNOWN_ADDRESS)
    again = apply_corrections(extraction, [])
    assert again.reasons == extraction.reasons
    assert again.fields["receiver_address"].violations == extraction.fields["receiver_address"].violations

    fields = dict(extraction.fields)
    del fields["receiver_phone"]
    reasons = apply_corrections(replace(extraction, fields=fields), [("receiver_address", "火星基地1号")]).reasons
    assert "required field receiver_phone not found" in reasons
    assert not any("confidence" in r for r in reasons)


def test_kept_corrections_apply_again_in_order_and_one_that_no_longer_parses_is_named():
    extraction = extract_document(UNKNOWN_ADDRESS)
    kept = [("receiver_phone", "+8613812345678"), ("receiver_address", "北京市朝阳区建国路88号"),
            ("receiver_phone", "+8613712345678")]
    again = apply_corrections(extraction, kept)
    assert again.fields["receiver_phone"].value == "+8613712345678" and again.status == "done"

    stale = apply_corrections(extraction, [("receiver_phone", "call me")])
    assert stale.fields["receiver_phone"].value == extraction.fields["receiver_phone"].value
    assert stale.status == "needs_review" and any("not applied" in r and "receiver_phone" in r for r in stale.reasons)
    with pytest.raises(InvalidCorrection):
        apply_corrections(extraction, [("receiver_phone", "call me")], strict=True)


def test_a_field_that_was_not_found_is_added_without_a_place():
    extraction = extract_document(UNKNOWN_ADDRESS)
    fields = {n: f for n, f in extraction.fields.items() if n != "receiver_phone"}
    added = apply_corrections(replace(extraction, fields=fields), [("receiver_phone", "13812345678")])
    phone = added.fields["receiver_phone"]
    assert (phone.value, phone.confidence, phone.page, phone.bbox, phone.raw_text) == ("+8613812345678", PERSON, None, None, None)


def test_a_doubt_about_a_reading_stays_until_a_person_gives_that_field():
    receipt = extract_document(page("ACME HARDWARE", "DATE: 05/03/2024", "ITEM A 5.00", "ITEM B 7.50", "TOTAL 12.50",
                                    "CASH 20.00", "CHANGE 7.50", "THANK YOU"))
    doubt = "date: printed ambiguously (day or month first?), and nothing on the document settles it"
    assert doubt in receipt.reasons
    other = apply_corrections(receipt, [("company", "ACME HARDWARE")], threshold=0.5)  # the doubt alone decides
    assert doubt in other.reasons and other.status == "needs_review" and other.fields["date"].violations
    dated = apply_corrections(receipt, [("company", "ACME HARDWARE"), ("date", "2024-03-05")], threshold=0.5)
    assert dated.reasons == [] and dated.status == "done"


def test_the_rules_judge_a_correction_on_the_withheld_fields_too_and_one_they_object_to_is_given():
    extraction = extract_document(form("张伟", "李娜", 1), "courier_waybill", threshold=UNSURE)
    assert {"sorting_code", "sender_name"} <= extraction.withheld.keys() and not extraction.problems
    renamed = apply_corrections(extraction, [("receiver_name", "王五")], threshold=UNSURE)
    assert renamed.problems == [] and "sorting_code" in renamed.withheld and "sorting_code" not in renamed.fields
    same = apply_corrections(extraction, [("receiver_name", "李娜")], threshold=UNSURE)
    assert same.problems == ["sender_name: receiver_name and sender_name are the same (李娜)"]
    assert same.fields["sender_name"].violations and "sender_name" not in same.withheld
