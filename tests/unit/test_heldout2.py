"""The heldout2 family's labels say what its pages print: amount words equal the digits, phones
are valid numbers, dates read back, every labelled value is printed on a truth line of the page,
and the files read as a generated set. Parsers here are written independently of tools.heldout2."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import phonenumbers
import pytest
from PIL import Image

from evaluation.datasets import read_dataset
from tools.heldout2.__main__ import generate

DIGIT = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
UNIT = {"拾": 10, "佰": 100, "仟": 1000}


def words_to_cents(words: str) -> int:
    """人民币 upper-case words → cents (parsed here, not by the generator)."""
    words = words.removeprefix("人民币").removesuffix("整")
    yuan_part, _, rest = words.partition("元") if "元" in words else ("", "", words)
    total, section, digit = 0, 0, 0
    for char in yuan_part:
        if char in DIGIT:
            digit = DIGIT[char]
        elif char in UNIT:
            section += (digit or 1) * UNIT[char]
            digit = 0
        elif char == "万":
            total += (section + digit) * 10_000
            section = digit = 0
        elif char == "亿":
            total = (total + section + digit) * 100_000_000
            section = digit = 0
    cents = (total + section + digit) * 100
    jiao = re.search(r"(.)角", rest)
    fen = re.search(r"(.)分", rest)
    return cents + (DIGIT[jiao.group(1)] * 10 if jiao else 0) + (DIGIT[fen.group(1)] if fen else 0)


def upper_to_date(text: str) -> dt.date:
    year, month, day = re.fullmatch(r"(.+)年(.+)月(.+)日", text).groups()

    def number(part: str) -> int:
        part = part.lstrip("零") or "零"
        if "拾" in part:
            tens, _, ones = part.partition("拾")
            return DIGIT.get(tens, 1) * 10 + (DIGIT[ones] if ones else 0)
        return DIGIT[part]

    return dt.date(int("".join(str(DIGIT[c]) for c in year)), number(month), number(day))


def squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("heldout2")
    generate(root / "clean", 24, seed=5, mode="none")
    generate(root / "mild", 6, seed=5, mode="mild")
    return root


def truths(root: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(root.rglob("*.json"))]


def test_every_labelled_value_is_printed_on_the_lines_of_its_page(generated):
    """On one line, or on consecutive lines (an address wrapped)."""
    for truth in truths(generated):
        page_text = "|".join(squeezed(l["text"]) for l in truth["pages"][0]["lines"] if "kind" not in l)
        for name, printed in truth["printed"].items():
            assert squeezed(printed) in page_text or squeezed(printed) in page_text.replace("|", ""), (
                truth["layout"], name, printed)
            if name not in ("receiver_address", "sender_address"):
                assert squeezed(printed) in page_text, (truth["layout"], name, printed)


def test_a_deposit_slip_labels_its_own_number_and_the_deposited_one(generated):
    slips = [t for t in truths(generated) if t["fields"].get("bill_type") == "deposit_slip"]
    assert slips
    for truth in slips:
        fields, texts = truth["fields"], [line["text"] for line in truth["pages"][0]["lines"]]
        assert texts[texts.index(fields["bill_number"]) - 1].strip() in {"No.", "No", "编号"}
        if "票据号码" in texts:
            assert texts[texts.index("票据号码") + 1] == fields["deposited_number"] == truth["printed"]["deposited_number"]
        else:
            assert "deposited_number" not in fields
    bills = [t for t in truths(generated) if t["doc_type"] == "bank_bill" and t not in slips]
    assert bills and all("deposited_number" not in t["fields"] for t in bills)


def test_printed_lines_do_not_overprint_each_other(generated):
    """Text runs of the page never overlap (seals aside, which print over text on purpose);
    on undistorted pages, where a line's box is its ink."""
    for truth in truths(generated):
        if truth["degrade"] != "none":
            continue
        boxes = [_bounds(l["polygon"]) for l in truth["pages"][0]["lines"] if "kind" not in l]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                overlap = max(0, min(a[2], b[2]) - max(a[0], b[0])) * max(0, min(a[3], b[3]) - max(a[1], b[1]))
                smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
                assert overlap <= 0.3 * smaller, (truth["layout"], a, b)


def _bounds(polygon) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in polygon], [p[1] for p in polygon]
    return min(xs), min(ys), max(xs), max(ys)


def test_amount_words_and_digits_say_the_same_sum(generated):
    bills = [t for t in truths(generated) if t["doc_type"] == "bank_bill"]
    assert bills
    for truth in bills:
        fields, printed = truth["fields"], truth["printed"]
        assert fields["amount"] == fields["amount_words"]
        cents = round(float(fields["amount"]) * 100)
        assert words_to_cents(printed["amount_words"]) == cents, printed["amount_words"]
        figures = printed["amount"].replace("¥", "").replace(",", "")
        assert round(float(figures) * (1 if "." in figures else 0.01) * 100) == cents


def test_phones_are_valid_numbers_printed_as_labelled(generated):
    waybills = [t for t in truths(generated) if t["doc_type"] == "courier_waybill"]
    assert waybills
    for truth in waybills:
        for role in ("receiver", "sender"):
            e164, printed = truth["fields"][f"{role}_phone"], truth["printed"][f"{role}_phone"]
            number = phonenumbers.parse(printed, "CN")
            assert phonenumbers.is_valid_number(number), printed
            assert phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == e164


def test_dates_read_back_to_the_labelled_day(generated):
    for truth in truths(generated):
        key = "date" if truth["doc_type"] == "courier_waybill" else "issue_date"
        printed, iso = truth["printed"][key], truth["fields"][key]
        digits = re.findall(r"\d+", printed)
        if len(digits) >= 3:
            assert dt.date(*map(int, digits[:3])).isoformat() == iso, printed
        else:
            assert upper_to_date(printed).isoformat() == iso, printed


def test_fields_follow_the_schema_formats(generated):
    from jsonschema import validate

    from schemas import bundled_schema
    for truth in truths(generated):
        validate(truth["fields"], bundled_schema(truth["doc_type"]))


def test_the_set_reads_as_generated_with_polygons_inside_the_page(generated):
    dataset = read_dataset(generated)
    assert dataset.format == "generated" and len(dataset.samples) == 30
    for sample in dataset.samples:
        width, height = Image.open(sample.source).size
        assert sample.pages[0].size == (width, height)
        for line in sample.pages[0].lines:
            assert all(-3 <= x <= width + 3 and -3 <= y <= height + 3 for x, y in line.polygon), sample.name


def test_same_seed_same_documents(tmp_path):
    first = generate(tmp_path / "a", 2, seed=9)
    second = generate(tmp_path / "b", 2, seed=9)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
