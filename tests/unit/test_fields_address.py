"""Addresses: label stripping and the cpca split."""

import pytest

from extractors.fields import join_address_lines, parse_address


@pytest.mark.parametrize(("text", "value", "parts"), [
    ("收件地址：广东省深圳市南山区科技园南区 高新南七道 88号", "广东省深圳市南山区科技园南区高新南七道88号",
     ("广东省", "深圳市", "南山区", "科技园南区高新南七道88号")),
    ("地址 北京市海淀区中关村大街1号", "北京市海淀区中关村大街1号",
     ("北京市", "北京市", "海淀区", "中关村大街1号")),
    ("深圳南山区粤海街道", "深圳南山区粤海街道", ("广东省", "深圳市", "南山区", "粤海街道")),
    ("湖北省仙桃市沙嘴街道", "湖北省仙桃市沙嘴街道", ("湖北省", None, "仙桃市", "沙嘴街道")),
])
def test_chinese_addresses(text, value, parts):
    parsed = parse_address(text)
    assert parsed.value == value
    assert parsed.normalized == dict(zip(("province", "city", "district", "detail"), parts))
    assert parsed.quality == 1.0


def test_span_starts_after_label():
    text = "收件地址：广东省深圳市南山区科技园"
    parsed = parse_address(text)
    assert text[parsed.start:parsed.end] == "广东省深圳市南山区科技园"


def test_partial_split_lowers_quality():
    partial = parse_address("广州天河体育西路")
    assert partial.normalized["city"] == "广州市"
    assert 0.5 < partial.quality < 1.0
    unknown = parse_address("中关村大街1号")
    assert unknown.normalized == {"province": None, "city": None, "district": None,
                                  "detail": "中关村大街1号"}
    assert unknown.quality < partial.quality


def test_latin_address_keeps_spaces():
    parsed = parse_address("Address:  12, Jalan Ampang,  50450 Kuala Lumpur")
    assert parsed.value == "12, Jalan Ampang, 50450 Kuala Lumpur"
    assert parsed.normalized == {"province": None, "city": None, "district": None,
                                 "detail": "12, Jalan Ampang, 50450 Kuala Lumpur"}


@pytest.mark.parametrize("text", ["", "   ", "地址：", "Address:", "：，"])
def test_no_address(text):
    assert parse_address(text) is None


def test_join_address_lines():
    assert join_address_lines(["广东省深圳市", " 南山区科技园 ", "", "88号"]) == (
        "广东省深圳市南山区科技园88号")
    assert join_address_lines(["12 Jalan Ampang", "50450 Kuala Lumpur"]) == (
        "12 Jalan Ampang 50450 Kuala Lumpur")
    assert join_address_lines([]) == ""


@pytest.mark.parametrize(("text", "address"), [
    ("骆凯燕15073048736湖北省武汉市武昌区锦绣路780号龙湖中心A座208", "湖北省武汉市武昌区锦绣路780号龙湖中心A座208"),
    ("葛博 155-3696-1232 天津市和平区和平南路908号菜鸟驿站", "天津市和平区和平南路908号菜鸟驿站"),
    ("无锡市滨湖区友谊西路439号2024-04-07", "无锡市滨湖区友谊西路439号"),
    ("武汉市江汉区北京中路83号 010-88886666 山西省太原市小店区丹桂大道600号", "武汉市江汉区北京中路83号"),
    ("江西省南昌市东湖区玉兰大道40号和谐科技园B座2512席英昊", "江西省南昌市东湖区玉兰大道40号和谐科技园B座2512"),
    ("「四川省成都市青羊区桂花路214号8号楼5层", "四川省成都市青羊区桂花路214号8号楼5层"),
    ("广东省佛山市南海区黄河路812号龙湖广场A座3009请您确认包裹完好后再签收", "广东省佛山市南海区黄河路812号龙湖广场A座3009"),
    ("山东省青岛市黄岛区文化中路538号保利大厦D座1003景若永哈尔滨市", "山东省青岛市黄岛区文化中路538号保利大厦D座1003"),
    ("北京市海淀区东环巷550号紫荆大厦B座2004如有疑问请致电客服热线", "北京市海淀区东环巷550号紫荆大厦B座2004"),
    ("佛山市南海区光明大道176号共1件", "佛山市南海区光明大道176号"),
    ("福州市晋安区西环西路629号11号楼2层月结", "福州市晋安区西环西路629号11号楼2层"),
    ("收:肖俊萍19131265147哈尔滨市香坊区建设中路665号中海广场13栋6单元2204室", "哈尔滨市香坊区建设中路665号中海广场13栋6单元2204室"),
])
def test_a_phone_a_date_or_a_name_read_into_an_address_is_not_part_of_it(text, address):
    parsed = parse_address(text)
    assert parsed.value == address and text[parsed.start:parsed.end].replace(" ", "") == address


@pytest.mark.parametrize("text", ["上海市浦东新区世纪大道100号王府井", "广东省广州市天河区体育西路100号张江",
                                  "北京市朝阳区建国路88号", "广东佛山市南海区玉兰巷186号金色花园28栋5单元2002室",
                                  "上海市浦东新区张江路88号王府井大厦"])
def test_a_place_name_after_the_house_number_stays(text):
    assert parse_address(text).value == text


@pytest.mark.parametrize(("text", "address"), [
    ("郎梦琪+865352982076山东省烟台市芝罘区北马路471号", "山东省烟台市芝罘区北马路471号"),
    ("史晓丽(023)41331479重庆市江北区建新北路635号蓝湾公寓D座1908", "重庆市江北区建新北路635号蓝湾公寓D座1908"),
])
def test_a_landline_in_any_form_is_not_part_of_an_address(text, address):
    assert parse_address(text).value == address
