"""Templates are checked when loaded: a typo is an error naming the file and the path in it, with a
"did you mean", never a template that silently finds nothing. User templates add to or replace the
bundled ones; the JSON Schemas agree with the templates."""

from __future__ import annotations

import copy
import json
from importlib import resources

import jsonschema
import pytest
import yaml

from extractors.extract import extract_document
from extractors.fields.base import load_data
from extractors.template import TemplateError, bundled_templates, load_templates, parse_template, use_user_templates
from schemas import load_schema
from tests.unit.lines_factory import page

WAYBILL = yaml.safe_load((resources.files("extractors") / "templates" / "courier_waybill.yml").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def bundled_only():
    """Every test starts and ends with the bundled templates alone."""
    use_user_templates({})
    yield
    use_user_templates({})


def problems(edit) -> list[str]:
    """The problems of the waybill template after ``edit`` changed its YAML mapping."""
    data = copy.deepcopy(WAYBILL)
    edit(data)
    with pytest.raises(TemplateError) as raised:
        parse_template(data, "mine/waybill.yml")
    return raised.value.problems


def fields(data: dict) -> dict:
    return data["variants"][0]["fields"]


def test_a_misspelt_key_is_an_error_naming_file_path_and_the_key_meant():
    def misspell(data):
        fields(data)["receiver_name"]["anchor"] = fields(data)["receiver_name"].pop("anchors")

    assert problems(misspell) == [
        "mine/waybill.yml: variants[0].fields.receiver_name.anchor: unknown key 'anchor'; did you mean 'anchors'?"]


@pytest.mark.parametrize("edit, expected", [
    (lambda d: fields(d)["date"].update(kind="dat"), "variants[0].fields.date.kind: unknown kind 'dat'; did you mean 'date'?"),
    (lambda d: fields(d)["receiver_address"].update(select="bets"),
     "variants[0].fields.receiver_address.select: unknown select 'bets'; did you mean 'best'?"),
    (lambda d: fields(d)["date"].update(where=["same_line", "belwo"]),
     "variants[0].fields.date.where[1]: unknown where 'belwo'; did you mean 'below'?"),
    (lambda d: fields(d)["receiver_address"].update(repair=["place"]),
     "variants[0].fields.receiver_address.repair[0]: unknown repair 'place'; did you mean 'places'?"),
    (lambda d: d.update(derived=["carrier", "sorting"]), "derived[1]: unknown derived field 'sorting'; did you mean 'sorting_code'?"),
    (lambda d: d["rules"].append({"phone_reachabel": {"field": "sender_phone"}}),
     "rules[9]: unknown rule 'phone_reachabel'; did you mean 'phone_reachable'?"),
    (lambda d: d["rules"].append("date_plausable"), "rules[9]: unknown rule 'date_plausable'; did you mean 'date_plausible'?"),
    (lambda d: d["rules"].append({"date_plausible": {"field": "date", "future": 2}}),
     "rules[9].date_plausible.future: unknown key 'future'; did you mean 'future_days'?"),
    (lambda d: d["classify"].update(kinds=["carrier", "tracking"]),
     "classify.kinds[1]: unknown kind 'tracking'; did you mean 'tracking_number'?"),
    (lambda d: d.update(classfy=d.pop("classify")), "(top): missing key 'classify'"),
    (lambda d: fields(d)["date"].update(anchors="日期"), "variants[0].fields.date.anchors: must be a list, not a text"),
])
def test_kinds_select_where_repair_derived_and_rules_are_checked_with_a_suggestion(edit, expected):
    assert f"mine/waybill.yml: {expected}" in problems(edit)


@pytest.mark.parametrize("edit, expected", [
    (lambda d: fields(d)["receiver_phone"].update(section="reciever"),
     "variants[0].fields.receiver_phone.section: unknown section 'reciever'; did you mean 'receiver'?"),
    (lambda d: d["rules"].append({"phone_reachable": {"field": "reciever_phone"}}),
     "rules[9].phone_reachable.field: unknown field 'reciever_phone'; did you mean 'receiver_phone'?"),
    (lambda d: fields(d)["tracking_number"].update(options_from={"carrier": "carier"}),
     "variants[0].fields.tracking_number.options_from.carrier: unknown field 'carier'; did you mean 'carrier'?"),
    (lambda d: d.update(schema="courier_waybil"),
     "schema: no JSON Schema 'courier_waybil': put courier_waybil.json beside the template; did you mean 'courier_waybill'?"),
    (lambda d: fields(d).update(order_number={"kind": "text", "anchors": ["订单号"]}),
     "variants[0].fields.order_number: field 'order_number' is not a property of JSON Schema 'courier_waybill', "
     "which allows no others: add it to courier_waybill.json beside the template"),
])
def test_names_that_refer_to_nothing_are_errors(edit, expected):
    assert f"mine/waybill.yml: {expected}" in problems(edit)


def test_a_rule_left_to_its_default_fields_must_find_them():
    assert problems(lambda d: d["rules"].append("positive")) == [
        "mine/waybill.yml: rules[9].positive.field: unknown field 'total'"]


def test_yaml_booleans_and_broken_regexes_are_explained():
    found = problems(lambda d: fields(d)["date"].update(anchors=["日期", False], regex="([0-9]"))
    assert "mine/waybill.yml: variants[0].fields.date.anchors[1]: YAML read false here: quote words like No, Yes, On, Off" in found
    assert any(p.startswith("mine/waybill.yml: variants[0].fields.date.regex: not a regular expression") for p in found)


def test_every_problem_is_reported_at_once():
    def several(data):
        fields(data)["date"]["kind"] = "dat"
        fields(data)["weight"]["anchor"] = fields(data)["weight"].pop("anchors")
    assert len(problems(several)) == 2


def test_the_bundled_templates_pass_the_check():
    assert set(bundled_templates()) == {"bank_bill", "courier_waybill", "receipt", "vat_invoice"}


def _schema_required(schema: dict, document: dict) -> set[str]:
    """What ``schema`` requires of ``document``: its ``required``, and its ``then``'s when the
    document meets its ``if`` (a variant's own requirements)."""
    conditional = "if" in schema and jsonschema.Draft202012Validator(schema["if"]).is_valid(document)
    return set(schema["required"]) | (set(schema["then"]["required"]) if conditional else set())


def test_the_json_schemas_require_what_the_templates_require_and_list_their_codes():
    for doc_type, template in bundled_templates().items():
        schema = load_schema(template.schema)
        for variant in template.variants:
            required = {s.name for s in variant.fields if s.required} | ({template.variant_field} - {None})
            assert _schema_required(schema, {template.variant_field: variant.name}) == required, (doc_type, variant.name)
        if template.variant_field:
            assert schema["properties"][template.variant_field]["enum"] == [v.name for v in template.variants]
    carriers = [c["code"] for c in load_data("carriers.yml")["carriers"]]
    assert sorted(load_schema("courier_waybill")["properties"]["carrier"]["enum"]) == sorted(carriers)


DELIVERY_NOTE = """
doc_type: delivery_note
classify: {keywords: [送货单, 送货日期, 收货单位], expected: 2}
variants:
  - name: generic
    fields:
      note_number: {kind: text, anchors: [单号], regex: '([A-Z]{2}\\d{6})', required: true}
      date: {kind: date, anchors: [送货日期], required: true}
rules:
  - date_plausible: {field: date, not_before: "2020-01-01", future_days: 1}
"""
DELIVERY_SCHEMA = """{"type": "object", "required": ["note_number", "date"], "additionalProperties": false,
  "properties": {"note_number": {"type": "string", "pattern": "^[A-Z]{2}[0-9]{6}$"}, "date": {"type": "string"}}}"""
NOTE_LINES = page("送货单", "单号：DN202403", "收货单位：南京仓", "送货日期：2024-03-15")


def test_a_user_template_adds_a_document_type_with_its_schema():
    before = extract_document(NOTE_LINES)
    use_user_templates({"mine/delivery_note.yml": DELIVERY_NOTE}, {"mine/delivery_note.json": DELIVERY_SCHEMA})
    after = extract_document(NOTE_LINES)
    assert before.doc_type == "unknown"
    assert after.doc_type == "delivery_note" and after.fields["note_number"].value == "DN202403"
    assert after.fields["date"].value == "2024-03-15" and set(load_templates()) > {"delivery_note", "receipt"}


def test_a_user_template_replaces_the_bundled_one_of_its_type_and_its_schema_too():
    mine, schema = copy.deepcopy(WAYBILL), copy.deepcopy(load_schema("courier_waybill"))
    fields(mine)["order_number"] = {"kind": "text", "anchors": ["订单号"], "regex": "([A-Z0-9]{8,})"}
    schema["properties"]["order_number"] = {"type": "string"}
    lines = page("顺丰速运 运单号：SF1234567890123", "订单号：DD20240315", "收件人：张伟 13812345678",
                 "地址：广东省深圳市南山区科技园路18号", "寄件人：李娜 13912345678", "寄件日期：2024-03-15")
    assert "order_number" not in extract_document(lines).fields
    use_user_templates({"mine/waybill.yml": yaml.safe_dump(mine, allow_unicode=True)},
                       {"mine/courier_waybill.json": json.dumps(schema)})
    result = extract_document(lines)
    assert result.fields["order_number"].value == "DD20240315" and not result.fields["order_number"].violations
    assert result.fields["tracking_number"].value == "SF1234567890123"


def test_bad_user_templates_change_nothing_and_name_every_file():
    with pytest.raises(TemplateError) as raised:
        use_user_templates({"a.yml": DELIVERY_NOTE, "b.yml": "doc_type: [unclosed", "c.yml": DELIVERY_NOTE.replace("kind: date", "kind: dat")},
                           {"a.json": DELIVERY_SCHEMA})
    found = raised.value.problems
    assert found[0] == "a.yml: schema: no JSON Schema 'delivery_note': put delivery_note.json beside the template"
    assert any(p.startswith("b.yml: not YAML") for p in found)
    assert "c.yml: variants[0].fields.date.kind: unknown kind 'dat'; did you mean 'date'?" in found
    assert set(load_templates()) == {"bank_bill", "courier_waybill", "receipt", "vat_invoice"}


def test_templates_list_shows_every_type_with_its_rules():
    from typer.testing import CliRunner

    from workers.cli import cli

    result = CliRunner().invoke(cli, ["templates", "list"], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    assert "vat_invoice" in result.output and "items_add_up" in result.output
