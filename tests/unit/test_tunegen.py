"""tools.tunegen: the tuning family's documents are the same for a seed, their truth lines lie
on the page, their fields are valid canonical values and every one of them is printed."""

from __future__ import annotations

import json

import jsonschema
import pytest
from PIL import Image

from schemas import load_schema
from tools.docgen.fonts import MISSING_MESSAGE, has_cjk_font
from tools.tunegen import DOC_TYPES, batch, generate, layouts

PRINTED_AS_IS = ("name", "address", "bank", "account", "tracking_number", "bill_number", "deposited_number")  # field names containing these


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    if not has_cjk_font():
        pytest.skip(f"tools.tunegen renders Chinese text: {MISSING_MESSAGE}")
    out = tmp_path_factory.mktemp("tunegen")
    return out, batch(out, 8, seed=5, mode="none")  # every layout of both types once


def _truth(image_path):
    return json.loads(image_path.with_suffix(".json").read_text(encoding="utf-8"))


def test_same_seed_same_documents_and_other_seed_other_ones(written, tmp_path):
    out, paths = written
    again = batch(tmp_path, 2, seed=5, mode="none")
    for first, second in zip(paths, again):
        assert first.read_bytes() == second.read_bytes()
        assert _truth(first) == _truth(second)
    other = batch(tmp_path / "other", 2, seed=6, mode="none")
    assert _truth(other[0])["fields"] != _truth(paths[0])["fields"]


def test_every_layout_of_both_types_is_written(written):
    _, paths = written
    seen = {(_truth(p)["doc_type"], _truth(p)["layout"]) for p in paths}
    assert seen == {(t, name) for t in DOC_TYPES for name in layouts(t)}
    assert all(len(layouts(t)) >= 4 for t in DOC_TYPES)


def test_truth_lines_lie_inside_the_image(written):
    _, paths = written
    for path in paths:
        page = _truth(path)["pages"][0]
        width, height = Image.open(path).size
        assert (page["width"], page["height"]) == (width, height)
        for line in page["lines"]:
            xs, ys = zip(*line["polygon"])
            assert 0 <= min(xs) < max(xs) <= width and 0 <= min(ys) < max(ys) <= height, line


def test_fields_are_valid_against_the_schemas_and_printed(written):
    _, paths = written
    for path in paths:
        truth = _truth(path)
        jsonschema.validate(truth["fields"], load_schema(truth["doc_type"]))
        printed = "".join("".join(line["text"].split()) for line in truth["pages"][0]["lines"] if not line.get("kind"))
        for name, value in truth["fields"].items():
            if any(part in name for part in PRINTED_AS_IS):
                assert value in printed, (path.name, name, value)


def test_a_deposit_slip_has_no_serial_and_its_deposited_number_is_at_piaojuhaoma(written):
    _, paths = written
    for path in paths:
        truth = _truth(path)
        fields, texts = truth["fields"], [line["text"] for line in truth["pages"][0]["lines"]]
        if fields.get("bill_type") != "deposit_slip":
            assert "deposited_number" not in fields
            continue
        assert "bill_number" not in fields  # the slip prints no number of its own
        assert f"票据号码 {fields['deposited_number']}" in texts


def test_mild_degradation_keeps_the_content():
    if not has_cjk_font():
        pytest.skip(f"tools.tunegen renders Chinese text: {MISSING_MESSAGE}")
    clean = generate("courier_waybill", "sto_side", 11, "none")
    mild = generate("courier_waybill", "sto_side", 11, "mild")
    assert mild.fields == clean.fields and mild.degradations and not clean.degradations
    assert [l.text for l in mild.lines] == [l.text for l in clean.lines]
