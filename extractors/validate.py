"""JSON Schema validation and business rules: every problem becomes a Violation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from jsonschema import Draft202012Validator

from extractors.template import Template
from extractors.fields import parse
from schemas import load_schema

Values = dict[str, tuple[str, Any]]  # field name → (value, normalized)
TODAY = "@today"  # the pseudo-field holding the validation date for rules


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str
    field: str | None = None

    def describe(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


def validate(template: Template, values: Values, today: date | None = None) -> list[Violation]:
    """Schema errors first, then the template's rules, in a stable order. ``today`` (default:
    the current date) is what "not in the future" means."""
    context = {**values, TODAY: (str(today or date.today()), None)}
    return schema_violations(template.schema, values) + rule_violations(template.rules, context)


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
    """The tracking number fits a carrier's pattern: the carrier printed on the waybill if any."""
    tracking = _normalized(values, "tracking_number")
    if tracking is None:
        return []
    if not tracking.get("carrier"):
        return [Violation("tracking_matches_carrier", "matches no carrier's tracking-number pattern", "tracking_number")]
    named = values.get("carrier", (None,))[0]
    if named and parse("tracking_number", tracking["number"], carrier=named) is None:
        return [Violation("tracking_matches_carrier", f"does not fit {named}'s tracking-number pattern", "tracking_number")]
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


def amount_words_match(values: Values) -> list[Violation]:
    """The amount in words must denote the amount in digits (a bank's first check)."""
    if "amount" in values and "amount_words" in values:
        if Decimal(values["amount"][0]) != Decimal(values["amount_words"][0]):
            return [Violation("amount_words_match",
                              f"amount in words ({values['amount_words'][0]}) differs from amount in digits "
                              f"({values['amount'][0]})", "amount_words")]
    return []


def issue_date_not_future(values: Values) -> list[Violation]:
    if "issue_date" in values and values["issue_date"][0] > values[TODAY][0]:
        return [Violation("issue_date_not_future", "issue date is in the future", "issue_date")]
    return []


def accounts_pass_checks(values: Values) -> list[Violation]:
    """Card-like account numbers (16 or 19 digits from a card range) must pass Luhn."""
    found = []
    for name in ("payer_account", "payee_account"):
        account = _normalized(values, name) or {}
        number = account.get("number", "")
        if len(number) in (16, 19) and number.startswith(("62", "4", "5")) and account.get("luhn_valid") is False:
            found.append(Violation("accounts_pass_checks", "card number fails its Luhn check digit", name))
    return found


def payer_differs_from_payee(values: Values) -> list[Violation]:
    for a, b in (("payer_name", "payee_name"), ("payer_account", "payee_account")):
        if a in values and b in values and values[a][0] == values[b][0]:
            return [Violation("payer_differs_from_payee", f"payer and payee are the same ({values[a][0]})", b)]
    return []


RULES: dict[str, Callable[[Values], list[Violation]]] = {
    "amount_words_match": amount_words_match,
    "issue_date_not_future": issue_date_not_future,
    "accounts_pass_checks": accounts_pass_checks,
    "payer_differs_from_payee": payer_differs_from_payee,
    "total_positive": total_positive,
    "sorting_code_known": sorting_code_known,
    "receiver_phone_valid": receiver_phone_valid,
    "receiver_address_resolves": receiver_address_resolves,
    "tracking_matches_carrier": tracking_matches_carrier,
}
