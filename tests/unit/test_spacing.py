"""Dropped spaces between Latin words come back from the decoder's column gaps."""

from __future__ import annotations

from workers.spacing import restore_spaces


def test_wide_gaps_between_latin_words_become_spaces():
    text = "SOONHUATMACHINERY"
    columns = [2, 5, 10, 14, 20, 24, 28, 32, 38, 43, 47, 51, 54, 57, 61, 65, 69]
    assert restore_spaces(text, columns) == "SOON HUAT MACHINERY"


def test_even_spacing_and_chinese_text_stay_as_they_are():
    assert restore_spaces("INVOICE", [1, 4, 7, 10, 13, 16, 19]) == "INVOICE"
    assert restore_spaces("收件人张伟", [1, 4, 12, 15, 18]) == "收件人张伟"


def test_a_space_after_a_comma_but_not_inside_a_number():
    assert restore_spaces("1,TAMAN", [1, 3, 9, 12, 15, 18, 21]) == "1, TAMAN"
    assert restore_spaces("1,234.50", [1, 3, 5, 7, 9, 11, 13, 15]) == "1,234.50"


def test_mismatched_columns_leave_the_text_alone():
    assert restore_spaces("ABCD", [1, 2]) == "ABCD"


def test_digits_never_split_and_camel_case_joins_do():
    assert restore_spaces("13.80", [1, 3, 5, 12, 14]) == "13.80"
    assert restore_spaces("TotalQty", [1, 3, 5, 7, 9, 11, 13, 15]) == "Total Qty"
