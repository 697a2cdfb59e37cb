"""Hostile and broken uploads (the corpus of ``tools/hostile.py``): each fails with a clear
one-line reason or, when it is in fact a valid image, is rasterized; nothing lands outside the
data directory."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pypdfium2
import pytest
import redis.exceptions

from db import repo
from db.models import Status
from db.session import session_scope
from tests.conftest import REPO
from workers import pipeline
from workers.rasterize import BadDocument, Limits, rasterize
from workers.reasons import failure_reason

MAX_PAGES = 5
INTERNALS = re.compile(r"0x[0-9a-f]{6}|<[\w.]+ object|OpenCV|Traceback|\.py\b|/\w+/\w+")  # addresses, paths


def assert_our_words(reason: str) -> None:
    """One line a person can act on: no object address, library path or traceback."""
    assert "\n" not in reason and len(reason) <= 500 and not INTERNALS.search(reason), reason


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The corpus written by the tool itself (``python -m tools.hostile``)."""
    folder = tmp_path_factory.mktemp("hostile")
    subprocess.run([sys.executable, "-m", "tools.hostile", str(folder), "--max-pages", str(MAX_PAGES)],
                   cwd=REPO, check=True, capture_output=True)
    return folder


def cases(corpus: Path) -> list[dict]:
    return json.loads((corpus / "manifest.json").read_text())


def test_every_case_fails_with_its_reason_or_is_rasterized(corpus, settings, tmp_path):
    limited = settings.model_copy(update={"max_pages": MAX_PAGES})
    for case in cases(corpus):
        submitted = pipeline.submit_bytes(limited, (corpus / case["file"]).read_bytes(), case["name"])
        numbers = pipeline.rasterize_document(limited, submitted.document_id)
        with session_scope(settings.database_url) as session:
            document = repo.get_document(session, submitted.document_id)
            status, error, name = document.status, document.error, document.original_name
        if case["expect"] == "failed":
            assert status == Status.failed and case["reason"] in error, (case, error)
            assert_our_words(error)
        else:
            assert status == Status.processing and numbers == [1], (case, error)
        assert "/" not in name and len(name) <= 255 and name.isprintable()
    written = {p for p in tmp_path.rglob("*") if p.is_file()}
    assert all(p.is_relative_to(settings.data_dir) or p.name.startswith("billflow.db") for p in written)


def test_the_encrypted_pdf_is_real_and_opens_with_its_password(corpus):
    data = (corpus / "encrypted.pdf").read_bytes()
    document = pypdfium2.PdfDocument(data, password="secret")
    assert len(document) == 1
    assert "SECRET 7" in document[0].get_textpage().get_text_range()
    document.close()


def test_a_pdf_without_pages_is_not_called_encrypted_after_an_encrypted_one(corpus):
    """PDFium leaves its last error in place when a page-less PDF fails to load."""
    for name, reason in [("encrypted.pdf", "encrypted PDF"), ("no-pages.pdf", "no pages"), ("encrypted.pdf", "encrypted PDF")]:
        with pytest.raises(BadDocument, match=reason):
            rasterize((corpus / name).read_bytes())


def test_tiff_page_count_is_checked_before_any_page_is_decoded(corpus):
    with pytest.raises(BadDocument, match=f"{MAX_PAGES + 1} pages, more than the limit of {MAX_PAGES}"):
        rasterize((corpus / "many-pages.tiff").read_bytes(), limits=Limits(max_pages=MAX_PAGES))


@pytest.mark.parametrize("name,size", [("one-pixel.png", (1, 1)), ("rgb16.png", (8, 8)), ("animated.gif", (360, 80))])
def test_valid_odd_images_become_one_rgb_page(corpus, name, size):
    pages = rasterize((corpus / name).read_bytes())
    assert [(p.number, p.image.mode, p.image.size) for p in pages] == [(1, "RGB", size)]


@pytest.mark.ocr
@pytest.mark.parametrize("name,size", [("strip-tall.png", (1, 50_000)), ("strip-wide.png", (50_000, 1))])
def test_a_one_pixel_strip_is_read(corpus, settings, ocr_engine, name, size):
    submitted = pipeline.submit_bytes(settings, (corpus / name).read_bytes(), name)
    status = pipeline.process_in_process(settings, lambda: ocr_engine, submitted.document_id)
    with session_scope(settings.database_url) as session:
        document = repo.get_document(session, submitted.document_id)
        assert status == Status.needs_review and document.error is None, document.error
        assert [(p.width, p.height) for p in document.pages] == [size]


def test_unexpected_errors_are_named_in_our_words_and_their_details_kept(corpus, settings):
    try:
        cv2.resize(np.zeros((1, 50_000), np.uint8), None, fx=0.01, fy=0.01)  # what a strip once met
    except cv2.error as exc:
        reason = failure_reason(exc)
    assert reason.startswith("cv2.error: an unexpected error stopped it") and "error detail" in reason
    assert_our_words(reason)
    broker_gone = failure_reason(redis.exceptions.ConnectionError("Error 111 connecting to localhost:6379."))
    assert broker_gone.startswith("ConnectionError: the broker or a server could not be reached")

    submitted = pipeline.submit_bytes(settings, (corpus / "dotdot.png").read_bytes(), "scan.png")
    with session_scope(settings.database_url) as session:
        blocker = pipeline.page_dir(settings, repo.get_document(session, submitted.document_id).sha256)
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("a file where the page folder belongs")  # a broken data directory
    assert pipeline.process_in_process(settings, lambda: None, submitted.document_id) == Status.failed
    with session_scope(settings.database_url) as session:
        document = repo.get_document(session, submitted.document_id)
        assert document.error == ("FileExistsError: a file in the data directory could not be written or read "
                                  "(File exists); check BILLFLOW_DATA_DIR")
        assert str(blocker) in document.error_detail and "Traceback" in document.error_detail
