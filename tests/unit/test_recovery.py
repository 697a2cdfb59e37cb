"""Recovery without duplicates: extraction runs once per processing, a replaced extraction is
kept under its version, failures keep their reason and traceback, and ``billflow retry`` /
``reprocess`` run documents again (here in-process, on SQLite, with a stand-in OCR engine)."""

from __future__ import annotations

import dataclasses
import getpass
import io
import os

import pytest
from PIL import Image
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from db import repo
from db.models import Extraction, Field, OcrLine, Status
from db.session import engine_for, session_scope
from tests.unit.cli_runner import billflow_cli
from tests.unit.lines_factory import page
from workers import pipeline

WAYBILL = ("顺丰速运 运单号：SF1234567890123", "收件人：张伟 138 1234 5678", "地址：广东省深圳市南山区科技园路18号",
           "寄件人：李娜 13912345678", "寄件日期：2024-03-15 重量：1.5kg 运费：¥23.00")


class StandInEngine:
    """Finds no page turn or skew and reads the same waybill lines off any page, counting reads."""

    calls = 0

    def detect(self, image):
        return []

    def flip_scores(self, image, polygons):
        return []

    def read(self, image, page: int = 1, polygons=None):
        StandInEngine.calls += 1
        return [dataclasses.replace(line, page=page) for line in WAYBILL_LINES]


WAYBILL_LINES = page(*WAYBILL)


def png(colour: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (colour, 255, 255)).save(buffer, format="PNG")
    return buffer.getvalue()


def processed(settings, colour: int = 1) -> int:
    """A document run through the whole chain in-process with the stand-in engine."""
    document_id = pipeline.submit_bytes(settings, png(colour), "scan.png").document_id
    pipeline.process_in_process(settings, StandInEngine, document_id)
    return document_id


def counts(settings, document_id: int) -> tuple[int, int, int]:
    with session_scope(settings.database_url) as session:
        return tuple(session.scalar(select(func.count()).select_from(model).where(where)) for model, where in (
            (Field, Field.document_id == document_id),
            (OcrLine, OcrLine.page.has(document_id=document_id)),
            (Extraction, Extraction.document_id == document_id),
        ))


def test_a_repeated_extraction_or_late_page_changes_nothing(settings):
    document_id = processed(settings)
    before = counts(settings, document_id)
    assert pipeline.extract_fields(settings, document_id) == Status.done
    assert pipeline.ocr_page(settings, StandInEngine(), document_id, 1) is None
    with session_scope(settings.database_url) as session:
        assert repo.get_document(session, document_id).extraction_version == 1
    assert counts(settings, document_id) == before
    assert before[0] > 5 and before[1:] == (len(WAYBILL), 0)


def test_extraction_is_due_only_once_every_page_of_the_latest_rendering_is_read(settings):
    document_id = pipeline.submit_bytes(settings, png(2), "scan.png").document_id
    assert pipeline.rasterize_document(settings, document_id) == [1]
    assert not pipeline.extraction_due(settings, document_id)
    pipeline.ocr_page(settings, StandInEngine(), document_id, 1)
    assert pipeline.extraction_due(settings, document_id)
    pipeline.rasterize_document(settings, document_id)  # a redelivered process_document
    assert not pipeline.extraction_due(settings, document_id)


def test_reextracting_keeps_the_replaced_result_under_its_version(settings):
    document_id = processed(settings)
    with session_scope(settings.database_url) as session:
        first = {f.name: f.value for f in repo.get_document(session, document_id).fields}
    assert pipeline.reextract(settings, document_id) == Status.done
    assert pipeline.reextract(settings, document_id) == Status.done
    with session_scope(settings.database_url) as session:
        document = repo.get_document(session, document_id)
        assert document.extraction_version == 3
        history = document.extractions
        assert [(e.version, e.status, e.doc_type) for e in history] == [(1, Status.done, "courier_waybill"), (2, Status.done, "courier_waybill")]
        assert {name: f["value"] for name, f in history[0].fields.items()} == first
    assert counts(settings, document_id) == (len(first), len(WAYBILL), 2)


def test_reextracting_without_ocr_lines_says_so(settings):
    document_id = pipeline.submit_bytes(settings, png(3), "scan.png").document_id
    with pytest.raises(ValueError, match="--ocr"):
        pipeline.reextract(settings, document_id)


def test_a_late_failure_never_overrides_a_finished_result(settings):
    document_id = processed(settings)
    pipeline.mark_failed(settings, document_id, "TimeoutError: a duplicate delivery timed out")
    with session_scope(settings.database_url) as session:
        assert repo.get_document(session, document_id).status == Status.done


def test_a_task_that_keeps_failing_is_failed_with_its_reason_and_traceback(settings, monkeypatch):
    from workers import tasks

    calls = []

    def unreachable(_settings, document_id):
        calls.append(document_id)
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))

    monkeypatch.setattr(tasks, "get_settings", lambda: settings)
    monkeypatch.setattr(tasks.pipeline, "rasterize_document", unreachable)
    document_id = pipeline.submit_bytes(settings, png(4), "scan.png").document_id
    tasks.process_document.apply(args=[document_id])
    assert len(calls) == tasks.process_document.max_retries + 1
    with session_scope(settings.database_url) as session:
        document = repo.get_document(session, document_id)
        assert document.status == Status.failed and document.error.startswith("OperationalError")
        assert "Traceback" in document.error_detail and "unreachable" in document.error_detail


@pytest.fixture
def cli(settings, monkeypatch):
    """``billflow`` in this process on the test's database, without a broker."""
    with billflow_cli(settings, monkeypatch, StandInEngine()) as run:
        yield run


def test_failed_document_is_listed_shown_with_traceback_and_retried(settings, cli, tmp_path):
    upload = tmp_path / "scan.png"
    upload.write_bytes(png(5))
    document_id = pipeline.submit_path(settings, upload).document_id
    blocker = pipeline.page_dir(settings, _sha(settings, document_id))
    blocker.parent.mkdir(parents=True)
    blocker.write_text("a file where the page folder belongs")  # a broken data directory

    assert cli("process", upload).exit_code == 0
    listed = cli("list", "--status", "failed")
    assert "scan.png" in listed.stdout and "FileExistsError" in listed.stdout
    assert "Traceback" in cli("show", document_id).stdout

    blocker.unlink()
    assert cli("retry", document_id).exit_code == 0
    assert "done" in cli("list", "--status", "done").stdout
    fields = counts(settings, document_id)[0]
    assert cli("retry", document_id).exit_code == 1  # a finished document is reprocessed, not retried

    reprocessed = cli("reprocess", document_id)
    assert reprocessed.exit_code == 0, reprocessed.output
    ocr_calls = StandInEngine.calls
    assert cli("reprocess", "--ocr", document_id).exit_code == 0
    assert StandInEngine.calls == ocr_calls + 1
    shown = cli("show", document_id).stdout
    assert "extraction v3" in shown and "earlier extraction v1: done" in shown and "earlier extraction v2" in shown
    assert counts(settings, document_id) == (fields, len(WAYBILL), 2)


def test_an_upload_rejected_at_intake_cannot_be_retried(settings, cli):
    pipeline.submit_bytes(settings, b"", "empty.pdf")
    result = cli("retry", "1")
    assert result.exit_code == 1 and "submit the file again" in result.output


def test_a_file_once_over_the_size_limit_runs_when_submitted_again_and_can_be_deleted(settings, cli, tmp_path,
                                                                                      monkeypatch):
    from workers.settings import get_settings

    upload = tmp_path / "scan.png"
    upload.write_bytes(png(6))
    monkeypatch.setenv("BILLFLOW_MAX_FILE_MB", "0.0001")  # 104 bytes: the file was too large then
    get_settings.cache_clear()
    assert cli("process", upload).exit_code == 0
    assert "submit the file again" in cli("retry", "1").output
    monkeypatch.delenv("BILLFLOW_MAX_FILE_MB")
    get_settings.cache_clear()

    again = cli("process", upload)
    assert again.exit_code == 0 and "done" in again.stdout, again.output
    sha256 = _sha(settings, 1)
    stored, pages = pipeline.original_path(settings, sha256), pipeline.page_dir(settings, sha256)
    assert stored.read_bytes() == png(6) and list(pages.iterdir())

    deleted = cli("delete", "1")
    assert deleted.exit_code == 0 and "deleted document 1 (scan.png)" in deleted.output
    assert cli("show", "1").exit_code == 1 and cli("delete", "1").exit_code == 1
    assert not stored.exists() and not pages.exists() and counts(settings, 1) == (0, 0, 0)
    with session_scope(settings.database_url) as session:
        (event,) = repo.events(session, 1)
    assert (event.action, event.actor, event.detail["via"]) == ("delete", getpass.getuser(), "cli")
    assert (event.detail["name"], event.detail["sha256"], event.detail["status"]) == ("scan.png", sha256, "done")


def _sha(settings, document_id: int) -> str:
    with session_scope(settings.database_url) as session:
        return repo.get_document(session, document_id).sha256


def test_the_third_worker_death_on_a_document_fails_it_and_a_retry_counts_afresh(settings):
    document_id = pipeline.submit_bytes(settings, png(7), "scan.png").document_id
    assert [pipeline.worker_died(settings, document_id) for _ in range(3)] == [True, True, False]
    assert not pipeline.worker_died(settings, document_id)  # final: neither counted nor delivered again
    with session_scope(settings.database_url) as session:
        document = repo.get_document(session, document_id)
        assert (document.status, document.error, document.deliveries) == (Status.failed, "worker died 3 times on it", 3)
    pipeline.requeue(settings, document_id)
    with session_scope(settings.database_url) as session:
        document = repo.get_document(session, document_id)
        assert (document.status, document.error, document.deliveries) == (Status.queued, None, 0)
    assert pipeline.worker_died(settings.model_copy(update={"max_deliveries": 1}), document_id) is False


def test_a_forked_pool_process_never_shares_its_parents_database_connections(settings):
    engine = engine_for(settings.database_url)
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    assert engine.pool.checkedin() == 1
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: what a Celery pool process inherits
        os.write(write, str(engine.pool.checkedin()).encode())
        os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read, 8) == b"0"


def test_a_dead_workers_tasks_come_back_after_the_visibility_timeout_setting():
    from workers.celery_app import make_app
    from workers.settings import Settings

    options = make_app(Settings(broker_url="redis://localhost/0", broker_visibility_timeout=20)).conf.broker_transport_options
    assert (options["visibility_timeout"], options["unacked_restore_interval"], options["unacked_restore_throttle"]) == (20, 5, 1)
    default = Settings(broker_url="redis://localhost/0", task_time_limit=360)
    assert make_app(default).conf.broker_transport_options["visibility_timeout"] == 1440
