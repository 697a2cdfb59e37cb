"""Property tests: random OCR lines never break extraction, and every outcome is explained."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from extractors.extract import extract_document
from extractors.lines import OcrLine, box_polygon
from extractors.template import load_templates
from schemas import load_schema

LABELS = ["运单号：", "收件人：", "寄件人：", "电话", "地址：", "收", "寄", "寄件日期：", "重量", "运费", "出票日期（大写）",
          "收款人：", "出票人账号：", "人民币（大写）", "小写", "¥", "用途：", "全称", "账号", "开户银行", "TOTAL", "DATE:",
          "SDN BHD", "TEL:", "支票号码", "进账单", "转账支票", "银行承兑汇票", "顺丰速运", "中通快递"]
VALUES = ["SF1234567890123", "731234567890", "13812345678", "021-28063608", "广东省深圳市南山区科技园路18号",
          "2024-03-15", "贰零贰肆年零叁月壹拾伍日", "壹万贰仟叁佰肆拾伍元陆角柒分", "12,345.67", "1.5kg", "9.00",
          "6222021001116245702", "上海华东贸易有限公司", "张伟", "25/12/2018", "", "参佰元整", "火星基地"]
TEXTS = st.one_of(
    st.builds(lambda a, b: a + b, st.sampled_from(LABELS), st.sampled_from(VALUES)),
    st.sampled_from(LABELS + VALUES),
    st.text(max_size=30),
)


@st.composite
def ocr_lines(draw) -> list[OcrLine]:
    lines = []
    for _ in range(draw(st.integers(0, 14))):
        x0 = draw(st.integers(0, 1200))
        y0 = draw(st.integers(0, 1600))
        w, h = draw(st.integers(1, 600)), draw(st.integers(1, 80))
        page = draw(st.integers(1, 2))
        score = draw(st.floats(0.5, 1.0))
        lines.append(OcrLine(draw(TEXTS), score, box_polygon(x0, y0, x0 + w, y0 + h), page))
    return lines


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ocr_lines(), st.sampled_from([None, *load_templates()]))
def test_random_lines_give_a_status_and_every_problem_names_its_rule(lines, doc_type):
    result = extract_document(lines, doc_type, today=date(2025, 1, 1))
    assert result.status in ("done", "needs_review")
    if result.template is None:  # no template: review, with the entities found without one
        assert result.status == "needs_review" and result.reasons
        assert all(f.how == "layout_free" and 0 <= f.confidence <= 1 for f in result.fields.values())
        return
    template = load_templates()[result.doc_type]
    values = {name: f.value for name, f in result.fields.items()}
    schema_ok = not list(Draft202012Validator(load_schema(template.schema)).iter_errors(values))
    if result.status == "done":
        assert schema_ok and all(f.valid for f in result.fields.values())
    for f in result.fields.values():
        assert isinstance(f.value, str) and f.value and 0 <= f.confidence <= 1 and f.page in (1, 2)
    assert all(isinstance(r, str) and r for r in result.reasons)
