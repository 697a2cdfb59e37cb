"""Anchors, classification, templates and validation: the pieces under the extractor."""

from __future__ import annotations

import pytest

from extractors.classify import classify
from extractors.lines import normalize_text
from extractors.locate import find_label, prepare_lines
from extractors.template import load_templates, parse_template
from extractors.validate import RuleSpec, Violation, check_rules, rule_specs, schema_violations
from tests.unit.lines_factory import line, page


def test_normalize_text_unifies_width_punctuation_and_spaces():
    assert normalize_text("收件人：  张伟　１３８") == "收件人: 张伟 138"
    assert normalize_text("10×20") == "10x20"


@pytest.mark.parametrize("label,text,expected", [
    ("收件人", "收件人:张伟", (1.0, 0, 3)),
    ("收件人电话", "收件人电话:138", (1.0, 0, 5)),
    ("收件人", "寄件人:李娜", None),                # one character apart: Chinese labels match exactly
    ("运单号", "运 单 号:123", (1.0, 0, 5)),         # spaces dropped or added by OCR do not matter
    ("收", "寄件人", None),
    ("Total", "TOTAL RM 9.00", (1.0, 0, 5)),       # Latin labels ignore case
    ("TOTAL AMOUNT", "TOTAL AMOUMT: 9.00", "fuzzy"),  # and long ones survive a misread letter
    ("TOTAL", "T0TAL DUE 9.00", (1.0, 0, 5)),       # a digit read inside a word is read as its letter
    ("TOTAL NO", "Total: 9.00", None),              # punctuation never stands in for a letter
    ("TOTAL AMOUNT", "SUBTOTAL 9.00", None),
])
def test_find_label(label, text, expected):
    found = find_label(label, text)
    if expected == "fuzzy":
        assert found is not None and 0.8 <= found[0] < 1.0 and found[1] == 0
    else:
        assert found == expected


def test_reading_order_is_rows_then_columns():
    lines = [line("B", 0, col=10), line("A", 0, col=0), line("C", 1, col=0)]
    assert [l.text for l in prepare_lines(lines)] == ["A", "B", "C"]


def test_classification_needs_enough_keywords():
    templates = load_templates()
    waybill = classify(page("顺丰速运", "运单号 SF1", "收件人 张三", "寄件人 李四"), templates)
    assert waybill.doc_type == "courier_waybill" and waybill.score >= 0.25
    assert classify(page("收件人"), templates).doc_type == "unknown"


def test_template_errors_name_the_problem():
    with pytest.raises(ValueError, match="classify"):
        parse_template({"doc_type": "x", "variants": []})
    with pytest.raises(ValueError, match="unknown where"):
        parse_template({"doc_type": "x", "classify": {"keywords": ["a"]},
                        "variants": [{"name": "v", "fields": {"f": {"kind": "text", "where": ["above"]}}}]})


def test_every_bundled_template_is_valid_and_has_its_schema():
    from schemas import load_schema

    for doc_type, template in load_templates().items():
        schema = load_schema(template.schema)
        names = {spec.name for v in template.variants for spec in v.fields if not spec.internal}
        assert names <= set(schema["properties"]), doc_type


def test_schema_violations_point_at_the_field():
    violations = schema_violations("courier_waybill", {"tracking_number": ("sf 12", None), "date": ("2024-3-1", None)})
    assert {v.field for v in violations} == {"tracking_number", "date"}
    assert all(v.rule.startswith("schema:") for v in violations)


def test_rules_name_the_failed_rule_and_take_their_fields_from_the_template():
    values = {"sender_address": ("火星1号", {"province": None, "city": None}),
              "tracking_number": ("1234567890", {"carrier": None, "number": "1234567890"})}
    rules = rule_specs([{"address_resolves": {"field": "sender_address"}}, "tracking_matches_carrier"])
    found = check_rules(rules, values).violations
    assert [(v.rule, v.field) for v in found] == [("address_resolves", "sender_address"),
                                                  ("tracking_matches_carrier", "tracking_number")]
    assert Violation("r", "bad", "f").describe() == "f: bad"


def test_a_rule_or_parameter_the_registry_does_not_know_is_an_error_when_the_template_loads():
    with pytest.raises(ValueError, match="unknown rule"):
        rule_specs(["no_such_rule"])
    with pytest.raises(ValueError, match="unknown parameter.*feild"):
        rule_specs([{"address_resolves": {"feild": "x"}}])


def test_agreeing_amounts_confirm_each_other_and_disagreeing_ones_are_a_violation():
    rule = (RuleSpec("amount_words_match", {"words": "words", "digits": "digits"}),)
    agree = check_rules(rule, {"words": ("12.50", None), "digits": ("12.50", None)})
    assert agree.confirmed == {"words", "digits"} and not agree.violations
    differ = check_rules(rule, {"words": ("12.50", None), "digits": ("12.05", None)})
    assert not differ.confirmed and [v.field for v in differ.violations] == ["words"]


def test_a_long_label_never_matches_a_short_fragment_of_itself():
    assert find_label("GRAND TOTAL", "R") is None
    assert find_label("TOTAL AMOUNT", "Amount") is None
