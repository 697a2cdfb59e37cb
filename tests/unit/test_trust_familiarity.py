"""Layout familiarity: how much of a document the template that read it recognises."""

from __future__ import annotations

from datetime import date

from extractors.extract import extract_document
from extractors.familiarity import familiarity
from extractors.locate import prepare_lines
from extractors.template import load_templates
from tests.unit.test_extract_bank_bill import CHEQUE
from tests.unit.lines_factory import page

TODAY = date(2024, 6, 1)
BANK = load_templates()["bank_bill"]
CHEQUE_VARIANT = next(v for v in BANK.variants if v.name == "transfer_cheque")
# The same values on a form the template was not written for: another title, labels it does not know.
REMITTANCE = page(
    "中国工商银行 电汇凭证  凭证编号 10203040",
    "委托日期 2024年03月15日",
    "汇款人：北京远航科技有限公司  汇出地点：北京市",
    "汇款账号：6222021001116245702  汇出行名称：中国工商银行北京分行",
    "收款人：上海华东贸易有限公司  汇入地点：上海市",
    "人民币（大写）壹万贰仟叁佰肆拾伍元陆角柒分",
    "附加信息及用途：货款",
)


def test_a_form_of_the_variant_the_template_knows_is_familiar():
    known = familiarity(BANK, CHEQUE_VARIANT, prepare_lines(CHEQUE))
    assert known.titled and known.known_labels == 1.0 and known.anchored >= 0.7


def test_a_form_with_another_title_and_unknown_labels_is_not():
    known = familiarity(BANK, CHEQUE_VARIANT, prepare_lines(CHEQUE))
    other = familiarity(BANK, CHEQUE_VARIANT, prepare_lines(REMITTANCE))
    assert not other.titled
    assert other.known_labels < 0.5 < known.known_labels
    assert other.anchored < known.anchored


def test_every_field_carries_the_familiarity_of_its_document():
    result = extract_document(REMITTANCE, doc_type="bank_bill", today=TODAY)
    evidence = {f.evidence for f in (result.fields | result.withheld).values()}
    assert evidence and all(not e.titled and e.known_labels < 0.5 for e in evidence)


def test_a_document_of_unknown_type_is_unfamiliar_to_any_template():
    result = extract_document(page("Lorem ipsum dolor", "call 13812345678 today"))
    assert result.fields and all(f.evidence.anchored == 0.0 for f in result.fields.values())
