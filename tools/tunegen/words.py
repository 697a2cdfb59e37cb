"""Word lists and random values of the tuning family, written apart from docgen's: other
surnames and given names, other cities and streets, other companies, banks, goods and carriers.

Every function takes a ``random.Random`` and is deterministic for its state.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from decimal import Decimal

import phonenumbers

SURNAMES = (
    "施", "严", "华", "金", "魏", "陶", "姜", "戚", "邹", "喻", "柏", "窦", "章", "云", "潘", "葛",
    "奚", "范", "彭", "郎", "鲁", "韦", "昌", "苗", "凤", "花", "方", "俞", "任", "袁", "柳", "鲍",
    "史", "费", "廉", "岑", "薛", "雷", "倪", "滕", "殷", "毕", "邬", "安", "常", "乐", "时", "傅",
    "卞", "齐", "康", "伍", "元", "卜", "顾", "穆", "萧", "尹", "欧阳", "司马", "上官", "诸葛", "皇甫",
)
GIVEN = (
    "雨桐", "梓萱", "诗涵", "沐阳", "奕辰", "书瑶", "皓轩", "语嫣", "泽宇", "可馨", "明远", "嘉懿",
    "思彤", "俊熙", "一诺", "乐天", "清妍", "昊然", "瑾瑜", "若彤", "宁", "珂", "昕", "赫", "琳", "彬",
    "璐", "萌", "骁", "翔", "睿", "朗", "蕾", "芸", "瀚", "冉", "秋菊", "德胜", "福生", "桂芳", "淑华",
    "玉珍", "建平", "卫东", "振华", "永红", "金花", "海涛", "晓丽", "春燕", "亚楠", "梦琪", "子墨",
)

# (province, city, district, area code, streets); every combination resolves with cpca.
PLACES = (
    ("江西省", "南昌市", "东湖区", "0791", ("八一大道", "阳明路", "叠山路", "象山北路")),
    ("广西壮族自治区", "南宁市", "青秀区", "0771", ("民族大道", "东葛路", "竹溪大道")),
    ("贵州省", "贵阳市", "云岩区", "0851", ("中华北路", "宝山北路", "黔灵西路")),
    ("黑龙江省", "哈尔滨市", "南岗区", "0451", ("西大直街", "红军街", "果戈里大街")),
    ("吉林省", "长春市", "朝阳区", "0431", ("人民大街", "西安大路", "红旗街")),
    ("山西省", "太原市", "小店区", "0351", ("长风大街", "体育路", "平阳路")),
    ("河北省", "石家庄市", "长安区", "0311", ("中山东路", "建设北大街", "胜利北大街")),
    ("甘肃省", "兰州市", "城关区", "0931", ("庆阳路", "东岗西路", "天水南路")),
    ("海南省", "海口市", "龙华区", "0898", ("国贸大道", "滨海大道", "金龙路")),
    ("内蒙古自治区", "呼和浩特市", "新城区", "0471", ("新华大街", "兴安北路", "海拉尔东路")),
    ("新疆维吾尔自治区", "乌鲁木齐市", "天山区", "0991", ("解放南路", "新华北路", "光明路")),
    ("福建省", "福州市", "鼓楼区", "0591", ("五四路", "杨桥中路", "东街")),
    ("江苏省", "无锡市", "梁溪区", "0510", ("解放西路", "学前街", "人民中路")),
    ("浙江省", "温州市", "鹿城区", "0577", ("车站大道", "人民东路", "府前街")),
    ("广东省", "佛山市", "禅城区", "0757", ("季华五路", "汾江中路", "岭南大道北")),
    ("山东省", "烟台市", "芝罘区", "0535", ("南大街", "北马路", "胜利路")),
    ("河南省", "洛阳市", "西工区", "0379", ("中州中路", "九都西路", "道南路")),
    ("湖北省", "宜昌市", "西陵区", "0717", ("东山大道", "夷陵大道", "沿江大道")),
    ("四川省", "绵阳市", "涪城区", "0816", ("临园路", "剑南路", "长虹大道")),
    ("云南省", "曲靖市", "麒麟区", "0874", ("麒麟南路", "寥廓南路", "南宁北路")),
    ("江苏省", "常州市", "天宁区", "0519", ("延陵西路", "和平北路", "青洋北路")),
    ("重庆市", "重庆市", "江北区", "023", ("建新北路", "洋河路", "北城天街")),
    ("北京市", "北京市", "丰台区", "010", ("丰台北路", "南四环西路", "科学城路")),
)
MUNICIPALITIES = {"北京市", "重庆市"}
ESTATES = ("金色", "翠湖", "银泰", "新天地", "凤凰", "蓝湾", "名都", "学府", "江南", "龙湖", "星河", "水岸")
PREMISES = (
    "{e}小区{a}号楼{b}层{n}", "{e}写字楼{f}F-{n}", "{k}弄{a}号{n}室", "{e}商务楼{f}楼{n}",
    "{e}公寓{L}座{n}", "{e}家园{a}幢{n}", "工业园{a}号厂房", "{e}苑{a}-{b}-{n}",
)

COMPANY_WORDS = (
    "鼎盛", "宏图", "瑞祥", "和信", "凯旋", "恒信达", "晟达", "祥瑞", "普惠", "启航", "泰和", "金石",
    "安泰", "兴隆", "荣昌", "康源", "天润", "明宇", "华启", "丰泽",
)
TRADES = (
    "建材", "汽车配件", "家居", "农业开发", "包装材料", "化工", "服装", "餐饮管理", "物业管理",
    "网络科技", "供应链管理", "生物科技", "装饰工程", "印务", "酒店管理",
)
COMPANY_FORMS = ("有限公司", "有限公司", "有限责任公司", "股份有限公司", "商行", "经营部")

# bank -> (3-digit interbank code prefix, account lengths it issues)
BANKS = {
    "华夏银行": ("304", (16, 20)), "广发银行": ("306", (19, 15)), "浙商银行": ("316", (19,)),
    "渤海银行": ("318", (16, 20)), "恒丰银行": ("315", (19, 22)), "中国邮政储蓄银行": ("403", (19, 21)),
    "北京银行": ("313", (20, 13)), "宁波银行": ("313", (15, 17)), "江苏银行": ("313", (18,)),
    "徽商银行": ("319", (16, 19)),
}
BRANCH_SHAPES = ("{bank}{city}{district}支行", "{bank}{city}分行营业部", "{bank}股份有限公司{city}{street}支行",
                 "{bank}{city}{street}支行")

MOBILE_HEADS = (135, 136, 137, 138, 139, 147, 166, 173, 175, 176, 177, 178, 191, 195, 198, 199)

GOODS = ("茶叶", "五金配件", "床上用品", "宠物用品", "母婴用品", "手机壳", "鞋子", "玩具", "土特产",
         "水果", "样衣", "合同资料")
PURPOSES = ("劳务费", "预付款", "保证金", "差旅费", "技术服务费", "租金", "维修费", "采购款", "培训费", "货款")


@dataclass(frozen=True)
class Place:
    """A postal address; ``text`` is the address as printed (no whitespace)."""

    city: str
    district: str
    street: str
    area_code: str
    text: str


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def place(rng: random.Random) -> Place:
    """A real province/city/district with a street, a number and premises."""
    province, city, district, area, streets = rng.choice(PLACES)
    premises = rng.choice(PREMISES).format(
        e=rng.choice(ESTATES), a=rng.randint(1, 28), b=rng.randint(1, 9), f=rng.randint(3, 40),
        k=rng.randint(10, 900), n=rng.randint(1, 30) * 100 + rng.randint(1, 9), L=rng.choice("ABCD"))
    street = rng.choice(streets)
    head = city if city in MUNICIPALITIES else rng.choice((province + city, city, province + city))
    return Place(city, district, street, area, f"{head}{district}{street}{rng.randint(2, 688)}号{premises}")


def mobile(rng: random.Random) -> str:
    """An 11-digit mobile number phonenumbers deems valid."""
    while True:
        number = f"{rng.choice(MOBILE_HEADS)}{rng.randrange(10**8):08d}"
        if phonenumbers.is_valid_number(phonenumbers.parse(number, "CN")):
            return number


def landline(rng: random.Random, area_code: str) -> tuple[str, str]:
    """``(area code, local number)`` of a landline phonenumbers deems valid (8 digits, or 7)."""
    attempt = 0
    while True:
        local = digits(rng, 8 - attempt % 2, "2345678")
        if phonenumbers.is_valid_number(phonenumbers.parse(area_code + local, "CN")):
            return area_code, local
        attempt += 1


def e164(digits: str) -> str:
    """E.164 form of a mainland number written as digits (trunk 0 included for landlines)."""
    return phonenumbers.format_number(phonenumbers.parse(digits, "CN"), phonenumbers.PhoneNumberFormat.E164)


def company(rng: random.Random, city: str) -> str:
    return city.removesuffix("市") + rng.choice(COMPANY_WORDS) + rng.choice(TRADES) + rng.choice(COMPANY_FORMS)


def branch(rng: random.Random, where: Place) -> tuple[str, str]:
    """``(bank, branch as printed)``."""
    bank = rng.choice(sorted(BANKS))
    name = rng.choice(BRANCH_SHAPES).format(bank=bank, city=where.city.removesuffix("市"),
                                            district=where.district, street=where.street)
    return bank, name


def luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def account(rng: random.Random, bank: str) -> str:
    """A corporate account number of a length ``bank`` uses; card-like ones pass Luhn."""
    length = rng.choice(BANKS[bank][1])
    body = rng.choice("123456789") + "".join(str(rng.randrange(10)) for _ in range(length - 2))
    card_like = length in (16, 19) and body.startswith(("62", "4", "5"))
    return body + (luhn_digit(body) if card_like else str(rng.randrange(10)))


def money(rng: random.Random, low: float, high: float) -> Decimal:
    """A log-uniform amount in [low, high]; a quarter are whole thousands or hundreds."""
    value = Decimal(str(round(math.exp(rng.uniform(math.log(low), math.log(high))), 2)))
    if rng.random() < 0.25:
        step = Decimal(1000 if value > 20000 else 100)
        value = max(step, (value / step).quantize(Decimal("1")) * step)
    return value.quantize(Decimal("0.01"))


def day(rng: random.Random, start: dt.date = dt.date(2024, 1, 8), days: int = 960) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(days))


def digits(rng: random.Random, n: int, first: str = "123456789") -> str:
    return rng.choice(first) + "".join(str(rng.randrange(10)) for _ in range(n - 1))


def plain(value: Decimal) -> str:
    """A decimal without trailing zeros: 1.50 → 1.5, 2.0 → 2."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
