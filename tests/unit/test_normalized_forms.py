"""Exported ``normalized`` values have one form per field: a reviewer's value has the form the
extracted or derived one has, so a reader of ``billflow export`` never meets two."""

from __future__ import annotations

import pytest

from extractors.corrections import InvalidCorrection, parse_correction, variant_of
from extractors.derive import sorting_code
from extractors.template import load_templates


def test_a_reviewers_sorting_code_has_the_form_of_a_derived_one():
    template = load_templates()["courier_waybill"]
    variant = variant_of(template, template.doc_type)
    derived = sorting_code({"receiver_address": ("浙江省杭州市西湖区古墩路791号", {"province": "浙江省", "city": "杭州市"})})
    given = parse_correction(template, variant, "sorting_code", " ５７１ ")
    assert derived[1] == {"code": "571", "province": "浙江省", "city": "杭州市"}
    assert given.value == "571" and given.normalized == {"code": "571", "province": None, "city": None}
    with pytest.raises(InvalidCorrection, match="not a valid sorting code"):
        parse_correction(template, variant, "sorting_code", "Hangzhou")

