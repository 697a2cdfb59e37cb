"""Evaluation's trust machinery: tune/test parts, the WildReceipt reader, review and calibration
figures, and the OCR cache (pages read once, read back the same)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from evaluation.datasets import Sample, read_dataset
from evaluation.scoring import (
    PageOutput, calibration_section, document_record, field_universe, review_section, trust_figures,
)
from evaluation.splits import part_of, select
from extractors.extract import ExtractedField, Extraction
from extractors.lines import OcrLine, box_polygon

# --- tune and test parts -----------------------------------------------------------------------

NAMES = [f"receipt_{i:03d}" for i in range(200)]


def test_a_documents_part_never_changes_between_calls():
    first = [part_of("sroie", n) for n in NAMES]
    assert first == [part_of("sroie", n) for n in NAMES]
    assert set(first) == {"tune", "test"}


def test_about_half_of_the_documents_are_for_tuning():
    tune = sum(part_of("sroie", n) == "tune" for n in NAMES)
    assert 70 <= tune <= 130


def test_the_format_is_part_of_the_key():
    assert [part_of("sroie", n) for n in NAMES] != [part_of("wildreceipt", n) for n in NAMES]


def _samples(names: list[str]) -> list[Sample]:
    return [Sample(n, Path(f"/x/{n}.jpg"), "receipt", (), {}) for n in names]


def test_tune_and_test_are_disjoint_cover_every_sample_and_keep_its_order():
    samples = _samples(NAMES)
    tune, test = select(samples, "sroie", "tune"), select(samples, "sroie", "test")
    assert {s.name for s in tune}.isdisjoint({s.name for s in test})
    assert sorted(s.name for s in tune + test) == NAMES
    assert [s.name for s in tune] == [n for n in NAMES if part_of("sroie", n) == "tune"]
    assert select(samples, "sroie", "all") == samples


def test_a_document_added_later_does_not_move_the_others():
    before = {s.name for s in select(_samples(NAMES[:100]), "sroie", "tune")}
    after = {s.name for s in select(_samples(NAMES), "sroie", "tune")}
    assert before == {n for n in after if n in NAMES[:100]}


def test_an_unknown_part_is_refused():
    with pytest.raises(ValueError, match="part must be one of"):
        select(_samples(NAMES[:3]), "sroie", "train")


# --- WildReceipt --------------------------------------------------------------------------------

CLASSES = ["Ignore", "Store_name_value", "Store_name_key", "Store_addr_value", "Store_addr_key", "Tel_value",
           "Tel_key", "Date_value", "Date_key", "Time_value", "Time_key", "Prod_item_value", "Prod_item_key",
           "Prod_quantity_value", "Prod_quantity_key", "Prod_price_value", "Prod_price_key", "Subtotal_value",
           "Subtotal_key", "Tax_value", "Tax_key", "Tips_value", "Tips_key", "Total_value", "Total_key", "Others"]


def _box(x0, y0, x1, y1, text, label):
    """A WildReceipt box: corners from the bottom-left, as the set lists them."""
    return {"box": [x0, y1, x1, y1, x1, y0, x0, y0], "text": text, "label": CLASSES.index(label)}


def _wildreceipt(root: Path, annotations: list[dict], name: str = "image_files/Image_1/0/r1.jpeg") -> Path:
    (root / "class_list.txt").write_text("\n".join(CLASSES) + "\n", encoding="utf-8")
    image = root / name
    image.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (300, 400), "white").save(image)
    entry = {"file_name": name, "height": 400, "width": 300, "annotations": annotations}
    missing = {"file_name": "image_files/missing.jpeg", "height": 1, "width": 1, "annotations": []}
    (root / "dev.txt").write_text(json.dumps(entry) + "\n\n" + json.dumps(missing) + "\n", encoding="utf-8")
    return image


RECEIPT_BOXES = [
    _box(10, 40, 200, 60, "STORE", "Store_name_value"),  # listed first but printed lower
    _box(10, 10, 200, 30, "HATOFF'S", "Store_name_value"),
    _box(10, 70, 200, 90, "3440WASHINGTONST", "Store_addr_value"),
    _box(10, 95, 200, 115, "JAMAICAPLAIN,MA", "Store_addr_value"),
    _box(10, 120, 150, 140, "10/26/2018", "Date_value"),
    _box(10, 150, 100, 170, "TOTAL", "Total_key"),
    _box(150, 150, 250, 170, "$12.50", "Total_value"),
    _box(150, 300, 250, 320, "12.50", "Total_value"),  # the total repeated at the bottom
    _box(10, 200, 250, 220, "", "Ignore"),  # an unreadable box
]


def test_a_wildreceipt_folder_is_recognised_and_its_images_that_exist_are_read(tmp_path):
    _wildreceipt(tmp_path, RECEIPT_BOXES)
    dataset = read_dataset(tmp_path)
    assert dataset.format == "wildreceipt" and len(dataset.samples) == 1  # the missing image is skipped
    sample = dataset.samples[0]
    assert sample.name == "image_files/Image_1/0/r1" and sample.doc_type == "receipt"
    assert sample.pages[0].size == (300, 400) and sample.unlabelled_unknown


def test_wildreceipt_fields_join_company_and_address_boxes_in_reading_order_and_take_the_first_box_of_others(tmp_path):
    _wildreceipt(tmp_path, RECEIPT_BOXES)
    sample = read_dataset(tmp_path).samples[0]
    assert sample.fields == {"company": "HATOFF'SSTORE", "address": "3440WASHINGTONSTJAMAICAPLAIN,MA",
                             "date": "10/26/2018", "total": "$12.50"}
    assert set(sample.accepted["company"]) == {"HATOFF'S", "STORE", "HATOFF'SSTORE"}
    assert {"$12.50", "12.50"} <= set(sample.accepted["total"])  # either printing of the total counts


def test_wildreceipt_boxes_become_clockwise_truth_lines_and_empty_ones_are_dont_care(tmp_path):
    _wildreceipt(tmp_path, RECEIPT_BOXES)
    lines = read_dataset(tmp_path).samples[0].pages[0].lines
    assert len(lines) == len(RECEIPT_BOXES)
    assert lines[1].polygon == ((10, 10), (200, 10), (200, 30), (10, 30))  # from the top-left, clockwise
    assert [l.ignore for l in lines] == [False] * 8 + [True]


def _receipt_extraction(**values: str) -> Extraction:
    fields = {n: ExtractedField(n, v, v, v, 0.99, 1, [0, 0, 1, 1]) for n, v in values.items()}
    return Extraction("receipt", "receipt/generic", fields, [])


def test_a_field_wildreceipt_does_not_label_is_unknown_not_absent(tmp_path):
    _wildreceipt(tmp_path, RECEIPT_BOXES)  # no Tel_value box: the phone may well be printed
    dataset = read_dataset(tmp_path)
    sample = dataset.samples[0]
    extraction = _receipt_extraction(company="HATOFF'S STORE", address="3440 WASHINGTON ST JAMAICA PLAIN, MA",
                                     date="2018-10-26", total="12.50", phone="+16173181141")
    universe = field_universe(dataset.samples)
    universe["receipt"].add("phone")  # other receipts of the set label their phone
    record = document_record(sample, [PageOutput(sample.pages[0], [], 0.1)], extraction, None, universe, "wildreceipt")
    assert "phone" not in record["fields"]  # not scored as unexpected
    assert {n: f["normalized"] for n, f in record["fields"].items()} == {
        "company": "correct", "address": "correct", "date": "correct", "total": "correct"}
    assert record["wrong"] is False


def test_a_value_only_another_variant_requires_is_no_silent_error_when_missing():
    from datetime import date

    from evaluation.datasets import TruthPage
    from extractors.extract import extract_document
    from tests.unit.test_extract_bank_bill import DEPOSIT_SLIP

    truth = {"bill_type": "deposit_slip", "bill_number": "05052998", "deposited_number": "31000051",
             "issue_date": "2024-05-20", "amount": "5000.00"}
    sample = Sample("slip", Path("slip.png"), "bank_bill", (TruthPage(1, ()),), truth)
    extraction = extract_document(DEPOSIT_SLIP, today=date(2024, 6, 1), threshold=0.0)  # its serial not printed
    record = document_record(sample, [PageOutput(sample.pages[0], [], 0.1)], extraction, None,
                             {"bank_bill": set(truth)}, "generated")
    assert record["fields"]["bill_number"]["normalized"] == "missing"
    assert record["wrong"] is False  # a deposit slip need not print its own number
    cheque = Extraction("bank_bill", "bank_bill/transfer_cheque", extraction.fields, [], required=("bill_number",))
    assert document_record(sample, [PageOutput(sample.pages[0], [], 0.1)], cheque, None,
                           {"bank_bill": set(truth)}, "generated")["wrong"] is True


# --- review and calibration figures --------------------------------------------------------------

def _doc(status: str, wrong: bool, doc_type: str = "receipt", labelled: bool = True, **extra) -> dict:
    return {"labelled_fields": labelled, "doc_type": doc_type, "status": status, "wrong": wrong,
            "required_field_problem": extra.get("required_problem", False), "fields": extra.get("fields", {})}


REVIEWED = [
    _doc("done", False),  # automated and right
    _doc("done", True),  # a silent error
    _doc("needs_review", True, required_problem=True),  # flagged and wrong
    _doc("needs_review", False, doc_type="courier_waybill"),  # flagged needlessly
    _doc("failed", True, doc_type="courier_waybill"),  # flagged (failed) and wrong
    _doc("done", True, labelled=False),  # no labels: counts in the statuses only
]


def test_trust_figures_count_automation_silent_errors_and_the_flag():
    figures = trust_figures([r for r in REVIEWED if r["labelled_fields"]])
    assert figures["labelled_documents"] == 5 and figures["wrong_documents"] == 3
    assert (figures["automation"], figures["silent_errors"], figures["review_rate"]) == (0.2, 0.2, 0.6)
    assert figures["flag_counts"] == {"tp": 2, "fp": 1, "fn": 1}
    assert (figures["flag_precision"], figures["flag_recall"]) == (0.6667, 0.6667)


def test_the_review_section_splits_by_type_and_counts_every_status():
    review = review_section(REVIEWED)
    assert review["documents"] == 6 and review["by_status"] == {"done": 3, "needs_review": 2, "failed": 1}
    assert review["needs_review"] == 2 and review["with_required_field_problem"] == 1
    assert review["silent_errors"] == 0.2  # the unlabelled done document is not counted
    waybills = review["by_type"]["courier_waybill"]
    assert (waybills["automation"], waybills["review_rate"], waybills["flag_precision"]) == (0.0, 1.0, 0.5)
    assert review["by_type"]["receipt"]["silent_errors"] == pytest.approx(1 / 3, abs=1e-4)


def test_no_labelled_documents_give_no_rates_not_a_division_by_zero():
    figures = trust_figures([])
    assert figures["automation"] is None and figures["silent_errors"] is None


def _scored(confidence: float | None, normalized: str) -> dict:
    return {"confidence": confidence, "normalized": normalized}


def test_calibration_bins_confidence_against_accuracy_and_gives_the_brier_score():
    fields = {"a": _scored(0.95, "correct"), "b": _scored(0.95, "wrong"), "c": _scored(0.15, "correct"),
              "d": _scored(1.0, "correct"), "e": _scored(None, "missing"), "f": _scored(0.5, "missing"),
              "g": _scored(0.3, "unexpected")}
    section = calibration_section([_doc("done", True, fields=fields),
                                   _doc("done", True, labelled=False, fields={"x": _scored(0.05, "wrong")})])
    assert section["fields"] == 5  # missing fields have no value to be sure of; unlabelled records don't count
    assert section["bins"] == [
        {"low": 0.1, "high": 0.2, "fields": 1, "confidence": 0.15, "accuracy": 1.0},
        {"low": 0.3, "high": 0.4, "fields": 1, "confidence": 0.3, "accuracy": 0.0},
        {"low": 0.9, "high": 1.0, "fields": 3, "confidence": 0.9667, "accuracy": 0.6667},  # 1.0 falls in the last bin
    ]
    expected = ((0.95 - 1) ** 2 + 0.95 ** 2 + (0.15 - 1) ** 2 + 0 + 0.3 ** 2) / 5
    assert section["brier"] == pytest.approx(expected, abs=1e-4)


def test_calibration_of_nothing_is_empty():
    assert calibration_section([]) == {"fields": 0, "bins": [], "brier": None}


# --- the OCR cache ------------------------------------------------------------------------------

def _ocr_line(text: str, chars: tuple[float, ...] = ()) -> OcrLine:
    return OcrLine(text, 0.91, box_polygon(1.5, 2, 80, 20.25), page=2, angle=180, char_scores=chars)


@pytest.fixture
def cache_settings(tmp_path):
    from workers.settings import Settings

    return Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", data_dir=tmp_path / "data", broker_url=None)


def test_a_cached_page_reads_back_equal(tmp_path, cache_settings):
    from workers.evaluate import OcrCache

    cache = OcrCache(tmp_path / "cache", cache_settings)
    upright = [_ocr_line("收件人：张伟", (0.99, 0.98, 0.5, 0.97, 0.96, 0.95)), _ocr_line("no chars")]
    original = [_ocr_line("原图")]
    assert cache.load(b"image bytes", 2) is None
    cache.store(b"image bytes", 2, upright, original, 1.25, {"deskew": 0.1})
    assert cache.load(b"image bytes", 2) == (upright, original, 1.25, {"deskew": 0.1})
    assert OcrCache(tmp_path / "cache", cache_settings).load(b"image bytes", 2) is not None  # a new run finds it
    assert not list((tmp_path / "cache").glob("*.tmp"))


def test_another_image_page_setting_or_cache_version_misses(tmp_path, cache_settings, monkeypatch):
    import workers.evaluate as evaluate

    cache = evaluate.OcrCache(tmp_path / "cache", cache_settings)
    cache.store(b"image bytes", 1, [_ocr_line("x", (0.9,))], [], 1.0, {})
    assert cache.load(b"other bytes", 1) is None
    assert cache.load(b"image bytes", 2) is None
    other_dpi = cache_settings.model_copy(update={"raster_dpi": cache_settings.raster_dpi + 100})
    assert evaluate.OcrCache(tmp_path / "cache", other_dpi).load(b"image bytes", 1) is None
    monkeypatch.setattr(evaluate, "CACHE_VERSION", evaluate.CACHE_VERSION + 1)
    assert evaluate.OcrCache(tmp_path / "cache", cache_settings).load(b"image bytes", 1) is None


def test_stored_ocr_lines_keep_their_character_probabilities(settings):
    from sqlalchemy import select as sql_select

    from db import repo
    from db.models import OcrLine as OcrLineRow
    from db.session import session_scope

    rows = [{"text": "张伟", "score": 0.9, "polygon": [[0, 0], [9, 0], [9, 9], [0, 9]], "angle": 0,
             "char_scores": [0.99, 0.42]},
            {"text": "old", "score": 0.8, "polygon": [[0, 0], [9, 0], [9, 9], [0, 9]], "angle": 0, "char_scores": None}]
    with session_scope(settings.database_url) as session:
        document, _ = repo.get_or_create_document(session, sha256="c" * 64, original_name="x.png",
                                                  media_type="image/png", size_bytes=1, requested_type=None)
        page = repo.save_pages(session, document, [{"number": 1, "image_path": "/p.png", "width": 9, "height": 9,
                                                    "renderer": "image"}])[0]
        repo.save_lines(session, page, rows, ocr_seconds=0.1)
        document_id = document.id
    with session_scope(settings.database_url) as session:
        stored = [line for _, line in repo.document_lines(session, document_id)]
        assert [(l.text, l.char_scores) for l in stored] == [("张伟", [0.99, 0.42]), ("old", None)]
        assert session.scalars(sql_select(OcrLineRow)).first().char_scores == [0.99, 0.42]


# --- layouts people confirmed, as evaluation measures them --------------------------------------

def test_with_every_other_document_confirmed_a_copy_of_a_confirmed_form_has_its_values_placed(tmp_path, cache_settings):
    """Three copies of one waybill form, their OCR read from the cache: measured cold no value is
    placed; with the other two confirmed (their right values), every value of each copy is."""
    from tests.unit.test_layouts import NAMES, form
    from workers.evaluate import OcrCache, confirmations, evaluate_dataset, others_confirmed

    cache = OcrCache(tmp_path / "cache", cache_settings)
    for n, (receiver, sender) in enumerate(NAMES[:3]):
        image = tmp_path / "set" / f"waybill_{n}.png"
        image.parent.mkdir(exist_ok=True)
        Image.new("RGB", (900, 700), (255, 255 - n, 255)).save(image)
        lines = form(receiver, sender, n, dx=7 * n, dy=5 * n)
        cache.store(image.read_bytes(), 1, lines, lines, 0.1, {})
        truth = {"doc_type": "courier_waybill", "fields": {"receiver_name": receiver, "sender_name": sender},
                 "pages": [{"width": 900, "height": 700, "lines": []}]}
        image.with_suffix(".json").write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    data = read_dataset(tmp_path / "set")
    no_ocr = lambda: pytest.fail("every page is in the cache")
    cold, _ = evaluate_dataset(data, no_ocr, cache_settings, cache=cache)
    warm, _ = evaluate_dataset(data, no_ocr, cache_settings, cache=cache,
                               memory=others_confirmed(confirmations(cold["documents"])))
    placed = lambda report: {r["name"]: {n: e["evidence"]["placed"] for n, e in r["extracted"].items()}
                             for r in report["documents"]}
    assert all(p == 0 for fields in placed(cold).values() for p in fields.values())
    assert all(fields["receiver_name"] == fields["sender_name"] == 1 for fields in placed(warm).values())
    assert set(confirmations(cold["documents"])["waybill_0"].boxes) >= {"receiver_name", "sender_name"}
