"""JSON Schema validation and business rules (cross-checks): every problem becomes a Violation,
every agreement a confirmation.

A template lists its rules as data: a rule's name, or a mapping of the name to its parameters,
which name the fields it checks (``amount_words_match: {words: amount_words, digits: amount}``)
so one rule serves every template. A rule returns the violations it finds and the fields it
confirms (two independent readings agree: the amount in words and in digits).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from jsonschema import Draft202012Validator

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


@dataclass
class Checked:
    """What the rules found: violations, and the fields a cross-check confirmed."""

    violations: list[Violation] = field(default_factory=list)
    confirmed: set[str] = field(default_factory=set)

    def add(self, other: Checked) -> None:
        self.violations.extend(other.violations)
        self.confirmed |= other.confirmed


@dataclass(frozen=True)
class RuleSpec:
    """One rule of a template: its name and the parameters (field names, limits) it is given."""

    name: str
    params: dict = field(default_factory=dict)


def rule_specs(entries: list | tuple) -> tuple[RuleSpec, ...]:
    """A template's ``rules`` list (names, or one-key mappings name → parameters) as RuleSpecs;
    ValueError for an unknown rule or parameter."""
    specs = []
    for entry in entries:
        name, params = next(iter(entry.items())) if isinstance(entry, dict) and len(entry) == 1 else (entry, {})
        if not isinstance(name, str) or name not in RULES:
            raise ValueError(f"unknown rule {name!r}")
        unknown = set(params or {}) - set(RULE_PARAMS[name])
        if unknown:
            raise ValueError(f"rule {name}: unknown parameter(s) {sorted(unknown)}; it takes {sorted(RULE_PARAMS[name])}")
        specs.append(RuleSpec(name, dict(params or {})))
    return tuple(specs)


def validate(schema: str, rules: tuple[RuleSpec, ...], values: Values, today: date | None = None) -> Checked:
    """Schema errors first, then the rules' findings, in a stable order. ``today`` (default:
    the current date) is what "not in the future" means."""
    checked = Checked(schema_violations(schema, values))
    checked.add(check_rules(rules, {**values, TODAY: (str(today or date.today()), None)}))
    return checked


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


def check_rules(rules: tuple[RuleSpec, ...], values: Values) -> Checked:
    checked = Checked()
    for spec in rules:
        checked.add(RULES[spec.name](values, **spec.params))
    return checked


def _normalized(values: Values, name: str) -> Any:
    return values[name][1] if name in values else None


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except (InvalidOperation, TypeError, ValueError):
        return None


def _amounts(values: Values, *names: str) -> list[Decimal | None]:
    """The named fields' values as decimals (None: not found or no number)."""
    return [_decimal(values[n][0]) if n in values else None for n in names]


def phone_reachable(values: Values, field: str = "receiver_phone") -> Checked:
    phone = _normalized(values, field)
    if phone is not None and phone.get("type") not in ("mobile", "fixed_line", "fixed_line_or_mobile"):
        return Checked([Violation("phone_reachable", "not a reachable phone number", field)])
    return Checked()


def address_resolves(values: Values, field: str = "receiver_address") -> Checked:
    address = _normalized(values, field)
    if address is not None and (not address.get("province") or not address.get("city")):
        return Checked([Violation("address_resolves", "address does not resolve to a province and city", field)])
    return Checked()


def tracking_matches_carrier(values: Values, field: str = "tracking_number", carrier: str = "carrier") -> Checked:
    """The tracking number fits a carrier's pattern: the carrier printed on the waybill if any
    (then the two agree: both confirmed)."""
    tracking = _normalized(values, field)
    if tracking is None:
        return Checked()
    if not tracking.get("carrier"):
        return Checked([Violation("tracking_matches_carrier", "matches no carrier's tracking-number pattern", field)])
    named = values.get(carrier, (None,))[0]
    if named and parse("tracking_number", tracking["number"], carrier=named) is None:
        return Checked([Violation("tracking_matches_carrier", f"does not fit {named}'s tracking-number pattern", field)])
    return Checked()


def sorting_code_known(values: Values, address: str = "receiver_address", code: str = "sorting_code") -> Checked:
    if address in values and code not in values:
        return Checked([Violation("sorting_code_known", "no sorting code for the receiver's city or province", address)])
    return Checked()


def positive(values: Values, field: str = "total") -> Checked:
    amount = _normalized(values, field)
    if amount is not None and Decimal(amount["amount"]) <= 0:
        return Checked([Violation("positive", f"{field} must be positive", field)])
    return Checked()


def amount_words_match(values: Values, words: str = "amount_words", digits: str = "amount") -> Checked:
    """The amount in words must denote the amount in digits (a bank's first check); when they
    agree, both are confirmed by two independent readings."""
    if words not in values or digits not in values:
        return Checked()
    if Decimal(values[digits][0]) != Decimal(values[words][0]):
        return Checked([Violation("amount_words_match", f"amount in words ({values[words][0]}) differs from amount "
                                                        f"in digits ({values[digits][0]})", words)])
    return Checked(confirmed={words, digits})


def date_plausible(values: Values, field: str = "issue_date", not_before: str = "2000-01-01",
                   future_days: int = 0) -> Checked:
    """A document's date lies between ``not_before`` and ``future_days`` after today (no 1970
    read from a product code, no date years ahead)."""
    if field not in values:
        return Checked()
    value, latest = values[field][0], dt.date.fromisoformat(values[TODAY][0]) + dt.timedelta(days=future_days)
    if value < not_before:
        return Checked([Violation("date_plausible", f"date {value} is before {not_before}", field)])
    if value > latest.isoformat():
        return Checked([Violation("date_plausible", f"date {value} is in the future", field)])
    return Checked()


def accounts_pass_checks(values: Values, fields: tuple[str, ...] = ("payer_account", "payee_account")) -> Checked:
    """Card-like account numbers (16 or 19 digits from a card range) must pass Luhn."""
    found = []
    for name in fields:
        account = _normalized(values, name) or {}
        number = account.get("number", "")
        if len(number) in (16, 19) and number.startswith(("62", "4", "5")) and account.get("luhn_valid") is False:
            found.append(Violation("accounts_pass_checks", "card number fails its Luhn check digit", name))
    return Checked(found)


def names_complete(values: Values, fields: tuple[str, ...] = ("payer_bank", "payee_bank"),
                   endings: tuple[str, ...] = (), cut: tuple[str, ...] = ()) -> Checked:
    """A name printed over two lines and read from one is cut: it ends with one of ``cut``
    (…有限 of …有限公司), or ``endings`` are given and it ends with none (a bank's branch ends
    in 行, 部, 社, 处, 所 or 中心)."""
    found = []
    for name in fields:
        value = values[name][0] if name in values else None
        if value and (value.endswith(tuple(cut)) or (endings and not value.endswith(tuple(endings)))):
            found.append(Violation("names_complete", f"looks cut short ({value})", name))
    return Checked(found)


def parties_differ(values: Values, pairs: tuple[tuple[str, str], ...] = (("payer_name", "payee_name"),
                                                                         ("payer_account", "payee_account"))) -> Checked:
    """Two parties' values (payer and payee, sender's and receiver's phone) are not the same:
    one of them was read from the wrong block."""
    for a, b in pairs:
        if a in values and b in values and values[a][0] == values[b][0]:
            return Checked([Violation("parties_differ", f"{a} and {b} are the same ({values[a][0]})", b)])
    return Checked()


def total_consistent(values: Values, total: str = "total", subtotal: str = "subtotal", tax: str = "tax") -> Checked:
    """Subtotal + tax = total when all three are printed: two readings of the total agree, all
    three are confirmed. A mismatch is no violation by itself (discounts, service charges and
    rounding lines come between them); the total simply stays unconfirmed."""
    amounts = _amounts(values, total, subtotal, tax)
    if None not in amounts and amounts[1] + amounts[2] == amounts[0] and amounts[2] > 0:
        return Checked(confirmed={total, subtotal, tax})
    return Checked()


def payment_balances(values: Values, total: str = "total", paid: str = "cash", change: str = "change") -> Checked:
    """Amount paid − change = total when both are printed: a second reading of the total, all
    three confirmed. A mismatch is no violation (a card pays part, a rounding line between)."""
    amounts = _amounts(values, total, paid, change)
    if None not in amounts and amounts[1] - amounts[2] == amounts[0] and amounts[0] > 0:
        return Checked(confirmed={total, paid, change})
    return Checked()


RULES: dict[str, Callable[..., Checked]] = {
    "amount_words_match": amount_words_match,
    "date_plausible": date_plausible,
    "accounts_pass_checks": accounts_pass_checks,
    "parties_differ": parties_differ,
    "names_complete": names_complete,
    "positive": positive,
    "sorting_code_known": sorting_code_known,
    "phone_reachable": phone_reachable,
    "address_resolves": address_resolves,
    "tracking_matches_carrier": tracking_matches_carrier,
    "total_consistent": total_consistent,
    "payment_balances": payment_balances,
}
RULE_PARAMS = {name: tuple(rule.__code__.co_varnames[1:rule.__code__.co_argcount]) for name, rule in RULES.items()}
