"""Courier waybills of carriers and layouts the templates were not written for: side-by-side
收方/寄方 columns, 到/发 ring marks with name, phone and address on one line, a grid whose rows
say only 姓名/电话/地址 under 寄件信息/收件信息 headers, and a landscape label with 收货人/发货人
blocks and weight in grams."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from . import words
from .page import Page

DOC_TYPE = "courier_waybill"
S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def s10(rng: random.Random, service: str) -> str:
    """A UPU S10 item number (``EA123456789CN``) with its check digit."""
    serial = words.digits(rng, 8, "0123456789")
    check = 11 - sum(int(d) * w for d, w in zip(serial, S10_WEIGHTS)) % 11
    check = {10: 0, 11: 5}.get(check, check)
    return f"{service}{serial}{check}CN"


def tracking_number(rng: random.Random, carrier: str) -> str:
    """A number of ``carrier``'s tracking pattern (upper case, no spaces)."""
    if carrier == "STO":
        return "77" + words.digits(rng, 11, "0123456789")
    if carrier == "YUNDA":
        return rng.choice(("31", "43", "46", "53")) + words.digits(rng, 11, "0123456789")
    if carrier == "JT":
        return "JT" + words.digits(rng, 13, "0123456789")
    if carrier == "EMS":
        return s10(rng, "E" + rng.choice("ABCDLMZ"))
    raise ValueError(f"unknown carrier {carrier}")


def phone_printed(rng: random.Random, number: str | tuple[str, str]) -> str:
    """A mobile (digits) or landline (area code, local) as one of several printed styles."""
    if isinstance(number, tuple):
        area, local = number
        return rng.choice((f"{area}-{local}", f"({area}){local}", f"{area} {local}", f"+86 {area[1:]} {local}"))
    a, b, c = number[:3], number[3:7], number[7:]
    return rng.choice((number, f"{a}-{b}-{c}", f"{a} {b} {c}", f"+86 {a} {b} {c}", f"+86-{number}", f"+86{number}"))


def _phone(rng: random.Random, where: words.Place, landline_share: float) -> tuple[str, str]:
    """``(canonical E.164, printed)``."""
    if rng.random() < landline_share:
        area, local = words.landline(rng, where.area_code)
        return words.e164(area + local), phone_printed(rng, (area, local))
    number = words.mobile(rng)
    return words.e164(number), phone_printed(rng, number)


def content(rng: random.Random, carrier: str) -> tuple[dict, dict]:
    """``(fields, values)``: canonical truth and printed strings, all fields present."""
    receiver_at, sender_at = words.place(rng), words.place(rng)
    receiver_phone, receiver_phone_p = _phone(rng, receiver_at, 0.1)
    sender_phone, sender_phone_p = _phone(rng, sender_at, 0.35)
    receiver, sender = words.person(rng), words.person(rng)
    while sender == receiver:
        sender = words.person(rng)
    grams = rng.choice((rng.randint(1, 30) * 100, rng.randint(50, 25000), rng.randint(1, 40) * 1000))
    weight = Decimal(grams) / 1000
    amount = Decimal(rng.choice((6, 8, 9, 11, 12, 14, 16, 19, 24, 28, 32, 38))) + Decimal(rng.choice(("0", "0", "0.5", "0.8")))
    day = words.day(rng)
    clock = f"{rng.randint(7, 21):02d}:{rng.randrange(60):02d}"
    tracking = tracking_number(rng, carrier)
    fields = {
        "tracking_number": tracking, "carrier": carrier,
        "receiver_name": receiver, "receiver_phone": receiver_phone, "receiver_address": receiver_at.text,
        "sender_name": sender, "sender_phone": sender_phone, "sender_address": sender_at.text,
        "date": day.isoformat(), "weight": words.plain(weight), "amount": f"{amount:.2f}",
    }
    values = fields | {
        "receiver_phone_p": receiver_phone_p, "sender_phone_p": sender_phone_p,
        "grams": str(grams), "kg": words.plain(weight),
        "date_slash": f"{day.year}/{day.month}/{day.day}", "date_dot": f"{day:%Y.%m.%d} {clock}",
        "date_dash": f"{day:%Y-%m-%d} {clock}:{rng.randrange(60):02d}",
        "date_cn": f"{day.year}年{day.month}月{day.day}日 {clock[:2]}时",
        "amount_p": rng.choice((f"¥{amount:.2f}", f"{amount:.2f}元", f"{words.plain(amount)}元")),
        "goods": rng.choice(words.GOODS), "count": str(rng.choice((1, 1, 1, 2, 3))),
        "sort": f"{receiver_at.area_code[1:]}-{rng.choice('ABCDEFGH')}{rng.randint(1, 60):02d}",
        "route": f"{rng.randint(100, 999)} {rng.randint(1, 99):02d}-{rng.randint(1, 9)}",
        "city_short": receiver_at.city.removesuffix("市"),
        "pay": rng.choice(("寄付", "到付", "月结")), "order": "DD" + words.digits(rng, 14),
    }
    return fields, values


def sto_side(rng: random.Random, v: dict) -> Page:
    """申通: 100 × 150 mm thermal label, receiver and sender side by side (收方 | 寄方)."""
    p = Page((100, 150), rng.choice((180, 203, 240)), rng, sx=0.9, bold=1)
    p.rect(2, 2, 98, 148, 0.5)
    p.text(5, 8, "申通快递", 6.5, bold=2)
    p.text(5, 14.5, "STO EXPRESS", 2.6, bold=0)
    p.text(95, 9, "标准快件", 4.5, "rm")
    p.hline(18, 2, 98, 0.5)
    p.text(50, 27, v["sort"], 9, "mm", bold=2)
    p.hline(36, 2, 98, 0.5)
    p.barcode(10, 39, 90, 51, v["tracking_number"])
    p.text(50, 55, "运单编号 " + " ".join(v["tracking_number"][i:i + 4] for i in range(0, 13, 4)), 3.4, "mm")
    p.hline(59, 2, 98, 0.5)
    p.vline(50, 59, 112, 0.4)
    for x, head, who in ((4, "收方", "receiver"), (52, "寄方", "sender")):
        p.inverse(x - 2, 59, x + 10, 65, head, 3.5)
        p.text(x + 12, 62, v[f"{who}_name"], 4.2 if who == "receiver" else 3.6, bold=2 if who == "receiver" else 1)
        p.text(x, 70, v[f"{who}_phone_p"], 3.4)
        p.wrap(x, 77, v[f"{who}_address"], 3.4, 43, max_lines=6)
    p.hline(112, 2, 98, 0.4)
    p.text(5, 117, "计费重量 " + rng.choice((v["grams"] + "g", v["kg"] + "kg")), 3.2)
    p.text(52, 117, "运费 " + v["amount_p"], 3.2)
    p.text(5, 123, "寄件时间 " + v["date_dot"], 3.2)
    p.text(52, 123, "付款方式 " + v["pay"], 3.2)
    p.hline(127, 2, 98, 0.3, dash=1.5)
    p.text(5, 132, "签收人/时间：", 3.0)
    p.qr(75, 128, 19)
    p.text(5, 139, "全国客服热线 95543", 2.8)
    p.text(5, 144, "申通快递 全程可追踪 www.sto.cn", 2.6)
    return p


def yunda_small(rng: random.Random, v: dict) -> Page:
    """韵达: 76 × 130 mm label, 到/发 ring marks, name phone address on one wrapped line, the
    tracking number only under the barcode."""
    p = Page((76, 130), rng.choice((203, 240, 300)), rng, sx=rng.choice((0.85, 1.0)))
    p.text(3, 6, "韵达快递", 5.5, bold=2)
    p.text(40, 6.5, "YUNDA", 3.4)
    p.text(73, 6, v["route"], 4.2, "rm", bold=1)
    p.hline(11, 1, 75, 0.4)
    p.barcode(6, 13, 70, 24, v["tracking_number"])
    p.text(38, 27, v["tracking_number"], 3.4, "mm")
    p.hline(31, 1, 75, 0.4)
    p.ring(8, 40, 5.5, "到", 6, bold=1)
    line = f'{v["receiver_name"]} {v["receiver_phone_p"]} {v["receiver_address"]}'
    end = p.wrap(16, 36, line, 3.6, 57, max_lines=5, bold=1)
    y = max(end, 52) + 2
    p.hline(y, 1, 75, 0.3)
    p.ring(8, y + 8, 4.5, "发", 5)
    line = f'{v["sender_name"]} {v["sender_phone_p"]} {v["sender_address"]}'
    end = p.wrap(16, y + 5, line, 3.0, 57, max_lines=4)
    y = max(end, y + 16) + 2
    p.hline(y, 1, 75, 0.3)
    p.text(3, y + 4, "打印日期 " + v["date_slash"], 3.0)
    p.text(45, y + 4, "实重 " + v["kg"] + "kg", 3.0)
    p.text(3, y + 9, f'品名 {v["goods"]}  件数 {v["count"]}', 3.0)
    p.text(3, y + 15, "备注：易碎 轻放", 3.0)
    p.qr(54, 104, 18)
    p.text(3, 118, "韵达客服 95546", 2.6)
    p.text(3, 123, "扫码关注 查件更方便", 2.6)
    return p


def jt_grid(rng: random.Random, v: dict) -> Page:
    """极兔: 100 × 180 mm, a grid: 寄件信息 first, then 收件信息, rows 姓名/电话/地址."""
    p = Page((100, 180), rng.choice((180, 200, 220)), rng)
    p.text(4, 8, "极兔速递", 6, bold=2, color="#c8102e")
    p.text(40, 9, "J&T EXPRESS", 3.2, color="#c8102e")
    p.text(96, 8, "No. " + v["tracking_number"], 3.4, "rm")
    p.barcode(8, 15, 92, 28, v["tracking_number"])
    p.text(50, 35, v["sort"], 8, "mm", bold=1)
    x0, y0, x1 = 2, 42, 98
    y = y0
    for head, who in (("寄件信息", "sender"), ("收件信息", "receiver")):
        p.fill(x0, y, x1, y + 7, "#dddddd")
        p.text(x0 + 2, y + 3.5, head, 3.4, bold=1)
        y += 7
        _grid_row(p, y, 8, (x0, 18, 54, 68, x1))
        p.text(x0 + 2, y + 4, "姓名", 3.2)
        p.text(x0 + 20, y + 4, v[f"{who}_name"], 3.8, value=True)
        p.text(x0 + 54, y + 4, "电话", 3.2)
        p.text(x0 + 70, y + 4, v[f"{who}_phone_p"], 3.0, value=True)
        y += 8
        _grid_row(p, y, 16, (x0, 18, x1))
        p.text(x0 + 2, y + 8, "地址", 3.2)
        p.wrap(x0 + 20, y + 3.5, v[f"{who}_address"], 3.4, 74, max_lines=3, leading=1.25, value=True)
        y += 16
    cells = (("物品", v["goods"], "重量", v["kg"] + rng.choice(("公斤", "kg", "KG"))),
             ("件数", v["count"], "运费", v["amount_p"]),
             ("下单日期", v["date_dash"][:10], "付款", v["pay"]))
    for a, b, c, d in cells:
        _grid_row(p, y, 9, (x0, 18, 54, 68, x1))
        p.text(x0 + 2, y + 4.5, a, 3.0)
        p.text(x0 + 20, y + 4.5, b, 3.2, value=True)
        p.text(x0 + 54, y + 4.5, c, 3.0)
        p.text(x0 + 70, y + 4.5, d, 3.2, value=True)
        y += 9
    p.rect(2, y + 3, 64, y + 22, 0.3)
    p.text(4, y + 7, "签收栏", 3.0)
    p.text(4, y + 18, "收件人签字：", 3.0)
    p.qr(72, y + 3, 22)
    p.wrap(4, y + 30, "温馨提示：快件签收前请检查外包装，发现破损请当场拒收。极兔客服 956025", 2.6, 92, max_lines=2)
    return p


def _grid_row(p: Page, y: float, height: float, xs: tuple[float, ...]) -> None:
    """One ruled table row from ``xs[0]`` to ``xs[-1]``; inner cells split at ``xs[1:-1]``
    (offsets from ``xs[0]``)."""
    x0, x1 = xs[0], xs[-1]
    p.rect(x0, y, x1, y + height, 0.25)
    for dx in xs[1:-1]:
        p.vline(x0 + dx, y, y + height, 0.25)


def ems_landscape(rng: random.Random, v: dict) -> Page:
    """EMS: 150 × 100 mm landscape; 发货人 on the left, 收货人 boxed on the right, weight in
    grams under a 计费重量(g) header, date as 2024年3月5日 10时."""
    p = Page((150, 100), rng.choice((180, 200, 240)), rng, ink="#0b5e3a", value_ink="#111111")
    p.text(4, 7, "EMS", 7, bold=2, color="#0b5e3a")
    p.text(24, 7.5, "中国邮政速递物流", 4.2, color="#0b5e3a")
    p.barcode(4, 14, 70, 26, v["tracking_number"])
    t = v["tracking_number"]
    p.text(37, 30, f"邮件号：{t[:2]} {t[2:5]} {t[5:8]} {t[8:11]} {t[11:]}", 3.4, "mm", value=True)
    p.rect(76, 4, 146, 62, 0.5)
    p.text(78, 9, "收货人", 3.6, bold=1)
    p.text(78, 16, v["receiver_name"], 5, value=True, bold=1)
    p.text(78, 24, "电话：" + v["receiver_phone_p"], 3.6, value=True)
    p.wrap(78, 32, "地址：" + v["receiver_address"], 3.6, 66, max_lines=4, value=True)
    p.text(4, 38, "发货人", 3.2, bold=1)
    p.text(4, 45, f'{v["sender_name"]}  {v["sender_phone_p"]}', 3.2, value=True)
    p.wrap(4, 51, v["sender_address"], 3.0, 68, max_lines=3, value=True)
    p.grid(4, 66, [36, 30, 30, 46], [6, 8])
    for x, head, value in ((6, "收寄日期", v["date_cn"]), (42, "计费重量(g)", v["grams"]),
                           (72, "资费", v["amount_p"]), (102, "内件", v["goods"])):
        p.text(x, 69, head, 2.8)
        p.text(x, 76, value, 3.2, value=True)
    p.text(4, 86, "收件人签名：", 3.0)
    p.text(70, 86, "投递员：", 3.0)
    p.text(4, 94, "客服电话 11183  www.ems.com.cn", 2.6)
    p.seal(128, 84, 11, "中国邮政速递物流", "已收寄")
    return p


@dataclass(frozen=True)
class WaybillLayout:
    name: str
    carrier: str
    draw: Callable[[random.Random, dict], Page]
    omit: frozenset[str] = frozenset()


LAYOUTS = {layout.name: layout for layout in (
    WaybillLayout("sto_side", "STO", sto_side),
    WaybillLayout("yunda_small", "YUNDA", yunda_small, frozenset({"amount"})),
    WaybillLayout("jt_grid", "JT", jt_grid),
    WaybillLayout("ems_landscape", "EMS", ems_landscape),
)}


def document(rng: random.Random, layout_name: str) -> tuple[Page, dict]:
    """Draw one waybill of ``layout_name``; return the page and its canonical fields."""
    layout = LAYOUTS[layout_name]
    fields, values = content(rng, layout.carrier)
    page = layout.draw(rng, values)
    return page, {k: v for k, v in fields.items() if k not in layout.omit}
