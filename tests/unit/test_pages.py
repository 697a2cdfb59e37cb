"""Which pages of an upload start a document (a sheet-feeder batch): decided on OCR lines."""

from __future__ import annotations

from extractors.pages import PageRange, PageSigns, page_signs, split_pages, starts_document
from tests.unit.lines_factory import page


def sf_waybill(page_no: int, number: str = "SF1336350168549") -> list:
    return page("顺丰速运", f"运单号：{number}", "收件人：孙桂英 18796806168", "地址：江苏省南京市鼓楼区虎踞路183号",
                "寄件人：姚丽娟 18525122203", "地址：河南省郑州市金水区农业路363号", "寄件日期：2025-02-26 运费：¥130.00",
                page_no=page_no)


def jd_waybill(page_no: int) -> list:
    return page("京东物流", "运单号：JDVB21521354726", "收件人：程俊峰 13255134264", "收件地址：天津市和平区南京路244号",
                "寄件人：余佳琪 15315428501", "寄件地址：北京市海淀区中关村大街619号", "下单时间：2024-07-04 运费：12.50元",
                page_no=page_no)


def terms(page_no: int) -> list:
    return page("Terms and conditions of carriage", "1. Liability is limited to the declared value.",
                "2. Claims must be made within 30 days.", page_no=page_no)


RECEIPT = ("ACME HARDWARE SDN BHD", "TEL: 03-2141 5678", "DATE: 15/03/2024", "ITEM A 5.00", "ITEM B 7.50",
           "TOTAL RM 12.50", "CASH 20.00", "CHANGE 7.50", "THANK YOU")


def test_two_waybills_of_two_carriers_are_two_documents():
    lines = sf_waybill(1) + jd_waybill(2)
    assert split_pages(lines, [1, 2]) == [PageRange(1, 1), PageRange(2, 2)]


def test_a_page_without_anchors_of_its_own_continues_the_document():
    assert split_pages(sf_waybill(1) + terms(2), [1, 2]) == [PageRange(1, 2)]
    assert split_pages(sf_waybill(1), [1, 2, 3]) == [PageRange(1, 3)]  # blank pages (no lines) too


def test_the_same_waybill_twice_is_one_document_and_a_new_tracking_number_starts_another():
    assert split_pages(sf_waybill(1) + sf_waybill(2), [1, 2]) == [PageRange(1, 2)]
    batch = sf_waybill(1) + terms(2) + sf_waybill(3, "SF1234567890123") + jd_waybill(4)
    assert split_pages(batch, [1, 2, 3, 4]) == [PageRange(1, 2), PageRange(3, 3), PageRange(4, 4)]


def test_another_type_starts_a_document_even_after_an_unknown_first_page():
    receipt = page(*RECEIPT, page_no=2)
    assert split_pages(sf_waybill(1) + receipt, [1, 2]) == [PageRange(1, 1), PageRange(2, 2)]
    assert split_pages(terms(1) + sf_waybill(2), [1, 2]) == [PageRange(1, 1), PageRange(2, 2)]


def test_a_requested_type_is_the_only_type_a_page_is_checked_against():
    receipt = page(*RECEIPT, page_no=2)
    assert split_pages(sf_waybill(1) + receipt, [1, 2], "courier_waybill") == [PageRange(1, 2)]
    assert split_pages(sf_waybill(1) + jd_waybill(2), [1, 2], "courier_waybill") == [PageRange(1, 1), PageRange(2, 2)]


def test_a_page_states_its_type_and_document_number():
    assert page_signs(jd_waybill(2)) == PageSigns("courier_waybill", "JDVB21521354726")
    assert page_signs(terms(1)) == PageSigns("unknown")
    assert page_signs(page(*RECEIPT)) == PageSigns("receipt")  # receipts carry no document number


def test_the_start_decision():
    waybill = PageSigns("courier_waybill", "SF1")
    assert not starts_document(PageSigns("unknown"), waybill)
    assert not starts_document(PageSigns("courier_waybill"), waybill)
    assert not starts_document(PageSigns("courier_waybill", "SF1"), waybill)
    assert starts_document(PageSigns("courier_waybill", "SF2"), waybill)
    assert starts_document(PageSigns("courier_waybill", "SF2"), PageSigns("courier_waybill"))
    assert starts_document(PageSigns("receipt"), waybill)
