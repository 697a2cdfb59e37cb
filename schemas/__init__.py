"""The output contract: one JSON Schema per document type (``<doc_type>.json``).

Used by ``extractors`` at run time and published for API users. User templates may bring their
own (``use_schemas``). Imports nothing of billflow.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources


_user_schemas: dict[str, dict] = {}


def load_schema(name: str) -> dict:
    """The JSON Schema named ``name``: the user's (``use_schemas``), else the bundled one;
    raises LookupError when there is none."""
    return _user_schemas[name] if name in _user_schemas else bundled_schema(name)


def use_schemas(schemas: dict[str, dict]) -> None:
    """From now on in this process, ``schemas`` (name → JSON Schema) add to or replace the bundled ones."""
    _user_schemas.clear()
    _user_schemas.update(schemas)


@lru_cache(maxsize=None)
def bundled_schema(name: str) -> dict:
    """The JSON Schema named ``name`` shipped with billflow; raises LookupError when there is none."""
    entry = resources.files("schemas") / f"{name}.json"
    if not entry.is_file():
        raise LookupError(f"no JSON Schema {name!r}")
    return json.loads(entry.read_text(encoding="utf-8"))


def schema_names() -> list[str]:
    """The names of the bundled JSON Schemas."""
    return sorted(e.name[:-5] for e in resources.files("schemas").iterdir() if e.name.endswith(".json"))
