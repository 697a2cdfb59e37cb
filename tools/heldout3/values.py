"""Realistic values for the third held-out family: people, companies, addresses, phones,
banks, accounts, amounts and the PBOC ways of writing amounts and dates in words."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "皇甫", "令狐", "东方", "公孙", "尉迟", "长孙", "慕容",
                     "端木", "夏侯", "宇文", "澹台", "闻人", "南宫", "呼延")
RARE_SURNAMES = ("亓", "禚", "眭", "厍", "佘", "郗", "逄", "靳", "訾", "鞠", "蒯", "濮", "逯", "仉", "麴", "隗",
                 "笪", "缑", "昝", "芮", "祁", "甄", "栾", "阚", "邝", "冼", "晏", "岑")
COMMON_SURNAMES = ("王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
                   "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
                   "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁")
GIVEN_CHARS = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超",
               "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "萍", "红", "娟", "建", "文", "辉", "鹏", "宇",
               "浩", "晨", "昊", "睿", "梓", "涵", "萱", "欣", "怡", "嘉", "俊", "泽", "思", "雨", "婷", "琳",
               "瑶", "卓", "骁", "珂", "筱", "翊", "晗", "钰", "彧", "琛", "湛", "岚", "蕙", "铮", "渊", "祎")

# province, city, area code of the city, districts
REGIONS = (
    ("北京市", "", "010", ("朝阳区", "海淀区", "丰台区", "西城区", "通州区", "昌平区")),
    ("上海市", "", "021", ("浦东新区", "闵行区", "徐汇区", "静安区", "嘉定区", "宝山区")),
    ("天津市", "", "022", ("南开区", "河西区", "滨海新区", "西青区")),
    ("重庆市", "", "023", ("渝北区", "九龙坡区", "江北区", "沙坪坝区")),
    ("广东省", "广州市", "020", ("天河区", "越秀区", "白云区", "番禺区", "黄埔区")),
    ("广东省", "深圳市", "0755", ("南山区", "福田区", "宝安区", "龙岗区", "龙华区")),
    ("广东省", "东莞市", "0769", ("南城街道", "松山湖", "长安镇", "虎门镇")),
    ("浙江省", "杭州市", "0571", ("西湖区", "余杭区", "滨江区", "拱墅区", "萧山区")),
    ("浙江省", "宁波市", "0574", ("鄞州区", "海曙区", "北仑区", "镇海区")),
    ("浙江省", "金华市", "0579", ("义乌市", "婺城区", "东阳市", "永康市")),
    ("江苏省", "南京市", "025", ("鼓楼区", "秦淮区", "江宁区", "建邺区", "栖霞区")),
    ("江苏省", "苏州市", "0512", ("姑苏区", "吴中区", "相城区", "昆山市", "常熟市")),
    ("江苏省", "无锡市", "0510", ("梁溪区", "滨湖区", "新吴区", "江阴市")),
    ("湖北省", "武汉市", "027", ("武昌区", "洪山区", "江汉区", "汉阳区", "东西湖区")),
    ("四川省", "成都市", "028", ("锦江区", "武侯区", "青羊区", "成华区", "双流区")),
    ("陕西省", "西安市", "029", ("雁塔区", "碑林区", "未央区", "长安区")),
    ("山东省", "青岛市", "0532", ("市南区", "市北区", "崂山区", "黄岛区", "城阳区")),
    ("山东省", "济南市", "0531", ("历下区", "市中区", "槐荫区", "天桥区")),
    ("湖南省", "长沙市", "0731", ("岳麓区", "芙蓉区", "天心区", "开福区", "雨花区")),
    ("福建省", "厦门市", "0592", ("思明区", "湖里区", "集美区", "海沧区")),
    ("福建省", "福州市", "0591", ("鼓楼区", "台江区", "仓山区", "晋安区")),
    ("河南省", "郑州市", "0371", ("金水区", "二七区", "中原区", "管城回族区")),
    ("云南省", "昆明市", "0871", ("五华区", "盘龙区", "官渡区", "西山区")),
    ("黑龙江省", "哈尔滨市", "0451", ("南岗区", "道里区", "香坊区", "松北区")),
    ("辽宁省", "沈阳市", "024", ("和平区", "沈河区", "皇姑区", "浑南区")),
    ("安徽省", "合肥市", "0551", ("蜀山区", "包河区", "庐阳区", "瑶海区")),
    ("广西壮族自治区", "南宁市", "0771", ("青秀区", "兴宁区", "西乡塘区", "良庆区")),
    ("内蒙古自治区", "呼和浩特市", "0471", ("新城区", "回民区", "赛罕区")),
    ("新疆维吾尔自治区", "乌鲁木齐市", "0991", ("天山区", "沙依巴克区", "新市区")),
    ("河北省", "石家庄市", "0311", ("长安区", "桥西区", "裕华区", "新华区")),
    ("江西省", "南昌市", "0791", ("东湖区", "西湖区", "青山湖区", "红谷滩区")),
    ("贵州省", "贵阳市", "0851", ("南明区", "云岩区", "观山湖区")),
)
SEVEN_DIGIT_AREAS = frozenset({"0471", "0592", "0771", "0991"})  # local numbers of 7 digits
STREET_ROOTS = ("建设", "人民", "解放", "中山", "和平", "新华", "文化", "长江", "黄河", "光明", "幸福", "迎宾",
                "科技", "创业", "学府", "滨河", "青年", "胜利", "朝阳", "东风", "锦绣", "金桥", "望江", "湖滨")
STREET_KINDS = ("路", "大道", "街", "东路", "西路", "南路", "北路", "中路", "大街", "巷")
ESTATES = ("阳光花园", "翠湖苑", "金色家园", "锦绣华庭", "碧桂园", "万科城", "绿地中心", "保利花园", "星河湾",
           "恒大名都", "龙湖天街", "世纪新城", "中海国际", "华润置地广场", "融创壹号院", "时代广场")
MOBILE_PREFIXES = ("130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "145", "147", "150",
                   "151", "152", "153", "155", "156", "157", "158", "159", "166", "173", "175", "176", "177",
                   "178", "180", "181", "182", "183", "184", "185", "186", "187", "188", "189", "191", "193",
                   "195", "198", "199")
TRADE_NAMES = ("恒瑞", "鼎盛", "华创", "博远", "嘉禾", "瑞丰", "宏泰", "金桥", "中科", "汇通", "天成", "睿思",
               "永信", "诚达", "海纳", "卓越", "明德", "万象", "联创", "启航", "泓源", "星辰", "臻品", "亿联")
INDUSTRIES = ("精密机械", "电子科技", "贸易", "食品", "建筑工程", "信息技术", "服装", "物流", "医疗器械",
              "新材料", "环保科技", "文化传媒", "餐饮管理", "供应链管理", "农业开发", "汽车配件", "印务", "家具制造")
COMPANY_SUFFIXES = ("有限公司", "有限责任公司", "股份有限公司", "实业有限公司")
BANKS = (  # short name, full name
    ("工商银行", "中国工商银行"), ("农业银行", "中国农业银行"), ("中国银行", "中国银行"), ("建设银行", "中国建设银行"),
    ("交通银行", "交通银行"), ("招商银行", "招商银行"), ("浦发银行", "上海浦东发展银行"), ("中信银行", "中信银行"),
    ("兴业银行", "兴业银行"), ("民生银行", "中国民生银行"), ("光大银行", "中国光大银行"), ("平安银行", "平安银行"),
    ("邮储银行", "中国邮政储蓄银行"), ("华夏银行", "华夏银行"), ("宁波银行", "宁波银行"), ("杭州银行", "杭州银行"),
)
PURPOSES = ("货款", "服务费", "材料款", "工程款", "往来款", "租金", "设备款", "运输费", "咨询费", "加工费",
            "预付货款", "劳务费", "广告费", "维修费", "技术服务费")
GOODS = ("文件", "服装", "电子产品", "日用品", "食品", "书籍", "配件", "样品", "化妆品", "鞋子", "茶叶", "玩具",
         "合同资料", "手机配件", "药品", "工艺品")

DIGITS_UPPER = "零壹贰叁肆伍陆柒捌玖"


def person(rng: random.Random) -> str:
    """A Chinese personal name; about a fifth with a compound or rare surname."""
    roll = rng.random()
    surname = (rng.choice(COMPOUND_SURNAMES) if roll < 0.1 else rng.choice(RARE_SURNAMES) if roll < 0.25
               else rng.choice(COMMON_SURNAMES))
    return surname + "".join(rng.choice(GIVEN_CHARS) for _ in range(rng.choice((1, 2, 2))))


def region(rng: random.Random) -> tuple[str, str, str, str]:
    """(province, city, area code, district); city is "" for the four municipalities."""
    province, city, code, districts = rng.choice(REGIONS)
    return province, city, code, rng.choice(districts)


def address(rng: random.Random, place: tuple[str, str, str, str] | None = None) -> str:
    """A full street address: province, city, district, street, number and often building/room."""
    province, city, _, district = place or region(rng)
    street = rng.choice(STREET_ROOTS) + rng.choice(STREET_KINDS) + f"{rng.randint(1, 999)}号"
    tail = rng.choice((
        "", f"{rng.choice(ESTATES)}{rng.randint(1, 30)}栋{rng.randint(1, 3)}单元{rng.randint(1, 33)}{rng.randint(1, 9):02d}室",
        f"{rng.choice(ESTATES)}{rng.randint(1, 12)}幢{rng.randint(101, 2808)}",
        f"{rng.choice(TRADE_NAMES)}大厦{rng.randint(2, 40)}楼{rng.randint(1, 20):02d}室",
        f"{rng.choice(TRADE_NAMES)}产业园{rng.choice('ABCDEF')}座{rng.randint(101, 1208)}"))
    return province + city + district + street + tail


def company(rng: random.Random, city: str | None = None) -> str:
    """A company name: place, trade name, industry and legal form."""
    place = (city or region(rng)[1] or region(rng)[0]).removesuffix("市").removesuffix("省")
    return place + rng.choice(TRADE_NAMES) + rng.choice(INDUSTRIES) + rng.choice(COMPANY_SUFFIXES)


def mobile(rng: random.Random) -> str:
    """An 11-digit mainland mobile number with an allocated prefix."""
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 99999999):08d}"


def landline(rng: random.Random, area: str) -> str:
    """A landline as printed, "0571-88234567" (7 digits in the cities that still dial 7)."""
    length = 7 if area in SEVEN_DIGIT_AREAS else 8
    return f"{area}-{rng.randint(2, 7)}{rng.randint(0, 10 ** (length - 1) - 1):0{length - 1}d}"


def e164(printed: str) -> str:
    """The canonical form of a printed mainland number: "+86" and the digits without the trunk 0."""
    return "+86" + "".join(ch for ch in printed if ch.isdigit()).lstrip("0")


def account(rng: random.Random) -> str:
    """A corporate account number of 12 to 19 digits."""
    return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(rng.choice((11, 15, 16, 17, 18))))


def branch(rng: random.Random, bank: str, city: str) -> str:
    """A branch name: bank, city and a sub-branch, e.g. 中国建设银行杭州西湖支行."""
    place = city.removesuffix("市")
    return bank + place + rng.choice(("", "分行")) + rng.choice(STREET_ROOTS + TRADE_NAMES[:8]) + "支行"


def amount(rng: random.Random, low: float = 100, high: float = 2_000_000) -> Decimal:
    """A positive amount with cents, log-uniform in [low, high); a third are round numbers."""
    value = Decimal(str(round(low * (high / low) ** rng.random(), 2))).quantize(Decimal("0.01"))
    if rng.random() < 0.33:
        value = Decimal(int(value) // 100 * 100 or 100).quantize(Decimal("0.01"))
    return value


def amount_words(value: Decimal) -> str:
    """The PBOC upper-case amount: 壹万零伍拾元整, 叁仟肆佰元零伍分, 陆角柒分."""
    cents = int(value * 100)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    text = _integer_words(yuan) + "元" if yuan else ""
    if jiao == 0 and fen == 0:
        return text + "整"
    if jiao:
        text += DIGITS_UPPER[jiao] + "角"
    elif yuan:
        text += "零"
    if fen:
        text += DIGITS_UPPER[fen] + "分"
    else:
        text += "整"
    return text


def _integer_words(number: int) -> str:
    """Upper-case words of a positive integer below 10¹² (亿, 万 sections; one 零 per gap)."""
    sections = []
    while number:
        sections.append(number % 10000)
        number //= 10000
    words, pending_zero = "", False
    for index in range(len(sections) - 1, -1, -1):
        part = sections[index]
        if part == 0:
            pending_zero = bool(words)
            continue
        if words and (pending_zero or part < 1000):
            words += "零"
        words += _section_words(part) + ("", "万", "亿")[index]
        pending_zero = False
    return words


def _section_words(part: int) -> str:
    out, zero = "", False
    for digit, unit in zip(f"{part:04d}", ("仟", "佰", "拾", "")):
        if digit == "0":
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += DIGITS_UPPER[int(digit)] + unit
    return out


def date_words(day: date) -> str:
    """A cheque's date in PBOC capitals: 贰零贰伍年零壹月零捌日, 壹拾壹月, 零贰拾日."""
    year = "".join(DIGITS_UPPER[int(d)] for d in str(day.year))
    month = _small_number_words(day.month)
    month = "零" + month if day.month in (1, 2, 10) else month
    days = _small_number_words(day.day)
    days = "零" + days if day.day < 10 or day.day in (10, 20, 30) else days
    return f"{year}年{month}月{days}日"


def _small_number_words(number: int) -> str:
    tens, ones = divmod(number, 10)
    return (DIGITS_UPPER[tens] + "拾" if tens else "") + (DIGITS_UPPER[ones] if ones else "")


def recent_date(rng: random.Random) -> date:
    """A business day of 2023–2025."""
    return date(2023, 1, 3) + timedelta(days=rng.randint(0, 1090))
