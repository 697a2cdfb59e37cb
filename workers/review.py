"""People's acts on documents, audited: corrections, confirmations, reprocessing and deletion
(API and CLI alike).

A correction (of a field, or a change to the line items) is applied by the core's
``apply_corrections`` to the stored fields and line items and saved by the pipeline's
``save_result``, as an extraction is; ``field_corrections`` (``line_item_corrections``) keeps
it, and it is applied again whenever the document is extracted again until a reprocess
discards it. A confirmation (every value shown is right) teaches the document's layout: where
its confirmed values lay is kept in ``layout_examples`` for later extractions
(``pipeline.layout_memory``). Who did what is recorded in ``audit_events``.
"""

from __future__ import annotations

import getpass
import os
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path

from db import repo
from db.models import Document, Status
from db.session import session_scope
from extractors.corrections import PERSON, ItemCorrection
from extractors.extract import Extraction
from extractors.items import LineItem
from extractors.template import load_templates
from workers.pipeline import corrected, original_path, page_dir, save_result, stored_result
from workers.settings import Settings


class Conflict(RuntimeError):
    """The document is in no state for this request (being processed, no template, a part)."""


@dataclass(frozen=True)
class Actor:
    """Who acts: ``name`` as recorded, ``via`` ``api`` or ``cli``, and for the API the user its
    token names (None for a bare token: ``name`` is then what the caller said it is)."""

    name: str
    via: str
    token_user: str | None = None

    def record(self, session, document_id: int, action: str, **detail) -> None:
        repo.record_event(session, document_id, action, self.name, via=self.via, token_user=self.token_user, **detail)


def os_actor() -> Actor:
    """The person at the command line: the operating system's user."""
    try:
        return Actor(getpass.getuser(), "cli")
    except (OSError, KeyError):  # no user name for this uid (a bare container)
        return Actor(f"uid {os.getuid()}", "cli")


def correct_field(settings: Settings, document_id: int, name: str, text: str, actor: Actor) -> None:
    """Set field ``name`` to a person's ``text``: parsed as the field's kind (InvalidCorrection
    when it is not one), kept at confidence 1.0, the fields derived from it derived again, every
    field validated and the status judged again (done when no reason remains). Recorded: the
    correction (applied again on every later extraction) and an audit event naming the fields
    derived from it that changed. LookupError: no such document; Conflict: not correctable."""
    with session_scope(settings.database_url) as session:
        document = repo.get_document(session, document_id, lock=True)
        _check_reviewable(document, "corrected")
        before = stored_result(document)
        after = corrected(before, [(name, text)], settings.done_confidence, strict=True)
        save_result(session, document, after)
        old, new = (before.fields[name].value if name in before.fields else None), after.fields[name].value
        repo.add_correction(session, document.id, name, old, new, actor.name)
        actor.record(session, document.id, "correct", field=name, old=old, new=new,
                     derived=_changed(before.fields, after.fields, besides=name))


def correct_items(settings: Settings, document_id: int, change: ItemCorrection, actor: Actor) -> tuple[dict, Status]:
    """Make a person's ``change`` to the document's line items (a row's cells set, a spurious
    row deleted, a missing row added): each cell parsed as extraction reads it (InvalidCorrection
    when it is not a value of its kind, or the row or cell is unknown), the row kept at
    confidence 1.0, the rows numbered from 1 again, the rules on items and every field judged
    again and the status with them (done when no reason remains). Recorded: the change (made
    again on every later extraction) and an audit event ``correct_item``; returns the event's
    detail (``change``, ``row``, the cells ``old`` and ``new``, None for no row) and the status.
    LookupError: no such document; Conflict: not correctable."""
    with session_scope(settings.database_url) as session:
        document = repo.get_document(session, document_id, lock=True)
        _check_reviewable(document, "corrected")
        before = stored_result(document)
        after = corrected(before, [], settings.done_confidence, strict=True, item_changes=[change])
        save_result(session, document, after)
        detail = _item_trail(change, before.line_items, after.line_items)
        given = {cell: detail["new"][cell] for cell in change.cells} if detail["new"] else {}
        repo.add_item_correction(session, document.id, change.action, change.row, given, detail["old"], actor.name)
        actor.record(session, document.id, "correct_item", **detail)
        return detail, document.status


def _item_trail(change: ItemCorrection, before: list[LineItem], after: list[LineItem]) -> dict:
    """What the audit trail says of a change made: its kind, the row (an added one's number)
    and its cells before and after (those given for a correction; None: no row)."""
    if change.action == "add":
        row = change.row or len(after)
        return {"change": "add", "row": row, "old": None, "new": after[row - 1].cells()}
    old = next(item for item in before if item.row == change.row).cells()
    if change.action == "delete":
        return {"change": "delete", "row": change.row, "old": old, "new": None}
    new = after[change.row - 1].cells()
    return {"change": "correct", "row": change.row, "old": {c: old[c] for c in change.cells},
            "new": {c: new[c] for c in change.cells}}


def confirm_document(settings: Settings, document_id: int, actor: Actor) -> list[str]:
    """A person says every value the document shows is right: its fields and line items are kept
    at confidence 1.0 and it becomes done (a later extraction judges its values afresh: unlike a
    correction, a confirmation is of the values shown). Where the extraction found the values
    the person confirmed as they were (those no correction changed) is saved as the document's
    layout example, replacing the one it had. Audited; returns the fields whose place was
    remembered. LookupError: no such document; Conflict: not processed, no template, or a
    required field missing or a value a rule objects to (the person corrects it first)."""
    with session_scope(settings.database_url) as session:
        document = repo.get_document(session, document_id, lock=True)
        _check_reviewable(document, "confirmed")
        before = stored_result(document)
        sure = _sure(before)
        if objections := _objections(document, corrected(sure, [], settings.done_confidence).reasons):
            raise Conflict(f"document {document.id} cannot be confirmed until it is corrected: {'; '.join(objections)}")
        save_result(session, document, replace(sure, reasons=[]))
        remembered = _remember_layout(session, document, before, actor)
        actor.record(session, document.id, "confirm", remembered=remembered)
        return remembered


def _check_reviewable(document: Document, done_to_it: str) -> None:
    """Conflict unless a person can review the document: processed, of a type with a template."""
    if document.status not in (Status.done, Status.needs_review):
        raise Conflict(f"document {document.id} is {document.status.value}: only processed documents can be {done_to_it}")
    if load_templates().get(document.doc_type or "") is None:
        raise Conflict(f"document {document.id} has no template to check its values against")


def _sure(result: Extraction) -> Extraction:
    """``result`` with every field and line item at a person's confidence."""
    return replace(result, fields={n: replace(f, confidence=PERSON) for n, f in result.fields.items()},
                   line_items=[replace(i, confidence=PERSON) for i in result.line_items])


def _objections(document: Document, standing: list[str]) -> list[str]:
    """The document's review reasons that still stand once every value is a person's
    (``standing``: a required field missing, a rule or the schema objecting) and its fields'
    violations (a doubt about a reading among them)."""
    violations = [f"{f.name}: {v}" for f in document.fields for v in f.violations]
    return list(dict.fromkeys([r for r in document.review_reasons if r in standing] + violations))


def _remember_layout(session, document: Document, shown: Extraction, actor: Actor) -> list[str]:
    """Save the document's layout example with the boxes of the fields ``shown`` with the value
    its latest extraction found there; those fields (none when it read no layout)."""
    reading = document.layout_reading
    if reading is None:
        return []
    example, found = reading["example"], reading["values"]
    kept = sorted(n for n in example["boxes"] if n in shown.fields and n in found and found[n] == shown.fields[n].value)
    repo.save_layout_example(session, document.id, example["doc_type"],
                             {**example, "boxes": {n: example["boxes"][n] for n in kept}}, actor.name)
    return kept


def _changed(before: dict, after: dict, besides: str) -> dict[str, list[str | None]]:
    """Fields other than ``besides`` whose value changed: name → [old, new] (None: absent)."""
    values = {n: [before[n].value if n in before else None, after[n].value if n in after else None]
              for n in {*before, *after} - {besides}}
    return {n: pair for n, pair in sorted(values.items()) if pair[0] != pair[1]}


def whole_upload_problem(document: Document) -> str | None:
    """Why the document cannot be rasterized and read again on its own: it is a part of an
    upload (its pages are read with the upload's); None when it can."""
    if document.parent_id is None:
        return None
    return (f"document {document.id} is pages {document.first_page}-{document.last_page} of document "
            f"{document.parent_id}'s upload: reprocess document {document.parent_id}")


def record_reprocess(settings: Settings, document_id: int, actor: Actor, ocr: bool, discard_corrections: bool) -> None:
    """Record that ``actor`` reprocesses the document (``ocr``: rasterized and read again, else
    extracted again from its stored lines); with ``discard_corrections`` the reviewers' values
    are no longer applied (they stay in the trail). The parts split out of its upload are
    extracted again with it, so the same holds for them (a part is read again with its upload:
    see ``whole_upload_problem``)."""
    with session_scope(settings.database_url) as session:
        document = repo.get_document(session, document_id, lock=True)
        for target in (document, *repo.parts_of(session, document.id)):
            discarded = repo.discard_corrections(session, target.id) if discard_corrections else []
            upload = {"with_document": document.id} if target is not document else {}
            actor.record(session, target.id, "reprocess", ocr=ocr, discard_corrections=discard_corrections,
                         discarded=discarded, **upload)


def delete_document(settings: Settings, document_id: int, actor: Actor) -> list[int]:
    """Delete the document and the documents split out of its upload: their rows (pages, lines,
    fields, history, corrections), page images and stored upload; ``audit_events`` keeps who
    deleted what. The ids deleted. LookupError: no such document; Conflict: being processed."""
    with session_scope(settings.database_url) as session:
        document = repo.get_document(session, document_id, lock=True)
        if document.status == Status.processing:
            raise Conflict(f"document {document.id} is being processed: delete it once it has finished")
        doomed = [document, *repo.parts_of(session, document.id)]
        files = {original_path(settings, d.sha256) for d in doomed}
        files |= {Path(p.image_path) for d in doomed for p in d.pages}
        for target in doomed:
            upload = {"with_document": document.id} if target is not document else {}
            actor.record(session, target.id, "delete", name=target.original_name, sha256=target.sha256,
                         status=target.status.value, **upload)
        repo.delete_documents(session, [d.id for d in doomed])
        files -= {Path(p) for p in repo.images_in_use(session, map(str, files))}
    for path in files:
        path.unlink(missing_ok=True)
    for target in doomed:
        with suppress(OSError):  # not there, or still holding another document's images
            page_dir(settings, target.sha256).rmdir()
    return [d.id for d in doomed]
