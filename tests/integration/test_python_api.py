"""``billflow.process`` on the examples with the real OCR: in memory and through a database."""

from __future__ import annotations

import pytest

import billflow
from db import repo
from db.session import session_scope
from tests.conftest import EXAMPLES, MODEL_CACHE
from tests.truth import truth_fields
from workers.settings import get_settings

pytestmark = pytest.mark.ocr
WAYBILL_PDF = EXAMPLES / "waybill_2pages.pdf"  # two waybills, one a page
PHOTO = EXAMPLES / "waybill_photo.jpg"


@pytest.fixture(autouse=True)
def environment(monkeypatch, tmp_path, ocr_engine):
    """The session's engine as this process's, defaults under tmp_path (the working directory too)."""
    for name in ("BILLFLOW_DATABASE_URL", "BILLFLOW_BROKER_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BILLFLOW_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BILLFLOW_MODEL_DIR", str(MODEL_CACHE))
    monkeypatch.setattr("workers.engine._engine", ocr_engine)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def values(document: billflow.Document) -> dict[str, str]:
    return {name: f.value for name, f in document.fields.items()}


def test_a_photo_as_bytes_gives_its_fields_with_provenance_and_its_lines(tmp_path):
    result = billflow.process(PHOTO.read_bytes())
    assert result.doc_type == "courier_waybill" and result.status in ("done", "needs_review")
    expected = truth_fields(PHOTO)
    for name in ("tracking_number", "receiver_name", "receiver_phone", "receiver_address", "date"):
        assert result.fields[name].value == expected[name], name
    date = result.fields["date"]
    assert date.normalized == expected["date"] and date.page == 1 and 0 < date.confidence <= 1
    x0, y0, x1, y1 = date.bbox
    assert x0 < x1 and y0 < y1
    assert any(date.raw_text in line.text for line in result.lines)  # read from one of the lines
    assert all(line.page == 1 and len(line.box) == 4 and 0 < line.score <= 1 for line in result.lines)
    assert result.status == "done" or result.review_reasons
    assert (result.id, result.parts, result.documents) == (None, (), (result,))
    assert not (tmp_path / "data").exists() and not (tmp_path / "billflow.db").exists()  # nothing stored


def test_two_waybills_in_one_pdf_are_two_documents_in_memory_and_in_a_database_alike(tmp_path):
    in_memory = billflow.process(WAYBILL_PDF)
    assert [(d.doc_type, d.first_page, d.last_page) for d in in_memory.documents] == [
        ("courier_waybill", 1, 1), ("courier_waybill", 2, 2)]
    numbers = [d.fields["tracking_number"].value for d in in_memory.documents]
    assert numbers[0] == truth_fields(WAYBILL_PDF)["tracking_number"] and numbers[1] != numbers[0]
    assert {line.page for line in in_memory.lines} == {1, 2}

    database_url = f"sqlite:///{tmp_path / 'api.db'}"
    stored = billflow.process(WAYBILL_PDF, database_url=database_url)
    assert stored.id is not None and stored.parts[0].id is not None
    for memory_document, stored_document in zip(in_memory.documents, stored.documents, strict=True):
        assert values(stored_document) == values(memory_document)  # the same steps either way
        assert (stored_document.status, stored_document.review_reasons) == (memory_document.status,
                                                                            memory_document.review_reasons)
        assert stored_document.fields["date"].bbox == pytest.approx(memory_document.fields["date"].bbox, abs=1)
    assert [l.text for l in stored.lines] == [l.text for l in in_memory.lines]

    again = billflow.process(WAYBILL_PDF.read_bytes(), database_url=database_url)
    assert again == stored  # the same bytes: the stored document, not processed again
    with session_scope(database_url) as session:
        document = repo.get_document(session, stored.id)
        assert document.extraction_version == 1 and document.original_name == WAYBILL_PDF.name
