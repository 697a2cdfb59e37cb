"""The ``billflow`` command as a user meets it: one-line reasons for a wrong environment (exit 2),
``--version``, tables that read at 80 columns, skipped files said, spreadsheet-safe CSV.
Real CLI (typer's CliRunner, or a subprocess), real SQLite; documents stored without OCR."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from importlib.metadata import version

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from db import repo
from db.migrate import upgrade
from db.models import Status
from db.session import session_scope
from tests.conftest import EXAMPLES, free_port
from workers import pipeline
from workers.cli import cli
from workers.settings import Settings, get_settings

LONG_NAME = "waybill_scan_2024-03-15_warehouse_B_receiving_dock_0001.png"
ACCOUNT = "6222020200001234567"
ADDRESS = "江苏省南京市鼓楼区虎踞路183号万科广场29楼2901室"


@pytest.fixture
def run(tmp_path, monkeypatch):
    """``billflow ARGS`` in this process at 80 columns on a SQLite database under tmp_path."""
    monkeypatch.chdir(tmp_path)
    env = {"BILLFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'billflow.db'}", "BILLFLOW_DATA_DIR": str(tmp_path / "data"),
           "BILLFLOW_BROKER_URL": "", "COLUMNS": "80"}

    def invoke(*args: str, **overrides: str):
        get_settings.cache_clear()
        try:
            return CliRunner().invoke(cli, [str(a) for a in args], env={**env, **overrides})
        finally:
            get_settings.cache_clear()

    invoke.settings = Settings(database_url=env["BILLFLOW_DATABASE_URL"], data_dir=tmp_path / "data", broker_url=None)
    upgrade(invoke.settings.database_url)
    return invoke


def stored(settings: Settings, name: str, status: Status, fields: dict[str, str] = {}, reasons: tuple[str, ...] = (),
           error: str | None = None) -> int:
    """A document as processing leaves it, written straight to the database (no OCR)."""
    document_id = pipeline.submit_bytes(settings, f"%PDF-1.4 {name}".encode(), name).document_id
    with session_scope(settings.database_url) as session:
        document = repo.get_document(session, document_id)
        repo.save_fields(session, document, [
            {"name": field, "value": value, "normalized": value, "raw_text": f"label: {value}", "confidence": 0.93,
             "page": 1, "bbox": [10, 20, 300, 40], "valid": True, "violations": []} for field, value in fields.items()])
        document.doc_type, document.review_reasons = "courier_waybill" if fields else None, list(reasons)
        repo.set_status(session, document, status, error)
    return document_id


def lines_of(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_version_is_the_installed_packages():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"billflow {version('billflow')}"


@pytest.mark.parametrize("url, says", [
    (f"postgresql://billflow:secret@127.0.0.1:{free_port()}/billflow", "cannot reach the database"),
    ("sqlite:///{tmp}/no/such/billflow.db", "{tmp}/no/such, which does not exist"),
    ("sqlite://billflow.db", "names no SQLite file"),
    ("sqlite:/billflow.db", "is not a database URL"),
    ("postgresql://billflow@localhost:port/billflow", "is not a database URL"),
])
def test_a_database_that_cannot_work_is_one_line_naming_the_variable(run, tmp_path, url, says):
    result = run("list", BILLFLOW_DATABASE_URL=url.format(tmp=tmp_path))
    assert result.exit_code == 2
    assert lines_of(result.stderr) == [result.stderr.strip()] and "BILLFLOW_DATABASE_URL" in result.stderr
    assert says.format(tmp=tmp_path) in result.stderr and "Traceback" not in result.output
    assert "secret" not in result.output and not (tmp_path / "no").exists()  # a mistyped folder is not created


def test_debug_shows_the_traceback_before_the_reason(run):
    result = run("--debug", "list", BILLFLOW_DATABASE_URL=f"postgresql://billflow@127.0.0.1:{free_port()}/billflow")
    assert result.exit_code == 2
    assert "Traceback" in result.stderr and lines_of(result.stderr)[-1].startswith("cannot reach the database")


def test_a_read_only_data_directory_is_one_line_naming_the_variable(tmp_path):
    (tmp_path / "data").mkdir()
    os.chmod(tmp_path / "data", 0o555)
    command = [sys.executable, "-m", "workers.cli", "process", str(EXAMPLES / "transfer_cheque.png")]
    if os.geteuid() == 0:  # root writes into read-only folders unless it gives up that capability
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: a read-only folder cannot be made")
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *command]
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("BILLFLOW_")},
           "BILLFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'billflow.db'}", "BILLFLOW_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 2, result.stderr[-2000:]
    assert lines_of(result.stderr) == [result.stderr.strip()]
    assert f"BILLFLOW_DATA_DIR={tmp_path / 'data'} cannot be written (Permission denied)" in result.stderr


def test_list_reads_at_80_columns_long_texts_cut_and_key_fields_one_a_line(run):
    stored(run.settings, LONG_NAME, Status.done,
           {"tracking_number": "SF1336350168549", "receiver_address": ADDRESS, "receiver_phone": "+8618796806168"})
    stored(run.settings, "broken.pdf", Status.failed, error="the PDF is damaged: " + "no trailer dictionary " * 5)
    shown = run("list")
    assert shown.exit_code == 0
    lines = shown.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert any(LONG_NAME[:16] in line and "…" in line for line in lines) and "dock_0001" not in shown.stdout
    assert sum("tracking_number=SF1336350168549" in line for line in lines) == 1  # a field whole on its line
    assert any("receiver_address=江苏省" in line and line.rstrip().endswith("…") for line in lines)
    assert any(line.strip().startswith("receiver_phone=+8618796806168") for line in lines)
    assert any("! the PDF is damaged" in line and "…" in line for line in lines)


def test_show_reads_at_80_columns_a_field_a_row_with_its_whole_value(run):
    document_id = stored(run.settings, LONG_NAME, Status.needs_review,
                         {"tracking_number": "SF1336350168549", "payer_account": ACCOUNT, "receiver_address": ADDRESS},
                         reasons=("receiver_address: confidence 0.86 below 0.90",))
    shown = run("show", document_id)
    assert shown.exit_code == 0
    lines = shown.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    for name, value in (("tracking_number", "SF1336350168549"), ("payer_account", ACCOUNT), ("receiver_address", ADDRESS)):
        assert any(line.startswith(name) and value in line for line in lines), name
    assert any("OCR: label: SF1336350168549" in line for line in lines)


def test_process_says_which_files_of_a_folder_it_skipped_and_why(run, tmp_path):
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / "empty.png").write_bytes(b"")
    (folder / "sub" / "empty copy.png").write_bytes(b"")
    (folder / "notes.txt").write_text("not a document")
    (folder / "gone.pdf").symlink_to(tmp_path / "nowhere.pdf")
    result = run("process", folder)
    assert result.exit_code == 0, result.output
    said = lines_of(result.stderr)
    assert f"skipped {folder / 'notes.txt'}: not a PDF or image (by its extension)" in said
    assert f"skipped {folder / 'gone.pdf'}: not a regular file (a broken link?)" in said
    assert f"skipped {folder / 'sub' / 'empty copy.png'}: same content as {folder / 'empty.png'} (document 1)" in said
    assert "empty file" in result.stdout


def exported_rows(run, *args: str) -> list[dict]:
    result = run("export", "--format", "csv", *args)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_csv_export_is_a_row_a_document_with_a_column_per_field(run):
    first = stored(run.settings, "a.pdf", Status.done, {"tracking_number": "SF1336350168549", "weight": "1.5"})
    second = stored(run.settings, "b.pdf", Status.needs_review, {"tracking_number": "JDVB21521354726", "date": "2024-07-04"},
                    reasons=("date: confidence 0.5 below 0.9", "weight: missing"))
    failed = stored(run.settings, "c.pdf", Status.failed, error="the PDF is damaged")
    rows = exported_rows(run)
    assert [int(r["document_id"]) for r in rows] == [first, second, failed]
    assert list(rows[0])[:6] == ["document_id", "name", "doc_type", "status", "review_reasons", "error"]
    assert set(list(rows[0])[6:]) == {"tracking_number", "weight", "date"}
    assert (rows[0]["tracking_number"], rows[0]["weight"], rows[0]["date"]) == ("SF1336350168549", "1.5", "")
    assert rows[1]["status"] == "needs_review" and rows[1]["review_reasons"] == "date: confidence 0.5 below 0.9; weight: missing"
    assert rows[2]["error"] == "the PDF is damaged" and rows[2]["tracking_number"] == ""

    long = exported_rows(run, "--long")
    assert [(r["document_id"], r["field"]) for r in long] == [
        (str(first), "tracking_number"), (str(first), "weight"), (str(second), "tracking_number"), (str(second), "date"),
        (str(failed), "")]
    assert long[0]["confidence"] == "0.93" and long[0]["page"] == "1"


def test_csv_cells_never_run_as_formulas_and_keep_long_digit_strings_exact(run):
    values = {"a": "=HYPERLINK(\"http://evil\",\"x\")", "b": "+1+cmd|' /C calc'!A0", "c": "-2+3", "d": "@SUM(A1)",
              "e": "\tx", "f": "\rx", "g": "-12.50", "h": ACCOUNT, "i": "0012345", "j": "+8618796806168",
              "k": "36600098", "l": "SF1336350168549"}
    stored(run.settings, "a.pdf", Status.done, values)
    row = exported_rows(run)[0]
    for name in "abcdef":
        assert row[name] == "'" + values[name], name
    assert row["g"] == "-12.50" and row["k"] == "36600098" and row["l"] == "SF1336350168549"
    for name in "hij":
        assert row[name] == f'="{values[name]}"', name  # a spreadsheet shows these characters, as text
    assert {r["value"] for r in exported_rows(run, "--long")} >= {"'" + values["a"], f'="{ACCOUNT}"'}


def test_csv_for_excel_begins_with_a_byte_order_mark(run, tmp_path):
    stored(run.settings, "收据.pdf", Status.done, {"payer_name": "郑州宝隆文化传媒有限公司"})
    plain, excel = tmp_path / "plain.csv", tmp_path / "excel.csv"
    assert run("export", "--format", "csv", "-o", plain).exit_code == 0
    assert run("export", "--format", "csv", "--excel", "-o", excel).exit_code == 0
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")
    assert excel.read_bytes() == b"\xef\xbb\xbf" + plain.read_bytes()
    assert "郑州宝隆文化传媒有限公司" in excel.read_text(encoding="utf-8-sig")
