"""Tuning and test parts of a labelled set: fixed by each document's name, never by its content.

Half of every development set is for tuning (look at its failures, change rules, fit the
confidence model), the other half is for reporting. A document's part is decided by a hash of
its set's format and its name, so it never changes between runs, machines or orderings, and a
document added later does not move the others.
"""

from __future__ import annotations

import hashlib

from evaluation.datasets import Sample

PARTS = ("tune", "test", "all")
TUNE_SHARE = 50  # percent


def part_of(fmt: str, name: str) -> str:
    """``tune`` or ``test`` for the document ``name`` of a set in format ``fmt``."""
    digest = int(hashlib.sha256(f"{fmt}:{name}".encode("utf-8")).hexdigest(), 16)
    return "tune" if digest % 100 < TUNE_SHARE else "test"


def select(samples: list[Sample], fmt: str, part: str) -> list[Sample]:
    """The samples of ``part`` (``all``: every sample), in their order."""
    if part not in PARTS:
        raise ValueError(f"part must be one of {', '.join(PARTS)}, not {part!r}")
    return [s for s in samples if part == "all" or part_of(fmt, s.name) == part]
