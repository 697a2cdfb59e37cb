"""A reviewer's correction is checked like OCR output: the field's parser, schema, rules, derived
fields and review reasons. And the API's token setting."""

from __future__ import annotations

import pytest

from api.auth import parse_tokens, token_user
from api.review import PERSON, Current, InvalidCorrection, evaluate, parse_correction, rederived, variant_of
from extractors.extract import extract_document
from extractors.template import load_templates
from tests.unit.lines_factory import page

WAYBILL = load_templates()["courier_waybill"]
BANK_BILL = load_templates()["bank_bill"]
UNKNOWN_ADDRESS = page("中通快递 运单号：731234567890", "收件人：王芳 15912345678", "地址：火星基地1号",
                       "寄件人：赵强 13912345678", "地址：北京市朝阳区建国路88号", "寄件日期：2024-03-16")


def current(extraction) -> dict[str, Current]:
    return {name: Current(f.value, f.normalized, f.confidence) for name, f in extraction.fields.items()}


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
    variant = variant_of(WAYBILL, extraction.template)
    fields = current(extraction)
    assert "sorting_code" not in fields and extraction.status == "needs_review"

    parsed = parse_correction(WAYBILL, variant, "receiver_address", "北京市朝阳区建国路88号")
    fields["receiver_address"] = Current(parsed.value, parsed.normalized, PERSON)
    fields.update(rederived(WAYBILL, "receiver_address", fields))

    assert fields["sorting_code"].value and fields["sorting_code"].confidence == PERSON
    evaluation = evaluate(WAYBILL, variant, fields)
    assert evaluation.reasons == [] and not any(evaluation.violations.values())


def test_evaluation_states_reasons_like_extraction():
    extraction = extract_document(UNKNOWN_ADDRESS)
    fields = current(extraction)
    evaluation = evaluate(WAYBILL, variant_of(WAYBILL, extraction.template), fields)
    assert evaluation.reasons == extraction.reasons
    assert evaluation.violations["receiver_address"] == extraction.fields["receiver_address"].violations

    del fields["receiver_phone"]
    fields["receiver_address"] = Current("火星基地1号", fields["receiver_address"].normalized, PERSON)
    reasons = evaluate(WAYBILL, variant_of(WAYBILL, extraction.template), fields).reasons
    assert "required field receiver_phone not found" in reasons
    assert not any("confidence" in r for r in reasons)


def test_tokens_are_bare_or_name_their_user():
    tokens = parse_tokens(" s3cret , alice:a-token,bob:b:token, ")
    assert tokens == {"s3cret": None, "a-token": "alice", "b:token": "bob"}
    assert token_user(tokens, "a-token") == (True, "alice")
    assert token_user(tokens, "s3cret") == (True, None)
    assert token_user(tokens, "a-tokenX")[0] is False and token_user({}, "")[0] is False
