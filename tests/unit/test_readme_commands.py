"""A newcomer's two commands: the README's, the Makefile's set-up rule, and what CI runs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def fresh_machine_commands() -> list[str]:
    """The commands of the README's "Two commands on a fresh machine" block, comments cut."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Two commands on a fresh machine", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.split("#", 1)[0].strip()]


def make(folder: Path, target: str, dry_run: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-n" if dry_run else "-s", target], cwd=folder, capture_output=True, text=True)


def test_readme_gives_two_commands_and_ci_runs_the_test_one_as_written():
    commands = fresh_machine_commands()
    assert len(commands) == 2, commands
    ci_lines = [line.strip() for line in (REPO / ".ci" / "run").read_text().splitlines()]
    test_command = next(c for c in commands if "test" in c)
    assert test_command in ci_lines
    assert "bash setup.sh" not in ci_lines  # the test command sets up by itself


def test_each_command_sets_up_only_when_the_virtualenv_is_missing_or_older(tmp_path):
    for name in ("Makefile", "pyproject.toml", "setup.sh"):
        shutil.copy2(REPO / name, tmp_path / name)
    for command in fresh_machine_commands():
        target = command.removeprefix("make ").strip()
        shutil.rmtree(tmp_path / ".venv", ignore_errors=True)
        for name in ("pyproject.toml", "setup.sh"):
            os.utime(tmp_path / name, (0, 0))
        assert "bash setup.sh" in make(tmp_path, target).stdout  # fresh machine: no .venv

        (tmp_path / ".venv").mkdir()  # set up after the files last changed
        planned = make(tmp_path, target).stdout
        assert "bash setup.sh" not in planned and ".venv/bin/" in planned

        later = (tmp_path / ".venv").stat().st_mtime + 10
        os.utime(tmp_path / "pyproject.toml", (later, later))  # a dependency changed since
        assert "bash setup.sh" in make(tmp_path, target).stdout


def test_the_test_command_fails_when_pytest_fails_or_collects_nothing(tmp_path):
    shutil.copy2(REPO / "Makefile", tmp_path / "Makefile")
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "python").symlink_to(sys.executable)
    for name in ("pyproject.toml", "setup.sh"):  # older than .venv: no set-up
        (tmp_path / name).write_text("")
        os.utime(tmp_path / name, (0, 0))
    (tmp_path / "tests").mkdir()
    assert make(tmp_path, "test", dry_run=False).returncode != 0  # collects nothing (pytest exit 5)

    (tmp_path / "tests" / "test_one.py").write_text("def test_fails():\n    assert False\n")
    assert make(tmp_path, "test", dry_run=False).returncode != 0

    (tmp_path / "tests" / "test_one.py").write_text("def test_passes():\n    assert True\n")
    assert make(tmp_path, "test", dry_run=False).returncode == 0
