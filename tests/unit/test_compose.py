"""docker-compose.yml cannot run here: check that everything it names exists in the code."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.main import get_command

from workers.cli import cli
from workers.settings import Settings

REPO = Path(__file__).resolve().parents[2]


def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def billflow_services(spec: dict) -> dict:
    return {name: s for name, s in spec["services"].items() if s.get("image", "").startswith("billflow")}


def test_every_billflow_command_in_compose_is_a_cli_command():
    commands = set(get_command(cli).commands)
    services = billflow_services(compose())
    assert {"migrate", "worker", "api", "flower"} <= set(services)
    for name, service in services.items():
        program, subcommand = service["command"][:2]
        if program == "celery":  # Flower, on the workers' Celery app
            assert service["command"][1:4] == ["-A", "workers.celery_app", "flower"], name
            continue
        assert program == "billflow" and subcommand in commands, name


def test_every_variable_in_compose_is_a_setting_and_validates():
    known = {f"BILLFLOW_{name.upper()}" for name in Settings.model_fields}
    for name, service in billflow_services(compose()).items():
        env = service["environment"]
        assert set(env) <= known, (name, set(env) - known)
        settings = Settings(**{k.removeprefix("BILLFLOW_").lower(): v for k, v in env.items()})
        assert settings.broker_url.startswith("redis://") and settings.database_url.startswith("postgresql://")


def test_infrastructure_has_health_checks_and_workers_wait_for_migrations():
    spec = compose()
    for name in ("redis", "postgres", "worker", "api", "flower"):
        assert "healthcheck" in spec["services"][name], name
    for name in ("worker", "api"):
        depends = spec["services"][name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
        assert depends["postgres"]["condition"] == "service_healthy", name
    assert "build" in spec["x-billflow"] and "pip install" in (REPO / "Dockerfile").read_text()
