"""Side labels spread over a table's rows (出 / 票人 of an electronic commercial acceptance bill)
head their blocks; a sentence naming the label does not."""

from __future__ import annotations

from datetime import date

import pytest

from extractors.extract import extract_document
from extractors.lines import OcrLine, box_polygon
from extractors.locate import Line, stacked_labels
from tests.unit.lines_factory import CHAR, ROW, line

TODAY = date(2026, 1, 1)
HEIGHT = 28  # lines_factory's box height


def glyphs(text: str, row: float, centre_col: float) -> OcrLine:
    """A piece of a side label: ``text`` at grid ``row``, centred on column ``centre_col``."""
    centre, y0 = 50 + centre_col * CHAR, 50 + row * ROW
    half = CHAR * len(text) / 2
    return OcrLine(text, 0.99, box_polygon(centre - half, y0, centre + half, y0 + HEIGHT))


def acceptance_bill(sentence: str) -> list[OcrLine]:
    """An electronic commercial acceptance bill as printed: 出 on the 账号 row and 票人 on the
    开户银行 row at the left of the payer's columns, 收 / 票人 likewise for the payee, and the
    acceptance ``sentence`` under the table."""
    return [
        line("电子商业承兑汇票", 0, 20),
        line("出票日期2025-10-22", 1, 0), line("票据号码231373376938220251022055055959", 1, 20),
        line("全称", 2, 4), line("烟台泰和印务有限公司", 2, 8), line("全称", 2, 34), line("长春丰泽酒店管理有限公司", 2, 38),
        glyphs("出", 3, 1.5), line("账号", 3, 4), line("6931786886241", 3, 8),
        glyphs("收", 3, 31.5), line("账号", 3, 34), line("4245025989466861", 3, 38),
        glyphs("票人", 4, 1.5), line("开户银行", 4, 3), line("北京银行烟台芝罘区支行", 4, 8),
        glyphs("票人", 4, 31.5), line("开户银行", 4, 33), line("华夏银行长春西安大路支行", 4, 38),
        line("票据金额", 5, 2), line("人民币(大写)柒万捌仟壹佰陆拾捌元壹角捌分", 5, 8), line("¥78,168.18", 5, 56),
        line("承兑人全称", 6, 2), line("烟台泰和印务有限公司", 6, 8),
        line(sentence, 8, 0),
    ]


def values(lines: list[OcrLine]) -> dict[str, str]:
    return {name: f.value for name, f in extract_document(lines, "bank_bill", today=TODAY, threshold=0.0).fields.items()}


@pytest.mark.parametrize("sentence", [
    "承兑信息出票人承诺:本汇票请予以承兑,到期无条件付款",
    "承兑信息出票人承诺本汇票请予以承兑到期无条件付款",  # no punctuation: not recognisable as prose
], ids=["punctuated", "unpunctuated"])
def test_payer_and_payee_of_an_acceptance_bill_come_from_their_own_columns(sentence):
    got = values(acceptance_bill(sentence))
    assert (got["payer_name"], got["payee_name"]) == ("烟台泰和印务有限公司", "长春丰泽酒店管理有限公司")
    assert (got["payer_account"], got["payee_account"]) == ("6931786886241", "4245025989466861")
    assert (got["payer_bank"], got["payee_bank"]) == ("北京银行烟台芝罘区支行", "华夏银行长春西安大路支行")


def prepared(*ocr: OcrLine) -> list[Line]:
    return [Line(i, l, l.text) for i, l in enumerate(ocr)]


def test_pieces_of_a_label_down_one_column_up_to_a_row_apart_are_joined():
    pieces = prepared(glyphs("出", 3, 1.5), line("账号", 3, 4), glyphs("票人", 4, 1.5))
    [joined] = stacked_labels(pieces, ("出票人", "付款人"))
    assert joined.text == "出票人" and joined.ocr.bbox[1] == pieces[0].ocr.bbox[1]
    assert joined.ocr.bbox[3] == pieces[2].ocr.bbox[3]


@pytest.mark.parametrize("pieces", [
    (glyphs("出", 3, 1.5), glyphs("票人", 5, 1.5)),  # two rows apart
    (glyphs("出", 3, 1.5), glyphs("票人", 4, 4)),  # not in its column
    (glyphs("票人", 3, 1.5), glyphs("出", 4, 1.5)),  # out of order
    (glyphs("出", 3, 1.5), glyphs("票", 4, 1.5)),  # part of a label only
], ids=["far-apart", "other-column", "reversed", "partial"])
def test_pieces_that_do_not_spell_a_label_in_one_column_are_left_alone(pieces):
    assert stacked_labels(prepared(*pieces), ("出票人",)) == []

