"""Bank bills with the PBOC standard elements in several banks' own arrangements: transfer
cheques (counterfoil at the left or none), deposit slips (进账单) and bank acceptance bills
(paper, or the printout of an electronic one). Values are typed, or dot-matrix printed."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from tools.heldout3 import values
from tools.heldout3.render import Page, stamp_round, stamp_square, tint

TINTS = {  # paper, security pattern, printed frame
    "blue": ((226, 238, 250), (196, 216, 240), (30, 70, 140)),
    "green": ((228, 245, 230), (196, 228, 200), (20, 110, 60)),
    "pink": ((250, 230, 236), (238, 200, 212), (160, 40, 80)),
    "lilac": ((238, 232, 248), (214, 204, 236), (90, 60, 140)),
    "ochre": ((250, 242, 222), (236, 222, 190), (140, 90, 20)),
}
CELL_UNITS = ("亿", "千", "百", "十", "万", "千", "百", "十", "元", "角", "分")
TYPED = (30, 30, 40)


def bank_bill(rng: random.Random) -> tuple[Page, dict]:
    """One bank bill page and its fields."""
    kind = rng.choice(("transfer_cheque", "transfer_cheque", "deposit_slip", "acceptance_bill"))
    return {"transfer_cheque": cheque, "deposit_slip": deposit_slip, "acceptance_bill": acceptance_bill}[kind](rng)


def _who(rng: random.Random) -> dict:
    place = values.region(rng)
    bank = rng.choice(values.BANKS)[1]
    city = place[1] or place[0]
    return {"name": values.company(rng, city), "account": values.account(rng),
            "bank": values.branch(rng, bank, city), "bank_name": bank}


def _account_printed(rng: random.Random, number: str) -> str:
    if rng.random() < 0.35:
        return " ".join(number[i:i + 4] for i in range(0, len(number), 4))
    return number


def _value_style(rng: random.Random) -> dict:
    """How the values are put on the form: a cheque printer's dot matrix, or a typewriter-like sans."""
    return {"dots": rng.random() < 0.5, "family": rng.choice(("sans", "serif", "bold"))}


def _put(page: Page, style: dict, x, y, text, size, spacing=0.0, room: float | None = None):
    """Print a value in the form's value style; ``room``: shrink it until it fits that many px."""
    jitter_x, jitter_y = style.get("offset", (0, 0))
    while room and size > 12 and page.width_of(text, size, "sans", 1.0) + abs(jitter_x) > room:
        size -= 1
    return page.text(x + jitter_x, y + jitter_y, text, size, "sans" if style["dots"] else style["family"], TYPED,
                     dots=style["dots"], spacing=spacing or (1.0 if style["dots"] else 0.0))


def _amount_cells(page: Page, style: dict, x0, y0, x1, y1, frame, value: Decimal) -> None:
    """The 亿千百十万千百十元角分 grid with ¥ before the first digit; the digits run is one line."""
    cell = (x1 - x0) / len(CELL_UNITS)
    page.hline(x0, x1, y0 + (y1 - y0) * 0.38, frame, 1)
    for i, unit in enumerate(CELL_UNITS):
        cx = x0 + i * cell
        page.vline(cx, y0, y1, frame, 1 if i not in (8, 9) else 2)
        page.text(cx + cell * 0.25, y0 + 2, unit, int(cell * 0.45), "serif", frame)
    page.box(x0, y0, x1, y1, frame, 2)
    digits = "¥" + str(int(value * 100))
    digits = digits if len(digits) <= len(CELL_UNITS) else digits[1:]
    start = len(CELL_UNITS) - len(digits)
    size = int(min(cell * 0.75, (y1 - y0) * 0.5))
    top = y0 + (y1 - y0) * 0.42
    boxes = [page.text(x0 + (start + i) * cell + cell * 0.2, top, ch, size, "sans", TYPED, label=False, dots=style["dots"])
             for i, ch in enumerate(digits)]
    page.lines.append({"polygon": [[boxes[0][0], min(b[1] for b in boxes)], [boxes[-1][2], min(b[1] for b in boxes)],
                                   [boxes[-1][2], max(b[3] for b in boxes)], [boxes[0][0], max(b[3] for b in boxes)]],
                       "text": digits})


def _amount_digits(value: Decimal, rng: random.Random) -> str:
    text = f"{value:,.2f}" if rng.random() < 0.6 else f"{value:.2f}"
    return rng.choice(("¥", "￥", "RMB")) + text


def _bill_fields(**found) -> dict:
    return {k: v for k, v in found.items() if v is not None}


# --- transfer cheque --------------------------------------------------------------------------

def cheque(rng: random.Random) -> tuple[Page, dict]:
    """A 转账支票: optional counterfoil at the left; title, number, 出票日期（大写）, 付款行名称,
    收款人, 出票人账号, 人民币（大写）, amount in cells or in digits, 用途, 密码, seals, MICR line."""
    paper, pattern, frame = TINTS[rng.choice(list(TINTS))]
    w, h = 1680, 600
    page = Page.blank(w, h, paper)
    tint(page, rng, pattern)
    style = _value_style(rng)
    style["offset"] = (rng.uniform(-6, 10), rng.uniform(-5, 6))  # the printer's feed is never exact
    payer, payee = _who(rng), _who(rng)
    day = values.recent_date(rng)
    value = values.amount(rng, 200, 3_000_000)
    code, serial = f"{rng.randint(10000000, 99999999)}", f"{rng.randint(0, 99999999):08d}"
    purpose = rng.choice(values.PURPOSES)
    bank = payer["bank_name"]
    left = 0
    if rng.random() < 0.6:
        left = 420
        _counterfoil(page, rng, frame, bank, code, serial, day, payee, value, purpose, left)
    x = left + 50
    page.text(x + 280, 24, bank, 34, "serif", frame)
    page.text(x + 300 + page.width_of(bank, 34, "serif"), 26, "转账支票", 32, "bold", frame)
    number_right = w - 40
    page.text(number_right - page.width_of(f"{code} {serial}", 26, "sans"), 30, f"{code} {serial}", 26, "sans", (170, 30, 30))
    page.hline(x, w - 30, 80, frame, 2)
    row = 96
    line_h = 64
    col2 = x + (w - 30 - x) // 2  # the right-hand column of the top rows
    page.text(x, row, "出票日期（大写）", 22, "serif", frame)
    _put(page, style, x + 200, row - 2, values.date_words(day), 26)
    page.text(col2, row, "付款行名称：", 22, "serif", frame)
    _put(page, style, col2 + 140, row - 2, payer["bank"], 24, room=w - 40 - (col2 + 140))
    row += line_h
    page.text(x, row, "收款人：", 22, "serif", frame)
    _put(page, style, x + 110, row - 2, payee["name"], 26, room=col2 - x - 130)
    page.text(col2, row, "出票人账号：", 22, "serif", frame)
    account = _account_printed(rng, payer["account"])
    _put(page, style, col2 + 140, row - 2, account, 26, room=w - 40 - (col2 + 140))
    row += line_h
    page.hline(x, w - 30, row - 10, frame, 1)
    page.text(x, row + 12, "人民币", 22, "serif", frame)
    page.text(x, row + 40, "（大写）", 20, "serif", frame)
    words = values.amount_words(value)
    _put(page, style, x + 110, row + 18, words, 26, room=w - 40 - 11 * 42 - (x + 120))
    cells = rng.random() < 0.65
    if cells:
        _amount_cells(page, style, w - 40 - 11 * 42, row - 4, w - 40, row + 80, frame, value)
    else:
        page.box(w - 470, row, w - 40, row + 70, frame, 2)
        _put(page, style, w - 450, row + 18, _amount_digits(value, rng), 30)
    row += 100
    page.hline(x, w - 30, row - 8, frame, 1)
    page.text(x, row, "用途", 22, "serif", frame)
    _put(page, style, x + 80, row - 2, purpose, 26)
    page.text(x + 560, row, "密码", 22, "serif", frame)
    _put(page, style, x + 640, row - 2, "".join(str(rng.randint(0, 9)) for _ in range(16)), 24)
    row += 50
    page.text(x, row, "上列款项请从", 22, "serif", frame)
    page.text(x, row + 32, "我账户内支付", 22, "serif", frame)
    page.text(x, row + 80, "出票人签章", 22, "serif", frame)
    page.text(x + 760, row + 60, "复核", 20, "serif", frame)
    page.text(x + 960, row + 60, "记账", 20, "serif", frame)
    stamp_round(page, x + 330 + rng.uniform(-30, 60), row + 40 + rng.uniform(-30, 10), rng.uniform(70, 90),
                payer["name"], "财务专用章", rng)
    stamp_square(page, x + 470 + rng.uniform(0, 60), row + rng.uniform(-10, 40), rng.uniform(60, 80), values.person(rng)[:3], rng)
    page.text(x + 200, h - 40, f"{serial}   {code}   {rng.randint(10, 99)}", 24, "sans", (40, 40, 40), spacing=4)
    page.column(left + 10, 110, "本支票付款期限十天", 18, "serif", frame)
    page.layout = "transfer_cheque_" + ("counterfoil" if left else "plain") + ("_cells" if cells else "_digits")
    fields = _bill_fields(bill_type="transfer_cheque", bill_number=code + serial, issue_date=day.isoformat(),
                          payer_name=payer["name"], payer_account=payer["account"], payer_bank=payer["bank"], payee_name=payee["name"],
                          amount=f"{value:.2f}", amount_words=f"{value:.2f}", purpose=purpose)
    return page, fields


def _counterfoil(page, rng, frame, bank, code, serial, day, payee, value, purpose, width) -> None:
    """The stub the drawer keeps: handwritten date, payee, amount and purpose."""
    page.vline(width, 0, page.image.height, frame, 2)
    for y in range(0, page.image.height, 14):
        page.vline(width - 8, y, y + 7, frame, 1)
    page.text(20, 20, bank, 24, "serif", frame)
    page.text(20, 52, "转账支票存根", 24, "bold", frame)
    page.text(20, 92, f"{code}", 20, "sans", (170, 30, 30))
    page.text(20, 116, f"{serial}", 20, "sans", (170, 30, 30))
    page.text(20, 150, "附加信息", 18, "serif", frame)
    rows = (("出票日期", f"{day.year}年{day.month}月{day.day}日"), ("收款人：", payee["name"]),
            ("金  额：", f"¥{value:,.2f}"), ("用  途：", purpose))
    y = 240
    for label, value_text in rows:
        page.text(20, y, label, 18, "serif", frame)
        page.hline(20, width - 20, y + 52, frame, 1)
        size = 20 if len(value_text) < 14 else 15
        page.tilted(20 + (80 if label != "出票日期" else 90), y + (0 if label == "出票日期" else 22) + rng.uniform(-4, 4),
                    value_text, size, rng.uniform(-1.5, 1.5))
        y += 66
    page.text(20, page.image.height - 40, "单位主管", 18, "serif", frame)
    page.text(200, page.image.height - 40, "会计", 18, "serif", frame)


# --- deposit slip ------------------------------------------------------------------------------

def deposit_slip(rng: random.Random) -> tuple[Page, dict]:
    """A 进账单（收账通知）: printed date, 出票人 and 收款人 columns (全称, 账号, 开户银行),
    amount in words and cells, 票据种类/张数/号码, the bank's receipt seal over the corner."""
    paper, pattern, frame = TINTS[rng.choice(list(TINTS))]
    w, h = 1500, 720
    page = Page.blank(w, h, paper)
    if rng.random() < 0.6:
        tint(page, rng, pattern)
    style = _value_style(rng)
    payer, payee = _who(rng), _who(rng)
    day = values.recent_date(rng)
    value = values.amount(rng)
    number = f"{rng.randint(0, 99999999):08d}"
    bank = payee["bank_name"]
    title = f"{bank}  进账单（{rng.choice(('收账通知', '回单', '贷方凭证'))}）"
    page.text((w - page.width_of(title, 34, "serif")) / 2, 24, title, 34, "serif", frame)
    page.text(w - 80, 20, str(rng.choice((1, 2, 3))), 48, "bold", frame, kind="decoration")
    page.text(w - 330, 90, f"No {number}" if rng.random() < 0.5 else f"{number}", 24, "sans", (170, 30, 30))
    page.text(w / 2 - 140, 92, f"{day.year} 年 {day.month:02d} 月 {day.day:02d} 日", 24, "serif", frame)
    top, mid, bottom = 140, w / 2, 440
    page.box(40, top, w - 40, h - 40, frame, 2)
    page.vline(mid, top, bottom, frame, 2)
    sides = ((40, payer, "出票人"), (mid, payee, "收款人"))
    for x0, who, role in sides:
        page.vline(x0 + 50, top, bottom, frame, 1)
        page.column(x0 + 13, top + 90, role, 24, "serif", frame)
        page.vline(x0 + 170, top, bottom, frame, 1)
        for i, (label, value_text) in enumerate((("全　称", who["name"]), ("账　号", _account_printed(rng, who["account"])),
                                                 ("开户银行", who["bank"]))):
            y = top + i * 100
            if i:
                page.hline(x0 + 50, x0 + w / 2 - 40, y, frame, 1)
            page.text(x0 + 62, y + 36, label, 22, "serif", frame)
            _put(page, style, x0 + 185, y + 34, value_text, 24, room=w / 2 - 240)
    page.hline(40, w - 40, bottom, frame, 2)
    page.text(55, bottom + 20, "金额", 22, "serif", frame)
    page.text(130, bottom + 8, "人民币", 20, "serif", frame)
    page.text(130, bottom + 34, "（大写）", 20, "serif", frame)
    _put(page, style, 240, bottom + 20, values.amount_words(value), 26, room=w - 40 - 11 * 44 - 250)
    _amount_cells(page, style, w - 40 - 11 * 44, bottom, w - 40, bottom + 80, frame, value)
    row = bottom + 100
    page.hline(40, w - 40, row - 10, frame, 1)
    page.text(55, row, "票据种类", 20, "serif", frame)
    _put(page, style, 170, row, rng.choice(("转账支票", "银行汇票", "本票")), 22)
    page.text(330, row, "票据张数", 20, "serif", frame)
    _put(page, style, 440, row, "1", 22)
    page.text(55, row + 50, "票据号码", 20, "serif", frame)
    deposited = f"{rng.randint(10000000, 99999999)}"  # the deposited instrument's number
    _put(page, style, 170, row + 50, deposited, 22)
    page.text(55, row + 110, "复核", 20, "serif", frame)
    page.text(300, row + 110, "记账", 20, "serif", frame)
    page.text(w - 420, row + 120, "收款人开户银行签章", 20, "serif", frame)
    stamp_round(page, w - 330 + rng.uniform(-40, 40), row + 40 + rng.uniform(-20, 20), 85,
                payee["bank"][-12:], f"{day:%Y.%m.%d}", rng)
    fields = _bill_fields(bill_type="deposit_slip", bill_number=number, deposited_number=deposited,
                          issue_date=day.isoformat(),
                          payer_name=payer["name"], payer_account=payer["account"], payer_bank=payer["bank"],
                          payee_name=payee["name"], payee_account=payee["account"], payee_bank=payee["bank"],
                          amount=f"{value:.2f}", amount_words=f"{value:.2f}")
    page.layout = "deposit_slip"
    return page, fields


# --- bank acceptance bill ---------------------------------------------------------------------

def acceptance_bill(rng: random.Random) -> tuple[Page, dict]:
    """A 银行承兑汇票: the paper form (dates in capitals, amount in cells) or the printout of an
    electronic one (30-digit number, ISO dates, amount in digits)."""
    drawer, payee = _who(rng), _who(rng)
    day = values.recent_date(rng)
    due = day + timedelta(days=rng.choice((90, 180, 181, 182, 183, 365)))
    value = values.amount(rng, 10_000, 20_000_000)
    if rng.random() < 0.5:
        page, number = _paper_acceptance(rng, drawer, payee, day, due, value)
        page.layout = "acceptance_bill_paper"
    else:
        page, number = _electronic_acceptance(rng, drawer, payee, day, due, value)
        page.layout = "acceptance_bill_electronic"
    fields = _bill_fields(bill_type="acceptance_bill", bill_number=number, issue_date=day.isoformat(),
                          due_date=due.isoformat(), payer_name=drawer["name"], payer_account=drawer["account"],
                          payer_bank=drawer["bank"], payee_name=payee["name"], payee_account=payee["account"],
                          payee_bank=payee["bank"], amount=f"{value:.2f}", amount_words=f"{value:.2f}")
    return page, fields


def _paper_acceptance(rng, drawer, payee, day, due, value) -> tuple[Page, str]:
    paper, pattern, frame = TINTS[rng.choice(list(TINTS))]
    w, h = 1560, 760
    page = Page.blank(w, h, paper)
    tint(page, rng, pattern)
    style = _value_style(rng)
    number = f"{rng.randint(10000000, 99999999)}{rng.randint(0, 99999999):08d}"
    page.text(w / 2 - 150, 22, "银行承兑汇票", 40, "serif", frame)
    page.text(w / 2 + 150, 22, str(rng.choice((1, 2, 3))), 40, "bold", frame, kind="decoration")
    page.text(w - 420, 36, f"{number[:8]} {number[8:]}", 26, "sans", (170, 30, 30))
    page.text(w / 2 - 330, 90, "出票日期（大写）", 22, "serif", frame)
    _put(page, style, w / 2 - 130, 88, values.date_words(day), 26)
    top, mid, bottom = 140, w / 2, 440
    page.box(40, top, w - 40, h - 40, frame, 2)
    page.vline(mid, top, bottom, frame, 2)
    for x0, who, role, labels in ((40, drawer, "出票人", ("出票人全称", "出票人账号", "付款行全称")),
                                  (mid, payee, "收款人", ("全　　称", "账　　号", "开户银行"))):
        page.vline(x0 + 190, top, bottom, frame, 1)
        for i, (label, value_text) in enumerate(zip(labels, (who["name"], _account_printed(rng, who["account"]), who["bank"]))):
            y = top + i * 100
            if i:
                page.hline(x0, x0 + w / 2 - 40, y, frame, 1)
            page.text(x0 + 14, y + 36, label if role == "出票人" else ("收款人" + label.replace("　", "") if i == 0 else label),
                      21, "serif", frame)
            _put(page, style, x0 + 205, y + 34, value_text, 24, room=w / 2 - 260)
    page.hline(40, w - 40, bottom, frame, 2)
    page.text(55, bottom + 14, "出票金额", 22, "serif", frame)
    page.text(180, bottom + 8, "人民币", 20, "serif", frame)
    page.text(180, bottom + 34, "（大写）", 20, "serif", frame)
    _put(page, style, 290, bottom + 20, values.amount_words(value), 26, room=w - 40 - 11 * 44 - 300)
    _amount_cells(page, style, w - 40 - 11 * 44, bottom, w - 40, bottom + 80, frame, value)
    row = bottom + 96
    page.hline(40, w - 40, row - 8, frame, 1)
    page.text(55, row, "汇票到期日（大写）", 21, "serif", frame)
    _put(page, style, 270, row - 2, values.date_words(due), 24)
    page.text(w / 2 + 20, row, "付款行  行号", 21, "serif", frame)
    _put(page, style, w / 2 + 200, row - 2, f"{rng.randint(100000000000, 999999999999)}", 22)
    page.text(55, row + 50, "承兑协议编号", 21, "serif", frame)
    _put(page, style, 230, row + 48, f"{rng.randint(2023, 2025)}承字第{rng.randint(1, 9999):04d}号", 22)
    page.text(w / 2 + 20, row + 50, "地址", 21, "serif", frame)
    _put(page, style, w / 2 + 100, row + 48, values.address(rng)[:22], 20)
    page.text(55, row + 110, "本汇票请你行承兑，到期无条件付款。", 20, "serif", frame)
    page.text(w / 2 + 20, row + 110, "本汇票已经承兑，到期日由本行付款。", 20, "serif", frame)
    page.text(55, row + 150, "出票人签章", 20, "serif", frame)
    page.text(w / 2 + 20, row + 150, "承兑行签章", 20, "serif", frame)
    stamp_round(page, 420 + rng.uniform(-50, 50), row + 110 + rng.uniform(-20, 10), 70, drawer["name"], "财务专用章", rng)
    stamp_round(page, w - 330 + rng.uniform(-40, 40), row + 100 + rng.uniform(-20, 10), 70, drawer["bank"][-12:],
                "汇票专用章", rng)
    return page, number


def _electronic_acceptance(rng, drawer, payee, day, due, value) -> tuple[Page, str]:
    w, h = 1500, 860
    page = Page.blank(w, h, (255, 255, 255))
    frame = (40, 40, 40)
    number = "".join(str(rng.randint(0, 9)) for _ in range(30))
    page.text(w / 2 - 160, 24, "电子银行承兑汇票", 36, "bold", frame)
    page.text(60, 90, f"出票日期  {day:%Y-%m-%d}", 22, "sans", frame)
    page.text(60, 124, f"汇票到期日  {due:%Y-%m-%d}", 22, "sans", frame)
    page.text(w - 700, 90, "票据状态  提示收票已签收", 22, "sans", frame)
    page.text(w - 700, 124, f"票据号码  {number}", 22, "sans", frame)
    top, mid = 170, w / 2
    rows = (("全　　称", "name"), ("账　　号", "account"), ("开户银行", "bank"))
    page.box(40, top, w - 40, h - 40, frame, 1)
    page.vline(mid, top, top + 3 * 64, frame, 1)
    for x0, who, role in ((40, drawer, "出票人"), (mid, payee, "收款人")):
        page.text(x0 + 12, top + 80, role, 22, "sans", frame)
        page.vline(x0 + 100, top, top + 192, frame, 1)
        for i, (label, key) in enumerate(rows):
            y = top + i * 64
            if i:
                page.hline(x0 + 100, x0 + w / 2 - 40, y, frame, 1)
            page.text(x0 + 110, y + 20, label, 20, "sans", frame)
            page.text(x0 + 220, y + 20, who[key], 20 if page.width_of(who[key], 20) < w / 2 - 280 else 16, "sans", TYPED)
    y = top + 192
    page.hline(40, w - 40, y, frame, 1)
    page.text(60, y + 22, "出票保证信息", 20, "sans", frame)
    y += 64
    page.hline(40, w - 40, y, frame, 1)
    page.text(60, y + 22, "票据金额", 20, "sans", frame)
    page.text(200, y + 22, f"人民币（大写）{values.amount_words(value)}", 22, "sans", TYPED)
    page.text(w - 460, y + 22, f"¥{value:,.2f}", 24, "sans", TYPED)
    y += 64
    page.hline(40, w - 40, y, frame, 1)
    acceptor = drawer["bank"]
    for label, text in (("承兑人信息", f"全称  {acceptor}"), ("", f"开户行行号  {rng.randint(100000000000, 999999999999)}"),
                        ("交易合同号", f"HT{rng.randint(2023, 2025)}{rng.randint(1000, 9999)}"),
                        ("能否转让", "可转让"), ("承兑信息", f"承兑日期  {day:%Y-%m-%d}"),
                        ("评级信息", "出票人评级主体：" + rng.choice(("", "无"))),
                        ("备注", "")):
        if label:
            page.text(60, y + 18, label, 20, "sans", frame)
        if text:
            page.text(240, y + 18, text, 20, "sans", TYPED)
        y += 52
        page.hline(40, w - 40, y, frame, 1)
    return page, number
