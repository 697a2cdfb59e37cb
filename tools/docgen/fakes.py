"""Realistic random content: names, addresses, phones, companies, banks, accounts, money, dates.

Every function takes a ``random.Random`` and is deterministic for its state.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
from dataclasses import dataclass
from decimal import Decimal

import phonenumbers
from stdnum.cn import uscc as stdnum_uscc

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "霞", "平", "刚", "秀英", "桂英", "建华", "建国", "志强", "文斌", "海燕", "晓东", "俊峰",
    "欣怡", "子涵", "梓轩", "佳琪", "思远", "宏伟", "嘉欣", "一鸣", "天佑", "若曦", "雨彤", "博文",
    "家豪", "淑珍", "春生", "德明", "永福", "丽娟", "秀兰", "玉兰", "国强", "建军", "立新", "晓明",
    "婷婷", "浩然", "子轩", "雪梅", "红梅", "志刚", "金凤", "丹丹", "宇航", "晨曦", "美玲", "少华",
)

# (province as printed, city, district, area code, streets); every combination resolves with cpca.
CITIES = (
    ("广东省", "深圳市", "南山区", "0755", ("科技园路", "深南大道", "南海大道", "后海大道", "高新南一道")),
    ("广东省", "深圳市", "福田区", "0755", ("福华三路", "益田路", "彩田路", "华强北路")),
    ("广东省", "广州市", "天河区", "020", ("天河路", "体育西路", "黄埔大道西", "中山大道西")),
    ("广东省", "广州市", "越秀区", "020", ("环市东路", "北京路", "东风中路")),
    ("上海市", "上海市", "浦东新区", "021", ("张杨路", "世纪大道", "陆家嘴环路", "碧波路", "川沙路")),
    ("上海市", "上海市", "徐汇区", "021", ("漕溪北路", "肇嘉浜路", "虹桥路", "宜山路")),
    ("上海市", "上海市", "静安区", "021", ("南京西路", "延安中路", "共和新路")),
    ("北京市", "北京市", "朝阳区", "010", ("建国路", "朝阳北路", "望京街", "东三环中路")),
    ("北京市", "北京市", "海淀区", "010", ("中关村大街", "学院路", "知春路", "上地十街")),
    ("天津市", "天津市", "和平区", "022", ("南京路", "滨江道", "营口道")),
    ("重庆市", "重庆市", "渝中区", "023", ("民族路", "中山三路", "解放碑步行街")),
    ("浙江省", "杭州市", "西湖区", "0571", ("文三路", "天目山路", "古墩路", "教工路")),
    ("浙江省", "杭州市", "余杭区", "0571", ("文一西路", "五常大道", "良睦路")),
    ("浙江省", "宁波市", "鄞州区", "0574", ("天童南路", "钱湖北路", "宁南南路")),
    ("江苏省", "南京市", "鼓楼区", "025", ("中山北路", "湖南路", "虎踞路")),
    ("江苏省", "苏州市", "姑苏区", "0512", ("人民路", "干将西路", "十全街")),
    ("四川省", "成都市", "武侯区", "028", ("人民南路四段", "科华北路", "武侯祠大街")),
    ("四川省", "成都市", "锦江区", "028", ("春熙路", "东大街", "红星路三段")),
    ("湖北省", "武汉市", "洪山区", "027", ("珞喻路", "雄楚大道", "光谷大道")),
    ("湖北省", "武汉市", "江汉区", "027", ("建设大道", "解放大道", "新华路")),
    ("陕西省", "西安市", "雁塔区", "029", ("小寨东路", "科技路", "长安南路")),
    ("山东省", "济南市", "历下区", "0531", ("泉城路", "经十路", "解放路")),
    ("山东省", "青岛市", "市南区", "0532", ("香港中路", "东海西路", "山东路")),
    ("河南省", "郑州市", "金水区", "0371", ("花园路", "经三路", "农业路")),
    ("湖南省", "长沙市", "岳麓区", "0731", ("麓山南路", "桐梓坡路", "枫林三路")),
    ("湖南省", "长沙市", "芙蓉区", "0731", ("五一大道", "韶山北路", "八一路")),
    ("福建省", "厦门市", "思明区", "0592", ("厦禾路", "湖滨南路", "莲前西路")),
    ("辽宁省", "沈阳市", "和平区", "024", ("南京北街", "中华路", "三好街")),
    ("安徽省", "合肥市", "蜀山区", "0551", ("长江西路", "潜山路", "黄山路")),
    ("云南省", "昆明市", "五华区", "0871", ("东风西路", "人民中路", "青年路")),
)
MUNICIPALITIES = {"北京市", "上海市", "天津市", "重庆市"}
BUILDINGS = (
    "{L}栋{n}室", "{k}号楼{u}单元{n}室", "{p}大厦{f}层", "{p}中心{L}座{n}", "{p}花园{k}栋{n}",
    "{p}广场{f}楼", "{p}小区{k}幢{u}单元{n}", "{p}科技园{L}区{k}号",
)
PLACE_WORDS = ("华润", "金融", "世纪", "阳光", "万科", "绿地", "时代", "国际", "中海", "保利", "锦绣", "翠苑")

COMPANY_WORDS = (
    "华信", "恒通", "锦程", "鑫源", "宏达", "盛世", "永泰", "东方", "瑞丰", "博远", "天成", "众联",
    "金桥", "新锐", "佳和", "嘉禾", "汇丰源", "德润", "远航", "卓越", "同创", "九州", "长青", "宝隆",
)
INDUSTRIES = (
    "贸易", "科技", "建设工程", "物流", "电子", "商贸", "实业", "医药", "食品", "机械设备",
    "信息技术", "文化传媒", "进出口", "新材料", "环保科技",
)
COMPANY_SUFFIXES = ("有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司")

# bank name -> account lengths it issues (12–19 digits; 16 and 19 get a Luhn check digit)
BANKS = {
    "中国工商银行": (19,), "中国农业银行": (19, 17), "中国银行": (12, 16), "中国建设银行": (19, 16),
    "交通银行": (19, 17), "招商银行": (15, 12), "中信银行": (19, 16), "上海浦东发展银行": (18, 16),
    "兴业银行": (18,), "中国民生银行": (16, 19), "平安银行": (14, 12), "中国光大银行": (16, 19),
}
# bank name -> 3-digit prefix of its 12-digit interbank branch code (联行号)
BANK_CODES = {
    "中国工商银行": "102", "中国农业银行": "103", "中国银行": "104", "中国建设银行": "105",
    "交通银行": "301", "中信银行": "302", "中国光大银行": "303", "中国民生银行": "305",
    "平安银行": "307", "招商银行": "308", "兴业银行": "309", "上海浦东发展银行": "310",
}
BRANCH_WORDS = ("营业部", "科技园", "高新", "开发区", "中山路", "人民路", "金融街", "新城", "城东", "城西")
MOBILE_PREFIXES = tuple(range(130, 140)) + (150, 151, 152, 153, 155, 156, 157, 158, 159) + tuple(
    range(180, 190)
)


@dataclass(frozen=True)
class Address:
    """A postal address; ``text`` is the address as printed (no whitespace)."""

    province: str
    city: str
    district: str
    area_code: str
    text: str


def person_name(rng: random.Random) -> str:
    """A Chinese personal name: one surname and a one- or two-character given name."""
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def address(rng: random.Random) -> Address:
    """A real province/city/district with street, number and building detail."""
    province, city, district, area, streets = rng.choice(CITIES)
    building = rng.choice(BUILDINGS).format(
        L=rng.choice("ABCDE"), n=rng.randint(1, 32) * 100 + rng.randint(1, 12),
        k=rng.randint(1, 18), u=rng.randint(1, 4), f=rng.randint(2, 35), p=rng.choice(PLACE_WORDS),
    )
    street = f"{rng.choice(streets)}{rng.randint(1, 999)}号"
    head = city if city in MUNICIPALITIES else rng.choice((province + city, province + city, city))
    return Address(province, city, district, area, head + district + street + building)


def mobile(rng: random.Random) -> str:
    """An 11-digit mainland mobile number that phonenumbers deems valid."""
    while True:
        number = f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"
        if phonenumbers.is_valid_number(phonenumbers.parse(number, "CN")):
            return number


def landline(rng: random.Random, area_code: str) -> str:
    """A landline ``0AA-NNNNNNNN`` (7 or 8 local digits) that phonenumbers deems valid."""
    for attempt in itertools.count():
        local = digits(rng, 8 - attempt % 2, "2345678")
        if phonenumbers.is_valid_number(phonenumbers.parse(area_code + local, "CN")):
            return f"{area_code}-{local}"


def e164(printed: str) -> str:
    """E.164 form of a printed mainland phone (mobile or landline with area code)."""
    number = phonenumbers.parse(printed, "CN")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def company(rng: random.Random, city: str) -> str:
    """A company name such as 上海华信贸易有限公司."""
    return city.removesuffix("市") + rng.choice(COMPANY_WORDS) + rng.choice(INDUSTRIES) + rng.choice(
        COMPANY_SUFFIXES
    )


def bank_branch(rng: random.Random, addr: Address) -> tuple[str, str]:
    """``(bank, branch)``, e.g. ``("中国工商银行", "中国工商银行上海分行浦东支行")``."""
    bank = rng.choice(sorted(BANKS))
    city = addr.city.removesuffix("市")
    local = rng.choice((addr.district.removesuffix("新区").removesuffix("区"), rng.choice(BRANCH_WORDS)))
    sub = "营业部" if local == "营业部" else local + "支行"
    return bank, f"{bank}{city}分行{sub}"


def luhn_digit(digits: str) -> str:
    """The Luhn check digit to append to ``digits``."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def account(rng: random.Random, bank: str) -> str:
    """A bank account number of a length the bank uses; 16/19-digit ones pass Luhn."""
    length = rng.choice(BANKS[bank])
    body = str(rng.randint(1, 9)) + "".join(str(rng.randrange(10)) for _ in range(length - 2))
    return body + (luhn_digit(body) if length in (16, 19) else str(rng.randrange(10)))


def money(rng: random.Random, low: float, high: float, round_share: float = 0.3) -> Decimal:
    """A log-uniform amount in [low, high], 2 decimals; ``round_share`` are whole hundreds."""
    value = Decimal(str(round(math.exp(rng.uniform(math.log(low), math.log(high))), 2)))
    if rng.random() < round_share:
        value = max(Decimal(100), (value / 100).quantize(Decimal("1")) * 100)
    return value.quantize(Decimal("0.01"))


def date(rng: random.Random, start: dt.date = dt.date(2023, 1, 3), days: int = 900) -> dt.date:
    """A date in ``[start, start + days)``."""
    return start + dt.timedelta(days=rng.randrange(days))


def digits(rng: random.Random, n: int, first: str = "123456789") -> str:
    """``n`` random digits, the first one drawn from ``first``."""
    return rng.choice(first) + "".join(str(rng.randrange(10)) for _ in range(n - 1))

# (city, district) -> 6-digit administrative division code, the 3rd–8th characters of a USCC
DIVISION_CODES = {
    ("深圳市", "南山区"): "440305", ("深圳市", "福田区"): "440304", ("广州市", "天河区"): "440106",
    ("广州市", "越秀区"): "440104", ("上海市", "浦东新区"): "310115", ("上海市", "徐汇区"): "310104",
    ("上海市", "静安区"): "310106", ("北京市", "朝阳区"): "110105", ("北京市", "海淀区"): "110108",
    ("天津市", "和平区"): "120101", ("重庆市", "渝中区"): "500103", ("杭州市", "西湖区"): "330106",
    ("杭州市", "余杭区"): "330110", ("宁波市", "鄞州区"): "330212", ("南京市", "鼓楼区"): "320106",
    ("苏州市", "姑苏区"): "320508", ("成都市", "武侯区"): "510107", ("成都市", "锦江区"): "510104",
    ("武汉市", "洪山区"): "420111", ("武汉市", "江汉区"): "420103", ("西安市", "雁塔区"): "610113",
    ("济南市", "历下区"): "370102", ("青岛市", "市南区"): "370202", ("郑州市", "金水区"): "410105",
    ("长沙市", "岳麓区"): "430104", ("长沙市", "芙蓉区"): "430102", ("厦门市", "思明区"): "350203",
    ("沈阳市", "和平区"): "210102", ("合肥市", "蜀山区"): "340104", ("昆明市", "五华区"): "530102",
}
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def org_code(rng: random.Random) -> str:
    """A 9-character organization code (GB 11714): 8 digits and their check character."""
    body = digits(rng, 8)
    check = 11 - sum(int(d) * w for d, w in zip(body, ORG_CODE_WEIGHTS)) % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def uscc(rng: random.Random, addr: Address) -> str:
    """An 18-character unified social credit code (统一社会信用代码) of a company registered at
    ``addr``: 9 (industry and commerce), 1 (enterprise), division code, organization code and
    the GB 32100 check character."""
    body = "91" + DIVISION_CODES[(addr.city, addr.district)] + org_code(rng)
    return body + stdnum_uscc.calc_check_digit(body)
