"""Persistence is idempotent: the same bytes, pages, lines and fields never duplicate."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db import repo
from db.models import Document, Field, OcrLine, Page, Status
from db.session import session_scope


def new_document(session, sha="a" * 64):
    return repo.get_or_create_document(session, sha256=sha, original_name="x.pdf", media_type="application/pdf",
                                       size_bytes=10, requested_type=None)


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def pages(n):
    return [{"number": i, "image_path": f"/p{i}.png", "width": 10, "height": 10, "renderer": "pdfium"} for i in range(1, n + 1)]


def test_same_sha_gives_the_same_document(settings):
    with session_scope(settings.database_url) as session:
        first, created = new_document(session)
        again, created_again = new_document(session)
        assert (created, created_again) == (True, False)
        assert first.id == again.id and first.status == Status.queued
        assert count(session, Document) == 1


def test_saving_pages_lines_and_fields_twice_keeps_one_copy(settings):
    line = {"text": "收件人：张伟", "score": 0.99, "polygon": [[0, 0], [9, 0], [9, 9], [0, 9]], "angle": 0}
    field = {"name": "receiver_name", "value": "张伟", "normalized": "张伟", "raw_text": "收件人：张伟",
             "confidence": 0.9, "page": 1, "bbox": [0, 0, 9, 9], "valid": True, "violations": []}
    for _ in range(2):
        with session_scope(settings.database_url) as session:
            document, _ = new_document(session)
            saved = repo.save_pages(session, document, pages(2))
            repo.save_lines(session, saved[0], [line, line], ocr_seconds=0.5)
            repo.save_fields(session, document, [field])
    with session_scope(settings.database_url) as session:
        assert (count(session, Page), count(session, OcrLine), count(session, Field)) == (2, 2, 1)
        document = session.scalars(select(Document)).one()
        assert document.page_count == 2
        assert [(n, l.index) for n, l in repo.document_lines(session, document.id)] == [(1, 0), (1, 1)]


def test_fewer_pages_on_a_rerun_remove_the_extra_pages_and_their_lines(settings):
    with session_scope(settings.database_url) as session:
        document, _ = new_document(session)
        saved = repo.save_pages(session, document, pages(3))
        repo.save_lines(session, saved[2], [{"text": "t", "score": 1.0, "polygon": [], "angle": 0}], 0.1)
    with session_scope(settings.database_url) as session:
        document = repo.get_document(session, 1)
        repo.save_pages(session, document, pages(1))
    with session_scope(settings.database_url) as session:
        assert (count(session, Page), count(session, OcrLine)) == (1, 0)


def test_find_document_by_id_or_sha_prefix(settings):
    with session_scope(settings.database_url) as session:
        document, _ = new_document(session, sha="abcdef" + "0" * 58)
        new_document(session, sha="abcdff" + "0" * 58)
        assert repo.find_document(session, str(document.id)).id == document.id
        assert repo.find_document(session, "ABCDEF").id == document.id
        with pytest.raises(LookupError):
            repo.find_document(session, "abcd")  # too short and ambiguous
        with pytest.raises(LookupError):
            repo.find_document(session, "999")


def test_list_documents_filters_by_status(settings):
    with session_scope(settings.database_url) as session:
        done, _ = new_document(session, "b" * 64)
        new_document(session, "c" * 64)
        repo.set_status(session, done, Status.done)
    with session_scope(settings.database_url) as session:
        assert [d.sha256[0] for d in repo.list_documents(session)] == ["c", "b"]
        assert [d.sha256[0] for d in repo.list_documents(session, Status.done)] == ["b"]


def test_migrations_build_exactly_the_models_tables(tmp_path):
    """A model change without its migration (or the reverse) breaks every upgraded database."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from db.migrate import upgrade
    from db.models import Base
    from db.session import engine_for

    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    upgrade(url)
    with engine_for(url).connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
