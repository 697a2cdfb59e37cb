"""Settings come from BILLFLOW_* variables and fail at start with a readable message."""

from __future__ import annotations

import pytest

from workers.settings import Settings, SettingsError, get_settings


@pytest.fixture(autouse=True)
def fresh_settings():
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_defaults_run_in_process_on_sqlite(monkeypatch):
    for name in ("BILLFLOW_BROKER_URL", "BILLFLOW_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    s = get_settings()
    assert s.broker_url is None and s.database_url == "sqlite:///./billflow.db"
    assert s.models_path == s.data_dir / "models" and s.raster_dpi == 200


def test_environment_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("BILLFLOW_BROKER_URL", "redis://localhost:6379/0")
    monkeypatch.setenv("BILLFLOW_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BILLFLOW_WORKER_CONCURRENCY", "4")
    monkeypatch.setenv("BILLFLOW_OCR_THREADS", "1")
    s = get_settings()
    assert s.backend_url == "redis://localhost:6379/0"
    assert s.data_dir == tmp_path and s.concurrency == 4 and s.threads_per_engine == 1


@pytest.mark.parametrize("name,value,message", [
    ("BILLFLOW_DATABASE_URL", "mysql://x", "BILLFLOW_DATABASE_URL"),
    ("BILLFLOW_BROKER_URL", "amqp://guest@localhost", "BILLFLOW_BROKER_URL"),
    ("BILLFLOW_RASTER_DPI", "10", "BILLFLOW_RASTER_DPI"),
    ("BILLFLOW_MAX_PAGES", "many", "BILLFLOW_MAX_PAGES"),
])
def test_invalid_values_name_the_variable(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=message):
        get_settings()


def test_threads_split_the_cores_between_worker_processes(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 8)
    assert Settings(worker_concurrency=2).threads_per_engine == 4
    assert Settings(worker_concurrency=16).threads_per_engine == 1


@pytest.mark.parametrize("spec,message", [
    ("alice: a-token", "alice's token has spaces around it"),
    (" s3cret", "token 1 has spaces around it"),
    ("alice:a-token ,bob:b-token", "alice's token has spaces around it"),
    ("alice:same,bob:same", "bob's token is also alice's token"),
    ("same,bob:same", "bob's token is also a bare token"),
    ("alice:", "alice's token has nothing after ':'"),
])
def test_ambiguous_api_tokens_stop_the_program_naming_the_setting(monkeypatch, spec, message):
    monkeypatch.setenv("BILLFLOW_API_TOKEN", spec)
    with pytest.raises(SettingsError, match=f"BILLFLOW_API_TOKEN: .*{message}") as raised:
        get_settings()
    assert "a-token" not in str(raised.value) and "same" not in str(raised.value)  # never shows a token
