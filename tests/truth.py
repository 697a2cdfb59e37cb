"""Reading the ground truth that the document generator writes beside each image."""

from __future__ import annotations

import json
from pathlib import Path


def truth_path(document: Path) -> Path:
    return document.with_name(document.stem + ".truth.json")


def truth_fields(document: Path) -> dict[str, str]:
    """The expected field values of the document (its first page's, for a multi-page sample)."""
    truth = json.loads(truth_path(document).read_text(encoding="utf-8"))
    if "fields" in truth:
        return truth["fields"]
    return truth["documents"][0]["fields"]
