"""The benchmark's documents: SROIE receipts, billflow's examples and generated fixtures.

Every document comes with its ground truth (``evaluation.datasets``), so accuracy can be
measured on the same pages that are timed. ``distinct_copy`` makes byte-different copies of a
document (billflow deduplicates uploads by their hash) that decode to the same pages.
"""

from __future__ import annotations

import os
from itertools import zip_longest
from pathlib import Path

from evaluation.datasets import Sample, read_dataset

REPO = Path(__file__).resolve().parents[1]
SOURCES = (
    Path(os.environ.get("SROIE_DIR", REPO.parent / "shared" / "datasets" / "sroie")),
    REPO / "examples",
    REPO / "tests" / "fixtures" / "generated",
)
Item = tuple[str, Sample]  # (dataset format, sample)


def labelled_items() -> list[list[Item]]:
    """Each available source's (format, sample) pairs; sources that are missing or unlabelled are skipped."""
    found = []
    for root in SOURCES:
        try:
            dataset = read_dataset(root)
        except (ValueError, OSError):
            continue
        found.append([(dataset.format, s) for s in dataset.samples])
    return found


def select(pages: int) -> list[Item]:
    """Documents taken in turn from each source until they hold at least ``pages`` pages."""
    chosen, total = [], 0
    for row in zip_longest(*labelled_items()):
        for item in filter(None, row):
            if total >= pages:
                return chosen
            chosen.append(item)
            total += len(item[1].pages)
    return chosen


def distinct_copy(source: Path, folder: Path, tag: str) -> Path:
    """A copy of ``source`` with a trailer after its end (same pages, a different sha256)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{tag}-{source.name}"
    target.write_bytes(source.read_bytes() + f"\n%billflow-benchmark {tag}\n".encode())
    return target
