"""billflow's persistence: SQLAlchemy 2.0 models, engine/session from a URL, Alembic migrations
and the few idempotent write/query functions the tasks need.

Works on SQLite and PostgreSQL. May import SQLAlchemy and Alembic only; knows nothing of
Celery, OCR or ``workers``.
"""
