"""OCR lines in → classified, located, validated fields out (the core's one entry point)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from itertools import islice
from datetime import date
from decimal import Decimal
from typing import Any

from extractors.classify import UNKNOWN, classify
from extractors.confidence import LABELLED, SURE_READING, Evidence, load_model
from extractors.derive import DERIVED
from extractors.echoes import ECHO_KINDS, echo_key, is_echoed
from extractors.familiarity import UNFAMILIAR, Familiarity, familiarity
from extractors.fields import Parsed, parse
from extractors.fields.amount import COLUMN_SEPARATOR
from extractors.fields.date import date_order, is_ambiguous
from extractors.fields.text import is_cut_company
from extractors.items import LineItem
from extractors.layout_free import layout_free_fields
from extractors.layouts import Example, LayoutMemory, Recall, example_of
from extractors.lines import OcrLine
from extractors.places import repair_places
from extractors.region import document_region
from extractors.locate import (
    ABOVE_HEAD_COST, Anchor, Candidate, Line, anywhere, assign_sections, beside_vertical_label, candidates, column_above,
    continuation_lines, find_anchors, find_label, following, header, party_lines, prepare_lines, same_row, section_lines, sub_bbox,
)
from extractors.repair import repair_latin, separate_numbers, separate_words
from extractors.template import FieldSpec, Template, Variant, load_templates
from extractors.table import TableReading, read_table
from extractors.validate import Checked, Violation, item_key, validate

_CJK = re.compile(r"[\u3400-\u9fff]")
UNLABELLED = ("section", "party", "anywhere", "header_guess")
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
    evidence: Evidence | None = None  # what its confidence is computed from (not stored)

    @property
    def valid(self) -> bool:
        return not self.violations


@dataclass
class Extraction:
    doc_type: str
    template: str | None
    fields: dict[str, ExtractedField]
    reasons: list[str]
    problems: list[str] = field(default_factory=list)  # the reasons that are not a low confidence
    withheld: dict[str, ExtractedField] = field(default_factory=dict)  # optional fields too unsure to give
    required: tuple[str, ...] = ()  # the fields the matched variant requires
    doubts: dict[str, str] = field(default_factory=dict)  # field → why its reading is in doubt (until a person gives it)
    line_items: list[LineItem] = field(default_factory=list)  # the item table's rows, for types that have one
    example: Example | None = None  # the layout's marks and every field's box: what a person's confirmation teaches

    def confirmed(self, names) -> Example | None:
        """``example`` with only the fields ``names`` (those a person confirmed as extracted)."""
        return replace(self.example, boxes={n: b for n, b in self.example.boxes.items() if n in names}) \
            if self.example else None

    @property
    def status(self) -> str:
        """``done`` or ``needs_review`` (see ``status_of``)."""
        return status_of(self.reasons)


def status_of(reasons: list[str]) -> str:
    """A document's status from its review reasons: ``done`` when nothing needs a person, else
    ``needs_review`` (decided here only: extraction, corrections and the kept history)."""
    return "needs_review" if reasons else "done"


def extract_document(lines: list[OcrLine], doc_type: str | None = None, today: date | None = None,
                     trace: dict[str, list[dict]] | None = None, threshold: float | None = None,
                     memory: LayoutMemory | None = None) -> Extraction:
    """Classify (unless ``doc_type`` is given), extract with the best variant, cross-check and
    validate (``today``, default the current date, is what "not in the future" means). Each
    field's confidence is the calibrated probability that it is right; the document is done
    only when every field reaches ``threshold`` (default: the calibrated model's for the type,
    on a layout ``memory`` recalls its own) and no rule objects. A ``trace`` dict receives, per
    variant, every anchor and candidate tried (see ``explain``). ``memory`` holds the layouts
    people confirmed (``extractors.layouts``): a value where they confirmed its field on this
    layout counts as evidence for it, one elsewhere against."""
    templates = load_templates()
    if doc_type is None:
        doc_type = classify(lines, templates).doc_type
    template = templates.get(doc_type)
    if template is None:
        reason = "document type unknown" if doc_type == UNKNOWN else f"no template for type {doc_type!r}"
        return Extraction(doc_type, None, _layout_free(lines), [reason], [reason])
    prepared = prepare_lines(lines)
    membership = assign_sections(prepared, template.sections, _foreign_labels(template))  # the variants share them
    auto = document_options(prepared)
    variant, context = max(_variant_contexts(template, prepared, membership, trace, auto),
                           key=lambda pair: (-_title_position(pair[0], prepared), *_coverage(pair[0], pair[1].found)))
    fields = context.found
    recall = memory.recall(template.doc_type, lines) if memory else None
    if recall:
        fields.update(_remembered(variant, recall, prepared, context))
    table = read_table(prepared, template.line_items) if template.line_items else None
    if table:
        fields.update(_table_totals(table))
    fields.update(derive_fields(template, fields))
    if template.variant_field:
        fields[template.variant_field] = _variant_field(template.variant_field, variant, fields)
    filled = filled_by_rules(template, fields)
    fields.update({name: copy for name, (copy, _) in filled.items()})
    internal = frozenset(s.name for s in variant.fields if s.internal)
    checked = validate(template.schema, template.rules, {n: (f.value, f.normalized) for n, f in fields.items()}, today,
                       internal, [row.rule_cells() for row in table.rows] if table else None)
    checked.confirmed -= {name for copy, (_, source) in filled.items() for name in (copy, source)}  # a copy agrees with its source
    checked.confirmed |= _echoed(fields, variant, prepared, membership, template.sections)
    for name in internal:
        fields.pop(name, None)
    layout = familiarity(template, variant, prepared)
    _calibrate(fields, checked, layout, recall)
    items = _rated_items(table, checked, layout) if table else []
    for name, (copy, source) in filled.items():  # a copy is never surer than what it was copied from
        copy.confidence = min(copy.confidence, round(fields[source].confidence * COPY_SHARE, 4))
    if threshold is None:
        threshold = load_model().threshold_for(template.doc_type, any(f.evidence.placed for f in fields.values()))
    withheld = _withhold_unsure(fields, variant, checked, threshold)
    checked.violations.extend(Violation("doubt", why, name) for name, why in context.doubts.items())
    verdict = review(template, variant, {n: (f.value, f.normalized, f.confidence) for n, f in fields.items()}, today,
                     threshold, checked, items)
    for name, messages in verdict.violations.items():
        fields[name].violations = messages
    example = example_of(template.doc_type, lines, {n: (f.page, f.bbox) for n, f in {**fields, **withheld}.items()})
    return Extraction(template.doc_type, f"{template.doc_type}/{variant.name}", fields, verdict.reasons, verdict.problems,
                      withheld, tuple(dict.fromkeys(s.name for s in variant.fields if s.required)), dict(context.doubts),
                      items, example)


def _table_totals(table: TableReading) -> dict[str, ExtractedField]:
    """The fields the item table's stop row gives (the 合计 row's amount and tax), each found
    beside the row's label in its column."""
    found = {}
    for name, cell in table.totals.items():
        parsed = parse("amount", cell.text)
        normalized = {**parsed.normalized, "amount": cell.value} if parsed else {"amount": cell.value, "currency": None}
        found[name] = ExtractedField(
            name=name, value=cell.value, normalized=normalized, raw_text=cell.text, confidence=cell.ocr * cell.quality,
            page=cell.lines[0].page, bbox=list(cell.bbox), line_indices=tuple(l.index for l in cell.lines), how="right",
            evidence=Evidence(kind="amount", how="right", ocr=cell.ocr, weakest=cell.weakest, quality=cell.quality,
                              anchor=1.0))
    return found


ITEM_KINDS = {"quantity": "amount", "unit_price": "amount", "amount": "amount", "tax": "amount", "tax_rate": "tax_rate"}


def _rated_items(table: TableReading, checked: Checked, layout: Familiarity) -> list[LineItem]:
    """The table's items, each with its weakest cell's calibrated confidence: a cell is read
    beside its column's label, and confirmed when a rule on items agreed with it (a cell filled
    in from the others never is)."""
    model, items = load_model(), []
    for row in table.rows:
        confidences = [model.probability(Evidence(
            kind=ITEM_KINDS.get(column, "text"), how="cross_check" if cell.filled else "right", ocr=cell.ocr,
            weakest=cell.weakest, quality=cell.quality, anchor=0.0 if cell.filled else 1.0,
            confirmed=int(not cell.filled and item_key(row.item.row, column) in checked.confirmed),
            anchored=layout.anchored, titled=layout.titled, known_labels=layout.known_labels))
            for column, cell in row.cells.items()]
        items.append(replace(row.item, confidence=min(confidences, default=0.0)))
    return items


def _variant_contexts(template: Template, lines: list[Line], membership: dict[int, set[str]],
                      trace: dict[str, list[dict]] | None, auto: dict[str, Any]) -> list[tuple[Variant, Context]]:
    """Each variant with what ``extract_variant`` finds for it; variants with the same fields
    (titles apart) share one search unless a trace is asked for."""
    found: list[tuple[Variant, Context]] = []
    for v in template.variants:
        same = next((c for other, c in found if other.fields == v.fields), None) if trace is None else None
        found.append((v, same or extract_variant(template, v, lines, membership,
                                                  trace.setdefault(v.name, []) if trace is not None else None, auto)))
    return found


COPY_SHARE = 0.98  # a value filled in by a cross-check keeps at most this share of its source's confidence


WHOLE_SHARE = 0.8  # of a remembered spot's text its value must cover


def _remembered(variant: Variant, recall: Recall, lines: list[Line], context: Context) -> dict[str, ExtractedField]:
    """Fields read where people confirmed them on this layout (``how`` "remembered"): each required
    field of the variant (an optional one may be absent, its spot holding other print) the template
    found nowhere, or somewhere people never confirmed it, from the text lying in its newest
    confirmed spot that parses as its kind and covers ``WHOLE_SHARE`` of it (a name cut from a
    tracking number's spot is no name)."""
    found = {}
    for spec in {s.name: s for s in reversed(variant.fields) if s.required}.values():
        current = context.found.get(spec.name)
        if current is not None and recall.placement(spec.name, current.page, current.bbox) >= 0:
            continue
        for page, box in recall.spots(spec.name):
            candidate = _candidate_in(lines, page, box)
            parsed = _parse(spec, candidate.text, context) if candidate else None
            if parsed and parsed.end - parsed.start >= WHOLE_SHARE * len(candidate.text.replace(" ", "")):
                found[spec.name] = _to_field(spec, candidate, parsed)
                break
    return found


def _candidate_in(lines: list[Line], page: int, box: tuple[float, float, float, float]) -> Candidate | None:
    """The text of ``lines`` lying inside ``box`` on ``page``: every line whose middle lies in it
    vertically, cut to its characters whose middles lie in it (proportional to the line's length)."""
    x0, y0, x1, y1 = box
    parts = []
    for line in lines:
        lx0, ly0, lx1, ly1 = line.ocr.bbox
        if line.page != page or not y0 <= (ly0 + ly1) / 2 <= y1 or lx1 < x0 or lx0 > x1:
            continue
        step = (lx1 - lx0) / max(len(line.text), 1)
        inside = [i for i in range(len(line.text)) if x0 <= lx0 + (i + 0.5) * step <= x1]
        if inside:
            parts.append((line, *_whole_tokens(line.text, inside[0], inside[-1] + 1)))
    if not parts:
        return None
    text = " ".join(line.text[start:end] for line, start, end in parts)
    return Candidate(text, tuple(line for line, _, _ in parts), parts[0][1], 1.0, "remembered")


def _whole_tokens(text: str, start: int, end: int) -> tuple[int, int]:
    """``start:end`` widened so that no run of Latin letters and digits is cut (a longer account
    number than the ones confirmed)."""
    while 0 < start < len(text) and text[start - 1].isascii() and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while 0 < end < len(text) and text[end].isascii() and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return start, end


def _withhold_unsure(fields: dict[str, ExtractedField], variant: Variant, checked: Checked,
                     threshold: float) -> dict[str, ExtractedField]:
    """Optional fields below the threshold that no rule objects to are taken out of the result
    (a value not given is better than a wrong one; a required field stays, for review)."""
    required = {s.name for s in variant.fields if s.required}
    objected = {v.field for v in checked.violations}
    unsure = [n for n, f in fields.items() if n not in required and n not in objected and f.confidence < threshold]
    return {name: fields.pop(name) for name in unsure}


def _layout_free(lines: list[OcrLine]) -> dict[str, ExtractedField]:
    """The entities of a document without a template (``extractors.layout_free``), calibrated."""
    options = document_options(prepare_lines(lines))
    fields = {name: ExtractedField(name=name, value=f["value"], normalized=f["normalized"], raw_text=f["raw_text"],
                                   confidence=0.0, page=f["page"], bbox=f["bbox"], how="layout_free",
                                   evidence=f["evidence"])
              for name, f in layout_free_fields(lines, options["region"], options["day_first"]).items()}
    _calibrate(fields, Checked(), UNFAMILIAR)
    return fields


def filled_by_rules(template: Template, fields: dict[str, ExtractedField]) -> dict[str, tuple[ExtractedField, str]]:
    """Fields a cross-check can supply when only one of its pair was found: the amount in
    digits from the amount in words, or the other way round (same value, found by the rule, so
    at a lower confidence). Each filled name → (its field, the name it was copied from); the
    rule comparing the two then confirms neither."""
    filled = {}
    for rule in template.rules:
        if rule.name != "amount_words_match":
            continue
        words, digits = rule.params.get("words", "amount_words"), rule.params.get("digits", "amount")
        for have, missing in ((words, digits), (digits, words)):
            if have in fields and missing not in fields and missing not in filled:
                origin = fields[have]
                filled[missing] = (replace(origin, name=missing, violations=[], how="cross_check",
                                           evidence=replace(origin.evidence, how="cross_check")), have)
    return filled


def _echoed(fields: dict[str, ExtractedField], variant: Variant, lines: list[Line],
            membership: dict[int, set[str]], sections: dict[str, tuple[str, ...]]) -> set[str]:
    """The fields whose value the page prints again, in the field's own block when it has one
    (``extractors.echoes``): a cross-check that agrees."""
    specs = {spec.name: spec for spec in variant.fields}
    echoed = set()
    for name, found in fields.items():
        spec = specs.get(name)
        if spec is None or spec.kind not in ECHO_KINDS or not found.line_indices:
            continue
        key = echo_key(spec.kind, found.value, found.normalized)
        page = [l for l in lines if l.page == found.page]
        if key and is_echoed(key, spec.kind, set(found.line_indices), page,
                             _block(spec.section, sections, membership, page)):
            echoed.add(name)
    return echoed


def _block(section: str | None, sections: dict[str, tuple[str, ...]], membership: dict[int, set[str]],
           lines: list[Line]) -> set[int] | None:
    """The lines of ``section``'s block (None: the whole page, for a field of none); where no
    block was found, every line but those another block's mark starts (寄：… for a receiver)."""
    if section is None:
        return None
    if membership:
        return {i for i, of in membership.items() if section in of}
    foreign = tuple(label for other, labels in sections.items() if other != section for label in labels)
    return {l.index for l in lines if not l.text.lstrip().startswith(foreign)}


def _calibrate(fields: dict[str, ExtractedField], checked: Checked, layout: Familiarity,
               recall: Recall | None = None) -> None:
    """Each field's confidence from its evidence, with what the cross-checks said about it, how
    familiar the document's layout is and where people confirmed it on this layout (``recall``).
    A field confirmed in part counts as confirmed when OCR read every character of it surely."""
    model = load_model()
    contradicted = {v.field for v in checked.violations}
    for name, found in fields.items():
        evidence = replace(found.evidence or Evidence(kind="unknown", how=found.how), anchored=layout.anchored,
                           titled=layout.titled, known_labels=layout.known_labels,
                           placed=recall.placement(name, found.page, found.bbox) if recall else 0)
        if name in checked.confirmed or (name in checked.confirmed_in_part and evidence.weakest >= SURE_READING):
            evidence = replace(evidence, confirmed=1)
        elif name in contradicted:
            evidence = replace(evidence, confirmed=-1)
        found.evidence, found.confidence = evidence, model.probability(evidence)


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
                                how=f"derived from {source}", evidence=replace(origin.evidence, how="derived"))
    return derived


def _foreign_labels(template: Template) -> dict[str, tuple[str, ...]]:
    """Per section, the labels of fields outside it that hold one of its labels (寄件时间 holds
    寄件): a line with one is that field's, no block's head."""
    return {name: tuple(dict.fromkeys(
        anchor for variant in template.variants for spec in variant.fields if spec.section != name
        for anchor in spec.anchors if anchor not in heads and any(head in anchor for head in heads)))
        for name, heads in template.sections.items()}


def _title_position(variant: Variant, lines: list[Line]) -> int:
    """Where the variant's title first appears in reading order (titles come first; a deposit
    slip may name a cheque further down). Variants without keywords rank last."""
    return next((l.index for l in lines for k in variant.keywords if k in l.text.replace(" ", "")), len(lines))


def _variant_field(name: str, variant: Variant, fields: dict[str, ExtractedField]) -> ExtractedField:
    """The matched variant as a field (a bank bill's type), placed on the first field's page."""
    first = next(iter(fields.values()), None)
    evidence = Evidence(kind="variant", how="variant", quality=1.0 if variant.keywords else 0.5)
    return ExtractedField(name=name, value=variant.name, normalized=variant.name, raw_text="",
                          confidence=evidence.quality, page=first.page if first else 1,
                          bbox=[], how="variant", evidence=evidence)


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
    auto: dict[str, Any] = field(default_factory=dict)  # parser options the document decides
    doubts: dict[str, str] = field(default_factory=dict)  # field → why its reading is in doubt
    membership: dict[int, set[str]] = field(default_factory=dict)  # line index → its sections (none found: empty)

    def note(self, **event: Any) -> None:
        if self.trace is not None:
            self.trace.append(event)


def extract_variant(template: Template, variant: Variant, lines: list[Line], membership: dict[int, set[str]],
                    trace: list[dict] | None = None, auto: dict[str, Any] | None = None) -> Context:
    """Every field of the variant that can be found (``found``, by name), and the doubts about
    their readings; ``membership``: line index → its sections (``assign_sections``); ``auto``:
    the options the document settles (``document_options``); ``trace`` collects why."""
    context = Context(lines, _stop_labels(template, variant), template.sections, {}, trace, dict(auto or {}),
                      membership=membership)
    for spec in variant.fields:
        if spec.name in context.found:
            continue  # an alternative spec (amount/cells) for a field already found
        scoped = [l for l in lines if spec.section is None or not membership or spec.section in membership.get(l.index, ())]
        result = locate_field(spec, replace(context, lines=scoped))
        if result is None and spec.section and membership and (labels := _row_labels(spec, lines, scoped)):
            result = locate_field(spec, replace(context, lines=sorted(scoped + labels, key=lambda l: l.index)))
        context.note(field=spec.name, event="result", value=result.value if result else None,
                     how=result.how if result else None)
        if result:
            context.found[spec.name] = result
            if spec.kind == "date" and spec.options.get("day_first") == AUTO and context.auto.get("day_first") is None \
                    and is_ambiguous(result.raw_text):
                context.doubts[spec.name] = "printed ambiguously (day or month first?), and nothing on the document settles it"
    return context


def _row_labels(spec: FieldSpec, lines: list[Line], scoped: list[Line]) -> list[Line]:
    """Row labels of a table whose columns are the sections (全称 / 账号 at the left, 收款人 and
    付款人 heading two columns): lines outside the section holding one of the field's labels,
    with the section's own text on their row, all of it to their right."""
    inside = {l.index for l in scoped}
    labels = []
    for line in lines:
        if line.index in inside or not find_anchors(spec.anchors, [line], spec.exclude):
            continue
        row = [l for l in scoped if same_row(l.ocr, line.ocr)]
        if row and all(l.ocr.bbox[0] >= line.ocr.bbox[2] for l in row):
            labels.append(line)
    return labels


def _stop_labels(template: Template, variant: Variant) -> tuple[str, ...]:
    """The Chinese labels of every field and section: where a value on a label's line ends."""
    labels = [label for spec in variant.fields for label in spec.anchors]
    labels += [label for section in template.sections.values() for label in section]
    return tuple(dict.fromkeys(l for l in labels if len(l) > 1 and _CJK.search(l)))


def locate_field(spec: FieldSpec, context: Context) -> ExtractedField | None:
    """The first candidate where the template says to look that parses as the field's kind
    (with ``select: max``, the largest amount among the anchored candidates: see _largest).
    Its evidence counts the rivals: other values found the same way (beside a label, in a
    block, unlabelled) among the candidates."""
    if spec.prefer:
        preferred = replace(spec, anchors=spec.prefer, prefer=(), select="first", where=("same_line", "right"))
        if result := locate_field(preferred, context):
            return result
    results = list(islice(_parsed_candidates(spec, context), MAX_CANDIDATES))
    if spec.select == "max":
        chosen = _largest(results)
    elif spec.select == "best":
        chosen = _surest(results)
    elif spec.select == "tallest":
        chosen = _tallest(results, context)
    else:
        chosen = next(iter(results), None)
    if chosen is None:
        return None
    group = _how_group(chosen.how)
    rivals = len({r.value for r in results if _how_group(r.how) == group} - {chosen.value})
    return replace(chosen, evidence=replace(chosen.evidence, rivals=rivals))


MAX_CANDIDATES = 24  # parsed candidates looked at per field: the chosen one and its rivals


def _how_group(how: str) -> str:
    return "labelled" if how in LABELLED else how


def _tallest(results: list[ExtractedField], context: Context) -> ExtractedField | None:
    """The first labelled value, else the unlabelled one printed largest on the first page with
    one (a cheque's number beside the smaller bank code above it)."""
    labelled = [r for r in results if r.how not in UNLABELLED]
    if labelled or not results:
        return next(iter(labelled), None)
    on_page = [r for r in results if r.page == results[0].page]
    heights = {l.index: l.ocr.height for l in context.lines}
    return max(on_page, key=lambda r: heights[r.line_indices[0]])


_HOUSE_TAIL = re.compile(r"[0-9A-Za-z-]*(?:[号栋幢座楼层单元室]+[0-9A-Za-z-]*)*[号栋幢座楼层单元室0-9]")  # 02室, 1单元2402室


def _surest(results: list[ExtractedField]) -> ExtractedField | None:
    """On the first page with a value: the highest-confidence labelled value (the first on
    ties), else the first unlabelled one — or a reading of it found the same way whose next line
    completed its house number (…6单元24 with 02室 below it: a copy cut at the same place is no
    surer)."""
    if not results:
        return None
    on_page = [r for r in results if r.page == results[0].page]
    labelled = [r for r in on_page if r.how not in UNLABELLED]
    chosen = max(labelled, key=lambda r: r.confidence) if labelled else on_page[0]
    completed = [r for r in on_page if r.how == chosen.how and r.value.startswith(chosen.value)
                 and len(r.line_indices) > 1 and _HOUSE_TAIL.fullmatch(r.value[len(chosen.value):])]
    return max(completed, key=lambda r: r.confidence) if completed else chosen


def _largest(results: list[ExtractedField]) -> ExtractedField | None:
    """The largest amount on its anchor's row, else below it, else anywhere."""
    for hows in (("same_line", "right"), ("beside", "below"), ("anywhere",)):
        if near := [r for r in results if r.how in hows]:
            return max(near, key=lambda r: Decimal(r.value))
    return None


def _parsed_candidates(spec: FieldSpec, context: Context):
    """Every candidate that parses, as fields, lazily in the template's order."""
    for candidate in _all_candidates(spec, context):
        if candidate.how not in ("same_line", "boxed") and _holds_label(candidate.text, context.stop_labels):
            context.note(field=spec.name, event="candidate", how=candidate.how, text=candidate.text,
                         page=candidate.lines[0].page, parsed=None, skipped="holds another field's label")
            continue
        text = _cleaned(spec, candidate.text)
        if text and len(candidate.lines) == 1 and (at := candidate.text.find(text)) > 0:
            candidate = replace(candidate, offset=candidate.offset + at)  # the regex kept a later part: box and characters are its
        parsed = _parse(_with_label_unit(spec, candidate), text, context) if text is not None else None
        if parsed is not None and candidate.how in UNLABELLED and parsed.quality < spec.min_quality:
            parsed = None  # with no label saying what it is, only a sure parse counts
        context.note(field=spec.name, event="candidate", how=candidate.how, text=candidate.text,
                     page=candidate.lines[0].page, parsed=parsed.value if parsed else None)
        if parsed is None:
            continue
        if spec.multiline or (spec.kind == "name" and is_cut_company(parsed.value)):
            candidate, parsed = _extend(spec, candidate, parsed, context)
        yield _to_field(spec, candidate, parsed)


_LABEL_UNIT = re.compile(r"[(（]\s*(kg|KG|g|公斤|千克|克|斤|lbs?|吨)\s*[)）]")


def _with_label_unit(spec: FieldSpec, candidate: Candidate) -> FieldSpec:
    """A weight's spec with the unit its label prints in brackets (计费重量（g）: 200 is 0.2 kg)."""
    if spec.kind != "weight":
        return spec
    label = (candidate.label or candidate.lines[0]).text  # the label's line, or the value's own (重量(克):350)
    unit = _LABEL_UNIT.search(label)
    return replace(spec, options={**spec.options, "default_unit": unit.group(1)}) if unit else spec


def _parse(spec: FieldSpec, text: str, context: Context) -> Parsed | None:
    """Parse with the template's options (``auto`` ones as the document decides: its region,
    its date order), plus hints from fields found before (a printed carrier); without the hints
    when they make it fail (a rule then reports the mismatch)."""
    options = {k: context.auto.get(k) if v == AUTO else v for k, v in spec.options.items()}
    hints = {opt: context.found[name].value for opt, name in spec.options_from.items() if name in context.found}
    parsed = parse(spec.kind, text, **options, **hints) if hints else None
    return parsed or parse(spec.kind, text, **{k: v for k, v in options.items() if v is not None})


AUTO = "auto"


def document_options(lines: list[Line]) -> dict[str, Any]:
    """The parser options a document settles itself: ``region`` (its country, for phone numbers
    without a country code) and ``day_first`` (its country's date order, else the order its
    unambiguous dates show; None when nothing settles it)."""
    region = document_region([l.ocr for l in lines])
    order = region.day_first if region.day_first is not None else date_order(" | ".join(l.text for l in lines))
    return {"region": region.country, "day_first": order}


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
    foreign = tuple(label for label in context.stop_labels if label not in spec.anchors)
    for page in sorted({l.page for l in context.lines}):
        lines = [l for l in context.lines if l.page == page]
        for anchor in (a for a in anchors if a.line.page == page):
            in_section = spec.section is None or _section_at(anchor, context.sections) in (None, spec.section)
            in_section = in_section and not _inside_longer_label(anchor, foreign)
            context.note(field=spec.name, event="anchor", label=anchor.label, line=anchor.line.text, page=page,
                         bbox=list(anchor.line.ocr.bbox), score=anchor.score, used=in_section)
            if in_section:
                yield from candidates(anchor, spec.where, lines, context.stop_labels)
        yield from _fallbacks(spec, lines, context)


def _inside_longer_label(anchor: Anchor, labels: tuple[str, ...]) -> bool:
    """True when the anchor's label is part of a longer one of ``labels`` where it was read: the
    出票人 of 出票人账号 (the payer's account) or the 全称 of 收款人全称 labels another field."""
    return any(len(label) > len(anchor.label) and (hit := find_label(label, anchor.line.text))
               and hit[1] <= anchor.start and anchor.end <= hit[2] for label in labels)


def _fallbacks(spec: FieldSpec, lines: list[Line], context: Context):
    """The places a template may look without a label, on one page."""
    if "section" in spec.where and spec.section and context.membership:
        found = section_lines(lines, context.sections[spec.section])
        yield from (_nearest_mark_first(list(found), lines, context.sections[spec.section])
                    if spec.kind in NEAREST_MARK_KINDS else found)
    if "header" in spec.where:
        yield from header(lines, spec.words, spec.skip)
    if "after_field" in spec.where and spec.after in context.found:
        yield from following(lines, context.found[spec.after].line_indices, spec.skip, spec.stop, spec.max_lines)
    if "column_above" in spec.where and spec.after in context.found:
        yield from column_above(lines, context.found[spec.after].line_indices, COLUMN_SEPARATOR)
    if "party" in spec.where and not context.membership and spec.section in PARTY_ROLES:
        yield from party_lines(lines, PARTY_ROLES[spec.section], after_phone=spec.kind == "address")
    if "boxed" in spec.where:
        yield from beside_vertical_label(lines, spec.anchors)
    if "anywhere" in spec.where:
        yield from anywhere(lines)


NEAREST_MARK_KINDS = ("phone", "address")  # a name stands apart: the top one, as the name check admits few


def _nearest_mark_first(found: list[Candidate], lines: list[Line], labels: tuple[str, ...]) -> list[Candidate]:
    """A block's candidates nearest its mark first (its label, or the 收 read onto a name), in
    reading order among equals: a block whose mark stands beside its middle can take in another
    party's lines above or below it (a sender whose 寄 was not read), and its own values lie by
    the mark. A line beside the mark (their heights overlap) is at distance 0, others at their
    vertical gap to it, doubled above it (blocks run downwards)."""
    marks = [l for l in lines if any(find_label(label, l.text) for label in labels)]
    marks += [c.lines[0] for c in found if c.offset > 0]
    if not marks:
        return found

    def distance(line: Line, mark: Line) -> float:
        (_, top, _, bottom), (_, mark_top, _, mark_bottom) = line.ocr.bbox, mark.ocr.bbox
        return ABOVE_HEAD_COST * max(0.0, mark_top - bottom) + max(0.0, top - mark_bottom)

    return sorted(found, key=lambda c: min((distance(c.lines[0], m) for m in marks if m.page == c.lines[0].page),
                                           default=0.0))


PARTY_ROLES = {"receiver": 0, "sender": 1}  # sections a party found without labels stands for, by print size


def _repaired(spec: FieldSpec, text: str) -> str:
    if "latin" in spec.repair:
        text = repair_latin(text)
    if "numbers" in spec.repair:
        text = separate_numbers(text)
    if "words" in spec.repair:
        text = separate_words(text, spec.words)
    if "places" in spec.repair:
        text = repair_places(text)
    return text


def _cut_name(text: str) -> str:
    match = _NAME_END.search(text)
    return text[: match.start()].strip() if match else text


def _extend(spec: FieldSpec, candidate: Candidate, parsed: Parsed, context: Context):
    """The value continued over the lines right below it (a multi-line address, a company's
    name cut where it wrapped), if it parses."""
    marks = tuple(head for heads in context.sections.values() for head in heads if len(head) == 1)
    extra = continuation_lines(candidate.lines[-1], context.lines, context.stop_labels, candidate.label, marks)
    if not extra:
        return candidate, parsed
    joined = candidate.text + "".join(l.text for l in extra)
    longer = parse(spec.kind, _repaired(spec, joined), **spec.options)
    if longer is None:
        return candidate, parsed
    extended = replace(candidate, text=joined, lines=candidate.lines + tuple(extra))
    return extended, longer


def _to_field(spec: FieldSpec, candidate: Candidate, parsed: Parsed) -> ExtractedField:
    first = candidate.lines[0]
    score = min(l.ocr.score for l in candidate.lines)
    start = candidate.offset + parsed.start
    weakest = min([_weakest_char(first, start, candidate.offset + parsed.end)] + [l.ocr.weakest() for l in candidate.lines[1:]])
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
        evidence=Evidence(kind=spec.kind, how=candidate.how, ocr=score, weakest=weakest, quality=parsed.quality,
                          anchor=candidate.anchor_score if candidate.how in LABELLED else 0.0,
                          prominence=candidate.prominence),
    )


def _weakest_char(line: Line, start: int, end: int) -> float:
    """The lowest character probability of the value at ``line.text[start:end]`` (the
    normalized text's span, taken proportionally on the recognized text)."""
    n = max(len(line.text), 1)
    return line.ocr.weakest(start / n, min(end, n) / n)


@dataclass(frozen=True)
class Review:
    violations: dict[str, list[str]]  # field name → its violation messages
    problems: list[str]  # required fields missing, rule and schema violations
    unsure: list[str]  # fields below the confidence threshold

    @property
    def reasons(self) -> list[str]:
        """The document's review reasons; empty means done."""
        return self.problems + self.unsure


def review(template: Template, variant: Variant, values: dict[str, tuple[str, Any, float | None]],
           today: date | None = None, threshold: float | None = None, checked: Checked | None = None,
           items: list[LineItem] | tuple[LineItem, ...] = ()) -> Review:
    """Validate field values ``name → (value, normalized, confidence)`` the way extraction does:
    required fields missing, schema and rule violations (``checked``, when already known), any
    confidence below ``threshold`` (default: the calibrated model's), of a field or of a line
    item (``items``). Used after extraction and again after a reviewer's correction."""
    if checked is None:
        checked = validate(template.schema, template.rules, {name: (v, n) for name, (v, n, _) in values.items()}, today)
    threshold = load_model().threshold_for(template.doc_type) if threshold is None else threshold
    violations: dict[str, list[str]] = {name: [] for name in values}
    reasons = [f"required field {name} not found"
               for name in dict.fromkeys(s.name for s in variant.fields if s.required) if name not in values]
    for violation in checked.violations:
        if violation.field in violations:
            violations[violation.field].append(violation.message)
        reasons.append(violation.describe())
    unsure = [f"{name}: confidence {confidence:.2f} below {threshold}"
              for name, (_, _, confidence) in values.items() if confidence is not None and confidence < threshold]
    unsure += [f"line item {item.row}: confidence {item.confidence:.2f} below {threshold}"
               for item in items if item.confidence < threshold]
    return Review(violations, list(dict.fromkeys(reasons)), unsure)
