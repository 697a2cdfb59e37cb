"""A reviewer corrects a cell of a line item, deletes a spurious row or adds a missing one: the
cell is read as extraction reads it, the rules on items and the document's review are judged
again, and the change is audited and made again on every later extraction until a reprocess
discards it (the core; the real API app and CLI on SQLite, pages read by a stand-in OCR engine)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db import repo
from db.models import LineItemCorrection, Status
from db.session import session_scope
from extractors.corrections import PERSON, InvalidCorrection, ItemCorrection, apply_corrections, parse_item_cell
from extractors.extract import extract_document
from tests.integration.test_api import AUTH, IDLE_BROKER, api
from tests.unit.cli_runner import billflow_cli
from tests.unit.test_extract_vat_invoice import TODAY, item, paper_invoice
from tests.unit.test_recovery import png
from tests.unit.test_split_uploads import SF, PagedEngine
from workers import pipeline

PRINTER = ("*计算机外部设备*激光打印机", "HP-M1136", "台", "2", "1000.00")
PAPER = item(9, "*纸制品*复印纸", "A4", "箱", "3", "100.00", "300.00", "13%", "39.00")
MISREAD = paper_invoice([item(8, *PRINTER, "2600.00", "13%", "260.00"), PAPER])  # 2000.00 read as 2600.00
SPURIOUS = paper_invoice([item(8, *PRINTER, "2000.00", "13%", "260.00"), PAPER,
                          item(10, "*印章*", "", "", "1", "50.00", "50.00", "13%", "6.50")])  # a stamp read as a row
MISSED = paper_invoice([item(8, *PRINTER, "2000.00", "13%", "260.00")])  # the paper's row not read
FIXED_AMOUNT = ItemCorrection("correct", 1, {"amount": "2,000.00"})


def items_sum_objects(reasons: list[str]) -> bool:
    return any("the line items' amount add up to" in r for r in reasons)


@pytest.mark.parametrize("cell, text, value", [
    ("amount", "¥2,000", "2000.00"), ("tax", "260", "260.00"), ("quantity", "3", "3"), ("unit_price", "1,000.5", "1000.5"),
    ("tax_rate", "13%", "0.13"), ("tax_rate", "0.130", "0.13"), ("tax_rate", "免税", None), ("name", " *纸制品*  复印纸 ", "*纸制品* 复印纸"),
    ("specification", "", None),
])
def test_a_cell_is_read_as_extraction_reads_it(cell, text, value):
    assert parse_item_cell(cell, text) == value


@pytest.mark.parametrize("cell, text, message", [
    ("amount", "lots", "amount: 'lots' is not a valid amount"),
    ("quantity", "a few", "quantity: 'a few' is not a valid number"),
    ("tax_rate", "13", "tax_rate: '13' is not a valid tax rate (13%, 0.13, or 免税 for exempt)"),
    ("colour", "red", "a line item has no cell 'colour'"),
])
def test_a_value_not_of_the_cells_kind_or_an_unknown_cell_is_refused_by_name(cell, text, message):
    with pytest.raises(InvalidCorrection, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_item_cell(cell, text)


def test_a_misread_amount_corrected_satisfies_the_item_rules_and_the_invoice_is_done():
    read = extract_document(MISREAD, today=TODAY)
    assert read.status == "needs_review" and items_sum_objects(read.reasons)
    fixed = apply_corrections(read, [], item_changes=[FIXED_AMOUNT])
    assert fixed.status == "done" and fixed.reasons == []
    assert (fixed.line_items[0].amount, fixed.line_items[0].confidence) == ("2000.00", PERSON)
    assert fixed.line_items[1] == read.line_items[1]


def test_a_spurious_row_deleted_and_a_missing_row_added_make_the_sum_right():
    spurious = extract_document(SPURIOUS, today=TODAY)
    assert len(spurious.line_items) == 3 and items_sum_objects(spurious.reasons)
    deleted = apply_corrections(spurious, [], item_changes=[ItemCorrection("delete", 3)])
    assert [i.row for i in deleted.line_items] == [1, 2] and deleted.status == "done", deleted.reasons

    missed = extract_document(MISSED, today=TODAY)
    assert items_sum_objects(missed.reasons)
    paper = {"name": "*纸制品*复印纸", "specification": "A4", "unit": "箱", "quantity": "3", "unit_price": "100",
             "amount": "300", "tax_rate": "13%", "tax": "39"}
    first = apply_corrections(missed, [], item_changes=[ItemCorrection("add", 1, paper)])
    assert [(i.row, i.name, i.bbox, i.confidence) for i in first.line_items] == [
        (1, "*纸制品*复印纸", [], PERSON), (2, PRINTER[0], missed.line_items[0].bbox, missed.line_items[0].confidence)]
    assert first.status == "done", first.reasons
    last = apply_corrections(missed, [], item_changes=[ItemCorrection("add", None, paper)]).line_items
    assert [(i.row, i.amount) for i in last] == [(1, "2000.00"), (2, "300.00")]


def test_a_change_to_a_row_there_is_not_is_refused_now_and_named_when_made_again():
    read = extract_document(MISREAD, today=TODAY)
    for change, message in ((ItemCorrection("correct", 3, {"amount": "1"}), "line item 3: no such row"),
                            (ItemCorrection("add", 4, {"amount": "1"}), "line item 4: no such row"),
                            (ItemCorrection("add", None, {"name": ""}), "needs at least one cell"),
                            (ItemCorrection("correct", 1, {}), "no cell given")):
        with pytest.raises(InvalidCorrection, match=message):
            apply_corrections(read, [], strict=True, item_changes=[change])
    stale = apply_corrections(read, [], item_changes=[ItemCorrection("delete", 2), ItemCorrection("delete", 2)])
    assert len(stale.line_items) == 1 and stale.status == "needs_review"
    assert "a reviewer's change to the line items was not applied: line item 2: no such row (rows 1 to 1)" in stale.reasons
    waybill = extract_document(SF)
    with pytest.raises(InvalidCorrection, match="courier_waybill has no line items"):
        apply_corrections(waybill, [], strict=True, item_changes=[FIXED_AMOUNT])


@pytest.fixture
def client(settings):
    with api(settings.database_url, settings.data_dir, done_confidence=settings.done_confidence, **IDLE_BROKER) as c:
        yield c


@pytest.fixture
def cli(settings, monkeypatch):
    with billflow_cli(settings, monkeypatch, PagedEngine()) as run:
        yield run


def read_upload(settings, lines, colour: int = 1) -> int:
    """A document run through the pipeline whose page reads as ``lines`` (a new upload per ``colour``)."""
    PagedEngine.pages = {1: lines}
    document_id = pipeline.submit_bytes(settings, png(colour), f"invoice-{colour}.png").document_id
    pipeline.process_in_process(settings, PagedEngine, document_id)
    return document_id


def shown(client, document_id: int) -> dict:
    return client.get(f"/documents/{document_id}", headers=AUTH).json()


def test_the_api_corrects_a_misread_amount_and_the_invoice_is_done_and_audited(settings, client):
    document_id = read_upload(settings, MISREAD)
    assert shown(client, document_id)["status"] == "needs_review"
    path = f"/documents/{document_id}/items/1"

    refused = client.patch(path, json={"cells": {"amount": "two thousand"}}, headers=AUTH)
    assert refused.status_code == 422 and "amount: 'two thousand' is not a valid amount" in refused.json()["detail"]
    for wrong in (client.patch(f"/documents/{document_id}/items/9", json={"cells": {"amount": "1"}}, headers=AUTH),
                  client.patch(path, json={"cells": {"colour": "red"}}, headers=AUTH),
                  client.patch(path, json={"cells": {}}, headers=AUTH)):
        assert wrong.status_code == 422
    assert client.patch(path, json={"cells": {"amount": "2000"}}).status_code == 401
    assert client.patch("/documents/999/items/1", json={"cells": {"amount": "2000"}}, headers=AUTH).status_code == 404

    fixed = client.patch(path, json={"cells": {"amount": "2,000.00"}}, headers={**AUTH, "X-Reviewer": "alice"})
    assert fixed.status_code == 200
    document = fixed.json()
    assert document["status"] == "done" and document["review_reasons"] == []
    assert (document["line_items"][0]["amount"], document["line_items"][0]["confidence"]) == ("2000.00", 1.0)
    event = document["events"][-1]
    assert (event["action"], event["actor"], event["detail"]["via"]) == ("correct_item", "alice", "api")
    assert {k: event["detail"][k] for k in ("change", "row", "old", "new")} == {
        "change": "correct", "row": 1, "old": {"amount": "2600.00"}, "new": {"amount": "2000.00"}}
    assert len(shown(client, document_id)["events"]) == 1  # the refused values left no trace


def test_rows_are_deleted_and_added_through_the_api_and_a_waybill_has_none_to_change(settings, client):
    spurious = read_upload(settings, SPURIOUS)
    deleted = client.delete(f"/documents/{spurious}/items/3", headers=AUTH)
    assert deleted.status_code == 200 and [i["row"] for i in deleted.json()["line_items"]] == [1, 2]
    assert deleted.json()["status"] == "done" and deleted.json()["events"][-1]["detail"]["change"] == "delete"

    missed = read_upload(settings, MISSED, colour=2)
    added = client.post(f"/documents/{missed}/items", headers=AUTH, json={"cells": {
        "name": "*纸制品*复印纸", "quantity": "3", "unit_price": "100.00", "amount": "300.00", "tax_rate": "0.13",
        "tax": "39.00"}})
    assert added.status_code == 201 and added.json()["status"] == "done", added.json()["review_reasons"]
    assert [(i["row"], i["amount"]) for i in added.json()["line_items"]] == [(1, "2000.00"), (2, "300.00")]

    waybill = read_upload(settings, SF, colour=3)
    refused = client.delete(f"/documents/{waybill}/items/1", headers=AUTH)
    assert refused.status_code == 422 and "courier_waybill has no line items" in refused.json()["detail"]


def test_a_document_not_yet_processed_cannot_be_corrected(settings, client):
    queued = pipeline.submit_bytes(settings, png(4), "later.png").document_id
    refused = client.patch(f"/documents/{queued}/items/1", json={"cells": {"amount": "1"}}, headers=AUTH)
    assert refused.status_code == 409 and "only processed documents can be corrected" in refused.json()["detail"]


def test_the_correction_survives_reprocessing_until_discarded(settings, cli):
    document_id = read_upload(settings, MISREAD)
    corrected = cli("correct-item", document_id, 1, "amount=2000")
    assert corrected.exit_code == 0, corrected.output
    assert f"line item 1 of document {document_id}" in corrected.output and "amount=2000.00; it is done" in corrected.output
    refused = cli("correct-item", document_id, 1, "tax_rate=13")
    assert refused.exit_code == 1 and "not a valid tax rate" in refused.output
    assert cli("correct-item", document_id, 1, "amount").exit_code == 2

    for args in (["reprocess"], ["reprocess", "--ocr"]):
        assert cli(*args, document_id).exit_code == 0
        with session_scope(settings.database_url) as session:
            document = repo.get_document(session, document_id)
            assert document.status == Status.done and document.line_items[0].amount == "2000.00", document.review_reasons

    assert cli("reprocess", "--discard-corrections", document_id).exit_code == 0
    with session_scope(settings.database_url) as session:
        document = repo.get_document(session, document_id)
        assert document.status == Status.needs_review and document.line_items[0].amount == "2600.00"
        assert repo.events(session, document_id)[-1].detail["discarded"] == ["line items"]
        [kept] = session.scalars(select(LineItemCorrection)).all()
        assert (kept.action, kept.row, kept.cells, kept.old, kept.discarded) == (
            "correct", 1, {"amount": "2000.00"}, {"amount": "2600.00"}, True)
