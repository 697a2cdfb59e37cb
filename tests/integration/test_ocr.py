"""The real OCR chain on committed generated documents (no font needed at run time)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import cv2
import numpy as np
import pytest

from evaluation.metrics import edit_distance, match_one_to_one, polygon, text_key
from tests.conftest import EXAMPLES, REPO
from tests.truth import truth_path

pytestmark = pytest.mark.ocr
CHEQUE = EXAMPLES / "transfer_cheque.png"


def truth_lines(image_path) -> list[dict]:
    truth = json.loads(truth_path(image_path).read_text(encoding="utf-8"))
    return [l for l in truth["pages"][0]["lines"] if not l.get("kind")]


def matched_line_cer(truth: list[dict], lines) -> tuple[float, float]:
    """Detection recall at IoU 0.5 and the character error rate of the matched lines."""
    pairs = match_one_to_one([polygon(t["polygon"]) for t in truth], [polygon(l.polygon) for l in lines])
    edits = sum(edit_distance(lines[m.predicted].text, truth[m.truth]["text"]) for m in pairs)
    chars = sum(len(text_key(truth[m.truth]["text"])) for m in pairs)
    return len(pairs) / len(truth), edits / max(chars, 1)


def test_reads_a_generated_cheque_with_polygons_scores_and_orientation(ocr_engine):
    image = cv2.imread(str(CHEQUE))
    lines = ocr_engine.read(image)
    recall, cer = matched_line_cer(truth_lines(CHEQUE), lines)
    assert recall > 0.85 and cer < 0.05, (recall, cer)
    h, w = image.shape[:2]
    for line in lines:
        assert len(line.polygon) == 4 and 0.5 <= line.score <= 1.0 and line.angle in (0, 180)
        assert all(-5 <= x <= w + 5 and -5 <= y <= h + 5 for x, y in line.polygon)


def test_an_upside_down_page_reads_the_same_text_with_lines_marked_180(ocr_engine):
    image = cv2.imread(str(CHEQUE))
    h, w = image.shape[:2]
    flipped = ocr_engine.read(np.ascontiguousarray(image[::-1, ::-1]))
    assert sum(l.angle == 180 for l in flipped) >= 0.9 * len(flipped)
    turned = [{**t, "polygon": [[w - x, h - y] for x, y in t["polygon"]]} for t in truth_lines(CHEQUE)]
    recall, cer = matched_line_cer(turned, flipped)
    assert recall > 0.8 and cer < 0.08, (recall, cer)


def test_ocr_runs_with_the_network_unreachable_and_never_tries_to_connect(tmp_path):
    """Runs in a new network namespace (no interface but a down loopback) and records any connect."""
    if subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode != 0:
        pytest.skip("unshare -n is not permitted here")
    script = textwrap.dedent(f"""
        import socket, json, sys, cv2
        attempts = []
        original = socket.socket.connect
        def record(self, address):
            attempts.append(repr(address))
            return original(self, address)
        socket.socket.connect = record
        socket.socket.connect_ex = lambda self, address: attempts.append(repr(address)) or 111
        from pathlib import Path
        from workers.ocr import OcrEngine
        engine = OcrEngine(Path({str(tmp_path / 'models')!r}), threads=2)
        lines = engine.read(cv2.imread({str(CHEQUE)!r}))
        print(json.dumps({{"lines": len(lines), "attempts": attempts}}))
    """)
    result = subprocess.run(["unshare", "-n", sys.executable, "-c", script], cwd=REPO, capture_output=True,
                            text=True, timeout=300, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO),
                                                          "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["lines"] >= 10
    assert report["attempts"] == []
    assert (tmp_path / "models" / "PP-OCRv4_mobile_rec" / "inference.yml").is_file()


def test_prepared_models_are_reused_not_rewritten(tmp_path):
    from workers.ocr import prepare_models

    folders = prepare_models(tmp_path)
    stamp = {p: p.stat().st_mtime_ns for folder in folders.values() for p in folder.iterdir()}
    prepare_models(tmp_path)
    assert {p: p.stat().st_mtime_ns for p in stamp} == stamp
    rec = (folders["PP-OCRv4_mobile_rec"] / "inference.yml").read_text(encoding="utf-8")
    assert "model_name: PP-OCRv4_mobile_rec" in rec and "叁" in rec
