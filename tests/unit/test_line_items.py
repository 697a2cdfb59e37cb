"""Line items (an invoice's goods table) go wherever a document's fields go: stored in their own
table in order, replaced by a new extraction and kept in its history, untouched by a field
correction, deleted with the document, shown by the API, ``billflow show`` and the export, and
returned by ``billflow.process``. The items are given to the pipeline's own ``save_result``
as an extraction gives them (the documents are real ones read by a stand-in OCR engine)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import numpy as np
import pytest
from PIL import Image
from sqlalchemy import func, select

import billflow
from db import repo
from db.migrate import upgrade
from db.models import LineItem as StoredItem
from db.session import session_scope
from extractors.extract import Extraction
from extractors.items import ITEM_COLUMNS, LineItem
from tests.integration.test_api import AUTH, IDLE_BROKER, api
from tests.conftest import REPO
from tests.unit.cli_runner import billflow_cli
from tests.unit.pdf_factory import cjk_font, text_pdf
from tests.unit.test_recovery import StandInEngine, processed
from tests.unit.test_extract_vat_invoice import paper_invoice
from tests.unit.test_split_uploads import JD, SF, PagedEngine, tiff
from tests.unit.test_split_uploads import processed as split_upload
from tests.unit.test_textlayer import WAYBILL
from workers import pipeline, review
from workers.settings import get_settings

ITEMS = [
    LineItem(row=1, name="*信息技术服务*软件开发费", specification="V2.0", unit="项", quantity="1",
             unit_price="1000.00", amount="1000.00", tax_rate="0.06", tax="60.00", page=1,
             bbox=[40.0, 310.5, 1180.0, 342.0], confidence=0.93),
    LineItem(row=2, name="=HYPERLINK(\"http://x\")", specification="0123", unit=None, quantity="2",
             unit_price="-50.00", amount="-100.00", tax_rate=None, tax=None, page=1, bbox=[], confidence=0.41),
    LineItem(row=3, name="*计算机配套产品*鼠标", unit="个", quantity="10", unit_price="25.00", amount="250.00",
             tax_rate="0.13", tax="32.50", page=2, bbox=[40.0, 80.0, 1180.0, 110.0], confidence=0.88),
]
ALICE = review.Actor("alice", "api", "alice")


def give_items(database_url: str, document_id: int, items: list[LineItem]) -> None:
    """Store ``items`` as the document's line items the way an extraction stores its result."""
    with session_scope(database_url) as session:
        document = repo.get_document(session, document_id, lock=True)
        pipeline.save_result(session, document, dataclasses.replace(pipeline.stored_result(document), line_items=items))


def stored_items(database_url: str, document_id: int) -> list[LineItem]:
    with session_scope(database_url) as session:
        return pipeline.stored_result(repo.get_document(session, document_id)).line_items


def item_count(database_url: str) -> int:
    with session_scope(database_url) as session:
        return session.scalar(select(func.count()).select_from(StoredItem))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def database_url(request, tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'items.db'}" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    upgrade(url)
    return url


@pytest.fixture
def cli(settings, monkeypatch):
    with billflow_cli(settings, monkeypatch, StandInEngine()) as run:
        yield run


def test_items_are_stored_in_their_own_table_and_read_back_in_order(database_url):
    with session_scope(database_url) as session:
        document, _ = repo.get_or_create_document(session, sha256="d" * 64, original_name="fapiao.pdf",
                                                  media_type="application/pdf", size_bytes=10, requested_type=None)
        pipeline.save_result(session, document, Extraction("vat_invoice", None, {}, [], line_items=ITEMS))
        document_id = document.id
    assert stored_items(database_url, document_id) == ITEMS
    give_items(database_url, document_id, ITEMS[2:])  # saved again: replaced, never added to
    assert stored_items(database_url, document_id) == ITEMS[2:] and item_count(database_url) == 1


def test_extracting_again_replaces_the_items_and_the_history_keeps_the_old_ones(settings):
    document_id = processed(settings)
    give_items(settings.database_url, document_id, ITEMS)
    assert pipeline.reextract(settings, document_id).value == "done"
    assert stored_items(settings.database_url, document_id) == []  # a waybill has no item table
    with session_scope(settings.database_url) as session:
        [kept] = repo.get_document(session, document_id).extractions
        assert [(i["row"], i["name"], i["amount"]) for i in kept.line_items] == [(i.row, i.name, i.amount) for i in ITEMS]


def test_a_correction_of_a_field_keeps_the_items(settings):
    document_id = processed(settings)
    give_items(settings.database_url, document_id, ITEMS)
    review.correct_field(settings, document_id, "receiver_phone", "13712345678", ALICE)
    assert stored_items(settings.database_url, document_id) == ITEMS


def test_deleting_a_document_deletes_its_items(settings):
    document_id = processed(settings)
    give_items(settings.database_url, document_id, ITEMS)
    review.delete_document(settings, document_id, ALICE)
    assert item_count(settings.database_url) == 0


def test_the_api_shows_a_documents_items_and_an_empty_list_without(settings):
    with api(settings.database_url, settings.data_dir, **IDLE_BROKER) as client:
        with_items, without = processed(settings, colour=1), processed(settings, colour=2)
        give_items(settings.database_url, with_items, ITEMS)
        shown = client.get(f"/documents/{with_items}", headers=AUTH).json()["line_items"]
        assert client.get(f"/documents/{without}", headers=AUTH).json()["line_items"] == []
        schema = client.get("/openapi.json", headers=AUTH).json()["components"]["schemas"]
    assert [i["row"] for i in shown] == [1, 2, 3]
    assert shown[0] == {**ITEMS[0].cells(), "row": 1, "page": 1, "bbox": [40.0, 310.5, 1180.0, 342.0],
                        "confidence": 0.93}
    assert (shown[1]["tax_rate"], shown[1]["bbox"], shown[1]["unit"]) == (None, None, None)
    assert schema["DocumentDetail"]["properties"]["line_items"]["items"]["$ref"].endswith("/LineItemOut")
    assert {"name", "quantity", "unit_price", "amount", "tax_rate", "tax", "bbox"} <= set(schema["LineItemOut"]["properties"])


def test_the_page_overlay_draws_the_item_rows(settings):
    from api.overlay import ITEM_COLOUR

    document_id = processed(settings)  # a 64×48 page
    give_items(settings.database_url, document_id, [dataclasses.replace(ITEMS[0], bbox=[4.0, 10.0, 60.0, 30.0])])
    with api(settings.database_url, settings.data_dir, **IDLE_BROKER) as client:
        drawn = client.get(f"/documents/{document_id}/pages/1", params={"overlay": "items"}, headers=AUTH)
        fields_only = client.get(f"/documents/{document_id}/pages/1", params={"overlay": "fields"}, headers=AUTH)
    assert drawn.status_code == 200
    assert tuple(np.asarray(Image.open(io.BytesIO(drawn.content)).convert("RGB"))[20, 4]) == ITEM_COLOUR
    assert ITEM_COLOUR not in {tuple(c) for c in np.asarray(Image.open(io.BytesIO(fields_only.content)).convert("RGB")).reshape(-1, 3)}


def test_export_writes_items_in_json_and_a_csv_row_per_item_safe_for_spreadsheets(settings, cli):
    with_items, without = processed(settings, colour=1), processed(settings, colour=2)
    give_items(settings.database_url, with_items, ITEMS)
    records = {r["id"]: r for r in map(json.loads, cli("export", "--format", "jsonl").stdout.splitlines())}
    assert [i["name"] for i in records[with_items]["line_items"]] == [i.name for i in ITEMS]
    assert records[with_items]["line_items"][2]["tax"] == "32.50" and records[without]["line_items"] == []

    exported = cli("export", "--format", "csv", "--items")
    assert exported.exit_code == 0, exported.output
    header, *rows = list(csv.reader(io.StringIO(exported.stdout)))
    assert header == ["document_id", "name", "doc_type", "status", "row", "name", "specification", "unit",
                      "quantity", "unit_price", "amount", "tax_rate", "tax", "page", "confidence"]
    assert [(r[0], r[4]) for r in rows] == [(str(with_items), "1"), (str(with_items), "2"), (str(with_items), "3")]
    assert rows[0][5:13] == ["*信息技术服务*软件开发费", "V2.0", "项", "1", "1000.00", "1000.00", "0.06", "60.00"]
    assert rows[1][5:8] == ["'=HYPERLINK(\"http://x\")", '="0123"', ""]  # no formula runs; the leading zero stays
    assert rows[1][9:13] == ["-50.00", "-100.00", "", ""]  # a negative number stays a number

    both = cli("export", "--format", "csv", "--items", "--long")
    assert both.exit_code == 2 and "--long and --items" in both.output


def test_show_prints_the_items_as_a_table_only_when_there_are_some(settings, cli):
    with_items, without = processed(settings, colour=1), processed(settings, colour=2)
    give_items(settings.database_url, with_items, ITEMS)
    shown = cli("show", with_items).stdout.splitlines()
    assert "line items" in [l.strip() for l in shown]
    assert ["3", "*计算机配套产品*鼠标", "个", "10", "25.00", "250.00", "0.13", "32.50", "0.88"] in [l.split() for l in shown]
    assert "line items" not in cli("show", without).stdout


def test_the_documents_of_a_split_upload_keep_their_own_items(settings):
    document_id = split_upload(settings, SF, JD)
    with session_scope(settings.database_url) as session:
        [part] = repo.parts_of(session, document_id)
        part_id = part.id
    give_items(settings.database_url, document_id, ITEMS[:1])
    give_items(settings.database_url, part_id, ITEMS[1:])
    assert stored_items(settings.database_url, document_id) == ITEMS[:1]
    assert stored_items(settings.database_url, part_id) == ITEMS[1:]


@pytest.mark.skipif(cjk_font() is None, reason="no CJK font installed to print Chinese with")
def test_billflow_process_returns_the_items_in_memory_and_from_a_database(monkeypatch, tmp_path):
    for name in ("BILLFLOW_DATABASE_URL", "BILLFLOW_BROKER_URL", "BILLFLOW_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    data, url = text_pdf([WAYBILL], cjk_font()), f"sqlite:///{tmp_path / 'api.db'}"
    assert billflow.process(data).line_items == ()  # a waybill has no item table
    stored = billflow.process(data, database_url=url)
    give_items(url, stored.id, ITEMS)
    again = billflow.process(data, database_url=url)  # final already: the stored result
    get_settings.cache_clear()
    assert [dataclasses.asdict(i) for i in again.line_items] == [
        {**dataclasses.asdict(i), "bbox": tuple(i.bbox) or None} for i in ITEMS]
    assert isinstance(again.line_items[0], billflow.LineItem)
    with pytest.raises(dataclasses.FrozenInstanceError):
        again.line_items[0].amount = "1.00"


def test_a_vat_invoice_read_through_the_pipeline_has_its_goods_table_everywhere(settings, cli, monkeypatch):
    read = [("*计算机外部设备*激光打印机", "HP-M1136", "台", "2", "1000.00", "2000.00", "0.13", "260.00"),
            ("*纸制品*复印纸", "A4", "箱", "3", "100.00", "300.00", "0.13", "39.00")]
    document_id = split_upload(settings, paper_invoice())  # read by a stand-in OCR engine, extracted for real
    with session_scope(settings.database_url) as session:
        document = repo.get_document(session, document_id)
        assert document.doc_type == "vat_invoice"
        assert [(i.row, *(getattr(i, c) for c in ITEM_COLUMNS)) for i in document.line_items] == [
            (n, *cells) for n, cells in enumerate(read, start=1)]
        assert all(i.page == 1 and len(i.bbox) == 4 and i.confidence > 0 for i in document.line_items)
    with api(settings.database_url, settings.data_dir, **IDLE_BROKER) as client:
        shown = client.get(f"/documents/{document_id}", headers=AUTH).json()["line_items"]
    assert [tuple(i[c] for c in ITEM_COLUMNS) for i in shown] == read
    _, *rows = csv.reader(io.StringIO(cli("export", "--format", "csv", "--items").stdout))
    assert [tuple(r[5:13]) for r in rows] == read

    monkeypatch.setattr("workers.engine._engine", PagedEngine())
    for name in ("BILLFLOW_DATABASE_URL", "BILLFLOW_BROKER_URL", "BILLFLOW_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(settings.data_dir.parent)
    get_settings.cache_clear()
    in_memory = billflow.process(tiff(1))
    stored = billflow.process(tiff(1), database_url=f"sqlite:///{settings.data_dir.parent / 'process.db'}")
    get_settings.cache_clear()
    assert [tuple(getattr(i, c) for c in ITEM_COLUMNS) for i in in_memory.line_items] == read
    assert stored.line_items == in_memory.line_items


def test_a_born_digital_vat_invoice_gives_its_printed_items_in_memory_and_stored_alike(monkeypatch, tmp_path):
    invoice = REPO / "tests" / "fixtures" / "generated" / "vat" / "clean" / "vatinvoice_0003.pdf"
    truth = json.loads(invoice.with_suffix(".json").read_text(encoding="utf-8"))["line_items"]
    for name in ("BILLFLOW_DATABASE_URL", "BILLFLOW_BROKER_URL", "BILLFLOW_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    in_memory = billflow.process(invoice)  # read from its text layer: no OCR
    stored = billflow.process(invoice, database_url=f"sqlite:///{tmp_path / 'billflow.db'}")
    get_settings.cache_clear()
    assert [{c: getattr(i, c) for c in ITEM_COLUMNS} for i in in_memory.line_items] == truth
    assert stored.line_items == in_memory.line_items and stored.id is not None
