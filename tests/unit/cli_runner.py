"""``billflow`` run in the test's process: on the test's database, without a broker, pages read
by a stand-in OCR engine (the shell's behaviour is under test, not the OCR)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from typer.testing import CliRunner


@contextmanager
def billflow_cli(settings, monkeypatch, ocr_engine, env: dict | None = None) -> Iterator[Callable]:
    """A function running ``billflow ARGS...`` and returning typer's result."""
    from workers import engine
    from workers.cli import cli as app
    from workers.settings import get_settings

    monkeypatch.setenv("BILLFLOW_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("BILLFLOW_DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("BILLFLOW_BROKER_URL", raising=False)
    monkeypatch.setattr(engine, "_engine", ocr_engine)
    get_settings.cache_clear()
    yield lambda *args: CliRunner().invoke(app, [str(a) for a in args], env=env)
    get_settings.cache_clear()
