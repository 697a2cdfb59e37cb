"""The contract every field parser keeps: ``parse(kind, any str)`` never raises and returns
None or a ``Parsed`` with a non-empty value, a span inside the text and JSON-ready data."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.fields import KINDS, Parsed, parse

# Characters the parsers react to, so that random text often gets past the first regex.
INTERESTING = list(
    "0123456789 .,:-/+#xX()¥$元年月日号零壹贰叁肆伍陆柒捌玖拾佰仟万亿圆角分整参雾"
    "SFJDYTEACNRMBUkgKGgt省市区路广东深圳北京海淀南山收件人地址电话转：，\n\t１２３"
)
TEXTS = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.sampled_from(INTERESTING), max_size=60),
    st.lists(st.sampled_from([
        "SF1234567890123", "138 1234 5678", "0755-12345678 转 123", "2024-03-15",
        "贰零贰肆年零叁月壹拾伍日", "壹佰元整", "¥1,234.56", "1.5kg", "广东省深圳市南山区",
        "6222021234567890128", "440305199003071236", "Invoice No:", "收件人：", "15 MAR 24",
    ]), max_size=4).map(" ".join),
)
OPTIONS = {
    "amount": [{"decimal_comma": True}, {"decimal_comma": False}, {"prefer": "largest"},
               {"prefer": "last"}],
    "date": [{"day_first": False}],
    "phone": [{"region": "MY"}, {"region": "XX"}],
    "tracking_number": [{"carrier": "SF"}, {"carrier": "nope"}],
    "text": [{"strip_label": False}],
    "name": [{"max_len": 3}, {"strip_label": False}],
    "weight": [{"default_unit": "kg"}],
}


def test_kinds():
    assert set(KINDS) == {
        "amount", "amount_words", "date", "phone", "address", "tracking_number",
        "bank_account", "card_number", "bill_number", "resident_id", "invoice_number",
        "weight", "text", "name", "carrier", "amount_cells", "taxpayer_id", "digit_code", "amount_column",
        "sorting_code",
    }


def test_parse_dispatches_and_ignores_unknown_options():
    assert parse("amount", "RM 9.00", unknown_option=1).value == "9.00"
    assert parse("phone", None) is None
    with pytest.raises(KeyError):
        parse("no_such_kind", "x")


def _check(text: str, result: object) -> None:
    if result is None:
        return
    assert isinstance(result, Parsed)
    assert isinstance(result.value, str) and result.value
    assert 0 <= result.start < result.end <= len(text)
    assert 0.0 <= result.quality <= 1.0
    json.dumps(result.normalized)


@pytest.mark.parametrize("kind", sorted(KINDS))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS)
def test_never_raises(kind, text):
    _check(text, parse(kind, text))
    for options in OPTIONS.get(kind, []):
        _check(text, parse(kind, text, **options))
