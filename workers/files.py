"""Files written whole or not at all, safely from many processes and threads at once."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Give ``path`` what ``write`` writes into the binary file it is handed, in one step.

    The bytes go to a temporary file beside ``path`` under a name no other writer uses (another
    process or thread writing the same path has its own), which then replaces ``path``: a reader
    sees the old file or the new one, never part of one, and concurrent writers never collide
    (the last one wins). Nothing is left behind when ``write`` fails.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with temporary.open("xb") as handle:
            write(handle)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def copy_atomically(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` as ``write_atomically`` writes."""
    with source.open("rb") as original:
        write_atomically(target, lambda handle: shutil.copyfileobj(original, handle))
