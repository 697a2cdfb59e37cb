"""Where a page is read again: beside an amount in words whose figures the page pass did not read."""

from __future__ import annotations

from extractors.second_look import amount_boxes_regions
from tests.unit.lines_factory import line


def test_an_amount_in_words_without_figures_beside_it_asks_for_a_second_look_at_its_row():
    words = line("叁万壹仟捌佰伍拾元贰角叁分", 2, 0)
    [region] = amount_boxes_regions([line("转账支票", 0, 8), words])
    x0, y0, x1, y1 = words.bbox
    assert (region.page, region.x0, region.x1) == (1, x1, None) and region.y0 < y0 and region.y1 > y1


def test_figures_read_on_the_row_or_anywhere_on_the_page_need_no_second_look():
    words = line("叁万壹仟捌佰伍拾元贰角叁分", 2, 0)
    assert amount_boxes_regions([words, line("5", 2, 30)]) == []  # a box read on its own: the page pass's row
    assert amount_boxes_regions([words, line("金额：¥31850.23", 8, 0)]) == []  # printed and read elsewhere
    assert amount_boxes_regions([line("用途：货款", 2, 0)]) == []
