"""Document-type classification: score every template's keywords against the page text."""

from __future__ import annotations

from dataclasses import dataclass

from extractors.fields import parse
from extractors.lines import OcrLine, normalize_text
from extractors.template import Template

UNKNOWN = "unknown"


@dataclass(frozen=True)
class Classification:
    doc_type: str
    score: float
    scores: dict[str, float]


def classify(lines: list[OcrLine], templates: dict[str, Template]) -> Classification:
    """The best-scoring type, or ``unknown`` when no template reaches its ``min_score``.

    A template's score is how many of its keywords the document's text holds, plus how many of
    its ``kinds`` parse on some line (a carrier's name, a tracking number) and how many of its
    ``glyphs`` stand alone as a line (the big 收 and 寄 of a thermal waybill) and whether its
    ``rows`` kinds fill enough lines (a receipt's column of prices), as a share of the number that
    makes a sure match (``expected``, at most all of them), capped at 1.
    """
    texts = [normalize_text(line.text).replace(" ", "") for line in lines]
    text = "".join(texts).upper()
    scores = {doc_type: _score(t, text, texts) for doc_type, t in templates.items()}
    passing = {d: s for d, s in scores.items() if s >= templates[d].min_score}
    if not passing:
        return Classification(UNKNOWN, max(scores.values(), default=0.0), scores)
    best = max(passing, key=passing.get)
    return Classification(best, passing[best], scores)


def _score(template: Template, text: str, lines: list[str]) -> float:
    hits = sum(1 for k in template.keywords if normalize_text(k).replace(" ", "").upper() in text)
    hits += sum(1 for kind in template.classify_kinds if any(parse(kind, l) for l in lines))
    hits += sum(1 for glyph in template.classify_glyphs if glyph in lines)
    hits += sum(1 for kind, count in template.classify_rows.items() if _rows_of(kind, lines) >= count)
    signals = (len(template.keywords) + len(template.classify_kinds) + len(template.classify_glyphs)
               + len(template.classify_rows))
    return min(1.0, hits / min(template.expected_keywords, signals or 1))


def _rows_of(kind: str, lines: list[str]) -> int:
    """How many lines are nothing but a value of ``kind`` (or end in one, as a price does)."""
    return sum(1 for l in lines if (parsed := parse(kind, l)) and parsed.end >= len(l) - 1)
