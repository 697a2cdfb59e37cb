"""User templates: the YAML templates and JSON Schemas of a folder (``BILLFLOW_TEMPLATE_DIR`` or
``--templates DIR``), read here and handed to the core (``extractors.template.use_user_templates``)."""

from __future__ import annotations

from pathlib import Path

from extractors.template import Template, TemplateError, read_templates, use_user_templates
from workers.problems import Problem

TEMPLATE_SUFFIXES = (".yml", ".yaml")


def folder_texts(folder: Path, named_by: str | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """The folder's templates (``*.yml``, ``*.yaml``) and JSON Schemas (``*.json``), each text by
    its path; Problem naming ``named_by`` (the setting or option) when it is no readable folder."""
    named = f"{named_by}={folder}" if named_by else str(folder)
    if not folder.is_dir():
        raise Problem(f"{named} is not a folder: name the folder of your templates (*.yml)")
    try:
        files = sorted(p for p in folder.iterdir() if p.is_file())
        templates = {str(p): p.read_text(encoding="utf-8") for p in files if p.suffix in TEMPLATE_SUFFIXES}
        schemas = {str(p): p.read_text(encoding="utf-8") for p in files if p.suffix == ".json"}
    except (OSError, UnicodeDecodeError) as exc:
        raise Problem(f"{named}: cannot read its templates ({exc})") from None
    return templates, schemas


def check_folder(folder: Path) -> dict[str, Template]:
    """The folder's templates, checked (nothing is installed); TemplateError listing every problem."""
    return read_templates(*folder_texts(folder))[0]


def use_template_dir(folder: Path | None, named_by: str = "BILLFLOW_TEMPLATE_DIR") -> dict[str, Template]:
    """Make the folder's templates add to or replace the bundled ones in this process (none: the
    bundled ones alone); Problem naming ``named_by`` with every problem, one a line."""
    try:
        return use_user_templates(*folder_texts(folder, named_by)) if folder else use_user_templates({})
    except TemplateError as exc:
        raise Problem(f"{named_by}={folder}: {len(exc.problems)} problem(s) in its templates:\n"
                      + "\n".join(exc.problems)) from None
