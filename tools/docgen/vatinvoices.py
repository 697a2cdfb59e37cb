"""Chinese VAT invoices (增值税发票): content and layouts.

Four designs: the paper special invoice (增值税专用发票: 10-digit code, 8-digit number), the
paper ordinary invoice (增值税普通发票: 12-digit code, 8-digit number, 20-digit check code), the
electronic ordinary invoice (增值税电子普通发票, same numbers, issued as a PDF) and the
all-electronic invoice (电子发票（增值税专用发票 / 普通发票）, 数电: a 20-digit number, no code,
no check code, issued as a PDF). Paper invoices are scanned; the electronic ones arrive as
born-digital PDFs, sometimes printed and scanned (``meta["media"]``). Each has an item table of
1–8 rows; services often print neither quantity nor unit price.

Besides the canonical ``fields`` (see ``FIELDS``), the truth has ``line_items``: per row the
cells as printed, numbers without grouping (``"2"``, ``"100.00"``), the tax rate as a fraction
(``"0.13"``), a cell left blank ``None``; an exempt row (免税) prints ``***`` as its tax and has
``tax_rate`` and ``tax`` ``None``. Amount = quantity × unit price rounded to cents where both are
printed, tax = amount × rate rounded to cents, the totals are the rows' sums.
"""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from . import fakes
from .formats import rmb_upper, spaced
from .render import Layout, op

DOC_TYPE = "vat_invoice"
FIELDS = ("invoice_code", "invoice_number", "issue_date", "check_code", "buyer_name", "buyer_tax_id",
          "buyer_bank", "buyer_account", "seller_name", "seller_tax_id", "seller_bank", "seller_account",
          "total_excluding_tax", "total_tax", "total", "total_words", "remarks", "invoice_kind")
MAX_ROWS = 8
CENT = Decimal("0.01")
RATES = {"13%": "0.13", "9%": "0.09", "6%": "0.06", "5%": "0.05", "3%": "0.03", "1%": "0.01", "0%": "0",
         "免税": None}
# (name as printed, specifications, unit, printed rate, price range) — price range None: a service
# billed as one amount, without specification, unit, quantity or unit price
CATALOGUE = (
    ("*计算机配套产品*鼠标", ("M220", "G304", "MX Master 3"), "个", "13%", (39, 699)),
    ("*电子计算机*笔记本电脑", ("ThinkPad E14", "MateBook 14", "XPS 13"), "台", "13%", (3999, 12999)),
    ("*纸制品*复印纸", ("A4 70g", "A3 80g"), "箱", "13%", (120, 260)),
    ("*文具*中性笔", ("0.5mm", "0.38mm"), "盒", "13%", (12, 48)),
    ("*电线电缆*电力电缆", ("YJV-3*95", "BV-2.5"), "米", "13%", (8, 260)),
    ("*钢材*热轧卷板", ("Q235B", "SPHC"), "吨", "13%", (3600, 4800)),
    ("*饮料*矿泉水", ("550ml*24",), "箱", "13%", (24, 60)),
    ("*谷物*大米", ("5kg", "10kg"), "袋", "9%", (35, 120)),
    ("*运输服务*国内道路货物运输服务", (), "", "9%", None),
    ("*建筑服务*工程服务", (), "", "9%", None),
    ("*信息技术服务*软件开发费", (), "", "6%", None),
    ("*现代服务*技术咨询费", (), "", "6%", None),
    ("*经纪代理服务*代理服务费", (), "", "6%", None),
    ("*餐饮服务*餐饮费", (), "", "6%", None),
    ("*住宿服务*住宿费", ("标准间", "大床房"), "天", "6%", (260, 880)),
    ("*经营租赁*房屋租赁费", (), "月", "5%", (3000, 48000)),
    ("*劳务*劳务费", (), "", "3%", None),
    ("*现代服务*咨询服务费", (), "", "1%", None),
    ("*蔬菜*鲜蔬菜", ("混合",), "千克", "免税", (4, 30)),
    ("*软件*软件出口", ("V3.0",), "套", "0%", (2000, 30000)),
)
ROW_COUNTS = (1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 8)
REMARKS = ("合同编号：HT{y}{n:04d}", "订单号：{d}", "项目名称：{c}年度服务", "")
CIPHER = "0123456789+-*/<>"

H = partial(op, "hline")
V = partial(op, "vline")
R = partial(op, "rect")
L = partial(op, "text", font_role="serif")  # pre-printed label
LB = partial(op, "text", font_role="serifb")
VAL = partial(op, "text", value=True)  # printed-in value


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    """A decimal as printed without trailing zeros after the point (``2``, ``12.5``)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def item(rng: random.Random) -> tuple[dict, dict]:
    """``(truth, printed)`` of one row: truth cells as in ``line_items``, printed cell strings."""
    name, specs, unit, rate, prices = rng.choice(CATALOGUE)
    spec = rng.choice(specs) if specs and rng.random() < 0.8 else ""
    if prices:
        quantity = Decimal(rng.randint(1, 40)) if unit not in ("米", "吨", "千克") else Decimal(rng.randint(5, 900)) / 10
        price = fakes.money(rng, *prices, round_share=0.2)
        if rng.random() < 0.3:  # a price worked back from a tax-inclusive one: many decimals
            price = (price / (1 + Decimal(RATES[rate] or 0))).quantize(Decimal("0.000001"))
        amount = cents(quantity * price)
        quantity_text, price_text = plain(quantity), (f"{price:.2f}" if price == cents(price) else plain(price))
    else:
        amount, quantity_text, price_text = fakes.money(rng, 200, 380_000, round_share=0.3), "", ""
    fraction = RATES[rate]
    tax = None if fraction is None else cents(amount * Decimal(fraction))
    truth = {"name": name, "specification": spec or None, "unit": unit or None, "quantity": quantity_text or None,
             "unit_price": price_text or None, "amount": f"{amount:.2f}", "tax_rate": fraction,
             "tax": None if tax is None else f"{tax:.2f}"}
    printed = {"name": name, "spec": spec, "unit": unit, "qty": quantity_text, "price": price_text,
               "amount": f"{amount:.2f}", "rate": rate, "tax": "***" if tax is None else f"{tax:.2f}"}
    return truth, printed


def party(rng: random.Random, prefix: str, with_bank: bool) -> tuple[dict, dict, fakes.Address]:
    """A company's fields, printed strings (``buyer_`` / ``seller_``) and address."""
    addr = fakes.address(rng)
    bank, branch = fakes.bank_branch(rng, addr)
    account = fakes.account(rng, bank)
    fields = {"name": fakes.company(rng, addr.city), "tax_id": fakes.uscc(rng, addr)}
    printed = {"address_phone": f"{addr.text} {fakes.landline(rng, addr.area_code)}",
               "bank_account": f"{branch} {account}"}
    if with_bank:
        fields |= {"bank": branch, "account": account}
    else:
        printed = {"address_phone": "", "bank_account": ""}
    return ({prefix + k: v for k, v in fields.items()},
            {prefix + k: v for k, v in (fields | printed).items()}, addr)


def content(rng: random.Random, layout: Layout) -> tuple[dict, dict]:
    """``(fields, values)``: canonical truth and the printed strings; ``values["line_items"]``
    holds the rows' truth."""
    kind = layout.meta["kind"]
    seller, seller_printed, seller_addr = party(rng, "seller_", with_bank=layout.name != "vat_all_electronic")
    buyer_bank = layout.name == "vat_special" or (layout.name != "vat_all_electronic" and rng.random() < 0.6)
    buyer, buyer_printed, _ = party(rng, "buyer_", with_bank=buyer_bank)
    day = fakes.date(rng)
    rows = [item(rng) for _ in range(rng.choice(ROW_COUNTS))]
    net = sum((Decimal(t["amount"]) for t, _ in rows), Decimal(0))
    tax = sum((Decimal(t["tax"]) for t, _ in rows if t["tax"]), Decimal(0))
    total = net + tax
    division = fakes.DIVISION_CODES[(seller_addr.city, seller_addr.district)]
    year = f"{day:%y}"
    code = {"special": division[:4] + year + fakes.digits(rng, 3, "0123") + "0",
            "ordinary": "0" + division[:4] + year + fakes.digits(rng, 3, "0123") + layout.meta.get("code_end", "04"),
            "electronic": ""}[kind]
    number = year + division[:2] + "0" + fakes.digits(rng, 15, "0") if kind == "electronic" else fakes.digits(rng, 8, "0")
    check = fakes.digits(rng, 20, "0123456789") if kind == "ordinary" else ""
    remark = rng.choice(REMARKS).format(y=day.year, n=rng.randint(1, 9999), d=fakes.digits(rng, 12), c=day.year)
    fields = buyer | seller | {
        "invoice_code": code, "invoice_number": number, "issue_date": day.isoformat(), "check_code": check,
        "total_excluding_tax": f"{net:.2f}", "total_tax": f"{tax:.2f}", "total": f"{total:.2f}",
        "total_words": f"{total:.2f}", "remarks": remark, "invoice_kind": kind,
    }
    values = buyer_printed | seller_printed | fields | {
        "title": layout.meta["title"].format(province=seller_addr.province.removesuffix("省").removesuffix("市"),
                                             ticket=rng.choice(("增值税专用发票", "普通发票"))),
        "date_cn": day.strftime("%Y年%m月%d日"), "check_spaced": spaced(check, (5,)),
        "machine_no": fakes.digits(rng, 12, "6789"), "total_upper": rmb_upper(total).replace("元", "圆"),
        "yen_net": f"¥{net:.2f}", "yen_tax": f"¥{tax:.2f}", "yen_total": f"¥{total:.2f}",
        "payee_clerk": fakes.person_name(rng), "reviewer": fakes.person_name(rng), "issuer": fakes.person_name(rng),
        "line_items": [truth for truth, _ in rows],
    }
    for k in range(MAX_ROWS):
        printed = rows[k][1] if k < len(rows) else {}
        values |= {f"i{k}_{cell}": printed.get(cell, "") for cell in ("name", "spec", "unit", "qty", "price",
                                                                        "amount", "rate", "tax")}
    for c in range(4):
        values[f"cipher{c}"] = "".join(rng.choice(CIPHER) for _ in range(28))
    fields = {k: v for k, v in fields.items() if v and k not in layout.omit}
    return fields, values


# ----- layouts -----------------------------------------------------------------------------------
# item columns: (cell, x, anchor) — left, centred or right aligned in the column
CLASSIC_COLUMNS = ((40, 560), (560, 760), (760, 850), (850, 1000), (1000, 1200), (1200, 1430), (1430, 1520),
                   (1520, 1850))
CLASSIC_HEADERS = ("货物或应税劳务、服务名称", "规格型号", "单 位", "数 量", "单 价", "金 额", "税率", "税 额")
E_COLUMNS = ((40, 480), (480, 660), (660, 750), (750, 870), (870, 1070), (1070, 1250), (1250, 1400),
             (1400, 1720))
E_HEADERS = ("项目名称", "规格型号", "单 位", "数 量", "单 价", "金 额", "税率/征收率", "税 额")
CELLS = ("name", "spec", "unit", "qty", "price", "amount", "rate", "tax")
ALIGN = {"name": "l", "spec": "l", "unit": "m", "qty": "r", "price": "r", "amount": "r", "rate": "m", "tax": "r"}
ROW_STEP = 34


def item_rows(columns, y0: float, size: int = 20) -> list:
    """Value ops for up to ``MAX_ROWS`` item rows starting at ``y0`` (empty cells draw nothing)."""
    ops = []
    for k in range(MAX_ROWS):
        y = y0 + k * ROW_STEP
        for cell, (x0, x1) in zip(CELLS, columns):
            align = ALIGN[cell]
            x = {"l": x0 + 10, "m": (x0 + x1) / 2, "r": x1 - 10}[align]
            role = "mono" if cell in ("qty", "price", "amount", "tax") else "sans"
            ops.append(VAL(x, y, f"{{i{k}_{cell}}}", size, font_role=role, anchor=f"{align}m"))
    return ops


def party_block(prefix: str, title: str, y0: float, right_title: str, right_ops: list) -> list:
    """A 购买方 / 销售方 block of the classic form, 140 px high, with the 密码区 / 备注 on the right."""
    rows = (("名        称：", "{%sname}" % prefix, "sans"), ("纳税人识别号：", "{%stax_id}" % prefix, "mono"),
            ("地 址、电 话：", "{%saddress_phone}" % prefix, "sans"), ("开户行及账号：", "{%sbank_account}" % prefix, "sans"))
    ops = [V(95, y0, y0 + 140, 1), op("vtext", 67, y0 + 22, title, 26), V(1190, y0, y0 + 140, 1),
           op("vtext", 1215, y0 + 22, right_title, 26), V(1240, y0, y0 + 140, 1)]
    for i, (label, value, role) in enumerate(rows):
        y = y0 + 21 + 33 * i
        ops += [L(105, y, label, 22), VAL(290, y, value, 22 if role == "sans" else 24, font_role=role)]
    return ops + right_ops


def classic_body(y0: float = 240) -> tuple:
    """The frame shared by the paper invoices and the electronic ordinary invoice, from ``y0``."""
    table, total_y, words_y, seller_y = y0 + 140, y0 + 480, y0 + 530, y0 + 560
    cipher = [VAL(1255, y0 + 21 + 33 * c, f"{{cipher{c}}}", 22, font_role="mono") for c in range(4)]
    remarks = [op("wrap", 1255, seller_y + 25, "{remarks}", 22, 580, value=True, max_lines=3)]
    ops = [R((40, y0, 1850, seller_y + 140), 2), *party_block("buyer_", "购买方", y0, "密码区", cipher),
           H(table, 40, 1850, 1)]
    for (x0, x1), header in zip(CLASSIC_COLUMNS, CLASSIC_HEADERS):
        ops += [L((x0 + x1) / 2, table + 20, header, 20, anchor="mm")]
        if x0 > 40:
            ops.append(V(x0, table, total_y + 25, 1))
    ops += item_rows(CLASSIC_COLUMNS, table + 58)
    ops += [L(300, total_y, "合        计", 22, anchor="mm"),
            VAL(1420, total_y, "{yen_net}", 22, font_role="mono", anchor="rm"),
            VAL(1840, total_y, "{yen_tax}", 22, font_role="mono", anchor="rm"),
            H(total_y + 25, 40, 1850, 1),
            L(60, words_y - 3, "价税合计（大写）", 22), VAL(420, words_y - 3, "{total_upper}", 24),
            L(1290, words_y - 3, "（小写）", 22), VAL(1390, words_y - 3, "{yen_total}", 24, font_role="mono"),
            H(seller_y, 40, 1850, 1), *party_block("seller_", "销售方", seller_y, "备注", remarks),
            L(60, seller_y + 175, "收款人：", 22), VAL(150, seller_y + 175, "{payee_clerk}", 22),
            L(520, seller_y + 175, "复核：", 22), VAL(590, seller_y + 175, "{reviewer}", 22),
            L(930, seller_y + 175, "开票人：", 22), VAL(1020, seller_y + 175, "{issuer}", 22),
            L(1350, seller_y + 175, "销售方：（章）", 22),
            op("seal", 1600, seller_y + 150, 85, "{seller_name}", "发票专用章")]
    return tuple(ops)


def title_ops(title_y: float = 70) -> list:
    return [LB(945, title_y, "{title}", 44, anchor="mm"), H(title_y + 36, 700, 1190, 2), H(title_y + 42, 700, 1190, 2)]


def printed_numbers(labels: tuple[str, ...], y0: float) -> list:
    """The printed block at the top right: 发票代码 / 发票号码 / 开票日期 / 校验码 as given."""
    fills = {"发票代码：": ("{invoice_code}", "mono"), "发票号码：": ("{invoice_number}", "mono"),
             "开票日期：": ("{date_cn}", "sans"), "校 验 码：": ("{check_spaced}", "mono")}
    ops = []
    for i, label in enumerate(labels):
        value, role = fills[label]
        ops += [L(1380, y0 + 35 * i, label, 22), VAL(1500, y0 + 35 * i, value, 22, font_role=role)]
    return ops


VAT_SPECIAL = Layout(
    "vat_special", DOC_TYPE, (1890, 1100), ink="#6b4a1f", misregister=8,
    omit=frozenset({"check_code"}), meta={"kind": "special", "title": "{province}增值税专用发票", "media": ("scan",)},
    ops=(*title_ops(), L(945, 150, "发  票  联", 26, anchor="mm"),
         op("seal", 1240, 100, 58, "全国统一发票监制章", "国家税务总局"),
         op("text", 60, 60, "{invoice_code}", 36, font_role="mono", color="#111"),
         op("text", 1480, 55, "No {invoice_number}", 36, font_role="mono", color="#111"),
         L(60, 190, "机器编号：", 22), VAL(180, 190, "{machine_no}", 22, font_role="mono"),
         *printed_numbers(("发票代码：", "发票号码：", "开票日期："), 125), *classic_body()))

VAT_ORDINARY = Layout(
    "vat_ordinary", DOC_TYPE, (1890, 1100), ink="#1f4f8f", misregister=8,
    meta={"kind": "ordinary", "title": "{province}增值税普通发票", "media": ("scan",)},
    ops=(*title_ops(), L(945, 150, "发  票  联", 26, anchor="mm"),
         op("seal", 1240, 100, 58, "全国统一发票监制章", "国家税务总局"),
         op("text", 60, 60, "{invoice_code}", 36, font_role="mono", color="#111"),
         op("text", 1480, 40, "No {invoice_number}", 32, font_role="mono", color="#111"),
         L(60, 190, "机器编号：", 22), VAL(180, 190, "{machine_no}", 22, font_role="mono"),
         *printed_numbers(("发票代码：", "发票号码：", "开票日期：", "校 验 码："), 95), *classic_body()))

VAT_E_ORDINARY = Layout(
    "vat_e_ordinary", DOC_TYPE, (1890, 1100), ink="#7a4a24",
    meta={"kind": "ordinary", "title": "{province}增值税电子普通发票", "code_end": "11",
          "media": ("pdf", "pdf", "pdf", "scan")},
    ops=(op("qr", (60, 25, 190, 155)), *title_ops(), op("seal", 945, 165, 55, "全国统一发票监制章", "国家税务总局"),
         L(60, 195, "机器编号：", 22), VAL(180, 195, "{machine_no}", 22, font_role="mono"),
         *printed_numbers(("发票代码：", "发票号码：", "开票日期：", "校 验 码："), 60), *classic_body()))


def all_electronic_ops() -> tuple:
    ops = [op("qr", (60, 30, 180, 150)), LB(880, 75, "{title}", 40, anchor="mm"),
           H(118, 600, 1160, 2), H(124, 600, 1160, 2), op("seal", 420, 95, 55, "全国统一发票监制", "税务局"),
           L(1260, 70, "发票号码：", 22), VAL(1380, 70, "{invoice_number}", 24, font_role="mono"),
           L(1260, 110, "开票日期：", 22), VAL(1380, 110, "{date_cn}", 22),
           R((40, 200, 1720, 960), 2), V(90, 200, 330, 1), op("vtext", 65, 206, "购买方信息", 20),
           V(880, 200, 330, 1), V(930, 200, 330, 1), op("vtext", 905, 206, "销售方信息", 20)]
    for x, prefix in ((100, "buyer_"), (940, "seller_")):
        ops += [L(x, 240, "名称：", 22), VAL(x + 70, 240, "{%sname}" % prefix, 24),
                L(x, 295, "统一社会信用代码/纳税人识别号：", 20), VAL(x + 340, 295, "{%stax_id}" % prefix, 22, font_role="mono")]
    ops.append(H(330, 40, 1720, 1))
    ops += [L((x0 + x1) / 2, 350, header, 20, anchor="mm") for (x0, x1), header in zip(E_COLUMNS, E_HEADERS)]
    ops += item_rows(E_COLUMNS, 390)
    ops += [L(260, 690, "合        计", 22, anchor="mm"),
            VAL(1240, 690, "{yen_net}", 22, font_role="mono", anchor="rm"),
            VAL(1710, 690, "{yen_tax}", 22, font_role="mono", anchor="rm"), H(720, 40, 1720, 1),
            L(60, 750, "价税合计（大写）", 22), VAL(330, 750, "{total_upper}", 24),
            L(1150, 750, "（小写）", 22), VAL(1250, 750, "{yen_total}", 24, font_role="mono"), H(780, 40, 1720, 1),
            V(90, 780, 960, 1), op("vtext", 65, 830, "备注", 22),
            op("wrap", 110, 810, "{remarks}", 22, 1580, value=True, max_lines=3),
            L(100, 1000, "开票人：", 22), VAL(190, 1000, "{issuer}", 22)]
    return tuple(ops)


VAT_ALL_ELECTRONIC = Layout(
    "vat_all_electronic", DOC_TYPE, (1760, 1060), ink="#9a4b2a",
    omit=frozenset({"invoice_code", "check_code"}),
    meta={"kind": "electronic", "title": "电子发票（{ticket}）", "media": ("pdf", "pdf", "pdf", "scan")},
    ops=all_electronic_ops())

LAYOUTS = {layout.name: layout for layout in (VAT_SPECIAL, VAT_ORDINARY, VAT_E_ORDINARY, VAT_ALL_ELECTRONIC)}
