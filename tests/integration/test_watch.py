"""``billflow watch DIR --move`` as a real process: files dropped in (one written slowly) are
processed once each and moved by outcome; a restarted watcher processes nothing again."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from db.models import Document
from db.session import session_scope
from tests.conftest import EXAMPLES, MODEL_CACHE
from tests.integration.workerproc import REPO, WorkerProcess, billflow_env, run_cli

pytestmark = pytest.mark.ocr
CHEQUE = EXAMPLES / "transfer_cheque.png"
PHOTO = EXAMPLES / "waybill_photo.jpg"
OUTCOMES = ("done", "needs_review", "failed")
DEADLINE_S = 600  # a generous bound on waiting, not a measurement


class Watcher:
    """``billflow watch`` in its own process group, its output in a log file."""

    def __init__(self, env: dict[str, str], folder: Path, log: Path):
        self.log, self.handle = log, log.open("w")
        self.proc = subprocess.Popen([sys.executable, "-m", "workers.cli", "watch", str(folder), "--move"],
                                     env=env, cwd=REPO, stdout=self.handle, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self.wait_for("watching")

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, text: str) -> None:
        deadline = time.monotonic() + DEADLINE_S
        while text not in self.text():
            assert self.proc.poll() is None, f"watcher exited:\n{self.text()[-3000:]}"
            assert time.monotonic() < deadline, f"no {text!r}:\n{self.text()[-3000:]}"
            time.sleep(0.3)

    def interrupt(self) -> int:
        """Ctrl-C, as a terminal sends it; the exit status."""
        os.killpg(self.proc.pid, signal.SIGINT)
        try:
            return self.proc.wait(timeout=60)
        finally:
            self.handle.close()

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


@pytest.fixture
def watchers():
    started = []
    yield started
    for watcher in started:
        watcher.kill()


def write_slowly(data: bytes, path: Path, chunks: int = 6, pause_s: float = 0.3) -> None:
    """Write ``data`` in chunks with pauses, as a scanner or a network copy does."""
    size = -(-len(data) // chunks)
    with path.open("wb") as handle:
        for start in range(0, len(data), size):
            handle.write(data[start:start + size])
            handle.flush()
            time.sleep(pause_s)


def wait_until_moved(folder: Path, names: list[str]) -> dict[str, str]:
    """File name → the outcome folder it was moved to, once every one of ``names`` is moved."""
    deadline = time.monotonic() + DEADLINE_S
    while True:
        moved = {p.name: outcome for outcome in OUTCOMES for p in (folder / outcome).glob("*")}
        if set(names) <= set(moved):
            return moved
        assert time.monotonic() < deadline, f"not moved: {set(names) - set(moved)}"
        time.sleep(0.3)


def stored(database_url: str) -> dict[str, tuple[str, str, int]]:
    """Original name → (sha256, status, extraction version) of every stored upload."""
    with session_scope(database_url) as session:
        return {d.original_name: (d.sha256, d.status.value, d.extraction_version)
                for d in session.scalars(select(Document).where(Document.parent_id.is_(None)))}


def test_each_file_is_processed_once_moved_by_outcome_and_not_again_after_a_restart(tmp_path, watchers):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    database_url = f"sqlite:///{tmp_path / 'billflow.db'}"
    env = billflow_env(database_url=database_url, data_dir=tmp_path / "data", model_dir=MODEL_CACHE)
    watchers.append(first := Watcher(env, inbox, tmp_path / "first.log"))

    shutil.copy(CHEQUE, inbox / CHEQUE.name)
    (inbox / "letter.pdf").write_text("Dear customer, this is plain text.")
    (inbox / "notes.txt").write_text("not a document: skipped, left in place")
    write_slowly(PHOTO.read_bytes(), inbox / PHOTO.name)
    moved = wait_until_moved(inbox, [CHEQUE.name, "letter.pdf", PHOTO.name])

    documents = stored(database_url)
    assert set(documents) == {CHEQUE.name, "letter.pdf", PHOTO.name}  # one document each
    assert documents[PHOTO.name][0] == hashlib.sha256(PHOTO.read_bytes()).hexdigest()  # read once written whole
    assert moved["letter.pdf"] == "failed" and documents["letter.pdf"][1] == "failed"
    for name in (CHEQUE.name, PHOTO.name):
        assert moved[name] == documents[name][1] and moved[name] in ("done", "needs_review")
        assert documents[name][2] == 1, name  # extracted once
    assert (inbox / "notes.txt").exists()
    assert first.interrupt() == 0 and "stopped watching" in first.text()
    assert first.text().count(f"{PHOTO.name}: document") == 1

    watchers.append(second := Watcher(env, inbox, tmp_path / "second.log"))
    shutil.copy(CHEQUE, inbox / "cheque copy.png")  # the same bytes under another name
    second.wait_for("cheque copy.png: already processed")
    moved_again = wait_until_moved(inbox, ["cheque copy.png"])
    assert moved_again["cheque copy.png"] == moved[CHEQUE.name]
    assert stored(database_url) == documents  # nothing processed again
    assert second.interrupt() == 0


@pytest.mark.services
def test_with_a_broker_the_watcher_queues_files_for_the_workers_and_moves_them_when_final(tmp_path, redis_url, watchers):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    database_url = f"sqlite:///{tmp_path / 'billflow.db'}"
    env = billflow_env(broker_url=redis_url, database_url=database_url, data_dir=tmp_path / "data",
                       model_dir=MODEL_CACHE, worker_concurrency=1)
    assert run_cli(env, "migrate").returncode == 0
    worker = WorkerProcess(env, tmp_path / "worker.log")
    try:
        worker.wait_ready()
        watchers.append(watcher := Watcher(env, inbox, tmp_path / "watch.log"))
        shutil.copy(CHEQUE, inbox / CHEQUE.name)
        watcher.wait_for(f"{CHEQUE.name}: queued as document")
        moved = wait_until_moved(inbox, [CHEQUE.name])
        assert watcher.interrupt() == 0
    finally:
        worker.stop()
    (name, (_sha, status, version)), = stored(database_url).items()
    assert (name, moved[name], version) == (CHEQUE.name, status, 1)
    assert "processing here" not in watcher.text()  # the watcher loaded no OCR engine
