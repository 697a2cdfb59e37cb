"""OCR lines in → classified, located, validated fields out (the core's one entry point)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from extractors.classify import UNKNOWN, classify
from extractors.derive import DERIVED
from extractors.fields import Parsed, parse
from extractors.lines import OcrLine
from extractors.locate import (
    Anchor, Candidate, Line, anywhere, assign_sections, candidates, continuation_lines, find_anchors,
    following, header, prepare_lines, section_lines, sub_bbox,
)
from extractors.repair import repair_latin, separate_numbers, separate_words
from extractors.template import FieldSpec, Template, Variant, load_templates
from extractors.validate import validate

_CJK = re.compile(r"[\u3400-\u9fff]")
UNLABELLED = ("section", "anywhere")
_QUALIFIER = re.compile(r"[(（][^)）]{0,6}[)）]")
_NAME_END = re.compile(r"[\d+]|电话|手机|地址|联系")


@dataclass
class ExtractedField:
    """One field's value with its provenance: raw OCR text, confidence, page and box."""

    name: str
    value: str
    normalized: Any
    raw_text: str
    confidence: float
    page: int
    bbox: list[float]
    violations: list[str] = field(default_factory=list)
    line_indices: tuple[int, ...] = ()  # the prepared lines it came from (not stored)
    how: str = ""  # where it was found: same_line, right, beside, below, section, anywhere, header, after_field

    @property
    def valid(self) -> bool:
        return not self.violations


@dataclass
class Extraction:
    doc_type: str
    template: str | None
    fields: dict[str, ExtractedField]
    reasons: list[str]

    @property
    def status(self) -> str:
        """``done`` when nothing needs a person, else ``needs_review``."""
        return "needs_review" if self.reasons else "done"


def extract_document(lines: list[OcrLine], doc_type: str | None = None, today: date | None = None,
                     trace: dict[str, list[dict]] | None = None) -> Extraction:
    """Classify (unless ``doc_type`` is given), extract with the best variant, validate
    (``today``, default the current date, is what "not in the future" means). A ``trace`` dict
    receives, per variant, every anchor and candidate tried (see ``explain``)."""
    templates = load_templates()
    if doc_type is None:
        doc_type = classify(lines, templates).doc_type
    template = templates.get(doc_type)
    if template is None:
        reason = "document type unknown" if doc_type == UNKNOWN else f"no template for type {doc_type!r}"
        return Extraction(doc_type, None, {}, [reason])
    prepared = prepare_lines(lines)
    membership = assign_sections(prepared, template.sections)  # the variants share the template's sections
    variant, fields = max(
        ((v, extract_variant(template, v, prepared, membership, trace.setdefault(v.name, []) if trace is not None else None))
         for v in template.variants),
        key=lambda pair: (-_title_position(pair[0], prepared), *_coverage(pair[0], pair[1])),
    )
    fields.update(derive_fields(template, fields))
    if template.variant_field:
        fields[template.variant_field] = _variant_field(template.variant_field, variant, fields)
    checked = review(template, variant, {n: (f.value, f.normalized, f.confidence) for n, f in fields.items()}, today)
    for name, messages in checked.violations.items():
        fields[name].violations = messages
    return Extraction(template.doc_type, f"{template.doc_type}/{variant.name}", fields, checked.reasons)


def derive_fields(template: Template, fields: dict[str, ExtractedField]) -> dict[str, ExtractedField]:
    """The template's derived fields (carrier, sorting code) with their source's provenance."""
    values = {name: (f.value, f.normalized) for name, f in fields.items()}
    derived = {}
    for name in template.derived:
        source, how = DERIVED[name]
        if name in fields or source not in fields or (result := how(values)) is None:
            continue
        origin = fields[source]
        derived[name] = replace(origin, name=name, value=result[0], normalized=result[1], violations=[],
                                how=f"derived from {source}")
    return derived


def _title_position(variant: Variant, lines: list[Line]) -> int:
    """Where the variant's title first appears in reading order (titles come first; a deposit
    slip may name a cheque further down). Variants without keywords rank last."""
    return next((l.index for l in lines for k in variant.keywords if k in l.text.replace(" ", "")), len(lines))


def _variant_field(name: str, variant: Variant, fields: dict[str, ExtractedField]) -> ExtractedField:
    """The matched variant as a field (a bank bill's type), placed on the first field's page."""
    first = next(iter(fields.values()), None)
    return ExtractedField(name=name, value=variant.name, normalized=variant.name, raw_text="",
                          confidence=1.0 if variant.keywords else 0.5, page=first.page if first else 1,
                          bbox=[], how="variant")


def _coverage(variant: Variant, fields: dict[str, ExtractedField]) -> tuple[int, int]:
    required = sum(1 for s in variant.fields if s.required and s.name in fields)
    return required, len(fields)


@dataclass
class Context:
    """What locating one variant's fields needs: the lines in scope, every label that ends a
    value, the template's sections, the fields found so far, and an optional trace (explain)."""

    lines: list[Line]
    stop_labels: tuple[str, ...]
    sections: dict[str, tuple[str, ...]]
    found: dict[str, ExtractedField]
    trace: list[dict] | None = None

    def note(self, **event: Any) -> None:
        if self.trace is not None:
            self.trace.append(event)


def extract_variant(template: Template, variant: Variant, lines: list[Line], membership: dict[int, set[str]],
                    trace: list[dict] | None = None) -> dict[str, ExtractedField]:
    """Every field of the variant that can be found, by name; ``membership``: line index → its
    sections (``assign_sections``); ``trace`` collects why."""
    context = Context(lines, _stop_labels(template, variant), template.sections, {}, trace)
    for spec in variant.fields:
        if spec.name in context.found:
            continue  # an alternative spec (amount/cells) for a field already found
        scoped = [l for l in lines if spec.section is None or spec.section in membership.get(l.index, ())]
        result = locate_field(spec, replace(context, lines=scoped))
        context.note(field=spec.name, event="result", value=result.value if result else None,
                     how=result.how if result else None)
        if result:
            context.found[spec.name] = result
    return context.found


def _stop_labels(template: Template, variant: Variant) -> tuple[str, ...]:
    """The Chinese labels of every field and section: where a value on a label's line ends."""
    labels = [label for spec in variant.fields for label in spec.anchors]
    labels += [label for section in template.sections.values() for label in section]
    return tuple(dict.fromkeys(l for l in labels if len(l) > 1 and _CJK.search(l)))


def locate_field(spec: FieldSpec, context: Context) -> ExtractedField | None:
    """The first candidate where the template says to look that parses as the field's kind
    (with ``select: max``, the largest amount among the anchored candidates: see _largest)."""
    if spec.prefer:
        preferred = replace(spec, anchors=spec.prefer, prefer=(), select="first", where=("same_line", "right"))
        if result := locate_field(preferred, context):
            return result
    results = _parsed_candidates(spec, context)
    if spec.select == "max":
        return _largest(list(results))
    if spec.select == "best":
        return _surest(list(results))
    if spec.select == "tallest":
        return _tallest(list(results), context)
    return next(iter(results), None)


def _tallest(results: list[ExtractedField], context: Context) -> ExtractedField | None:
    """The first labelled value, else the unlabelled one printed largest on the first page with
    one (a cheque's number beside the smaller bank code above it)."""
    labelled = [r for r in results if r.how not in UNLABELLED]
    if labelled or not results:
        return next(iter(labelled), None)
    on_page = [r for r in results if r.page == results[0].page]
    heights = {l.index: l.ocr.height for l in context.lines}
    return max(on_page, key=lambda r: heights[r.line_indices[0]])


def _surest(results: list[ExtractedField]) -> ExtractedField | None:
    """On the first page with a value: the highest-confidence labelled value (the first on
    ties), else the first unlabelled one."""
    if not results:
        return None
    on_page = [r for r in results if r.page == results[0].page]
    labelled = [r for r in on_page if r.how not in UNLABELLED]
    return max(labelled, key=lambda r: r.confidence) if labelled else on_page[0]


def _largest(results: list[ExtractedField]) -> ExtractedField | None:
    """The largest amount on its anchor's row, else below it, else anywhere."""
    for hows in (("same_line", "right"), ("beside", "below"), ("anywhere",)):
        if near := [r for r in results if r.how in hows]:
            return max(near, key=lambda r: Decimal(r.value))
    return None


def _parsed_candidates(spec: FieldSpec, context: Context):
    """Every candidate that parses, as fields, lazily in the template's order."""
    for candidate in _all_candidates(spec, context):
        if candidate.how != "same_line" and _holds_label(candidate.text, context.stop_labels):
            context.note(field=spec.name, event="candidate", how=candidate.how, text=candidate.text,
                         page=candidate.lines[0].page, parsed=None, skipped="holds another field's label")
            continue
        text = _cleaned(spec, candidate.text)
        parsed = _parse(spec, text, context) if text is not None else None
        if parsed is not None and candidate.how in UNLABELLED and parsed.quality < spec.min_quality:
            parsed = None  # with no label saying what it is, only a sure parse counts
        context.note(field=spec.name, event="candidate", how=candidate.how, text=candidate.text,
                     page=candidate.lines[0].page, parsed=parsed.value if parsed else None)
        if parsed is None:
            continue
        if spec.multiline:
            candidate, parsed = _extend(spec, candidate, parsed, context)
        yield _to_field(spec, candidate, parsed)


def _parse(spec: FieldSpec, text: str, context: Context) -> Parsed | None:
    """Parse with the template's options, plus hints from fields found before (a printed
    carrier); without the hints when they make it fail (a rule then reports the mismatch)."""
    hints = {opt: context.found[name].value for opt, name in spec.options_from.items() if name in context.found}
    parsed = parse(spec.kind, text, **spec.options, **hints) if hints else None
    return parsed or parse(spec.kind, text, **spec.options)


def _holds_label(text: str, labels: tuple[str, ...]) -> bool:
    """A neighbouring text that holds a field label is that field's label cell, not a value
    (a bracketed qualifier such as "（大写）" before a value is not a label)."""
    squeezed = _QUALIFIER.sub("", text.replace(" ", ""))
    return any(label in squeezed for label in labels)


def _cleaned(spec: FieldSpec, text: str) -> str | None:
    """The candidate text after the template's repairs, strip and regex; None: no match."""
    text = _repaired(spec, _cut_name(text) if spec.kind == "name" else text)
    if spec.strip:
        text = re.sub(spec.strip, "", text)
    if spec.regex:
        match = re.search(spec.regex, text)
        return match.group(match.lastindex or 0) if match else None
    return text


def _section_at(anchor: Anchor, sections: dict[str, tuple[str, ...]]) -> str | None:
    """The section whose label comes last before the anchor on its own line, if any."""
    best = None
    for name, labels in sections.items():
        for label in labels:
            at = anchor.line.text.rfind(label, 0, anchor.start + 1)
            if at >= 0 and (best is None or at > best[0]):
                best = (at, name)
    return best[1] if best else None


def _all_candidates(spec: FieldSpec, context: Context):
    """Candidates page by page (a value on page 1 wins over one on page 2), each page in the
    template's order: anchored places first, then the unlabelled fallbacks."""
    anchors = find_anchors(spec.anchors, context.lines, spec.exclude, spec.last_first)
    for page in sorted({l.page for l in context.lines}):
        lines = [l for l in context.lines if l.page == page]
        for anchor in (a for a in anchors if a.line.page == page):
            in_section = spec.section is None or _section_at(anchor, context.sections) in (None, spec.section)
            context.note(field=spec.name, event="anchor", label=anchor.label, line=anchor.line.text, page=page,
                         bbox=list(anchor.line.ocr.bbox), score=anchor.score, used=in_section)
            if in_section:
                yield from candidates(anchor, spec.where, lines, context.stop_labels)
        yield from _fallbacks(spec, lines, context)


def _fallbacks(spec: FieldSpec, lines: list[Line], context: Context):
    """The places a template may look without a label, on one page."""
    if "section" in spec.where and spec.section:
        yield from section_lines(lines, context.sections[spec.section])
    if "header" in spec.where:
        yield from header(lines, spec.words, spec.skip)
    if "after_field" in spec.where and spec.after in context.found:
        yield from following(lines, context.found[spec.after].line_indices, spec.skip, spec.stop, spec.max_lines)
    if "anywhere" in spec.where:
        yield from anywhere(lines)


def _repaired(spec: FieldSpec, text: str) -> str:
    if "latin" in spec.repair:
        text = repair_latin(text)
    if "numbers" in spec.repair:
        text = separate_numbers(text)
    if "words" in spec.repair:
        text = separate_words(text, spec.words)
    return text


def _cut_name(text: str) -> str:
    match = _NAME_END.search(text)
    return text[: match.start()].strip() if match else text


def _extend(spec: FieldSpec, candidate: Candidate, parsed: Parsed, context: Context):
    """The value continued over the lines right below it (a multi-line address), if it parses."""
    extra = continuation_lines(candidate.lines[-1], context.lines, context.stop_labels, candidate.label)
    if not extra:
        return candidate, parsed
    joined = candidate.text + "".join(l.text for l in extra)
    longer = parse(spec.kind, joined, **spec.options)
    if longer is None:
        return candidate, parsed
    extended = replace(candidate, text=joined, lines=candidate.lines + tuple(extra))
    return extended, longer


def _to_field(spec: FieldSpec, candidate: Candidate, parsed: Parsed) -> ExtractedField:
    first = candidate.lines[0]
    score = min(l.ocr.score for l in candidate.lines)
    start = candidate.offset + parsed.start
    box = sub_bbox(first, start, candidate.offset + min(parsed.end, len(first.text) - candidate.offset))
    for extra in candidate.lines[1:]:
        x0, y0, x1, y1 = extra.ocr.bbox
        box = [min(box[0], x0), min(box[1], y0), max(box[2], x1), max(box[3], y1)]
    return ExtractedField(
        name=spec.name, value=parsed.value, normalized=parsed.normalized,
        raw_text=" ".join(l.ocr.text for l in candidate.lines),
        confidence=round(score * candidate.anchor_score * parsed.quality, 4),
        page=first.page, bbox=[round(v, 1) for v in box], line_indices=tuple(l.index for l in candidate.lines),
        how=candidate.how,
    )


@dataclass(frozen=True)
class Review:
    violations: dict[str, list[str]]  # field name → its violation messages
    reasons: list[str]  # the document's review reasons; empty means done


def review(template: Template, variant: Variant, values: dict[str, tuple[str, Any, float | None]],
           today: date | None = None) -> Review:
    """Validate field values ``name → (value, normalized, confidence)`` the way extraction does:
    required fields missing, schema and rule violations, confidence below the template's minimum.
    Used after extraction and again after a reviewer's correction."""
    found = validate(template, {name: (v, n) for name, (v, n, _) in values.items()}, today)
    violations: dict[str, list[str]] = {name: [] for name in values}
    reasons = [f"required field {name} not found"
               for name in dict.fromkeys(s.name for s in variant.fields if s.required) if name not in values]
    for violation in found:
        if violation.field in violations:
            violations[violation.field].append(violation.message)
        reasons.append(violation.describe())
    for name, (_, _, confidence) in values.items():
        if confidence is not None and confidence < template.min_confidence:
            reasons.append(f"{name}: confidence {confidence:.2f} below {template.min_confidence}")
    return Review(violations, list(dict.fromkeys(reasons)))
