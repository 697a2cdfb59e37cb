"""The README's main job: `billflow process` with no broker runs the chain here, on SQLite."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from db.models import Document, Field, OcrLine, Page
from db.session import session_scope
from tests.conftest import EXAMPLES, MODEL_CACHE
from tests.truth import truth_fields, truth_path
from workers import engine as engine_module
from workers.cli import cli
from workers.settings import get_settings

pytestmark = pytest.mark.ocr
WAYBILL_PDF = EXAMPLES / "waybill_2pages.pdf"
PHOTO = EXAMPLES / "waybill_photo.jpg"
CHEQUE = EXAMPLES / "transfer_cheque.png"


@pytest.fixture
def run(monkeypatch, tmp_path, ocr_engine):
    """Invoke the CLI in this process with embedded defaults under tmp_path, sharing the engine."""
    database_url = f"sqlite:///{tmp_path / 'billflow.db'}"
    monkeypatch.setenv("BILLFLOW_DATABASE_URL", database_url)
    monkeypatch.setenv("BILLFLOW_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BILLFLOW_MODEL_DIR", str(MODEL_CACHE))
    monkeypatch.delenv("BILLFLOW_BROKER_URL", raising=False)
    monkeypatch.setattr(engine_module, "_engine", ocr_engine)
    get_settings.cache_clear()
    runner = CliRunner()

    def invoke(*args: str):
        result = runner.invoke(cli, list(args), catch_exceptions=False, env={"COLUMNS": "200"})
        return result

    invoke.database_url = database_url
    yield invoke
    get_settings.cache_clear()


def row_counts(database_url: str) -> tuple[int, ...]:
    with session_scope(database_url) as session:
        return tuple(session.scalar(select(func.count()).select_from(m)) for m in (Document, Page, OcrLine, Field))


def test_process_examples_extracts_waybill_fields_and_fails_only_bad_files(run, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.png").write_bytes(b"")
    (bad / "letter.pdf").write_text("Dear customer, this is plain text.")
    (bad / "notes.txt").write_text("not a document: a folder yields only document file types")
    result = run("process", "--json", str(WAYBILL_PDF), str(PHOTO), str(bad))
    assert result.exit_code == 0, result.output
    records = {r["name"]: r for r in map(json.loads, result.stdout.splitlines()) if r["parent_id"] is None}
    assert records["empty.png"]["status"] == "failed" and records["empty.png"]["error"] == "empty file"
    assert records["letter.pdf"]["status"] == "failed" and "not a PDF or image" in records["letter.pdf"]["error"]
    assert "notes.txt" not in records

    for sample in (WAYBILL_PDF, PHOTO):
        record = records[sample.name]
        assert record["doc_type"] == "courier_waybill" and record["status"] in ("done", "needs_review")
        expected = truth_fields(sample)
        got = {name: f["value"] for name, f in record["fields"].items()}
        for name in ("tracking_number", "receiver_name", "receiver_phone", "receiver_address", "date"):
            assert got.get(name) == expected[name], (sample.name, name, got.get(name))
    assert records[WAYBILL_PDF.name]["pages"] == 2


def test_two_waybills_in_one_pdf_become_two_documents_with_every_tracking_number(run):
    result = run("process", "--json", str(WAYBILL_PDF))
    assert result.exit_code == 0, result.output
    upload, part = map(json.loads, result.stdout.splitlines())
    assert (upload["first_page"], upload["last_page"], upload["pages"]) == (1, 1, 2)
    assert (part["parent_id"], part["first_page"], part["last_page"]) == (upload["id"], 2, 2)
    truth = json.loads(truth_path(WAYBILL_PDF).read_text(encoding="utf-8"))["pages"]
    for record, page in ((upload, truth[0]), (part, truth[1])):
        assert record["doc_type"] == "courier_waybill" and record["status"] in ("done", "needs_review")
        got = {name: f["value"] for name, f in record["fields"].items()}
        for name in ("tracking_number", "receiver_phone", "date"):
            assert got.get(name) == page["fields"][name], (page["page"], name, got.get(name))
        assert {f["page"] for f in record["fields"].values()} == {page["page"]}
    shown = run("show", str(upload["id"])).stdout
    assert f"pages 2-2 of this upload are document {part['id']}" in shown


def test_processing_the_same_files_again_duplicates_nothing(run):
    first = run("process", "--json", str(CHEQUE))
    counts = row_counts(run.database_url)
    second = run("process", "--json", str(CHEQUE))
    assert json.loads(first.stdout)["id"] == json.loads(second.stdout)["id"]
    assert row_counts(run.database_url) == counts and counts[0] == 1 and counts[2] > 0


def test_show_list_and_export(run, tmp_path):
    run("process", str(PHOTO))
    shown = run("show", "1")
    assert shown.exit_code == 0 and "waybill_photo.jpg" in shown.stdout and "tracking_number" in shown.stdout
    assert "waybill_photo.jpg" in run("list").stdout
    assert "waybill_photo.jpg" not in run("list", "--status", "failed").stdout

    exported = run("export", "--format", "jsonl")
    record = json.loads(exported.stdout.splitlines()[0])
    assert record["fields"]["tracking_number"]["value"] == truth_fields(PHOTO)["tracking_number"]
    target = tmp_path / "fields.csv"
    run("export", "--format", "csv", "--output", str(target))
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == 1 and rows[0]["tracking_number"] == f'="{truth_fields(PHOTO)["tracking_number"]}"'
    assert rows[0]["receiver_phone"].startswith('="+86')  # kept as text by a spreadsheet
    assert run("show", "999").exit_code == 1
