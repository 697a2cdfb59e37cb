"""Start and stop a real ``billflow worker`` process for integration tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def billflow_env(**settings: str) -> dict[str, str]:
    """This process's environment with ``BILLFLOW_*`` replaced by ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BILLFLOW_")}
    env.update({f"BILLFLOW_{k.upper()}": str(v) for k, v in settings.items()})
    env["PYTHONPATH"] = str(REPO)
    return env


def run_cli(env: dict[str, str], *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workers.cli", *args], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=timeout)


class WorkerProcess:
    """``billflow worker`` in its own process group, logging to a file."""

    def __init__(self, env: dict[str, str], log: Path, concurrency: int = 1):
        self.log = log
        self.handle = log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "workers.cli", "worker", "--concurrency", str(concurrency), "--loglevel", "INFO"],
            env=env, cwd=REPO, stdout=self.handle, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "ready." in self.log.read_text(errors="replace"):
                return
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker exited:\n{self.log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.3)
        raise TimeoutError(f"worker not ready:\n{self.log.read_text(errors='replace')[-3000:]}")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        if self.alive():
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.handle.close()
