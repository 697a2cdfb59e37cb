"""Load: many small documents queued at once through Redis to several ``billflow worker``
processes; none may be lost or processed twice, and the workers' memory must stay flat.

``python -m benchmarks.load [--docs 300] [--workers 2]`` starts a real Redis and PostgreSQL
(``REDIS_URL`` / ``DATABASE_URL`` when set), one worker process per ``--workers`` (one pool
process and one OCR thread each), warms each up on one document, then uploads and queues
``--docs`` generated bills at once and waits until every one is final. It prints throughput,
lost and duplicated documents and each pool process's RSS after warm-up and at the end, and
writes ``benchmarks/results/load-<date>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

import psutil
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from db.migrate import upgrade
from db.models import Document, Page
from db.session import session_scope
from tests.integration.services import count_final, new_database, small_document, wait_until
from tests.integration.workerproc import WorkerProcess, billflow_env
from workers import pipeline
from workers.celery_app import make_app
from workers.settings import Settings, get_settings

RESULTS = Path(__file__).with_name("results")
MB = 1024 * 1024
CHECKPOINTS = 10


def run_load(docs: int, redis_url: str, database_url: str, folder: Path, models: Path, workers: int = 2) -> dict:
    """Queue ``docs`` bills at once to ``workers`` worker processes; the measurements."""
    upgrade(database_url)
    settings = Settings(database_url=database_url, data_dir=folder / "data", broker_url=redis_url, model_dir=models)
    env = billflow_env(broker_url=redis_url, database_url=database_url, data_dir=settings.data_dir, model_dir=models,
                       worker_concurrency=1, ocr_threads=1)
    client = make_app(settings)
    with ExitStack() as stack:
        stack.callback(client.close)
        pool = [WorkerProcess(env, folder / f"worker-{n}.log") for n in range(workers)]
        for worker in pool:
            stack.callback(worker.stop)
        for worker in pool:
            worker.wait_ready()
        queue(settings, client, range(-workers, 0), timeout=300)  # warm-up: one bill per worker
        rss = [(0, pool_rss_mb(pool))]
        started = time.perf_counter()
        ids = queue(settings, client, range(docs), timeout=60 + 10 * docs,
                    on_poll=lambda done: _sample(rss, done, docs, pool))
        wall = time.perf_counter() - started
        rss.append((docs, pool_rss_mb(pool)))
    return {"documents": docs, "workers": workers, "wall_s": round(wall, 1),
            "documents_per_minute": round(60 * docs / wall, 1), **audit(database_url, ids),
            "rss_mb_start": rss[0][1], "rss_mb_end": rss[-1][1], "rss_mb_by_documents_done": rss}


def queue(settings: Settings, client, numbers: range, timeout: float, on_poll=None) -> list[int]:
    """Upload generated bills, queue them all, and wait until every one is final; their ids."""
    ids = [pipeline.submit_bytes(settings, small_document(n), f"bill-{n}.png").document_id for n in numbers]
    for document_id in ids:
        client.send_task("billflow.process_document", args=[document_id])

    def all_final() -> bool:
        done = count_final(settings.database_url, ids)
        if on_poll:
            on_poll(done)
        return done == len(ids)

    wait_until(all_final, timeout, f"{len(ids)} documents final", poll=0.5)
    return ids


def pool_rss_mb(pool: list[WorkerProcess]) -> list[float]:
    """RSS of each worker's pool processes (where OCR runs), in MB."""
    return [round(child.memory_info().rss / MB, 1) for worker in pool
            for child in psutil.Process(worker.proc.pid).children()]


def _sample(rss: list, done: int, total: int, pool: list[WorkerProcess]) -> None:
    if done >= rss[-1][0] + max(1, total // CHECKPOINTS) and done < total:
        rss.append((done, pool_rss_mb(pool)))


def audit(database_url: str, ids: list[int]) -> dict:
    """Statuses, and documents lost (not final) or processed twice (a second page, extraction
    or copy of an OCR line)."""
    with session_scope(database_url) as session:
        documents = session.scalars(select(Document).where(Document.id.in_(ids)).options(
            selectinload(Document.pages).selectinload(Page.lines)))
        statuses, duplicated = Counter(), 0
        for document in documents:
            statuses[document.status.value] += 1
            lines = [(line.page_id, line.text) for page in document.pages for line in page.lines]
            duplicated += len(document.pages) != 1 or document.extraction_version != 1 or len(set(lines)) != len(lines)
    return {"statuses": dict(statuses), "lost": len(ids) - count_final(database_url, ids), "duplicated": duplicated}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        redis_url, database_url = _servers(Path(tmp), stack)
        result = run_load(args.docs, redis_url, database_url, Path(tmp), get_settings().models_path.resolve(), args.workers)
    print(json.dumps(result, indent=1))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"load-{datetime.now():%Y-%m-%d-%H%M}.json").write_text(json.dumps(result, indent=1))


def _servers(folder: Path, stack: ExitStack) -> tuple[str, str]:
    """Redis and a fresh PostgreSQL database: from REDIS_URL / DATABASE_URL, else started here."""
    redis_url, server_url = os.environ.get("REDIS_URL"), os.environ.get("DATABASE_URL")
    if not (redis_url and server_url):
        from benchmarks.queued import servers

        started, postgres = stack.enter_context(servers(folder))
        redis_url, server_url = redis_url or started, server_url or postgres.get_uri()
    return redis_url, new_database(server_url)


if __name__ == "__main__":
    main()
