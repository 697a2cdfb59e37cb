"""JSON Schema validation and business rules: every problem becomes a Violation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jsonschema import Draft202012Validator

from extractors.template import Template
from schemas import load_schema

Values = dict[str, tuple[str, Any]]  # field name → (value, normalized)


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str
    field: str | None = None

    def describe(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


def validate(template: Template, values: Values) -> list[Violation]:
    """Schema errors first, then the template's rules, in a stable order."""
    return schema_violations(template.schema, values) + rule_violations(template.rules, values)


def schema_violations(schema_name: str, values: Values) -> list[Violation]:
    validator = Draft202012Validator(load_schema(schema_name))
    instance = {name: value for name, (value, _) in values.items()}
    violations = []
    for error in sorted(validator.iter_errors(instance), key=lambda e: list(e.path)):
        if error.validator == "required":
            continue  # reported as "required field ... not found" by the extractor
        where = str(error.path[0]) if error.path else None
        violations.append(Violation(f"schema:{error.validator}", error.message, where))
    return violations


def rule_violations(rule_names: tuple[str, ...], values: Values) -> list[Violation]:
    violations = []
    for name in rule_names:
        rule = RULES.get(name)
        if rule is None:
            raise LookupError(f"unknown rule {name!r}")
        violations.extend(rule(values))
    return violations


def _normalized(values: Values, name: str) -> Any:
    return values[name][1] if name in values else None


def receiver_phone_valid(values: Values) -> list[Violation]:
    phone = _normalized(values, "receiver_phone")
    if phone is None:
        return []
    if phone.get("type") not in ("mobile", "fixed_line", "fixed_line_or_mobile"):
        return [Violation("receiver_phone_valid", "not a reachable phone number", "receiver_phone")]
    return []


def receiver_address_resolves(values: Values) -> list[Violation]:
    address = _normalized(values, "receiver_address")
    if address is None:
        return []
    if not address.get("province") or not address.get("city"):
        return [Violation("receiver_address_resolves", "address does not resolve to a province and city", "receiver_address")]
    return []


def tracking_matches_carrier(values: Values) -> list[Violation]:
    tracking = _normalized(values, "tracking_number")
    if tracking is None:
        return []
    if not tracking.get("carrier"):
        return [Violation("tracking_matches_carrier", "matches no carrier's tracking-number pattern", "tracking_number")]
    return []


def sorting_code_known(values: Values) -> list[Violation]:
    if "receiver_address" in values and "sorting_code" not in values:
        return [Violation("sorting_code_known", "no sorting code for the receiver's city or province", "receiver_address")]
    return []


def total_positive(values: Values) -> list[Violation]:
    total = _normalized(values, "total")
    if total is not None and Decimal(total["amount"]) <= 0:
        return [Violation("total_positive", "total must be positive", "total")]
    return []


RULES: dict[str, Callable[[Values], list[Violation]]] = {
    "total_positive": total_positive,
    "sorting_code_known": sorting_code_known,
    "receiver_phone_valid": receiver_phone_valid,
    "receiver_address_resolves": receiver_address_resolves,
    "tracking_matches_carrier": tracking_matches_carrier,
}
