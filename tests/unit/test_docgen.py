"""tools.docgen: deterministic documents whose ground truth is complete and agrees with what is
drawn; and the committed fixture set under tests/fixtures/generated is well-formed."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import phonenumbers
import pypdfium2
import pytest
from PIL import Image
from stdnum.cn import uscc

from tools.docgen.fonts import MISSING_MESSAGE, has_cjk_font
from tools.docgen.formats import date_upper

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "generated"
REQUIRED = {
    "courier_waybill": {"tracking_number", "carrier", "sender_name", "sender_phone", "sender_address",
                        "receiver_name", "receiver_phone", "receiver_address", "date", "weight"},
    "bank_bill": {"bill_type", "bill_number", "issue_date", "payer_name", "payer_account", "payer_bank",
                  "payee_name", "amount", "amount_words"},
    "vat_invoice": {"invoice_number", "issue_date", "buyer_name", "buyer_tax_id", "seller_name", "seller_tax_id",
                    "total_excluding_tax", "total_tax", "total", "total_words", "invoice_kind"},
}
VAT_FIELDS = {"invoice_code", "invoice_number", "issue_date", "check_code", "buyer_name", "buyer_tax_id", "buyer_bank",
              "buyer_account", "seller_name", "seller_tax_id", "seller_bank", "seller_account", "total_excluding_tax",
              "total_tax", "total", "total_words", "remarks", "invoice_kind"}
KINDS = {"special": "增值税专用发票", "ordinary": "普通发票", "electronic": "电子发票（"}
ITEM_CELLS = ("name", "specification", "unit", "quantity", "unit_price", "amount", "tax_rate", "tax")
BRANDS = {"SF": "顺丰", "ZTO": "中通", "JD": "京东", "YTO": "圆通"}
TITLES = {"transfer_cheque": "转账支票", "acceptance_bill": "承兑汇票", "deposit_slip": "进账单"}
UPPER = "零壹贰叁肆伍陆柒捌玖"
UPPER_AMOUNT = re.compile(f"[{UPPER}拾佰仟万亿]+[元圆][{UPPER}角分整]*")


# ----- independent oracles -------------------------------------------------------------------
def rmb_value(text: str) -> Decimal:
    """The value of a bank upper-case amount such as 壹佰万元零伍分."""
    units = {"拾": 10, "佰": 100, "仟": 1000}
    total = section = digit = 0
    yuan, fraction = None, Decimal(0)
    for ch in text:
        if ch in UPPER:
            digit = UPPER.index(ch)
        elif ch in units:
            section, digit = section + (digit or 1) * units[ch], 0
        elif ch in "万亿":
            total = (total + section + digit) * (10_000 if ch == "万" else 100_000_000)
            section = digit = 0
        elif ch in "元圆":
            yuan, total, section, digit = total + section + digit, 0, 0, 0
        elif ch in "角分":
            fraction += Decimal(digit) / (10 if ch == "角" else 100)
            digit = 0
    return Decimal(yuan) + fraction


def luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def flat(text: str) -> str:
    """NFKC, no whitespace, no separators: what 'appears in some form' is matched against."""
    return re.sub(r"[\s\-,]", "", unicodedata.normalize("NFKC", text))


def field_forms(name: str, value: str) -> set[str]:
    """Printed forms any one of which must appear in the page text."""
    if name.endswith("_phone"):
        return {str(phonenumbers.parse(value).national_number)}
    if name in {"date", "issue_date", "due_date"}:
        day = dt.date.fromisoformat(value)
        return {day.strftime(f) for f in ("%Y%m%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")} | {date_upper(day)}
    if name in {"amount", "total", "total_tax", "total_excluding_tax"}:
        cents = Decimal(value)
        return {value, str(int(cents * 100)), f"{cents.normalize():f}元"}
    if name == "weight":
        return {f"{value}kg", f"{Decimal(value):.1f}kg", f"{Decimal(value):.1f}公斤", f"(kg):{value}"}
    if name == "carrier":
        return {BRANDS[value]}
    if name == "bill_type":
        return {TITLES[value]}
    if name == "invoice_kind":
        return {KINDS[value]}
    return {value}


# ----- checks shared by fresh and committed documents ----------------------------------------
def check_deposit_numbers(fields: dict, texts: list[str]) -> None:
    """A deposit slip's bill_number is the serial it prints after No; deposited_number is what
    it prints at 票据号码 (the deposited cheque's number)."""
    assert f"No {fields['bill_number']}" in texts
    assert texts[texts.index("票据号码") + 1] == fields["deposited_number"] != fields["bill_number"]


def check_document(truth: dict, image_path: Path) -> None:
    assert truth["doc_type"] in REQUIRED
    fields, page = truth["fields"], truth["pages"][0]
    assert REQUIRED[truth["doc_type"]] <= fields.keys()
    assert all(isinstance(v, str) and v for v in fields.values())
    if image_path.suffix == ".pdf":  # born-digital: polygons in the page's pixels at the truth's dpi
        width, height = pypdfium2.PdfDocument(image_path)[0].get_size()
        assert (round(width * truth["dpi"] / 72), round(height * truth["dpi"] / 72)) == (page["width"], page["height"])
        assert truth["medium"] == "pdf" and not truth["degradations"]
    else:
        with Image.open(image_path) as image:
            assert image.size == (page["width"], page["height"])
    check_polygons(page)
    check_canonical(fields)
    text = flat("".join(line["text"] for line in page["lines"]))
    for name, value in fields.items():
        if name not in {"amount_words", "total_words"}:
            assert any(flat(form) in text for form in field_forms(name, value)), (name, value)
    if truth["degradations"]:  # a degraded page records these five, 0 where not applied
        degradations = truth["degradations"]
        assert {"skew_deg", "perspective", "blur", "noise", "jpeg_quality"} <= degradations.keys()
        assert abs(degradations["skew_deg"]) <= 5 and degradations["blur"] <= 1
        assert 40 <= degradations["jpeg_quality"] <= 70 or degradations.get("background") == "table"
    if truth["doc_type"] == "bank_bill":
        assert truth["amount_small"] in {"text", "cells", "cells+text"}
        assert ("deposited_number" in fields) == (fields["bill_type"] == "deposit_slip")
        if fields["bill_type"] == "deposit_slip":
            check_deposit_numbers(fields, [line["text"] for line in page["lines"]])
        assert fields["payer_name"] != fields["payee_name"]
        assert fields["payer_account"] != fields.get("payee_account")
    if "amount_words" in fields:
        uppers = [m for line in page["lines"] for m in UPPER_AMOUNT.findall(flat(line["text"]))]
        assert uppers and all(rmb_value(m) == Decimal(fields["amount"]) for m in uppers)
        assert fields["amount_words"] == fields["amount"]
    if truth["doc_type"] == "vat_invoice":
        check_invoice(truth, page)


def check_invoice(truth: dict, page: dict) -> None:
    """Field names as agreed, numbers of the invoice's kind, items and totals that agree, words = digits."""
    fields, items = truth["fields"], truth["line_items"]
    assert fields.keys() <= VAT_FIELDS and 1 <= len(items) <= 8
    assert all(uscc.is_valid(fields[n]) for n in ("buyer_tax_id", "seller_tax_id"))
    kind = fields["invoice_kind"]
    assert len(fields["invoice_number"]) == (20 if kind == "electronic" else 8)
    assert len(fields.get("invoice_code", "")) == {"special": 10, "ordinary": 12, "electronic": 0}[kind]
    assert len(fields.get("check_code", "")) == (20 if kind == "ordinary" else 0)
    for row in items:
        assert set(row) == set(ITEM_CELLS) and row["name"].startswith("*")
        amount = Decimal(row["amount"])
        if row["quantity"] and row["unit_price"]:
            assert (Decimal(row["quantity"]) * Decimal(row["unit_price"])).quantize(Decimal("0.01"), "ROUND_HALF_UP") == amount
        assert row["tax_rate"] in {"0.13", "0.09", "0.06", "0.05", "0.03", "0.01", "0", None}
        assert (row["tax"] is None) == (row["tax_rate"] is None)
        if row["tax"] is not None:
            assert Decimal(row["tax"]) == (amount * Decimal(row["tax_rate"])).quantize(Decimal("0.01"), "ROUND_HALF_UP")
    assert Decimal(fields["total_excluding_tax"]) == sum(Decimal(r["amount"]) for r in items)
    assert Decimal(fields["total_tax"]) == sum(Decimal(r["tax"] or 0) for r in items)
    assert Decimal(fields["total"]) == Decimal(fields["total_excluding_tax"]) + Decimal(fields["total_tax"])
    uppers = [m for line in page["lines"] for m in UPPER_AMOUNT.findall(flat(line["text"]))]
    assert uppers and all(rmb_value(m) == Decimal(fields["total"]) for m in uppers)
    assert fields["total_words"] == fields["total"]
    text = flat("".join(line["text"] for line in page["lines"]))
    for row in items:
        assert flat(row["name"]) in text and flat(row["amount"]) in text


def check_polygons(page: dict) -> None:
    assert page["lines"]
    for line in page["lines"]:
        assert len(line["polygon"]) == 4 and line["text"].strip()
        for x, y in line["polygon"]:
            assert -0.5 <= x <= page["width"] + 0.5 and -0.5 <= y <= page["height"] + 0.5, line


def check_canonical(fields: dict) -> None:
    for name, value in fields.items():
        if name.endswith("_phone"):
            assert re.fullmatch(r"\+86\d{10,11}", value) and phonenumbers.is_valid_number(phonenumbers.parse(value))
        elif name in {"date", "issue_date", "due_date"}:
            dt.date.fromisoformat(value)
        elif name in {"amount", "amount_words", "total", "total_tax", "total_excluding_tax", "total_words"}:
            assert re.fullmatch(r"\d+\.\d{2}", value)
        elif name.endswith("_account"):
            assert re.fullmatch(r"\d{12,19}", value) and (len(value) not in (16, 19) or luhn_ok(value))
        elif name in {"tracking_number", "bill_number", "deposited_number", "invoice_number", "invoice_code", "check_code"}:
            assert re.fullmatch(r"[0-9A-Z]+", value)
        elif name == "weight":
            assert re.fullmatch(r"\d+(\.\d*[1-9])?", value)


# ----- freshly generated documents (need a CJK font) -----------------------------------------
@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    if not has_cjk_font():
        pytest.skip(f"tools.docgen renders Chinese text: {MISSING_MESSAGE}")
    from tools.docgen.__main__ import main

    out = tmp_path_factory.mktemp("docgen")
    assert main([str(out / "a"), "--count", "4", "--seed", "7", "--degrade", "all"]) == 0
    assert main([str(out / "b"), "--count", "4", "--seed", "7", "--degrade", "all"]) == 0
    return out


def test_same_seed_gives_identical_files(generated: Path) -> None:
    first = sorted(p.name for p in (generated / "a").iterdir())
    assert len(first) == 8  # 2 waybills + 2 bank bills, image + JSON each
    for name in first:
        assert (generated / "a" / name).read_bytes() == (generated / "b" / name).read_bytes(), name


def test_generated_truth_is_complete_and_matches_the_drawing(generated: Path) -> None:
    truths = sorted((generated / "a").glob("*.json"))
    assert {json.loads(t.read_text("utf-8"))["doc_type"] for t in truths} == {"courier_waybill", "bank_bill"}
    for path in truths:
        truth = json.loads(path.read_text("utf-8"))
        assert truth["degradations"]
        check_document(truth, path.with_suffix(".jpg"))


def test_content_is_independent_of_degradation() -> None:
    if not has_cjk_font():
        pytest.skip(f"tools.docgen renders Chinese text: {MISSING_MESSAGE}")
    from tools.docgen import generate

    clean = generate("bank_bill", "deposit_slip", 5)
    degraded = generate("bank_bill", "deposit_slip", 5, "all")
    assert clean.fields == degraded.fields
    assert [l.text for l in clean.lines] == [l.text for l in degraded.lines]
    check_deposit_numbers(clean.fields, [l.text for l in clean.lines])


def test_upper_case_dates_follow_the_bill_convention() -> None:
    assert date_upper(dt.date(2024, 3, 15)) == "贰零贰肆年零叁月壹拾伍日"
    assert date_upper(dt.date(2024, 10, 20)) == "贰零贰肆年零壹拾月零贰拾日"
    assert date_upper(dt.date(2025, 11, 1)) == "贰零贰伍年壹拾壹月零壹日"
    assert date_upper(dt.date(2023, 12, 31)) == "贰零贰叁年壹拾贰月叁拾壹日"


def test_addresses_resolve_with_cpca() -> None:
    cpca = pytest.importorskip("cpca")
    import random

    from tools.docgen import fakes

    rng = random.Random(3)
    addresses = [fakes.address(rng) for _ in range(120)]
    table = cpca.transform([a.text for a in addresses])
    for addr, (_, row) in zip(addresses, table.iterrows()):
        assert (row["省"], row["区"]) == (addr.province, addr.district), addr.text
        assert row["市"] in (addr.city, "市辖区"), addr.text


# ----- the committed fixture set (no font needed) --------------------------------------------
def fixture_truths() -> list[Path]:
    return sorted(FIXTURES.rglob("*.json"))


def test_fixture_set_covers_types_layouts_and_conditions() -> None:
    truths = [json.loads(p.read_text("utf-8")) | {"_dir": p.parent.name} for p in fixture_truths()]
    assert len(truths) >= 60
    for doc_type in REQUIRED:
        mine = [t for t in truths if t["doc_type"] == doc_type]
        assert len({t["layout"] for t in mine}) >= 3
        assert {t["_dir"] for t in mine} == {"clean", "degraded"}
        # a born-digital PDF is never degraded
        assert all(bool(t["degradations"]) == (t["_dir"] == "degraded" and t.get("medium") != "pdf") for t in mine)
    invoices = [t for t in truths if t["doc_type"] == "vat_invoice"]
    assert {t["medium"] for t in invoices} == {"scan", "pdf"} and len(invoices) <= 12


@pytest.mark.parametrize("truth_path", fixture_truths(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture_truth_is_well_formed(truth_path: Path) -> None:
    truth = json.loads(truth_path.read_text("utf-8"))
    assert {"doc_type", "layout", "seed", "degradations", "pages", "fields"} <= truth.keys()
    image = truth_path.with_name(truth["pages"][0]["image"])
    assert image.is_file() and image.stem == truth_path.stem
    assert (truth_path.parent.parent.name == "vat") == (truth["doc_type"] == "vat_invoice")
    check_document(truth, image)


def test_examples_truth_points_to_the_samples() -> None:
    examples = Path(__file__).resolve().parents[2] / "examples"
    truths = {p.name.removesuffix(".truth.json"): json.loads(p.read_text("utf-8"))
              for p in examples.glob("*.truth.json")}
    assert set(truths) == {"waybill_2pages", "waybill_photo", "transfer_cheque"}
    for stem, truth in truths.items():
        assert (examples / truth["pages"][0]["image"]).is_file(), stem
        assert REQUIRED[truth["doc_type"]] <= truth["fields"].keys()
        for page in truth["pages"]:
            check_polygons(page)
    pdf_pages = truths["waybill_2pages"]["pages"]
    assert [p["page"] for p in pdf_pages] == [1, 2] and pdf_pages[0]["fields"] == truths["waybill_2pages"]["fields"]
    assert pdf_pages[0]["fields"]["tracking_number"] != pdf_pages[1]["fields"]["tracking_number"]


# ----- VAT invoices: scans and born-digital PDFs (need a CJK font) ----------------------------
@pytest.fixture(scope="module")
def invoices(tmp_path_factory) -> Path:
    if not has_cjk_font():
        pytest.skip(f"tools.docgen renders Chinese text: {MISSING_MESSAGE}")
    from tools.docgen.__main__ import main

    out = tmp_path_factory.mktemp("vat")
    for run in ("a", "b"):
        assert main([str(out / run), "--count", "8", "--seed", "9", "--types", "vat_invoice", "--degrade", "mild"]) == 0
    return out


def test_invoices_are_valid_with_every_layout_and_both_media(invoices: Path) -> None:
    truths = [json.loads(p.read_text("utf-8")) | {"_path": p} for p in sorted((invoices / "a").glob("*.json"))]
    assert {t["layout"] for t in truths} == {"vat_special", "vat_ordinary", "vat_e_ordinary", "vat_all_electronic"}
    assert {t["medium"] for t in truths} == {"scan", "pdf"}
    assert {t["fields"]["invoice_kind"] for t in truths} == {"special", "ordinary", "electronic"}
    for truth in truths:
        source = truth["_path"].with_name(truth["pages"][0]["image"])
        assert source.suffix == (".pdf" if truth["medium"] == "pdf" else ".jpg")
        check_document(truth, source)
    same = [p.name for p in (invoices / "a").iterdir() if p.read_bytes() == (invoices / "b" / p.name).read_bytes()]
    assert len(same) == 16  # PDFs included: the same seed gives the same bytes


def test_an_invoice_pdf_has_a_text_layer_that_reads_back_what_is_printed(invoices: Path) -> None:
    from workers.textlayer import group_lines, page_lines, read_glyphs, to_pixels

    pdfs = sorted((invoices / "a").glob("*.pdf"))
    trusted = 0
    for path in pdfs:
        truth = json.loads(path.with_suffix(".json").read_text("utf-8"))
        page, scale = pypdfium2.PdfDocument(path)[0], truth["dpi"] / 72
        # page_lines may still refuse a layer whose few Latin letters are wide ("0.5mm" alone)
        trusted += page_lines(page, scale, 1) is not None
        lines = group_lines(read_glyphs(page.get_textpage(), to_pixels(page, scale)), 1)
        text = flat("".join(line.text for line in lines))
        fields = truth["fields"]
        assert fields["invoice_number"] in text and fields["seller_tax_id"] in text
        assert all(flat(row["name"]) in text for row in truth["line_items"])
    assert pdfs and trusted  # a usable layer: not taken for a scan


def test_an_electronic_invoice_is_written_as_a_pdf_or_a_scan_by_its_seed() -> None:
    if not has_cjk_font():
        pytest.skip(f"tools.docgen renders Chinese text: {MISSING_MESSAGE}")
    from tools.docgen import generate

    docs = [generate("vat_invoice", "vat_all_electronic", seed, "mild") for seed in range(8)]
    assert {d.notes["medium"] for d in docs} == {"scan", "pdf"}
    for doc in docs:
        assert (doc.pdf is not None) == (doc.notes["medium"] == "pdf")
        assert (doc.degradations == {}) == (doc.pdf is not None)
        assert "invoice_code" not in doc.fields and len(doc.fields["invoice_number"]) == 20
