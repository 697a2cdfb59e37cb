"""A sheet-feeder batch: an upload holding several documents is split into documents of their
own, each with its page range, shown by ``billflow show``, exported and re-split when processed
again (in-process, on SQLite, with a stand-in OCR engine that reads given lines off each page)."""

from __future__ import annotations

import dataclasses
import io
import json

import pytest
from PIL import Image

from db import repo
from db.models import Status
from db.session import session_scope
from tests.unit.cli_runner import billflow_cli
from tests.unit.lines_factory import page
from workers import pipeline

SF = page("顺丰速运", "运单号：SF1336350168549", "收件人：孙桂英 18796806168", "地址：江苏省南京市鼓楼区虎踞路183号",
          "寄件人：姚丽娟 18525122203", "地址：河南省郑州市金水区农业路363号", "寄件日期：2025-02-26 运费：¥130.00")
JD = page("京东物流", "运单号：JDVB21521354726", "收件人：程俊峰 13255134264", "收件地址：天津市和平区南京路244号",
          "寄件人：余佳琪 15315428501", "寄件地址：北京市海淀区中关村大街619号", "下单时间：2024-07-04 运费：12.50元")
TERMS = page("Terms and conditions of carriage", "1. Liability is limited to the declared value.")


class PagedEngine:
    """Finds no page turn or skew and reads ``PAGES[n]`` off page n."""

    pages: dict[int, list] = {}

    def detect(self, image):
        return []

    def flip_scores(self, image, polygons):
        return []

    def read(self, image, page: int = 1, polygons=None):
        return [dataclasses.replace(line, page=page) for line in PagedEngine.pages[page]]


def tiff(pages: int) -> bytes:
    frames = [Image.new("RGB", (80, 60), (255, 255, 255 - n)) for n in range(pages)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def processed(settings, *pages: list) -> int:
    PagedEngine.pages = dict(enumerate(pages, start=1))
    document_id = pipeline.submit_bytes(settings, tiff(len(pages)), "batch.tif").document_id
    pipeline.process_in_process(settings, PagedEngine, document_id)
    return document_id


def tracking(document) -> str | None:
    return next((f.value for f in document.fields if f.name == "tracking_number"), None)


@pytest.fixture
def cli(settings, monkeypatch):
    with billflow_cli(settings, monkeypatch, PagedEngine(), env={"COLUMNS": "200"}) as run:
        yield run


def test_two_waybills_in_one_upload_are_two_documents_with_their_own_pages(settings, cli):
    upload_id = processed(settings, SF, JD)
    with session_scope(settings.database_url) as session:
        upload = repo.get_document(session, upload_id)
        [part] = upload.parts
        assert (upload.first_page, upload.last_page, upload.page_count, tracking(upload)) == (1, 1, 2, "SF1336350168549")
        assert (part.parent_id, part.first_page, part.last_page, tracking(part)) == (upload_id, 2, 2, "JDVB21521354726")
        assert part.status in (Status.done, Status.needs_review) and part.doc_type == "courier_waybill"
        assert [p.number for p in part.pages] == [2] and [l.text for l in part.pages[0].lines] == [l.text for l in JD]
        assert {f.page for f in part.fields} == {2} and {f.page for f in upload.fields} == {1}
        part_id = part.id

    assert f"pages 2-2 of this upload are document {part_id}" in cli("show", upload_id).stdout
    assert f"pages 2-2 of the upload of document {upload_id}" in cli("show", part_id).stdout
    explained = cli("templates", "explain", upload_id).stdout
    assert "SF1336350168549" in explained and "JDVB21521354726" not in explained  # only its own pages
    records = [json.loads(line) for line in cli("export", "--format", "jsonl").stdout.splitlines()]
    assert [(r["id"], r["parent_id"], r["first_page"], r["last_page"], r["fields"]["tracking_number"]["value"])
            for r in records] == [(upload_id, None, 1, 1, "SF1336350168549"), (part_id, upload_id, 2, 2, "JDVB21521354726")]


def test_a_page_that_continues_a_document_stays_with_it(settings):
    upload_id = processed(settings, SF, TERMS, JD)
    with session_scope(settings.database_url) as session:
        upload = repo.get_document(session, upload_id)
        assert [(d.first_page, d.last_page, tracking(d)) for d in (upload, *upload.parts)] == [
            (1, 2, "SF1336350168549"), (3, 3, "JDVB21521354726")]


def test_processing_again_keeps_a_part_by_its_first_page_and_removes_one_no_longer_found(settings, cli):
    upload_id = processed(settings, SF, JD)
    with session_scope(settings.database_url) as session:
        [part] = repo.get_document(session, upload_id).parts
        part_id = part.id
    assert cli("reprocess", upload_id).exit_code == 0
    with session_scope(settings.database_url) as session:
        [again] = repo.get_document(session, upload_id).parts
        assert (again.id, again.extraction_version, tracking(again)) == (part_id, 2, "JDVB21521354726")

    refused = cli("reprocess", "--ocr", part_id)
    assert refused.exit_code == 1 and f"reprocess document {upload_id}" in refused.output
    PagedEngine.pages[2] = TERMS  # read again, page 2 turns out to continue the first waybill
    assert cli("reprocess", "--ocr", upload_id).exit_code == 0
    with session_scope(settings.database_url) as session:
        upload = repo.get_document(session, upload_id)
        assert upload.parts == [] and (upload.first_page, upload.last_page) == (1, 2)
        assert session.get(type(upload), part_id) is None
        events = repo.events(session, part_id)  # the record outlives the part
        assert [e.action for e in events] == ["reprocess", "reprocess", "part_removed"]
        assert events[0].detail["with_document"] == upload_id and events[-1].detail == {"parent_id": upload_id}
