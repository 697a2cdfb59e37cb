"""Thermal e-waybill labels, 100×180 mm at 8 px/mm (800×1440), black on white.

Each layout is a function ``(page, palette, values) -> printed`` that draws one label and
returns the optional truth fields it printed (``date``, ``weight``). Receiver and sender
blocks carry no labels: only a big 收 / 寄 glyph (boxed, inverted or circled) marks them.
"""

from __future__ import annotations

import random
from decimal import Decimal

from . import content, data
from .fonts import Palette
from .page import Page, fit, wrap

DOC_TYPE = "courier_waybill"
SIZE = (800, 1440)
X0, X1 = 24, 776  # outer frame
PAD = 44  # text margin from the page edge (room for a ±2° rotation)


# ----- content ---------------------------------------------------------------------------------
def values(rng, variant: int | None = None) -> dict:
    """Random label content plus the per-document font roles; ``variant`` (a batch index)
    picks the carrier in turn instead of at random, so a batch covers every carrier."""
    carrier, code, products, hotline = rng.choice(data.CARRIERS)
    if variant is not None:
        carrier, code, products, hotline = data.CARRIERS[(variant + variant // 4) % len(data.CARRIERS)]
    receiver = content.person(rng)
    sender = content.person(rng, avoid=receiver)
    return {
        "carrier": carrier, "code": code, "product": rng.choice(products), "hotline": hotline,
        "payment": rng.choice(data.PAYMENTS), "tracking": content.tracking_number(rng, code),
        "sort": content.sorting_code(rng, receiver.place.area), "receiver": receiver, "sender": sender,
        "receiver_address": receiver.place.text(spaced=rng.random() < 0.25),
        "sender_address": sender.place.text(with_province=rng.random() < 0.7, spaced=rng.random() < 0.2),
        "day": content.date(rng), "time": content.clock(rng), "weight": content.weight(rng),
        "weight_style": rng.choice(("{w}kg", "{w}kg", "{w2}kg", "{w}KG", "{w}公斤")),
        "item": rng.choice(data.ITEMS), "group_tracking": rng.random() < 0.5,
        "roles": {"head": rng.choice(("sansbold", "zenhei", "serifbold")),
                  "body": rng.choice(("zenhei", "ming")),
                  "value": rng.choice(("zenhei", "kai", "ming", "sansbold")),
                  "glyph": rng.choice(("sansbold", "zenhei", "ming")),
                  "num": rng.choice(("latin", "zenhei", "sansbold"))},
    }


def canonical_weight(weight: Decimal) -> str:
    return format(weight.normalize(), "f")


def weight_text(v: dict) -> str:
    return v["weight_style"].format(w=canonical_weight(v["weight"]), w2=f"{v['weight']:.2f}")


def tracking_text(v: dict) -> str:
    """The tracking number as printed under the barcode (sometimes in groups of four)."""
    number = v["tracking"]
    if not v["group_tracking"]:
        return number
    head = len(number) - len(number.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    body = number[head:]
    groups = [body[i:i + 4] for i in range(0, len(body), 4)]
    return " ".join(([number[:head]] if head else []) + groups)


def fields(v: dict, printed: set[str]) -> dict:
    """Canonical truth fields; ``date`` and ``weight`` only when the layout printed them."""
    out = {"tracking_number": v["tracking"], "carrier": v["code"]}
    for who in ("receiver", "sender"):
        person = v[who]
        out |= {f"{who}_name": person.name, f"{who}_phone": person.e164,
                f"{who}_address": v[f"{who}_address"].replace(" ", "")}
    if "date" in printed:
        out["date"] = v["day"].isoformat()
    if "weight" in printed:
        out["weight"] = canonical_weight(v["weight"])
    return out


# ----- building blocks -------------------------------------------------------------------------
def header_plain(page: Page, pal: Palette, v: dict, y0: int, y1: int) -> None:
    """Carrier name at the left, product and payment in a box at the right."""
    mid = (y0 + y1) / 2
    page.text((PAD + 8, mid), v["carrier"], pal.font("head", 54), anchor="lm", bold=1)
    product = pal.font("head", 32)
    box = (X1 - 230, y0 + 14, X1 - 20, mid + 8)
    page.rect(box, 3)
    page.text(((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), v["product"], product, anchor="mm")
    page.text(((box[0] + box[2]) / 2, mid + 30), v["payment"], pal.font("body", 24), anchor="mm")


def header_inverted(page: Page, pal: Palette, v: dict, y0: int, y1: int) -> None:
    """A black band with the carrier name and product in white."""
    page.draw.rectangle((X0, y0, X1, y1), fill=page.ink)
    mid = (y0 + y1) / 2
    page.text((PAD + 10, mid), v["carrier"], pal.font("head", 52), fill="white", anchor="lm", bold=1)
    page.text((X1 - 30, mid), v["product"], pal.font("head", 34), fill="white", anchor="rm")


def tracking_block(page: Page, pal: Palette, v: dict, y0: int, height: int,
                   x0: int = 90, x1: int = 710, size: int = 34) -> int:
    """A barcode and the number printed under it; returns the bottom y."""
    page.barcode((x0, y0, x1, y0 + height), v["tracking"])
    box = page.text(((x0 + x1) / 2, y0 + height + 10), tracking_text(v), pal.font("num", size), anchor="ma")
    return int(box[3])


def sort_block(page: Page, pal: Palette, v: dict, y0: int, y1: int, inverted: bool = False) -> None:
    """The big sorting code (三段码) centred in y0..y1."""
    fill = "white" if inverted else None
    if inverted:
        page.draw.rectangle((X0, y0, X1, y1), fill=page.ink)
    font = fit(lambda s: pal.font("head", s), v["sort"], int((y1 - y0) * 0.78), X1 - X0 - 2 * PAD)
    page.text((400, (y0 + y1) / 2), v["sort"], font, fill=fill, anchor="mm", bold=1)


def glyph(page: Page, pal: Palette, char: str, center, size: int, style: str) -> None:
    """The 收/寄 mark: ``box`` (outlined square), ``inverted`` (white on a black square) or
    ``circle``; recorded as a line with its character."""
    cx, cy = center
    half = size * 0.62
    square = (cx - half, cy - half, cx + half, cy + half)
    fill = None
    if style == "inverted":
        page.draw.rectangle(square, fill=page.ink)
        fill = "white"
    elif style == "circle":
        page.draw.ellipse(square, outline=page.ink, width=4)
    else:
        page.rect(square, 4)
    page.text((cx, cy), char, pal.font("glyph", size), fill=fill, anchor="mm",
              bold=1 if size > 60 else 0)


def address_lines(pal: Palette, text: str, size: int, width: float, max_lines: int = 2):
    """The font (shrinking from ``size``) and the lines that fit ``text`` in ``max_lines``."""
    while True:
        font = pal.font("value", size)
        lines = wrap(font, text, width)
        if len(lines) <= max_lines or size <= 16:
            return font, lines
        size -= 1


def party(page: Page, pal: Palette, v: dict, who: str, box, style: str, side: str = "left",
          big: bool = True, split: bool = False, max_lines: int = 2) -> None:
    """A receiver/sender block in ``box``: glyph column plus name, phone and address lines."""
    x0, y0, x1, y1 = box
    person, address = v[who], v[f"{who}_address"]
    gsize, nsize, asize = (92, 38, 32) if big else (58, 28, 24)
    col = gsize + 44
    gx = x0 + col / 2 + 6 if side == "left" else x1 - col / 2 - 6
    glyph(page, pal, "收" if who == "receiver" else "寄", (gx, (y0 + y1) / 2), gsize, style)
    if style == "box" and side == "left":
        page.vline(x0 + col + 12, y0, y1)
    tx0 = max(x0 + col + 28, PAD) if side == "left" else PAD
    tx1 = x1 - 30 if side == "left" else x1 - col - 20
    y = y0 + 16
    rows = [person.name, person.phone] if split else [f"{person.name} {person.phone}"]
    for row in rows:
        font = fit(lambda s: pal.font("value", s), row, nsize, tx1 - tx0)
        y = page.text((tx0, y), row, font, bold=1 if big else 0)[3] + 12
    font, lines = address_lines(pal, address, asize, tx1 - tx0, max_lines)
    for row in lines:
        y = page.text((tx0, y), row, font)[3] + 10


def labelled(page: Page, pal: Palette, x: float, y: float, label: str, value: str,
             size: int = 26, sep: str = "：") -> float:
    """``label：`` then its value as a second run; returns the value's right edge."""
    box = page.text((x, y), label + sep, pal.font("body", size))
    return page.text((box[2] + 6, y), value, pal.font("value", size))[2] if value else box[2]


def blank(page: Page, pal: Palette, x: float, y: float, label: str, width: int, size: int = 26) -> None:
    """A label followed by an empty underlined blank (signatures)."""
    box = page.text((x, y), label + "：", pal.font("body", size))
    page.hline(box[3] + 2, box[2] + 4, box[2] + width, 1)


def inspected(page: Page, pal: Palette, x: float, y: float, size: int = 26) -> None:
    """The boxed 已验视 mark."""
    box = page.text((x, y), "已验视", pal.font("head", size))
    page.rect((box[0] - 8, box[1] - 8, box[2] + 8, box[3] + 8), 2)


def stamp_time(v: dict) -> str:
    return f"{v['day'].isoformat()} {v['time']}"


def notice(page: Page, pal: Palette, y: float, text: str, size: int = 20) -> None:
    font = pal.font("body", size)
    for row in wrap(font, text, X1 - X0 - 2 * PAD):
        y = page.text((PAD + 6, y), row, font)[3] + 8


NOTICE = "请收件人当面验货后签收，如有破损或短少请当场提出，并联系客服处理。"


def qr_like(page: Page, box, key: str) -> None:
    """A QR-looking square (three finder squares, random modules): decoration, no line."""
    x0, y0, x1, _ = box
    n = 25
    cell = (x1 - x0) / n
    rng = random.Random(key)
    finders = ((0, 0), (0, n - 7), (n - 7, 0))
    for r in range(n):
        for c in range(n):
            near = any(fr - 1 <= r <= fr + 7 and fc - 1 <= c <= fc + 7 for fr, fc in finders)
            if not near and rng.random() < 0.5:
                page.draw.rectangle(_cell(x0, y0, cell, r, c, 1), fill=page.ink)
    for fr, fc in finders:
        page.draw.rectangle(_cell(x0, y0, cell, fr, fc, 7), outline=page.ink, width=round(cell))
        page.draw.rectangle(_cell(x0, y0, cell, fr + 2, fc + 2, 3), fill=page.ink)


def _cell(x0: float, y0: float, cell: float, r: int, c: int, span: int):
    return (x0 + c * cell, y0 + r * cell, x0 + (c + span) * cell - 1, y0 + (r + span) * cell - 1)


# ----- layouts ---------------------------------------------------------------------------------
def boxed_left(page: Page, pal: Palette, v: dict) -> set[str]:
    """Framed label; 收/寄 in outlined boxes at the left; receiver above sender; a stub."""
    page.rect((X0, X0, X1, 1416), 3)
    header_plain(page, pal, v, X0, 140)
    page.hline(140, X0, X1, 3)
    tracking_block(page, pal, v, 156, 110)
    page.hline(330, X0, X1, 3)
    sort_block(page, pal, v, 330, 440)
    page.hline(440, X0, X1, 3)
    party(page, pal, v, "receiver", (X0, 440, X1, 672), "box")
    page.hline(672, X0, X1, 3)
    party(page, pal, v, "sender", (X0, 672, X1, 842), "box", big=False)
    page.hline(842, X0, X1, 3)
    labelled(page, pal, PAD + 6, 866, "物品", v["item"])
    labelled(page, pal, 430, 866, "重量", weight_text(v))
    labelled(page, pal, PAD + 6, 926, "打印时间", stamp_time(v))
    blank(page, pal, PAD + 6, 986, "签收人", 180)
    blank(page, pal, 430, 986, "签收时间", 180)
    inspected(page, pal, 640, 930)
    page.dashed(1070, X0, X1)
    page.text((PAD + 6, 1096), v["carrier"], pal.font("head", 30))
    page.text((X1 - 30, 1100), "第1/1件", pal.font("body", 24), anchor="ra")
    tracking_block(page, pal, v, 1150, 80, 120, 680, 26)
    labelled(page, pal, PAD + 6, 1290, "客服电话", v["hotline"], 22)
    notice(page, pal, 1330, NOTICE)
    return {"date", "weight"}


def inverted_sender_first(page: Page, pal: Palette, v: dict) -> set[str]:
    """Black header band, labelled tracking number, sender above receiver, inverted glyphs."""
    header_inverted(page, pal, v, 30, 124)
    labelled(page, pal, PAD + 6, 146, "运单号", v["tracking"], 34)
    page.barcode((60, 200, 740, 330), v["tracking"])
    page.rect((X0 + 6, 350, X1 - 6, 462), 4)
    sort_block(page, pal, v, 352, 460)
    party(page, pal, v, "sender", (X0, 476, X1, 640), "inverted", big=False)
    page.hline(648, X0, X1, 2)
    party(page, pal, v, "receiver", (X0, 656, X1, 900), "inverted")
    page.hline(912, X0, X1, 3)
    labelled(page, pal, PAD + 6, 936, "寄件日期", v["day"].isoformat(), sep=" ")
    labelled(page, pal, 450, 936, "重量", weight_text(v), sep=" ")
    labelled(page, pal, PAD + 6, 996, "物品", v["item"], sep=" ")
    inspected(page, pal, 460, 998)
    blank(page, pal, PAD + 6, 1056, "签收人", 200)
    blank(page, pal, PAD + 6, 1116, "签收时间", 200)
    qr_like(page, (560, 1050, 736, 1226), v["tracking"])
    labelled(page, pal, PAD + 6, 1250, "客服热线", v["hotline"], 22)
    notice(page, pal, 1296, NOTICE)
    return {"date", "weight"}


def glyph_right(page: Page, pal: Palette, v: dict) -> set[str]:
    """Sorting code in a black band on top, circled glyphs at the right, name and phone on
    separate lines; no weight printed."""
    page.rect((X0, X0, X1, 1416), 3)
    page.text((PAD + 6, 48), v["carrier"], pal.font("head", 46), bold=1)
    page.text((X1 - 24, 56), v["product"], pal.font("body", 30), anchor="ra")
    sort_block(page, pal, v, 124, 236, inverted=True)
    tracking_block(page, pal, v, 256, 110, 110, 690, 32)
    page.hline(420, X0, X1, 3)
    party(page, pal, v, "receiver", (X0, 420, X1, 720), "circle", side="right", split=True)
    page.hline(720, X0, X1, 3)
    party(page, pal, v, "sender", (X0, 720, X1, 922), "circle", side="right", big=False, split=True)
    page.hline(922, X0, X1, 3)
    labelled(page, pal, PAD + 6, 946, "物品", v["item"])
    labelled(page, pal, 430, 946, "件数", "1")
    labelled(page, pal, PAD + 6, 1006, "打印时间", stamp_time(v))
    inspected(page, pal, 620, 1008)
    blank(page, pal, PAD + 6, 1066, "签收人", 170)
    blank(page, pal, 400, 1066, "签收时间", 170)
    page.hline(1130, X0, X1, 3)
    page.text((PAD + 6, 1150), v["payment"], pal.font("head", 30))
    labelled(page, pal, 400, 1154, "客服电话", v["hotline"], 24)
    notice(page, pal, 1220, NOTICE, 22)
    return {"date"}


def two_part(page: Page, pal: Palette, v: dict) -> set[str]:
    """A 派件联 (inverted 收, boxed 寄) and a 收件联 stub repeating both parties in small type."""
    page.rect((X0, X0, X1, 1416), 3)
    header_plain(page, pal, v, X0, 128)
    page.hline(128, X0, X1, 3)
    tracking_block(page, pal, v, 140, 96, size=30)
    page.hline(292, X0, X1, 3)
    sort_block(page, pal, v, 292, 392)
    page.hline(392, X0, X1, 3)
    party(page, pal, v, "receiver", (X0, 392, X1, 616), "inverted")
    page.hline(616, X0, X1, 3)
    party(page, pal, v, "sender", (X0, 616, X1, 776), "box", big=False)
    page.hline(776, X0, X1, 3)
    labelled(page, pal, PAD + 6, 796, "计费重量", weight_text(v), 24)
    labelled(page, pal, 420, 796, "物品", v["item"], 24)
    labelled(page, pal, PAD + 6, 846, "打印时间", stamp_time(v), 24)
    blank(page, pal, 420, 846, "签收人", 170, 24)
    page.dashed(906, X0, X1)
    page.text((PAD + 6, 924), v["carrier"], pal.font("head", 28))
    page.text((X1 - 30, 928), "收件联", pal.font("body", 26), anchor="ra")
    tracking_block(page, pal, v, 976, 70, 140, 660, 24)
    page.hline(1104, X0, X1, 2)
    party(page, pal, v, "receiver", (X0, 1104, X1, 1232), "box", big=False, max_lines=1)
    page.hline(1232, X0, X1, 2)
    party(page, pal, v, "sender", (X0, 1232, X1, 1360), "box", big=False, max_lines=1)
    page.hline(1360, X0, X1, 2)
    inspected(page, pal, PAD + 10, 1376, 22)
    labelled(page, pal, 250, 1376, "客服电话", v["hotline"], 22)
    return {"date", "weight"}


LAYOUTS = {"boxed_left": boxed_left, "inverted_sender_first": inverted_sender_first,
           "glyph_right": glyph_right, "two_part": two_part}


def render(layout: str, v: dict) -> tuple[Page, Palette, dict, dict]:
    """Draw ``layout`` with values ``v``; return the page, the palette, the truth fields and
    extra top-level truth keys (none for waybills)."""
    page = Page(SIZE, paper=(252, 252, 250), ink=(18, 18, 18))
    pal = Palette(v["roles"])
    printed = LAYOUTS[layout](page, pal, v)
    return page, pal, fields(v, printed), {}
