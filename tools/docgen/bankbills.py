"""Bank bills: transfer cheque (转账支票), bank acceptance bill (银行承兑汇票) and deposit
slip (进账单): content and layouts. Forms are printed in coloured ink on tinted security paper;
values are printed in black, slightly out of register."""

from __future__ import annotations

import calendar
import datetime as dt
import random
from functools import partial

from . import fakes
from .formats import cell_digits, date_upper, grouped, rmb_upper
from .render import Layout, op

DOC_TYPE = "bank_bill"
PURPOSES = ("货款", "服务费", "工程款", "材料款", "房租", "咨询费", "运输费", "设备款", "加工费", "往来款")
# instruments deposited with an 8-digit number (an acceptance bill would carry 16–30 digits)
INSTRUMENTS = ("转账支票", "转账支票", "转账支票", "银行汇票", "银行本票")

H = partial(op, "hline")
V = partial(op, "vline")
R = partial(op, "rect")
L = partial(op, "text", font_role="serif")  # pre-printed label
LB = partial(op, "text", font_role="serifb")
VAL = partial(op, "text", value=True)  # printed-in value


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, clamped to the month's last day."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def content(rng: random.Random, layout: Layout) -> tuple[dict, dict]:
    """``(fields, values)``: canonical ground truth and the printed strings the layout uses."""
    payer_addr, payee_addr = fakes.address(rng), fakes.address(rng)
    payer_bank, payer_branch = fakes.bank_branch(rng, payer_addr)
    payee_bank, payee_branch = fakes.bank_branch(rng, payee_addr)
    amount = fakes.money(rng, 300, 9_800_000)
    day = fakes.date(rng)
    due = add_months(day, rng.choice((3, 6, 6, 12)))
    bank_code = fakes.BANK_CODES[payer_bank] + fakes.digits(rng, 9)
    number = {
        "cheque": fakes.digits(rng, 8, "0123"),
        "edraft": "1" + bank_code + day.strftime("%Y%m%d") + fakes.digits(rng, 9, "0"),
        "deposited": fakes.digits(rng, 8, "0123"),  # the deposited cheque's number (票据号码)
    }[layout.meta["number"]]
    payer_name, payer_account = fakes.company(rng, payer_addr.city), fakes.account(rng, payer_bank)
    payee_name = fakes.company(rng, payee_addr.city)
    while payee_name == payer_name:  # payer and payee always differ (redrawn only on a clash)
        payee_name = fakes.company(rng, payee_addr.city)
    payee_account = fakes.account(rng, payee_bank)
    while payee_account == payer_account:
        payee_account = fakes.account(rng, payee_bank)
    fields = {
        "bill_type": layout.name, "bill_number": number, "issue_date": day.isoformat(),
        "payer_name": payer_name, "payer_account": payer_account, "payer_bank": payer_branch,
        "payee_name": payee_name, "payee_account": payee_account, "payee_bank": payee_branch,
        "amount": f"{amount:.2f}", "amount_words": f"{amount:.2f}",
        "purpose": rng.choice(PURPOSES), "due_date": due.isoformat(),
    }
    values = fields | {
        "payer_bank_name": payer_bank, "payee_bank_name": payee_bank,
        "date_upper": date_upper(day), "date_lower": day.strftime("%Y年%m月%d日"),
        "date_dot": day.strftime("%Y.%m.%d"), "due_upper": date_upper(due),
        "accept_date": day.strftime("%Y年%m月%d日"),
        "amount_upper": rmb_upper(amount), "amount_grouped": grouped(amount),
        "amount_cells": cell_digits(amount), "amount_yen": f"¥{amount:.2f}",
        "cheque_prefix": fakes.BANK_CODES[payer_bank] + fakes.digits(rng, 5, "0"),
        "signer": fakes.person_name(rng), "payer_bank_code": bank_code,
        "agreement_no": f"{day.year}承字第{rng.randint(1, 9999):04d}号",
        "contract_no": f"HT{day:%Y%m}{rng.randint(1, 999):03d}",
        "instrument": rng.choice(INSTRUMENTS), "instrument_count": str(rng.choice((1, 1, 1, 2, 3))),
        "slip_serial": fakes.digits(rng, 8, "0"),  # the slip's own pre-printed serial (No)
    }
    if layout.meta["number"] == "deposited":  # a slip's bill_number is its own serial (No)
        fields = deposit_numbers(fields, values["slip_serial"])
    fields = {k: v for k, v in fields.items() if k not in layout.omit}
    return fields, values


def deposit_numbers(fields: dict, serial: str) -> dict:
    """A deposit slip's truth: ``bill_number`` the slip's own serial, ``deposited_number`` the
    deposited instrument's number printed at 票据号码 (``fields["bill_number"]`` as drawn)."""
    out = {}
    for key, value in fields.items():
        out |= {"bill_number": serial, "deposited_number": value} if key == "bill_number" else {key: value}
    return out


TRANSFER_CHEQUE = Layout(
    "transfer_cheque", DOC_TYPE, (1700, 800), paper="#e6f2ea", ink="#1d5c4a", misregister=8,
    omit=frozenset({"payee_account", "payee_bank", "due_date"}),
    meta={"number": "cheque", "amount_small": "cells+text"}, ops=(
        op("guilloche", "#d5e9dc"),
        # stub (存根)
        R((15, 20, 410, 780), 2),
        L(212, 62, "{payer_bank_name}", 24, anchor="mm"), LB(212, 100, "转账支票存根", 28, anchor="mm"),
        L(212, 140, "{cheque_prefix}", 22, anchor="mm"),
        op("text", 212, 175, "No {bill_number}", 28, font_role="mono", color="#111", anchor="mm"),
        L(30, 225, "附加信息", 22), H(265, 30, 395, 1), H(305, 30, 395, 1),
        L(30, 350, "出票日期", 22), VAL(140, 350, "{date_lower}", 22),
        H(380, 15, 410, 1),
        L(30, 410, "收款人：", 22), op("wrap", 30, 448, "{payee_name}", 20, 360, value=True, max_lines=2),
        H(500, 15, 410, 1), L(30, 530, "金  额：", 22), VAL(130, 530, "{amount_yen}", 22),
        H(560, 15, 410, 1), L(30, 590, "用  途：", 22), VAL(130, 590, "{purpose}", 22),
        H(620, 15, 410, 1), L(30, 650, "出票人全称：", 22),
        op("wrap", 30, 682, "{payer_name}", 20, 360, value=True, max_lines=2),
        H(730, 15, 410, 1), L(30, 757, "单位主管", 22), L(230, 757, "会计", 22),
        V(425, 20, 780, 2, dash=8),
        # cheque body
        R((440, 20, 1685, 780), 2),
        L(470, 62, "{payer_bank_name}", 30), LB(1050, 62, "转 账 支 票", 46, anchor="mm"),
        L(1500, 45, "{cheque_prefix}", 24, anchor="mm"),
        op("text", 1500, 92, "No {bill_number}", 32, font_role="mono", color="#111", anchor="mm"),
        op("vtext", 458, 260, "本支票付款期限十天", 20),
        L(480, 145, "出票日期（大写）", 24), VAL(690, 145, "{date_upper}", 28),
        L(1140, 145, "付款行名称：", 24), VAL(1298, 145, "{payer_bank}", 21),
        L(480, 205, "收款人：", 24), VAL(592, 205, "{payee_name}", 26),
        L(1140, 205, "出票人账号：", 24), VAL(1298, 205, "{payer_account}", 26, font_role="mono"),
        R((475, 245, 1675, 355), 2), V(570, 245, 355, 1), V(1120, 245, 355, 2),
        L(522, 280, "人民币", 24, anchor="mm"), L(522, 320, "（大写）", 18, anchor="mm"),
        VAL(590, 300, "{amount_upper}", 28),
        op("cells", 1125, 245, 50, 70, "{amount_cells}", 34, header_h=40),
        L(480, 405, "用途", 24), VAL(560, 405, "{purpose}", 26), H(425, 550, 1000, 1),
        L(1140, 405, "密码", 24), H(425, 1200, 1660, 1), L(1140, 460, "行号", 24), H(480, 1200, 1660, 1),
        L(480, 470, "上列款项请从", 24), L(480, 510, "我账户内支付", 24),
        L(480, 600, "出票人签章", 24),
        op("seal", 700, 590, 125, "{payer_name}", "财务专用章"),
        op("name_seal", 860, 545, 105, "{signer}"),
        L(1200, 700, "复核", 24), L(1450, 700, "记账", 24),
    ))

ACCEPTANCE_BILL = Layout(
    "acceptance_bill", DOC_TYPE, (1700, 900), paper="#fbeef0", ink="#8a1f2b", misregister=6,
    omit=frozenset({"purpose"}), meta={"number": "edraft", "amount_small": "text"}, ops=(
        op("guilloche", "#f6e3e6", step=24, amplitude=10, period=200),
        LB(850, 60, "银 行 承 兑 汇 票", 52, anchor="mm"),
        L(1500, 62, "2", 40, anchor="mm"), R((1475, 35, 1525, 90), 2),
        L(60, 128, "出票日期（大写）", 24), VAL(260, 128, "{date_upper}", 28),
        L(1080, 128, "票据号码", 24), VAL(1190, 128, "{bill_number}", 24, font_role="mono"),
        R((40, 160, 1660, 760), 3),
        H(230, 40, 1660, 1), H(300, 40, 1660, 1), H(370, 40, 1660, 2), H(470, 40, 1660, 1),
        H(540, 40, 1660, 1), H(610, 40, 1660, 2),
        V(230, 160, 610, 1), V(840, 160, 370, 2), V(840, 470, 760, 2), V(900, 160, 370, 1),
        V(1040, 160, 610, 1),
        L(135, 195, "出票人全称", 24, anchor="mm"), VAL(250, 195, "{payer_name}", 26),
        L(135, 265, "出票人账号", 24, anchor="mm"), VAL(250, 265, "{payer_account}", 26, font_role="mono"),
        L(135, 335, "付款行全称", 24, anchor="mm"), VAL(250, 335, "{payer_bank}", 24),
        op("vtext", 870, 213, "收款人", 28),
        L(970, 195, "全  称", 24, anchor="mm"), VAL(1060, 195, "{payee_name}", 26),
        L(970, 265, "账  号", 24, anchor="mm"), VAL(1060, 265, "{payee_account}", 26, font_role="mono"),
        L(970, 335, "开户银行", 24, anchor="mm"), VAL(1060, 335, "{payee_bank}", 24),
        L(135, 420, "出票金额", 24, anchor="mm"),
        L(250, 400, "人民币", 22), L(250, 440, "（大写）", 20), VAL(350, 420, "{amount_upper}", 30),
        L(1095, 420, "（小写）", 22, anchor="mm"), VAL(1160, 420, "¥{amount_grouped}", 30),
        L(135, 505, "汇票到期日", 24, anchor="mm"), L(250, 505, "（大写）", 20),
        VAL(340, 505, "{due_upper}", 28),
        L(970, 505, "付款行行号", 22, anchor="mm"), VAL(1060, 505, "{payer_bank_code}", 26, font_role="mono"),
        L(135, 575, "承兑协议编号", 22, anchor="mm"), VAL(250, 575, "{agreement_no}", 24),
        L(970, 575, "交易合同号", 22, anchor="mm"), VAL(1060, 575, "{contract_no}", 24),
        L(60, 645, "本汇票请你行承兑，到期无条件付款。", 24), L(60, 725, "出票人签章", 24),
        L(860, 645, "本汇票已经承兑，到期日由本行付款。", 24), L(860, 690, "承兑行签章", 24),
        L(860, 735, "承兑日期", 24), VAL(970, 735, "{accept_date}", 24),
        op("seal", 560, 670, 120, "{payer_name}", "财务专用章"),
        op("name_seal", 690, 640, 95, "{signer}"),
        op("seal", 1470, 680, 115, "{payer_bank}", "汇票专用章"),
        L(60, 805, "备注：", 24), L(1200, 805, "复核", 24), L(1450, 805, "记账", 24),
    ))

DEPOSIT_SLIP = Layout(
    "deposit_slip", DOC_TYPE, (1650, 820), paper="#fdfdf7", ink="#1f3f8f", misregister=6,
    omit=frozenset({"purpose", "due_date"}), meta={"number": "deposited", "amount_small": "cells"}, ops=(
        L(60, 62, "{payee_bank_name}", 32), LB(825, 60, "进 账 单（回 单）", 46, anchor="mm"),
        L(1130, 62, "1", 34, anchor="mm"), R((1110, 38, 1150, 86), 2),
        op("text", 1600, 62, "No {slip_serial}", 28, font_role="mono", color="#c0392b", anchor="rm"),
        VAL(825, 125, "{date_lower}", 28, anchor="mm"),
        R((40, 160, 1610, 760), 3),
        H(233, 110, 825, 1), H(306, 110, 825, 1), H(233, 895, 1610, 1), H(306, 895, 1610, 1),
        H(380, 40, 1610, 2), H(500, 40, 1610, 2), H(570, 40, 1610, 1), H(640, 40, 1610, 2),
        V(110, 160, 500, 1), V(230, 160, 380, 1), V(825, 160, 380, 2), V(895, 160, 380, 1),
        V(1015, 160, 380, 1), V(1060, 380, 500, 1), V(230, 500, 640, 1), V(520, 500, 570, 1),
        V(680, 500, 570, 1),
        op("vtext", 75, 218, "出票人", 30), op("vtext", 860, 218, "收款人", 30),
        L(170, 197, "全  称", 24, anchor="mm"), VAL(250, 197, "{payer_name}", 26),
        L(170, 270, "账  号", 24, anchor="mm"), VAL(250, 270, "{payer_account}", 26, font_role="mono"),
        L(170, 343, "开户银行", 24, anchor="mm"), VAL(250, 343, "{payer_bank}", 24),
        L(955, 197, "全  称", 24, anchor="mm"), VAL(1035, 197, "{payee_name}", 26),
        L(955, 270, "账  号", 24, anchor="mm"), VAL(1035, 270, "{payee_account}", 26, font_role="mono"),
        L(955, 343, "开户银行", 24, anchor="mm"), VAL(1035, 343, "{payee_bank}", 24),
        op("vtext", 75, 408, "金额", 28),
        L(130, 420, "人民币", 24), L(130, 460, "（大写）", 20), VAL(250, 440, "{amount_upper}", 30),
        op("cells", 1060, 380, 50, 80, "{amount_cells}", 36, header_h=40),
        L(135, 535, "票据种类", 24, anchor="mm"), VAL(250, 535, "{instrument}", 26),
        L(600, 535, "票据张数", 24, anchor="mm"), VAL(700, 535, "{instrument_count}", 26),
        L(135, 605, "票据号码", 24, anchor="mm"), VAL(250, 605, "{bill_number}", 26, font_role="mono"),
        L(100, 700, "复核", 24), L(350, 700, "记账", 24), L(1000, 600, "收款人开户银行签章", 24),
        op("seal", 1360, 650, 105, "{payee_bank}", "业务受理章", center_text="{date_dot}"),
        op("vtext", 1630, 200, "此联是开户银行交给持（出）票人的回单", 18),
    ))

LAYOUTS = {layout.name: layout for layout in (TRANSFER_CHEQUE, ACCEPTANCE_BILL, DEPOSIT_SLIP)}
