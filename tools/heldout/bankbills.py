"""Bank bills carrying the PBOC standard elements in other places than billflow is used to.

Layouts: ``wire_transfer`` (电汇凭证, payer and payee side by side), ``deposit_rows`` (进账单
with the 出票人 and 收款人 blocks stacked as rows), ``cheque_below`` (转账支票, the digit amount
printed under the words, the 亿…分 grid left empty) and ``cheque_right`` (转账支票, the digit
amount at the far right of the words row, no grid). Each layout function draws onto a page and
returns ``(printed fields, amount_small style)``.
"""

from __future__ import annotations

from . import content, data
from .fonts import Palette
from .numerals import amount_words, date_words
from .page import RED, Page, fit

DOC_TYPE = "bank_bill"
CELL_HEADS = "亿千百十万千百十元角分"
INKS = ((28, 96, 62), (36, 62, 140), (150, 42, 48), (70, 70, 70))
PAPERS = ((250, 252, 245), (247, 250, 255), (255, 250, 247), (255, 255, 255))
VALUE_INK = (24, 24, 28)
BILL_TYPES = {"wire_transfer": "deposit_slip", "deposit_rows": "deposit_slip",
              "cheque_below": "transfer_cheque", "cheque_right": "transfer_cheque"}


# ----- content ---------------------------------------------------------------------------------
def values(rng, variant: int | None = None) -> dict:
    """Random bill content, colours and per-document font roles; ``variant`` (a batch index)
    alternates how the digit amount is printed (box or cells) instead of drawing it."""
    payer_place, payee_place = content.place(rng), content.place(rng)
    payer_bank, payee_bank = rng.choice(data.BANKS), rng.choice(data.BANKS)
    payer = content.company(rng, payer_place)
    payee = content.company(rng, payee_place)
    while payee == payer:
        payee = content.company(rng, payee_place)
    return {
        "payer": payer, "payee": payee, "payer_place": payer_place, "payee_place": payee_place,
        "payer_account": content.account(rng), "payee_account": content.account(rng),
        "payer_bank_name": payer_bank, "payee_bank_name": payee_bank,
        "payer_bank": content.branch(rng, payer_bank, payer_place),
        "payee_bank": content.branch(rng, payee_bank, payee_place),
        "amount": content.amount(rng), "day": content.date(rng), "words_date": rng.random() < 0.5,
        "number": content.digits(rng, 8), "serial": content.digits(rng, 8, "0123"),
        "purpose": rng.choice(data.PURPOSES), "signer": content.name(rng),
        "small": rng.choice(("box", "cells")), "grouped": rng.random() < 0.6,
        "offset": (rng.randint(-6, 6), rng.randint(-5, 5)),
        "ink": rng.choice(INKS), "paper": rng.choice(PAPERS),
        "roles": {"head": rng.choice(("serifbold", "sansbold", "zenhei")),
                  "body": rng.choice(("ming", "zenhei", "ming")),
                  "value": rng.choice(("ming", "kai", "zenhei")),
                  "num": rng.choice(("zenhei", "ming", "latin")),
                  "glyph": "zenhei"},
    } | ({"small": ("box", "cells")[variant // 4 % 2]} if variant is not None else {})


def small_text(v: dict) -> str:
    """The digit amount as one run: ``¥1,005.30`` or ``¥1005.30``."""
    amount = v["amount"]
    return "¥" + (content.grouped(amount) if v["grouped"] else f"{amount:.2f}")


def date_text(v: dict, words: bool | None = None) -> str:
    day = v["day"]
    if v["words_date"] if words is None else words:
        return date_words(day)
    return f"{day.year}年{day.month:02d}月{day.day:02d}日"


def fields(layout: str, v: dict, printed: set[str]) -> dict:
    """Canonical truth: amounts as ``1234.50``, ISO date, accounts as digits. A 进账单's
    ``bill_number`` is its own ``No`` serial; the number at its 票据号码 is ``deposited_number``."""
    amount = f"{v['amount']:.2f}"
    numbers = ({"bill_number": v["serial"], "deposited_number": v["number"]} if layout == "deposit_rows"
               else {"bill_number": v["number"]})
    out = {"bill_type": BILL_TYPES[layout], **numbers, "issue_date": v["day"].isoformat()}
    for name in ("payer_name", "payer_account", "payer_bank", "payee_name", "payee_account",
                 "payee_bank", "purpose"):
        if name in printed:
            key = {"payer_name": "payer", "payee_name": "payee"}.get(name, name)
            out[name] = v[key]
    return out | {"amount": amount, "amount_words": amount}


# ----- building blocks -------------------------------------------------------------------------
class Form:
    """A page with the pre-printed ``ink`` for the form and a slightly shifted printer for
    the values (``offset``), plus the document's palette."""

    def __init__(self, size, v: dict):
        self.page = Page(size, paper=v["paper"], ink=v["ink"])
        self.pal = Palette(v["roles"])
        self.v = v

    def label(self, xy, text: str, size: int = 22, anchor: str = "la", role: str = "body"):
        return self.page.text(xy, text, self.pal.font(role, size), anchor=anchor)

    def value(self, xy, text: str, size: int = 26, width: float = 600, role: str = "value",
              anchor: str = "lm", fill=VALUE_INK):
        dx, dy = self.v["offset"]
        font = fit(lambda s: self.pal.font(role, s), text, size, width)
        return self.page.text((xy[0] + dx, xy[1] + dy), text, font, fill=fill, anchor=anchor)

    def grid(self, x0: float, y0: float, cell: float, height: float, header: float, digits: str | None):
        """The 亿…分 boxes: a header row of place names and, below, one digit per box
        (``digits`` right-aligned, ``¥`` in the box before the first one)."""
        page, pal = self.page, self.pal
        page.cells(x0, y0, cell, header, CELL_HEADS, pal.font("body", 16))
        if digits is None:
            for i in range(len(CELL_HEADS)):
                page.rect((x0 + cell * i, y0 + header, x0 + cell * (i + 1), y0 + height), 1)
            return
        padded = ("¥" + digits).rjust(len(CELL_HEADS))
        dx, dy = self.v["offset"]
        for i in range(len(CELL_HEADS)):
            page.rect((x0 + cell * i, y0 + header, x0 + cell * (i + 1), y0 + height), 1)
        page.cells(x0 + dx, y0 + header + dy, cell, height - header, padded, pal.font("num", 26),
                   fill=VALUE_INK, draw_grid=False, text="¥" + digits)

    def words(self, xy, size: int = 30, width: float = 760):
        return self.value(xy, amount_words(self.v["amount"]), size, width)

    def vertical(self, x, y0, y1, text, size=20):
        self.page.vertical(x, y0, y1, text, self.pal.font("body", size))


def fen_digits(v: dict) -> str:
    return str(int(v["amount"] * 100))


def bank_stamp(form: Form, box, bank: str, day) -> None:
    form.page.stamp(box, [bank, day.strftime("%Y.%m.%d"), "转讫"], form.pal.font("glyph", 15))


def name_seal(form: Form, box) -> None:
    signer = form.v["signer"]
    chars = (signer + "印") if len(signer) == 3 else (signer + "之印")[:4]
    form.page.seal_square(box, chars, form.pal.font("glyph", int((box[2] - box[0]) * 0.36)))


# ----- layouts ---------------------------------------------------------------------------------
def wire_transfer(form: Form) -> tuple[set[str], str]:
    """电汇凭证: 汇款人 | 收款人 columns, amount row with the digits in a box or in cells."""
    page, v = form.page, form.v
    form.label((70, 46), v["payer_bank_name"], 30, role="head")
    form.label((700, 68), "电 汇 凭 证", 44, "mm", role="head")
    page.hline(98, 580, 820, 2)
    page.hline(104, 580, 820, 2)
    form.label((845, 70), "（回 单）", 22, "lm")
    page.text((1330, 46), f"No {v['number']}", form.pal.font("num", 28), fill=RED, anchor="ra")
    form.label((70, 124), "汇款方式", 22, "lm")
    for x, word, ticked in ((190, "普通", False), (300, "加急", True)):
        page.rect((x, 113, x + 22, 135), 2)
        if ticked:
            page.draw.line((x + 4, 124, x + 10, 131, x + 19, 115), fill=VALUE_INK, width=3)
        form.label((x + 30, 124), word, 22, "lm")
    form.label((560, 124), "委托日期", 22, "lm")
    form.value((670, 124), date_text(v), 24, 420)
    page.rect((60, 150, 1340, 640), 3)
    for y in (210, 270, 330):
        page.hline(y, 110, 700, 1)
        page.hline(y, 750, 1340, 1)
    for y in (390, 480, 560):
        page.hline(y, 60, 1340, 2)
    for x in (110, 240, 750, 880):
        page.vline(x, 150, 390, 1)
    page.vline(700, 150, 390, 2)
    form.vertical(85, 160, 380, "汇款人", 24)
    form.vertical(725, 160, 380, "收款人", 24)
    rows = (("全  称", "payer", "payee"), ("账  号", "payer_account", "payee_account"))
    for i, (label, left, right) in enumerate(rows):
        y = 180 + 60 * i
        form.label((175, y), label, 22, "mm")
        form.label((815, y), label, 22, "mm")
        role = "num" if "account" in left else "value"
        form.value((255, y), v[left], 26, 430, role)
        form.value((895, y), v[right], 26, 430, role)
    for x, (label, place) in ((110, ("汇出地点", v["payer_place"])), (750, ("汇入地点", v["payee_place"]))):
        form.label((x + 65, 300), label, 22, "mm")
        form.value((x + 145, 300), place.province_short, 24, 100)
        form.label((x + 250, 300), "省", 22, "lm")
        form.value((x + 290, 300), place.city_short, 24, 110)
        form.label((x + 410, 300), "市/县", 22, "lm")
    form.label((175, 360), "汇出行名称", 22, "mm")
    form.label((815, 360), "汇入行名称", 22, "mm")
    form.value((255, 360), v["payer_bank"], 26, 430)
    form.value((895, 360), v["payee_bank"], 26, 430)
    form.label((150, 418), "人民币", 22, "mm")
    form.label((150, 452), "（大写）", 22, "mm")
    page.vline(240, 390, 480, 1)
    form.words((258, 435), 30, 760)
    small = amount_box(form, 1040, 390, 480)
    form.label((150, 520), "支付密码", 22, "mm")
    page.vline(240, 480, 560, 1)
    page.vline(700, 480, 640, 2)
    box = form.label((716, 520), "附加信息及用途：", 22, "lm")
    form.value((box[2] + 12, 520), v["purpose"], 26, 300)
    form.label((80, 600), "汇出行签章", 22, "lm")
    bank_stamp(form, (330, 566, 620, 634), v["payer_bank_name"], v["day"])
    form.label((900, 600), "复核", 22, "lm")
    form.label((1120, 600), "记账", 22, "lm")
    form.vertical(1366, 170, 620, "此联汇出行给汇款人的回单", 16)
    printed = {"payer_name", "payer_account", "payer_bank", "payee_name", "payee_account", "payee_bank",
               "purpose"}
    return printed, small


def amount_box(form: Form, x0: float, y0: float, y1: float) -> str:
    """The digit amount right of the words: a bordered ¥ box or the 亿…分 cells."""
    if form.v["small"] == "box":
        form.page.vline(x0, y0, y1, 2)
        form.value((1318, (y0 + y1) / 2), small_text(form.v), 30, 270, "num", "rm")
        return "text"
    form.grid(x0 + 3, y0, 27, y1 - y0, 30, fen_digits(form.v))
    return "cells"


def deposit_rows(form: Form) -> tuple[set[str], str]:
    """进账单 with the 出票人 block stacked above the 收款人 block, each two rows."""
    page, v = form.page, form.v
    form.label((70, 46), v["payee_bank_name"], 30, role="head")
    box = form.label((700, 62), "进 账 单", 44, "mm", role="head")
    form.label((box[2] + 14, 66), "（收账通知）", 22, "lm")
    form.label((box[2] + 170, 66), "3", 26, "lm")
    page.text((1330, 46), f"No {v['serial']}", form.pal.font("num", 26), fill=RED, anchor="ra")
    form.value((700, 122), date_text(v), 24, 420, anchor="mm")
    page.rect((60, 150, 1340, 650), 3)
    for block, (who, y0) in enumerate((("出票人", 150), ("收款人", 270))):
        party_rows(form, who, y0, "payer" if block == 0 else "payee")
    page.hline(390, 60, 1340, 2)
    form.label((70, 435), "人民币（大写）", 20, "lm")
    page.vline(220, 390, 480, 1)
    form.words((236, 435), 30, 790)
    small = amount_box(form, 1040, 390, 480)
    page.hline(480, 60, 1340, 2)
    cols = ((60, 190, "票据种类", "转账支票"), (400, 530, "票据张数", "1"), (620, 750, "票据号码", v["number"]))
    for x0, x1, label, text in cols:
        form.label(((x0 + x1) / 2, 520), label, 22, "mm")
        page.vline(x1, 480, 560, 1)
        form.value((x1 + 14, 520), text, 26, 230, "num" if text.isdigit() else "value")
    page.hline(560, 60, 1000, 1)
    page.vline(1000, 480, 650, 2)
    form.label((160, 605), "复核", 22, "lm")
    form.label((460, 605), "记账", 22, "lm")
    form.label((1170, 500), "收款人开户银行签章", 20, "mm")
    bank_stamp(form, (1030, 528, 1310, 638), v["payee_bank_name"], v["day"])
    form.vertical(1368, 160, 640, "此联是收款人开户银行交给收款人的收账通知", 15)
    printed = {"payer_name", "payer_account", "payer_bank", "payee_name", "payee_account", "payee_bank"}
    return printed, small


def party_rows(form: Form, who: str, y0: int, key: str) -> None:
    """One party as two table rows: 全称 | name | 账号 | account, then 开户银行 | bank."""
    page, v = form.page, form.v
    page.hline(y0 + 60, 120, 1340, 1)
    page.hline(y0 + 120, 60, 1340, 2)
    page.vline(120, y0, y0 + 120, 1)
    form.vertical(90, y0 + 8, y0 + 112, who, 22)
    for x in (210, 770, 860):
        page.vline(x, y0, y0 + 60, 1)
    page.vline(260, y0 + 60, y0 + 120, 1)
    form.label((165, y0 + 30), "全称", 22, "mm")
    form.value((226, y0 + 30), v[key], 26, 530)
    form.label((815, y0 + 30), "账号", 22, "mm")
    form.value((876, y0 + 30), v[f"{key}_account"], 26, 450, "num")
    form.label((190, y0 + 90), "开户银行", 22, "mm")
    form.value((276, y0 + 90), v[f"{key}_bank"], 26, 700)


def cheque_top(form: Form, left: int) -> None:
    """Frame, bank name, title and the 支票号码."""
    page, v = form.page, form.v
    form.label((left + 20, 52), v["payer_bank_name"], 30, role="head")
    form.label((700, 70), "转 账 支 票", 46, "mm", role="head")
    page.hline(102, 580, 820, 2)
    page.hline(108, 580, 820, 2)
    box = form.label((1010, 66), "支票号码", 22, "lm")
    form.value((box[2] + 16, 66), v["number"], 30, 200, "num")


def cheque_below(form: Form) -> tuple[set[str], str]:
    """转账支票 whose digit amount is printed under the words; the 亿…分 grid stays empty."""
    page, v = form.page, form.v
    page.rect((60, 30, 1340, 610), 3)
    page.vline(110, 30, 610, 1)
    form.vertical(85, 120, 540, "本支票付款期限十天", 20)
    cheque_top(form, 110)
    box = form.label((130, 148), "出票日期（大写）", 22, "lm")
    form.value((box[2] + 14, 148), date_text(v, words=True), 26, 470)
    box = form.label((800, 148), "付款行名称：", 22, "lm")
    form.value((box[2] + 8, 148), v["payer_bank"], 26, 1330 - box[2] - 8)
    box = form.label((130, 200), "收款人：", 22, "lm")
    form.value((box[2] + 8, 200), v["payee"], 28, 780 - box[2] - 8)
    box = form.label((800, 200), "出票人账号：", 22, "lm")
    form.value((box[2] + 8, 200), v["payer_account"], 28, 1330 - box[2] - 8, "num")
    page.rect((110, 236, 1340, 350), 2)
    page.vline(260, 236, 350, 1)
    form.label((185, 270), "人民币", 22, "mm")
    form.label((185, 312), "（大写）", 22, "mm")
    form.words((280, 268), 32, 740)
    form.value((280, 322), small_text(v), 30, 400, "num")
    form.grid(1040, 236, 27, 114, 32, None)
    box = form.label((130, 390), "用途", 22, "lm")
    form.value((box[2] + 24, 390), v["purpose"], 26, 300)
    form.label((800, 390), "密码", 22, "lm")
    page.hline(404, 860, 1200, 1)
    form.label((800, 440), "行号", 22, "lm")
    page.hline(454, 860, 1200, 1)
    form.label((130, 470), "上列款项请从", 22, "lm")
    form.label((130, 505), "我账户内支付", 22, "lm")
    form.label((420, 470), "出票人签章", 22, "lm")
    name_seal(form, (450, 496, 550, 596))
    form.label((900, 560), "复核", 22, "lm")
    form.label((1100, 560), "记账", 22, "lm")
    return {"payer_account", "payer_bank", "payee_name", "purpose"}, "text"


def cheque_right(form: Form) -> tuple[set[str], str]:
    """转账支票 with 收款人 first, a plain 出票日期 and the ¥ amount at the far right."""
    page, v = form.page, form.v
    page.rect((50, 30, 1350, 610), 3)
    form.label((80, 52), "转账支票", 40, role="head")
    form.label((700, 72), v["payer_bank_name"], 30, "mm", role="head")
    page.text((1320, 50), f"No {v['number']}", form.pal.font("num", 30), fill=RED, anchor="ra")
    box = form.label((80, 150), "收款人", 22, "lm")
    form.value((box[2] + 20, 150), v["payee"], 28, 760 - box[2] - 20)
    box = form.label((800, 150), "出票日期", 22, "lm")
    form.value((box[2] + 20, 150), date_text(v), 26, 1320 - box[2] - 20)
    box = form.label((80, 205), "付款行名称", 22, "lm")
    form.value((box[2] + 20, 205), v["payer_bank"], 26, 760 - box[2] - 20)
    box = form.label((800, 205), "出票人账号", 22, "lm")
    form.value((box[2] + 20, 205), v["payer_account"], 28, 1320 - box[2] - 20, "num")
    page.rect((50, 240, 1350, 330), 2)
    form.label((70, 285), "人民币（大写）", 22, "lm")
    form.words((250, 285), 32, 720)
    form.value((1325, 285), small_text(v), 34, 300, "num", "rm")
    box = form.label((80, 370), "用途", 22, "lm")
    form.value((box[2] + 24, 370), v["purpose"], 26, 300)
    form.label((800, 370), "上列款项请从我账户内支付", 22, "lm")
    form.label((80, 440), "出票人签章", 22, "lm")
    name_seal(form, (250, 420, 350, 520))
    form.label((800, 440), "密码", 22, "lm")
    page.hline(454, 860, 1200, 1)
    form.label((800, 490), "行号", 22, "lm")
    page.hline(504, 860, 1200, 1)
    form.label((800, 560), "复核", 22, "lm")
    form.label((1050, 560), "记账", 22, "lm")
    return {"payer_account", "payer_bank", "payee_name", "purpose"}, "text"


LAYOUTS = {"wire_transfer": (wire_transfer, (1400, 700)), "deposit_rows": (deposit_rows, (1400, 700)),
           "cheque_below": (cheque_below, (1400, 640)), "cheque_right": (cheque_right, (1400, 640))}


def render(layout: str, v: dict) -> tuple[Page, Palette, dict, dict]:
    """Draw ``layout`` with values ``v``; return the page, the palette, the truth fields and
    extra top-level truth keys (``amount_small``: how the digit amount is printed, ``text`` or
    ``cells``; ``bill_kind``: what the bill really is, ``wire_transfer`` included)."""
    draw, size = LAYOUTS[layout]
    form = Form(size, v)
    printed, small = draw(form)
    kind = {"wire_transfer": "wire_transfer", "deposit_rows": "deposit_slip"}.get(layout, "transfer_cheque")
    return form.page, form.pal, fields(layout, v, printed), {"amount_small": small, "bill_kind": kind}
