"""Courier waybills: thermal e-waybill labels (100×150, 100×180, 76×130 mm) in several carriers'
arrangements, and pre-printed multi-part paper waybills filled in by hand."""

from __future__ import annotations

import random
from datetime import date

import json
from pathlib import Path

from tools.heldout3 import values
from tools.heldout3.render import Page, barcode, qr_block

SCHEMA = Path(__file__).resolve().parents[2] / "schemas" / "courier_waybill.json"
DOTS_PER_MM = 8  # a 203 dpi thermal printer
INK = (15, 15, 15)
# code (None: 德邦, labelled DEPPON only where the schema's enum has it), printed names, tracking number maker
CARRIERS = {
    "SF": (("顺丰速运", "顺丰特快", "顺丰标快"), lambda r: "SF" + _digits(r, 13)),
    "ZTO": (("中通快递", "ZTO中通"), lambda r: "7" + _digits(r, 13)),
    "YTO": (("圆通速递", "YTO圆通"), lambda r: "YT" + _digits(r, 13)),
    "YUNDA": (("韵达快递", "韵达速递"), lambda r: "43" + _digits(r, 11)),
    "STO": (("申通快递", "STO申通"), lambda r: "77" + _digits(r, 11)),
    "JT": (("极兔速递", "J&T极兔"), lambda r: "JT" + _digits(r, 13)),
    "JD": (("京东快递", "京东物流"), lambda r: "JDVA" + _digits(r, 11)),
    "EMS": (("EMS 中国邮政速递物流", "EMS 标准快递"), lambda r: "11" + _digits(r, 11)),
    "CNPOST": (("中国邮政 快递包裹", "邮政快递包裹"), lambda r: "98" + _digits(r, 11)),
    None: (("德邦快递", "德邦物流"), lambda r: "DPK" + _digits(r, 12)),
}
PAPER_COLORS = {"SF": (40, 40, 40), "ZTO": (30, 70, 160), "YTO": (110, 40, 140), "YUNDA": (200, 120, 20),
                "STO": (200, 60, 30), "JT": (200, 30, 30), "JD": (190, 20, 30), "EMS": (20, 120, 70),
                "CNPOST": (0, 110, 60), None: (20, 60, 150)}
CARBON_TINTS = ((255, 255, 255), (252, 236, 238), (255, 250, 220), (236, 245, 252), (240, 250, 236))


def _digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(n))


def party(rng: random.Random) -> dict:
    """A sender or receiver: name, printed phone (mobile, or a landline for a fifth), E.164, address."""
    place = values.region(rng)
    printed = values.mobile(rng) if rng.random() < 0.8 else values.landline(rng, place[2])
    return {"name": values.person(rng), "phone": printed, "e164": values.e164(printed),
            "address": values.address(rng, place), "place": place}


def waybill(rng: random.Random) -> tuple[Page, dict]:
    """One waybill page and its fields: an e-waybill label (two thirds) or a paper form."""
    carrier = rng.choice(list(CARRIERS))
    names, number = CARRIERS[carrier]
    facts = {"carrier": carrier, "brand": rng.choice(names), "tracking": number(rng),
             "receiver": party(rng), "sender": party(rng), "day": values.recent_date(rng),
             "weight": f"{rng.randint(0, 19)}.{rng.randint(1, 9)}", "goods": rng.choice(values.GOODS),
             "fee": f"{rng.randint(6, 68)}.{rng.choice(('00', '00', '50', '80'))}"}
    page = e_label(rng, facts) if rng.random() < 0.65 else paper_form(rng, facts)
    return page, _fields(facts)


def _fields(facts: dict) -> dict:
    fields = {"tracking_number": facts["tracking"], "receiver_name": facts["receiver"]["name"],
              "receiver_phone": facts["receiver"]["e164"], "receiver_address": facts["receiver"]["address"],
              "sender_name": facts["sender"]["name"], "sender_phone": facts["sender"]["e164"],
              "sender_address": facts["sender"]["address"], "date": facts["day"].isoformat()}
    if facts["carrier"] or "DEPPON" in carrier_codes():
        fields["carrier"] = facts["carrier"] or "DEPPON"
    if facts.get("weight_printed"):
        fields["weight"] = facts["weight"]
    if facts.get("fee_printed"):
        fields["amount"] = facts["fee"]
    return fields


def carrier_codes() -> list[str]:
    """The carrier codes the waybill schema allows."""
    return json.loads(SCHEMA.read_text(encoding="utf-8"))["properties"]["carrier"]["enum"]


def _spaced_number(rng: random.Random, number: str) -> str:
    """A tracking number as printed under a barcode: whole, or in groups of 4 (or 3-4-4-…)."""
    style = rng.random()
    if style < 0.5:
        return number
    step = 4 if style < 0.8 else 3
    return " ".join(number[i:i + step] for i in range(0, len(number), step))


def _phone_printed(rng: random.Random, phone: str) -> str:
    if len(phone) == 11 and phone.isdigit() and rng.random() < 0.3:
        return f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"
    return phone


def _wrap(page: Page, text: str, size: int, family: str, width: float) -> list[str]:
    """``text`` cut into lines that fit ``width`` px."""
    lines, current = [], ""
    for ch in text:
        if current and page.width_of(current + ch, size, family) > width:
            lines.append(current)
            current = ""
        current += ch
    return lines + [current] if current else lines


def _date_printed(rng: random.Random, day: date) -> str:
    clock = f" {rng.randint(8, 21):02d}:{rng.randint(0, 59):02d}" + (f":{rng.randint(0, 59):02d}" if rng.random() < 0.5 else "")
    return rng.choice((f"{day:%Y-%m-%d}", f"{day:%Y/%m/%d}", f"{day:%Y.%m.%d}", f"{day.year}年{day.month}月{day.day}日")) + (
        clock if rng.random() < 0.6 else "")


# --- thermal e-waybill labels -----------------------------------------------------------------

def e_label(rng: random.Random, facts: dict) -> Page:
    """A thermal label: header, sorting code, barcode, a 收 block and a 寄 block marked by a boxed
    glyph, an inline 收/寄, a vertical strip or nothing; goods, weight, fee; a stub on long labels."""
    width_mm, height_mm = rng.choice(((100, 150), (100, 180), (76, 130)))
    w, h = width_mm * DOTS_PER_MM, height_mm * DOTS_PER_MM
    page = Page.blank(w, h, (rng.randint(246, 255), rng.randint(246, 255), rng.randint(240, 252)))
    unit = w / 100  # px per mm of a 100 mm label
    marker = rng.choice(("glyph", "glyph", "inline", "strip", "none"))
    m, y = int(3 * unit), int(3 * unit)

    # header: brand, service, print time
    size = int(6 * unit)
    page.text(m, y, facts["brand"], size, "bold", INK)
    page.text(w - m - page.width_of("标准快递", int(3.5 * unit)), y + int(unit), rng.choice(("标准快递", "特快", "普通件", "电商件")),
              int(3.5 * unit), "sans", INK)
    y += size + int(2 * unit)
    when = _date_printed(rng, facts["day"])
    page.text(m, y, rng.choice(("", "打印时间：", "寄件日期 ")) + when, int(2.8 * unit), "sans", INK)
    y += int(4.5 * unit)
    page.hline(0, w, y, INK, 2)

    # sorting code and barcode
    code = f"{rng.randint(100, 999)}{rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ')}-{rng.randint(1, 99):02d}-{rng.randint(1, 999):03d}"
    page.text(m, y + int(1.5 * unit), code, int(8.5 * unit), "bold", INK)
    y += int(12 * unit)
    page.hline(0, w, y, INK, 2)
    barcode(page, m + 6 * unit, y + 2 * unit, w - 2 * m - 12 * unit, 13 * unit, rng)
    y += int(16 * unit)
    printed = _spaced_number(rng, facts["tracking"])
    number_size = int(4 * unit)
    page.text((w - page.width_of(printed, number_size, "sans")) / 2, y, printed, number_size, "sans", INK)
    y += number_size + int(2 * unit)
    page.hline(0, w, y, INK, 2)

    y = _party_block(page, rng, facts["receiver"], "收", marker, m, y, w, unit, big=True)
    page.hline(0, w, y, INK, 1)
    y = _party_block(page, rng, facts["sender"], "寄", marker, m, y, w, unit, big=False)
    page.hline(0, w, y, INK, 2)

    # goods, weight, fee, signature
    small = int(3 * unit)
    facts["weight_printed"] = rng.random() < 0.7
    facts["fee_printed"] = rng.random() < 0.45
    parts = [f"{rng.choice(('托寄物', '物品', '内件'))}：{facts['goods']}"]
    if facts["weight_printed"]:
        parts.append(f"{rng.choice(('重量', '计费重量', '实际重量'))}：{facts['weight']}kg")
    if facts["fee_printed"]:
        parts.append(f"{rng.choice(('运费', '费用合计'))}：{facts['fee']}元")
    row_y = y + int(1.5 * unit)
    for part in parts:
        page.text(m, row_y, part, small, "sans", INK)
        row_y += small + int(1.5 * unit)
    qr_side = 20 * unit
    if h - row_y > qr_side + 30 * unit or rng.random() < 0.5:
        qr_block(page, w - m - qr_side, y + 2 * unit, qr_side, rng)
    row_y = max(row_y, y + qr_side + 3 * unit)
    page.text(m, row_y, rng.choice(("签收人：", "收件人签字：", "签收：")), small, "sans", INK)
    page.text(w / 2, row_y, "时间：", small, "sans", INK)
    row_y += small + int(2 * unit)

    if height_mm >= 150 and h - row_y > 30 * unit:
        _stub(page, rng, facts, m, row_y, w, h, unit)
    page.layout = f"e_label_{width_mm}x{height_mm}_{marker}"
    return page


def _party_block(page: Page, rng: random.Random, who: dict, glyph: str, marker: str,
                 m: int, y: int, w: int, unit: float, big: bool) -> int:
    """One party's block; returns the y below it."""
    size = int((5 if big else 3.2) * unit)
    top = y + int(1.5 * unit)
    left = m
    if marker == "glyph":
        side = int((14 if big else 9) * unit)
        page.box(m, top, m + side, top + side, INK, 3)
        page.text(m + side * 0.14, top + side * 0.02, glyph, int(side * 0.72), "bold", INK)
        left = m + side + int(2.5 * unit)
    elif marker == "strip":
        side = int(7 * unit)
        page.draw.rectangle((m, top, m + side, top + (3 if big else 2) * size), fill=INK)
        label = glyph + "件"
        for i, ch in enumerate(label):
            page.text(m + unit, top + i * int(side * 0.9) + unit, ch, int(side * 0.75), "bold", (250, 250, 250), kind="decoration")
        left = m + side + int(2 * unit)
    phone = _phone_printed(rng, who["phone"])
    name_line = f"{who['name']} {phone}" if rng.random() < 0.7 else f"{who['name']}  {phone}"
    if marker == "inline":
        name_line = f"{glyph}：" + name_line if rng.random() < 0.5 else f"{glyph} " + name_line
    page.text(left, top, name_line, size, "bold" if big else "sans", INK)
    row = top + size + int(1.5 * unit)
    address_size = int((3.8 if big else 2.8) * unit)
    for part in _wrap(page, who["address"], address_size, "sans", w - left - m):
        page.text(left, row, part, address_size, "sans", INK)
        row += address_size + int(1.2 * unit)
    return int(max(row, top + (16 if big and marker == "glyph" else 10 if marker == "glyph" else 0) * unit) + unit)


def _stub(page: Page, rng, facts, m, y, w, h, unit) -> None:
    """The customer's stub below the tear line: small barcode, number and the receiver again."""
    for x in range(0, w, int(3 * unit)):
        page.hline(x, x + 1.5 * unit, y, INK, 1)
    y += int(2 * unit)
    barcode(page, m, y, w * 0.55, 9 * unit, rng)
    small = int(2.8 * unit)
    page.text(m + w * 0.58, y + unit, facts["tracking"], small, "sans", INK)
    y += int(11 * unit)
    receiver = facts["receiver"]
    if y + 4 * small < h:
        page.text(m, y, f"收件人：{receiver['name']} {receiver['phone']}", small, "sans", INK)
        y += small + int(1.2 * unit)
        for part in _wrap(page, receiver["address"], small, "sans", w - 2 * m):
            if y + small < h - unit:
                page.text(m, y, part, small, "sans", INK)
                y += small + int(1.2 * unit)


# --- paper multi-part forms -------------------------------------------------------------------

def paper_form(rng: random.Random, facts: dict) -> Page:
    """A pre-printed carbon form (about 230×127 mm scanned at 150 dpi), boxes in the carrier's colour,
    values handwritten and drifting off the boxes; sender and receiver side by side or stacked."""
    w, h = 1380, 760
    tint = rng.choice(CARBON_TINTS)
    page = Page.blank(w, h, tint)
    color = PAPER_COLORS[facts["carrier"]]
    label_size, hand_size = 17, rng.randint(24, 30)
    page.text(30, 20, facts["brand"].replace("EMS ", "EMS"), 38, "bold", color)
    page.text(30 + page.width_of(facts["brand"], 38, "bold") + 20, 34, rng.choice(("快递运单", "国内快递详情单", "收件客户联")),
              22, "serif", color)
    barcode(page, 880, 16, 420, 46, rng)
    page.text(900, 66, facts["tracking"], 26, "sans", (200, 30, 30))  # pre-printed in red
    top = 110
    stacked = rng.random() < 0.4
    boxes = ((30, top, w // 2 - 10, top + 400), (w // 2 + 10, top, w - 30, top + 400)) if not stacked else \
        ((30, top, w - 30, top + 200), (30, top + 210, w - 30, top + 410))
    for (x0, y0, x1, y1), role, who in zip(boxes, ("寄件人", "收件人"), (facts["sender"], facts["receiver"])):
        _paper_party(page, rng, (x0, y0, x1, y1), role, who, color, label_size, hand_size, stacked)
    _paper_bottom(page, rng, facts, color, label_size, hand_size, top + 420, w, h)
    page.layout = "paper_form_" + ("stacked" if stacked else "side_by_side")
    return page


def _paper_party(page, rng, area, role, who, color, label_size, hand_size, stacked) -> None:
    x0, y0, x1, y1 = area
    page.box(x0, y0, x1, y1, color, 2)
    rows = ("姓名", "单位名称", "详细地址", "", "联系电话") if not stacked else ("姓名", "详细地址", "联系电话")
    head = 40 if not stacked else 0
    if not stacked:
        page.draw.rectangle((x0, y0, x1, y0 + head), fill=color)
        page.text(x0 + 12, y0 + 8, f"{role}信息", 22, "bold", (255, 255, 255), kind="decoration")
    else:
        page.draw.rectangle((x0, y0, x0 + 40, y1), fill=color)
        for i, ch in enumerate(role):
            page.text(x0 + 9, y0 + 30 + i * 40, ch, 22, "bold", (255, 255, 255), kind="decoration")
    inner_x = x0 + (0 if not stacked else 40)
    row_h = (y1 - y0 - head) / len(rows)
    label_w = 150
    address = _wrap(page, who["address"], hand_size, "hand", (x1 - inner_x - label_w - 30))
    address_lines = iter(address)
    for i, name in enumerate(rows):
        ry = y0 + head + i * row_h
        if i:
            page.hline(inner_x + (label_w if name == "" else 0), x1, ry, color, 1)
        if name:
            page.text(inner_x + 10, ry + row_h / 2 - label_size / 2 - 2, (role[:2] + name) if name == "姓名" else name,
                      label_size, "serif", color)
        value_x = inner_x + label_w + rng.uniform(-18, 25)
        value_y = ry + row_h / 2 - hand_size * 0.75 + rng.uniform(-10, 8)
        angle = rng.uniform(-2.0, 2.0)
        if name == "姓名":
            page.tilted(value_x, value_y, who["name"], hand_size, angle)
        elif name == "单位名称" and rng.random() < 0.5:
            page.tilted(value_x, value_y, values.company(rng), hand_size - 4, angle)
        elif name in ("详细地址", ""):
            part = next(address_lines, "")
            if part:
                page.tilted(value_x, value_y, part, hand_size, angle)
        elif name == "联系电话":
            page.tilted(value_x, value_y, who["phone"], hand_size, angle)
    leftover = "".join(address_lines)
    if leftover:  # an address longer than its rows runs on under the phone, as people write
        page.tilted(inner_x + label_w + 40, y1 - hand_size * 1.1, leftover, hand_size - 4, rng.uniform(-2, 2))
    page.vline(inner_x + label_w, y0 + head, y1, color, 1)


def _paper_bottom(page, rng, facts, color, label_size, hand_size, y0, w, h) -> None:
    cells = [("托寄物内容", facts["goods"]), ("件数", str(rng.randint(1, 3))),
             ("计费重量(kg)", facts["weight"] if rng.random() < 0.6 else ""),
             ("保价金额", rng.choice(("", "", f"{rng.randint(1, 50) * 100}"))),
             ("运费(元)", facts["fee"] if rng.random() < 0.5 else "")]
    facts["weight_printed"] = bool(cells[2][1])
    facts["fee_printed"] = bool(cells[4][1])
    col_w = (w - 60) / len(cells)
    page.box(30, y0, w - 30, y0 + 110, color, 2)
    for i, (label, value) in enumerate(cells):
        x = 30 + i * col_w
        if i:
            page.vline(x, y0, y0 + 110, color, 1)
        page.text(x + 10, y0 + 8, label, label_size, "serif", color)
        if value:
            page.tilted(x + 20 + rng.uniform(-8, 12), y0 + 45 + rng.uniform(-6, 10), value, hand_size, rng.uniform(-3, 3))
    y = y0 + 125
    page.box(30, y, w - 30, h - 20, color, 2)
    page.text(45, y + 12, "付款方式：□寄付 □到付 □第三方付", label_size, "serif", color)
    page.tilted(58 if rng.random() < 0.7 else 118, y + 8, "√", 24, 0, kind="tick")
    page.text(45, y + 55, "寄件人签名：", label_size, "serif", color)
    page.tilted(170, y + 48, facts["sender"]["name"], hand_size - 2,
                rng.uniform(-6, 6), kind="signature")
    page.text(w // 2, y + 12, "寄件日期：", label_size, "serif", color)
    day = facts["day"]
    written = rng.choice((f"{day.year}.{day.month}.{day.day}", f"{day.year}-{day.month:02d}-{day.day:02d}",
                          f"{day.year}年{day.month}月{day.day}日", f"{day.year}/{day.month}/{day.day}"))
    page.tilted(w // 2 + 110 + rng.uniform(-6, 20), y + 4 + rng.uniform(-4, 8), written, hand_size, rng.uniform(-2.5, 2.5))
    page.text(w // 2, y + 55, "收件员：", label_size, "serif", color)
    page.tilted(w // 2 + 90, y + 50, values.person(rng), hand_size - 4, rng.uniform(-4, 4), kind="signature")
