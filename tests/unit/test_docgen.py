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
import pytest
from PIL import Image

from tools.docgen.fonts import MISSING_MESSAGE, has_cjk_font
from tools.docgen.formats import date_upper

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "generated"
REQUIRED = {
    "courier_waybill": {"tracking_number", "carrier", "sender_name", "sender_phone", "sender_address",
                        "receiver_name", "receiver_phone", "receiver_address", "date", "weight"},
    "bank_bill": {"bill_type", "bill_number", "issue_date", "payer_name", "payer_account", "payer_bank",
                  "payee_name", "amount", "amount_words"},
}
BRANDS = {"SF": "顺丰", "ZTO": "中通", "JD": "京东", "YTO": "圆通"}
TITLES = {"transfer_cheque": "转账支票", "acceptance_bill": "承兑汇票", "deposit_slip": "进账单"}
UPPER = "零壹贰叁肆伍陆柒捌玖"
UPPER_AMOUNT = re.compile(f"[{UPPER}拾佰仟万亿]+元[{UPPER}角分整]*")


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
        elif ch == "元":
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
    if name == "amount":
        cents = Decimal(value)
        return {value, str(int(cents * 100)), f"{cents.normalize():f}元"}
    if name == "weight":
        return {f"{value}kg", f"{Decimal(value):.1f}kg", f"{Decimal(value):.1f}公斤", f"(kg):{value}"}
    if name == "carrier":
        return {BRANDS[value]}
    if name == "bill_type":
        return {TITLES[value]}
    return {value}


# ----- checks shared by fresh and committed documents ----------------------------------------
def check_document(truth: dict, image_path: Path) -> None:
    assert truth["doc_type"] in REQUIRED
    fields, page = truth["fields"], truth["pages"][0]
    assert REQUIRED[truth["doc_type"]] <= fields.keys()
    assert all(isinstance(v, str) and v for v in fields.values())
    with Image.open(image_path) as image:
        assert image.size == (page["width"], page["height"])
    check_polygons(page)
    check_canonical(fields)
    text = flat("".join(line["text"] for line in page["lines"]))
    for name, value in fields.items():
        if name != "amount_words":
            assert any(flat(form) in text for form in field_forms(name, value)), (name, value)
    if truth["degradations"]:  # a degraded page records these five, 0 where not applied
        degradations = truth["degradations"]
        assert {"skew_deg", "perspective", "blur", "noise", "jpeg_quality"} <= degradations.keys()
        assert abs(degradations["skew_deg"]) <= 5 and degradations["blur"] <= 1
        assert 40 <= degradations["jpeg_quality"] <= 70 or degradations.get("background") == "table"
    if truth["doc_type"] == "bank_bill":
        assert truth["amount_small"] in {"text", "cells", "cells+text"}
        assert fields["payer_name"] != fields["payee_name"]
        assert fields["payer_account"] != fields.get("payee_account")
    if "amount_words" in fields:
        uppers = [m for line in page["lines"] for m in UPPER_AMOUNT.findall(flat(line["text"]))]
        assert uppers and all(rmb_value(m) == Decimal(fields["amount"]) for m in uppers)
        assert fields["amount_words"] == fields["amount"]


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
        elif name in {"amount", "amount_words"}:
            assert re.fullmatch(r"\d+\.\d{2}", value)
        elif name.endswith("_account"):
            assert re.fullmatch(r"\d{12,19}", value) and (len(value) not in (16, 19) or luhn_ok(value))
        elif name in {"tracking_number", "bill_number"}:
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
    assert {json.loads(t.read_text("utf-8"))["doc_type"] for t in truths} == set(REQUIRED)
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
        assert all(bool(t["degradations"]) == (t["_dir"] == "degraded") for t in mine)


@pytest.mark.parametrize("truth_path", fixture_truths(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture_truth_is_well_formed(truth_path: Path) -> None:
    truth = json.loads(truth_path.read_text("utf-8"))
    assert {"doc_type", "layout", "seed", "degradations", "pages", "fields"} <= truth.keys()
    image = truth_path.with_name(truth["pages"][0]["image"])
    assert image.is_file() and image.stem == truth_path.stem
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
