"""The hostile corpus of ``tools/hostile.py`` through a real worker, Redis and PostgreSQL, with a
good document queued beside it: each bad upload ends ``failed`` with its one-line reason, each
odd but valid image is processed, nothing is written outside the data directory, the worker
keeps running and the good document finishes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from db import repo
from db.models import Status
from db.session import session_scope
from tests.conftest import EXAMPLES, MODEL_CACHE, REPO, SROIE
from tests.integration.services import count_final, small_document, wait_until
from tests.integration.workerproc import WorkerProcess, billflow_env, run_cli
from workers import pipeline
from workers.celery_app import make_app
from workers.settings import Settings

pytestmark = [pytest.mark.services, pytest.mark.ocr]
MAX_PAGES = 20
GOOD_CANDIDATES = (EXAMPLES / "transfer_cheque.png", EXAMPLES / "waybill_photo.jpg",
                   SROIE / "img" / "000.jpg")
PROCESSED = (Status.done, Status.needs_review)


def good_document() -> tuple[str, bytes]:
    """A real sample when one is there, else a generated bill."""
    for path in GOOD_CANDIDATES:
        if path.is_file():
            return path.name, path.read_bytes()
    return "bill.png", small_document(1)


@pytest.fixture
def corpus(tmp_path) -> tuple[Path, list[dict]]:
    folder = tmp_path / "corpus"
    subprocess.run([sys.executable, "-m", "tools.hostile", str(folder), "--max-pages", str(MAX_PAGES)],
                   cwd=REPO, check=True, capture_output=True)
    return folder, json.loads((folder / "manifest.json").read_text())


def test_hostile_uploads_fail_cleanly_beside_a_good_document(redis_url, postgres_url, tmp_path, corpus):
    folder, cases = corpus
    data_dir = tmp_path / "data"
    env = billflow_env(broker_url=redis_url, database_url=postgres_url, data_dir=data_dir, model_dir=MODEL_CACHE,
                       worker_concurrency=1, ocr_threads=2, max_pages=MAX_PAGES)
    assert run_cli(env, "migrate").returncode == 0
    settings = Settings(database_url=postgres_url, data_dir=data_dir, broker_url=redis_url, max_pages=MAX_PAGES)
    before = set(tmp_path.rglob("*"))
    worker = WorkerProcess(env, tmp_path / "worker.log")
    client = make_app(settings)
    try:
        worker.wait_ready()
        uploads = [(case["name"], (folder / case["file"]).read_bytes()) for case in cases] + [good_document()]
        ids = [pipeline.submit_bytes(settings, data, name).document_id for name, data in uploads]
        for document_id in ids:
            client.send_task("billflow.process_document", args=[document_id])
        wait_until(lambda: count_final(postgres_url, ids) == len(ids), 240, "every upload final")
        assert worker.alive()
    finally:
        worker.stop()
        client.close()

    with session_scope(postgres_url) as session:
        documents = [repo.get_document(session, i) for i in ids]
        for case, document in zip(cases, documents):
            if case["expect"] == "failed":
                assert document.status == Status.failed and case["reason"] in document.error, (case, document.error)
                assert "\n" not in document.error
            else:
                assert document.status in PROCESSED, (case, document.status, document.error)
            assert "/" not in document.original_name and len(document.original_name) <= 255
        assert documents[-1].status in PROCESSED, documents[-1].error
    written = set(tmp_path.rglob("*")) - before - {tmp_path / "worker.log"}
    assert written and all(path.is_relative_to(data_dir) for path in written)
    assert not (tmp_path.parent / "escape").exists()  # where "../../escape/evil.png" would point
