"""A reviewer's correction, checked the way extraction checks OCR: parser, schema, rules.

Pure functions over a template and the document's current field values; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from extractors.derive import DERIVED
from extractors.fields import Parsed, parse
from extractors.template import Template, Variant
from extractors.extract import Review, review

PERSON = 1.0  # a person's value is certain


class InvalidCorrection(ValueError):
    """The reviewer's value is not a value of the field's kind (or the field is unknown)."""


@dataclass(frozen=True)
class Current:
    """A field's value as stored: what validation and review reasons are computed from."""

    value: str
    normalized: Any
    confidence: float | None


def variant_of(template: Template, name: str | None) -> Variant:
    """The variant recorded as ``doc_type/variant`` (the first one if it is gone)."""
    wanted = (name or "").partition("/")[2]
    return next((v for v in template.variants if v.name == wanted), template.variants[0])


def parse_correction(template: Template, variant: Variant, field: str, text: str) -> Parsed:
    """``text`` parsed as ``field`` of this variant: its kind's parser with the template's options,
    plain text for a derived field, a variant name for the variant field."""
    spec = next((s for s in variant.fields if s.name == field), None)
    if spec is not None:
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


def rederived(template: Template, source: str, fields: dict[str, Current]) -> dict[str, Current | None]:
    """The derived fields that come from ``source``, recomputed (None: no longer derivable)."""
    values = {name: (f.value, f.normalized) for name, f in fields.items()}
    out: dict[str, Current | None] = {}
    for name in template.derived:
        origin, how = DERIVED[name]
        if origin == source:
            result = how(values)
            out[name] = Current(result[0], result[1], fields[source].confidence) if result else None
    return out


def evaluate(template: Template, variant: Variant, fields: dict[str, Current], today: date | None = None,
             threshold: float | None = None) -> Review:
    """Violations per field and the review reasons, exactly as extraction states them
    (``threshold``: the done confidence, default the calibrated model's)."""
    return review(template, variant, {n: (f.value, f.normalized, f.confidence) for n, f in fields.items()}, today,
                  threshold)
