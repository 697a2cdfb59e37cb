"""Chinese bank bills with the PBOC elements in places and orders of their own: transfer cheques
(with or without the 存根 stub), paper bank acceptance drafts, electronic bank acceptance drafts
as printed from the ECDS, and deposit slips (进账单). Forms are printed in a colour, the values
typed over them in black by a printer that never quite hits the boxes; seals overprint text.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from tools.heldout2 import values
from tools.heldout2.canvas import Page, cjk_faces

PPM = 8
FORM_COLOURS = ((30, 80, 160), (20, 115, 90), (165, 55, 45), (110, 60, 140), (140, 90, 30), (30, 30, 30))
TINTS = ((236, 244, 250), (238, 248, 240), (252, 240, 238), (246, 240, 250), (250, 246, 232), (255, 255, 255))
VALUE_INKS = ((15, 15, 15), (25, 25, 60), (40, 40, 40))
PURPOSES = ("货款", "服务费", "工程款", "材料款", "往来款", "咨询费", "租金", "设备款", "运输费", "劳务费", "广告费", "技术服务费")
CELL_UNITS = "亿千百十万千百十元角分"
TYPES = ("transfer_cheque", "transfer_cheque", "acceptance_bill", "acceptance_ecds", "deposit_slip", "deposit_slip")


class _Look:
    """One bill's fonts and colours."""

    def __init__(self, rng: random.Random, colour_index: int | None = None) -> None:
        faces = cjk_faces()
        index = rng.randrange(len(FORM_COLOURS)) if colour_index is None else colour_index
        self.form, self.tint = FORM_COLOURS[index], TINTS[index] if rng.random() < 0.7 else (255, 255, 255)
        self.label_face = rng.choice(faces)
        self.value_face = rng.choice(faces)
        self.digit_face = rng.choice(("mono", "sans", "serif", "mono_bold", self.value_face))
        self.ink = rng.choice(VALUE_INKS)
        self.jitter = (rng.randint(-14, 14), rng.randint(-7, 7))  # where the printer put the values


def make_bill(rng: random.Random) -> tuple[Page, dict, dict, str]:
    """One bank bill: (page, fields, printed texts of the fields, layout name)."""
    kind = rng.choice(TYPES)
    maker = {"transfer_cheque": _cheque, "acceptance_bill": _acceptance_paper, "acceptance_ecds": _acceptance_ecds,
             "deposit_slip": _deposit_slip}[kind]
    return maker(rng)


def _parties(rng: random.Random) -> dict:
    payer_bank, payee_bank = values.bank(rng), values.bank(rng)
    payer_place, payee_place = values.place(rng), values.place(rng)
    return {
        "payer_name": values.company(rng, payer_place), "payer_account": values.account(rng, payer_bank),
        "payer_bank": values.branch(rng, payer_bank, payer_place),
        "payee_name": values.company(rng, payee_place) if rng.random() < 0.9 else values.person_name(rng),
        "payee_account": values.account(rng, payee_bank), "payee_bank": values.branch(rng, payee_bank, payee_place),
    }


def _account_print(rng: random.Random, digits: str) -> str:
    return values.grouped(digits) if rng.random() < 0.3 else digits


def _value(page: Page, look: _Look, x: float, y: float, text: str, size: int, face: str | None = None):
    dx, dy = look.jitter
    return page.text(x + dx, y + dy, text, face or look.value_face, size, fill=look.ink)


def _label(page: Page, look: _Look, x: float, y: float, text: str, size: int, spaced: bool = False):
    if spaced and len(text) <= 4:
        return page.spaced(x, y, text, look.label_face, size, size * 0.6, fill=look.form)
    return page.text(x, y, text, look.label_face, size, fill=look.form)


def _cells(page: Page, look: _Look, x: float, y: float, cell: float, height: float, amount: Decimal, units: str) -> None:
    """Amount cells (亿 千 … 角 分): unit names in a header row, the digits below, ¥ before the first."""
    page.hline(x, x + cell * len(units), y, fill=look.form, width=1)
    for index in range(len(units) + 1):
        page.vline(x + index * cell, y, y + height * 2, fill=look.form, width=1)
    page.hline(x, x + cell * len(units), y + height, fill=look.form, width=1)
    page.hline(x, x + cell * len(units), y + height * 2, fill=look.form, width=1)
    size = int(min(cell, height) * 0.62)
    boxes = [page.text(x + i * cell + cell * 0.2, y + height * 0.15, u, look.label_face, size, fill=look.form,
                       record=False) for i, u in enumerate(units)]
    page.record((boxes[0][0], min(b[1] for b in boxes), boxes[-1][2], max(b[3] for b in boxes)), units)
    digits = f"{int((amount * 100).to_integral_value())}"
    shown = "¥" + digits
    if len(shown) > len(units):
        raise ValueError("amount does not fit the cells")
    start = len(units) - len(shown)
    dx, dy = look.jitter
    dsize = int(min(cell, height) * 0.8)
    boxes = [page.text(x + (start + i) * cell + cell * 0.22 + dx / 3, y + height * 1.08 + dy / 3, ch, look.digit_face,
                       dsize, fill=look.ink, record=False) for i, ch in enumerate(shown)]
    page.record((boxes[0][0], min(b[1] for b in boxes), boxes[-1][2], max(b[3] for b in boxes)), shown)


def _amount_row(page: Page, look: _Look, rng, x0, x1, y, height, amount: Decimal, printed: dict, label: str) -> None:
    """人民币（大写） words, then cells or a lower-case figure."""
    size = int(height * 0.32)
    box = _label(page, look, x0 + 10, y + height * 0.3, label, size)
    words = ("人民币" if rng.random() < 0.3 else "") + values.amount_words(amount)
    if rng.random() < 0.2:
        words = words.replace("人民币", "")
    use_cells = rng.random() < 0.75
    units = CELL_UNITS if rng.random() < 0.7 else CELL_UNITS[1:]
    cell = min(34, (x1 - x0) * 0.035)
    cells_left = x1 - cell * len(units) - 6
    words_right = cells_left - 10 if use_cells else x0 + (x1 - x0) * 0.62
    wsize = int(height * 0.34)
    while page.width_of(words, look.value_face, wsize) > words_right - box[2] - 20 and wsize > 14:
        wsize -= 2
    _value(page, look, box[2] + 16, y + height * 0.3, words, wsize)
    printed["amount_words"] = words
    if use_cells:
        page.vline(cells_left - 4, y, y + height, fill=look.form, width=1)
        _cells(page, look, cells_left, y + 4, cell, (height - 8) / 2, amount, units)
        printed["amount"] = "¥" + f"{int((amount * 100).to_integral_value())}"
    else:
        shown = rng.choice((f"¥{amount:,.2f}", f"¥{amount:.2f}"))
        lbox = _label(page, look, words_right + 10, y + height * 0.3, rng.choice(("（小写）", "小写金额", "")), size)
        _value(page, look, lbox[2] + 12, y + height * 0.3, shown, wsize, look.digit_face)
        printed["amount"] = shown


def _grid(page: Page, look: _Look, x0, x1, rows: list[float]) -> None:
    for y in rows:
        page.hline(x0, x1, y, fill=look.form, width=2)
    page.vline(x0, rows[0], rows[-1], fill=look.form, width=2)
    page.vline(x1, rows[0], rows[-1], fill=look.form, width=2)


def _guilloche(page: Page, rng, look: _Look, box) -> None:
    import math
    left, top, right, bottom = box
    if look.tint == (255, 255, 255):
        return
    shade = tuple(max(0, c - 14) for c in look.tint)
    phase = rng.random() * 6
    for offset in range(int(top), int(bottom), 9):
        points = [(x, offset + 4 * math.sin(x / 23 + phase + offset / 40)) for x in range(int(left), int(right), 6)]
        page.draw.line(points, fill=shade, width=1)


def _upper_date_row(page: Page, look: _Look, x, y, day: dt.date, size: int, label: str) -> tuple:
    box = _label(page, look, x, y, label, size)
    year, month, date = values.upper_date(day)
    dx, dy = look.jitter
    vsize = int(size * 1.1)
    parts = [(year, look.value_face, vsize, look.ink), ("年", look.label_face, size, look.form),
             (month, look.value_face, vsize, look.ink), ("月", look.label_face, size, look.form),
             (date, look.value_face, vsize, look.ink), ("日", look.label_face, size, look.form)]
    end = page.runs(box[2] + 14 + dx / 2, y + dy / 3, parts, gap=10)
    return end, f"{year}年{month}月{date}日"


def _cheque_number(rng) -> str:
    digits = f"{rng.randint(0, 99999999):08d}"
    return (rng.choice(("", "", "AB", "EF", "CD")) + digits) if rng.random() < 0.7 else f"{rng.randint(10000000, 99999999)}{digits}"


def _cheque(rng: random.Random) -> tuple[Page, dict, dict, str]:
    look = _Look(rng)
    parties = _parties(rng)
    day = values.date_between(rng)
    amount = values.amount(rng, 100, 900_000)
    number = _cheque_number(rng)
    purpose = rng.choice(PURPOSES)
    stub = rng.random() < 0.45
    stub_w = 380 if stub else 0
    page = Page(1400 + stub_w, 640, paper=look.tint)
    printed: dict[str, str] = {}
    x0, x1 = stub_w + 40, page.width - 40
    _guilloche(page, rng, look, (x0, 110, x1, 600))
    bank = parties["payer_bank"]
    title_bank = next((b[0] for b in values.BANKS if bank.startswith(b[0])), values.bank(rng).name)
    title = rng.choice((f"{title_bank}  转账支票", f"{title_bank}转账支票", "转 账 支 票"))
    page.text(x0 + (x1 - x0) * rng.choice((0.22, 0.3)), 28, title, look.label_face, 44, fill=look.form, bold=True)
    nlabel = rng.choice(("No.", "No ", "支票号码 ", "№ "))
    nbox = page.text(x1 - 330, 38, nlabel, "serif", 28, fill=look.form)
    page.text(nbox[2] + 6, 34, number, rng.choice(("mono", "serif", "mono_bold")), 32, fill=(190, 30, 30))
    printed["bill_number"] = number
    if rng.random() < 0.5:
        page.text(x0, 40, f"（{values.place(rng).province_short[:1]}）", look.label_face, 26, fill=look.form)
    order = rng.choice((("date_bank", "payee_account", "amount", "purpose"),
                        ("payee_account", "date_bank", "amount", "purpose"),
                        ("date_bank", "amount", "payee_account", "purpose"),
                        ("payee_account", "amount", "date_bank", "purpose")))
    row_h = 86
    rows = [120 + i * row_h for i in range(len(order) + 1)]
    _grid(page, look, x0, x1, rows)
    mid = x0 + (x1 - x0) * rng.uniform(0.5, 0.6)
    size = 24
    fields = {"bill_type": "transfer_cheque", "bill_number": number, "issue_date": day.isoformat(),
              "payer_account": parties["payer_account"], "payer_bank": parties["payer_bank"],
              "payee_name": parties["payee_name"], "amount": f"{amount:.2f}", "amount_words": f"{amount:.2f}"}
    swap = rng.random() < 0.4
    for row_index, block in enumerate(order):
        y = rows[row_index]
        ty = y + row_h * 0.32
        if block == "amount":
            _amount_row(page, look, rng, x0, x1, y, row_h, amount, printed,
                        rng.choice(("人民币（大写）", "人民币\n（大写）".replace("\n", ""), "金额（大写）")))
            continue
        page.vline(mid, y, y + row_h, fill=look.form, width=1)
        left_x, right_x = (x0 + 12, mid + 12) if not swap else (mid + 12, x0 + 12)
        if block == "date_bank":
            _, text = _upper_date_row(page, look, left_x, ty, day, size, rng.choice(("出票日期（大写）", "出票日期")))
            printed["issue_date"] = text
            box = _label(page, look, right_x, ty, rng.choice(("付款行名称：", "付款行名称", "付款银行")), size)
            _value(page, look, box[2] + 12, ty, parties["payer_bank"], _fit(page, look, parties["payer_bank"], 26,
                                                                          (x1 if not swap else mid) - box[2] - 30))
            printed["payer_bank"] = parties["payer_bank"]
        elif block == "payee_account":
            box = _label(page, look, left_x, ty, rng.choice(("收款人：", "收款人")), size, spaced=True)
            _value(page, look, box[2] + 14, ty, parties["payee_name"], _fit(page, look, parties["payee_name"], 28,
                                                                          (mid if not swap else x1) - box[2] - 30))
            printed["payee_name"] = parties["payee_name"]
            box = _label(page, look, right_x, ty, rng.choice(("出票人账号：", "出票人账号", "账号")), size)
            shown = _account_print(rng, parties["payer_account"])
            _value(page, look, box[2] + 12, ty, shown, 28, look.digit_face)
            printed["payer_account"] = shown
        else:
            box = _label(page, look, left_x, ty, "用途", size, spaced=True)
            _value(page, look, box[2] + 20, ty, purpose, 28)
            fields["purpose"] = printed["purpose"] = purpose
            box = _label(page, look, right_x, ty, "密码", size, spaced=True)
            if rng.random() < 0.5:
                _value(page, look, box[2] + 20, ty, "".join(str(rng.randint(0, 9)) for _ in range(16)), 24,
                       look.digit_face)
    foot = rows[-1] + 14
    _label(page, look, x0 + 12, foot, "上列款项请从我账户内支付", 22)
    _label(page, look, x0 + 12, foot + 34, "出票人签章", 22)
    _label(page, look, x1 - 260, foot + 20, "复核        记账", 22)
    if rng.random() < 0.6:
        _label(page, look, x1 - 520, foot + 20, "行号 " + "".join(str(rng.randint(0, 9)) for _ in range(12)), 20)
    page.vertical(x0 - 30, 150, "本支票付款期限十天", look.label_face, 18, gap=6, fill=look.form)
    if stub:
        _cheque_stub(page, rng, look, number, day, parties, amount, purpose, stub_w)
    if rng.random() < 0.7:
        page.stamp_round(rng, x0 + 330, foot - 10, 88, parties["payer_name"], "财务专用章")
    if rng.random() < 0.5:
        page.stamp_square(rng, x0 + 480, foot - 40, 80, values.person_name(rng)[:3] + "印")
    return page, fields, printed, f"bank/transfer_cheque/{'stub' if stub else 'nostub'}/{'-'.join(order)}"


def _fit(page: Page, look: _Look, text: str, size: int, width: float) -> int:
    while size > 14 and page.width_of(text, look.value_face, size) > width:
        size -= 2
    return size


def _cheque_stub(page: Page, rng, look: _Look, number, day, parties, amount, purpose, stub_w) -> None:
    x = 24
    page.vline(stub_w, 20, page.height - 20, fill=look.form, width=1)
    page.text(x, 30, "转账支票存根", look.label_face, 30, fill=look.form, bold=True)
    page.text(x, 80, number, "mono", 24, fill=(190, 30, 30))
    rows = [("附加信息", ""), ("出票日期", f"{day.year}年{day.month}月{day.day}日"), ("收款人：", parties["payee_name"]),
            ("金  额：", f"¥{amount:,.2f}"), ("用  途：", purpose), ("单位主管    会计", "")]
    y = 130
    for label, value in rows:
        box = page.text(x, y, label, look.label_face, 22, fill=look.form)
        if value:
            size = _fit(page, look, value, 22, stub_w - box[2] - 20)
            page.text(box[2] + 8, y, value, look.value_face, size, fill=look.ink)
        page.hline(x, stub_w - 20, y + 44, fill=look.form, width=1)
        y += 72


def _acceptance_paper(rng: random.Random) -> tuple[Page, dict, dict, str]:
    look = _Look(rng)
    parties = _parties(rng)
    day = values.date_between(rng)
    due = day + dt.timedelta(days=rng.choice((90, 180, 182, 183, 365)))
    amount = values.amount(rng, 10_000, 2_000_000)
    number = f"{rng.randint(10000000, 99999999)}{rng.randint(0, 99999999):08d}"
    page = Page(1400, 820, paper=look.tint)
    printed: dict[str, str] = {}
    x0, x1 = 40, 1360
    _guilloche(page, rng, look, (x0, 130, x1, 780))
    page.text(460, 24, rng.choice(("银 行 承 兑 汇 票", "银行承兑汇票")), look.label_face, 46, fill=look.form, bold=True)
    page.text(880, 30, str(rng.choice((1, 2))), "serif", 40, fill=look.form)
    nlabel = rng.choice(("汇票号码 ", "No. ", ""))
    nbox = page.text(1000 if nlabel else 1080, 96, nlabel, look.label_face, 22, fill=look.form) if nlabel else (1080, 0, 1080, 0)
    page.text(nbox[2] + 6, 92, number, "mono", 26, fill=(190, 30, 30))
    printed["bill_number"] = number
    _, text = _upper_date_row(page, look, 300, 100, day, 24, rng.choice(("出票日期（大写）", "出票日期")))
    printed["issue_date"] = text
    side_by_side = rng.random() < 0.6
    rows = [140, 220, 300, 380] if side_by_side else [140, 200, 260, 320, 380, 440, 500]
    _grid(page, look, x0, x1, rows)
    payer = (("出票人全称", "payer_name"), ("出票人账号", "payer_account"), ("付款行全称", "payer_bank"))
    payee = (("全  称", "payee_name"), ("账  号", "payee_account"), ("开户银行", "payee_bank"))
    if rng.random() < 0.5:
        payer = (("全  称", "payer_name"), ("账  号", "payer_account"), ("付款行全称", "payer_bank"))
    blocks = [("出票人", payer), ("收款人", payee)]
    if rng.random() < 0.3:
        blocks.reverse()
    half = (x0 + x1) / 2
    for block_index, (title, items) in enumerate(blocks):
        if side_by_side:
            bx0, bx1, ys = (x0, half) if block_index == 0 else (half, x1), None, rows[:3]
            bx0, bx1 = (x0, half) if block_index == 0 else (half, x1)
            page.vline(half, rows[0], rows[3], fill=look.form, width=2)
        else:
            bx0, bx1, ys = x0, x1, rows[block_index * 3:block_index * 3 + 3]
        page.vline(bx0 + 50, ys[0], ys[0] + (ys[1] - ys[0]) * 3, fill=look.form, width=1)
        page.vertical(bx0 + 14, ys[0] + 20, title, look.label_face, 22, gap=14, fill=look.form)
        for (label, key), y in zip(items, ys):
            box = _label(page, look, bx0 + 62, y + 24, label, 22)
            page.vline(bx0 + 200, y, y + (ys[1] - ys[0]), fill=look.form, width=1)
            shown = _account_print(rng, parties[key]) if key.endswith("account") else parties[key]
            _value(page, look, bx0 + 214, y + 22, shown, _fit(page, look, shown, 26, bx1 - bx0 - 240),
                   look.digit_face if key.endswith("account") else None)
            printed[key] = shown
    y = rows[-1]
    _amount_row(page, look, rng, x0, x1, y, 90, amount, printed, rng.choice(("出票金额 人民币（大写）", "汇票金额（大写）")))
    page.hline(x0, x1, y + 90, fill=look.form, width=2)
    y += 90
    _, due_text = _upper_date_row(page, look, x0 + 12, y + 28, due, 22, rng.choice(("汇票到期日（大写）", "到期日期")))
    printed["due_date"] = due_text
    _label(page, look, half + 160, y + 12, "付款行  行号 " + "".join(str(rng.randint(0, 9)) for _ in range(12)), 20)
    _label(page, look, half + 160, y + 48, "地址 " + values.address(rng)[:16], 20)
    page.hline(x0, x1, y + 86, fill=look.form, width=2)
    y += 86
    _label(page, look, x0 + 12, y + 20, "承兑协议编号 " + f"{rng.randint(2023, 2025)}CD{rng.randint(1000, 9999)}", 20)
    _label(page, look, x0 + 12, y + 60, "本汇票请你行承兑，到期无条件付款。", 20)
    _label(page, look, half + 20, y + 20, "本汇票已经承兑，到期日由本行付款。", 20)
    _label(page, look, half + 20, y + 60, "承兑日期      年    月    日", 20)
    if rng.random() < 0.7:
        page.stamp_round(rng, x0 + 560, y + 50, 80, parties["payer_name"], "财务专用章")
    if rng.random() < 0.6:
        page.stamp_round(rng, half + 420, y + 40, 78, parties["payer_bank"][:14], "汇票专用章")
    fields = {"bill_type": "acceptance_bill", "bill_number": number, "issue_date": day.isoformat(),
              "due_date": due.isoformat(), **parties, "amount": f"{amount:.2f}", "amount_words": f"{amount:.2f}"}
    return page, fields, printed, f"bank/acceptance_paper/{'side' if side_by_side else 'stacked'}"


def _acceptance_ecds(rng: random.Random) -> tuple[Page, dict, dict, str]:
    look = _Look(rng, colour_index=len(FORM_COLOURS) - 1)
    look.tint, look.jitter, look.ink = (255, 255, 255), (0, 0), (20, 20, 20)
    look.label_face = look.value_face
    parties = _parties(rng)
    day = values.date_between(rng)
    due = day + dt.timedelta(days=rng.choice((90, 180, 181, 182, 365)))
    amount = values.amount(rng, 10_000, 2_000_000)
    number = rng.choice(("5", "1", "2")) + "".join(str(rng.randint(0, 9)) for _ in range(29))
    page = Page(1680, 1120)
    printed: dict[str, str] = {}
    x0, x1 = 40, 1640
    page.text(620, 24, "电子银行承兑汇票", look.label_face, 44, bold=True)
    size = 22
    fmt = rng.choice(("%Y-%m-%d", "%Y年%m月%d日"))
    day_text, due_text = day.strftime(fmt), due.strftime(fmt)
    head = [("出票日期", day_text, "票据状态", rng.choice(("提示收票已签收", "承兑已签收", "背书已签收"))),
            ("汇票到期日", due_text, "票据号码", number)]
    y = 100
    rows = [y + i * 52 for i in range(3)]
    for (l1, v1, l2, v2), ry in zip(head, rows):
        page.text(x0 + 10, ry + 12, l1, look.label_face, size)
        page.text(x0 + 180, ry + 12, v1, look.value_face, size)
        page.text(x0 + 820, ry + 12, l2, look.label_face, size)
        page.text(x0 + 990, ry + 12, v2, look.digit_face if l2 == "票据号码" else look.value_face, size)
    printed.update(issue_date=day_text, due_date=due_text, bill_number=number)
    _grid(page, look, x0, x1, rows)
    y = rows[-1]
    half = (x0 + x1) / 2
    party_rows = [y + i * 56 for i in range(4)]
    _grid(page, look, x0, x1, party_rows)
    page.vline(half, party_rows[0], party_rows[-1], fill=look.form)
    for bx0, title, keys in ((x0, "出票人", ("payer_name", "payer_account", "payer_bank")),
                             (half, "收款人", ("payee_name", "payee_account", "payee_bank"))):
        page.vertical(bx0 + 14, party_rows[0] + 30, title, look.label_face, size, gap=16)
        page.vline(bx0 + 50, party_rows[0], party_rows[-1], fill=look.form)
        for label, key, ry in zip(("全  称", "账  号", "开户银行"), keys, party_rows):
            page.text(bx0 + 62, ry + 16, label, look.label_face, size)
            shown = parties[key]
            page.text(bx0 + 190, ry + 16, shown, look.value_face, _fit(page, look, shown, size, half - x0 - 210))
            printed[key] = shown
    y = party_rows[-1]
    page.text(x0 + 10, y + 16, "出票保证信息   保证人名称：        保证人地址：        保证日期：", look.label_face, size)
    page.hline(x0, x1, y + 56, fill=look.form)
    y += 56
    _amount_row(page, look, rng, x0, x1, y, 96, amount, printed, "票据金额  人民币（大写）")
    page.hline(x0, x1, y + 96, fill=look.form)
    y += 96
    acceptor_bank = values.bank(rng)
    acceptor = [("承兑人信息  全  称", values.branch(rng, acceptor_bank)), ("开户行行号", "".join(str(rng.randint(0, 9)) for _ in range(12))),
                ("开户行名称", values.branch(rng, acceptor_bank)), ("交易合同号", f"HT{rng.randint(2023, 2025)}{rng.randint(10000, 99999)}"),
                ("能否转让", "可再转让"), ("承兑日期", (day + dt.timedelta(days=1)).strftime(fmt))]
    for index, (label, value) in enumerate(acceptor):
        ry = y + (index // 2) * 56
        bx = x0 if index % 2 == 0 else half
        page.text(bx + 10, ry + 16, label, look.label_face, size)
        page.text(bx + 250, ry + 16, value, look.value_face, _fit(page, look, value, size, half - x0 - 270))
    rows = [y + i * 56 for i in range(4)]
    _grid(page, look, x0, x1, rows)
    y = rows[-1] + 20
    page.text(x0 + 10, y, "出票人承诺：本汇票请予以承兑，到期无条件付款", look.label_face, 20)
    page.text(x0 + 10, y + 40, "承兑人承诺：本汇票已经承兑，到期无条件付款", look.label_face, 20)
    if rng.random() < 0.3:
        page.text(x1 - 400, y + 80, "打印时间 " + dt.datetime(2026, 1, rng.randint(1, 28), rng.randint(8, 18)).strftime("%Y-%m-%d %H:%M"),
                  look.label_face, 18)
    fields = {"bill_type": "acceptance_bill", "bill_number": number, "issue_date": day.isoformat(),
              "due_date": due.isoformat(), **parties, "amount": f"{amount:.2f}", "amount_words": f"{amount:.2f}"}
    return page, fields, printed, "bank/acceptance_ecds"


def _deposit_slip(rng: random.Random) -> tuple[Page, dict, dict, str]:
    look = _Look(rng)
    parties = _parties(rng)
    day = values.date_between(rng)
    amount = values.amount(rng, 100, 1_500_000)
    number = f"{rng.randint(0, 99999999):08d}" if rng.random() < 0.8 else f"{rng.randint(10, 99)}{rng.randint(0, 99999999):08d}"
    page = Page(1400, 820, paper=look.tint)
    printed: dict[str, str] = {}
    x0, x1 = 40, 1360
    bank_name = next((b[0] for b in values.BANKS if parties["payee_bank"].startswith(b[0])), values.bank(rng).name)
    copy = rng.choice(("（回单）", "（收账通知）", "（贷方凭证）"))
    page.text(330, 24, f"{bank_name} 进账单{copy}", look.label_face, 40, fill=look.form, bold=True)
    page.text(1180, 30, str(rng.choice((1, 2, 3))), "serif", 36, fill=look.form)
    nbox = page.text(1130, 90, rng.choice(("No.", "No ", "编号 ")), "serif", 24, fill=look.form)
    page.text(nbox[2] + 4, 86, number, "mono", 28, fill=(190, 30, 30))
    printed["bill_number"] = number
    date_text = rng.choice((f"{day.year}年{day.month:02d}月{day.day:02d}日", f"{day.year} 年 {day.month} 月 {day.day} 日",
                            f"{day:%Y-%m-%d}"))
    _value(page, look, 520, 96, date_text, 26)
    printed["issue_date"] = date_text
    rows = [140, 220, 300, 380]
    _grid(page, look, x0, x1, rows)
    half = (x0 + x1) / 2
    page.vline(half, rows[0], rows[-1], fill=look.form, width=2)
    blocks = [("出票人", ("payer_name", "payer_account", "payer_bank")), ("收款人", ("payee_name", "payee_account", "payee_bank"))]
    if rng.random() < 0.35:
        blocks.reverse()
    labels = rng.choice((("全  称", "账  号", "开户银行"), ("户  名", "账  号", "开户行"), ("名  称", "账  号", "开户银行")))
    for index, (title, keys) in enumerate(blocks):
        bx0, bx1 = (x0, half) if index == 0 else (half, x1)
        page.vertical(bx0 + 14, rows[0] + 24, title, look.label_face, 24, gap=20, fill=look.form)
        page.vline(bx0 + 50, rows[0], rows[-1], fill=look.form, width=1)
        for label, key, y in zip(labels, keys, rows):
            box = _label(page, look, bx0 + 60, y + 26, label, 22)
            page.vline(bx0 + 180, y, y + 80, fill=look.form, width=1)
            shown = _account_print(rng, parties[key]) if key.endswith("account") else parties[key]
            _value(page, look, bx0 + 192, y + 24, shown, _fit(page, look, shown, 26, bx1 - bx0 - 210),
                   look.digit_face if key.endswith("account") else None)
            printed[key] = shown
    y = rows[-1]
    _amount_row(page, look, rng, x0, x1, y, 90, amount, printed, rng.choice(("金额 人民币（大写）", "人民币（大写）", "金额")))
    page.hline(x0, x1, y + 90, fill=look.form, width=2)
    y += 90
    _label(page, look, x0 + 12, y + 24, "票据种类", 22)
    _value(page, look, x0 + 130, y + 22, rng.choice(("转账支票", "银行汇票", "本票", "支票")), 24)
    _label(page, look, x0 + 330, y + 24, "票据张数", 22)
    _value(page, look, x0 + 450, y + 22, str(rng.randint(1, 3)), 24)
    deposited = None  # the deposited instrument's number, when its 票据号码 row is printed
    if rng.random() < 0.5:
        _label(page, look, x0 + 12, y + 76, "票据号码", 22)
        deposited = f"{rng.randint(0, 99999999):08d}"
        _value(page, look, x0 + 130, y + 74, deposited, 24, look.digit_face)
        printed["deposited_number"] = deposited
    _label(page, look, x0 + 12, y + 140, "复核              记账", 22)
    _label(page, look, half + 200, y + 150, rng.choice(("开户银行签章", "收款人开户银行签章")), 22)
    page.hline(x0, x1, y + 200, fill=look.form, width=2)
    page.vline(half + 150, y, y + 200, fill=look.form, width=1)
    if rng.random() < 0.75:
        page.stamp_round(rng, half + 400, y + 90, 84, parties["payee_bank"][:16], f"{day:%Y.%m.%d}")
    fields = {"bill_type": "deposit_slip", "bill_number": number,
              **({"deposited_number": deposited} if deposited else {}),
              "issue_date": day.isoformat(), **parties, "amount": f"{amount:.2f}", "amount_words": f"{amount:.2f}"}
    return page, fields, printed, f"bank/deposit_slip/{blocks[0][0]}-first"
