"""OCR repairs for Latin text, applied only where a template asks for them."""

from __future__ import annotations

import pytest

from extractors.repair import repair_latin, separate_numbers, separate_words

VOCABULARY = ("SDN", "BHD", "HARDWARE", "TRADING", "STATIONERY", "SHOP", "PHARMACY", "PLT")


@pytest.mark.parametrize("text,expected", [
    ("KING'S CONFECTI0NERY S/B", "KING'S CONFECTIONERY S/B"),
    ("Ja1an Ipoh", "Jalan Ipoh"),
    ("TEL N0: 012", "TEL NO: 012"),
    ("RM10.00 A1", "RM10.00 A1"),
])
def test_digits_read_inside_words_become_letters(text, expected):
    assert repair_latin(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("YONGTATHARDWARETRADING", "YONGTAT HARDWARE TRADING"),
    ("PASARAYA BORONG PINTAR SDNBHD", "PASARAYA BORONG PINTAR SDN BHD"),
    ("GARDENIA BAKERIES(KL)SDN BHD", "GARDENIA BAKERIES (KL) SDN BHD"),
    ("GROCER SDN.BHD", "GROCER SDN. BHD"),
    ("SHOPPING MALL", "SHOPPING MALL"),
])
def test_vocabulary_words_run_together_are_separated(text, expected):
    assert separate_words(text, VOCABULARY) == expected


def test_a_postcode_glued_to_the_town_is_separated():
    assert separate_numbers("81100JOHOR BAHRU") == "81100 JOHOR BAHRU"
    assert separate_numbers("U13/BG 10kg") == "U13/BG 10kg"
