"""Courier waybills (100 × 150 mm electronic labels, 787 × 1181 px): content and layouts."""

from __future__ import annotations

import random
from decimal import Decimal
from functools import partial

from . import fakes
from .formats import spaced
from .render import Layout, op

DOC_TYPE = "courier_waybill"
SIZE = (787, 1181)
GOODS = ("文件", "日用品", "服饰", "电子产品", "食品", "书籍", "化妆品", "配件", "样品", "办公用品")
FINE_PRINT = "快件送达收件人地址，经收件人或收件人允许的代收人签字，视为送达。"

T = partial(op, "text")
H = partial(op, "hline")
V = partial(op, "vline")
R = partial(op, "rect")
W = partial(op, "wrap")
TB = partial(op, "text", font_role="sansb")
OUTER = R((12, 12, 775, 1169), 3)


def tracking_number(rng: random.Random, carrier: str) -> str:
    """A plausible tracking number for ``carrier`` (upper case, no spaces)."""
    if carrier == "SF":
        return "SF1" + fakes.digits(rng, 12, "0123456789")
    if carrier == "ZTO":
        return rng.choice(("73", "75", "76", "78")) + fakes.digits(rng, 10, "0123456789")
    if carrier == "JD":
        return rng.choice(("JDVA", "JDVB", "JDVC")) + fakes.digits(rng, 11, "0123")
    if carrier == "YTO":
        return "YT" + fakes.digits(rng, 13, "6789")
    raise ValueError(f"unknown carrier {carrier}")


def _phone(rng: random.Random, addr: fakes.Address, landline_share: float) -> str:
    return fakes.landline(rng, addr.area_code) if rng.random() < landline_share else fakes.mobile(rng)


def _phone_print(rng: random.Random, phone: str) -> str:
    if "-" in phone:
        return phone
    return rng.choice((phone, phone, f"{phone[:3]}-{phone[3:7]}-{phone[7:]}",
                       f"{phone[:3]} {phone[3:7]} {phone[7:]}"))


def content(rng: random.Random, layout: Layout) -> tuple[dict, dict]:
    """``(fields, values)``: canonical ground truth and the printed strings the layout uses."""
    carrier = layout.meta["carrier"]
    sender_addr, receiver_addr = fakes.address(rng), fakes.address(rng)
    sender_phone = _phone(rng, sender_addr, 0.3)
    receiver_phone = _phone(rng, receiver_addr, 0.05)
    day = fakes.date(rng)
    weight = Decimal(rng.choice((rng.randint(1, 30), rng.randint(1, 300)))) / 10
    if rng.random() < 0.2:
        weight = Decimal(rng.randint(1, 20))
    amount = Decimal(rng.choice((8, 10, 12, 13, 15, 18, 20, 22, 23, 26, 30, 35, 45))) + Decimal(
        rng.choice(("0", "0", "0.5"))) + min(weight, Decimal(20)) * rng.choice((0, 0, 2, 5))
    amount = amount.quantize(Decimal("0.01"))
    tracking = tracking_number(rng, carrier)
    fields = {
        "tracking_number": tracking, "carrier": carrier,
        "sender_name": fakes.person_name(rng), "sender_phone": fakes.e164(sender_phone),
        "sender_address": sender_addr.text,
        "receiver_name": fakes.person_name(rng), "receiver_phone": fakes.e164(receiver_phone),
        "receiver_address": receiver_addr.text,
        "date": day.isoformat(), "weight": _plain(weight), "amount": f"{amount:.2f}",
    }
    hour, minute, second = rng.randint(8, 20), rng.randrange(60), rng.randrange(60)
    values = fields | {
        "tracking_spaced": spaced(tracking, (2, 3, 3, 3, 4) if carrier == "SF" else (4,)),
        "sender_phone_p": _phone_print(rng, sender_phone),
        "receiver_phone_p": _phone_print(rng, receiver_phone),
        "date_p": day.strftime(rng.choice(("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"))),
        "date_cn": day.strftime("%Y年%m月%d日"),
        "datetime_p": f"{day.isoformat()} {hour:02d}:{minute:02d}:{second:02d}",
        "weight_p": rng.choice((f"{weight:.1f}kg", f"{_plain(weight)}kg", f"{weight:.1f}公斤")),
        "amount_p": rng.choice((f"{amount:.2f}元", f"¥{amount:.2f}", f"{_plain(amount)}元")),
        "goods": rng.choice(GOODS),
        "sort_area": receiver_addr.area_code[1:],
        "sort_city": receiver_addr.city.removesuffix("市") + receiver_addr.district[:2],
        "n1": str(rng.randint(1, 9)), "n2": f"{rng.randint(1, 99):02d}",
        "n3": f"{rng.randint(1, 999):03d}", "letter": rng.choice("ABCDEFGHJK"),
        "order_no": fakes.digits(rng, 12), "product": rng.choice(layout.meta["products"]),
        "payment": rng.choice(("寄付月结", "寄付现结", "到付")),
    }
    fields = {k: v for k, v in fields.items() if k not in layout.omit}
    return fields, values


def _plain(value: Decimal) -> str:
    """Decimal without trailing zeros: 1.50 → 1.5, 2.0 → 2."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


SF_EXPRESS = Layout("sf_express", DOC_TYPE, SIZE, meta={"carrier": "SF", "products": ("顺丰标快", "顺丰特快")}, ops=(
    OUTER,
    TB(34, 52, "顺丰速运", 46), T(36, 97, "SF EXPRESS", 20),
    V(470, 12, 125, 3), TB(622, 55, "{product}", 40, anchor="mm"), T(622, 100, "{payment}", 22, anchor="mm"),
    H(125, 12, 775, 3),
    op("barcode", (70, 145, 717, 245), "{tracking_number}", 30, "{tracking_spaced}"),
    H(305, 12, 775, 3),
    TB(393, 352, "{sort_area}{letter}-{n3}", 64, anchor="mm"),
    H(400, 12, 775, 3),
    op("inverse", (12, 400, 88, 640), "收", 44),
    TB(108, 440, "{receiver_name} {receiver_phone_p}", 34),
    W(108, 505, "{receiver_address}", 34, 640, font_role="sansb"),
    H(640, 12, 775, 2),
    op("inverse", (12, 640, 88, 800), "寄", 40),
    T(108, 675, "{sender_name} {sender_phone_p}", 26),
    W(108, 718, "{sender_address}", 24, 640),
    H(800, 12, 775, 2),
    T(30, 826, "托寄物：{goods}", 24), T(418, 826, "计费重量：{weight_p}", 24),
    T(30, 874, "运费：{amount_p}", 24), T(418, 874, "寄件日期：{date_p}", 24),
    V(400, 800, 900, 2), H(900, 12, 775, 2),
    op("qr", (36, 925, 226, 1115)),
    T(260, 950, "签收人：", 24), T(260, 1000, "签收时间：    年    月    日", 24),
    W(260, 1055, FINE_PRINT, 18, 490),
    T(760, 1150, "第1/1件", 18, anchor="rm"),
))

ZTO_EXPRESS = Layout("zto_express", DOC_TYPE, SIZE, omit=frozenset({"amount"}),
                     meta={"carrier": "ZTO", "products": ("标准快递",)}, ops=(
    OUTER,
    op("fill", (12, 12, 775, 100), "#1b3f94"),
    TB(30, 56, "中通快递", 40, color="white"), T(206, 64, "ZTO EXPRESS", 18, color="white"),
    TB(760, 56, "{sort_area}-{letter}{n2} {n1}0", 40, color="white", anchor="rm"),
    op("barcode", (60, 115, 727, 200), "{tracking_number}", 28),
    H(250, 12, 775, 2),
    TB(30, 285, "收件人：{receiver_name}", 30), TB(400, 285, "电话：{receiver_phone_p}", 30),
    W(30, 340, "地址：{receiver_address}", 28, 720, font_role="sansb"),
    H(435, 12, 775, 2),
    T(30, 465, "寄件人：{sender_name}", 24), T(400, 465, "电话：{sender_phone_p}", 24),
    W(30, 505, "地址：{sender_address}", 24, 720, max_lines=2),
    H(580, 12, 775, 2),
    T(30, 610, "寄件日期：{date_p}", 24), T(430, 610, "重量：{weight_p}", 24),
    T(30, 655, "内件品名：{goods}", 24), T(430, 655, "数量：1", 24),
    T(30, 740, "签收人/签收时间：", 24),
    op("seal", 640, 705, 78, "中通快递", "已验视"),
    H(800, 12, 775, 2, dash=10),
    op("barcode", (40, 820, 470, 880), "{tracking_number}", 22),
    TB(630, 845, "中通快递", 30, anchor="mm"), T(630, 890, "收件联", 22, anchor="mm"),
    T(30, 955, "收件人：{receiver_name}  {receiver_phone_p}", 24),
    W(30, 1000, "地址：{receiver_address}", 22, 720, max_lines=2),
    T(30, 1100, "寄件人：{sender_name}", 22), T(400, 1100, "订单号：{order_no}", 22),
))

JD_LOGISTICS = Layout("jd_logistics", DOC_TYPE, SIZE, meta={"carrier": "JD", "products": ("特快送", "特惠送")}, ops=(
    OUTER,
    TB(30, 50, "京东物流", 42, color="#e1251b"), T(32, 90, "JD LOGISTICS", 18),
    TB(760, 60, "{product}", 36, anchor="rm"),
    H(112, 12, 775, 2),
    op("barcode", (50, 128, 737, 215), "{tracking_number}", 26, "运单号：{tracking_number}"),
    H(270, 12, 775, 2),
    TB(393, 310, "{sort_city} {n1}-{n2}", 44, anchor="mm"),
    H(350, 12, 775, 2), V(160, 350, 890, 2),
    T(86, 385, "收件人", 26, anchor="mm"), TB(180, 385, "{receiver_name}", 30),
    H(420, 12, 775, 1),
    T(86, 455, "联系电话", 26, anchor="mm"), TB(180, 455, "{receiver_phone_p}", 30),
    H(490, 12, 775, 1),
    T(86, 555, "收件地址", 26, anchor="mm"), W(180, 525, "{receiver_address}", 28, 580, font_role="sansb"),
    H(620, 12, 775, 2),
    T(86, 650, "寄件人", 24, anchor="mm"), T(180, 650, "{sender_name} {sender_phone_p}", 24),
    H(680, 12, 775, 1),
    T(86, 725, "寄件地址", 24, anchor="mm"), W(180, 708, "{sender_address}", 22, 580, max_lines=2),
    H(770, 12, 775, 1),
    T(86, 800, "下单时间", 24, anchor="mm"), T(180, 800, "{datetime_p}", 24),
    H(830, 12, 775, 1),
    T(86, 860, "重量", 24, anchor="mm"), T(180, 860, "{weight_p}", 24),
    V(470, 830, 890, 1), T(540, 860, "运费", 24, anchor="mm"), T(600, 860, "{amount_p}", 24),
    H(890, 12, 775, 2),
    op("qr", (40, 912, 240, 1112)),
    T(280, 935, "订单号：{order_no}", 22), T(280, 990, "客户签字：", 22),
    W(280, 1045, "温馨提示：请当面验货，如有破损请拒收。京东物流客服：950616", 18, 470),
))

YTO_EXPRESS = Layout("yto_express", DOC_TYPE, SIZE, meta={"carrier": "YTO", "products": ("标准快递", "圆准达")}, ops=(
    OUTER,
    TB(30, 56, "圆通速递", 40, color="#4b1f6f"), T(206, 64, "YTO EXPRESS", 18, color="#4b1f6f"),
    TB(760, 56, "{product}", 30, anchor="rm"),
    H(100, 12, 775, 2),
    TB(393, 145, "{sort_area}-{n3}-{letter}{n1}", 60, anchor="mm"),
    H(190, 12, 775, 2),
    op("barcode", (60, 205, 727, 290), "{tracking_number}", 26, "运单号：{tracking_spaced}"),
    H(350, 12, 775, 2),
    op("vtext", 41, 400, "收件人", 28), V(70, 350, 760, 2),
    TB(90, 390, "{receiver_name}  {receiver_phone_p}", 32),
    W(90, 450, "{receiver_address}", 30, 670, font_role="sansb"),
    H(600, 12, 775, 2),
    op("vtext", 41, 630, "寄件人", 24),
    T(90, 640, "{sender_name}  {sender_phone_p}", 24),
    W(90, 690, "{sender_address}", 22, 670, max_lines=2),
    H(760, 12, 775, 2),
    T(30, 795, "重量(kg)：{weight}", 24), T(420, 795, "运费(元)：{amount}", 24),
    T(30, 845, "寄件日期：{date_cn}", 24), T(420, 845, "物品：{goods}", 24),
    H(880, 12, 775, 2),
    T(30, 920, "收件人签名：", 24), T(420, 920, "签收日期：", 24),
    op("barcode", (40, 965, 500, 1025), "{tracking_number}", 20),
    op("qr", (570, 960, 750, 1140)),
    W(30, 1090, "本单据为快件运输合同，寄件人已阅读并同意背面契约条款。", 18, 500),
))

LAYOUTS = {layout.name: layout for layout in (SF_EXPRESS, ZTO_EXPRESS, JD_LOGISTICS, YTO_EXPRESS)}
