"""How familiar a document's layout is to the template variant that read it.

A template written for other layouts still finds values on an unfamiliar form — from the
wrong block, beside a label it does not know — and its evidence per field looks as good as on
a familiar one. These signs of the whole document, computed from its lines only, let the
confidence model (``extractors.confidence``) learn that values on unfamiliar layouts are wrong
more often:

- ``anchored``: the share of the variant's labelled fields whose labels are printed;
- ``titled``: the variant's title (转账支票, 进账单) is printed (a variant without one: True);
- ``known_labels``: the share of label-like texts (Chinese words before a colon) that the
  template or ``labels.yml`` knows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractors.fields.base import load_data
from extractors.locate import Line, find_anchors
from extractors.template import Template, Variant

_LABEL_LIKE = re.compile(r"([\u4e00-\u9fff]{2,8})\s*[:：]")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Familiarity:
    anchored: float = 1.0
    titled: bool = True
    known_labels: float = 1.0


UNFAMILIAR = Familiarity(0.0, False, 0.0)  # no template read the document


def familiarity(template: Template, variant: Variant, lines: list[Line]) -> Familiarity:
    """The three signs (see the module docstring) for ``variant`` of ``template`` on ``lines``."""
    specs = {s.name: s for s in reversed(variant.fields) if s.anchors}  # a field's first spec
    anchored = sum(1 for s in specs.values() if find_anchors(s.anchors, lines, s.exclude))
    titled = not variant.keywords or any(k in l.text.replace(" ", "") for l in lines for k in variant.keywords)
    tokens = [m.group(1) for l in lines for m in _LABEL_LIKE.finditer(l.text)]
    known = _known_words(template)
    recognised = sum(1 for t in tokens if any(w in t or t in w for w in known))
    return Familiarity(anchored / len(specs) if specs else 1.0, titled,
                       recognised / len(tokens) if tokens else 1.0)


def _known_words(template: Template) -> tuple[str, ...]:
    """The Chinese label words the template's anchors, sections and keywords and ``labels.yml`` hold."""
    words = [a for v in template.variants for s in v.fields for a in (*s.anchors, *s.prefer)]
    words += [w for labels in template.sections.values() for w in labels] + list(template.keywords)
    return tuple(dict.fromkeys(w for w in [*words, *_label_words()] if len(w) > 1 and _CJK.search(w)))


@lru_cache(maxsize=1)
def _label_words() -> tuple[str, ...]:
    return tuple(w for words in load_data("labels.yml").values() for w in words)
