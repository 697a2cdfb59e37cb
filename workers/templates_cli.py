"""`billflow templates list|explain|check`: the templates there are, why a document got its
fields, and what is wrong with a folder of your own templates."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from db import repo
from db.session import session_scope
from extractors.explain import explain
from extractors.template import TemplateError, bundled_templates, load_templates
from workers.pipeline import own_lines
from workers.settings import get_settings
from workers.template_dir import check_folder, use_template_dir

templates_app = typer.Typer(no_args_is_help=True, help="Inspect extraction templates.")


@templates_app.command("list")
def list_templates() -> None:
    """Every template (bundled, and yours from BILLFLOW_TEMPLATE_DIR): document type, variants,
    fields (required marked *) and rules."""
    use_template_dir(get_settings().template_dir)
    table = Table(title="templates")
    for column in ("type", "variants", "fields", "rules"):
        table.add_column(column, overflow="fold")
    for doc_type, template in load_templates().items():
        specs = {s.name: s for v in template.variants for s in v.fields}
        fields = ", ".join(f"{n}{'*' if s.required else ''}" for n, s in specs.items())
        table.add_row(doc_type, ", ".join(v.name for v in template.variants), fields, ", ".join(dict.fromkeys(r.name for r in template.rules)))
    Console().print(table)


@templates_app.command("check")
def check(folder: Path = typer.Argument(..., help="Folder of templates (*.yml) and their JSON Schemas (*.json)")) -> None:
    """Check a folder of templates as billflow would load them: every problem with its file,
    path and a "did you mean"; exit status 1 when there is one."""
    try:
        templates = check_folder(folder)
    except TemplateError as exc:
        for problem in exc.problems:
            Console(stderr=True).print(problem, markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    bundled = set(bundled_templates())
    for doc_type in templates:
        verb = "replaces the bundled template" if doc_type in bundled else "adds document type"
        Console().print(f"ok: {verb} {doc_type}", markup=False, highlight=False)


@templates_app.command("explain")
def explain_document(
    doc: str = typer.Argument(..., help="Document id or sha256 prefix"),
    doc_type: str | None = typer.Option(None, "--type", help="Explain as this type instead of classifying"),
) -> None:
    """Which template matched, which anchors were found where, and why each field got its value or none."""
    from workers.cli import _settings

    settings = _settings()
    with session_scope(settings.database_url) as session:
        try:
            document = repo.find_document(session, doc)
        except LookupError as exc:
            Console(stderr=True).print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from None
        lines = own_lines(session, document)  # as extraction saw them: on the prepared pages
        requested = doc_type or document.requested_type
    result = explain(lines, requested)
    _print(result)


def _print(result) -> None:
    out = Console()
    scores = ", ".join(f"{t} {s:.2f}" for t, s in sorted(result.scores.items(), key=lambda i: -i[1]))
    out.print(f"classification scores: {scores}")
    out.print(f"template: [bold]{result.extraction.template or result.extraction.doc_type}[/bold]"
              f"  status: {result.extraction.status}")
    if not result.variant:
        return
    template = load_templates()[result.extraction.doc_type]
    variant = next(v for v in template.variants if v.name == result.variant)
    table = Table(title=f"fields of {result.extraction.template}")
    for column in ("field", "value", "why", "anchors found (label @ page: line)"):
        table.add_column(column, overflow="fold")
    for spec in variant.fields:
        anchors = [e for e in result.field_events(spec.name) if e["event"] == "anchor"]
        shown = "\n".join(f"{a['label']} @ p{a['page']}: {a['line']}{'' if a['used'] else ' (other section)'}"
                          for a in anchors[:4])
        value = result.extraction.fields[spec.name].value if spec.name in result.extraction.fields else "-"
        table.add_row(spec.name + ("*" if spec.required else ""), value, result.why(spec.name), shown)
    out.print(table)
    for reason in result.extraction.reasons:
        out.print(f"[yellow]review: {reason}[/yellow]")
