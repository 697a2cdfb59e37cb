"""billflow's HTTP API and review page (FastAPI; OpenAPI at ``/docs``).

Upload documents, follow their processing, read fields with provenance, correct them with an
audit trail, and watch health and metrics. It sits beside ``workers``: it uses db, extractors,
schemas and the Celery app / pipeline, and nothing imports it but the CLI's ``show --overlay``, which
draws pages as it does (``api.overlay``). Start it with ``billflow serve``.
"""
