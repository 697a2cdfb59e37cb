"""Submitting uploads: content-addressed, idempotent, and bad input recorded as failed."""

from __future__ import annotations

import hashlib

from db import repo
from db.models import Status
from db.session import session_scope
from workers import pipeline
from workers.pipeline import safe_display_name, submit_bytes, submit_path

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_same_bytes_give_the_same_document_and_are_stored_by_hash(settings):
    first = submit_bytes(settings, PNG, "scan.png")
    second = submit_bytes(settings, PNG, "other-name.png")
    assert (first.created, second.created) == (True, False)
    assert first.document_id == second.document_id and first.status == Status.queued
    stored = pipeline.original_path(settings, hashlib.sha256(PNG).hexdigest())
    assert stored.read_bytes() == PNG and stored.is_relative_to(settings.data_dir)


def test_client_file_names_are_metadata_only(settings):
    hostile = "../../etc/passwd\udcff" + "x" * 300
    submitted = submit_bytes(settings, PNG, hostile)
    with session_scope(settings.database_url) as session:
        name = repo.get_document(session, submitted.document_id).original_name
    assert "/" not in name and len(name) <= 255 and name.startswith("passwd")
    assert not (settings.data_dir.parent / "etc").exists()
    assert safe_display_name("C:\\scans\\a.pdf") == "a.pdf" and safe_display_name("") == "unnamed"


def test_empty_and_unknown_files_fail_at_once_with_a_reason(settings):
    empty = submit_bytes(settings, b"", "empty.pdf")
    html = submit_bytes(settings, b"<html></html>", "page.pdf")
    assert (empty.status, html.status) == (Status.failed, Status.failed)
    with session_scope(settings.database_url) as session:
        assert repo.get_document(session, empty.document_id).error == "empty file"
        assert "not a PDF or image" in repo.get_document(session, html.document_id).error


def test_a_file_over_the_size_limit_is_recorded_without_being_stored(settings, tmp_path):
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * 2_000_000)
    limited = settings.model_copy(update={"max_file_mb": 1})
    submitted = submit_path(limited, big)
    assert submitted.status == Status.failed
    with session_scope(settings.database_url) as session:
        assert "larger than the limit of 1 MB" in repo.get_document(session, submitted.document_id).error
    assert not (settings.data_dir / "originals").exists()


def test_rasterizing_a_broken_pdf_marks_only_that_document_failed(settings):
    broken = submit_bytes(settings, b"%PDF-1.7\n1 0 obj <<", "broken.pdf")
    good = submit_bytes(settings, PNG[:8] + b"bad", "bad.png")
    assert pipeline.rasterize_document(settings, broken.document_id) == []
    assert pipeline.rasterize_document(settings, good.document_id) == []
    with session_scope(settings.database_url) as session:
        document = repo.get_document(session, broken.document_id)
        assert document.status == Status.failed and document.error.startswith("broken PDF")
