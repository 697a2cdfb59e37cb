"""The real ``billflow`` process at the edges: a broker or database that is not there, no worker
to wait for, Ctrl-C in the middle of a batch, JSON lines as documents finish, no ccache warning."""

from __future__ import annotations

import json
import signal
import subprocess
import sys

import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from db.models import Status
from db.session import session_scope
from tests.conftest import EXAMPLES, MODEL_CACHE, REPO
from tests.integration.services import free_port, small_document
from tests.integration.workerproc import billflow_env, run_cli
from workers.cli import cli
from workers.settings import get_settings

WAIT_GUARD_S = 300  # far below --timeout 600: a command still waiting then has not noticed


def statuses(database_url: str) -> dict[str, Status]:
    from db import repo

    with session_scope(database_url) as session:
        return {d.original_name: d.status for d in repo.list_documents(session, limit=100)}


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr[-3000:]
    return lines[0]


def test_an_unreachable_broker_is_one_line_naming_the_variable(tmp_path):
    upload = tmp_path / "bill.png"
    upload.write_bytes(small_document(1))
    env = billflow_env(broker_url=f"redis://127.0.0.1:{free_port()}/0", database_url=f"sqlite:///{tmp_path / 'b.db'}",
                       data_dir=tmp_path / "data")
    result = run_cli(env, "process", str(upload), timeout=WAIT_GUARD_S)
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert line.startswith("cannot reach the broker at redis://127.0.0.1:") and "BILLFLOW_BROKER_URL" in line


@pytest.mark.services
def test_waiting_with_no_worker_running_says_so_instead_of_waiting(redis_url, tmp_path):
    upload = tmp_path / "bill.png"
    upload.write_bytes(small_document(2))
    database_url = f"sqlite:///{tmp_path / 'w.db'}"
    env = billflow_env(broker_url=redis_url, database_url=database_url, data_dir=tmp_path / "data")
    result = run_cli(env, "process", "--wait", "--timeout", "600", str(upload), timeout=WAIT_GUARD_S)
    assert result.returncode == 2
    assert "no worker answers on the broker" in result.stderr and "billflow worker" in result.stderr
    assert statuses(database_url) == {"bill.png": Status.queued}  # left for a worker to take


@pytest.mark.services
def test_a_login_the_database_refuses_is_one_line_naming_the_variable(postgres_server_url, monkeypatch):
    url = make_url(postgres_server_url).set(username="nobody_here", password="wrong")
    monkeypatch.setenv("BILLFLOW_DATABASE_URL", url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["migrate"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    line = one_line(result.stderr)
    assert "refused the login" in line and "BILLFLOW_DATABASE_URL" in line and "wrong" not in line


@pytest.mark.ocr
def test_json_lines_come_as_documents_finish_and_ctrl_c_says_how_to_resume(tmp_path):
    first, last = tmp_path / "first.png", tmp_path / "last.png"
    first.write_bytes(small_document(3))
    last.write_bytes(small_document(4))
    database_url = f"sqlite:///{tmp_path / 'i.db'}"
    env = billflow_env(database_url=database_url, data_dir=tmp_path / "data", model_dir=MODEL_CACHE)
    command = [sys.executable, "-m", "workers.cli", "process", "--json", str(first), str(EXAMPLES / "waybill_2pages.pdf"),
               str(last)]
    batch = subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        record = json.loads(batch.stdout.readline())
        now = statuses(database_url)  # the next document takes seconds of OCR: it cannot be final yet
        assert record["name"] == "first.png" and now["first.png"].is_final, record
        assert not now["waybill_2pages.pdf"].is_final and not now["last.png"].is_final
        batch.send_signal(signal.SIGINT)
        _, stderr = batch.communicate(timeout=WAIT_GUARD_S)
    finally:
        if batch.poll() is None:
            batch.kill()
    assert batch.returncode == 130, stderr[-3000:]
    said = one_line(stderr)
    assert said.startswith("interrupted: 2 of 3 document(s) left queued") and "run the same command again" in said
    left = statuses(database_url)
    assert left["first.png"].is_final and left["waybill_2pages.pdf"] == left["last.png"] == Status.queued

    resumed = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, timeout=WAIT_GUARD_S)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert all(status.is_final for status in statuses(database_url).values())
    assert {json.loads(line)["name"] for line in resumed.stdout.splitlines()} == {"first.png", "waybill_2pages.pdf", "last.png"}
    assert "ccache" not in stderr + resumed.stderr
