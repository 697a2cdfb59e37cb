"""Layouts people confirmed (extractors.layouts): matching a document to one, and where its values lie."""

from __future__ import annotations

from dataclasses import replace

from extractors.extract import extract_document
from extractors.layouts import Example, LayoutMemory, example_of, marks_of
from extractors.lines import OcrLine, box_polygon
from tests.unit.lines_factory import line

NAMES = [("张伟", "李娜"), ("王芳", "刘洋"), ("陈静", "杨帆"), ("赵磊", "黄敏")]


def form(receiver: str, sender: str, number: int, dx: int = 0, dy: int = 0) -> list[OcrLine]:
    """A waybill form of one layout: receiver block, then sender block, then the number; the
    whole print moved by (dx, dy) pixels, as scans of one form are."""
    rows = [("顺丰速运", 0, 0), ("标准快递", 0, 20), ("收件人：", 2, 0), (receiver, 2, 5), ("电话：", 3, 0),
            (f"1380013{number:04d}", 3, 5), ("地址：", 4, 0), ("北京市朝阳区建国路88号", 4, 5),
            ("寄件人：", 6, 0), (sender, 6, 5), ("电话：", 7, 0), (f"1390013{number:04d}", 7, 5),
            ("地址：", 8, 0), ("上海市浦东新区世纪大道100号", 8, 5), ("运单号：", 10, 0),
            (f"SF{1234567890000 + number}", 10, 5), ("寄件日期：2026-11-0" + str(number % 9 + 1), 11, 0),
            ("签收人", 13, 0), ("备注说明", 13, 20)]
    return [_moved(line(text, row, col), dx, dy) for text, row, col in rows]


def other_form(receiver: str, sender: str, number: int) -> list[OcrLine]:
    """The same labels printed in another arrangement: sender first, two columns."""
    rows = [("顺丰速运", 0, 10), ("寄件人：", 2, 0), (sender, 2, 5), ("收件人：", 2, 16), (receiver, 2, 21),
            ("电话：", 4, 0), (f"1390013{number:04d}", 4, 5), ("电话：", 4, 16), (f"1380013{number:04d}", 4, 21),
            ("运单号：", 7, 0), (f"SF{1234567890000 + number}", 7, 5), ("备注说明", 9, 0), ("签收人", 9, 20)]
    return [line(text, row, col) for text, row, col in rows]


def _moved(ocr: OcrLine, dx: int, dy: int) -> OcrLine:
    x0, y0, x1, y1 = ocr.bbox
    return OcrLine(ocr.text, ocr.score, box_polygon(x0 + dx, y0 + dy, x1 + dx, y1 + dy), ocr.page)


def confirmed(lines: list[OcrLine]) -> Example:
    """What a person confirming every extracted value of ``lines`` teaches."""
    extraction = extract_document(lines, "courier_waybill")
    return extraction.confirmed(extraction.fields)


def memory_of(count: int) -> LayoutMemory:
    return LayoutMemory([confirmed(form(r, s, n, dx=7 * n, dy=5 * n)) for n, (r, s) in enumerate(NAMES[:count])])


def test_marks_are_the_printed_words_not_the_values():
    words = {m.word for m in marks_of(form("张伟", "李娜", 1))}
    assert {"顺丰速运", "收件人", "寄件人", "电话", "地址", "运单号", "寄件日期", "签收人"} <= words
    assert not any(w.startswith(("138", "SF")) for w in words)


def test_copies_of_one_form_are_one_layout_and_another_arrangement_is_not():
    memory = memory_of(3)
    assert len(memory.layouts) == 1 and memory.layouts[0].examples == 3
    memory.add(confirmed(other_form("张伟", "李娜", 5)))
    assert len(memory.layouts) == 2


def test_a_layout_is_recalled_only_after_enough_confirmations():
    new_copy = form("赵磊", "黄敏", 3, dx=-12, dy=20)
    assert memory_of(1).recall("courier_waybill", new_copy) is None
    assert memory_of(2).recall("courier_waybill", new_copy) is not None
    assert memory_of(2).recall("bank_bill", new_copy) is None
    assert memory_of(2).recall("courier_waybill", other_form("赵磊", "黄敏", 3)) is None


def test_values_where_people_confirmed_them_are_placed_and_others_misplaced():
    recall = memory_of(2).recall("courier_waybill", form("赵磊", "黄敏", 3, dx=-12, dy=20))
    page = form("赵磊", "黄敏", 3, dx=-12, dy=20)
    receiver_name = next(l for l in page if l.text == "赵磊")
    sender_name = next(l for l in page if l.text == "黄敏")
    assert recall.placement("receiver_name", 1, receiver_name.bbox) == 1
    assert recall.placement("receiver_name", 1, sender_name.bbox) == -1  # the sender's spot: confirmed elsewhere
    assert recall.placement("never_confirmed", 1, receiver_name.bbox) == 0


def test_extraction_with_memory_records_the_placement_in_each_fields_evidence():
    page = form("赵磊", "黄敏", 3, dx=-12, dy=20)
    without = extract_document(page, "courier_waybill")
    with_memory = extract_document(page, "courier_waybill", memory=memory_of(2))
    assert all(f.evidence.placed == 0 for f in without.fields.values())
    assert with_memory.fields["receiver_name"].evidence.placed == 1
    assert with_memory.fields["tracking_number"].evidence.placed == 1


def test_an_example_survives_storage():
    example = confirmed(form("张伟", "李娜", 1))
    again = Example.from_data(example.to_data())
    assert again.doc_type == example.doc_type and again.boxes.keys() == example.boxes.keys()
    assert [m.word for m in again.marks] == [m.word for m in example.marks]
    assert LayoutMemory([again, confirmed(form("王芳", "刘洋", 2))]).layouts[0].examples == 2


def test_a_confirmation_teaches_only_the_fields_a_person_confirmed():
    extraction = extract_document(form("张伟", "李娜", 1), "courier_waybill")
    assert set(extraction.confirmed({"receiver_name"}).boxes) == {"receiver_name"}
    assert example_of("courier_waybill", [], {"receiver_name": (1, [0, 0, 1, 1])}).boxes == {}



def test_under_the_bundled_model_a_value_where_people_confirmed_it_is_surer_and_one_elsewhere_less_sure():
    page = form("赵磊", "黄敏", 3, dx=-12, dy=20)
    without = extract_document(page, "courier_waybill").fields
    remembered = extract_document(page, "courier_waybill", memory=memory_of(2)).fields
    assert remembered["receiver_name"].confidence > without["receiver_name"].confidence
    elsewhere = LayoutMemory([replace(e, boxes={**e.boxes, "receiver_name": e.boxes["tracking_number"]})
                              for e in (confirmed(form(r, s, n)) for n, (r, s) in enumerate(NAMES[:2]))])
    misplaced = extract_document(page, "courier_waybill", memory=elsewhere).fields["receiver_name"]
    assert misplaced.value == "赵磊" and misplaced.confidence < without["receiver_name"].confidence


def test_a_field_the_template_misses_is_read_where_people_confirmed_it():
    """The receiver's label misread (收件人 → 牧件火): the template cannot tell whose name 赵磊 is;
    the layout's memory reads the name where people confirmed the receiver's."""
    page = [OcrLine("牧件火：", l.score, l.polygon, l.page) if l.text == "收件人：" else l
            for l in form("赵磊", "黄敏", 3, dx=-12, dy=20)]
    remembered = extract_document(page, "courier_waybill", memory=memory_of(2)).fields["receiver_name"]
    assert remembered.value == "赵磊" and remembered.how == "remembered" and remembered.evidence.placed == 1


def test_a_remembered_spot_never_cuts_a_number_in_two():
    from extractors.extract import _whole_tokens

    text = "账号：14242651428828"
    assert _whole_tokens(text, 5, len(text)) == (3, len(text))  # the spot began two digits in
    assert _whole_tokens("收款人张伟", 3, 5) == (3, 5)  # Chinese text is cut where the spot is
