"""A reviewer's correction, checked the way extraction checks OCR: parser, schema, rules.

Pure functions over a template and an extraction; no I/O. The same function applies a new
correction to a document's stored fields and line items and applies the kept corrections again
to a fresh extraction when the document is processed again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from extractors.derive import DERIVED, GIVEN
from extractors.extract import ExtractedField, Extraction, Review, review
from extractors.fields import Parsed, parse
from extractors.items import ITEM_COLUMNS, LineItem
from extractors.table import EXEMPT, EXEMPT_WORDS, cell_value, rule_cells
from extractors.template import Template, Variant, load_templates
from extractors.validate import Violation, validate

PERSON = 1.0  # a person's value is certain


class InvalidCorrection(ValueError):
    """The reviewer's value is not a value of the field's kind (or the field is unknown), or a
    change to the line items names no row or cell there is."""


ITEM_ACTIONS = ("correct", "delete", "add")
ITEM_KINDS = {"quantity": "number", "unit_price": "number", "amount": "amount", "tax": "amount",
              "tax_rate": "tax rate (13%, 0.13, or 免税 for exempt)"}


@dataclass(frozen=True)
class ItemCorrection:
    """A reviewer's change to a document's line items, rows counted from 1 as shown when it was
    made: ``cells`` of row ``row`` set (``correct``), row ``row`` removed (``delete``), or a row of
    ``cells`` added as row ``row`` (``add``; ``row`` None: after the last). A cell given as None or
    blank text is cleared (not printed). The rows after a removed or added one move up or down a
    number, as the table then shows them."""

    action: str
    row: int | None
    cells: Mapping[str, str | None] = field(default_factory=dict)


def variant_of(template: Template, name: str | None) -> Variant:
    """The variant recorded as ``doc_type/variant`` (the first one if it is gone)."""
    wanted = (name or "").partition("/")[2]
    return next((v for v in template.variants if v.name == wanted), template.variants[0])


def parse_correction(template: Template, variant: Variant, field: str, text: str) -> Parsed:
    """``text`` parsed as ``field`` of this variant: its kind's parser with the template's options,
    a derived field's own reading (``GIVEN``) or plain text, a variant name for the variant field."""
    spec = next((s for s in variant.fields if s.name == field), None)
    if field in GIVEN and field in template.derived:  # printed or derived alike (a sorting code)
        given, kind = GIVEN[field](text), field.replace("_", " ")
        parsed = Parsed(*given, 0, len(text)) if given else None
    elif spec is not None:
        parsed = parse(spec.kind, text, **spec.options)
        kind = spec.kind
    elif field == template.variant_field:
        names = [v.name for v in template.variants]
        parsed = Parsed(text.strip(), text.strip(), 0, len(text)) if text.strip() in names else None
        kind = f"value (one of {', '.join(names)})"
    elif field in template.derived:
        parsed, kind = parse("text", text), "text"
    else:
        raise InvalidCorrection(f"{template.doc_type} has no field {field!r}")
    if parsed is None:
        raise InvalidCorrection(f"{field}: {text!r} is not a valid {kind}")
    return parsed


def parse_item_cell(column: str, text: str | None) -> str | None:
    """``text`` as line item cell ``column``, read as extraction reads the cell (``LineItem``'s
    conventions: amounts and numbers without grouping commas, a rate such as 13% as the fraction
    0.13, which is taken as given too; an exempt rate, 免税 or ``exempt``, as no rate); None for
    blank text (not printed). InvalidCorrection: no such cell, or not a value of its kind."""
    if column not in ITEM_COLUMNS:
        raise InvalidCorrection(f"a line item has no cell {column!r} (its cells: {', '.join(ITEM_COLUMNS)})")
    if text is None or not text.strip():
        return None
    if column == "tax_rate" and (text.strip().lower() == EXEMPT or any(w in text for w in EXEMPT_WORDS)):
        return None
    value = (_fraction(text) if column == "tax_rate" else None) or cell_value(column, text)[0]
    if value is None:
        raise InvalidCorrection(f"{column}: {text!r} is not a valid {ITEM_KINDS[column]}")
    return value


def _fraction(text: str) -> str | None:
    """A tax rate written as a fraction from 0 up to 1 (``"0.130"`` → ``"0.13"``); None otherwise."""
    try:
        rate = Decimal(text.strip())
    except InvalidOperation:
        return None
    return format(rate.normalize(), "f") if rate.is_finite() and 0 <= rate < 1 else None


def corrected_items(items: Sequence[LineItem], changes: Sequence[ItemCorrection],
                    strict: bool = False) -> tuple[list[LineItem], list[str]]:
    """``items`` with reviewers' ``changes`` made in the order given, and the review reasons of
    those that could not be made. Each cell is parsed as its column (``parse_item_cell``); a row
    a person corrected or added is kept at confidence 1.0 (they saw the whole row), a new row
    not located (no box, the page of the row it comes before, else of the last). The rows are
    numbered from 1 again. A change that names no row there is or whose value does not parse
    (the template changed since) raises InvalidCorrection when ``strict``, else is left out and
    named in the reasons."""
    rows, refused = list(items), []
    for change in changes:
        try:
            rows = _changed_rows(rows, change)
        except InvalidCorrection as exc:
            if strict:
                raise
            refused.append(f"a reviewer's change to the line items was not applied: {exc}")
    return [replace(item, row=number) for number, item in enumerate(rows, start=1)], refused


def _changed_rows(rows: list[LineItem], change: ItemCorrection) -> list[LineItem]:
    """``rows`` with ``change`` made (rows keep the numbers they had)."""
    if change.action not in ITEM_ACTIONS:
        raise InvalidCorrection(f"no such change to line items: {change.action!r} (one of {', '.join(ITEM_ACTIONS)})")
    cells = {column: parse_item_cell(column, text) for column, text in change.cells.items()}
    if change.action == "add":
        at = len(rows) if change.row is None else change.row - 1
        if not 0 <= at <= len(rows):
            raise InvalidCorrection(f"line item {change.row}: no such row to add one as (rows 1 to {len(rows) + 1})")
        if not any(value is not None for value in cells.values()):
            raise InvalidCorrection("a new line item needs at least one cell")
        beside = rows[min(at, len(rows) - 1)] if rows else None
        return [*rows[:at], LineItem(row=0, **cells, page=beside.page if beside else 1, confidence=PERSON), *rows[at:]]
    index = next((i for i, item in enumerate(rows) if item.row == change.row), None)
    if index is None:
        raise InvalidCorrection(f"line item {change.row}: no such row"
                                f" ({f'rows 1 to {len(rows)}' if rows else 'the document has no line items'})")
    if change.action == "delete":
        return rows[:index] + rows[index + 1:]
    if not cells:
        raise InvalidCorrection(f"line item {change.row}: no cell given to correct")
    return [*rows[:index], replace(rows[index], **cells, confidence=PERSON), *rows[index + 1:]]


def apply_corrections(extraction: Extraction, corrections: Sequence[tuple[str, str]], threshold: float | None = None,
                      strict: bool = False, item_changes: Sequence[ItemCorrection] = ()) -> Extraction:
    """``extraction`` with reviewers' values, ``(field, text)`` in the order given, in place of
    what was read: each parsed as its field's kind and kept at confidence 1.0 with the page and
    box of what it replaces, the fields derived from it derived again (dropped when no longer
    derivable); its line items with the reviewers' ``item_changes`` made (``corrected_items``);
    then every field and item validated and the review reasons stated as extraction states
    them (``threshold``: the done confidence); a doubt about a reading stays until a person gives
    that field. The rules see the fields withheld as too unsure to give, as they did at
    extraction; a withheld field stays withheld unless a rule now objects to it (then it is given,
    for review, as extraction gives it). A value that does not parse (the template changed
    since) or a change to a row there is not raises InvalidCorrection when ``strict``, else is
    left out and named in the reasons."""
    template = load_templates().get(extraction.doc_type)
    if template is None:
        if strict:
            raise InvalidCorrection(f"a document of type {extraction.doc_type!r} has no template to check it against")
        refused = [f"{name}: a reviewer's value was not applied: no template for type {extraction.doc_type!r}"
                   for name, _ in corrections]
        refused += [f"a reviewer's change to the line items was not applied: no template for type "
                    f"{extraction.doc_type!r}"] if item_changes else []
        return replace(extraction, reasons=refused + extraction.reasons, problems=refused + extraction.problems)
    variant = variant_of(template, extraction.template)
    items, refused = _items_changed(template, extraction.line_items, item_changes, strict)
    fields, withheld, given = dict(extraction.fields), dict(extraction.withheld), set()
    for name, text in corrections:
        try:
            parsed = parse_correction(template, variant, name, text)
        except InvalidCorrection as exc:
            if strict:
                raise
            refused.append(f"a reviewer's value was not applied: {exc}")
            continue
        given.add(name)
        fields[name] = _by_person(name, parsed.value, parsed.normalized, fields.get(name) or withheld.pop(name, None))
        if name == template.variant_field:
            variant = variant_of(template, f"{template.doc_type}/{parsed.value}")
        _rederive(template, name, fields, withheld)
    doubts = {n: why for n, why in extraction.doubts.items() if n in fields and n not in given}
    verdict = _judged(template, variant, fields, withheld, doubts, threshold, items)
    fields = {n: replace(f, violations=verdict.violations.get(n, [])) for n, f in fields.items()}
    return Extraction(template.doc_type, f"{template.doc_type}/{variant.name}", fields, refused + verdict.reasons,
                      refused + verdict.problems, withheld,
                      tuple(dict.fromkeys(s.name for s in variant.fields if s.required)), doubts, items)


def _items_changed(template: Template, items: list[LineItem], changes: Sequence[ItemCorrection],
                   strict: bool) -> tuple[list[LineItem], list[str]]:
    """``corrected_items`` for a document of ``template``, whose type must have an item table."""
    if not changes:
        return items, []
    if template.line_items is None:
        refusal = InvalidCorrection(f"{template.doc_type} has no line items")
        if strict:
            raise refusal
        return items, [f"a reviewer's change to the line items was not applied: {refusal}"]
    return corrected_items(items, changes, strict)


def _judged(template: Template, variant: Variant, fields: dict[str, ExtractedField],
            withheld: dict[str, ExtractedField], doubts: dict[str, str], threshold: float | None,
            items: list[LineItem]) -> Review:
    """Schema, rules (those on line items too) over ``fields`` and ``withheld`` alike, the doubts
    still standing and the confidence threshold over ``fields`` and ``items``. A withheld field a
    rule objects to moves into ``fields``."""
    values = {n: (f.value, f.normalized) for n, f in {**withheld, **fields}.items()}
    checked = validate(template.schema, template.rules, values,
                       items=[rule_cells(item) for item in items] if items else None)
    checked.violations.extend(Violation("doubt", why, n) for n, why in doubts.items())
    fields.update({n: withheld.pop(n) for n in {v.field for v in checked.violations} & withheld.keys()})
    return review(template, variant, {n: (f.value, f.normalized, f.confidence) for n, f in fields.items()},
                  threshold=threshold, checked=checked, items=items)


def _by_person(name: str, value: str, normalized, replaced: ExtractedField | None) -> ExtractedField:
    """A person's value for ``name``, keeping the place (page, box, raw text) of the value it replaces."""
    if replaced is None:
        return ExtractedField(name=name, value=value, normalized=normalized, raw_text=None, confidence=PERSON,
                              page=None, bbox=None, how="person")
    return replace(replaced, name=name, value=value, normalized=normalized, confidence=PERSON, how="person")


def _rederive(template: Template, source: str, fields: dict[str, ExtractedField],
              withheld: dict[str, ExtractedField]) -> None:
    """Derive again the fields that come from ``source`` (a waybill's sorting code from the
    receiver's address), at its confidence, into ``fields`` (out of ``withheld``); one no longer
    derivable is removed from both."""
    values = {name: (f.value, f.normalized) for name, f in fields.items()}
    for name in template.derived:
        origin, how = DERIVED[name]
        if origin != source:
            continue
        result, earlier = how(values), fields.get(name) or withheld.pop(name, None)
        if result is None:
            fields.pop(name, None)
        else:
            kept = earlier or replace(fields[source], raw_text=None)
            fields[name] = replace(kept, name=name, value=result[0], normalized=result[1],
                                   confidence=fields[source].confidence, how=f"derived from {source}")
