"""Thermal e-waybill labels (100×180, 100×150 and 76×130 mm at 8 dots/mm) as the big carriers print
them: brand header, big sorting code, barcode, a receiver block and a sender block marked by a
收/寄 glyph (white on black or outlined), a vertical 收件/寄件 tab or a label in one of many
wordings, weight, fees, dates, a 签收 box, QR code, a lower stub repeating the parties, ads.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from tools.heldout2 import values
from tools.heldout2.canvas import INK, Page, cjk_faces, wrap

PPM = 8  # dots per mm of a 203 dpi thermal printer


@dataclass(frozen=True)
class Carrier:
    code: str  # the schema's carrier code
    names: tuple[str, ...]
    latin: str
    hotline: str
    products: tuple[str, ...]


CARRIERS = (
    Carrier("SF", ("顺丰速运", "顺丰快递"), "SF EXPRESS", "95338", ("顺丰标快", "顺丰特快", "陆运包裹", "电商标快")),
    Carrier("ZTO", ("中通快递",), "ZTO EXPRESS", "95311", ("标准快递", "中通标快", "电商件")),
    Carrier("YTO", ("圆通速递", "圆通快递"), "YTO EXPRESS", "95554", ("标准快递", "圆准达")),
    Carrier("YUNDA", ("韵达快递", "韵达速递"), "YUNDA EXPRESS", "95546", ("标准快件", "韵达快递")),
    Carrier("STO", ("申通快递",), "STO EXPRESS", "95543", ("标准快递", "申通标快")),
    Carrier("JT", ("极兔速递", "极兔快递"), "J&T EXPRESS", "956025", ("标准快递", "兔优达")),
    Carrier("JD", ("京东物流", "京东快递"), "JD LOGISTICS", "950616", ("特快送", "特惠送", "京准达")),
    Carrier("EMS", ("中国邮政 EMS", "EMS 中国邮政速递物流"), "EMS", "11183", ("标准快递", "特快专递")),
    Carrier("CNPOST", ("中国邮政", "邮政快递包裹"), "CHINA POST", "11183", ("快递包裹", "标准快递")),
    Carrier("DEPPON", ("德邦快递", "德邦物流"), "DEPPON", "95353", ("大件快递360", "标准快递")),
)
HUBS = ("杭州转运中心", "上海浦东中心", "广州花都中心", "深圳龙华集散", "北京顺义中心", "成都双流中心", "武汉东西湖中心",
        "郑州航空港中心", "义乌分拨中心", "南京江宁中心", "西安咸阳中心", "沈阳转运中心")
GOODS = ("文件", "服饰", "日用品", "电子产品", "食品", "书籍", "化妆品", "配件", "数码配件", "家居用品", "玩具")
SHOP_WORDS = ("旗舰店", "专营店", "官方店", "工厂店", "小店")
ADS = ("扫码关注，寄件更便宜", "下载APP 查件寄件更方便", "绿色包装 从我做起", "如有疑问请致电客服热线",
       "快件送达收件人地址，经收件人或收件人允许的代收人签字，视为送达", "本次服务适用电子运单契约条款",
       "请您确认包裹完好后再签收", "关注公众号 领取寄件优惠券")
SIZES = ((100, 180), (100, 180), (100, 150), (76, 130))
MARKERS = ("glyph_black", "glyph_black", "glyph_outline", "tab", "label", "label", "glyph_label")
RECEIVER_LABELS = ("收件人：", "收件人", "收货人：", "收方：", "收件信息：", "到：", "收件：")
SENDER_LABELS = ("寄件人：", "寄件人", "发件人：", "寄方：", "寄件信息：", "从：", "寄件：")


def tracking(rng: random.Random, carrier: Carrier) -> str:
    def digits(n: int) -> str:
        return "".join(str(rng.randint(0, 9)) for _ in range(n))
    return {
        "SF": lambda: "SF" + str(rng.randint(1, 9)) + digits(12),
        "ZTO": lambda: rng.choice(("73", "75", "78")) + digits(10),
        "YTO": lambda: "YT" + str(rng.randint(1, 9)) + digits(12),
        "YUNDA": lambda: rng.choice(("43", "46", "31")) + digits(11),
        "STO": lambda: rng.choice(("77", "773")) + digits(10),
        "JT": lambda: "JT" + str(rng.randint(3, 5)) + digits(12),
        "JD": lambda: rng.choice(("JDVA", "JDVB", "JDVC", "JDX")) + digits(11),
        "EMS": lambda: "1" + str(rng.randint(1, 9)) + digits(11),
        "CNPOST": lambda: "9" + str(rng.randint(7, 8)) + digits(11),
        "DEPPON": lambda: "DPK" + digits(12),
    }[carrier.code]()


def sorting_code(rng: random.Random) -> str:
    area = rng.choice(("010", "021", "020", "022", "023", "024", "025", "027", "028", "029", "351", "371", "431",
                       "531", "571", "574", "579", "591", "592", "731", "755", "769", "871", "898"))
    letter = rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ")
    style = rng.random()
    if style < 0.4:
        return f"{area}-{letter} {rng.randint(0, 999):03d}"
    if style < 0.7:
        return f"{area}-{letter}{rng.randint(1, 9)} {rng.randint(0, 99):02d}"
    return f"{area}-{rng.randint(100, 999)}-{letter}{rng.randint(0, 99):02d}"


@dataclass(frozen=True)
class Party:
    name: str
    phone: values.Phone
    address: str


def person_or_shop(rng: random.Random, shop_share: float) -> str:
    if rng.random() < shop_share:
        word = rng.choice(values.TRADE_NAMES)
        return word + rng.choice(("", "家居", "服饰", "数码", "母婴", "食品")) + rng.choice(SHOP_WORDS)
    return values.person_name(rng)


def printed_date(rng: random.Random, day: dt.date) -> str:
    hour, minute, second = rng.randint(7, 21), rng.randint(0, 59), rng.randint(0, 59)
    return rng.choice((
        f"{day:%Y-%m-%d} {hour:02d}:{minute:02d}:{second:02d}", f"{day:%Y-%m-%d} {hour:02d}:{minute:02d}",
        f"{day:%Y/%m/%d} {hour:02d}:{minute:02d}", f"{day:%Y.%m.%d}", f"{day.year}年{day.month:02d}月{day.day:02d}日",
        f"{day:%Y-%m-%d}", f"{day.year}-{day.month}-{day.day} {hour:02d}:{minute:02d}",
    ))


def make_waybill(rng: random.Random) -> tuple[Page, dict, dict, str]:
    """One label: (page, fields, printed texts of the fields, layout name)."""
    carrier = rng.choice(CARRIERS)
    width_mm, height_mm = rng.choice(SIZES)
    compact = width_mm < 100
    page = Page(width_mm * PPM, height_mm * PPM + 600)
    style = _Style(rng, compact)
    receiver = Party(values.person_name(rng), values.phone(rng, 0.1), values.address(rng))
    sender = Party(person_or_shop(rng, 0.2), values.phone(rng, 0.15), values.address(rng))
    number = tracking(rng, carrier)
    sort = sorting_code(rng)
    day = values.date_between(rng, dt.date(2024, 1, 1), dt.date(2025, 12, 31))
    date_text = printed_date(rng, day)
    weight = rng.choice((f"{rng.randint(1, 300) / 10:.1f}", str(rng.randint(1, 30))))
    fee = f"{rng.randint(6, 80)}.00" if rng.random() < 0.5 else f"{rng.randint(600, 9000) / 100:.2f}"
    show = {"sort": rng.random() < 0.9, "weight": rng.random() < 0.7, "fee": rng.random() < 0.45,
            "sender_address": rng.random() < 0.85, "stub": not compact and height_mm == 180}
    printed: dict[str, str] = {}

    y = _header(page, rng, style, carrier, date_text if style.date_top else None, printed)
    if show["sort"]:
        y = _sorting(page, rng, style, sort, y)
        printed["sorting_code"] = sort
    y = _barcode(page, rng, style, number, y, big=True)
    printed["tracking_number"] = number
    parties = [("receiver", receiver), ("sender", sender)]
    if rng.random() < 0.2:
        parties.reverse()
    for role, party in parties:
        y = _party(page, rng, style, role, party, y, show_address=role == "receiver" or show["sender_address"],
                   printed=printed)
    y = _info(page, rng, style, weight if show["weight"] else None, fee if show["fee"] else None,
              None if style.date_top else date_text, y, printed)
    in_stub = set()
    if show["stub"] and height_mm * PPM - y > 180:
        in_stub = _stub(page, rng, style, number, receiver, sender, y, height_mm * PPM)
    page.crop(max(height_mm * PPM, page.content_bottom() + 24))
    page.rect((4, 4, page.width - 5, page.height - 5), width=2)

    fields = {"tracking_number": number, "receiver_name": receiver.name, "receiver_phone": receiver.phone.e164,
              "receiver_address": receiver.address, "sender_name": sender.name, "sender_phone": sender.phone.e164,
              "date": day.isoformat()}
    fields["carrier"] = carrier.code
    if show["sender_address"] or "sender" in in_stub:
        fields["sender_address"] = sender.address  # printed in its block, or whole in the stub
    if show["weight"]:
        fields["weight"] = weight
    if show["fee"]:
        fields["amount"] = fee
    if show["sort"]:
        fields["sorting_code"] = sort
    printed["date"] = date_text
    layout = f"waybill/{carrier.code}/{width_mm}x{height_mm}/{style.marker}"
    return page, fields, printed, layout


class _Style:
    """Per-document choices shared by every block of one label."""

    def __init__(self, rng: random.Random, compact: bool) -> None:
        faces = cjk_faces()
        bold_faces = [f for f in faces if f in ("microhei", "zenhei")] or faces
        self.face = rng.choice(bold_faces)
        self.small_face = rng.choice(faces)
        self.digits = rng.choice(("sans_bold", "mono_bold", "narrow", self.face))
        self.scale = 0.78 if compact else 1.0
        self.marker = rng.choice(MARKERS)
        self.receiver_label = rng.choice(RECEIVER_LABELS)
        self.sender_label = rng.choice(SENDER_LABELS)
        self.phone_layout = rng.choice(("same_line", "same_line", "same_line", "next_line", "right", "labelled"))
        self.spaces = " " * rng.choice((1, 1, 2, 3))
        self.address_label = rng.random() < 0.2
        self.date_top = rng.random() < 0.35
        self.margin = 14

    def size(self, base: float) -> int:
        return max(12, int(base * self.scale))


def _header(page: Page, rng, style: _Style, carrier: Carrier, date_text, printed) -> int:
    m = style.margin
    brand = rng.choice(carrier.names)
    page.text(m + 6, m + 6, brand, style.face, style.size(42), bold=True)
    if rng.random() < 0.6:
        page.text(m + 8, m + 6 + style.size(52), carrier.latin, "sans_bold", style.size(16))
    product = rng.choice(carrier.products)
    size = style.size(30)
    width = page.width_of(product, style.face, size)
    right = page.width - m - 6
    box = (right - width - 20, m + 10, right, m + 10 + size + 18)
    if rng.random() < 0.5:
        page.rect(box, fill=INK)
        page.text(box[0] + 10, box[1] + 7, product, style.face, size, fill=(255, 255, 255), bold=True)
    else:
        page.rect(box, width=3)
        page.text(box[0] + 10, box[1] + 7, product, style.face, size, bold=True)
    bottom = m + style.size(90)
    label = rng.choice(("打印时间：", "打印日期：", "寄件时间：", "")) if date_text else ""
    hotline_bottom = 0
    if rng.random() < 0.4:
        hotline = f"客服 {carrier.hotline}"
        hotline_bottom = page.text(right - page.width_of(hotline, style.small_face, style.size(16)), box[3] + 4,
                                   hotline, style.small_face, style.size(16))[3]
    if date_text:
        text = label + date_text
        top = max(bottom - style.size(22), hotline_bottom + 4)
        date_box = page.text(page.width - m - 8 - page.width_of(text, style.small_face, style.size(17)), top,
                             text, style.small_face, style.size(17))
        bottom = max(bottom + 6, date_box[3] + 4)
    page.hline(m, page.width - m, bottom + 4)
    return bottom + 8


def _sorting(page: Page, rng, style: _Style, sort: str, y: int) -> int:
    size = style.size(rng.choice((60, 68, 76)))
    face = rng.choice((style.digits, "sans_bold", style.face))
    width = page.width_of(sort, face, size)
    x = (page.width - width) / 2 if rng.random() < 0.6 else style.margin + 10
    page.text(x, y + 8, sort, face, size, bold=True)
    bottom = y + 8 + int(size * 1.2)
    if rng.random() < 0.45:
        hub = rng.choice(HUBS)
        label = rng.choice(("集包地：", "集包：", ""))
        page.text(style.margin + 10, bottom, label + hub, style.face, style.size(26), bold=True)
        bottom += style.size(36)
    page.hline(style.margin, page.width - style.margin, bottom + 4)
    return bottom + 8


def _barcode(page: Page, rng, style: _Style, number: str, y: int, big: bool) -> int:
    height = style.size(100 if big else 60)
    width = page.width * (0.78 if big else 0.55)
    x = (page.width - width) / 2 if big or rng.random() < 0.5 else style.margin + 10
    page.bars(rng, (x, y + 10, x + width, y + 10 + height), number)
    shown = number if rng.random() < 0.7 else values.grouped(number, 4)
    label = rng.choice(("", "", "运单号：", "运单号 ", "单号："))
    size = style.size(28 if big else 20)
    text_width = page.width_of(label, style.face, size) + page.width_of(shown, style.digits, size) + 6
    page.runs((page.width - text_width) / 2, y + 16 + height, [(label, style.face, size, INK), (shown, style.digits, size, INK)]
              if label else [(shown, style.digits, size, INK)])
    bottom = y + 20 + height + int(size * 1.3)
    if big and rng.random() < 0.4:
        page.text(page.width - style.margin - style.size(60), y + 18 + height, f"1/{rng.choice((1, 1, 2))}",
                  "sans", style.size(20))
    page.hline(style.margin, page.width - style.margin, bottom)
    return bottom + 4


def _party(page: Page, rng, style: _Style, role: str, party: Party, y: int, show_address: bool, printed) -> int:
    receiver = role == "receiver"
    glyph = "收" if receiver else "寄"
    name_size = style.size(34 if receiver else 24)
    address_size = style.size(30 if receiver else 22)
    m = style.margin
    left_col = style.size(96 if receiver else 74)
    x = m + 10
    top = y + 8
    label = ""
    if style.marker in ("glyph_black", "glyph_outline", "glyph_label"):
        side = left_col - 20
        if style.marker == "glyph_black" or (style.marker == "glyph_label" and receiver):
            page.rect((x, top, x + side, top + side), fill=INK)
            page.text(x + side * 0.12, top + side * 0.02, glyph, style.face, int(side * 0.8), fill=(255, 255, 255))
        else:
            page.draw.ellipse((x, top, x + side, top + side), outline=INK, width=4)
            page.text(x + side * 0.17, top + side * 0.1, glyph, style.face, int(side * 0.66), bold=True)
        if style.marker == "glyph_label":
            label = style.receiver_label if receiver else style.sender_label
        x = m + left_col
    elif style.marker == "tab":
        tab = rng.choice(("收件人", "收件")) if receiver else rng.choice(("寄件人", "寄件"))
        tab_end = page.vertical(x + 4, top, tab, style.face, style.size(26 if receiver else 20), bold=True)
        page.vline(m + style.size(48), y, tab_end + 4, width=2)
        left_col = tab_end - top + 16
        x = m + style.size(58)
    else:
        label = style.receiver_label if receiver else style.sender_label
    right = page.width - m - 10
    name, phone = party.name, party.phone.printed
    line_y = top
    face = style.face
    if style.phone_layout == "labelled":
        first = f"{label}{name}"
        box = page.text(x, line_y, first, face, name_size, bold=True)
        phone_label = rng.choice(("电话：", "手机：", "Tel:", "联系电话："))
        page.text(max(box[2] + 24, x + (right - x) * 0.5), line_y, phone_label + phone, face, name_size, bold=True)
        line_y = box[3] + 8
    elif style.phone_layout == "same_line":
        box = page.text(x, line_y, f"{label}{name}{style.spaces}{phone}", face, name_size, bold=True)
        line_y = box[3] + 8
    elif style.phone_layout == "right":
        box = page.text(x, line_y, f"{label}{name}", face, name_size, bold=True)
        phone_width = page.width_of(phone, face, name_size)
        page.text(max(box[2] + 20, right - phone_width), line_y, phone, face, name_size, bold=True)
        line_y = box[3] + 8
    else:
        box = page.text(x, line_y, f"{label}{name}", face, name_size, bold=True)
        box = page.text(x, box[3] + 6, phone, face, name_size, bold=True)
        line_y = box[3] + 8
    if show_address:
        prefix = "地址：" if style.address_label else ""
        for row in wrap(prefix + party.address, face, address_size, right - x):
            box = page.text(x, line_y, row, face, address_size, bold=receiver)
            line_y = box[3] + 6
    bottom = max(line_y, top + left_col - 12) + 6
    page.hline(m, page.width - m, bottom)
    key = "receiver" if receiver else "sender"
    printed[f"{key}_name"], printed[f"{key}_phone"] = name, phone
    if show_address:
        printed[f"{key}_address"] = party.address
    return bottom + 4


def _info(page: Page, rng, style: _Style, weight, fee, date_text, y: int, printed) -> int:
    m = style.margin
    size = style.size(22)
    x, line_y = m + 10, y + 8
    rows = []
    if weight:
        unit = rng.choice(("kg", "KG", "公斤", " kg"))
        label = rng.choice(("重量：", "计费重量：", "实际重量:", "重量(kg)：" if unit == "kg" else "重量："))
        shown = weight if label.startswith("重量(kg)") else weight + unit
        rows.append(label + shown)
        printed["weight"] = shown
    rows.append(rng.choice(("件数：1", "件数：1/1", "数量：1件", "共1件")))
    rows.append(rng.choice(("付款方式：寄付月结", "付款方式：寄付现结", "寄付", "月结", "到付")))
    if fee:
        text = rng.choice((f"运费：{fee}元", f"费用合计：¥{fee}", f"运费 {fee}", f"应付金额：{fee}元"))
        rows.append(text)
        printed["amount"] = fee
    if date_text:
        rows.append(rng.choice(("寄件时间：", "打印时间：", "揽收时间：", "日期：", "")) + date_text)
    rows.append("物品：" + rng.choice(GOODS))
    rng.shuffle(rows)
    qr_size = style.size(150)
    text_right = page.width - m - qr_size - 30
    for row in rows:
        box = page.text(x, line_y, row, style.small_face, size)
        line_y = box[3] + 6
    if rng.random() < 0.6:
        page.qr(rng, page.width - m - qr_size - 10, y + 10, qr_size)
    else:
        sx = max(x + 280 * style.scale, text_right - 60)
        page.rect((sx, y + 10, page.width - m - 10, y + 10 + qr_size), width=2)
        page.text(sx + 8, y + 16, rng.choice(("签收人：", "收件人签名：", "签收：")), style.small_face, style.size(20))
        page.text(sx + 8, y + qr_size - 22, rng.choice(("签收时间：   年  月  日", "时间：    月  日")), style.small_face,
                  style.size(18))
    bottom = max(line_y, y + 20 + qr_size) + 4
    page.hline(m, page.width - m, bottom)
    return bottom + 4


def _stub(page: Page, rng, style: _Style, number: str, receiver: Party, sender: Party, y: int, limit: int) -> set[str]:
    """The lower part (客户联 / 寄件联): barcode again and the parties in small print. Returns
    the roles ("receiver", "sender") whose line was printed whole."""
    m = style.margin
    page.hline(m, page.width - m, y + 2, width=1)
    y = _barcode(page, rng, style, number, y + 6, big=False)
    size = style.size(20)
    right = page.width - m - 10
    whole = set()
    for role, glyph, party in (("receiver", "收", receiver), ("sender", "寄", sender)):
        if y > limit - 60:
            return whole
        text = f"{glyph}：{party.name} {party.phone.printed} {party.address}"
        rows = wrap(text, style.small_face, size, right - m - 10)
        for row in rows[:2]:
            box = page.text(m + 10, y + 4, row, style.small_face, size)
            y = box[3] + 2
        y += 6
        if len(rows) <= 2:
            whole.add(role)
    if y < limit - 50:
        ad = rng.choice(ADS)
        for row in wrap(ad, style.small_face, style.size(18), right - m - 10)[:2]:
            if y > limit - 40:
                break
            box = page.text(m + 10, y + 4, row, style.small_face, style.size(18))
            y = box[3] + 2
    return whole
