"""The courier waybill template on OCR lines laid out the way real waybills print them."""

from __future__ import annotations

from extractors.extract import extract_document
from extractors.lines import OcrLine, box_polygon
from tests.unit.lines_factory import CHAR, ROW, line, page

STACKED = page(
    "顺丰速运 运单号：SF1234567890123",
    "收件人：张伟 138 1234 5678",
    "地址：广东省深圳市南山区科技园路18号",
    "A栋1203室",
    "寄件人：李娜 13912345678",
    "地址：浙江省杭州市西湖区文三路90号",
    "寄件日期：2024-03-15 重量：1.5kg 运费：¥23.00",
)


def values(extraction) -> dict[str, str]:
    return {name: f.value for name, f in extraction.fields.items()}


def test_stacked_layout_separates_receiver_from_sender():
    result = extract_document(STACKED, threshold=0.0)  # every value found, however unsure
    assert result.doc_type == "courier_waybill"
    got = values(result)
    assert got["tracking_number"] == "SF1234567890123"
    assert got["receiver_name"] == "张伟" and got["receiver_phone"] == "+8613812345678"
    assert got["receiver_address"] == "广东省深圳市南山区科技园路18号A栋1203室"
    assert got["sender_name"] == "李娜" and got["sender_phone"] == "+8613912345678"
    assert got["sender_address"].startswith("浙江省杭州市西湖区")
    assert (got["date"], got["weight"], got["amount"]) == ("2024-03-15", "1.5", "23.00")


def test_values_in_the_cell_right_of_or_below_their_label():
    lines = [
        line("中通快递", 0), line("运单号", 1), line("731234567890", 2),
        line("收件人", 3), line("王芳", 3, col=6), line("电话", 4), line("15912345678", 4, col=6),
        line("收件地址", 5), line("北京市朝阳区建国路88号", 5, col=6),
        line("寄件人", 6), line("赵强", 6, col=6), line("日期", 7), line("2024年3月16日", 7, col=6),
    ]
    got = values(extract_document(lines))
    assert got["tracking_number"] == "731234567890"
    assert (got["receiver_name"], got["receiver_phone"]) == ("王芳", "+8615912345678")
    assert got["receiver_address"] == "北京市朝阳区建国路88号"
    assert got["sender_name"] == "赵强" and got["date"] == "2024-03-16"


def test_fields_carry_provenance():
    field = extract_document(STACKED).fields["receiver_phone"]
    assert field.raw_text == "收件人：张伟 138 1234 5678"
    assert field.page == 1 and 0.9 <= field.confidence <= 1.0
    x0, y0, x1, y1 = field.bbox
    label_end = 50 + 24 * len("收件人：张伟 ") * 0.99
    assert x0 >= label_end - 30 and x1 <= 50 + 24 * len(field.raw_text) + 1 and y1 - y0 == 28


def test_missing_required_fields_and_broken_rules_send_it_to_review():
    lines = page("快递运单 运单号：XX12", "收件人：张伟", "地址：火星基地1号", "寄件人：李娜")
    result = extract_document(lines)
    assert result.status == "needs_review"
    assert "required field receiver_phone not found" in result.reasons
    assert "required field tracking_number not found" in result.reasons


def test_low_ocr_confidence_sends_it_to_review():
    lines = [l if "收件人" not in l.text else l.__class__(l.text, 0.4, l.polygon) for l in STACKED]
    result = extract_document(lines)
    assert result.status == "needs_review"
    assert any(r.startswith("receiver_name: confidence") for r in result.reasons)


def test_unknown_documents_are_not_forced_into_a_type_but_keep_what_they_hold():
    result = extract_document(page("Lorem ipsum dolor", "sit amet 2024-01-01", "联系人 王小明 13812345678",
                                   "地址：北京市海淀区中关村大街1号", "合计 ¥1,234.50"))
    assert result.doc_type == "unknown" and result.status == "needs_review"
    assert result.reasons == ["document type unknown"]
    got = {name: f.value for name, f in result.fields.items()}
    assert got == {"date": "2024-01-01", "phone": "+8613812345678", "name": "王小明",
                   "address": "北京市海淀区中关村大街1号", "amount": "1234.50"}
    assert all(f.how == "layout_free" and f.bbox for f in result.fields.values())


def test_a_requested_type_skips_classification():
    result = extract_document(page("运单号：SF1234567890123"), doc_type="courier_waybill")
    assert result.doc_type == "courier_waybill"
    assert result.fields["tracking_number"].value == "SF1234567890123"


def test_earlier_pages_win_over_later_ones():
    first = page("运单号：SF1234567890123", "收件人：张伟 13812345678", "地址：广东省深圳市南山区科技园路18号")
    second = page("运单号：731234567890", "收件人：王芳 15912345678", "收件地址：北京市朝阳区建国路88号", page_no=2)
    got = values(extract_document(first + second))
    assert got["receiver_address"].startswith("广东省") and got["tracking_number"] == "SF1234567890123"


def test_carrier_and_sorting_code_are_derived_for_the_sorting_line():
    fields = extract_document(STACKED, threshold=0.0).fields  # derived however unsure
    assert fields["carrier"].value == "SF"
    assert fields["sorting_code"].value == "755"  # Shenzhen
    assert fields["sorting_code"].normalized["city"] == "深圳市"
    assert fields["sorting_code"].page == fields["receiver_address"].page


def test_an_unroutable_address_is_flagged():
    lines = page("快递运单 运单号：SF1234567890123", "收件人：张伟 13812345678", "地址：某某路1号")
    result = extract_document(lines)
    assert "sorting_code" not in result.fields
    assert any("sorting code" in r or "province" in r for r in result.reasons)


def _big_mark(text: str, row: float, col: int) -> OcrLine:
    """A big block mark (收 of a thermal label): two rows tall, centred on ``row``."""
    x0, y0 = 50 + col * CHAR, 50 + row * ROW - 20
    return OcrLine(text, 0.99, box_polygon(x0, y0, x0 + 56, y0 + 56))


def test_a_block_takes_the_value_beside_its_mark_before_another_partys_pulled_into_it():
    """The sender's 寄 mark was not read, so its lines above the receiver's 收 fall into the
    receiver's block: the receiver's phone and address are the ones beside the 收."""
    lines = [line("中通快递 运单号：7732947904663", 0), line("百里博 15742666383", 1, 3),
             line("厦门市海沧区丹桂街142号东方广场C座205", 2, 3), _big_mark("收", 3.5, 0),
             line("柯静 134-1084-3999", 3, 3), line("沈阳市铁西区望江西路584号保利中心C座2508", 4, 3)]
    got = values(extract_document(lines, threshold=0.0))
    assert got["receiver_phone"] == "+8613410843999"
    assert got["receiver_address"] == "沈阳市铁西区望江西路584号保利中心C座2508"


STUB = [line("圆通速递 运单号：YT5648283356835", 0), _big_mark("收", 1.5, 0), line("柯静 134-1084-3999", 1, 3),
        line("沈阳市铁西区望江西路584号保利中心C座2508", 2, 3), _big_mark("寄", 3.5, 0),
        line("百里博 15742666383", 3, 3), line("厦门市海沧区丹桂街142号东方广场C座205", 4, 3)]


def test_a_value_the_stub_prints_again_in_its_block_is_surer():
    """A thermal label's stub repeats its receiver: two readings that agree confirm the values."""
    alone = extract_document(STUB)
    stubbed = extract_document(STUB + [line("收：柯静13410843999沈阳市铁西区望江西路584号保利中心C座2508", 6)])
    for name in ("receiver_name", "receiver_phone", "receiver_address"):
        assert alone.fields[name].evidence.confirmed == 0
        assert stubbed.fields[name].value == alone.fields[name].value
        assert stubbed.fields[name].evidence.confirmed == 1
        assert stubbed.fields[name].confidence > alone.fields[name].confidence
    assert stubbed.fields["sender_phone"].evidence.confirmed == 0


def test_another_partys_stub_line_confirms_nothing():
    """The receiver's phone printed again only in the sender's stub line is no echo of it."""
    stubbed = extract_document(STUB + [line("寄：百里博13410843999厦门市海沧区丹桂街142号东方广场C座205", 6)])
    assert stubbed.fields["receiver_phone"].evidence.confirmed == 0
    assert stubbed.fields["sender_address"].evidence.confirmed == 1


def test_without_blocks_a_line_another_partys_mark_starts_confirms_nothing():
    """No 收/寄 mark read in the main blocks: a line that 寄 starts is the sender's and never
    confirms what the receiver's fields took; the same line unmarked does."""
    main = [line("中通快递 运单号：7732947904663", 0), line("柯静 13410843999", 1),
            line("沈阳市铁西区望江西路584号保利中心C座2508", 2), line("百里博 15742666383", 3),
            line("厦门市海沧区丹桂街142号东方广场C座205", 4)]
    sender_marked = extract_document(main + [line("寄：星河食品官方店13410843999沈阳市铁西区望江西路584号保利中心C座2508", 6)])
    unmarked = extract_document(main + [line("柯静13410843999沈阳市铁西区望江西路584号保利中心C座2508", 6)])
    for name in ("receiver_phone", "receiver_address"):
        assert sender_marked.fields[name].how == "party" and sender_marked.fields[name].evidence.confirmed == 0
        assert unmarked.fields[name].evidence.confirmed == 1


def test_an_address_completed_by_its_next_line_beats_a_copy_cut_at_the_same_place():
    """The block's address wraps after …6单元24 (02室 on the next line) and the stub's copy is cut
    at the same place: the address is the completed one."""
    lines = [line("京东快递 运单号：JDVA86857020857", 0), line("收货人：文语倩 0571-43392341", 1),
             line("湖南省长沙市雨花区人民南路851号海棠名苑5栋6单元24", 2), line("02室", 3),
             line("收：文语倩0571-43392341湖南省长沙市雨花区人民南路851号海棠名苑5栋6单元24", 6)]
    got = values(extract_document(lines, threshold=0.0))
    assert got["receiver_address"] == "湖南省长沙市雨花区人民南路851号海棠名苑5栋6单元2402室"
