"""Turned and tilted uploads through the whole in-process chain: the fields read upright are
read the same, the page records how it was turned, and the stored line polygons lie on the
upload's own pixels (where an overlay draws them)."""

from __future__ import annotations

import json
import shutil

import cv2
import numpy as np
import pytest
from typer.testing import CliRunner

from db import repo
from db.session import session_scope
from tests.conftest import REPO
from tools.variants import make
from workers.cli import cli
from workers.pipeline import process_in_process, submit_bytes
from workers.preprocess import map_points, rotate
from workers.settings import get_settings

pytestmark = pytest.mark.ocr
DOCUMENT = REPO / "tests" / "fixtures" / "generated" / "clean" / "waybill_0001.jpg"


def process(settings, engine, image: np.ndarray, name: str) -> tuple[dict, dict, list]:
    """Fields, the page's geometry and its stored (text, polygon) lines."""
    submitted = submit_bytes(settings, cv2.imencode(".png", image)[1].tobytes(), name)
    process_in_process(settings, lambda: engine, submitted.document_id)
    with session_scope(settings.database_url) as session:
        document = repo.get_document(session, submitted.document_id)
        page = document.pages[0]
        geometry = {"rotation": page.rotation, "skew": page.skew_degrees, "size": (page.width, page.height)}
        return ({f.name: f.value for f in document.fields}, geometry,
                [(line.text, np.array(line.polygon)) for line in page.lines])


def share_on_truth(lines: list, truth_quads: list[np.ndarray]) -> float:
    """The share of lines whose centre lies inside one of the truth polygons."""
    inside = [any(cv2.pointPolygonTest(q.astype(np.float32), tuple(map(float, p.mean(axis=0))), False) >= 0
                  for q in truth_quads) for _, p in lines]
    return sum(inside) / max(len(inside), 1)


def test_turned_and_tilted_uploads_read_like_the_upright_one(settings, ocr_engine):
    image = cv2.imread(str(DOCUMENT))
    truth = json.loads(DOCUMENT.with_suffix(".json").read_text(encoding="utf-8"))
    upright, _, _ = process(settings, ocr_engine, image, "upright.png")
    right_upright = {k for k, v in truth["fields"].items() if upright.get(k) == v}
    assert len(right_upright) >= 6

    for clockwise in (90, 180, 270, 8):
        turned, to_turned = rotate(image, clockwise)
        fields, geometry, lines = process(settings, ocr_engine, turned, f"turned-{clockwise}.png")
        assert {k: fields.get(k) for k in right_upright} == {k: upright[k] for k in right_upright}, clockwise
        assert geometry["rotation"] == (360 - round(clockwise / 90) * 90) % 360, clockwise
        assert geometry["skew"] == pytest.approx(clockwise % 90, abs=0.5), clockwise
        assert geometry["size"] == turned.shape[1::-1], clockwise
        quads = [map_points(to_turned, l["polygon"]) for l in truth["pages"][0]["lines"]]
        assert share_on_truth(lines, quads) >= 0.9, clockwise


def test_eval_prepares_pages_as_a_worker_does(tmp_path, ocr_engine, monkeypatch):
    """``billflow eval`` on a page turned 90°: with preparation its fields are read and its lines
    are scored on the turned upload's pixels; ``--no-preparation`` reads it sideways."""
    source = tmp_path / "clean"
    source.mkdir()
    shutil.copy(DOCUMENT, source)
    shutil.copy(DOCUMENT.with_suffix(".json"), source)
    make(source, tmp_path / "variants", ["rot90"], seed=0)
    monkeypatch.setattr("workers.engine._engine", ocr_engine)
    monkeypatch.setenv("BILLFLOW_DONE_CONFIDENCE", "0.5")  # every value read is given: what OCR made readable
    get_settings.cache_clear()

    def evaluate(*options: str) -> dict:
        out = tmp_path / f"report{len(options)}"
        result = CliRunner().invoke(cli, ["eval", str(tmp_path / "variants" / "rot90"), "--report", str(out), *options])
        assert result.exit_code == 0, result.output
        return json.loads((out / "report.json").read_text(encoding="utf-8"))

    prepared, sideways = evaluate(), evaluate("--no-preparation")
    get_settings.cache_clear()  # the next test reads its own environment
    assert prepared["dataset"]["preparation"] == ["orientation", "deskew", "perspective", "illumination"]
    assert sideways["dataset"]["preparation"] == []
    assert prepared["detection"]["hmean"] > 0.9
    assert prepared["extraction"]["overall"]["exact"]["accuracy"] >= 0.8
    assert sideways["extraction"]["overall"]["exact"]["accuracy"] < 0.5
    assert set(prepared["speed"]["steps_ms"]) == {"perspective", "illumination", "detect", "rotate", "vote"}
    assert sideways["speed"]["steps_ms"] == {}
