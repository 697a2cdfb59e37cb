"""Celery tasks: thin wrappers over ``workers.pipeline`` steps.

process_document rasterizes, then queues one ocr_page task per page; the page that is read last
(the database says so, not a chord counter in the result backend, which a Redis restart can
lose) extracts the fields. Every step is idempotent, so a task redelivered after a worker died
or the broker restarted changes nothing twice. Transient DB/broker faults retry with
exponential backoff (2, 4, 8, ... s, no jitter, so the retries always span the same time);
bad input never retries (the pipeline marks it failed). A task that finally fails marks its
document failed with the reason and traceback, so nothing is left ``processing``. A task whose
pool process dies is delivered again until the document has killed ``BILLFLOW_MAX_DELIVERIES``
processes; then the document is failed (a poison document is not redelivered forever). After
each task the process gives the memory it freed back to the system (``workers.memory``).
"""

from __future__ import annotations

import redis.exceptions
from celery import Task
from celery.exceptions import Retry, SoftTimeLimitExceeded, TimeLimitExceeded
from celery.signals import task_postrun
from celery.worker.request import Request
from kombu.exceptions import OperationalError as BrokerError
from sqlalchemy.exc import DBAPIError, OperationalError

from workers import memory, pipeline
from workers.celery_app import app
from workers.engine import get_engine
from workers.reasons import failure_reason
from workers.settings import get_settings

TRANSIENT = (OperationalError, BrokerError, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError,
             ConnectionError, TimeoutError)


class DocumentRequest(Request):
    """A delivery of a document's task, as the worker's main process sees it. When the pool
    process running it dies, Celery gives it back to the broker (``reject(requeue=True)``): that
    happens only while the document may run again (``pipeline.worker_died``)."""

    def reject(self, requeue: bool = False) -> None:
        if requeue and not self.acknowledged and self.args:
            requeue = _deliver_again(int(self.args[0]))
        super().reject(requeue=requeue)


def _deliver_again(document_id: int) -> bool:
    try:
        return pipeline.worker_died(get_settings(), document_id)
    except LookupError:
        return False  # deleted meanwhile
    except DBAPIError:
        return True  # the death goes uncounted; the delivery is not lost


class DocumentTask(Task):
    """Retries transient faults; records the final failure of any other error on the document;
    counts the worker processes that die on it (``DocumentRequest``)."""

    Request = DocumentRequest
    autoretry_for = TRANSIENT
    retry_backoff = 2
    retry_backoff_max = 60
    retry_jitter = False
    max_retries = get_settings().task_max_retries

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        if isinstance(exc, Retry) or not args:
            return
        timed_out = isinstance(exc, (SoftTimeLimitExceeded, TimeLimitExceeded))  # hard: called in the main process
        reason = "time limit exceeded" if timed_out else failure_reason(exc)
        try:
            pipeline.mark_failed(get_settings(), int(args[0]), reason, einfo.traceback if einfo else None)
        except (DBAPIError, LookupError):
            pass  # the database is gone too: the task's own failure is already logged by Celery


@app.task(base=DocumentTask, name="billflow.process_document")
def process_document(document_id: int) -> int:
    """Rasterize, then queue the OCR of every page not read from its text layer; when none is
    left to OCR, extract the fields at once."""
    settings = get_settings()
    numbers = pipeline.rasterize_document(settings, document_id)
    for number in numbers:
        ocr_page.delay(document_id, number)
    if not numbers and pipeline.extraction_due(settings, document_id):
        pipeline.extract_fields(settings, document_id)
    return len(numbers)


@app.task(base=DocumentTask, name="billflow.ocr_page")
def ocr_page(document_id: int, number: int) -> int | None:
    """OCR one page; once every page is read, extract the fields (at most once, see pipeline)."""
    settings = get_settings()
    lines = pipeline.ocr_page(settings, get_engine(settings), document_id, number)
    if lines is not None and pipeline.extraction_due(settings, document_id):
        pipeline.extract_fields(settings, document_id)
    return lines


@task_postrun.connect
def _give_back_freed_memory(**_) -> None:
    memory.trim_heap()
