"""The Python API at its edges: what is no document is a failed result, never an exception."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import tomllib

import pytest
from setuptools import find_packages

import billflow
from tests.conftest import REPO
from tests.unit.pdf_factory import cjk_font, text_pdf
from extractors.template import use_user_templates
from tests.unit.test_template_check import DELIVERY_NOTE, DELIVERY_SCHEMA
from tests.unit.test_textlayer import WAYBILL
from workers import engine as engine_module
from workers.settings import get_settings


@pytest.fixture(autouse=True)
def environment(monkeypatch, tmp_path):
    """Defaults under tmp_path, the working directory too (nothing may be written there)."""
    for name in ("BILLFLOW_DATABASE_URL", "BILLFLOW_BROKER_URL", "BILLFLOW_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty file"),
    (b"Dear customer, this is plain text.", "not a PDF or image"),
    (b"PK\x03\x04 a zip", "ZIP archive"),
    (b"%PDF-1.4\n1 0 obj << /Type /Catalog", "broken PDF"),
])
def test_bytes_that_are_no_document_give_a_failed_result_with_a_reason(data, reason, tmp_path):
    result = billflow.process(data)
    assert result.status == "failed" and reason in result.reason
    assert (result.fields, result.lines, result.parts, result.id) == ({}, (), (), None)
    assert list(tmp_path.iterdir()) == []  # in memory: no database, no data directory


def test_results_are_frozen():
    result = billflow.process(b"")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.status = "done"
    with pytest.raises(TypeError):
        result.fields["date"] = None


def test_an_unknown_document_type_is_an_error_of_the_caller():
    with pytest.raises(ValueError, match="unknown document type 'invoce'"):
        billflow.process(b"", doc_type="invoce")


def test_a_file_over_the_size_limit_fails_with_the_limit(monkeypatch, tmp_path):
    monkeypatch.setenv("BILLFLOW_MAX_FILE_MB", "0.001")
    get_settings.cache_clear()
    big = tmp_path / "big.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(2000))
    result = billflow.process(big)
    assert result.status == "failed" and "larger than the limit of 0.001 MB" in result.reason


@pytest.mark.skipif(cjk_font() is None, reason="no CJK font installed to print Chinese with")
def test_a_born_digital_pdf_is_read_from_its_text_layer_in_memory_and_in_a_database_alike(monkeypatch, tmp_path):
    monkeypatch.setattr("workers.engine._engine", None)
    data = text_pdf([WAYBILL], cjk_font())
    in_memory = billflow.process(data)
    assert in_memory.doc_type == "courier_waybill" and in_memory.fields["tracking_number"].value == "SF1234567890123"
    assert [line.text for line in in_memory.lines] == [text for _, _, text, _ in WAYBILL]
    assert all(line.score == 1.0 for line in in_memory.lines)
    stored = billflow.process(data, database_url=f"sqlite:///{tmp_path / 'api.db'}")
    assert stored.id == 1 and stored.lines == in_memory.lines
    assert dataclasses.replace(stored, id=None) == in_memory  # the same steps either way
    assert engine_module._engine is None  # no OCR engine was loaded


@pytest.mark.skipif(cjk_font() is None, reason="no CJK font installed to print Chinese with")
def test_your_own_templates_in_billflow_template_dir_are_used(monkeypatch, tmp_path):
    folder = tmp_path / "my-templates"
    folder.mkdir()
    (folder / "delivery_note.yml").write_text(DELIVERY_NOTE, encoding="utf-8")
    (folder / "delivery_note.json").write_text(DELIVERY_SCHEMA, encoding="utf-8")
    note = text_pdf([[(60, 80 + 30 * i, text, 12) for i, text in enumerate(
        ["送货单", "单号：DN202403", "收货单位：南京仓", "送货日期：2024-03-15"])]], cjk_font())
    monkeypatch.setenv("BILLFLOW_TEMPLATE_DIR", str(folder))
    get_settings.cache_clear()
    try:
        result = billflow.process(note)
    finally:
        use_user_templates({})
    assert result.doc_type == "delivery_note" and result.fields["note_number"].value == "DN202403"


def test_pip_install_ships_the_package():
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    assert "billflow" in find_packages(str(REPO), include=config["include"])
    imported = subprocess.run([sys.executable, "-c", "import billflow; print(billflow.process.__module__)"],
                              cwd="/", capture_output=True, text=True)
    assert imported.stdout.strip() == "billflow.processing", imported.stderr
