"""Realistic, varied values for the heldout2 family: people, companies, addresses, phones,
banks, accounts, amounts (with their upper-case words) and dates (with PBOC upper-case forms).

Each function takes a ``random.Random`` and returns printed text; the canonical truth is
derived next to it (``Party``, ``Money``), never parsed back from the print.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

import phonenumbers

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
            "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴"
            "莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅"
            "童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项"
            "连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲"
            "虞敖巩明佘池查麻苑迟邝")
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文",
                     "司徒", "夏侯", "端木", "独孤", "南宫", "西门", "百里", "呼延")
GIVEN = ("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰丹萍鹏华辉玲飞鑫波斌宇浩凯健俊帆帅旭宁龙林欢阳"
         "建国梅琳晨婷雪慧颖倩琪晴璐昊然轩睿博文思雨欣怡子涵梓萱诗语若曦一诺浩宇天佑俊熙泽楠嘉懿瑶佳琦海燕"
         "志强春红秋菊冬梅德胜永福金宝玉珍淑贞晓东振宇宏伟立新卫东向阳")
ZH_DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("", "拾", "佰", "仟")
BIG_UNITS = ("", "万", "亿")


def person_name(rng: random.Random) -> str:
    """2–4 characters: a single or compound surname and one or two given characters."""
    surname = rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.08 else rng.choice(SURNAMES)
    given_len = 1 if len(surname) == 2 and rng.random() < 0.5 else rng.choice((1, 2, 2, 2))
    return surname + "".join(rng.choice(GIVEN) for _ in range(given_len))


# (province as printed in full, short province, city, districts); municipalities have no separate city
REGIONS = (
    ("北京市", "北京", "", ("朝阳区", "海淀区", "丰台区", "东城区", "西城区", "通州区", "昌平区", "大兴区")),
    ("上海市", "上海", "", ("浦东新区", "徐汇区", "闵行区", "静安区", "杨浦区", "宝山区", "松江区", "嘉定区")),
    ("天津市", "天津", "", ("和平区", "南开区", "河西区", "滨海新区", "西青区")),
    ("重庆市", "重庆", "", ("渝中区", "江北区", "九龙坡区", "沙坪坝区", "渝北区", "南岸区")),
    ("广东省", "广东", "广州市", ("天河区", "越秀区", "海珠区", "白云区", "番禺区", "黄埔区")),
    ("广东省", "广东", "深圳市", ("南山区", "福田区", "宝安区", "龙岗区", "龙华区", "罗湖区")),
    ("广东省", "广东", "东莞市", ("东城街道", "南城街道", "长安镇", "虎门镇")),
    ("广东省", "广东", "佛山市", ("禅城区", "南海区", "顺德区")),
    ("浙江省", "浙江", "杭州市", ("西湖区", "上城区", "拱墅区", "滨江区", "余杭区", "萧山区")),
    ("浙江省", "浙江", "宁波市", ("鄞州区", "海曙区", "江北区", "北仑区")),
    ("浙江省", "浙江", "金华市", ("婺城区", "金东区", "义乌市", "永康市")),
    ("江苏省", "江苏", "南京市", ("鼓楼区", "玄武区", "秦淮区", "建邺区", "江宁区")),
    ("江苏省", "江苏", "苏州市", ("姑苏区", "吴中区", "相城区", "工业园区", "昆山市")),
    ("江苏省", "江苏", "无锡市", ("梁溪区", "滨湖区", "新吴区", "江阴市")),
    ("山东省", "山东", "济南市", ("历下区", "市中区", "槐荫区", "历城区")),
    ("山东省", "山东", "青岛市", ("市南区", "市北区", "崂山区", "黄岛区", "城阳区")),
    ("四川省", "四川", "成都市", ("锦江区", "青羊区", "武侯区", "成华区", "高新区", "双流区")),
    ("湖北省", "湖北", "武汉市", ("江汉区", "武昌区", "洪山区", "江岸区", "东西湖区")),
    ("湖南省", "湖南", "长沙市", ("岳麓区", "芙蓉区", "天心区", "开福区", "雨花区")),
    ("河南省", "河南", "郑州市", ("金水区", "二七区", "中原区", "管城回族区")),
    ("河北省", "河北", "石家庄市", ("长安区", "桥西区", "新华区", "裕华区")),
    ("福建省", "福建", "厦门市", ("思明区", "湖里区", "集美区", "海沧区")),
    ("福建省", "福建", "福州市", ("鼓楼区", "台江区", "仓山区", "晋安区")),
    ("陕西省", "陕西", "西安市", ("雁塔区", "碑林区", "莲湖区", "未央区", "长安区")),
    ("安徽省", "安徽", "合肥市", ("蜀山区", "包河区", "庐阳区", "瑶海区")),
    ("辽宁省", "辽宁", "沈阳市", ("和平区", "沈河区", "皇姑区", "铁西区")),
    ("辽宁省", "辽宁", "大连市", ("中山区", "西岗区", "沙河口区", "甘井子区")),
    ("云南省", "云南", "昆明市", ("五华区", "盘龙区", "官渡区", "西山区")),
    ("广西壮族自治区", "广西", "南宁市", ("青秀区", "兴宁区", "西乡塘区")),
    ("江西省", "江西", "南昌市", ("东湖区", "西湖区", "青山湖区", "红谷滩区")),
    ("黑龙江省", "黑龙江", "哈尔滨市", ("道里区", "南岗区", "香坊区")),
    ("贵州省", "贵州", "贵阳市", ("南明区", "云岩区", "观山湖区")),
    ("山西省", "山西", "太原市", ("小店区", "迎泽区", "杏花岭区")),
    ("新疆维吾尔自治区", "新疆", "乌鲁木齐市", ("天山区", "沙依巴克区", "新市区")),
)
ROAD_WORDS = ("人民", "解放", "中山", "建设", "文化", "和平", "青年", "长江", "黄河", "新华", "胜利", "光明", "科技",
              "学府", "滨江", "东湖", "花园", "工业", "振兴", "友谊", "幸福", "南京", "北京", "迎宾", "金桥", "创业",
              "世纪", "望江", "朝阳", "凤凰", "银杏", "桂花", "玉兰", "西环", "东环", "云栖", "丹桂", "锦绣")
ROAD_KINDS = ("路", "路", "大道", "街", "大街", "东路", "西路", "南路", "北路", "中路", "巷")
ESTATES = ("花园", "小区", "公寓", "家园", "新村", "名苑", "华庭", "广场", "大厦", "中心", "苑", "城")
ESTATE_WORDS = ("阳光", "金色", "绿地", "万科", "碧桂", "锦江", "翠湖", "春江", "中海", "和谐", "东方", "保利",
                "融创", "恒大", "龙湖", "世贸", "天誉", "紫荆", "海棠", "水岸")


@dataclass(frozen=True)
class Place:
    province: str
    province_short: str
    city: str
    district: str


def place(rng: random.Random) -> Place:
    province, short, city, districts = rng.choice(REGIONS)
    return Place(province, short, city, rng.choice(districts))


def address(rng: random.Random, where: Place | None = None) -> str:
    """A full postal address as printed, province (full, short or left out) down to the number."""
    where = where or place(rng)
    head_style = rng.random()
    municipality = not where.city
    if municipality:
        head = where.province + where.district
    elif head_style < 0.55:
        head = where.province + where.city + where.district
    elif head_style < 0.8:
        head = where.province_short + where.city + where.district
    else:
        head = where.city + where.district
    street = rng.choice(ROAD_WORDS) + rng.choice(ROAD_KINDS) + f"{rng.randint(1, 999)}号"
    tail_style = rng.random()
    if tail_style < 0.35:
        tail = (rng.choice(ESTATE_WORDS) + rng.choice(ESTATES)
                + f"{rng.randint(1, 32)}{rng.choice(('栋', '幢', '号楼'))}{rng.randint(1, 6)}单元{rng.randint(1, 33)}{rng.randint(1, 4):02d}室")
    elif tail_style < 0.6:
        tail = (rng.choice(ESTATE_WORDS) + rng.choice(("大厦", "中心", "广场", "科技园"))
                + f"{rng.choice('ABCD')}座{rng.randint(2, 40)}{rng.randint(1, 20):02d}")
    elif tail_style < 0.75:
        tail = f"{rng.randint(1, 12)}号楼{rng.randint(1, 6)}层"
    elif tail_style < 0.85:
        tail = rng.choice(("菜鸟驿站", "丰巢快递柜", "门卫室", "前台", "物业中心"))
    else:
        tail = ""
    return head + street + tail


INDUSTRIES = ("科技", "贸易", "商贸", "物流", "建材", "电子", "食品", "医疗器械", "机械设备", "文化传媒", "餐饮管理",
              "建筑工程", "供应链管理", "信息技术", "新能源", "环保科技", "服饰", "家居", "汽车配件", "化工",
              "包装材料", "网络科技", "农业发展", "印务", "装饰工程", "电气")
TRADE_NAMES = ("鑫源", "华瑞", "恒通", "博远", "嘉禾", "盛达", "宏图", "金诚", "天成", "正泰", "瑞丰", "永兴", "汇丰源",
               "中联", "海纳", "明辉", "创新", "锦程", "百川", "德润", "佳美", "众邦", "远航", "启明", "卓越", "联创",
               "荣昌", "信达", "广源", "新锐", "宇辰", "森邦", "悦来", "聚能", "东升", "润泽", "万家乐", "星河")
COMPANY_FORMS = ("有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司", "集团有限公司")


def company(rng: random.Random, where: Place | None = None) -> str:
    where = where or place(rng)
    seat = (where.city or where.province).removesuffix("市") if rng.random() < 0.75 else where.province_short
    style = rng.random()
    if style < 0.08:
        return f"{where.city or where.province}{where.district}{rng.choice(TRADE_NAMES)}{rng.choice(('商行', '经营部', '门市部'))}"
    if style < 0.25:
        return f"{rng.choice(TRADE_NAMES)}（{seat}）{rng.choice(INDUSTRIES)}{rng.choice(COMPANY_FORMS)}"
    return f"{seat}{rng.choice(TRADE_NAMES)}{rng.choice(INDUSTRIES)}{rng.choice(COMPANY_FORMS)}"


MOBILE_PREFIXES = ("130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "153",
                   "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180", "181", "182",
                   "183", "184", "185", "186", "187", "188", "189", "191", "198", "199")
AREA_CODES = ("010", "021", "020", "022", "023", "024", "025", "027", "028", "029", "0571", "0574", "0512", "0755",
              "0532", "0731", "0591", "0592", "0871", "0531", "0551", "0311", "0371", "0769", "0757", "0579")


@dataclass(frozen=True)
class Phone:
    printed: str
    e164: str


def mobile(rng: random.Random) -> Phone:
    while True:
        digits = rng.choice(MOBILE_PREFIXES) + "".join(str(rng.randint(0, 9)) for _ in range(8))
        number = phonenumbers.parse(digits, "CN")
        if phonenumbers.is_valid_number(number):
            style = rng.random()
            printed = digits if style < 0.8 else (f"{digits[:3]}-{digits[3:7]}-{digits[7:]}" if style < 0.9
                                                   else f"{digits[:3]} {digits[3:7]} {digits[7:]}")
            return Phone(printed, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def landline(rng: random.Random) -> Phone:
    while True:
        area = rng.choice(AREA_CODES)
        local = str(rng.randint(2, 8)) + "".join(str(rng.randint(0, 9)) for _ in range(7))
        number = phonenumbers.parse(area + local, "CN")
        if phonenumbers.is_valid_number(number):
            printed = f"{area}-{local}" if rng.random() < 0.75 else f"({area}){local}"
            return Phone(printed, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def phone(rng: random.Random, landline_share: float = 0.1) -> Phone:
    return landline(rng) if rng.random() < landline_share else mobile(rng)


BANKS = (("中国工商银行", "工商银行", 19), ("中国农业银行", "农业银行", 19), ("中国银行", "中国银行", 12),
         ("中国建设银行", "建设银行", 20), ("交通银行", "交通银行", 21), ("招商银行", "招商银行", 15),
         ("中信银行", "中信银行", 19), ("上海浦东发展银行", "浦发银行", 17), ("兴业银行", "兴业银行", 18),
         ("中国民生银行", "民生银行", 9), ("中国光大银行", "光大银行", 16), ("平安银行", "平安银行", 14),
         ("华夏银行", "华夏银行", 14), ("宁波银行", "宁波银行", 15), ("杭州银行", "杭州银行", 16),
         ("中国邮政储蓄银行", "邮储银行", 19), ("北京银行", "北京银行", 20), ("江苏银行", "江苏银行", 17))


@dataclass(frozen=True)
class Bank:
    name: str  # 中国工商银行
    short: str  # 工商银行
    account_length: int


def bank(rng: random.Random) -> Bank:
    return Bank(*rng.choice(BANKS))


def branch(rng: random.Random, which: Bank, where: Place | None = None) -> str:
    """A branch as printed on bills: full legal style or the everyday short form."""
    where = where or place(rng)
    city = (where.city or where.province).removesuffix("市")
    district = where.district.removesuffix("区").removesuffix("新") if len(where.district) > 2 else where.district
    unit = rng.choice(("支行", "支行", "支行", "分理处", "营业部"))
    style = rng.random()
    if unit == "营业部":
        return f"{which.name}{city}分行营业部"
    if style < 0.4:
        return f"{which.name}股份有限公司{city}{district}{unit}" if which.name not in ("中国银行",) else f"{which.name}{city}{district}{unit}"
    if style < 0.8:
        return f"{which.name}{city}{district}{unit}"
    return f"{which.short.removesuffix('银行')}行{city}{district}{unit}"


def account(rng: random.Random, which: Bank) -> str:
    length = which.account_length + rng.choice((0, 0, 0, 1, -1))
    return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(max(8, length) - 1))


def grouped(digits: str, size: int = 4) -> str:
    return " ".join(digits[i:i + size] for i in range(0, len(digits), size))


def amount(rng: random.Random, low: int = 200, high: int = 2_000_000) -> Decimal:
    """Mostly round business sums, some with odd yuan and cents."""
    style = rng.random()
    if style < 0.45:
        value = Decimal(rng.randint(low // 100 + 1, high // 100) * 100)
    elif style < 0.75:
        value = Decimal(rng.randint(low, high))
    else:
        value = Decimal(rng.randint(low * 100, high * 100)) / 100
    return value.quantize(Decimal("0.01"))


def amount_words(value: Decimal) -> str:
    """The upper-case 大写 form of a yuan amount by the usual rules (零 for gaps, 整 without fen)."""
    cents = int((value * 100).to_integral_value())
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    text = _integer_words(yuan) + "元" if yuan else ""
    if jiao == 0 and fen == 0:
        return text + "整"
    if jiao:
        text += ZH_DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen:
        text += ZH_DIGITS[fen] + "分"
    else:
        text += "整"
    return text


def _integer_words(number: int) -> str:
    groups = []
    while number:
        groups.append(number % 10000)
        number //= 10000
    text, pending_zero = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            pending_zero = bool(text)
            continue
        if text and (pending_zero or group < 1000):
            text += "零"
        text += _group_words(group) + BIG_UNITS[index]
        pending_zero = False
    return text


def _group_words(group: int) -> str:
    digits = [group // 1000, group // 100 % 10, group // 10 % 10, group % 10]
    text, zero = "", False
    for position, digit in enumerate(digits):
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += ZH_DIGITS[digit] + SMALL_UNITS[3 - position]
    return text


def money_digits(value: Decimal, thousands: bool = True) -> str:
    return f"{value:,.2f}" if thousands else f"{value:.2f}"


def date_between(rng: random.Random, start: dt.date = dt.date(2023, 1, 1), end: dt.date = dt.date(2025, 12, 31)) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def upper_year(year: int) -> str:
    return "".join(ZH_DIGITS[int(d)] for d in str(year))


def upper_month(month: int) -> str:
    """PBOC: 壹, 贰 and 壹拾 take a leading 零; 11 and 12 are 壹拾壹, 壹拾贰."""
    if month < 10:
        return ("零" if month <= 2 else "") + ZH_DIGITS[month]
    return {10: "零壹拾", 11: "壹拾壹", 12: "壹拾贰"}[month]


def upper_day(day: int) -> str:
    """PBOC: 1–9 and 10, 20, 30 take a leading 零; 11–19 take 壹."""
    if day < 10:
        return "零" + ZH_DIGITS[day]
    tens, ones = divmod(day, 10)
    text = ZH_DIGITS[tens] + "拾" + (ZH_DIGITS[ones] if ones else "")
    return "零" + text if ones == 0 else text


def upper_date(day: dt.date) -> tuple[str, str, str]:
    return upper_year(day.year), upper_month(day.month), upper_day(day.day)
