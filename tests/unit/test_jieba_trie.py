"""jieba's tagger on the compact trie cuts and tags as plain jieba does."""

import json
import re
from functools import cache
from pathlib import Path

import jieba
import pytest

from extractors.fields.jieba_trie import compact_posseg, load_tables
from extractors.fields.text import is_person_name, tagged_as_name

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# Names and address tails the checks meet, and strings jieba reads as no name (see is_person_name)
KNOWN = ["付款", "江南", "泽宇", "杨海杰", "收杨海杰", "寄付现结", "付现结", "温馨提示", "欧阳娜娜",
         "司马懿", "张伟", "王芳", "宗琦俊", "昌泽宇", "中国", "北京市", "张三abc12", "李四 先生", "号楼", "602室"]


@cache
def plain_tagger():
    """jieba's own tagger on jieba's own dicts (a fresh tokenizer: the default one is on the trie)."""
    return compact_posseg().POSTokenizer(jieba.Tokenizer())


def fixture_strings(limit: int = 400) -> list[str]:
    """Up to ``limit`` Chinese strings of 2–5 characters from the fixtures' labelled fields:
    whole names and every 2–4-character piece of longer values (addresses, companies)."""
    found = set()
    for path in sorted(FIXTURES.glob("*/**/*.json")):
        fields = json.loads(path.read_text(encoding="utf-8")).get("fields") or {}
        for value in re.findall(r"[\u3400-\u9fff]+", " ".join(v for v in fields.values() if isinstance(v, str))):
            found.update(value[i:i + n] for n in (2, 3, 4, 5) for i in range(len(value) - n + 1))
    ordered = sorted(found)
    return ordered[::max(1, len(ordered) // limit)]


def test_trie_holds_jiebas_own_tables():
    plain = plain_tagger()
    plain.tokenizer.check_initialized()
    posseg = compact_posseg()
    assert posseg.dt.tokenizer is jieba.dt
    assert jieba.dt.total == plain.tokenizer.total
    assert dict(jieba.dt.FREQ) == plain.tokenizer.FREQ
    assert dict(posseg.dt.word_tag_tab) == plain.word_tag_tab


@pytest.mark.parametrize("strings", [KNOWN, fixture_strings()], ids=["known", "fixtures"])
def test_cuts_and_tags_as_plain_jieba(strings):
    assert len(strings) >= 20
    posseg, plain = compact_posseg(), plain_tagger()
    assert [[tuple(pair) for pair in posseg.cut(s)] for s in strings] == \
        [[tuple(pair) for pair in plain.cut(s)] for s in strings]


def test_name_checks_read_the_tags():
    names = ["杨海杰", "付现结", "欧阳娜娜", "司马懿", "张伟", "王芳", "宗琦俊"]
    assert [s for s in KNOWN if is_person_name(s)] == names
    assert tagged_as_name("杨海杰") and not tagged_as_name("付现结")


def test_cache_built_when_missing_and_rebuilt_when_unreadable(tmp_path):
    total, freq, tags = load_tables(str(tmp_path))
    cached = list(tmp_path.iterdir())
    assert [p.suffix for p in cached] == [".trie"] and total == jieba.dt.total
    cached[0].write_bytes(b"not a trie")
    total, freq, tags = load_tables(str(tmp_path))
    assert (freq["中国"], tags["中国"], "中" in freq, "中国人民银" in freq, freq.get("中国人民银")) == \
        (jieba.dt.FREQ["中国"], "ns", True, True, 0)
    assert tags.get("中国人民银", "x") == "x" and [p.name for p in tmp_path.iterdir()] == [cached[0].name]
