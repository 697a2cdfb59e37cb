"""A reviewer's correction, checked the way extraction checks OCR: parser, schema, rules.

Pure functions over a template and an extraction; no I/O. The same function applies a new
correction to a document's stored fields and applies the kept corrections again to a fresh
extraction when the document is processed again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from extractors.derive import DERIVED, GIVEN
from extractors.extract import ExtractedField, Extraction, Review, review
from extractors.fields import Parsed, parse
from extractors.items import LineItem
from extractors.table import rule_cells
from extractors.template import Template, Variant, load_templates
from extractors.validate import Violation, validate

PERSON = 1.0  # a person's value is certain


class InvalidCorrection(ValueError):
    """The reviewer's value is not a value of the field's kind (or the field is unknown)."""


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


def apply_corrections(extraction: Extraction, corrections: Sequence[tuple[str, str]], threshold: float | None = None,
                      strict: bool = False) -> Extraction:
    """``extraction`` with reviewers' values, ``(field, text)`` in the order given, in place of
    what was read: each parsed as its field's kind and kept at confidence 1.0 with the page and
    box of what it replaces, the fields derived from it derived again (dropped when no longer
    derivable), then every field validated and the review reasons stated as extraction states
    them (``threshold``: the done confidence); a doubt about a reading stays until a person gives
    that field. The rules see the fields withheld as too unsure to give, as they did at
    extraction; a withheld field stays withheld unless a rule now objects to it (then it is given,
    for review, as extraction gives it). A value that does not parse (the template changed
    since) raises InvalidCorrection when ``strict``, else is left out and named in the reasons."""
    template = load_templates().get(extraction.doc_type)
    if template is None:
        if strict:
            raise InvalidCorrection(f"a document of type {extraction.doc_type!r} has no template to check it against")
        refused = [f"{name}: a reviewer's value was not applied: no template for type {extraction.doc_type!r}"
                   for name, _ in corrections]
        return replace(extraction, reasons=refused + extraction.reasons, problems=refused + extraction.problems)
    variant = variant_of(template, extraction.template)
    fields, withheld, refused, given = dict(extraction.fields), dict(extraction.withheld), [], set()
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
    verdict = _judged(template, variant, fields, withheld, doubts, threshold, extraction.line_items)
    fields = {n: replace(f, violations=verdict.violations.get(n, [])) for n, f in fields.items()}
    return Extraction(template.doc_type, f"{template.doc_type}/{variant.name}", fields, refused + verdict.reasons,
                      refused + verdict.problems, withheld,
                      tuple(dict.fromkeys(s.name for s in variant.fields if s.required)), doubts,
                      extraction.line_items)


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
