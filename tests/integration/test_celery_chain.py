"""The whole chain through a real Celery worker process, a real Redis and a real PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from db.models import Document, Field, OcrLine, Page, Status
from tests.conftest import EXAMPLES, MODEL_CACHE
from tests.integration.services import small_document
from tests.integration.workerproc import WorkerProcess, billflow_env, run_cli
from tests.truth import truth_fields

pytestmark = [pytest.mark.services, pytest.mark.ocr]
WAYBILL = EXAMPLES / "waybill_2pages.pdf"


@pytest.fixture
def worker_env(redis_url, postgres_url, tmp_path):
    env = billflow_env(broker_url=redis_url, database_url=postgres_url, data_dir=tmp_path / "data",
                       model_dir=MODEL_CACHE, worker_concurrency=1, ocr_threads=2)
    assert run_cli(env, "migrate").returncode == 0
    return env


@pytest.fixture
def worker(worker_env, tmp_path):
    proc = WorkerProcess(worker_env, tmp_path / "worker.log")
    proc.wait_ready()
    yield proc
    proc.stop()


def test_worker_processes_a_waybill_pdf_end_to_end_and_survives_bad_input(worker, worker_env, postgres_url, tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    not_a_document = tmp_path / "notes.pdf"
    not_a_document.write_text("<html>not a pdf</html>")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(WAYBILL.read_bytes()[:2000])

    result = run_cli(worker_env, "process", "--wait", "--timeout", "300", "--json",
                     str(broken), str(WAYBILL), str(empty), str(not_a_document))
    assert result.returncode == 0, result.stderr[-2000:]
    records = {r["name"]: r for r in map(json.loads, result.stdout.splitlines()) if r["parent_id"] is None}  # uploads

    assert records["waybill_2pages.pdf"]["status"] in ("done", "needs_review"), records["waybill_2pages.pdf"]
    for name in ("empty.pdf", "notes.pdf", "broken.pdf"):
        assert records[name]["status"] == "failed" and records[name]["error"], records[name]
        assert "\n" not in records[name]["error"]
    assert worker.alive()
    assert "ccache" not in worker.log.read_text(errors="replace") + result.stderr  # paddle's warning, silenced

    expected = truth_fields(WAYBILL)
    engine = create_engine(postgres_url)
    with Session(engine) as session:
        document = session.scalars(select(Document).where(Document.original_name == "waybill_2pages.pdf",
                                                          Document.parent_id.is_(None))).one()
        part = session.scalars(select(Document).where(Document.parent_id == document.id)).one()
        assert (part.first_page, part.last_page) == (2, 2) and part.fields  # the JD waybill on page 2
        fields = {f.name: f for f in document.fields}
        for name in ("tracking_number", "receiver_phone", "receiver_address"):
            assert fields[name].value == expected[name], name
            assert fields[name].page == 1 and len(fields[name].bbox) == 4
        assert [p.number for p in document.pages] == [1, 2]
        assert all(p.renderer in ("pdftoppm", "pdfium") for p in document.pages)
        counts = _row_counts(session)

    again = run_cli(worker_env, "process", "--wait", "--json", str(WAYBILL))
    assert again.returncode == 0
    assert [r["id"] for r in map(json.loads, again.stdout.splitlines()) if r["parent_id"] is None] \
        == [records["waybill_2pages.pdf"]["id"]]  # the same upload, not a new one
    with Session(engine) as session:
        assert _row_counts(session) == counts
        assert session.scalar(select(func.count()).select_from(Document).where(Document.status == Status.failed)) == 3
    engine.dispose()


def test_two_pool_processes_on_a_fresh_data_directory_finish_every_document(redis_url, postgres_url, tmp_path):
    """Both pool processes assemble the OCR model folders at once on first use: neither may fail."""
    env = billflow_env(broker_url=redis_url, database_url=postgres_url, data_dir=tmp_path / "data",
                       worker_concurrency=2, ocr_threads=1)
    assert run_cli(env, "migrate").returncode == 0
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    for number in range(10):
        (uploads / f"bill-{number}.png").write_bytes(small_document(number, lines=1))
    worker = WorkerProcess(env, tmp_path / "worker.log", concurrency=2)
    try:
        worker.wait_ready()
        result = run_cli(env, "process", "--wait", "--timeout", "400", "--json", str(uploads))
    finally:
        worker.stop()
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 0 and len(records) == 10, result.stderr[-2000:]
    assert {r["status"] for r in records} <= {"done", "needs_review"}, [(r["name"], r["error"]) for r in records]


def _row_counts(session: Session) -> tuple[int, ...]:
    return tuple(session.scalar(select(func.count()).select_from(m)) for m in (Document, Page, OcrLine, Field))
