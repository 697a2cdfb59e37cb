"""``billflow watch DIR``: a consume folder. Files dropped into DIR (not its subfolders) are
processed once they stop growing: through the workers when a broker is set, else here.

A file is read once its size and modification time have not changed for ``settle`` seconds
(files whose name starts with ``.`` are a writer's temporary files and wait for their rename;
files without a PDF or image extension are skipped). Its bytes are submitted like ``billflow
process`` does: the documents table knows every sha256 it has seen, so a file whose bytes are
final already — after a restart, or a copy under another name — is not processed again. With
``move`` each original goes, once its upload is final, to ``DIR/done/``, ``DIR/needs_review/``
or ``DIR/failed/`` (the least good status of the documents in it), renamed ``name (2).pdf``
when the name is taken. Ctrl-C (or SIGTERM) stops it; a document cut off mid-way is left
queued and runs when the watcher starts again.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import watchfiles

from db import repo
from db.models import Document, Status
from db.session import session_scope
from workers import pipeline
from workers.rasterize import DOCUMENT_SUFFIXES
from workers.settings import Settings

OUTCOME_ORDER = (Status.done, Status.needs_review, Status.failed)  # least good last
TICK_MS = 500  # how often growing files and the workers' progress are looked at
Signature = tuple[int, int]  # size, modification time (ns)


@dataclass
class ConsumeFolder:
    """The state of one ``billflow watch`` run."""

    settings: Settings
    folder: Path
    say: Callable[[str], None]
    doc_type: str | None = None
    move: bool = False
    settle_s: float = 2.0
    changing: dict[Path, tuple[Signature, float]] = field(default_factory=dict)  # file → its signature, seen since
    handled: dict[Path, Signature] = field(default_factory=dict)  # files left in place, as they were handled
    with_workers: dict[int, Path] = field(default_factory=dict)  # document → file, queued and not final yet
    running: int | None = None  # the document being processed here

    def run(self) -> None:
        """Watch until Ctrl-C or SIGTERM: process the files there now, then each that lands."""
        previous = signal.signal(signal.SIGTERM, _interrupt)
        try:
            for _changes in watchfiles.watch(self.folder, recursive=False, rust_timeout=TICK_MS, yield_on_timeout=True,
                                             watch_filter=None):
                self.tick()
        except KeyboardInterrupt:
            self.stopped()
        finally:
            signal.signal(signal.SIGTERM, previous)

    def tick(self) -> None:
        """Handle every file that has stopped growing; move the originals whose workers finished."""
        for path in self.settled_files():
            self.handle(path)
        for document_id in self.finished(list(self.with_workers)):
            self.conclude(document_id, self.with_workers.pop(document_id))

    def settled_files(self) -> Iterator[Path]:
        """The folder's document files that have not changed for ``settle_s`` seconds and were not
        handled as they are; a file with another extension is said once to be skipped."""
        now, listed = time.monotonic(), sorted(self.folder.iterdir())
        for gone in set(self.changing) - set(listed):  # removed before it settled
            del self.changing[gone]
        for path in listed:
            try:
                if path.name.startswith(".") or not path.is_file():
                    continue
                stat = path.stat()
            except OSError:  # gone between listing and looking
                continue
            signature = (stat.st_size, stat.st_mtime_ns)
            if self.handled.get(path) == signature:
                continue
            if path.suffix.lower() not in DOCUMENT_SUFFIXES:
                self.say(f"skipped {path.name}: not a PDF or image (by its extension)")
                self.handled[path] = signature
                continue
            seen, since = self.changing.get(path, (None, now))
            if seen != signature:
                self.changing[path] = (signature, now)
            elif now - since >= self.settle_s:
                del self.changing[path]
                self.handled[path] = signature
                yield path

    def handle(self, path: Path) -> None:
        """Submit a settled file; run it (here or through the workers) unless its bytes are final already."""
        try:
            submitted = pipeline.submit_path(self.settings, path, self.doc_type)
        except OSError as exc:
            self.say(f"skipped {path.name}: cannot be read ({exc.strerror})")
            return
        document_id = submitted.document_id
        if submitted.status.is_final and not submitted.created:
            self.conclude(document_id, path, f"already processed as document {document_id}")
        elif submitted.status.is_final:
            self.conclude(document_id, path)
        elif self.settings.broker_url:
            self.enqueue(document_id, path)
        else:
            self.process_here(document_id)
            self.conclude(document_id, path)

    def enqueue(self, document_id: int, path: Path) -> None:
        from workers.tasks import process_document

        process_document.delay(document_id)
        self.say(f"{path.name}: queued as document {document_id}")
        self.with_workers[document_id] = path

    def process_here(self, document_id: int) -> None:
        from workers.engine import get_engine

        self.running = document_id
        pipeline.process_in_process(self.settings, lambda: get_engine(self.settings), document_id)
        self.running = None

    def finished(self, ids: list[int]) -> list[int]:
        """Those of ``ids`` whose document is final."""
        if not ids:
            return []
        with session_scope(self.settings.database_url) as session:
            return [i for i in ids if repo.get_document(session, i).status.is_final]

    def conclude(self, document_id: int, path: Path, note: str | None = None) -> None:
        """Say how the upload ended and, with ``move``, move its original to that status's folder."""
        with session_scope(self.settings.database_url) as session:
            document = repo.get_document(session, document_id)
            status, summary = upload_status(document), note or outcome(document)
        moved = ""
        if self.move:
            try:
                target = move_into(path, self.folder / status.value)
            except OSError as exc:
                moved = f" (not moved: {exc.strerror})"
            else:
                self.handled.pop(path, None)
                moved = f" → {target.relative_to(self.folder)}"
        self.say(f"{path.name}: {summary}{moved}")

    def stopped(self) -> None:
        """After Ctrl-C: the document cut off is queued again; say what is left."""
        left = []
        if self.running is not None:
            pipeline.requeue(self.settings, self.running)
            left.append(f"document {self.running} was cut off and is left queued")
        if self.with_workers:
            left.append(f"{len(self.with_workers)} document(s) are still with the workers; their files stay here")
        tail = f": {'; '.join(left)}; they are finished when the watcher runs again" if left else ""
        self.say(f"stopped watching {self.folder}{tail}")


def _interrupt(_signum, _frame) -> None:
    raise KeyboardInterrupt


def upload_status(document: Document) -> Status:
    """The least good status among the upload's documents (itself and those split out of it)."""
    return max((document.status, *(p.status for p in document.parts)), key=OUTCOME_ORDER.index)


def outcome(document: Document) -> str:
    """One line: the document, its status and type, and why it failed or needs review."""
    parts = f" and {len(document.parts)} more split out of it" if document.parts else ""
    kind = f" ({document.doc_type})" if document.doc_type else ""
    why = document.error or "; ".join(document.review_reasons[:2])
    return f"document {document.id}{parts} {document.status.value}{kind}" + (f": {why}" if why else "")


def move_into(path: Path, folder: Path) -> Path:
    """Move ``path`` into ``folder`` (created), as ``name (2).ext`` and so on when taken."""
    folder.mkdir(exist_ok=True)
    target, n = folder / path.name, 1
    while target.exists():
        n += 1
        target = folder / f"{path.stem} ({n}){path.suffix}"
    os.replace(path, target)
    return target
