"""The held-out document family (tools/heldout, tests/fixtures/heldout) is well-formed.

Fast checks on the committed fixtures (JSON shape, polygons inside the image, no overlapping
text, every truth value printed, amount words that parse back to the amount, with a parser
written here independently of tools.heldout and of extractors), plus determinism of the
generator. Nothing here tunes or runs billflow's extraction.
"""

from __future__ import annotations

import ast
import json
import math
import random
import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image

from tools.heldout import fonts, generate, plan_batch
from tools.heldout.generate import truth_json
from tools.heldout.numerals import amount_words

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "heldout"
PACKAGE = REPO / "tools" / "heldout"
COUNT, SEED = 80, 7
KINDS = {"barcode", "seal", "glyph", "cells", "vertical"}
CARRIER_NAMES = {"SF": "顺丰", "ZTO": "中通", "YTO": "圆通", "YUNDA": "韵达", "STO": "申通",
                 "JD": "京东", "JT": "极兔", "EMS": "EMS"}
BILL_TYPES = {"transfer_cheque", "acceptance_bill", "deposit_slip"}
WAYBILL_REQUIRED = ("tracking_number", "carrier", "receiver_name", "receiver_phone", "receiver_address",
                    "sender_name", "sender_phone", "sender_address")
BANK_REQUIRED = ("bill_type", "bill_number", "issue_date", "payer_account", "payer_bank", "payee_name",
                 "amount", "amount_words")

# ----- an independent reader of upper-case numerals ---------------------------------------------
NUMERALS = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
SMALL_UNITS = {"拾": 10, "佰": 100, "仟": 1000}
WORD_CHARS = set(NUMERALS) | set(SMALL_UNITS) | set("万亿元角分整")


def read_integer(words: str) -> int:
    """壹仟零伍 → 1005, 壹拾 or 拾 → 10, 叁仟零伍万 → 30050000."""
    total = section = digit = 0
    for ch in words:
        if ch in NUMERALS:
            digit = NUMERALS[ch]
        elif ch in SMALL_UNITS:
            section += (digit or 1) * SMALL_UNITS[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10_000
            section = digit = 0
        elif ch == "亿":
            total = (total + section + digit) * 100_000_000
            section = digit = 0
        else:
            raise ValueError(f"not a numeral: {ch!r} in {words!r}")
    return total + section + digit


def read_amount_words(text: str) -> Decimal:
    """伍仟零贰拾元整 → 5020.00; 壹仟元零伍分 → 1000.05; 叁角整 → 0.30."""
    body = text.removesuffix("整")
    yuan, _, tail = body.rpartition("元")
    match = re.fullmatch(r"零?(?:(.)角)?零?(?:(.)分)?", tail)
    assert match, f"unreadable jiao/fen part {tail!r} in {text!r}"
    jiao, fen = (NUMERALS[g] if g else 0 for g in match.groups())
    return Decimal(read_integer(yuan) if yuan else 0) + Decimal(jiao) / 10 + Decimal(fen) / 100


def read_date_words(text: str) -> str:
    """贰零贰肆年零叁月壹拾伍日 → 2024-03-15."""
    match = re.fullmatch(r"(.{4})年(.+)月(.+)日", text)
    assert match, text
    year = "".join(str(NUMERALS[c]) for c in match.group(1))
    month, day = (read_integer(g.lstrip("零")) for g in match.groups()[1:])
    return f"{year}-{month:02d}-{day:02d}"


# ----- fixtures ------------------------------------------------------------------------------------
def load_all() -> list[tuple[Path, dict]]:
    return [(p, json.loads(p.read_text(encoding="utf-8"))) for p in sorted(FIXTURES.glob("*.json"))]


DOCS = load_all()


def texts(doc: dict, with_kinds: bool = False) -> list[str]:
    return [l["text"] for l in doc["pages"][0]["lines"] if with_kinds or not l.get("kind")]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def unrotate(point, angle: float, center) -> tuple[float, float]:
    a = math.radians(-angle)
    dx, dy = point[0] - center[0], point[1] - center[1]
    return (center[0] + dx * math.cos(a) + dy * math.sin(a), center[1] - dx * math.sin(a) + dy * math.cos(a))


# ----- tests -----------------------------------------------------------------------------------
def test_the_fixture_set_is_complete_and_small():
    assert len(DOCS) == COUNT
    types = [d["doc_type"] for _, d in DOCS]
    assert types.count("courier_waybill") == types.count("bank_bill") == COUNT // 2
    layouts = {(d["doc_type"], d["layout"]) for _, d in DOCS}
    assert len([l for t, l in layouts if t == "courier_waybill"]) >= 3
    assert len([l for t, l in layouts if t == "bank_bill"]) >= 3
    assert {d["fields"]["carrier"] for _, d in DOCS if d["doc_type"] == "courier_waybill"} == set(CARRIER_NAMES)
    assert {d["amount_small"] for _, d in DOCS if d["layout"] == "wire_transfer"} == {"text", "cells"}
    size = sum(p.stat().st_size for p in FIXTURES.iterdir())
    assert size < 13 * 1024 * 1024
    assert (FIXTURES / "README.md").is_file()


def test_fixtures_follow_the_batch_plan():
    planned = {stem: (t, layout, seed, variant) for t, layout, seed, variant, stem in plan_batch(COUNT, SEED)}
    found = {p.stem: (d["doc_type"], d["layout"], d["seed"], d["variant"]) for p, d in DOCS}
    assert found == planned


@pytest.mark.parametrize("path,doc", DOCS, ids=[p.stem for p, _ in DOCS])
def test_json_is_well_formed_and_matches_its_image(path, doc):
    assert doc["family"] == "heldout"
    assert doc["doc_type"] in {"courier_waybill", "bank_bill"}
    assert isinstance(doc["seed"], int) and isinstance(doc["fields"], dict)
    assert all(isinstance(v, str) and v for v in doc["fields"].values())
    [page] = doc["pages"]
    image = path.with_name(page["image"])
    assert image.name == path.stem + ".jpg"
    with Image.open(image) as img:
        assert img.size == (page["width"], page["height"])
    width, height = page["width"], page["height"]
    assert page["lines"]
    for line in page["lines"]:
        assert isinstance(line["text"], str) and line["text"].strip()
        assert line.get("kind", "barcode") in KINDS
        assert len(line["polygon"]) == 4
        for x, y in line["polygon"]:
            assert 0 <= x <= width and 0 <= y <= height, (line["text"], x, y)


@pytest.mark.parametrize("path,doc", DOCS, ids=[p.stem for p, _ in DOCS])
def test_text_runs_do_not_overlap(path, doc):
    page = doc["pages"][0]
    center, angle = (page["width"] / 2, page["height"] / 2), doc["degradations"]["rotation"]
    boxes = []
    for line in page["lines"]:
        pts = [unrotate(p, angle, center) for p in line["polygon"]]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        boxes.append((min(xs) + 1.5, min(ys) + 1.5, max(xs) - 1.5, max(ys) - 1.5, line["text"], line.get("kind")))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a[5] and b[5]:
                continue
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a[4], b[4])


WAYBILLS = [(p, d) for p, d in DOCS if d["doc_type"] == "courier_waybill"]
BANK_BILLS = [(p, d) for p, d in DOCS if d["doc_type"] == "bank_bill"]


def printed_as_consecutive_lines(value: str, lines: list[str]) -> bool:
    rows = [squash(t) for t in lines]
    return any("".join(rows[i:i + n]) == value for n in (1, 2) for i in range(len(rows)))


@pytest.mark.parametrize("path,doc", WAYBILLS, ids=[p.stem for p, _ in WAYBILLS])
def test_waybill_truth_is_printed(path, doc):
    fields, lines = doc["fields"], texts(doc)
    assert set(WAYBILL_REQUIRED) <= set(fields)
    assert any(fields["tracking_number"] == squash(t) for t in lines)
    assert any(CARRIER_NAMES[fields["carrier"]] in t for t in lines)
    for who in ("receiver", "sender"):
        assert any(fields[f"{who}_name"] == t.split(" ")[0] for t in lines)
        phone = fields[f"{who}_phone"]
        assert re.fullmatch(r"\+861[3-9]\d{9}", phone)
        assert any(phone[3:] in re.sub(r"\D", "", t) for t in lines)
        assert printed_as_consecutive_lines(fields[f"{who}_address"], lines), fields[f"{who}_address"]
    if "date" in fields:
        assert any(fields["date"] in t for t in lines)
    if "weight" in fields:
        weights = {Decimal(m) for t in lines for m in re.findall(r"^(\d+(?:\.\d+)?)(?:kg|KG|公斤)$", t)}
        assert weights == {Decimal(fields["weight"])}


@pytest.mark.parametrize("path,doc", BANK_BILLS, ids=[p.stem for p, _ in BANK_BILLS])
def test_bank_bill_amount_words_read_back_to_the_amount(path, doc):
    fields = doc["fields"]
    words = [t for t in texts(doc) if set(t) <= WORD_CHARS and set(t) & set("元角分")]
    assert len(words) == 1, words
    assert read_amount_words(words[0]) == Decimal(fields["amount"])
    assert fields["amount_words"] == fields["amount"]
    assert re.fullmatch(r"\d+\.\d{2}", fields["amount"])


@pytest.mark.parametrize("path,doc", BANK_BILLS, ids=[p.stem for p, _ in BANK_BILLS])
def test_bank_bill_truth_is_printed(path, doc):
    fields, lines = doc["fields"], texts(doc)
    assert set(BANK_REQUIRED) <= set(fields)
    assert fields["bill_type"] in BILL_TYPES
    assert re.fullmatch(r"\d{8}", fields["bill_number"])
    assert any(fields["bill_number"] in t for t in lines)
    if doc["layout"] == "deposit_rows":  # a 进账单: its own No serial, and the deposited cheque's 票据号码
        assert f"No {fields['bill_number']}" in lines
        assert lines[lines.index("票据号码") + 1] == fields["deposited_number"] != fields["bill_number"]
    else:
        assert "deposited_number" not in fields
    for name in ("payer_name", "payer_bank", "payee_name", "payee_bank", "purpose"):
        if name in fields:
            assert fields[name] in [squash(t) for t in lines], name
    for name in ("payer_account", "payee_account"):
        if name in fields:
            assert re.fullmatch(r"\d{16,19}", fields[name]) and fields[name] in lines
    dates = {read_date_words(t) for t in lines if re.fullmatch(r"[零壹贰叁肆伍陆柒捌玖拾]{4}年.+月.+日", t)}
    dates |= {f"{y}-{m}-{d}" for t in lines for y, m, d in re.findall(r"^(\d{4})年(\d{2})月(\d{2})日$", t)}
    assert dates == {fields["issue_date"]}
    amount = Decimal(fields["amount"])
    small = [Decimal(t[1:].replace(",", "")) for t in lines if re.fullmatch(r"¥[\d,]+\.\d\d", t)]
    cells = [Decimal(t[1:]) / 100 for t in texts(doc, True) if re.fullmatch(r"¥\d+", t)]
    assert (small or cells) and set(small + cells) == {amount}


@pytest.mark.parametrize("text,value", [
    ("壹仟零伍元叁角整", "1005.30"), ("玖佰元整", "900.00"), ("壹拾元整", "10.00"), ("壹仟元零伍分", "1000.05"),
    ("壹佰万零伍佰元整", "1000500.00"), ("壹仟零伍万元整", "10050000.00"), ("壹亿零壹元整", "100000001.00"),
    ("贰拾万零捌元零伍分", "200008.05"), ("伍角整", "0.50"),
])
def test_amount_words_known_values(text, value):
    assert amount_words(Decimal(value)) == text
    assert read_amount_words(text) == Decimal(value)


def test_amount_words_round_trip_on_random_amounts():
    rng = random.Random(0)
    for _ in range(3000):
        value = Decimal(rng.randrange(1, 10 ** rng.randint(1, 11))) / 100
        assert read_amount_words(amount_words(value)) == value, value


def test_package_imports_only_pillow_numpy_and_the_standard_library():
    allowed = set(sys.stdlib_module_names) | {"PIL", "numpy"}
    for source in PACKAGE.glob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            assert all(n.split(".")[0] in allowed for n in names), (source.name, names)


needs_fonts = pytest.mark.skipif(not fonts.available(), reason=fonts.INSTALL_HINT)


@needs_fonts
@pytest.mark.parametrize("doc_type,layout", [("courier_waybill", "two_part"), ("bank_bill", "wire_transfer")])
def test_generation_is_deterministic(doc_type, layout):
    first, second = generate(doc_type, layout, 1234), generate(doc_type, layout, 1234)
    assert truth_json(first, "x.jpg") == truth_json(second, "x.jpg")
    assert first.image.tobytes() == second.image.tobytes()


@pytest.mark.skipif(not all(fonts.locate(k) for k in fonts.FACES),
                    reason="the fixtures were rendered with every face of tools.heldout.fonts installed")
@pytest.mark.parametrize("index", [0, 1, 2, 5])
def test_fixtures_regenerate_byte_for_byte(index):
    doc_type, layout, seed, variant, stem = plan_batch(COUNT, SEED)[index]
    doc = generate(doc_type, layout, seed, variant)
    assert truth_json(doc, f"{stem}.jpg") == (FIXTURES / f"{stem}.json").read_text(encoding="utf-8")
