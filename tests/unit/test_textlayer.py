"""Born-digital PDFs are read from their own text layer (no OCR), where the text is printed; a
broken or borrowed text layer is OCR'd instead; ``BILLFLOW_TEXT_LAYER=false`` OCRs every page;
pages are rendered one at a time, when asked for."""

from __future__ import annotations

import dataclasses
import gc
import weakref

import pypdfium2
import pytest
from PIL import Image

from db import repo
from db.models import Status
from db.session import session_scope
from tests.unit.lines_factory import page as grid_page
from tests.unit.pdf_factory import cjk_font, mismapped_pdf, scan_pdf, text_pdf, wrapped_pdf
from workers import pipeline
from workers import rasterize as r
from workers.pagewriter import PageImageWriter
from workers.rasterize import stream_pages
from workers.settings import Settings
from workers.textlayer import Glyph, usable

INVOICE = [(72, 100, "Invoice number: INV-2024-001", 12), (400, 100, "Total: 12.50 EUR", 12),
           (72, 140, "Acme Trading Ltd, 12 Harbour Road", 10)]
WAYBILL = [(60, 80, "顺丰速运 运单号：SF1234567890123", 14), (60, 120, "收件人：张伟 138 1234 5678", 12),
           (60, 150, "地址：广东省深圳市南山区科技园路18号", 12), (60, 180, "寄件人：李娜 13912345678", 12),
           (60, 210, "寄件日期：2024-03-15 重量：1.5kg 运费：¥23.00", 12)]
SCALE = 200 / 72  # pixels per point at 200 dpi


def only_page(data: bytes, text_layer: bool = True):
    (page,) = list(stream_pages(data, 200, text_layer=text_layer))
    return page


def test_a_born_digital_page_is_read_from_its_text_layer_where_it_is_printed():
    page = only_page(text_pdf([INVOICE]))
    assert page.renderer == "text-layer"
    assert [l.text for l in page.lines] == ["Invoice number: INV-2024-001", "Total: 12.50 EUR",
                                            "Acme Trading Ltd, 12 Harbour Road"]
    number, total, address = page.lines
    assert abs(number.bbox[0] - 72 * SCALE) < 2 and abs(total.bbox[0] - 400 * SCALE) < 2  # a wide gap: two lines
    assert number.bbox[1] < 100 * SCALE < number.bbox[3] < address.bbox[1]  # the baseline inside the box
    assert all(l.score == 1.0 and l.char_scores == (1.0,) * len(l.text) for l in page.lines)
    assert page.image.size == (round(595 * SCALE), round(842 * SCALE))


def test_the_lines_lie_on_the_ink_of_the_rendered_page():
    page = only_page(text_pdf([INVOICE]))
    ink = page.image.convert("L").point(lambda v: 255 if v < 128 else 0)
    for line in page.lines:
        assert ink.crop(tuple(round(v) for v in line.bbox)).getbbox() is not None
    assert ink.crop((0, 0, page.image.width, round(page.lines[0].bbox[1]) - 2)).getbbox() is None


@pytest.mark.skipif(cjk_font() is None, reason="no CJK font installed to print Chinese with")
def test_a_chinese_page_keeps_its_characters_and_lines():
    page = only_page(text_pdf([WAYBILL], cjk_font()))
    assert page.renderer == "text-layer"
    assert [l.text for l in page.lines] == [text for _, _, text, _ in WAYBILL]


@pytest.mark.parametrize("first, what", [(0xE000, "private-use characters"), (0x0400, "Cyrillic for Latin"),
                                         (0x4E00, "Han characters for narrow Latin glyphs")])
def test_a_page_whose_text_layer_is_garbage_is_ocrd(first, what):
    page = only_page(mismapped_pdf("Invoice number INV 2024 total 12.50", first))
    assert page.lines is None and page.renderer in ("pdftoppm", "pdfium"), what


@pytest.mark.parametrize("wrap", [lambda data: data, wrapped_pdf], ids=["on the page", "in a form XObject"])
def test_a_scan_with_an_invisible_text_layer_is_ocrd(wrap):
    page = only_page(wrap(scan_pdf("Invoice number INV 2024 total 12.50")))
    assert page.lines is None and page.renderer != "text-layer"
    assert only_page(wrap(text_pdf([INVOICE]))).renderer == "text-layer"


def test_the_setting_off_ocrs_a_born_digital_page():
    page = only_page(text_pdf([INVOICE]), text_layer=False)
    assert page.lines is None and page.renderer in ("pdftoppm", "pdfium")


def test_letters_whose_shapes_belong_to_another_script_are_not_believed():
    def glyphs(text: str, width: float) -> list[Glyph]:
        return [Glyph(ch, (i * width, 0, (i + 1) * width, 40)) for i, ch in enumerate(text)]

    latin, han = "Invoice total amount due", "发票号码合计金额大写人民币壹佰元整开票日期"
    assert usable(glyphs(latin, 18)) and usable(glyphs(han, 40))
    assert not usable(glyphs(latin, 40))  # square CJK glyphs said to be Latin letters
    assert not usable(glyphs(han, 16))  # narrow glyphs said to be Han
    assert not usable(glyphs(latin + "\x01\x02\x03\x04\x05", 18))  # control characters
    assert not usable(glyphs("Page 1 of 2", 18))  # hardly any text: OCR the page


@pytest.mark.parametrize("renderer", ["pdftoppm", "pdfium"])
def test_pages_are_rendered_only_when_asked_for(monkeypatch, renderer):
    if renderer == "pdftoppm" and r.pdf_renderer() != "pdftoppm":
        pytest.skip("poppler-utils (pdftoppm) is not installed")
    monkeypatch.setattr(r, "pdf_renderer", lambda: renderer)
    rendered = []
    real_pdftoppm, real_pdfium = r._render_poppler, pypdfium2.PdfPage.render
    monkeypatch.setattr(r, "_render_poppler", lambda *a: rendered.append(a) or real_pdftoppm(*a))
    monkeypatch.setattr(pypdfium2.PdfPage, "render", lambda *a, **k: rendered.append(a) or real_pdfium(*a, **k))
    pages = stream_pages(text_pdf([INVOICE] * 4), 100)
    assert rendered == []
    assert next(pages).number == 1 and len(rendered) == 1
    assert next(pages).number == 2 and len(rendered) == 2
    assert [p.count for p in pages] == [4, 4] and len(rendered) == 4


def test_a_page_is_let_go_once_the_caller_lets_go_of_it():
    pages = stream_pages(text_pdf([INVOICE] * 3), 100, text_layer=False)
    first = weakref.ref(next(pages))
    second = weakref.ref(next(pages))
    gc.collect()
    assert first() is None and second() is None


class CountingEngine:
    """Reads the same waybill lines off any page, counting the engines made."""

    made = 0

    def __init__(self):
        CountingEngine.made += 1

    def detect(self, image):
        return []

    def flip_scores(self, image, polygons):
        return []

    def read(self, image, page: int = 1, polygons=None):
        return [dataclasses.replace(l, page=page) for l in grid_page(*(text for _, _, text, _ in WAYBILL))]


def processed(settings, data: bytes):
    CountingEngine.made = 0
    document_id = pipeline.submit_bytes(settings, data, "bill.pdf").document_id
    status = pipeline.process_in_process(settings, CountingEngine, document_id)
    with session_scope(settings.database_url) as session:
        document = repo.get_document(session, document_id)
        pages = [(p.renderer, p.width, p.height, p.image_path) for p in document.pages]
        fields = {f.name: f.value for f in document.fields}
        lines = [l.text for _, l in repo.document_lines(session, document_id)]
    return status, pages, fields, lines


@pytest.mark.skipif(cjk_font() is None, reason="no CJK font installed to print Chinese with")
def test_a_born_digital_waybill_is_extracted_without_loading_ocr(settings):
    status, pages, fields, lines = processed(settings, text_pdf([WAYBILL], cjk_font()))
    assert CountingEngine.made == 0 and lines == [text for _, _, text, _ in WAYBILL]
    assert status in (Status.done, Status.needs_review) and fields["tracking_number"] == "SF1234567890123"
    ((renderer, width, height, path),) = pages
    assert renderer == "text-layer" and Image.open(path).size == (width, height)


def test_with_the_setting_off_every_page_is_ocrd(settings, monkeypatch):
    monkeypatch.setenv("BILLFLOW_TEXT_LAYER", "false")
    ocr_only = Settings(**settings.model_dump(exclude={"text_layer"}))
    status, pages, fields, _ = processed(ocr_only, text_pdf([INVOICE] * 2))
    assert CountingEngine.made == 1 and [p[0] for p in pages] == [r.pdf_renderer()] * 2
    assert fields["tracking_number"] == "SF1234567890123"  # what the stand-in engine read


def test_a_queued_document_read_wholly_from_its_text_layer_is_extracted_at_once(settings, monkeypatch):
    from workers import tasks

    monkeypatch.setattr(tasks, "get_settings", lambda: settings)
    document_id = pipeline.submit_bytes(settings, text_pdf([INVOICE]), "invoice.pdf").document_id
    assert tasks.process_document.apply(args=[document_id]).get() == 0  # no page left to OCR
    with session_scope(settings.database_url) as session:
        assert repo.get_document(session, document_id).status in (Status.done, Status.needs_review)


def test_a_page_image_that_cannot_be_written_fails_the_caller(tmp_path):
    blocker = tmp_path / "pages"
    blocker.write_text("a file where the page folder belongs")
    with pytest.raises(OSError), PageImageWriter() as writer:
        writer.write(blocker / "page-0001.png", Image.new("RGB", (8, 8)))
    with PageImageWriter() as writer:
        writer.write(tmp_path / "page-0001.png", Image.new("RGB", (8, 8), (9, 9, 9)))
    assert Image.open(tmp_path / "page-0001.png").getpixel((1, 1)) == (9, 9, 9)


def test_the_second_letter_of_a_ligature_sharing_the_first_ones_box_stays_on_its_line():
    from workers.textlayer import Glyph, group_lines

    x = 0.0
    glyphs = []
    for ch in "Thuiskopiehe":
        glyphs.append(Glyph(ch, (x, 0, x + 20, 40)))
        x += 20
    ligature = (x, 0, x + 34, 40)  # "ff" drawn as one glyph: both letters get its box
    glyphs += [Glyph("f", ligature), Glyph("f", ligature)]
    x += 34
    for ch in "ing":
        glyphs.append(Glyph(ch, (x, 0, x + 20, 40)))
        x += 20
    assert [l.text for l in group_lines(glyphs, 1)] == ["Thuiskopieheffing"]


def test_eval_reads_a_born_digital_pdf_from_its_text_layer_as_the_pipeline_does(settings, tmp_path):
    import json

    from evaluation.datasets import read_dataset
    from workers.evaluate import evaluate_dataset

    data = text_pdf([INVOICE])
    (tmp_path / "set").mkdir()
    (tmp_path / "set" / "invoice.pdf").write_bytes(data)
    printed = only_page(data)
    truth = {"doc_type": "receipt", "fields": {}, "pages": [{
        "width": printed.image.width, "height": printed.image.height,
        "lines": [{"text": l.text, "polygon": [list(p) for p in l.polygon]} for l in printed.lines]}]}
    (tmp_path / "set" / "invoice.json").write_text(json.dumps(truth), encoding="utf-8")
    dataset = read_dataset(tmp_path / "set")

    CountingEngine.made = 0
    report, _ = evaluate_dataset(dataset, CountingEngine, settings)
    assert CountingEngine.made == 0 and report["dataset"]["text_layer"] is True
    assert report["recognition"]["cer"] == 0.0 and report["detection"]["hmean"] == 1.0
    report, _ = evaluate_dataset(dataset, CountingEngine, settings.model_copy(update={"text_layer": False}))
    assert CountingEngine.made == 1 and report["documents"][0]["predicted_type"] == "courier_waybill"  # the stand-in


def test_broad_latin_letters_on_a_chinese_page_do_not_discredit_its_text_layer():
    from workers.textlayer import Glyph, usable

    chinese = [Glyph(ch, (i * 20.0, 0.0, i * 20.0 + 20.0, 20.0)) for i, ch in enumerate("增值税电子普通发票规格型号单位数量")]
    millimetres = [Glyph("m", (400.0, 0.0, 416.0, 20.0)), Glyph("m", (416.0, 0.0, 432.0, 20.0)),
                   Glyph("m", (440.0, 0.0, 456.0, 20.0))]
    assert usable(chinese + millimetres)
