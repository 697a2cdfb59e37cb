"""Prometheus metrics read from the database at scrape time, so they cover every worker."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import timedelta

from prometheus_client import CollectorRegistry
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from db.models import Document, Page, Status, utcnow
from db.session import session_scope

RATE_WINDOW_MINUTES = 5
LATENCY_BUCKETS = (1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600)
OCR_BUCKETS = (0.1, 0.25, 0.5, 1, 2, 5, 10, 30)
FINISHED = (Status.done, Status.needs_review)


class DatabaseCollector(Collector):
    """Documents by status, pages per minute, upload-to-final latency and OCR seconds per page."""

    def __init__(self, database_url: str):
        self._url = database_url

    def collect(self) -> Iterator:
        with session_scope(self._url) as session:
            counts = dict(session.execute(select(Document.status, func.count()).group_by(Document.status)).all())
            since = utcnow() - timedelta(minutes=RATE_WINDOW_MINUTES)
            uploads = Document.parent_id.is_(None)  # a part's pages are copies of its upload's
            recent_pages = session.scalar(select(func.coalesce(func.sum(Document.page_count), 0))
                                          .where(Document.status.in_(FINISHED), Document.updated_at >= since, uploads))
            spans = session.execute(select(Document.created_at, Document.updated_at)
                                    .where(Document.status.in_((*FINISHED, Status.failed)))).all()
            ocr = session.scalars(select(Page.ocr_seconds).join(Page.document)
                                  .where(Page.ocr_seconds.is_not(None), uploads)).all()
        yield _by_status(counts)
        yield GaugeMetricFamily("billflow_pages_per_minute",
                                f"Pages of documents finished in the last {RATE_WINDOW_MINUTES} minutes, per minute",
                                value=recent_pages / RATE_WINDOW_MINUTES)
        yield _histogram("billflow_task_latency_seconds", "Seconds from upload to a final status",
                         [(end - start).total_seconds() for start, end in spans], LATENCY_BUCKETS)
        yield _histogram("billflow_ocr_seconds_per_page", "OCR seconds per page", ocr, OCR_BUCKETS)


def _by_status(counts: dict[Status, int]) -> GaugeMetricFamily:
    family = GaugeMetricFamily("billflow_documents", "Documents by status", labels=["status"])
    for status in Status:
        family.add_metric([status.value], counts.get(status, 0))
    return family


def _histogram(name: str, documentation: str, values: Iterable[float], bounds: tuple[float, ...]) -> HistogramMetricFamily:
    values = list(values)
    buckets = [(str(float(b)), sum(1 for v in values if v <= b)) for b in bounds] + [("+Inf", len(values))]
    return HistogramMetricFamily(name, documentation, buckets=buckets, sum_value=sum(values))


def registry(database_url: str) -> CollectorRegistry:
    """A registry of this API's metrics (one per app, so tests can build many apps)."""
    metrics = CollectorRegistry(auto_describe=False)
    metrics.register(DatabaseCollector(database_url))
    return metrics
