"""The heldout3 family's labels say what its pages print: amount and date words read back to the
labelled values, phones are valid numbers, every labelled value is printed on the page's truth
lines, labels validate against the schemas, and one seed writes the same bytes. The readers of
Chinese capitals here are written independently of tools.heldout3."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import jsonschema
import phonenumbers
import pytest

from evaluation.datasets import read_dataset
from tools.heldout3.generate import generate

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
CAPITAL_DIGITS = {ch: i for i, ch in enumerate("零壹贰叁肆伍陆柒捌玖")}
SMALL_UNITS = {"拾": 10, "佰": 100, "仟": 1000}
BRANDS = {"SF": "顺丰", "ZTO": "中通", "YTO": "圆通", "YUNDA": "韵达", "STO": "申通", "JT": "极兔", "JD": "京东",
          "EMS": "EMS", "CNPOST": "邮政", "DEPPON": "德邦"}
TITLES = {"transfer_cheque": "转账支票", "deposit_slip": "进账单", "acceptance_bill": "承兑汇票"}


def capital_integer(text: str) -> int:
    """壹佰万零壹仟零壹 → 1001001 (亿/万 close a section; 零 is only a gap)."""
    total, section, digit = 0, 0, 0
    for ch in text:
        if ch in CAPITAL_DIGITS:
            digit = CAPITAL_DIGITS[ch]
        elif ch in SMALL_UNITS:
            section += (digit or 1) * SMALL_UNITS[ch]
            digit = 0
        elif ch in "万亿":
            section += digit
            total = (total + section) * (10000 if ch == "万" else 100_000_000)
            section, digit = 0, 0
    return total + section + digit


def capital_amount(text: str) -> Decimal:
    """壹万零伍拾元叁角整 → 10050.30."""
    yuan_part, _, rest = text.partition("元") if "元" in text else ("", "", text)
    jiao = re.search(r"([壹贰叁肆伍陆柒捌玖])角", rest)
    fen = re.search(r"([壹贰叁肆伍陆柒捌玖])分", rest)
    cents = capital_integer(yuan_part) * 100 + (CAPITAL_DIGITS[jiao.group(1)] * 10 if jiao else 0) + (
        CAPITAL_DIGITS[fen.group(1)] if fen else 0)
    return Decimal(cents) / 100


def capital_date(text: str) -> date | None:
    """贰零贰伍年零壹拾月零贰拾日 → 2025-10-20."""
    found = re.fullmatch(r"([零壹贰叁肆伍陆柒捌玖]{4})年([零壹贰叁肆伍陆柒捌玖拾]+)月([零壹贰叁肆伍陆柒捌玖拾]+)日", text)
    if not found:
        return None
    year = int("".join(str(CAPITAL_DIGITS[ch]) for ch in found.group(1)))
    return date(year, capital_integer(found.group(2)), capital_integer(found.group(3)))


def printed_dates(text: str) -> set[date]:
    """Every date a line prints in digits (2025-03-05, 2025/3/5, 2025.03.05, 2025 年 03 月 05 日) or in capitals."""
    found = set()
    for y, m, d in re.findall(r"(20\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", text):
        found.add(date(int(y), int(m), int(d)))
    for capital in re.findall(r"[零壹贰叁肆伍陆柒捌玖]{4}年[零壹贰叁肆伍陆柒捌玖拾]+月[零壹贰叁肆伍陆柒捌玖拾]+日", text):
        if parsed := capital_date(capital):
            found.add(parsed)
    return found


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def assembled(value: str, texts: list[str]) -> bool:
    """``value`` is inside one line, or is the concatenation of whole lines (a wrapped address)."""
    pieces = [squeezed(t) for t in texts]
    if any(squeezed(value) in p for p in pieces):
        return True
    remaining = squeezed(value)
    while remaining:
        fitting = [p for p in pieces if p and remaining.startswith(p)]
        if not fitting:
            return False
        remaining = remaining[len(max(fitting, key=len)):]
    return True


def national_digits(e164: str) -> str:
    number = phonenumbers.parse(e164)
    national = str(number.national_number)
    return national if len(national) == 11 and national.startswith("1") else "0" + national


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> list[tuple[Path, dict]]:
    root = tmp_path_factory.mktemp("heldout3")
    generate(root / "clean", 16, seed=5)
    generate(root / "mild", 6, seed=5, degrade="mild")
    return [(p, json.loads(p.read_text(encoding="utf-8"))) for p in sorted(root.rglob("*.json"))]


def test_labels_validate_against_the_schemas_and_cover_every_document_kind(documents):
    kinds = set()
    for _, label in documents:
        schema = json.loads((SCHEMAS / f"{label['doc_type']}.json").read_text(encoding="utf-8"))
        jsonschema.validate(label["fields"], schema)
        kinds.add(label["fields"].get("bill_type", label["doc_type"]))
    assert kinds == {"courier_waybill", "transfer_cheque", "deposit_slip", "acceptance_bill"}


def test_amount_words_and_digits_printed_on_a_bank_bill_are_its_labelled_amount(documents):
    for path, label in documents:
        fields = label["fields"]
        if label["doc_type"] != "bank_bill":
            continue
        texts = [l["text"] for l in label["pages"][0]["lines"] if "kind" not in l]
        assert fields["amount"] == fields["amount_words"], path
        words = [m for t in texts for m in re.findall(r"[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]{2,}", t) if "元" in m or "角" in m]
        assert any(capital_amount(w) == Decimal(fields["amount"]) for w in words), (path, words)
        cents = str(int(Decimal(fields["amount"]) * 100))
        digits = [t.replace(",", "").replace(" ", "") for t in texts]
        assert any(fields["amount"] in d or d.endswith("¥" + cents) for d in digits), path


def test_phones_are_valid_and_printed_and_every_value_is_on_the_page(documents):
    for path, label in documents:
        fields = label["fields"]
        texts = [l["text"] for l in label["pages"][0]["lines"] if "kind" not in l]
        compact = [re.sub(r"[\s\-,]", "", t) for t in texts]
        for name, value in fields.items():
            if name.endswith("phone"):
                assert phonenumbers.is_valid_number(phonenumbers.parse(value)), (path, value)
                assert any(national_digits(value) in c for c in compact), (path, name, value)
            elif name in ("date", "issue_date", "due_date"):
                assert any(date.fromisoformat(value) in printed_dates(t) for t in texts), (path, name, value)
            elif name == "carrier":
                assert any(BRANDS[value] in t for t in texts), (path, value)
            elif name == "bill_type":
                assert any(TITLES[value] in t for t in texts), (path, value)
            elif name == "weight":
                assert any(value + "kg" in c or c == value for c in compact), (path, value)
            elif name in ("amount", "amount_words") and label["doc_type"] == "bank_bill":
                continue  # read back above
            elif name == "amount":
                assert any(value + "元" in c or c == value for c in compact), (path, value)
            elif name == "payer_name" and label["fields"]["bill_type"] == "transfer_cheque":
                seals = [l["text"] for l in label["pages"][0]["lines"] if l.get("kind") == "seal"]
                assert any(value in s for s in seals), (path, value)  # a cheque's drawer is named by its seal
            else:
                assert assembled(value, texts), (path, name, value)


def test_a_deposit_slip_labels_its_own_serial_and_the_number_at_piaojuhaoma(documents):
    slips = 0
    for path, label in documents:
        fields, texts = label["fields"], [l["text"] for l in label["pages"][0]["lines"]]
        if fields.get("bill_type") != "deposit_slip":
            assert "deposited_number" not in fields, path
            continue
        slips += 1
        assert fields["bill_number"] in texts or f"No {fields['bill_number']}" in texts, path
        assert texts[texts.index("票据号码") + 1] == fields["deposited_number"], path
    assert slips


def test_truth_lines_lie_on_the_page_and_the_set_reads_as_generated(documents):
    for path, label in documents:
        page = label["pages"][0]
        for line in page["lines"]:
            for x, y in line["polygon"]:
                assert -2 <= x <= page["width"] + 2 and -2 <= y <= page["height"] + 2, (path, line["text"])
    root = documents[0][0].parent.parent
    dataset = read_dataset(root)
    assert dataset.format == "generated" and len(dataset.samples) == len(documents)


def test_one_seed_writes_the_same_bytes_and_clean_and_mild_runs_differ(tmp_path):
    first, second, mild = (generate(tmp_path / n, 2, seed=9, degrade=d)
                           for n, d in (("a", "mild"), ("b", "mild"), ("c", "none")))
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes()
        assert a.with_suffix(".json").read_bytes() == b.with_suffix(".json").read_bytes()
    assert [json.loads(p.with_suffix(".json").read_text())["fields"] for p in first] != \
        [json.loads(p.with_suffix(".json").read_text())["fields"] for p in mild]
