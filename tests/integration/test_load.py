"""A smaller run of ``benchmarks.load``: 30 bills queued at once to 2 worker processes through
a real Redis and PostgreSQL; every one finishes, none is lost or processed twice."""

from __future__ import annotations

import pytest

from benchmarks.load import run_load
from tests.conftest import MODEL_CACHE

pytestmark = [pytest.mark.services, pytest.mark.ocr]
DOCS = 30


def test_thirty_bills_at_once_to_two_workers_none_lost_or_duplicated(redis_url, postgres_url, tmp_path):
    result = run_load(DOCS, redis_url, postgres_url, tmp_path, MODEL_CACHE, workers=2)
    assert (result["lost"], result["duplicated"]) == (0, 0), result
    assert sum(result["statuses"].values()) == DOCS and "failed" not in result["statuses"], result["statuses"]
    assert len(result["rss_mb_end"]) == 2 and result["documents_per_minute"] > 0
