"""Reprocessing keeps reviewers' work: corrections are applied again (and validated again) unless
discarded, and every correction and reprocess is audited with who did it (in-process, on SQLite,
with a stand-in OCR engine)."""

from __future__ import annotations

import getpass

import pytest

from sqlalchemy import select

from db import repo
from db.models import FieldCorrection, Status
from db.session import session_scope
from extractors.corrections import InvalidCorrection
from tests.unit.cli_runner import billflow_cli
from tests.unit.test_recovery import StandInEngine, png
from workers import pipeline, review

ALICE = review.Actor("alice", "api", "alice")
BEIJING = "北京市朝阳区建国路88号"


def processed(settings) -> int:
    document_id = pipeline.submit_bytes(settings, png(9), "scan.png").document_id
    pipeline.process_in_process(settings, StandInEngine, document_id)
    return document_id


def state(settings, document_id: int) -> tuple[Status, dict[str, tuple[str, float]], list[str]]:
    with session_scope(settings.database_url) as session:
        document = repo.get_document(session, document_id)
        return document.status, {f.name: (f.value, f.confidence) for f in document.fields}, document.review_reasons


def events(settings, document_id: int) -> list[tuple[str, str, dict]]:
    with session_scope(settings.database_url) as session:
        return [(e.action, e.actor, e.detail) for e in repo.events(session, document_id)]


@pytest.fixture
def cli(settings, monkeypatch):
    with billflow_cli(settings, monkeypatch, StandInEngine()) as run:
        yield run


def test_a_correction_audits_the_derived_fields_it_changes_and_who_made_it(settings):
    document_id = processed(settings)
    _, read, _ = state(settings, document_id)
    review.correct_field(settings, document_id, "receiver_address", BEIJING, ALICE)
    status, fields, _ = state(settings, document_id)
    assert fields["receiver_address"] == (BEIJING, 1.0) and fields["sorting_code"][0] != read["sorting_code"][0]
    [(action, actor, detail)] = events(settings, document_id)
    assert (action, actor, detail["via"], detail["token_user"]) == ("correct", "alice", "api", "alice")
    assert (detail["field"], detail["old"], detail["new"]) == ("receiver_address", read["receiver_address"][0], BEIJING)
    assert detail["derived"] == {"sorting_code": [read["sorting_code"][0], fields["sorting_code"][0]]}

    with pytest.raises(InvalidCorrection):
        review.correct_field(settings, document_id, "receiver_phone", "call me", ALICE)
    assert len(events(settings, document_id)) == 1


def test_reprocessing_applies_corrections_again_and_audits_the_os_user(settings, cli):
    document_id = processed(settings)
    review.correct_field(settings, document_id, "receiver_address", BEIJING, ALICE)
    _, corrected, _ = state(settings, document_id)

    for args in (["reprocess"], ["reprocess", "--ocr"]):
        result = cli(*args, document_id)
        assert result.exit_code == 0, result.output
        status, fields, reasons = state(settings, document_id)
        assert fields == corrected and status == Status.done, reasons
    reprocessed = events(settings, document_id)[1:]
    assert [(a, actor, d["via"], d["ocr"], d["discard_corrections"]) for a, actor, d in reprocessed] == [
        ("reprocess", getpass.getuser(), "cli", False, False), ("reprocess", getpass.getuser(), "cli", True, False)]


def test_a_correction_applied_again_is_validated_again(settings, cli):
    document_id = processed(settings)
    review.correct_field(settings, document_id, "receiver_address", "月亮湾1号", ALICE)  # resolves to no city
    assert cli("reprocess", document_id).exit_code == 0
    status, fields, reasons = state(settings, document_id)
    assert fields["receiver_address"] == ("月亮湾1号", 1.0) and "sorting_code" not in fields
    assert status == Status.needs_review and any("receiver_address" in r for r in reasons)


def test_discarding_corrections_brings_back_what_was_read_for_good(settings, cli):
    document_id = processed(settings)
    _, read, _ = state(settings, document_id)
    review.correct_field(settings, document_id, "receiver_phone", "13712345678", ALICE)

    assert cli("reprocess", "--discard-corrections", document_id).exit_code == 0
    assert state(settings, document_id)[1] == read
    action, _, detail = events(settings, document_id)[-1]
    assert (action, detail["discard_corrections"], detail["discarded"]) == ("reprocess", True, ["receiver_phone"])
    assert cli("reprocess", document_id).exit_code == 0
    assert state(settings, document_id)[1] == read
    with session_scope(settings.database_url) as session:  # the trail keeps the correction, marked discarded
        [correction] = session.scalars(select(FieldCorrection)).all()
        assert (correction.new_value, correction.reviewer, correction.discarded) == ("+8613712345678", "alice", True)
