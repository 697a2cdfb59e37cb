"""Free text and names: the value after a label, cleaned."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from extractors.lines import normalize_text

from .base import Mapped, Parsed, is_cjk, label_regex, load_data
from .ids import parse_carrier

DEFAULT_MAX_NAME = 40
MIN_NAME = 2
PHONE_TRIMMED_QUALITY = 0.8
UNKNOWN_PERSON_QUALITY = 0.7  # a Chinese text nothing marks as a person's name
_ORGANISATION = re.compile(r"公司|银行|物流|快递|快运|速运|速递|集团|有限|中心|超市|商行|商店|门市|营业部|分部|网点|驿站|工厂|学校|医院|政府|大学")
_PLACE = re.compile(r"[省市区县镇乡村路街巷号楼室]$|[省市区县路街号]..")  # an address, not a person's name
_CUT_COMPANY = re.compile(r"(有限|有限责任|股份|股份有限|有限公|责任公|股份公)$")  # a company's name cut where its line wrapped (…有限公 of …有限公司)
CUT_COMPANY_QUALITY = 0.5
# Where a form asks for a seal or signature (…签章), or what a bank's stamp says (转讫, 业务专用章): not a name
_AMOUNT_IN_WORDS = re.compile(r"[壹贰叁肆伍陆柒捌玖拾佰仟万亿零]{2,}[元圆角分整]")  # 叁拾伍万…元整: an amount, nobody's name
_CAPTION_OR_STAMP = re.compile(r"(签章|盖章|签字|签名|印章|签收|讫|专用章|受理)$")
# Boxes a bank form prints for its clerks and codes (密码, 复核, 记账): a word there is nobody's name
_FORM_BOX = re.compile(r"^(密码|复核|记账|经办|出纳|会计|主管|授权|附加信息)$")
_MONEY_SIGN = re.compile(r"[¥$€£]")  # 小写)¥: an amount's label, not a name
_BANK = re.compile(r"(银行|信用社|支行|分行|分理处|储蓄所)")  # a bank's own name (or a branch's)
_CJK_OPEN, _CJK_CLOSE = re.compile(r"\((?=[\u3400-\u9fff])"), re.compile(r"(?<=[\u3400-\u9fff])\)")
MIN_PHONE_DIGITS = 7
_PHONE_CHARS = "0123456789 -+"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` narrowed past spaces and punctuation at both ends."""
    def junk(ch: str) -> bool:
        return ch.isspace() or unicodedata.category(ch).startswith("P")

    while start < end and junk(text[start]):
        start += 1
    while end > start and junk(text[end - 1]):
        end -= 1
    return start, end


def _after_colon_label(text: str) -> int:
    """Where the value starts after a ``label:`` prefix; a prefix with digits is no label
    (10:30)."""
    colon = text.find(":")
    return colon + 1 if colon >= 0 and not any(ch.isdigit() for ch in text[:colon]) else 0


def _trailing_phone(text: str, start: int, end: int) -> int | None:
    """Where a phone number glued to the end of ``text[start:end]`` begins, or None."""
    cut = start + len(text[start:end].rstrip(_PHONE_CHARS))
    digits = sum(ch.isdigit() for ch in text[cut:end])
    return cut if cut > start and digits >= MIN_PHONE_DIGITS else None


def parse_text(text: str, strip_label: bool = True, **_: object) -> Parsed | None:
    """The text after an optional ``label:`` prefix (``strip_label``), NFKC-normalized,
    spaces collapsed, punctuation trimmed from both ends; None when nothing is left.
    normalized = value."""
    mapped = Mapped(text)
    start = _after_colon_label(mapped.text) if strip_label else 0
    start, end = _trim(mapped.text, start, len(mapped.text))
    if start == end:
        return None
    value = normalize_text(mapped.text[start:end])
    return mapped.parsed(value, value, start, end)


def parse_name(text: str, strip_label: bool = True, max_len: int = DEFAULT_MAX_NAME, person: bool = False,
               bank: bool = True, **_: object) -> Parsed | None:
    """A person's or company's name: like ``text``, and with ``strip_label`` also a known
    label without a colon (收件人张三). A phone number merged onto the end (张三13812345678)
    is dropped at a lower quality. None when no letter is left or the name is shorter than
    2 or longer than ``max_len`` characters, or when it is a form's box (密码, 复核) or holds a
    money sign. Without ``bank`` a bank's or branch's name is none (a party of a bank bill is
    not its bank). With ``person`` it must be a person's: a carrier's,
    bank's or company's name is none, and a Chinese name neither the lexical analyser (jieba)
    nor the surname table marks as a person's costs quality. Brackets between Chinese
    characters are printed full-width, as Chinese names write them (宏图（重庆）食品).
    normalized = value."""
    mapped = Mapped(text)
    start = _after_colon_label(mapped.text) if strip_label else 0
    start, end = _trim(mapped.text, start, len(mapped.text))
    if strip_label and (label := label_regex("name").match(mapped.text, start, end)):
        start, end = _trim(mapped.text, label.end(), end)
    quality = 1.0
    if (phone := _trailing_phone(mapped.text, start, end)) is not None:
        start, end = _trim(mapped.text, start, phone)
        quality = PHONE_TRIMMED_QUALITY
    value = _CJK_CLOSE.sub("）", _CJK_OPEN.sub("（", normalize_text(mapped.text[start:end])))
    if not MIN_NAME <= len(value) <= max_len or not any(ch.isalpha() for ch in value):
        return None
    if _is_label(value) or _CAPTION_OR_STAMP.search(value) or _AMOUNT_IN_WORDS.search(value) \
            or _FORM_BOX.match(value) or _MONEY_SIGN.search(value) or (not bank and _BANK.search(value)):
        return None
    if is_cut_company(value):
        quality *= CUT_COMPANY_QUALITY
    if person:
        if _ORGANISATION.search(value) or _PLACE.search(value) or parse_carrier(value):
            return None
        if all(is_cjk(ch) or ch == "·" for ch in value) and not is_person_name(value):
            quality *= UNKNOWN_PERSON_QUALITY
    return mapped.parsed(value, value, start, end, quality)


def is_cut_company(name: str) -> bool:
    """True when ``name`` is a company's cut where its line wrapped (…有限, …有限公 of …有限公司)."""
    return bool(_CUT_COMPANY.search(name))


def _is_label(text: str) -> bool:
    """True when ``text`` is nothing but a field label of any kind in ``labels.yml`` (电话, 收件人, 账号)."""
    return any((m := label_regex(kind).match(text)) and m.end() == len(text) for kind in load_data("labels.yml"))


def is_person_name(text: str) -> bool:
    """True when ``text`` is 2–3 Chinese characters starting with a known surname (3–4 with a
    compound one) and jieba does not read it as one common word (付款, 江南). A given name
    alone (泽宇: its surname dropped by the recognizer) is not a full name, whatever jieba says."""
    words = list(_posseg().cut(text))
    if len(words) == 1 and words[0].flag not in _NAME_FLAGS + _UNSURE_FLAGS:
        return False
    surnames = load_data("surnames.yml")
    if text[:2] in surnames["compound"]:
        return 3 <= len(text) <= 4
    return 2 <= len(text) <= 3 and text[0] in surnames["single"]  # four characters: a phrase (温馨提示)


def tagged_as_name(text: str) -> bool:
    """True when jieba's tagger reads ``text`` as starting with a person's name (or a compound
    surname) and ``is_person_name`` holds: a stricter test for a name with nothing but its
    position to show for it (收杨海杰 yes, 寄付现结's 付现结 no)."""
    first = next(iter(_posseg().cut(text)), None)
    surnames = load_data("surnames.yml")
    return (first is not None and (first.flag in _NAME_FLAGS or first.word in surnames["compound"])
            and is_person_name(text))


_NAME_FLAGS = ("nr", "nrfg", "nrt")
_UNSURE_FLAGS = ("nz", "x", "eng")  # other proper nouns, and strings jieba does not know


@cache
def _posseg():
    """jieba's part-of-speech tagger, its dictionary loaded once per process as a compact trie
    (``jieba_trie``: the same cuts and tags in 2 MB instead of 107)."""
    from .jieba_trie import compact_posseg

    return compact_posseg()
