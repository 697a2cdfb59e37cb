"""Where accepted documents go: the Celery workers when a broker is set, else a background
thread of this process. Both answer the health checks for their broker and worker."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from kombu import Connection

from workers import pipeline
from workers.ocr import OcrEngine
from workers.settings import Settings

log = logging.getLogger(__name__)
OCR_LOCK = threading.Lock()  # PaddleOCR is not thread-safe: one document at a time per process
PROBE_TIMEOUT = 2.0
PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}  # then 503


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str


class Dispatcher(Protocol):
    def start(self) -> None: ...
    def submit(self, document_id: int) -> None: ...
    def stop(self) -> None: ...
    def broker(self) -> Check: ...
    def worker(self) -> Check: ...


class LocalRunner:
    """Processes submitted documents one after another in a daemon thread of this process."""

    def __init__(self, settings: Settings, engine_factory: Callable[[], OcrEngine]):
        self._settings = settings
        self._engine_factory = engine_factory
        self._queue: queue.Queue[int | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="billflow-runner", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def submit(self, document_id: int) -> None:
        self._queue.put(document_id)

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=PROBE_TIMEOUT)

    def broker(self) -> Check:
        return Check(True, "none configured: documents are processed inside the API process")

    def worker(self) -> Check:
        alive = self._thread.is_alive()
        return Check(alive, f"in-process runner {'running' if alive else 'stopped'}, {self._queue.qsize()} waiting")

    def _run(self) -> None:
        while (document_id := self._queue.get()) is not None:
            try:
                with OCR_LOCK:
                    pipeline.process_in_process(self._settings, self._engine_factory, document_id)
            except Exception:  # the database went away: log, keep serving the next documents
                log.exception("processing document %s failed", document_id)


class CeleryQueue:
    """Sends documents to the workers through the configured broker."""

    def __init__(self, settings: Settings):
        from workers.celery_app import make_app

        self._settings = settings
        self._app = make_app(settings)

    def start(self) -> None:
        pass

    def submit(self, document_id: int) -> None:
        from workers.tasks import process_document

        self._app.send_task(process_document.name, args=[document_id], ignore_result=True, retry_policy=PUBLISH_RETRY)

    def stop(self) -> None:
        self._app.close()

    def broker(self) -> Check:
        try:
            with Connection(self._settings.broker_url, connect_timeout=PROBE_TIMEOUT) as connection:
                connection.ensure_connection(max_retries=1, interval_start=0, timeout=PROBE_TIMEOUT)
        except Exception as exc:  # any failure to connect is the answer
            return Check(False, f"{type(exc).__name__}: {exc}")
        return Check(True, "reachable")

    def worker(self) -> Check:
        if not self.broker().ok:
            return Check(False, "the broker is unreachable, so no worker can answer")
        try:
            replies = self._app.control.ping(timeout=PROBE_TIMEOUT)
        except Exception as exc:  # the broker is down: no worker can answer
            return Check(False, f"{type(exc).__name__}: {exc}")
        names = sorted(name for reply in replies for name in reply)
        return Check(bool(names), f"{len(names)} answering: {', '.join(names)}" if names else "no worker answered")


def make_dispatcher(settings: Settings, engine_factory: Callable[[], OcrEngine] | None = None) -> Dispatcher:
    """Celery when a broker is configured, else the in-process runner (this process's engine)."""
    if settings.broker_url:
        return CeleryQueue(settings)
    if engine_factory is None:
        from workers.engine import get_engine

        def engine_factory() -> OcrEngine:
            return get_engine(settings)
    return LocalRunner(settings, engine_factory)
