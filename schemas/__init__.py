"""The output contract: one JSON Schema per document type (``<doc_type>.json``).

Used by ``extractors`` at run time and published for API users. Imports nothing of billflow.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    """The JSON Schema named ``name``; raises LookupError when there is none."""
    entry = resources.files("schemas") / f"{name}.json"
    if not entry.is_file():
        raise LookupError(f"no JSON Schema {name!r}")
    return json.loads(entry.read_text(encoding="utf-8"))


def schema_names() -> list[str]:
    return sorted(e.name[:-5] for e in resources.files("schemas").iterdir() if e.name.endswith(".json"))
