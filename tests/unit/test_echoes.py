"""Values printed twice: what counts as the same value printed again."""

from extractors.echoes import echo_key, is_echoed
from extractors.locate import prepare_lines
from tests.unit.lines_factory import line


def test_a_phone_is_echoed_by_its_national_number_however_printed():
    key = echo_key("phone", "+8676963969324", {"e164": "+8676963969324"})
    lines = prepare_lines([line("(0769)63969324", 0), line("寄：百里博 (0769) 6396-9324", 5)])
    assert key == "76963969324"
    assert is_echoed(key, "phone", {0}, lines, None)


def test_an_address_wrapped_over_two_stub_lines_is_echoed():
    address = "沈阳市铁西区望江西路584号保利中心C座2508"
    lines = prepare_lines([line(address, 0), line("收：柯静13410843999沈阳市铁西区望江西", 5),
                           line("路584号保利中心C座2508", 6)])
    assert is_echoed(echo_key("address", address, None), "address", {0}, lines, None)


def test_a_second_reading_of_the_same_print_or_outside_the_block_is_no_echo():
    lines = prepare_lines([line("柯静", 0), line("柯静", 0), line("柯静", 5)])
    assert not is_echoed("柯静", "name", {0}, lines[:2], None)  # the same box read twice
    assert is_echoed("柯静", "name", {0}, lines, None)
    assert not is_echoed("柯静", "name", {0}, lines, block={0, 1})
    assert echo_key("name", "柯", None) is None


def test_a_value_continued_by_more_of_its_kind_is_not_printed_again():
    lines = prepare_lines([line("湖南省长沙市雨花区人民南路851号海棠名苑5栋6单元24", 0),
                           line("收：文语倩0571-43392341湖南省长沙市雨花区人民南路851号海棠名苑5栋6单元", 5), line("2402室", 6)])
    assert not is_echoed("湖南省长沙市雨花区人民南路851号海棠名苑5栋6单元24", "address", {0}, lines, None)
    assert is_echoed("湖南省长沙市雨花区人民南路851号海棠名苑5栋6单元2402室", "address", {0}, lines, None)
    names = prepare_lines([line("泽宇", 0), line("收：昌泽宇13812345678", 5), line("收：泽宇13812345678", 6)])
    assert not is_echoed("泽宇", "name", {0}, names[:2], None)
    assert is_echoed("泽宇", "name", {0}, names, None)


def test_a_number_printed_again_after_its_label_is_echoed_but_not_inside_a_longer_one():
    lines = prepare_lines([line("No 38044321", 0), line("No 3804 4321", 5), line("CD43721497", 6)])
    assert is_echoed("38044321", "bill_number", {0}, lines, None)
    assert not is_echoed("43721497", "bill_number", {0}, lines[:1] + lines[2:], None)
