"""``billflow ocr FILE --json``: the real OCR on an example, as a user runs it (a subprocess),
with no database."""

from __future__ import annotations

import json

from tests.conftest import EXAMPLES, MODEL_CACHE
from tests.integration.workerproc import billflow_env, run_cli


def test_ocr_prints_each_pages_lines_with_score_and_box_on_the_page_as_given(tmp_path):
    env = billflow_env(database_url=f"sqlite:///{tmp_path / 'billflow.db'}", data_dir=tmp_path / "data",
                       model_dir=MODEL_CACHE)
    result = run_cli(env, "ocr", "--json", str(EXAMPLES / "transfer_cheque.png"))
    assert result.returncode == 0, result.stderr[-2000:]
    [page] = [json.loads(text) for text in result.stdout.splitlines()]
    assert (page["page"], page["width"], page["height"]) == (1, 1700, 800)
    truth = json.loads((EXAMPLES / "transfer_cheque.truth.json").read_text(encoding="utf-8"))["pages"][0]["lines"]
    bank = next(l for l in page["lines"] if l["text"] == "交通银行")  # printed at (164, 52)-(260, 76)
    expected = next(l["polygon"] for l in truth if l["text"] == "交通银行")
    assert 0.8 < bank["score"] <= 1 and len(bank["box"]) == 4
    assert all(abs(a - b) <= 12 for point, want in zip(bank["box"], expected) for a, b in zip(point, want))
    assert len(page["lines"]) >= 0.8 * len(truth)
    assert not (tmp_path / "billflow.db").exists()  # nothing stored
