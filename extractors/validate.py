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

from extractors.derive import routing_code
from extractors.fields import parse
from extractors.fields.base import is_cjk
from extractors.fields.text import is_person_name
from schemas import load_schema

Values = dict[str, tuple[str, Any]]  # field name → (value, normalized)
TODAY = "@today"  # the pseudo-field holding the validation date for rules
ITEMS = "@items"  # the pseudo-field holding the line items' cells for rules (``ReadRow.rule_cells``)


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str
    field: str | None = None

    def describe(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


@dataclass
class Checked:
    """What the rules found: violations, the fields a cross-check confirmed, and those it
    confirmed in part only (a sorting code vouches for an address's city, not its street)."""

    violations: list[Violation] = field(default_factory=list)
    confirmed: set[str] = field(default_factory=set)
    confirmed_in_part: set[str] = field(default_factory=set)

    def add(self, other: Checked) -> None:
        self.violations.extend(other.violations)
        self.confirmed |= other.confirmed
        self.confirmed_in_part |= other.confirmed_in_part


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


def validate(schema: str, rules: tuple[RuleSpec, ...], values: Values, today: date | None = None,
             rule_only: frozenset[str] = frozenset(), items: list[dict[str, str | None]] | None = None) -> Checked:
    """Schema errors first, then the rules' findings, in a stable order. ``today`` (default:
    the current date) is what "not in the future" means; ``rule_only`` names values the rules
    read that are no part of the result (internal fields), so not of its schema; ``items`` are
    the line items' cells (``ReadRow.rule_cells``; without them the rules on items check nothing)."""
    checked = Checked(schema_violations(schema, {n: v for n, v in values.items() if n not in rule_only}))
    extra = {TODAY: (str(today or date.today()), None)}
    if items is not None:
        extra[ITEMS] = (None, tuple(items))
    checked.add(check_rules(rules, {**values, **extra}))
    return checked


def item_key(row: int | str, column: str) -> str:
    """How a rule names one item's cell among the confirmed fields: ``"@item 2 amount"``."""
    return f"@item {row} {column}"


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


def sorting_code_agrees(values: Values, address: str = "receiver_address", code: str = "sorting_code") -> Checked:
    """A printed sorting code that starts with the routing table's code for the receiver's city
    confirms the code, and the address in part: its city, not the street and house (OCR may
    still have misread those). A carrier's own code that does not is no violation."""
    routed = routing_code(values[address][1]) if address in values else None
    if routed and code in values and values[code][0].startswith(routed + "-"):
        return Checked(confirmed={code}, confirmed_in_part={address})
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


def taxpayer_ids_valid(values: Values, fields: tuple[str, ...] = ("buyer_tax_id", "seller_tax_id")) -> Checked:
    """An 18-character taxpayer id (unified social credit code) must pass its check digit."""
    found = []
    for name in fields:
        number = _normalized(values, name) or {}
        if number.get("type") == "uscc" and number.get("valid") is False:
            found.append(Violation("taxpayer_ids_valid", "unified social credit code fails its check digit", name))
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


def persons_named(values: Values, fields: tuple[str, ...] = ("receiver_name", "sender_name")) -> Checked:
    """A person's name printed in Chinese is a full name: a known surname and a given name, not
    one common word (see ``is_person_name``). A given name alone (泽宇 of 昌泽宇) is a surname the
    recognizer dropped. Names in other scripts are not judged."""
    found = [Violation("persons_named", f"not a full name: surname missing or unknown ({value})", name)
             for name in fields if (value := values[name][0] if name in values else None)
             and all(is_cjk(ch) or ch == "·" for ch in value) and not is_person_name(value)]
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
    three confirmed. A mismatch is no violation (a card pays part), except one of a few cents:
    then the total read is the one before rounding and the payment settled another."""
    amounts = _amounts(values, total, paid, change)
    if None in amounts or amounts[0] <= 0:
        return Checked()
    settled = amounts[1] - amounts[2]
    if settled == amounts[0]:
        return Checked(confirmed={total, paid, change})
    if 0 < abs(settled - amounts[0]) <= ROUNDING:
        return Checked([Violation("payment_balances", f"{paid} − {change} = {settled}: the total read may be "
                                                      "the one before rounding", total)])
    return Checked()


ROUNDING = Decimal("0.05")  # the most a total is rounded by for cash (Malaysia, Australia, the Nordics: 0.05)


def items_add_up(values: Values, items: str = "items", total: str = "total") -> Checked:
    """The prices printed above the total add up to it: the first two or more of them sum to the
    total, or to the entry right after them (a subtotal) which with the entries after it (tax,
    service charge) sums to the total. Confirms the total; no sum is no violation (discounts,
    prices read wrong or not in the column)."""
    found = _normalized(values, items)
    [amount] = _amounts(values, total)
    if not found or amount is None or amount <= 0:
        return Checked()
    prices = [Decimal(a) for a in found["amounts"]]
    running = prices[0]
    for end in range(1, len(prices)):
        running += prices[end]
        rest = prices[end + 1:]
        if running == amount or (rest and rest[0] == running and sum(rest, Decimal(0)) == amount):
            return Checked(confirmed={total})
    return Checked()


def _items(values: Values) -> tuple[dict[str, str | None], ...]:
    return values[ITEMS][1] if ITEMS in values else ()


def _cell(item: dict[str, str | None], column: str) -> Decimal | None:
    return _decimal(item.get(column))


def sum_matches(values: Values, parts: tuple[str, ...] = ("total_excluding_tax", "total_tax"),
                total: str = "total") -> Checked:
    """The ``parts`` add up to ``total`` (amount + tax = total including tax); when they do, all
    are confirmed. Checked only when all are found."""
    amounts = _amounts(values, *parts, total)
    if None in amounts:
        return Checked()
    if sum(amounts[:-1]) != amounts[-1]:
        return Checked([Violation("sum_matches", f"{' + '.join(parts)} = {sum(amounts[:-1])}, not {total} "
                                                 f"({amounts[-1]})", total)])
    return Checked(confirmed={*parts, total})


def items_sum(values: Values, column: str = "amount", total: str = "total_excluding_tax") -> Checked:
    """The line items' ``column`` adds up to field ``total`` (Σ item amounts = total excluding
    tax; a cell not printed counts 0); when it does, the total and every item's cell are
    confirmed. Checked only when there are items and the total is found."""
    items, amount = _items(values), _amounts(values, total)[0]
    if not items or amount is None:
        return Checked()
    added = sum((_cell(i, column) or Decimal(0) for i in items), Decimal(0))
    if added != amount:
        return Checked([Violation("items_sum", f"the line items' {column} add up to {added}, not {total} ({amount})",
                                  total)])
    return Checked(confirmed={total} | {item_key(i["row"], column) for i in items if i.get(column) is not None})


def rates_legal(values: Values, column: str = "tax_rate",
                rates: tuple = (0.13, 0.09, 0.06, 0.05, 0.03, 0.015, 0.01, 0.005, 0, "exempt")) -> Checked:
    """Every line item's tax rate is one of ``rates`` (fractions, or ``exempt`` for a rate
    printed as 免税 / 不征税); a rate that is not printed is not checked."""
    legal = {str(r) if isinstance(r, str) else Decimal(str(r)) for r in rates}
    found = []
    for item in _items(values):
        printed = item.get(column)
        if printed is None:
            continue
        reading = printed if printed in legal else _decimal(printed)
        if reading not in legal:
            found.append(Violation("rates_legal", f"line item {item['row']}: tax rate {printed} is not a legal rate"))
    return Checked(found)


def items_multiply(values: Values, quantity_column: str = "quantity", price_column: str = "unit_price",
                   amount_column: str = "amount") -> Checked:
    """Each line item's quantity × unit price is its amount, within rounding: a cent, plus what
    the printed unit price's rounding can make of the quantity. Agreeing cells are confirmed."""
    checked = Checked()
    for item in _items(values):
        quantity, price, amount = (_cell(item, c) for c in (quantity_column, price_column, amount_column))
        if None in (quantity, price, amount):
            continue
        places = max(0, -price.as_tuple().exponent)
        tolerance = Decimal("0.01") + abs(quantity) * Decimal(5) / Decimal(10) ** (places + 1)
        if abs(quantity * price - amount) > tolerance:
            checked.violations.append(Violation("items_multiply", f"line item {item['row']}: quantity {quantity} × unit "
                                                f"price {price} = {quantity * price:.2f}, not the amount {amount}"))
        else:
            checked.confirmed |= {item_key(item["row"], c) for c in (quantity_column, price_column, amount_column)}
    return checked


def items_tax(values: Values, amount_column: str = "amount", rate_column: str = "tax_rate",
              tax_column: str = "tax") -> Checked:
    """Each line item's amount × tax rate is its tax, within a cent (an exempt item's tax is
    nothing or 0). Agreeing cells are confirmed."""
    checked = Checked()
    for item in _items(values):
        amount, tax, printed = _cell(item, amount_column), _cell(item, tax_column), item.get(rate_column)
        if amount is None or printed is None:
            continue
        rate = Decimal(0) if printed == "exempt" else _decimal(printed)
        if rate is None or (tax is None and printed != "exempt"):
            continue
        if abs(amount * rate - (tax or Decimal(0))) > Decimal("0.01"):
            checked.violations.append(Violation("items_tax", f"line item {item['row']}: amount {amount} × tax rate "
                                                f"{printed} = {amount * rate:.2f}, not the tax {tax}"))
        else:
            checked.confirmed |= {item_key(item["row"], c) for c in (rate_column, tax_column)}
    return checked


RULES: dict[str, Callable[..., Checked]] = {
    "amount_words_match": amount_words_match,
    "date_plausible": date_plausible,
    "accounts_pass_checks": accounts_pass_checks,
    "parties_differ": parties_differ,
    "names_complete": names_complete,
    "persons_named": persons_named,
    "positive": positive,
    "sorting_code_known": sorting_code_known,
    "sorting_code_agrees": sorting_code_agrees,
    "phone_reachable": phone_reachable,
    "address_resolves": address_resolves,
    "tracking_matches_carrier": tracking_matches_carrier,
    "total_consistent": total_consistent,
    "payment_balances": payment_balances,
    "items_add_up": items_add_up,
    "taxpayer_ids_valid": taxpayer_ids_valid,
    "sum_matches": sum_matches,
    "items_sum": items_sum,
    "rates_legal": rates_legal,
    "items_multiply": items_multiply,
    "items_tax": items_tax,
}
RULE_PARAMS = {name: tuple(rule.__code__.co_varnames[1:rule.__code__.co_argcount]) for name, rule in RULES.items()}
