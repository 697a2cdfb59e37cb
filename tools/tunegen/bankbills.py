"""Bank bills of banks and layouts the templates were not written for: a transfer cheque with
its stub on the right and the date split into boxes, a compact cheque whose digits sit in
unlabelled cells, a deposit slip whose 2-column table puts 收款人 before 付款人, and an electronic
commercial acceptance draft print-out (收票人, 票据金额, a 30-digit number in groups)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Callable

from tools.docgen.formats import cell_digits, date_upper, rmb_upper

from . import words
from .page import Page

DOC_TYPE = "bank_bill"
INSTRUMENTS = ("转账支票", "银行汇票", "银行本票", "转账支票")


def grouped4(number: str) -> str:
    """``6228 4800 1234 5678 901``."""
    return " ".join(number[i:i + 4] for i in range(0, len(number), 4))


def add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    return dt.date(day.year + year, month + 1, min(day.day, 28))


def content(rng: random.Random, bill_type: str, number_kind: str) -> tuple[dict, dict]:
    """``(fields, values)``: canonical truth and printed strings, all fields present."""
    payer_at, payee_at = words.place(rng), words.place(rng)
    payer_bank, payer_branch = words.branch(rng, payer_at)
    payee_bank, payee_branch = words.branch(rng, payee_at)
    payer = words.company(rng, payer_at.city)
    payee = words.company(rng, payee_at.city) if rng.random() < 0.85 else words.person(rng)
    while payee == payer:
        payee = words.company(rng, payee_at.city)
    payer_account, payee_account = words.account(rng, payer_bank), words.account(rng, payee_bank)
    while payee_account == payer_account:
        payee_account = words.account(rng, payee_bank)
    amount = words.money(rng, 120, 4_800_000)
    day = words.day(rng)
    due = add_months(day, rng.choice((3, 6, 6, 9, 12)))
    bank_code = words.BANKS[payer_bank][0] + words.digits(rng, 9)
    number = {"cheque": words.digits(rng, 8, "0123456789"),
              "draft": "2" + bank_code + day.strftime("%Y%m%d") + words.digits(rng, 9, "0")}[number_kind]
    fields = {
        "bill_type": bill_type, "bill_number": number, "issue_date": day.isoformat(),
        "payer_name": payer, "payer_account": payer_account, "payer_bank": payer_branch,
        "payee_name": payee, "payee_account": payee_account, "payee_bank": payee_branch,
        "amount": f"{amount:.2f}", "amount_words": f"{amount:.2f}",
        "purpose": rng.choice(words.PURPOSES), "due_date": due.isoformat(),
    }
    upper = date_upper(day)
    values = fields | {
        "payer_bank_name": payer_bank, "payee_bank_name": payee_bank,
        "payer_account_p": rng.choice((grouped4(payer_account), payer_account)),
        "payee_account_p": rng.choice((grouped4(payee_account), payee_account)),
        "upper": rmb_upper(amount), "yen": f"¥{amount:,.2f}", "yen_plain": f"￥{amount:.2f}",
        "cells": cell_digits(amount),
        "date_parts": (upper[:4], upper[5:upper.index("月")], upper[upper.index("月") + 1:-1]),
        "date_cn": f"{day.year}年{day.month}月{day.day}日", "date_iso": day.isoformat(),
        "due_iso": due.isoformat(), "bank_code": bank_code,
        "code_prefix": words.BANKS[payer_bank][0] + words.digits(rng, 5, "0"),
        "secret": words.digits(rng, 16), "contract": f"CG{day:%y%m}-{rng.randint(1, 9999):04d}",
        "instrument": rng.choice(INSTRUMENTS), "signer": words.person(rng)[:3],
    }
    return fields, values


def cheque_right_stub(rng: random.Random, v: dict) -> Page:
    """转账支票, 180 × 80 mm: body on the left, stub on the right, the date written in boxes
    (年 / 月 / 日 apart), the small amount in a ¥ box beside the words."""
    p = Page((180, 80), rng.choice((200, 220, 240)), rng, paper="#eef0fa", ink="#2a3f8f",
             value_offset_mm=(rng.uniform(-0.6, 0.6), rng.uniform(-0.6, 0.6)))
    p.canvas.guilloche("#dde2f3", step=20, amplitude=9, period=140)
    p.rect(3, 3, 132, 77, 0.3)
    p.text(6, 8, v["payer_bank_name"], 3.4)
    p.text(68, 8, "转 账 支 票", 5.4, "mm", bold=1)
    p.text(129, 7, v["code_prefix"], 2.8, "rm")
    p.text(129, 12, "支票号码 " + v["bill_number"], 3.2, "rm", face="mono", color="#111111")
    p.text(6, 18, "出票日期（大写）", 3.0)
    x = 36
    for part, unit in zip(v["date_parts"], "年月日"):
        p.rect(x, 15, x + 17, 21, 0.2)
        p.text(x + 8.5, 18, part, 3.2, "mm", value=True)
        p.text(x + 19, 18, unit, 3.0, "mm")
        x += 22
    p.text(6, 26, "收款人：", 3.2)
    p.text(22, 26, v["payee_name"], 3.4, value=True)
    p.rect(6, 30, 129, 42, 0.3)
    p.vline(20, 30, 42, 0.2)
    p.text(13, 34, "人民币", 2.8, "mm")
    p.text(13, 38.5, "（大写）", 2.4, "mm")
    p.text(22, 36, v["upper"], 3.6, value=True)
    p.rect(94, 32, 127, 40, 0.3)
    p.text(125, 36, v["yen"], 3.6, "rm", value=True)
    p.text(6, 48, "用途", 3.0)
    p.text(16, 48, v["purpose"], 3.2, value=True)
    p.text(6, 55, "上列款项请从我账户内支付", 3.0)
    p.text(6, 66, "出票人签章", 3.0)
    p.text(70, 48, "付款行名称", 2.8)
    p.text(88, 48, v["payer_bank"], 2.6, value=True)
    p.text(70, 54, "出票人账号", 2.8)
    p.text(88, 54, v["payer_account_p"], 3.0, value=True, face="mono")
    p.text(70, 72, "复核", 2.8)
    p.text(100, 72, "记账", 2.8)
    p.seal(42, 64, 11, v["payer_name"], "财务专用章")
    p.name_seal(56, 58, 10, v["signer"])
    p.vline(136, 3, 77, 0.3, dash=1.2)
    p.rect(140, 3, 177, 77, 0.3)
    p.text(158.5, 9, "转账支票存根", 3.4, "mm", bold=1)
    p.text(158.5, 15, v["bill_number"], 3.0, "mm", face="mono", color="#111111")
    p.text(142, 23, "出票日期 " + v["date_cn"], 2.6)
    p.text(142, 31, "收款人：", 2.8)
    p.wrap(142, 36, v["payee_name"], 2.6, 33, max_lines=2, value=True)
    p.text(142, 47, "金额：" + v["yen_plain"], 2.8, value=True)
    p.text(142, 54, "用途：" + v["purpose"], 2.8, value=True)
    p.text(142, 61, "出票人：", 2.8)
    p.wrap(142, 66, v["payer_name"], 2.6, 33, max_lines=2, value=True)
    return p


def cheque_compact(rng: random.Random, v: dict) -> Page:
    """转账支票 without stub, 160 × 70 mm: 收款人 first, the small amount only in cells with
    no place-name header, bank and account at the bottom, a 16-digit 密码 beside them."""
    p = Page((160, 70), rng.choice((200, 240)), rng, paper="#f5efe0", ink="#7a4a12", sx=0.95,
             value_offset_mm=(rng.uniform(-0.5, 0.5), rng.uniform(-0.5, 0.5)))
    p.canvas.guilloche("#ece2c9", step=18, amplitude=7, period=120)
    p.rect(2, 2, 158, 68, 0.4)
    p.text(80, 8, v["payer_bank_name"] + "  转账支票", 5, "mm", bold=1)
    p.text(155, 8, "No." + v["bill_number"], 3.4, "rm", face="mono", color="#b01010")
    p.text(5, 16, "收款人", 3.0)
    p.text(20, 16, v["payee_name"], 3.4, value=True)
    p.text(110, 16, "日期", 3.0)
    p.text(120, 16, v["date_cn"], 3.2, value=True)
    p.hline(20, 2, 158, 0.25)
    p.text(5, 26, "人民币", 3.0)
    p.text(18, 26, v["upper"], 3.6, value=True)
    p.cells(103, 22, 4.5, 8, v["cells"], 4.2)
    p.hline(32, 2, 158, 0.25)
    p.text(5, 38, "用途：" + v["purpose"], 3.0, value=True)
    p.text(5, 46, "上列款项请从我账户内支付  出票人签章", 2.8)
    p.seal(30, 56, 9, v["payer_name"], "财务专用章")
    p.text(80, 38, "密码", 2.8)
    p.text(92, 38, v["secret"], 3.2, face="mono", value=True)
    p.text(80, 46, "行号", 2.8)
    p.text(92, 46, v["bank_code"], 3.2, face="mono", value=True)
    p.text(80, 54, "付款行", 2.8)
    p.text(92, 54, v["payer_bank"], 2.6, value=True)
    p.text(80, 61, "账号", 2.8)
    p.text(92, 61, v["payer_account_p"], 3.2, face="mono", value=True)
    return p


def deposit_two_column(rng: random.Random, v: dict) -> Page:
    """进账单（收账通知）, 200 × 100 mm: one table with 收款人 and 付款人 columns side by side,
    rows 全称 / 账号 / 开户行; the date in 年月日 figures under the title; amount cells."""
    p = Page((200, 100), rng.choice((180, 200, 220)), rng, paper="#fcf8fb", ink="#7d1e5a",
             value_offset_mm=(rng.uniform(-0.7, 0.7), rng.uniform(-0.7, 0.7)))
    p.text(6, 8, v["payee_bank_name"], 3.8)
    p.text(100, 8, "进账单（收账通知）", 5.5, "mm", bold=1)
    p.text(150, 8, "3", 4, "mm")
    p.text(100, 15, v["date_cn"], 3.4, "mm", value=True)
    x0, y0 = 5, 20
    cols, rows = [18, 77, 77], [7, 9, 9, 9]
    p.grid(x0, y0, cols, rows)
    first, second = (("收款人", "payee"), ("付款人", "payer")) if rng.random() < 0.7 else (("付款人", "payer"), ("收款人", "payee"))
    p.text(x0 + 9, y0 + 3.5, "项目", 3.0, "mm")
    for i, (head, _who) in enumerate((first, second)):
        p.text(x0 + 18 + 77 * i + 38.5, y0 + 3.5, head, 3.2, "mm", bold=1)
    y = y0 + 7
    for label, key, face in (("全称", "name", "hei"), ("账号", "account_p", "mono"), ("开户行", "bank", "hei")):
        p.text(x0 + 9, y + 4.5, label, 3.0, "mm")
        for i, (_head, who) in enumerate((first, second)):
            p.text(x0 + 20 + 77 * i, y + 4.5, v[f"{who}_{key}"], 3.0 if key != "name" else 3.2, value=True, face=face)
        y += 9
    p.rect(x0, y, x0 + 172, y + 16, 0.25)
    p.vline(x0 + 18, y, y + 16, 0.25)
    p.text(x0 + 9, y + 8, "金额", 3.0, "mm")
    p.text(x0 + 20, y + 5, "人民币（大写）", 2.8)
    p.text(x0 + 20, y + 11, v["upper"], 3.6, value=True)
    p.cells(x0 + 117, y, 5, 9, v["cells"], 4.0, header_h=7)
    y += 16
    p.grid(x0, y, [18, 40, 18, 22, 74], [9])
    p.text(x0 + 9, y + 4.5, "票据种类", 2.6, "mm")
    p.text(x0 + 20, y + 4.5, v["instrument"], 3.0, value=True)
    p.text(x0 + 67, y + 4.5, "张数", 2.8, "mm")
    p.text(x0 + 78, y + 4.5, "1", 3.0, value=True)
    p.text(x0 + 100, y + 4.5, "票据号码 " + v["bill_number"], 3.0, value=True)
    p.text(x0 + 2, y + 17, "复核", 3.0)
    p.text(x0 + 40, y + 17, "记账", 3.0)
    p.text(x0 + 110, y + 17, "收款人开户银行签章", 3.0)
    p.seal(x0 + 150, y + 14, 11, v["payee_bank"], "转讫", center=v["date_iso"].replace("-", "."))
    return p


def edraft_print(rng: random.Random, v: dict) -> Page:
    """电子商业承兑汇票 print-out, 210 × 120 mm: 出票人 / 收票人 / 承兑人 blocks in one table,
    票据金额 with the words and ``¥`` figures in the same row, dates as ISO, the number in groups."""
    p = Page((210, 120), rng.choice((150, 180, 200)), rng, face=rng.choice(("hei", "other")))
    p.text(105, 8, "电子商业承兑汇票", 6, "mm", bold=1)
    n = v["bill_number"]
    p.text(5, 17, "出票日期 " + v["date_iso"], 3.2)
    p.text(75, 17, "票据状态 提示付款待签收", 3.2)
    p.text(5, 23, "汇票到期日 " + v["due_iso"], 3.2)
    p.text(75, 23, f"票据号码 {n[0]} {n[1:13]} {n[13:21]} {n[21:]}", 3.2, face="mono")
    x0, y0 = 4, 28
    p.grid(x0, y0, [10, 20, 72, 10, 20, 70], [8, 8, 8])
    for i, (head, who) in enumerate((("出票人", "payer"), ("收票人", "payee"))):
        bx = x0 + 102 * i
        p.text(bx + 5, y0 + 12, head[:1], 3.2, "mm")
        p.text(bx + 5, y0 + 16, head[1:], 3.2, "mm")
        for j, (label, key) in enumerate((("全  称", "name"), ("账  号", "account"), ("开户银行", "bank"))):
            p.text(bx + 20, y0 + 4 + 8 * j, label, 2.8, "mm")
            p.text(bx + 32, y0 + 4 + 8 * j, v[f"{who}_{key}"], 2.8, value=True)
    y = y0 + 24
    p.grid(x0, y, [30, 172], [9, 8, 8, 8, 8])
    p.text(x0 + 15, y + 4.5, "票据金额", 3.0, "mm")
    p.text(x0 + 32, y + 4.5, "人民币（大写）" + v["upper"], 3.2, value=True)
    p.text(x0 + 198, y + 4.5, v["yen"], 3.2, "rm", value=True)
    rows = (("承兑人全称", v["payer_name"]), ("承兑人开户行行号", v["bank_code"]),
            ("交易合同号", v["contract"]), ("能否转让", "可转让"))
    for i, (label, value) in enumerate(rows):
        p.text(x0 + 15, y + 13 + 8 * i, label, 2.6 if len(label) > 5 else 3.0, "mm")
        p.text(x0 + 32, y + 13 + 8 * i, value, 3.0, value=True)
    y += 41
    p.text(5, y + 6, "承兑信息  出票人承诺：本汇票请予以承兑，到期无条件付款", 3.0)
    p.text(5, y + 13, "承兑人承诺：本汇票已经承兑，到期无条件付款    承兑日期 " + v["date_iso"], 3.0)
    p.text(5, y + 22, "评级信息（由出票人、承兑人自己记载，仅供参考）", 2.6)
    return p


@dataclass(frozen=True)
class BankLayout:
    name: str
    bill_type: str
    number_kind: str
    draw: Callable[[random.Random, dict], Page]
    omit: frozenset[str]


LAYOUTS = {layout.name: layout for layout in (
    BankLayout("cheque_right_stub", "transfer_cheque", "cheque", cheque_right_stub,
               frozenset({"payee_account", "payee_bank", "due_date"})),
    BankLayout("cheque_compact", "transfer_cheque", "cheque", cheque_compact,
               frozenset({"payer_name", "payee_account", "payee_bank", "due_date"})),
    BankLayout("deposit_two_column", "deposit_slip", "cheque", deposit_two_column,
               frozenset({"purpose", "due_date"})),
    BankLayout("edraft_print", "acceptance_bill", "draft", edraft_print, frozenset({"purpose"})),
)}


def document(rng: random.Random, layout_name: str) -> tuple[Page, dict]:
    """Draw one bank bill of ``layout_name``; return the page and its canonical fields. A deposit
    slip prints no serial of its own: no ``bill_number``; its 票据号码 is ``deposited_number``."""
    layout = LAYOUTS[layout_name]
    fields, values = content(rng, layout.bill_type, layout.number_kind)
    page = layout.draw(rng, values)
    if layout.bill_type == "deposit_slip":
        fields = {"deposited_number" if k == "bill_number" else k: v for k, v in fields.items()}
    return page, {k: v for k, v in fields.items() if k not in layout.omit}
