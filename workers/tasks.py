"""Celery tasks: thin wrappers over ``workers.pipeline`` steps.

process_document rasterizes, then fans out a chord of ocr_page tasks (one per page) whose
body is extract_document. Transient DB/broker faults retry with exponential backoff; bad
input never retries (the pipeline marks it failed). A task that finally fails marks its
document failed with the reason, so nothing is left ``processing``.
"""

from __future__ import annotations

import redis.exceptions
from celery import Task, chord
from celery.exceptions import Retry, SoftTimeLimitExceeded
from kombu.exceptions import OperationalError as BrokerError
from sqlalchemy.exc import DBAPIError, OperationalError

from workers import pipeline
from workers.celery_app import app
from workers.engine import get_engine
from workers.settings import get_settings

TRANSIENT = (OperationalError, BrokerError, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError,
             ConnectionError, TimeoutError)


class DocumentTask(Task):
    """Retries transient faults; records the final failure of any other error on the document."""

    autoretry_for = TRANSIENT
    retry_backoff = 2
    retry_backoff_max = 60
    retry_jitter = True
    max_retries = get_settings().task_max_retries

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        if isinstance(exc, Retry) or not args:
            return
        reason = "time limit exceeded" if isinstance(exc, SoftTimeLimitExceeded) else f"{type(exc).__name__}: {exc}"
        try:
            pipeline.mark_failed(get_settings(), int(args[0]), reason)
        except (DBAPIError, LookupError):
            pass  # the database is gone too: the task's own failure is already logged by Celery


@app.task(base=DocumentTask, name="billflow.process_document")
def process_document(document_id: int) -> int:
    """Rasterize, then queue OCR of every page and extraction after the last one."""
    numbers = pipeline.rasterize_document(get_settings(), document_id)
    if numbers:
        chord([ocr_page.si(document_id, n) for n in numbers], extract_document.si(document_id)).apply_async()
    return len(numbers)


@app.task(base=DocumentTask, name="billflow.ocr_page")
def ocr_page(document_id: int, number: int) -> int:
    settings = get_settings()
    return pipeline.ocr_page(settings, get_engine(settings), document_id, number)


@app.task(base=DocumentTask, name="billflow.extract_document")
def extract_document(document_id: int) -> str:
    return pipeline.extract_fields(get_settings(), document_id).value
