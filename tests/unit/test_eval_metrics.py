"""The evaluation's pure metrics, scoring conventions and dataset readers (no OCR)."""

from __future__ import annotations

import json

import pytest
from PIL import Image

from evaluation.datasets import TruthLine, TruthPage, parse_quad_line, read_dataset
from evaluation.metrics import (
    Counts, cer, edit_distance, iou, match_one_to_one, order_by_truth, percentile, polygon, prf, text_key,
    timing_summary,
)
from evaluation.scoring import (
    PageOutput, aggregate, document_record, field_outcome, field_scores, field_universe, score_page,
)
from extractors.extract import ExtractedField, Extraction
from extractors.lines import OcrLine, box_polygon


def square(x0, y0, side=10):
    return polygon(box_polygon(x0, y0, x0 + side, y0 + side))


def test_iou_of_overlapping_disjoint_identical_and_rotated_polygons():
    assert iou(square(0, 0), square(0, 0)) == pytest.approx(1.0)
    assert iou(square(0, 0), square(5, 0)) == pytest.approx(50 / 150)
    assert iou(square(0, 0), square(20, 20)) == 0.0
    diamond = polygon([(5, 0), (10, 5), (5, 10), (0, 5)])  # the square turned 45°, half its area
    assert iou(square(0, 0), diamond) == pytest.approx(0.5)


def test_a_self_intersecting_quad_is_repaired_not_an_error():
    bowtie = polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    assert bowtie.is_valid and 0.0 <= iou(bowtie, square(0, 0)) <= 1.0


def test_matching_is_one_to_one_and_prefers_the_best_pair():
    truth = [square(0, 0), square(100, 0)]
    predicted = [square(1, 0), square(0, 0), square(300, 0)]  # two candidates for the first truth box
    matches = match_one_to_one(truth, predicted)
    assert [(m.truth, m.predicted) for m in matches] == [(0, 1)]
    assert matches[0].iou == pytest.approx(1.0)


def test_matching_never_uses_a_prediction_twice_and_respects_the_threshold():
    truth = [square(0, 0), square(2, 0)]
    matches = match_one_to_one(truth, [square(1, 0)])
    assert len(matches) == 1
    assert match_one_to_one([square(0, 0)], [square(6, 0)]) == []  # IoU 0.25 < 0.5


def test_text_key_cer_and_case_folding():
    assert text_key("ＴＯＴＡＬ： 9.00") == "TOTAL:9.00"
    assert edit_distance("Total 9.00", "TOTAL 9.00") == 4
    assert edit_distance("Total 9.00", "TOTAL 9.00", fold_case=True) == 0
    assert cer(2, 10) == 0.2 and cer(3, 0) is None


def test_prf_conventions():
    assert prf(Counts(tp=3, fp=1, fn=2)) == {"precision": 0.75, "recall": 0.6, "f1": 0.6667, "tp": 3, "fp": 1, "fn": 2}
    assert prf(Counts())["f1"] == 1.0  # nothing to find, nothing claimed
    nothing_found = prf(Counts(fn=4))
    assert (nothing_found["precision"], nothing_found["recall"], nothing_found["f1"]) == (0.0, 0.0, 0.0)


@pytest.mark.parametrize("truth,predicted,outcome,counts", [
    ("9.00", "9.00", "correct", Counts(1, 0, 0)),
    ("9.00", "8.00", "wrong", Counts(0, 1, 1)),
    ("9.00", None, "missing", Counts(0, 0, 1)),
    (None, "8.00", "unexpected", Counts(0, 1, 0)),
    (None, None, "absent", Counts()),
])
def test_field_outcomes_and_their_counts(truth, predicted, outcome, counts):
    assert field_outcome(truth, predicted) == outcome
    scores = field_scores([outcome])
    assert (scores["tp"], scores["fp"], scores["fn"]) == (counts.tp, counts.fp, counts.fn)
    assert scores["accuracy"] == (1.0 if outcome in ("correct", "absent") else 0.0)


def test_field_comparison_collapses_spaces_and_can_normalize():
    assert field_outcome("BOOK  TA .K ", "BOOK TA .K") == "correct"
    assert field_outcome("25/12/2018", "2018-12-25") == "wrong"
    from evaluation.scoring import NORMALIZERS

    assert field_outcome("25/12/2018", "2018-12-25", NORMALIZERS["sroie"]["date"]) == "correct"
    assert field_outcome("9.00", "9.0", NORMALIZERS["sroie"]["total"]) == "correct"


def test_percentiles_interpolate_like_numpy():
    assert percentile([], 50) is None
    assert percentile([3.0], 95) == 3.0
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile(list(range(1, 101)), 95) == pytest.approx(95.05)
    summary = timing_summary([1.0, 1.0, 2.0])
    assert summary["pages"] == 3 and summary["p50_s"] == 1.0 and summary["pages_per_minute"] == 45.0


def test_order_by_truth_places_split_and_stray_lines_where_the_truth_has_them():
    truth = [polygon(box_polygon(0, 0, 100, 10)), polygon(box_polygon(0, 20, 100, 30))]
    predicted = [polygon(box_polygon(0, 21, 100, 29)), polygon(box_polygon(55, 1, 100, 9)),
                 polygon(box_polygon(0, 1, 50, 9)), polygon(box_polygon(0, 200, 10, 210))]
    assert order_by_truth(truth, predicted) == [2, 1, 0, 3]


def ocr(text, x0, y0, x1, y1):
    return OcrLine(text, 0.99, box_polygon(x0, y0, x1, y1))


def test_score_page_counts_detection_recognition_and_dont_care():
    truth = TruthPage(1, (
        TruthLine(box_polygon(0, 0, 100, 10), "TOTAL 9.00"),
        TruthLine(box_polygon(0, 20, 100, 30), "CASH"),
        TruthLine(box_polygon(0, 40, 100, 50), "###", ignore=True),
        TruthLine(box_polygon(0, 60, 100, 70), "MISSED"),
    ), (200, 100))
    lines = [ocr("TOTAL9.00", 0, 0, 100, 10), ocr("CA5H", 0, 20, 100, 30), ocr("noise", 0, 41, 100, 49),
             ocr("extra", 150, 80, 190, 90)]
    page = score_page(PageOutput(truth, lines, 0.5))
    assert page["detection"] == {"tp": 2, "fp": 1, "fn": 1}
    assert page["dropped"] == [2]
    assert page["recognition"] == {"matched": 2, "correct": 1, "edits": 1, "chars": 13}
    # "extra" is placed at the nearest truth line, MISSED: one edit in CA5H, six from extra → MISSED
    assert page["page_text"] == {"edits": 7, "chars": 19}


def test_truth_pages_scale_to_the_rendered_size():
    page = TruthPage(1, (TruthLine(box_polygon(10, 10, 20, 20), "A"),), (100, 50)).scaled_to(200, 100)
    assert page.lines[0].polygon[2] == (40, 40) and page.size == (200, 100)


def _sample_extraction(**values):
    fields = {n: ExtractedField(n, v, v, v, 0.9, 1, [0, 0, 1, 1]) for n, v in values.items()}
    return Extraction("receipt", "receipt/generic", fields, [] if len(values) == 4 else ["required field missing"])


def test_document_records_aggregate_into_every_section(tmp_path):
    dataset = _sroie(tmp_path, {"000": "9.00", "001": "5.00"})
    universe = field_universe(dataset.samples)
    good = _sample_extraction(company="SHOP", date="2018-12-25", address="1 ROAD", total="9.00")
    bad = _sample_extraction(company="SHOP", date="2018-12-25", total="4.00")
    records = [
        document_record(dataset.samples[0], [PageOutput(dataset.samples[0].pages[0], [], 1.0)], good, None, universe, "sroie"),
        document_record(dataset.samples[1], [PageOutput(dataset.samples[1].pages[0], [], 3.0)], bad, None, universe, "sroie"),
    ]
    report = aggregate(records)
    fields = report["extraction"]["by_type"]["receipt"]["fields"]
    assert fields["total"]["normalized"]["accuracy"] == 0.5 and fields["total"]["normalized"]["fp"] == 1
    assert fields["date"]["exact"]["tp"] == 0 and fields["date"]["normalized"]["tp"] == 2
    assert fields["address"]["normalized"]["recall"] == 0.5
    assert report["review"]["needs_review"] == 1 and report["review"]["flag_precision"] == 1.0
    assert report["review"]["flag_recall"] == 1.0
    assert report["documents"][0]["name"] == "001"  # the worst first
    assert report["detection"]["fn"] == 4 and report["speed"]["p50_s"] == 2.0


def _sroie(root, totals):
    for folder in ("img", "key", "box"):
        (root / folder).mkdir()
    for name, total in totals.items():
        Image.new("RGB", (200, 100), "white").save(root / "img" / f"{name}.jpg")
        key = {"company": "SHOP", "date": "25/12/2018", "address": "1 ROAD", "total": total}
        (root / "key" / f"{name}.json").write_text(json.dumps(key))
        (root / "box" / f"{name}.csv").write_text("10,10,90,10,90,20,10,20,SHOP\n10,30,90,30,90,40,10,40,NO.53 55,57 & 59, JALAN\n")
    return read_dataset(root)


def test_parse_quad_line_keeps_commas_in_the_text():
    quad, text = parse_quad_line("\ufeff72,25,326,25,326,64,72,64,NO.53 55,57 & 59, JALAN SAGU 18,\n")
    assert quad == ((72, 25), (326, 25), (326, 64), (72, 64)) and text == "NO.53 55,57 & 59, JALAN SAGU 18,"
    assert parse_quad_line("") is None and parse_quad_line("a,b,c,d,e,f,g,h,text") is None


def test_reads_a_sroie_folder(tmp_path):
    dataset = _sroie(tmp_path, {"000": "9.00"})
    assert dataset.format == "sroie"
    sample = dataset.samples[0]
    assert (sample.name, sample.doc_type, sample.requested_type) == ("000", "receipt", "receipt")
    assert sample.fields["total"] == "9.00" and sample.pages[0].size == (200, 100)
    assert [l.text for l in sample.pages[0].lines] == ["SHOP", "NO.53 55,57 & 59, JALAN"]


def test_reads_generated_ground_truth_recursively(tmp_path):
    folder = tmp_path / "clean"
    folder.mkdir()
    Image.new("RGB", (300, 200), "white").save(folder / "wb1.jpg")
    truth = {"doc_type": "courier_waybill", "layout": "sf", "degradations": {},
             "pages": [{"image": "wb1.jpg", "width": 300, "height": 200, "lines": [
                 {"polygon": [[0, 0], [50, 0], [50, 10], [0, 10]], "text": "运单号 SF123"},
                 {"polygon": [[60, 60], [90, 60], [90, 90], [60, 90]], "text": "顺丰", "kind": "seal"}]}],
             "fields": {"tracking_number": "SF123"}}
    (folder / "wb1.json").write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    (folder / "notes.json").write_text("{}")  # a JSON with no document beside it is not a sample
    dataset = read_dataset(tmp_path)
    assert dataset.format == "generated" and len(dataset.samples) == 1
    sample = dataset.samples[0]
    assert (sample.name, sample.doc_type, sample.requested_type) == ("clean/wb1", "courier_waybill", None)
    assert [l.ignore for l in sample.pages[0].lines] == [False, True]
    assert sample.fields == {"tracking_number": "SF123"} and sample.pages[0].size == (300, 200)


def test_reads_icdar_style_lines_with_dont_care(tmp_path):
    Image.new("RGB", (64, 32), "white").save(tmp_path / "img_1.jpg")
    (tmp_path / "gt_img_1.txt").write_text("\ufeff1,1,30,1,30,10,1,10,Hello, world\n1,12,30,12,30,20,1,20,###\n",
                                           encoding="utf-8")
    dataset = read_dataset(tmp_path, limit=1)
    assert dataset.format == "icdar"
    lines = dataset.samples[0].pages[0].lines
    assert [(l.text, l.ignore) for l in lines] == [("Hello, world", False), ("###", True)]
    assert dataset.samples[0].fields is None


def test_an_unlabelled_folder_is_refused(tmp_path):
    Image.new("RGB", (8, 8)).save(tmp_path / "x.png")
    with pytest.raises(ValueError, match="no SROIE"):
        read_dataset(tmp_path)
