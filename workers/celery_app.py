"""The Celery application, configured from the validated ``BILLFLOW_*`` settings."""

from __future__ import annotations

from celery import Celery

from workers.settings import Settings, get_settings


def make_app(settings: Settings) -> Celery:
    """A Celery app that never loses a task: late acks, requeue on worker loss, prefetch 1,
    reconnect to the broker forever. Results are not stored: the database holds every outcome."""
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
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,
        broker_transport_options=_transport_options(settings),
        worker_proc_alive_timeout=60,
        worker_max_memory_per_child=None,
    )
    return app


def _transport_options(settings: Settings) -> dict:
    """Redis: a dead worker's unacked tasks are queued again once older than the visibility
    timeout, by a sweep every quarter of it (at most a minute); a vanished broker is noticed."""
    timeout = settings.visibility_timeout
    return {"visibility_timeout": timeout, "unacked_restore_interval": min(60, max(1, timeout // 4)),
            "unacked_restore_throttle": 1, "socket_timeout": 30, "socket_connect_timeout": 10}


def ensure_broker(app: Celery) -> None:
    """Connect to the broker once: kombu's OperationalError within seconds when it cannot be
    reached (publishing a task would retry for about 20 s before failing)."""
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1)


def answering_workers(app: Celery, timeout: float = 5.0) -> int:
    """How many workers answer a ping on the broker (0 after ``timeout`` seconds of silence)."""
    return len(app.control.ping(timeout=timeout, limit=1) or [])


app = make_app(get_settings())
