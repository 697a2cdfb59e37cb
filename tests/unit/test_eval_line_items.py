"""Line-item scoring: rows exactly right, tables entirely right, and a document whose item rows are
wrong counting as wrong in the review figures (no OCR)."""

from __future__ import annotations

import json

from PIL import Image

from evaluation.datasets import TruthPage, read_dataset
from evaluation.report import render_html, summary_rows
from evaluation.scoring import PageOutput, aggregate, document_record, field_universe, score_line_items
from extractors.extract import ExtractedField, Extraction
from extractors.items import LineItem

SOFTWARE = {"name": "*信息技术服务*软件开发费", "specification": None, "unit": None, "quantity": None,
            "unit_price": None, "amount": "10000.00", "tax_rate": "0.06", "tax": "600.00"}
PAPER = {"name": "*纸制品*复印纸", "specification": "A4 70g", "unit": "箱", "quantity": "2",
         "unit_price": "150.00", "amount": "300.00", "tax_rate": "0.13", "tax": "39.00"}
VEGETABLES = {"name": "*蔬菜*鲜蔬菜", "specification": None, "unit": "千克", "quantity": "12.5",
              "unit_price": "8.00", "amount": "100.00", "tax_rate": None, "tax": None}
FIELDS = {"invoice_number": "01234567", "total": "10439.00"}


def test_cells_compare_as_numbers_and_text_without_spaces():
    read = [PAPER | {"name": "*纸制品* 复印纸", "quantity": "2.00", "unit_price": "150", "tax_rate": "13%"},
            SOFTWARE | {"amount": "10,000.00"}, VEGETABLES]
    score = score_line_items([PAPER, SOFTWARE, VEGETABLES], read)
    assert score["rows_right"] == 3 and score["table_right"] and score["row_errors"] == 0


def test_a_wrong_cell_a_missing_row_and_an_extra_row_are_each_wrong():
    wrong_tax = score_line_items([PAPER, SOFTWARE], [PAPER | {"tax": "39.01"}, SOFTWARE])
    assert wrong_tax["right"] == [False, True] and not wrong_tax["table_right"]
    blank_read_as_value = score_line_items([SOFTWARE], [SOFTWARE | {"unit": "项"}])
    assert blank_read_as_value["rows_right"] == 0
    missing = score_line_items([PAPER, SOFTWARE], [SOFTWARE])
    assert missing["right"] == [False, True] and missing["row_errors"] == 1 and not missing["table_right"]
    extra = score_line_items([PAPER], [PAPER, PAPER])  # a row read twice is matched once
    assert extra["rows_right"] == 1 and extra["row_errors"] == 1 and not extra["table_right"]
    swapped = score_line_items([PAPER, SOFTWARE], [SOFTWARE, PAPER])
    assert swapped["rows_right"] == 2 and not swapped["table_right"]  # rows right, order wrong


def _invoice_set(tmp_path, count: int):
    for i in range(count):
        Image.new("RGB", (400, 200), "white").save(tmp_path / f"vat{i}.jpg")
        truth = {"doc_type": "vat_invoice", "layout": "vat_special", "degradations": {},
                 "pages": [{"image": f"vat{i}.jpg", "width": 400, "height": 200, "lines": []}],
                 "fields": FIELDS, "line_items": [PAPER, SOFTWARE]}
        (tmp_path / f"vat{i}.json").write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    return read_dataset(tmp_path)


def _read(items: list[dict]) -> Extraction:
    fields = {n: ExtractedField(n, v, v, v, 0.99, 1, [0, 0, 1, 1]) for n, v in FIELDS.items()}
    rows = [LineItem(row, **cells) for row, cells in enumerate(items, start=1)]
    return Extraction("vat_invoice", "vat_invoice", fields, [], line_items=rows)


def test_generated_truth_gives_line_items_and_documents_without_an_item_table_none(tmp_path):
    _invoice_set(tmp_path, 1)
    Image.new("RGB", (400, 200), "white").save(tmp_path / "wb.jpg")
    waybill = {"doc_type": "courier_waybill", "pages": [{"image": "wb.jpg", "lines": []}], "fields": {}}
    (tmp_path / "wb.json").write_text(json.dumps(waybill), encoding="utf-8")
    invoice, other = read_dataset(tmp_path).samples
    assert invoice.line_items == (PAPER, SOFTWARE) and other.line_items is None


def test_done_with_a_wrong_item_row_is_a_silent_error_and_the_report_shows_item_figures(tmp_path):
    samples = _invoice_set(tmp_path, 3).samples
    universe = field_universe(samples)
    reads = [[PAPER, SOFTWARE], [PAPER | {"quantity": "3"}, SOFTWARE], [PAPER]]
    records = [document_record(s, [PageOutput(TruthPage(1, (), (400, 200)), [], 0.1)], _read(r), None, universe,
                               "generated") for s, r in zip(samples, reads)]
    assert [r["wrong"] for r in records] == [False, True, True]  # every field right in all three
    report = aggregate(records)
    items = report["line_items"]
    assert (items["truth_rows"], items["rows_right"], items["tables_right"]) == (6, 4, 1)
    assert items["row_accuracy"] == round(4 / 6, 4) and items["table_accuracy"] == round(1 / 3, 4)
    assert items["by_type"]["vat_invoice"]["documents"] == 3
    review = report["review"]
    assert review["silent_errors"] == round(2 / 3, 4) and review["automation"] == round(1 / 3, 4)
    assert "item table" in review["convention"]
    assert [d["name"] for d in report["documents"]] == ["vat1", "vat2", "vat0"]  # 2 row errors, then 1
    assert dict(summary_rows(report))["line items: rows right / tables right"].startswith("0.6667 of 6 rows")
    page = render_html(report, {})
    assert "Line items" in page and "1 of 2 rows right" in page


def test_an_invoice_remark_matches_whatever_the_width_of_its_punctuation(tmp_path):
    sample = _invoice_set(tmp_path, 1).samples[0]
    sample = type(sample)(**{**sample.__dict__, "fields": FIELDS | {"remarks": "合同编号：HT20240015"}})
    extraction = _read([PAPER, SOFTWARE])
    extraction.fields["remarks"] = ExtractedField("remarks", "合同编号:HT20240015", "合同编号:HT20240015", "", 0.9, 1, [])
    record = document_record(sample, [], extraction, None, field_universe([sample]), "generated")
    assert record["fields"]["remarks"]["exact"] == "wrong" and record["fields"]["remarks"]["normalized"] == "correct"
