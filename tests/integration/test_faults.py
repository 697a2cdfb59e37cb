"""Faults done to a running deployment, and what a user sees afterwards: every document final,
none lost, none processed twice. A real ``billflow worker``, a real Redis (this module starts
its own, because it restarts it) and a real PostgreSQL, reached through a TCP path that can be
cut. One worker serves every test; the one killed is replaced."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
from celery import Celery
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from db.models import Document, Page, Status
from db.session import session_scope
from tests.conftest import MODEL_CACHE
from tests.integration.services import (PgProxy, RestartableRedis, count_final, new_database, pages_read,
                                        small_document, wait_until)
from tests.integration.workerproc import WorkerProcess, billflow_env, run_cli
from workers import pipeline
from workers.celery_app import make_app
from workers.settings import Settings

pytestmark = [pytest.mark.services, pytest.mark.ocr]
VISIBILITY_S = 20  # a dead worker's task is delivered again after this (production: 4 x time limit)
OUTAGE_S = 10


@dataclass
class Stack:
    folder: Path
    redis: RestartableRedis
    proxy: PgProxy
    env: dict[str, str]
    settings: Settings  # the test's own view: the database directly, not through the proxy
    client: Celery
    worker: WorkerProcess | None = None
    workers_started: int = 0

    def ensure_worker(self) -> WorkerProcess:
        if self.worker is None or not self.worker.alive():
            self.workers_started += 1
            self.worker = WorkerProcess(self.env, self.folder / f"worker-{self.workers_started}.log")
            self.worker.wait_ready()
        return self.worker

    def submit(self, numbers: Iterable[int]) -> list[int]:
        """Upload small bills and queue them, as ``billflow process`` does with a broker."""
        ids = [pipeline.submit_bytes(self.settings, small_document(n), f"bill-{n}.png").document_id for n in numbers]
        for document_id in ids:
            self.client.send_task("billflow.process_document", args=[document_id])
        return ids

    def wait_final(self, ids: list[int], timeout: float = 180) -> None:
        wait_until(lambda: count_final(self.settings.database_url, ids) == len(ids), timeout,
                   f"all {len(ids)} documents final")

    def wait_read(self, ids: list[int], pages: int) -> None:
        wait_until(lambda: pages_read(self.settings.database_url, ids) >= pages, 180, f"{pages} page(s) read")


@pytest.fixture(scope="module")
def stack(tmp_path_factory, postgres_server_url):
    folder = tmp_path_factory.mktemp("faults")
    database_url = new_database(postgres_server_url)
    redis, proxy = RestartableRedis(folder / "redis.db"), PgProxy(database_url)
    env = billflow_env(broker_url=redis.url, database_url=proxy.url, data_dir=folder / "data", model_dir=MODEL_CACHE,
                       worker_concurrency=1, ocr_threads=2, broker_visibility_timeout=VISIBILITY_S) | {"COLUMNS": "200"}
    assert run_cli(env, "migrate").returncode == 0
    settings = Settings(database_url=database_url, data_dir=folder / "data", broker_url=redis.url)
    stack = Stack(folder, redis, proxy, env, settings, make_app(settings))
    yield stack
    if stack.worker:
        stack.worker.stop()
    stack.client.close()
    proxy.cut()
    redis.stop()


@pytest.fixture
def worker(stack) -> WorkerProcess:
    return stack.ensure_worker()


def assert_processed_once(stack: Stack, ids: list[int], numbers: Iterable[int]) -> None:
    """Each document final with one page, each OCR line once, and extracted exactly once."""
    with session_scope(stack.settings.database_url) as session:
        documents = session.scalars(select(Document).where(Document.id.in_(ids)).order_by(Document.id).options(
            selectinload(Document.pages).selectinload(Page.lines), selectinload(Document.extractions)))
        for document, number in zip(documents, numbers, strict=True):
            assert document.status in (Status.done, Status.needs_review), (document.id, document.status, document.error)
            assert document.extraction_version == 1 and not document.extractions, document.id
            assert [p.number for p in document.pages] == [1] and document.page_count == 1
            lines = document.pages[0].lines
            texts = [line.text for line in lines]
            assert [line.index for line in lines] == list(range(len(lines))) and len(set(texts)) == len(texts) > 0
            assert f"{number:04d}" in " ".join(texts).replace("O", "0"), texts  # its own page (0 may read O)


def ocr_events(worker: WorkerProcess) -> list[str]:
    return [line for line in worker.log.read_text().splitlines() if "billflow.ocr_page[" in line]


def ocr_running(worker: WorkerProcess) -> bool:
    """The worker's log says an ocr_page task is under way (received, not finished)."""
    events = ocr_events(worker)
    return bool(events) and events[-1].endswith("received")


def ocr_deliveries(worker: WorkerProcess) -> int:
    """How many ocr_page tasks the worker has received, first deliveries and later ones."""
    return sum(line.endswith("received") for line in ocr_events(worker))


def pool_busy(worker: WorkerProcess) -> bool:
    """The worker's single pool process is computing (an OCR under way, not between tasks)."""
    pool = psutil.Process(worker.proc.pid).children()
    if len(pool) != 1:
        return False
    before = sum(pool[0].cpu_times()[:2])
    time.sleep(0.05)
    return sum(pool[0].cpu_times()[:2]) - before > 0.025


def in_the_middle_of_ocr(worker: WorkerProcess) -> bool:
    return ocr_running(worker) and pool_busy(worker)


def test_kill_9_in_the_middle_of_ocr_loses_and_repeats_nothing(stack, worker):
    numbers = range(20)
    ids = stack.submit(numbers)
    stack.wait_read(ids, 1)
    wait_until(lambda: in_the_middle_of_ocr(worker), 60, "an ocr_page task under way", poll=0.02)
    pool = psutil.Process(worker.proc.pid).children()
    assert len(pool) == 1
    os.kill(pool[0].pid, signal.SIGKILL)  # the pool process, in the middle of OCR: its task is requeued at once
    stack.wait_read(ids, 6)
    wait_until(lambda: in_the_middle_of_ocr(worker), 60, "an ocr_page task under way", poll=0.02)
    os.killpg(worker.proc.pid, signal.SIGKILL)  # the whole worker: its task comes back after the visibility timeout
    worker.proc.wait()
    worker.stop()
    stack.ensure_worker()
    stack.wait_final(ids, timeout=120 + VISIBILITY_S)
    assert_processed_once(stack, ids, numbers)
    assert "WorkerLostError" in worker.log.read_text()


def test_a_document_that_kills_its_worker_every_time_is_failed_after_max_deliveries(stack, worker):
    """A poison document: the pool process dies in the middle of its OCR each time (kill -9
    here; a crash or the OOM killer in real life). After BILLFLOW_MAX_DELIVERIES (default 3)
    deaths it is failed, not delivered again; ``retry`` gives it a fresh count."""
    idle = psutil.Process(worker.proc.pid).children()[0]
    idle.kill()  # a fresh pool process: each delivery loads the OCR engine first, seconds to catch it in
    wait_until(lambda: [p.pid for p in psutil.Process(worker.proc.pid).children()] not in ([], [idle.pid]), 60,
               "a new pool process")
    before = ocr_deliveries(worker)
    ids = stack.submit([500])
    for death in range(1, 4):
        wait_until(lambda: ocr_deliveries(worker) == before + death and in_the_middle_of_ocr(worker), 120,
                   f"delivery {death} of the page's OCR under way", poll=0.02)
        os.kill(psutil.Process(worker.proc.pid).children()[0].pid, signal.SIGKILL)
    stack.wait_final(ids, timeout=60)
    with session_scope(stack.settings.database_url) as session:
        document = session.get(Document, ids[0])
        assert (document.status, document.error, document.deliveries) == (Status.failed, "worker died 3 times on it", 3)
    assert ocr_deliveries(worker) == before + 3 and worker.alive()

    retried = run_cli(stack.env, "retry", str(ids[0]), "--wait", "--timeout", "120")
    assert retried.returncode == 0, retried.stderr[-2000:]
    assert_processed_once(stack, ids, [500])
    with session_scope(stack.settings.database_url) as session:
        assert session.get(Document, ids[0]).deliveries == 0


def test_redis_restart_in_the_middle_of_a_batch_finishes_every_document(stack, worker):
    numbers = range(100, 110)
    ids = stack.submit(numbers)
    stack.wait_read(ids, 1)
    stack.redis.stop()
    time.sleep(3)  # the broker is down this long
    stack.redis.start()
    stack.wait_final(ids, timeout=120 + VISIBILITY_S)
    assert_processed_once(stack, ids, numbers)
    assert worker.alive()


def test_postgres_unreachable_for_10_s_tasks_retry_and_every_document_finishes(stack, worker):
    numbers = range(200, 210)
    ids = stack.submit(numbers)
    stack.wait_read(ids, 1)
    stack.proxy.cut()
    time.sleep(OUTAGE_S)  # the database is unreachable this long
    stack.proxy.restore()
    stack.wait_final(ids, timeout=180)
    assert_processed_once(stack, ids, numbers)
    assert "Retry in" in worker.log.read_text() and worker.alive()


def test_a_failed_document_keeps_reason_and_traceback_and_retry_runs_it_again(stack, worker):
    document_id = pipeline.submit_bytes(stack.settings, small_document(300), "bill-300.png").document_id
    with session_scope(stack.settings.database_url) as session:
        blocker = pipeline.page_dir(stack.settings, session.get(Document, document_id).sha256)
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("a file where the page folder belongs")  # a broken data directory
    stack.client.send_task("billflow.process_document", args=[document_id])
    stack.wait_final([document_id], timeout=60)
    with session_scope(stack.settings.database_url) as session:
        document = session.get(Document, document_id)
        assert document.status == Status.failed and document.error.startswith("FileExistsError")
        assert "Traceback" in document.error_detail and "rasterize_document" in document.error_detail
    listed = run_cli(stack.env, "list", "--status", "failed")
    assert "bill-300.png" in listed.stdout and "FileExistsError" in listed.stdout

    blocker.unlink()
    retried = run_cli(stack.env, "retry", str(document_id), "--wait", "--timeout", "120")
    assert retried.returncode == 0, retried.stderr[-2000:]
    assert_processed_once(stack, [document_id], [300])
    with session_scope(stack.settings.database_url) as session:
        document = session.get(Document, document_id)
        assert document.error is None and document.error_detail is None


def test_reprocess_replaces_the_extraction_and_keeps_the_earlier_versions(stack, worker):
    ids = stack.submit([400])
    stack.wait_final(ids, timeout=60)
    assert run_cli(stack.env, "reprocess", str(ids[0])).returncode == 0
    again = run_cli(stack.env, "reprocess", "--ocr", "--wait", "--timeout", "120", str(ids[0]))
    assert again.returncode == 0, again.stderr[-2000:]
    with session_scope(stack.settings.database_url) as session:
        document = session.get(Document, ids[0])
        assert document.extraction_version == 3 and [e.version for e in document.extractions] == [1, 2]
        assert {e.doc_type for e in document.extractions} == {document.doc_type}
        texts = [line.text for line in document.pages[0].lines]
        assert len(document.pages) == 1 and len(set(texts)) == len(texts) > 0
