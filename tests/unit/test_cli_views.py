"""Your own templates from the command line (``BILLFLOW_TEMPLATE_DIR``, ``--templates``, ``billflow
templates check``) and ``billflow show --overlay``: the real CLI on SQLite, documents stored from
OCR lines (no OCR; ``billflow ocr`` itself is in tests/integration/test_cli_ocr.py)."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest
import yaml
from PIL import Image

from api.overlay import LINE_COLOUR, VALID_COLOUR
from extractors.template import use_user_templates
from schemas import load_schema
from tests.integration.reviewdata import LOW_CONFIDENCE_PHONE, seed_document
from tests.unit.lines_factory import line
from tests.unit.test_cli import run  # noqa: F401  (the fixture)

WAYBILL = (resources.files("extractors") / "templates" / "courier_waybill.yml").read_text(encoding="utf-8")
ORDER_LINES = [*LOW_CONFIDENCE_PHONE, line("订单号：DD20240315", 8)]


@pytest.fixture(autouse=True)
def bundled_afterwards():
    yield
    use_user_templates({})


@pytest.fixture
def with_order_number(tmp_path):
    """A template folder whose waybill template also reads the order number, with its schema."""
    folder = tmp_path / "templates"
    folder.mkdir()
    template = yaml.safe_load(WAYBILL)
    template["variants"][0]["fields"]["order_number"] = {"kind": "text", "anchors": ["订单号"], "regex": "([A-Z0-9]{8,})"}
    schema = load_schema("courier_waybill")
    schema = {**schema, "properties": {**schema["properties"], "order_number": {"type": "string"}}}
    (folder / "waybill.yml").write_text(yaml.safe_dump(template, allow_unicode=True), encoding="utf-8")
    (folder / "courier_waybill.json").write_text(json.dumps(schema), encoding="utf-8")
    return folder


def test_templates_check_lists_every_problem_and_exits_1(run, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    template = yaml.safe_load(WAYBILL)
    receiver_name, weight = (template["variants"][0]["fields"][name] for name in ("receiver_name", "weight"))
    receiver_name["anchor"], weight["kind"] = receiver_name.pop("anchors"), "wieght"
    (folder / "waybill.yml").write_text(yaml.safe_dump(template, allow_unicode=True), encoding="utf-8")
    result = run("templates", "check", folder)
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [
        f"{folder / 'waybill.yml'}: variants[0].fields.receiver_name.anchor: unknown key 'anchor'; did you mean 'anchors'?",
        f"{folder / 'waybill.yml'}: variants[0].fields.weight.kind: unknown kind 'wieght'; did you mean 'weight'?"]


def test_templates_check_says_what_a_good_folder_adds_or_replaces(run, with_order_number):
    result = run("templates", "check", with_order_number)
    assert result.exit_code == 0 and result.stdout.strip() == "ok: replaces the bundled template courier_waybill"


def test_a_bad_template_folder_stops_every_command_naming_the_variable(run, tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "waybill.yml").write_text(WAYBILL.replace("kind: weight", "kind: wieght"), encoding="utf-8")
    result = run("list", BILLFLOW_TEMPLATE_DIR=str(tmp_path / "mine"))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.splitlines()[0] == f"BILLFLOW_TEMPLATE_DIR={tmp_path / 'mine'}: 1 problem(s) in its templates:"
    assert "unknown kind 'wieght'; did you mean 'weight'?" in result.stderr
    for command in ("worker", "serve"):  # a worker or the API would otherwise run without them
        refused = run(command, BILLFLOW_TEMPLATE_DIR=str(tmp_path / "mine"), BILLFLOW_BROKER_URL="redis://127.0.0.1:1/0")
        assert refused.exit_code == 2 and "unknown kind 'wieght'" in refused.stderr
    missing = run("list", BILLFLOW_TEMPLATE_DIR=str(tmp_path / "nowhere"))
    assert missing.exit_code == 2 and f"BILLFLOW_TEMPLATE_DIR={tmp_path / 'nowhere'} is not a folder" in missing.stderr


def test_the_template_folder_setting_reads_a_field_the_bundled_template_lacks(run, with_order_number):
    settings = run.settings
    document_id = seed_document(settings.database_url, settings.data_dir, "order.png", ORDER_LINES)
    assert "order_number" not in run("show", document_id).stdout
    assert run("reprocess", document_id, BILLFLOW_TEMPLATE_DIR=str(with_order_number)).exit_code in (0, 1)
    shown = run("show", document_id).stdout
    assert "order_number" in shown and "DD20240315" in shown
    assert run("reprocess", document_id).exit_code in (0, 1)  # without the folder: the bundled template again
    assert "order_number" not in run("show", document_id).stdout


def test_templates_option_with_a_broker_is_refused_not_ignored(run, with_order_number, tmp_path):
    upload = tmp_path / "a.png"
    Image.new("RGB", (40, 40), "white").save(upload)
    result = run("process", "--templates", with_order_number, upload, BILLFLOW_BROKER_URL="redis://127.0.0.1:1/0")
    assert result.exit_code == 2
    assert "--templates applies to documents processed here" in result.stderr and "BILLFLOW_TEMPLATE_DIR" in result.stderr


def test_show_overlay_writes_the_page_with_line_and_field_boxes(run, tmp_path):
    settings = run.settings
    document_id = seed_document(settings.database_url, settings.data_dir, "waybill", LOW_CONFIDENCE_PHONE)
    target = tmp_path / "out.png"
    result = run("show", document_id, "--overlay", target)
    assert result.exit_code == 0 and f"wrote {target}: page 1" in result.stderr
    page = Image.open(settings.data_dir / "seeded" / "waybill.png")
    drawn = np.asarray(Image.open(target).convert("RGB"))
    assert drawn.shape[:2] == (page.height, page.width)
    x0, y0 = (round(v) for v in ORDER_LINES[1].polygon[0])  # 收件人：张伟, a line and the receiver name's field
    assert tuple(drawn[y0 + 10, x0]) in (LINE_COLOUR, VALID_COLOUR)
    colours = {tuple(c) for c in drawn.reshape(-1, 3)}
    assert LINE_COLOUR in colours and VALID_COLOUR in colours


def test_show_overlay_of_a_page_the_document_lacks_names_its_pages(run, tmp_path):
    settings = run.settings
    document_id = seed_document(settings.database_url, settings.data_dir, "waybill.png", LOW_CONFIDENCE_PHONE)
    result = run("show", document_id, "--overlay", tmp_path / "out.png", "--page", "3")
    assert result.exit_code == 1 and f"document {document_id} has no image of page 3 (pages 1)" in result.stderr
    assert not (tmp_path / "out.png").exists()


def test_ocr_of_a_file_that_is_no_document_is_one_line(run, tmp_path):
    (tmp_path / "notes.txt").write_text("not a scan", encoding="utf-8")
    result = run("ocr", tmp_path / "notes.txt")
    assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith(f"{tmp_path / 'notes.txt'}: ")
