"""``billflow eval`` on three real SROIE receipts: every report section, a self-contained HTML."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evaluation.scoring import rank_key
from tests.conftest import SROIE
from workers.cli import cli

pytestmark = pytest.mark.ocr
RECEIPTS = ("000", "006", "012")
SROIE_FIELDS = {"company", "date", "address", "total"}


@pytest.fixture
def receipts(tmp_path) -> Path:
    if not (SROIE / "img").is_dir():
        pytest.skip(f"SROIE not found at {SROIE} (set SROIE_DIR)")
    root = tmp_path / "sroie"
    for folder, suffix in (("img", "jpg"), ("key", "json"), ("box", "csv")):
        (root / folder).mkdir(parents=True)
        for name in RECEIPTS:
            shutil.copy(SROIE / folder / f"{name}.{suffix}", root / folder)
    return root


def test_eval_reports_every_section_and_a_self_contained_html(receipts, tmp_path, ocr_engine, monkeypatch):
    monkeypatch.setattr("workers.engine._engine", ocr_engine)
    out = tmp_path / "report"
    result = CliRunner().invoke(cli, ["eval", str(receipts), "--report", str(out)])
    assert result.exit_code == 0, result.output
    assert "billflow eval" in result.output

    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["dataset"]["format"] == "sroie" and report["dataset"]["line_classifier"] is True
    assert report["detection"]["hmean"] > 0.5 and report["detection"]["pages"] == 3
    assert report["recognition"]["cer"] < 0.2 and report["recognition"]["page_cer"] < 0.3
    assert report["recognition"]["line_accuracy"] > 0.5
    fields = report["extraction"]["by_type"]["receipt"]["fields"]
    assert set(fields) == SROIE_FIELDS
    for scores in fields.values():
        for mode in ("exact", "normalized"):
            assert scores[mode]["documents"] == 3 and 0 <= scores[mode]["f1"] <= 1
    assert report["review"]["documents"] == 3 and sum(report["review"]["by_status"].values()) == 3
    speed = report["speed"]
    assert speed["pages"] == 3 and 0 < speed["p50_s"] <= speed["p95_s"] and speed["pages_per_minute"] > 0

    documents = report["documents"]
    assert sorted(documents, key=rank_key) == documents
    html = (out / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?https?://""", html)
    assert html.count("data:image/jpeg;base64,") == 3
    assert re.findall(r"data-name='([^']*)'", html) == [d["name"] for d in documents]
