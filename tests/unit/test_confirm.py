"""A person confirms a document (every value shown is right): it becomes done, and where its
values lay teaches billflow the layout, so that values found there on later documents of that
layout count as surer (the real API app and CLI, SQLite, pages read by a stand-in OCR engine)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from db.models import LayoutExample, Status
from db.session import session_scope
from extractors.pages import PageRange
from tests.unit.cli_runner import billflow_cli
from tests.unit.lines_factory import page
from tests.unit.test_layouts import NAMES, form
from tests.unit.test_recovery import png
from workers import pipeline

TOKEN = "confirm-token"
AS_ALICE = {"Authorization": f"Bearer {TOKEN}", "X-Reviewer": "alice"}
SURE_BAR = 0.999  # every form value is below it: each document needs review
OTHER_ADDRESS = "北京市朝阳区建国路99号"
NEW_COPY = form("赵磊", "黄敏", 3, dx=-12, dy=20)  # a later copy of the layout


class PrintedForm:
    """Reads ``lines`` off any page and finds no page turn or skew."""

    def __init__(self, lines):
        self.lines = lines

    def detect(self, image):
        return []

    def flip_scores(self, image, polygons):
        return []

    def read(self, image, page: int = 1, polygons=None):
        return [replace(line, page=page) for line in self.lines]


@pytest.fixture
def sure_settings(settings):
    return settings.model_copy(update={"done_confidence": SURE_BAR, "api_token": TOKEN, "layout_memory": True})


@pytest.fixture
def client(sure_settings):
    with TestClient(create_app(sure_settings)) as c:
        yield c


def processed(settings, lines, colour: int) -> int:
    """A document run through the pipeline whose page reads as ``lines``."""
    document_id = pipeline.submit_bytes(settings, png(colour), f"form-{colour}.png").document_id
    pipeline.process_in_process(settings, lambda: PrintedForm(lines), document_id)
    return document_id


def copy_of_the_form(settings, number: int) -> int:
    receiver, sender = NAMES[number]
    return processed(settings, form(receiver, sender, number, dx=7 * number, dy=5 * number), number + 1)


def examples(settings) -> dict[int, dict]:
    with session_scope(settings.database_url) as session:
        return {row.document_id: row.example for row in session.scalars(select(LayoutExample))}


def placements(settings) -> dict[str, int]:
    """Each field's placement on a new copy of the form, extracted as the pipeline extracts."""
    with session_scope(settings.database_url) as session:
        memory = pipeline.layout_memory(settings, session)
    result = pipeline.extract_range(settings, NEW_COPY, PageRange(1, 1), None, {}, memory)
    return {name: f.evidence.placed for name, f in result.fields.items()}


def test_a_document_is_confirmed_only_once_nothing_is_missing_or_objected_to(sure_settings, client):
    no_phone = processed(sure_settings, [l for l in form("张伟", "李娜", 1) if l.text != "13800130001"], 1)
    refused = client.post(f"/documents/{no_phone}/confirm", headers=AS_ALICE)
    assert refused.status_code == 409 and "required field receiver_phone not found" in refused.json()["detail"]

    on_mars = processed(sure_settings, [replace(l, text="火星基地1号") if l.text == "北京市朝阳区建国路88号" else l
                                        for l in form("张伟", "李娜", 1)], 2)
    refused = client.post(f"/documents/{on_mars}/confirm", headers=AS_ALICE)
    assert refused.status_code == 409 and "does not resolve to a province" in refused.json()["detail"]
    assert client.get(f"/documents/{on_mars}", headers=AS_ALICE).json()["status"] == "needs_review"
    assert examples(sure_settings) == {}

    client.patch(f"/documents/{on_mars}/fields/receiver_address", json={"value": "北京市朝阳区建国路88号"}, headers=AS_ALICE)
    assert client.post(f"/documents/{on_mars}/confirm", headers=AS_ALICE).status_code == 200
    assert client.post("/documents/999/confirm", headers=AS_ALICE).status_code == 404
    assert client.post(f"/documents/{no_phone}/confirm").status_code == 401


def test_after_a_correction_the_rules_still_see_the_withheld_sorting_code_and_confirming_is_not_refused(
        sure_settings, client):
    document_id = copy_of_the_form(sure_settings, 0)  # every value below the bar: the sorting code is withheld
    renamed = client.patch(f"/documents/{document_id}/fields/receiver_name", json={"value": "王五"},
                           headers=AS_ALICE).json()
    assert not [r for r in renamed["review_reasons"] if "sorting code" in r]
    assert not any(f["violations"] for f in renamed["fields"])
    confirmed = client.post(f"/documents/{document_id}/confirm", headers=AS_ALICE)
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "done"
    assert "sorting_code" not in {f["name"] for f in confirmed.json()["fields"]}  # withheld, never given out


def test_a_doubt_about_a_reading_outlasts_a_correction_of_another_field(sure_settings, client):
    document_id = processed(sure_settings, page("ACME HARDWARE", "DATE: 05/03/2024", "ITEM A 5.00", "ITEM B 7.50",
                                                "TOTAL 12.50", "CASH 20.00", "CHANGE 7.50", "THANK YOU"), 1)
    doubt = "date: printed ambiguously (day or month first?), and nothing on the document settles it"
    renamed = client.patch(f"/documents/{document_id}/fields/company", json={"value": "ACME TOOLS"},
                           headers=AS_ALICE).json()
    assert doubt in renamed["review_reasons"]
    refused = client.post(f"/documents/{document_id}/confirm", headers=AS_ALICE)
    assert refused.status_code == 409 and "day or month first" in refused.json()["detail"]


def test_confirming_makes_the_document_done_and_remembers_where_its_uncorrected_values_lay(sure_settings, client):
    document_id = copy_of_the_form(sure_settings, 0)
    assert client.get(f"/documents/{document_id}", headers=AS_ALICE).json()["status"] == "needs_review"
    corrected = client.patch(f"/documents/{document_id}/fields/receiver_address", json={"value": OTHER_ADDRESS},
                             headers=AS_ALICE).json()

    confirmed = client.post(f"/documents/{document_id}/confirm", headers=AS_ALICE).json()
    assert confirmed["status"] == "done" and confirmed["review_reasons"] == []
    assert [(f["name"], f["value"]) for f in confirmed["fields"]] == [(f["name"], f["value"]) for f in corrected["fields"]]
    assert {f["confidence"] for f in confirmed["fields"]} == {1.0}
    taught = {f["name"] for f in corrected["fields"]} - {"receiver_address"}  # a corrected value's box teaches nothing
    event = confirmed["events"][-1]
    assert (event["action"], event["actor"], event["detail"]["remembered"]) == ("confirm", "alice", sorted(taught))
    [example] = examples(sure_settings).values()
    assert set(example["boxes"]) == taught and example["doc_type"] == "courier_waybill"

    client.post(f"/documents/{document_id}/confirm", headers=AS_ALICE)
    assert list(examples(sure_settings)) == [document_id]  # confirming again replaces the example


def test_two_confirmed_copies_teach_the_layout_and_a_deleted_one_is_forgotten(sure_settings, client, monkeypatch):
    first, second = copy_of_the_form(sure_settings, 0), copy_of_the_form(sure_settings, 1)
    client.post(f"/documents/{first}/confirm", headers=AS_ALICE)
    assert set(placements(sure_settings).values()) == {0}  # one confirmation is no layout yet

    with billflow_cli(sure_settings, monkeypatch, None) as cli:
        result = cli("confirm", second)
    assert result.exit_code == 0 and f"confirmed document {second}" in result.output, result.output
    placed = placements(sure_settings)
    assert placed["receiver_name"] == placed["tracking_number"] == 1 and set(placed.values()) == {1}

    assert client.delete(f"/documents/{first}", headers=AS_ALICE).status_code == 200
    assert list(examples(sure_settings)) == [second]
    assert set(placements(sure_settings).values()) == {0}


def test_the_memory_is_built_once_and_again_after_a_confirmation_and_the_setting_turns_it_off(sure_settings, client):
    first, second = copy_of_the_form(sure_settings, 0), copy_of_the_form(sure_settings, 1)
    for document_id in (first, second):
        client.post(f"/documents/{document_id}/confirm", headers=AS_ALICE)
    with session_scope(sure_settings.database_url) as session:
        memory = pipeline.layout_memory(sure_settings, session)
        assert pipeline.layout_memory(sure_settings, session) is memory
    client.post(f"/documents/{first}/confirm", headers=AS_ALICE)
    with session_scope(sure_settings.database_url) as session:
        assert pipeline.layout_memory(sure_settings, session) is not memory

    off = sure_settings.model_copy(update={"layout_memory": False})
    assert set(placements(off).values()) == {0} and placements(sure_settings)["receiver_name"] == 1


def test_reprocessing_judges_the_values_afresh_and_keeps_what_the_confirmation_taught(sure_settings, client):
    document_id = copy_of_the_form(sure_settings, 0)
    client.post(f"/documents/{document_id}/confirm", headers=AS_ALICE)
    taught = examples(sure_settings)
    assert pipeline.reextract(sure_settings, document_id) == Status.needs_review
    assert examples(sure_settings) == taught
