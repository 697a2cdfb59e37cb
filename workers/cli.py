"""The ``billflow`` command: process documents, run a worker, inspect and export results."""

from __future__ import annotations

import json
import sys
import time
import traceback
from collections.abc import Callable
from enum import Enum
from importlib.metadata import version
from pathlib import Path

import click
import numpy as np
import typer
from rich import box
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup

from db import repo
from db.migrate import upgrade
from db.models import Document, Status
from db.session import session_scope
from extractors.corrections import InvalidCorrection, ItemCorrection
from extractors.lines import OcrLine
from workers import pipeline, review
from workers.evaluate import calibrate_command, evaluate_command
from workers.preprocess import map_lines
from workers.problems import Problem, data_dir_problem, database_url_problem, explain, no_worker
from workers.rasterize import DOCUMENT_SUFFIXES, BadDocument, Limits, RasterPage, stream_pages
from workers.settings import Settings, SettingsError, get_settings
from workers.spreadsheet import BOM, write_csv
from workers.template_dir import use_template_dir
from workers.templates_cli import templates_app


class BillflowCommands(TyperGroup):
    """Every command: what the environment got wrong is said in one line naming the setting to
    fix, exit status 2 (with ``--debug``, after the traceback); a bug still shows its traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except Exception as exc:
            message = _explain(exc)
            if message is None:
                raise
            if ctx.params.get("debug"):
                traceback.print_exc()
            _say(message, style="red")
            raise typer.Exit(2) from None


cli = typer.Typer(cls=BillflowCommands, add_completion=False, no_args_is_help=True,
                  help="billflow: documents in, trusted fields out.")
console = Console(stderr=True)
KEY_FIELDS = 3
NAME_WIDTH = 26
WORKER_CHECK_S = 15
INTERRUPTED = 130


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"


def _print_version(wanted: bool) -> None:
    if wanted:
        typer.echo(f"billflow {version('billflow')}")
        raise typer.Exit()


@cli.callback()
def options(
    debug: bool = typer.Option(False, "--debug", help="On a failure, show the traceback too, not only the reason"),
    _version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                  help="Print billflow's version and exit"),
) -> None:
    """billflow: documents in, trusted fields out."""


def _say(message: str, style: str | None = None) -> None:
    """One line on stderr, never wrapped."""
    console.print(message, style=style, soft_wrap=True, markup=False, highlight=False)


def _explain(exc: Exception) -> str | None:
    if isinstance(exc, Problem):
        return str(exc)
    try:
        settings = get_settings()
    except SettingsError:
        return None
    return explain(exc, settings.database_url, settings.broker_url, settings.data_dir)


def _settings(writes: bool = False) -> Settings:
    """The validated settings, the database migrated, the user's templates in use
    (``BILLFLOW_TEMPLATE_DIR``); ``writes``: the data dir is writable too."""
    try:
        settings = get_settings()
    except SettingsError as exc:
        raise Problem(str(exc)) from None
    use_template_dir(settings.template_dir)
    if problem := database_url_problem(settings.database_url):
        raise Problem(problem)
    if writes and (problem := data_dir_problem(settings.data_dir)):
        raise Problem(problem)
    upgrade(settings.database_url)
    return settings


def _expand(paths: list[Path]) -> list[Path]:
    """Files named, and the documents (by extension) inside folders named; the other files in
    those folders are skipped, and said so."""
    files = []
    for path in paths:
        if path.is_dir():
            for entry in sorted(path.rglob("*")):
                if entry.is_file() and entry.suffix.lower() in DOCUMENT_SUFFIXES:
                    files.append(entry)
                elif entry.is_file():
                    _say(f"skipped {entry}: not a PDF or image (by its extension)")
                elif not entry.is_dir():
                    _say(f"skipped {entry}: not a regular file (a broken link?)")
        elif path.is_file():
            files.append(path)
        else:
            console.print(f"[red]no such file: {path}[/red]")
            raise typer.Exit(2)
    return files


@cli.command()
def process(
    paths: list[Path] = typer.Argument(..., help="Files or folders to process"),
    doc_type: str | None = typer.Option(None, "--type", help="Document type (skip classification)"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON lines instead of a table"),
    wait: bool = typer.Option(False, "--wait", help="With a broker: wait until workers finish"),
    timeout: float = typer.Option(600, help="Seconds --wait waits at most"),
    templates: Path | None = typer.Option(None, "--templates", help="Folder of your own templates, instead of "
                                          "BILLFLOW_TEMPLATE_DIR (documents processed here only: no broker)"),
) -> None:
    """Process documents: in this process when no broker is set, else through the workers."""
    settings = _settings(writes=True)
    if templates and settings.broker_url:
        raise Problem("--templates applies to documents processed here: with BILLFLOW_BROKER_URL set, the workers "
                      "use their own BILLFLOW_TEMPLATE_DIR")
    if templates:
        use_template_dir(templates, "--templates")
    _run(settings, _submit(settings, _expand(paths), doc_type), wait, timeout, as_json)


def _submit(settings: Settings, files: list[Path], doc_type: str | None) -> list[int]:
    """The documents of ``files``, each once: a file with the bytes of an earlier one, or one
    that cannot be read, is skipped and said so."""
    first_file: dict[int, Path] = {}
    for path in files:
        try:
            document_id = pipeline.submit_path(settings, path, doc_type).document_id
        except OSError as exc:
            if exc.filename is None or Path(exc.filename) != path:
                raise
            _say(f"skipped {path}: cannot be read ({exc.strerror})")
            continue
        if document_id in first_file:
            _say(f"skipped {path}: same content as {first_file[document_id]} (document {document_id})")
        first_file.setdefault(document_id, path)
    return list(first_file)


def _run(settings: Settings, ids: list[int], wait: bool, timeout: float, as_json: bool = False) -> None:
    """Run the documents that are not final: through the workers with a broker, else here. Then
    a table, or JSON lines, each printed as soon as its document is final. On Ctrl-C: what is
    left and how to resume."""
    lines = JsonLines(settings) if as_json else None
    on_final = lines.print_final if lines else (lambda _ids: None)
    try:
        if settings.broker_url:
            _enqueue(settings, ids)
            if wait:
                _wait(settings, ids, timeout, on_final)
        else:
            _run_here(settings, ids, on_final)
    except KeyboardInterrupt:
        _interrupted(settings, ids)
        raise typer.Exit(INTERRUPTED) from None
    if lines:
        lines.print_all(ids)
    else:
        _report(settings, ids)
    if wait or not settings.broker_url:
        raise typer.Exit(_exit_code(settings, ids))


class JsonLines:
    """Prints each document's JSON line (``document_record``) once, flushed at once."""

    def __init__(self, settings: Settings):
        self.settings, self.printed = settings, set()

    def print_final(self, ids: list[int]) -> None:
        """The lines of those of ``ids`` that are final now."""
        self._print(ids, final_only=True)

    def print_all(self, ids: list[int]) -> None:
        """The lines of ``ids`` not printed yet, final or not."""
        self._print(ids, final_only=False)

    def _print(self, ids: list[int], final_only: bool) -> None:
        with session_scope(self.settings.database_url) as session:
            for document_id in ids:
                document = repo.get_document(session, document_id)
                if document_id not in self.printed and (document.status.is_final or not final_only):
                    for part in with_parts(document):
                        print(json.dumps(document_record(part), ensure_ascii=False), flush=True)
                    self.printed.add(document_id)


def _interrupted(settings: Settings, ids: list[int]) -> None:
    """After Ctrl-C: unfinished documents run here are queued again; say what is left and how to resume."""
    with session_scope(settings.database_url) as session:
        left = [i for i in ids if not repo.get_document(session, i).status.is_final]
    listed = ", ".join(map(str, left[:10])) + (", …" if len(left) > 10 else "")
    if settings.broker_url:
        _say(f"stopped waiting: {len(left)} of {len(ids)} document(s) not finished ({listed}); the workers go on "
             "with them: run the same command again to wait, or `billflow list --status queued` to see them")
        return
    for document_id in left:
        pipeline.requeue(settings, document_id)
    _say(f"interrupted: {len(left)} of {len(ids)} document(s) left queued ({listed}); run the same command "
         "again to resume (finished documents are not processed again)")


def _enqueue(settings: Settings, ids: list[int]) -> None:
    from workers.celery_app import app, ensure_broker
    from workers.tasks import process_document

    ensure_broker(app)
    with session_scope(settings.database_url) as session:
        pending = [i for i in ids if not repo.get_document(session, i).status.is_final]
    for document_id in pending:
        process_document.delay(document_id)
    console.print(f"queued {len(pending)} document(s); {len(ids) - len(pending)} already final")


def _wait(settings: Settings, ids: list[int], timeout: float, on_final: Callable[[list[int]], None]) -> None:
    """Until every document is final or ``timeout``; stops when no worker answers a ping, asked
    at once and then every WORKER_CHECK_S seconds in which no document was finished."""
    from workers.celery_app import answering_workers, app

    now = time.monotonic()
    deadline, next_check, left_at_check = now + timeout, now, 0
    with console.status("waiting for workers") as status:
        while time.monotonic() < deadline:
            with session_scope(settings.database_url) as session:
                left = sum(1 for i in ids if not repo.get_document(session, i).status.is_final)
            on_final(ids)
            if not left:
                return
            if time.monotonic() >= next_check:
                if left >= left_at_check and not answering_workers(app):
                    raise Problem(no_worker(settings.broker_url, left))
                next_check, left_at_check = time.monotonic() + WORKER_CHECK_S, left
            status.update(f"waiting for workers: {left} of {len(ids)} document(s) left")
            time.sleep(0.5)
    console.print("[yellow]timed out waiting for workers[/yellow]")


def _run_here(settings: Settings, ids: list[int], on_final: Callable[[list[int]], None]) -> None:
    """Run the documents that are not final in this process, one by one, with a progress bar;
    ``on_final`` is told of the final ones, first those final already, then each as it ends."""
    from workers.engine import get_engine

    with session_scope(settings.database_url) as session:
        todo = [(i, repo.get_document(session, i).original_name) for i in ids
                if not repo.get_document(session, i).status.is_final]
    on_final(ids)
    if not todo:
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True, redirect_stdout=False) as progress:
        overall = progress.add_task("documents", total=len(todo))
        for document_id, name in todo:
            pages = progress.add_task(f"  {name}: rasterizing (first page loads the OCR engine)", total=None)

            def on_page(number: int, total: int, task=pages, label=name) -> None:
                progress.update(task, total=total, completed=number, description=f"  {label}")

            pipeline.process_in_process(settings, lambda: get_engine(settings), document_id, on_page)
            on_final([document_id])
            progress.remove_task(pages)
            progress.advance(overall)


def _exit_code(settings: Settings, ids: list[int]) -> int:
    with session_scope(settings.database_url) as session:
        statuses = [repo.get_document(session, i).status for i in ids]
    return 0 if all(s.is_final for s in statuses) else 1


def document_record(document: Document) -> dict:
    """A document with its fields and line items as plain JSON-ready data."""
    return {
        "id": document.id, "sha256": document.sha256, "name": document.original_name,
        "media_type": document.media_type, "pages": document.page_count, "doc_type": document.doc_type,
        "template": document.template, "status": document.status.value, "error": document.error,
        "review_reasons": document.review_reasons, "extraction_version": document.extraction_version,
        "parent_id": document.parent_id, "first_page": document.first_page, "last_page": document.last_page,
        "fields": {
            f.name: {"value": f.value, "normalized": f.normalized, "raw_text": f.raw_text,
                     "confidence": f.confidence, "page": f.page, "bbox": f.bbox, "valid": f.valid,
                     "violations": f.violations}
            for f in document.fields
        },
        "line_items": [repo.item_values(item) for item in document.line_items],
    }


def _report(settings: Settings, ids: list[int]) -> None:
    """The documents' table, each followed by the documents split out of its upload."""
    with session_scope(settings.database_url) as session:
        _print_table([d for i in ids for d in with_parts(repo.get_document(session, i))])


def with_parts(document: Document) -> list[Document]:
    """The document followed by the documents split out of its upload."""
    return [document, *document.parts]


def _pages(document: Document) -> str:
    """Its page count, or for one of several documents in an upload the upload's pages it covers."""
    if document.parent_id or document.parts:
        return f"{document.first_page}-{document.last_page}"
    return str(document.page_count or "")


def _print_table(documents: list[Document]) -> None:
    """A row a document, readable at 80 columns: its name over its type and pages, its key
    fields one a line, then why it failed or needs review; long texts are cut with …."""
    table = Table(title="billflow documents", box=None, header_style="bold", pad_edge=False)
    for column in ("id", "document", "status", "key fields, reasons"):
        table.add_column(column, no_wrap=column in ("id", "status"), max_width=NAME_WIDTH if column == "document" else None)
    for d in documents:
        pages = _pages(d)
        pages = f"pages {pages}" if "-" in pages else f"{pages} page{'s' * (pages != '1')}" if pages else ""
        about = ", ".join(filter(None, [d.doc_type, pages]))
        colour = {"done": "green", "needs_review": "yellow", "failed": "red"}.get(d.status.value, "")
        details = _cut("\n".join(f"{f.name}={f.value}" for f in d.fields[:KEY_FIELDS]))
        reasons = [d.error] if d.error else d.review_reasons[:3]
        if reasons:
            details.append(("\n" if details else "") + "\n".join(f"! {r}" for r in reasons), style=colour)
        table.add_row(str(d.id), _cut(f"{d.original_name}\n{about}".strip()), Text(d.status.value, style=colour), details)
    Console().print(table)


def _cut(text: str) -> Text:
    """Plain text that a narrow column cuts with … instead of wrapping (each line of it)."""
    return Text(text, no_wrap=True, overflow="ellipsis")


@cli.command()
def watch(
    folder: Path = typer.Argument(..., help="Folder to consume: files dropped into it (not its subfolders)"),
    move: bool = typer.Option(False, "--move", help="Move each original, once final, to DIR/done/, "
                              "DIR/needs_review/ or DIR/failed/"),
    doc_type: str | None = typer.Option(None, "--type", help="Document type (skip classification)"),
    settle: float = typer.Option(2.0, "--settle", min=0, help="Seconds a file must stop growing before it is read"),
) -> None:
    """Process files as they land in a folder, each once (by its bytes: restarts and copies are
    not processed again): here when no broker is set, else through the workers. Ctrl-C stops."""
    from workers.watch import ConsumeFolder

    settings = _settings(writes=True)
    if not folder.is_dir():
        raise Problem(f"no such folder: {folder}")
    if settings.broker_url:
        from workers.celery_app import app, ensure_broker

        ensure_broker(app)
    _say(f"watching {folder} ({'through the workers' if settings.broker_url else 'processing here'}); Ctrl-C stops")
    ConsumeFolder(settings, folder, _say, doc_type, move, settle).run()


@cli.command()
def worker(
    concurrency: int | None = typer.Option(None, help="Worker processes (default: BILLFLOW_WORKER_CONCURRENCY or cores)"),
    loglevel: str = typer.Option("INFO"),
) -> None:
    """Start a Celery worker consuming from the configured broker."""
    settings = _settings(writes=True)
    if not settings.broker_url:
        console.print("[red]BILLFLOW_BROKER_URL is not set: a worker needs a broker[/red]")
        raise typer.Exit(2)
    from workers.celery_app import app

    app.worker_main(["worker", f"--loglevel={loglevel}", f"--concurrency={concurrency or settings.concurrency}",
                     "--pool=prefork", "--without-gossip", "--without-mingle"])


@cli.command()
def migrate() -> None:
    """Create or upgrade the database schema (Alembic)."""
    settings = _settings()
    console.print(f"database at head: {settings.database_url.split('@')[-1]}")


@cli.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (0.0.0.0 for every interface)"),
    port: int = typer.Option(8000, help="TCP port"),
) -> None:
    """Start the HTTP API (OpenAPI at /docs) and the review page (/review). Without
    BILLFLOW_API_TOKEN a token is made up for this run and printed."""
    import os
    import secrets

    import uvicorn

    settings = _settings(writes=True)
    if not settings.api_token:
        os.environ["BILLFLOW_API_TOKEN"] = secrets.token_urlsafe(24)
        get_settings.cache_clear()
        console.print(f"BILLFLOW_API_TOKEN is not set; this run's token: {os.environ['BILLFLOW_API_TOKEN']}",
                      soft_wrap=True)
    console.print(f"review page: http://{host}:{port}/review   API docs: http://{host}:{port}/docs", soft_wrap=True)
    uvicorn.run("api.app:app", host=host, port=port)


@cli.command()
def show(
    doc: str = typer.Argument(..., help="Document id or sha256 prefix"),
    overlay: Path | None = typer.Option(None, "--overlay", dir_okay=False, help="Write the page as a PNG with its OCR "
                                        "line boxes (blue), field boxes (green; red: a rule objects) and line item "
                                        "rows (orange) to this file"),
    page: int | None = typer.Option(None, "--page", min=1, help="The page --overlay draws (default: the document's first)"),
) -> None:
    """A document: its pages, fields with confidence and violations, line items, and review reasons."""
    settings = _settings()
    with session_scope(settings.database_url) as session:
        try:
            d = repo.find_document(session, doc)
        except LookupError as exc:
            console.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from None
        if overlay:
            _write_overlay(d, page, overlay)
            return
        out = Console()
        out.print(f"[bold]document {d.id}[/bold] {d.original_name}  sha256 {d.sha256[:12]}…")
        out.print(f"type {d.doc_type or '-'} ({d.template or 'no template'})  status [bold]{d.status.value}[/bold]"
                  f"  media {d.media_type}  extraction v{d.extraction_version}")
        if d.parent_id:
            out.print(f"pages {d.first_page}-{d.last_page} of the upload of document {d.parent_id}")
        for part in d.parts:
            out.print(f"pages {part.first_page}-{part.last_page} of this upload are document {part.id}: "
                      f"{part.doc_type or '-'}, {part.status.value}")
        if d.error:
            out.print(f"[red]error: {d.error}[/red]")
        if d.error_detail:
            out.print(d.error_detail, style="dim", markup=False, highlight=False)
        for e in d.extractions:
            out.print(f"earlier extraction v{e.version}: {e.status.value}, {e.doc_type or '-'} "
                      f"({e.template or 'no template'}), {len(e.fields)} fields, replaced {e.replaced_at:%Y-%m-%d %H:%M}")
        for reason in d.review_reasons:
            out.print(f"[yellow]review: {reason}[/yellow]")
        _print_pages(out, d)
        _print_fields(out, d)
        if d.line_items:
            _print_line_items(out, d)
        for e in repo.events(session, d.id):
            out.print(f"{e.at:%Y-%m-%d %H:%M} {e.action} by {e.actor}: {json.dumps(e.detail, ensure_ascii=False)}",
                      markup=False, highlight=False)


@cli.command()
def ocr(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A PDF or image"),
    as_json: bool = typer.Option(False, "--json", help="A JSON line per page instead of a table"),
) -> None:
    """The OCR lines of each page (text, score, box), read as a worker reads them (page
    preparation, then OCR) and placed on the page as given; no database, nothing stored."""
    from workers.engine import get_engine

    try:
        settings = get_settings()
    except SettingsError as exc:
        raise Problem(str(exc)) from None
    if problem := data_dir_problem(settings.data_dir):  # the OCR models are assembled there
        raise Problem(problem)
    try:
        pages = stream_pages(file.read_bytes(), settings.raster_dpi, Limits(settings.max_pages, settings.max_page_pixels))
        for raster in pages:
            _print_ocr_page(raster, _page_lines(settings, get_engine(settings), raster), as_json)
    except BadDocument as exc:
        _say(f"{file}: {exc}", style="red")
        raise typer.Exit(1) from None


def _page_lines(settings: Settings, engine, raster: RasterPage) -> list[OcrLine]:
    """A rasterized page's OCR lines (``pipeline.read_page``) on the page as rasterized."""
    image = np.ascontiguousarray(np.asarray(raster.image)[:, :, ::-1])
    lines, prepared = pipeline.read_page(settings, engine, image, raster.number)
    return map_lines(lines, prepared.to_original)


def _print_ocr_page(raster: RasterPage, lines: list[OcrLine], as_json: bool) -> None:
    """A page's lines as one JSON line (page, width, height, lines of text, score, box: four
    corners clockwise from top-left) or as a table with each line's bounding box."""
    width, height = raster.image.size
    if as_json:
        found = [{"text": l.text, "score": round(l.score, 4), "box": [list(p) for p in l.polygon]} for l in lines]
        print(json.dumps({"page": raster.number, "width": width, "height": height, "lines": found},
                         ensure_ascii=False), flush=True)
        return
    table = Table(title=f"page {raster.number} ({width}x{height}): {len(lines)} lines", box=None,
                  header_style="bold", pad_edge=False)
    for column in ("score", "box x0,y0,x1,y1", "text"):
        table.add_column(column, no_wrap=column != "text", overflow="fold")
    for l in lines:
        xs, ys = [p[0] for p in l.polygon], [p[1] for p in l.polygon]
        table.add_row(f"{l.score:.3f}", ",".join(str(round(v)) for v in (min(xs), min(ys), max(xs), max(ys))),
                      Text(l.text))
    Console().print(table)


def _write_overlay(d: Document, number: int | None, target: Path) -> None:
    """The document's page ``number`` (default: its first) drawn as the API's overlay into ``target``."""
    from api.overlay import OVERLAYS, draw_overlay, overlay_shapes

    pages = {p.number: p for p in d.pages}
    number = number or min(pages, default=1)
    if number not in pages or not Path(pages[number].image_path).is_file():
        shown = f"pages {', '.join(map(str, pages))}" if pages else "no page images"
        console.print(f"[red]document {d.id} has no image of page {number} ({shown})[/red]")
        raise typer.Exit(1)
    target.write_bytes(draw_overlay(Path(pages[number].image_path), *overlay_shapes(pages[number], set(OVERLAYS))))
    _say(f"wrote {target}: page {number} of document {d.id} with line, field and line item boxes")


def _print_pages(out: Console, d: Document) -> None:
    pages = Table(title="pages", box=None, header_style="bold", pad_edge=False)
    for column in ("page", "size", "renderer", "lines", "OCR s"):
        pages.add_column(column, no_wrap=True)
    for p in d.pages:
        pages.add_row(str(p.number), f"{p.width}x{p.height}", p.renderer, str(len(p.lines)),
                      f"{p.ocr_seconds:.2f}" if p.ocr_seconds is not None else "")
    out.print(pages)
    if d.pages:
        out.print(f"page images in {Path(d.pages[0].image_path).parent}", markup=False, highlight=False)


def _print_fields(out: Console, d: Document) -> None:
    """A field a row, its whole value wrapped at 80 columns, with the OCR text it was read from
    (when it differs) and its violations below it. Boxes: ``export`` or the API."""
    fields = Table(title="fields", box=None, header_style="bold", pad_edge=False)
    fields.add_column("field", no_wrap=True)
    fields.add_column("value", overflow="fold")
    fields.add_column("conf.", no_wrap=True, justify="right")
    fields.add_column("page", no_wrap=True, justify="right")
    for f in d.fields:
        value = Text(f.value or "")
        if f.raw_text and f.raw_text != f.value:
            value.append(f"\nOCR: {f.raw_text}", style="dim")
        for violation in f.violations:
            value.append(f"\n! {violation}", style="yellow")
        fields.add_row(f.name, value, f"{f.confidence:.2f}" if f.confidence is not None else "", str(f.page or ""))
    out.print(fields)


def _print_line_items(out: Console, d: Document) -> None:
    """A line item a row: its number, cells (a long name wrapped) and confidence."""
    items = Table(title="line items", box=None, header_style="bold", pad_edge=False)
    for column in ("#", "name", "spec.", "unit", "qty", "price", "amount", "rate", "tax", "conf."):
        items.add_column(column, overflow="fold", no_wrap=column not in ("name", "spec."),
                         justify="left" if column in ("name", "spec.", "unit") else "right")
    for i in d.line_items:
        cells = (i.name, i.specification, i.unit, i.quantity, i.unit_price, i.amount, i.tax_rate, i.tax)
        items.add_row(str(i.row), *(Text(c or "") for c in cells), f"{i.confidence:.2f}")
    out.print(items)


@cli.command()
def retry(
    docs: list[str] = typer.Argument(..., help="Document ids or sha256 prefixes (failed or stuck ones)"),
    wait: bool = typer.Option(False, "--wait", help="With a broker: wait until workers finish"),
    timeout: float = typer.Option(600, help="Seconds --wait waits at most"),
) -> None:
    """Run failed (or stuck queued/processing) documents again from their stored upload."""
    settings = _settings(writes=True)
    ids = [_rerunnable(settings, ref) for ref in docs]
    for document_id in ids:
        pipeline.requeue(settings, document_id)
    _run(settings, ids, wait, timeout)


@cli.command()
def reprocess(
    docs: list[str] = typer.Argument(..., help="Document ids or sha256 prefixes"),
    ocr: bool = typer.Option(False, "--ocr", help="Rasterize and OCR again too, not only extract"),
    discard_corrections: bool = typer.Option(False, "--discard-corrections",
                                             help="Drop reviewers' corrections instead of applying them again"),
    wait: bool = typer.Option(False, "--wait", help="With --ocr and a broker: wait until workers finish"),
    timeout: float = typer.Option(600, help="Seconds --wait waits at most"),
) -> None:
    """Extract again from the stored OCR lines (e.g. for a new template version), here; the
    result replaced is kept in the history under its version number. Reviewers' corrections
    are applied again unless discarded; the reprocess is audited with your OS user name."""
    settings = _settings(writes=ocr)
    ids = [_rerunnable(settings, ref, final_ok=True) if ocr else _find(settings, ref).id for ref in docs]
    for document_id in ids:
        review.record_reprocess(settings, document_id, review.os_actor(), ocr, discard_corrections)
    if ocr:
        for document_id in ids:
            pipeline.requeue(settings, document_id)
        _run(settings, ids, wait, timeout)
        return
    for document_id in ids:
        try:
            pipeline.reextract(settings, document_id)
        except ValueError as exc:
            console.print(f"[red]{exc}[/red]")
    _report(settings, ids)
    raise typer.Exit(_exit_code(settings, ids))


@cli.command()
def confirm(docs: list[str] = typer.Argument(..., help="Document ids or sha256 prefixes")) -> None:
    """Confirm that every value a document shows is right: it becomes done, and where its values
    lay is remembered for documents of the same layout. Refused while a required field is
    missing or a rule objects (correct it first). Audited with your OS user name."""
    settings = _settings()

    def confirmed(document: Document) -> str:
        remembered = review.confirm_document(settings, document.id, review.os_actor())
        return (f"confirmed document {document.id} ({document.original_name}): done; the place of "
                f"{len(remembered)} field(s) remembered")

    _each_document(settings, docs, confirmed)


@cli.command("correct-item")
def correct_item(
    doc: str = typer.Argument(..., help="Document id or sha256 prefix"),
    row: int = typer.Argument(..., min=1, help="The line item's row, from 1 as `billflow show` lists them "
                              "(with --add: the row the new one becomes)"),
    cells: list[str] = typer.Argument(None, metavar="CELL=VALUE",
                                      help="Cells to set, e.g. amount=2000.00 tax_rate=13% (an empty VALUE clears "
                                      "the cell): name, specification, unit, quantity, unit_price, amount, tax_rate, tax"),
    delete: bool = typer.Option(False, "--delete", help="Remove the row (one the table should not have)"),
    add: bool = typer.Option(False, "--add", help="Add a row the table missed, with these cells, as row ROW"),
) -> None:
    """Correct one line item of a document (a misread quantity or amount), delete a spurious one
    or add a missing one. Each cell is parsed as extraction reads it, the row kept at confidence
    1.0, and the rules on items and the document's review judged again (done when no reason
    remains). Kept and made again whenever the document is reprocessed (unless
    --discard-corrections); audited with your OS user name."""
    given = _item_cells(cells or [])
    if delete and (add or given):
        raise typer.BadParameter("--delete takes no cells and no --add", param_hint="--delete")
    if not delete and not given:
        raise typer.BadParameter("give at least one CELL=VALUE", param_hint="CELL=VALUE")
    change = ItemCorrection("delete" if delete else "add" if add else "correct", row, given)
    settings = _settings()

    def changed(document: Document) -> str:
        detail, status = review.correct_items(settings, document.id, change, review.os_actor())
        done = {"add": "added", "delete": "deleted", "correct": "corrected"}[change.action]
        cells_now = ", ".join(f"{c}={v}" for c, v in (detail["new"] or {}).items() if v is not None)
        return (f"line item {detail['row']} of document {document.id} ({document.original_name}) {done}"
                f"{f': {cells_now}' if cells_now and change.action == 'correct' else ''}; it is {status.value}")

    _each_document(settings, [doc], changed)


def _item_cells(pairs: list[str]) -> dict[str, str]:
    """``CELL=VALUE`` arguments as cell → value (exit 2 for one without ``=``)."""
    if bad := [p for p in pairs if "=" not in p]:
        raise typer.BadParameter(f"{bad[0]!r} is not CELL=VALUE", param_hint="CELL=VALUE")
    return dict(p.split("=", 1) for p in pairs)


@cli.command()
def delete(docs: list[str] = typer.Argument(..., help="Document ids or sha256 prefixes")) -> None:
    """Delete documents for good: their rows, page images and stored upload, with the documents
    split out of their upload. The deletion is audited with your OS user name."""
    settings = _settings()

    def deleted(document: Document) -> str:
        ids = review.delete_document(settings, document.id, review.os_actor())
        parts = f" and the {len(ids) - 1} split out of its upload" if len(ids) > 1 else ""
        return f"deleted document {document.id} ({document.original_name}){parts}"

    _each_document(settings, docs, deleted)


def _each_document(settings: Settings, refs: list[str], act: Callable[[Document], str]) -> None:
    """``act`` on each document ``refs`` name, in turn, printing what it says; a document it may
    not act on (``review.Conflict``) or a value it refuses (``InvalidCorrection``) is said and
    ends the command with exit status 1."""
    for ref in refs:
        document = _find(settings, ref)
        try:
            said = act(document)
        except (review.Conflict, InvalidCorrection) as exc:
            _say(str(exc), style="red")
            raise typer.Exit(1) from None
        console.print(said, markup=False)


def _find(settings: Settings, ref: str) -> Document:
    with session_scope(settings.database_url) as session:
        try:
            return repo.find_document(session, ref)
        except LookupError as exc:
            console.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from None


def _rerunnable(settings: Settings, ref: str, final_ok: bool = False) -> int:
    """The id of a document that can run again from its stored upload (else exit 1)."""
    document = _find(settings, ref)
    problem = review.whole_upload_problem(document)
    if not problem and not final_ok and document.status in (Status.done, Status.needs_review):
        problem = f"document {document.id} is {document.status.value}: `billflow reprocess` runs it again"
    elif not problem and not pipeline.original_path(settings, document.sha256).exists():
        problem = f"document {document.id} was never stored ({document.error or 'its upload is missing'}): submit the file again"
    if problem:
        console.print(f"[red]{problem}[/red]")
        raise typer.Exit(1)
    return document.id


@cli.command("list")
def list_documents(
    status: Status | None = typer.Option(None, help="Only documents with this status"),
    limit: int = typer.Option(100),
) -> None:
    """Documents, newest first."""
    settings = _settings()
    with session_scope(settings.database_url) as session:
        _print_table(repo.list_documents(session, status, limit))


@cli.command()
def export(
    fmt: ExportFormat = typer.Option(ExportFormat.jsonl, "--format"),
    output: Path | None = typer.Option(None, "--output", "-o", help="File to write (default: stdout)"),
    status: Status | None = typer.Option(None),
    long: bool = typer.Option(False, "--long", help="CSV: a row per field instead of a row per document"),
    items: bool = typer.Option(False, "--items", help="CSV: a row per line item (an invoice's goods table) of "
                               "the documents that have them"),
    excel: bool = typer.Option(False, "--excel", help="CSV: begin with a UTF-8 byte order mark (Excel then reads "
                               "Chinese text right)"),
) -> None:
    """Export documents as JSON lines (a document a line, every detail) or as CSV for
    spreadsheets: a row a document with a column per field (see workers/spreadsheet.py)."""
    if long and items:
        raise Problem("--long and --items are two different tables: give one of them")
    settings = _settings()
    handle = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        with session_scope(settings.database_url) as session:
            records = [document_record(d) for d in reversed(repo.list_documents(session, status, limit=1_000_000))]
        if fmt is ExportFormat.jsonl:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            handle.write(BOM if excel else "")
            write_csv(handle, records, long=long, items=items)
    finally:
        if output:
            handle.close()


cli.command("eval")(evaluate_command)
cli.command("calibrate")(calibrate_command)
cli.add_typer(templates_app, name="templates")


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
