"""billflow's tests: unit (pure core), integration (real OCR, Redis, PostgreSQL, Celery workers),
end-to-end (the CLI on sample documents). May import every billflow package and ``tools``."""
