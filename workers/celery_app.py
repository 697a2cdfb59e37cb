"""The Celery application, configured from the validated ``BILLFLOW_*`` settings."""

from __future__ import annotations

from celery import Celery

from workers.settings import Settings, get_settings


def make_app(settings: Settings) -> Celery:
    """A Celery app that never loses a task: late acks, requeue on worker loss, prefetch 1."""
    app = Celery("billflow", include=["workers.tasks"])
    app.conf.update(
        broker_url=settings.broker_url or "memory://",
        result_backend=settings.backend_url or "cache+memory://",
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_soft_time_limit=settings.task_soft_time_limit,
        task_time_limit=settings.task_time_limit,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_expires=86400,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": settings.task_time_limit * 4},
        worker_proc_alive_timeout=60,
        worker_max_memory_per_child=None,
        task_track_started=True,
    )
    return app


app = make_app(get_settings())
