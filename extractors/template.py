"""Templates are YAML data (``extractors/templates/*.yml``): one file per document type.

A template is checked when loaded against the template format (``extractors/data/template.schema.json``,
the code's field kinds, rules and derived fields filled in) and for names that must refer to
something (sections, fields, rule parameters, the JSON Schema's properties): every problem is a
message naming the file and the path in it, with a "did you mean" when a known name is close.
User templates (from a folder the shell reads) add to or replace the bundled ones:
``use_user_templates``.
"""

from __future__ import annotations

import difflib
import inspect
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from extractors.derive import DERIVED
from extractors.fields import KINDS
from extractors.items import ITEM_COLUMNS
from extractors.table import ItemTable
from extractors.validate import RULE_PARAMS, RULES, RuleSpec, rule_specs
from schemas import bundled_schema, schema_names, use_schemas

VALUE_PARAMS = {"not_before", "future_days", "endings", "cut", "rates"}  # rule parameters that are not field names
COLUMN_PARAMS = {"column", "quantity_column", "price_column", "amount_column", "rate_column", "tax_column"}  # item columns


@dataclass(frozen=True)
class FieldSpec:
    """How to find one field: which labels anchor it and where its value lies from them.

    A template key ``amount/cells`` is a second way to find field ``amount`` (another kind,
    other places), tried only when the first found nothing.

    ``where`` lists the places to look, in order: ``same_line`` (after the label), ``right``,
    ``row`` (everything right of the label on its row, joined: digits in boxes), ``below``, ``section`` (every line of the field's section), ``party`` (when no
    section is marked on the page: the lines around the receiver's or sender's phone, see
    ``locate.parties``), ``anywhere`` (every line), ``header`` (the block at the top of the first page
    holding one of ``words``, e.g. a company name), ``after_field`` (up to ``max_lines``
    lines after field ``after``'s lines, skipping lines matching ``skip``, stopping at
    ``stop``) and ``column_above`` (the lines above field ``after``'s, right-aligned with it:
    a receipt's prices above its total), ``boxed`` (the lines of a box right of its label set
    top to bottom, 备注: free text that may hold other labels). An ``internal`` field is read for the rules only. Anchor lines holding one of ``exclude`` are ignored (SUBTOTAL for TOTAL);
    ``last_first`` tries a label's last occurrence first; ``select: best`` takes the surest
    labelled value (a resolving address over a fragment); ``select: tallest`` the first
    labelled value or else the unlabelled one printed largest; ``select: max`` takes the largest
    amount found near any anchor instead of the first, unless a ``prefer`` label gives a value
    (ROUNDED TOTAL over the total before rounding). Text found with no label (``section``,
    ``anywhere``) must parse at ``min_quality`` or better (an address cpca can place).
    ``regex`` keeps only its match (its last group) of a candidate text; ``strip`` removes its
    match (a registration number after a company name). ``repair`` lists OCR repairs to apply
    first: ``latin`` (0/1 read inside words), ``numbers`` (a space after a number glued to a word),
    ``words`` (spaces before glued ``words``), ``places`` (a district misread by one character
    after its city's name, see ``extractors.places``). ``options_from`` maps a parser option to a field
    found earlier whose value it takes (the printed carrier for the tracking number's pattern).
    """

    name: str
    kind: str
    anchors: tuple[str, ...] = ()
    where: tuple[str, ...] = ("same_line", "right", "below")
    section: str | None = None
    required: bool = False
    multiline: bool = False
    regex: str | None = None
    exclude: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    after: str | None = None
    skip: str | None = None
    stop: str | None = None
    strip: str | None = None
    repair: tuple[str, ...] = ()
    last_first: bool = False
    select: str = "first"
    min_quality: float = 0.0
    options_from: dict = field(default_factory=dict)
    prefer: tuple[str, ...] = ()
    max_lines: int = 1
    options: dict = field(default_factory=dict)
    internal: bool = False  # read only for the rules (a receipt's price column), never in the result


@dataclass(frozen=True)
class Variant:
    """One layout of a document type; its ``keywords`` (a title) pick it over the others."""

    name: str
    fields: tuple[FieldSpec, ...]
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Template:
    doc_type: str
    schema: str
    keywords: tuple[str, ...]
    min_score: float
    expected_keywords: int
    sections: dict[str, tuple[str, ...]]
    variants: tuple[Variant, ...]
    rules: tuple[RuleSpec, ...]
    derived: tuple[str, ...] = ()
    classify_kinds: tuple[str, ...] = ()  # field kinds whose value on a line is a sign of the type
    classify_glyphs: tuple[str, ...] = ()  # characters standing alone as a line that are a sign of it
    classify_rows: dict[str, int] = field(default_factory=dict)  # kind → lines of it that are a sign (a price column)
    variant_field: str | None = None  # a field that records which variant matched
    options: dict = field(default_factory=dict)
    line_items: ItemTable | None = None  # where the item table is (extractors.table)


class TemplateError(ValueError):
    """Templates that cannot be used; ``problems`` holds one message per problem."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def parse_template(data: object, source: str = "template", schemas: Mapping[str, dict] | None = None) -> Template:
    """A Template from its YAML mapping (read from ``source``, named in messages), checked first
    (``template_problems``); TemplateError listing every problem."""
    problems = template_problems(data, source, schemas)
    if problems:
        raise TemplateError(problems)
    options = {"day_first": data.get("day_first", True)}
    variants = tuple(
        Variant(v["name"], tuple(_field_spec(n, s, options) for n, s in v["fields"].items()), tuple(v.get("keywords", ())))
        for v in data["variants"]
    )
    classify = data["classify"]
    return Template(
        doc_type=data["doc_type"],
        schema=data.get("schema", data["doc_type"]),
        keywords=tuple(classify["keywords"]),
        min_score=float(classify.get("min_score", 0.5)),
        expected_keywords=int(classify.get("expected", 5)),
        sections={k: tuple(v) for k, v in (data.get("sections") or {}).items()},
        variants=variants,
        rules=rule_specs(data.get("rules") or ()),
        derived=tuple(data.get("derived", ())),
        classify_kinds=tuple(classify.get("kinds", ())),
        classify_glyphs=tuple(classify.get("glyphs", ())),
        classify_rows={str(k): int(v) for k, v in (classify.get("rows") or {}).items()},
        variant_field=data.get("variant_field"),
        options=options,
        line_items=_item_table(data.get("line_items")),
    )


def _item_table(data: dict | None) -> ItemTable | None:
    if not data:
        return None
    return ItemTable(columns={c: tuple(labels) for c, labels in data["columns"].items()}, stop=tuple(data["stop"]),
                     min_columns=int(data.get("min_columns", 4)), totals=dict(data.get("totals") or {}))


def _field_spec(name: str, spec: dict, template_options: dict) -> FieldSpec:
    return FieldSpec(
        name=name.split("/", 1)[0], kind=spec["kind"], anchors=tuple(spec.get("anchors", ())),
        where=tuple(spec.get("where", FieldSpec.where)),
        section=spec.get("section"), required=bool(spec.get("required", False)),
        multiline=bool(spec.get("multiline", False)), regex=spec.get("regex"),
        exclude=tuple(spec.get("exclude", ())), words=tuple(spec.get("words", ())), after=spec.get("after"),
        skip=spec.get("skip"), stop=spec.get("stop"), strip=spec.get("strip"),
        repair=tuple(spec.get("repair", ())), last_first=bool(spec.get("last_first", False)),
        select=spec.get("select", "first"), prefer=tuple(spec.get("prefer", ())),
        min_quality=float(spec.get("min_quality", 0.0)), options_from=dict(spec.get("options_from", {})), max_lines=int(spec.get("max_lines", 1)),
        options={**template_options, **spec.get("options", {})}, internal=bool(spec.get("internal", False)),
    )


@lru_cache(maxsize=1)
def template_format() -> dict:
    """The JSON Schema of the template format, with the code's field kinds, derived fields and
    rules (each with the parameters it takes) filled in."""
    schema = json.loads((resources.files("extractors") / "data" / "template.schema.json").read_text(encoding="utf-8"))
    schema["$defs"]["kind"]["enum"] = sorted(KINDS)
    schema["$defs"]["derived"]["enum"] = sorted(DERIVED)
    names = sorted(RULES)
    parameters = {name: {"type": ["object", "null"], "additionalProperties": False,
                         "properties": {p: {} for p in RULE_PARAMS[name]}} for name in names}
    schema["$defs"]["rule"] = {
        "if": {"type": "string"}, "then": {"enum": names},
        "else": {"type": "object", "minProperties": 1, "maxProperties": 1, "propertyNames": {"enum": names},
                 "properties": parameters},
    }
    return schema


def template_problems(data: object, source: str = "template", schemas: Mapping[str, dict] | None = None) -> list[str]:
    """Every problem of a template's YAML mapping, each ``"SOURCE: PATH: what; did you mean X?"``:
    first against the template format, then (once the format is right) the names that must refer
    to something: sections, fields, rule parameters naming fields, the JSON Schema (from
    ``schemas`` by name, else bundled) and its properties."""
    if not isinstance(data, dict):
        return [f"{source}: not a template: a YAML mapping with doc_type, classify and variants"]
    validator = Draft202012Validator(template_format(), format_checker=Draft202012Validator.FORMAT_CHECKER)
    found = [message for error in validator.iter_errors(data) for message in _format_messages(error)]
    if not found:
        found = list(_reference_problems(data, schemas or {}))
    return [f"{source}: {message}" for message in sorted(set(found))]


NOUNS = {"kinds": "kind", "rows": "kind", "rules": "rule", "derived": "derived field", "day_first": "day_first value"}


def _format_messages(error) -> list[str]:
    """What a template-format error means, in the template's words, at its path."""
    path = list(error.absolute_path)
    if error.validator == "additionalProperties":
        known = list(error.schema.get("properties", {}))
        extra = [k for k in error.instance if k not in known and not str(k).startswith("x-")]
        return [f"{_path(path + [k])}: unknown key {k!r}{_suggest(str(k), known)}" for k in extra]
    if error.validator == "required":
        missing = [k for k in error.validator_value if k not in error.instance]
        return [f"{_path(path)}: missing key {k!r}" for k in missing]
    if error.validator == "enum":
        noun = next((str(p) for p in reversed(path) if isinstance(p, str)), "value")
        return [f"{_path(path)}: unknown {NOUNS.get(noun, noun)} {error.instance!r}"
                f"{_suggest(str(error.instance), [str(v) for v in error.validator_value], choices=True)}"]
    if error.validator == "type" and isinstance(error.instance, bool):
        return [f"{_path(path)}: YAML read {str(error.instance).lower()} here: quote words like No, Yes, On, Off"]
    if error.validator == "type":
        wanted = " or ".join(_listify(error.validator_value))
        return [f"{_path(path)}: must be {wanted}, not {_listify(type(error.instance).__name__)[0]}"]
    if error.validator == "format":
        return [f"{_path(path)}: not a regular expression: {_regex_problem(error.instance)}"]
    if error.validator == "pattern":
        return [f"{_path(path)}: {error.instance!r} is not a name: lower-case letters, digits and _, from a letter"]
    if error.validator in ("minItems", "minProperties"):
        return [f"{_path(path)}: must not be empty"]
    if error.validator == "maxProperties":
        return [f"{_path(path)}: a rule is a name, or one mapping of its name to its parameters"]
    return [f"{_path(path)}: {error.message}"]


def _reference_problems(data: dict, schemas: Mapping[str, dict]) -> Iterable[str]:
    """Names in a well-formed template that refer to nothing: a field's section, ``after`` or
    ``options_from`` field, a derived field's source, a rule's fields (given or by default), the
    JSON Schema and the properties it allows."""
    located: dict[str, str] = {}  # every field the template gives → where it is first defined
    for number, variant in enumerate(data["variants"]):
        names = [key.split("/", 1)[0] for key in variant["fields"]]
        for key, spec in variant["fields"].items():
            located.setdefault(key.split("/", 1)[0], f"variants[{number}].fields.{key}")
            yield from _field_references(f"variants[{number}].fields.{key}", spec, names, list(data.get("sections") or {}))
    for number, name in enumerate(data.get("derived") or ()):
        if DERIVED[name][0] not in located:
            yield f"derived[{number}]: {name} is derived from field {DERIVED[name][0]}, which no variant has"
        located.setdefault(name, f"derived[{number}]")
    if data.get("variant_field"):
        located.setdefault(data["variant_field"], "variant_field")
    for number, entry in enumerate(data.get("rules") or ()):
        name, given = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        for param, value in {**_rule_defaults(name), **(given or {})}.items():
            if param in COLUMN_PARAMS:
                yield from _column_problems(f"rules[{number}].{name}.{param}", _strings(value))
                continue
            for field_name in () if param in VALUE_PARAMS else _strings(value):
                if field_name not in located:
                    yield f"rules[{number}].{name}.{param}: unknown field {field_name!r}{_suggest(field_name, located)}"
    for column, name in ((data.get("line_items") or {}).get("totals") or {}).items():
        yield from _column_problems(f"line_items.totals.{column}", [column])
        if name not in located:
            yield f"line_items.totals.{column}: unknown field {name!r}{_suggest(name, located)}"
    yield from _column_problems("line_items.columns", list((data.get("line_items") or {}).get("columns") or {}))
    internal = {key.split("/", 1)[0] for variant in data["variants"] for key, spec in variant["fields"].items()
                if spec.get("internal")}
    yield from _schema_problems(data.get("schema", data["doc_type"]),
                                {n: at for n, at in located.items() if n not in internal}, schemas)


def _column_problems(at: str, columns: list[str]) -> Iterable[str]:
    """Item column names that are not ``LineItem``'s."""
    for column in columns:
        if column not in ITEM_COLUMNS:
            yield f"{at}: unknown item column {column!r}{_suggest(column, ITEM_COLUMNS, choices=True)}"


def _field_references(at: str, spec: dict, names: list[str], sections: list[str]) -> Iterable[str]:
    """A field's section, ``after`` field and ``options_from`` fields that are not the template's."""
    if "section" in spec and spec["section"] not in sections:
        yield f"{at}.section: unknown section {spec['section']!r}{_suggest(spec['section'], sections, choices=True)}"
    referred = [("after", spec.get("after")), *((f"options_from.{o}", n) for o, n in (spec.get("options_from") or {}).items())]
    for option, name in referred:
        if name is not None and name not in names:
            yield f"{at}.{option}: unknown field {name!r}{_suggest(name, names)}"


def _schema_problems(name: str, located: dict[str, str], schemas: Mapping[str, dict]) -> Iterable[str]:
    """The template's JSON Schema is missing, or leaves out a field it would then always flag."""
    try:
        schema = schemas[name] if name in schemas else bundled_schema(name)
    except LookupError:
        yield (f"schema: no JSON Schema {name!r}: put {name}.json beside the template"
               f"{_suggest(name, [*schemas, *schema_names()])}")
        return
    if schema.get("additionalProperties") is False:
        for field_name, at in located.items():
            if field_name not in schema.get("properties", {}):
                yield (f"{at}: field {field_name!r} is not a property of JSON Schema {name!r}, which allows no "
                       f"others: add it to {name}.json beside the template")


def _rule_defaults(name: str) -> dict:
    """The parameters a rule takes by default (the fields it checks when none are named)."""
    return {p: v.default for p, v in inspect.signature(RULES[name]).parameters.items()
            if p in RULE_PARAMS[name] and v.default is not inspect.Parameter.empty}


def _strings(value: object) -> list[str]:
    """Every string in a rule parameter's value (a name, a list of names, a list of pairs)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [s for item in value for s in _strings(item)]
    return []


def _suggest(word: str, known: Iterable[str], choices: bool = False) -> str:
    """``"; did you mean 'x'?"`` for the closest known word; else, with ``choices``, the few known ones."""
    known = list(known)
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    if close:
        return f"; did you mean {close[0]!r}?"
    return f"; choose from {', '.join(known)}" if choices and 0 < len(known) <= 20 else ""


def _path(path: list) -> str:
    """``["variants", 0, "fields", "date"]`` → ``variants[0].fields.date`` (``(top)`` for the mapping itself)."""
    text = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    return text or "(top)"


def _listify(value: object) -> list[str]:
    """JSON Schema's (or Python's) type names in a YAML writer's words."""
    words = {"array": "a list", "object": "a mapping", "string": "a text", "null": "empty", "integer": "a whole number",
             "number": "a number", "boolean": "true or false", "list": "a list", "dict": "a mapping", "str": "a text",
             "NoneType": "empty", "int": "a whole number", "float": "a number"}
    return [words.get(v, v) for v in (value if isinstance(value, list) else [value])]


def _regex_problem(text: str) -> str:
    try:
        re.compile(text)
    except re.error as exc:
        return str(exc)
    return "unusable"


def read_templates(texts: Mapping[str, str], schema_texts: Mapping[str, str] | None = None
                   ) -> tuple[dict[str, Template], dict[str, dict]]:
    """Templates by document type from YAML texts by file name, and the JSON Schemas beside them
    by name (from ``NAME.json`` texts by file name); TemplateError listing every problem of every file."""
    problems, schemas = [], {}
    for source, text in sorted((schema_texts or {}).items()):
        try:
            schema = json.loads(text)
            Draft202012Validator.check_schema(schema)
            schemas[source.rsplit("/", 1)[-1].removesuffix(".json")] = schema
        except (ValueError, SchemaError) as exc:
            problems.append(f"{source}: not a JSON Schema: {str(exc).splitlines()[0]}")
    templates, sources = {}, {}
    for source, text in sorted(texts.items()):
        try:
            template = parse_template(yaml.safe_load(text), source, schemas)
        except yaml.YAMLError as exc:
            problems.append(f"{source}: not YAML: {' '.join(str(exc).split())}")
            continue
        except TemplateError as exc:
            problems.extend(exc.problems)
            continue
        if template.doc_type in sources:
            problems.append(f"{source}: doc_type {template.doc_type} is {sources[template.doc_type]}'s too")
        templates[template.doc_type], sources[template.doc_type] = template, source
    if problems:
        raise TemplateError(problems)
    return templates, schemas


_user_templates: dict[str, Template] = {}


def use_user_templates(texts: Mapping[str, str], schema_texts: Mapping[str, str] | None = None) -> dict[str, Template]:
    """From now on in this process, the templates of ``texts`` (see ``read_templates``) add to
    or replace the bundled ones of their document type, and their JSON Schemas those of their
    name; none given: the bundled ones alone. The shell calls this at start with the files of
    its template folder. Returns the user templates; TemplateError changes nothing."""
    templates, schemas = read_templates(texts, schema_texts)
    use_schemas(schemas)
    _user_templates.clear()
    _user_templates.update(templates)
    load_templates.cache_clear()
    return templates


@lru_cache(maxsize=1)
def bundled_templates() -> dict[str, Template]:
    """Every template shipped with billflow, by document type."""
    folder = resources.files("extractors") / "templates"
    texts = {f"extractors/templates/{e.name}": e.read_text(encoding="utf-8")
             for e in folder.iterdir() if e.name.endswith((".yml", ".yaml"))}
    return read_templates(texts)[0]


@lru_cache(maxsize=1)
def load_templates() -> dict[str, Template]:
    """Every template by document type: the bundled ones, with the user's (``use_user_templates``)
    added or in their place."""
    return {**bundled_templates(), **_user_templates}
