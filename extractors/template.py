"""Templates are YAML data (``extractors/templates/*.yml``): one file per document type."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from extractors.validate import RuleSpec, rule_specs

WHERE = ("same_line", "right", "row", "below", "section", "party", "anywhere", "header", "after_field")


@dataclass(frozen=True)
class FieldSpec:
    """How to find one field: which labels anchor it and where its value lies from them.

    A template key ``amount/cells`` is a second way to find field ``amount`` (another kind,
    other places), tried only when the first found nothing.

    ``where`` lists the places to look, in order: ``same_line`` (after the label), ``right``,
    ``row`` (everything right of the label on its row, joined: digits in boxes), ``below``, ``section`` (every line of the field's section), ``party`` (when no
    section is marked on the page: the lines around the receiver's or sender's phone, see
    ``locate.parties``), ``anywhere`` (every line), ``header`` (the block at the top of the first page
    holding one of ``words``, e.g. a company name) and ``after_field`` (up to ``max_lines``
    lines after field ``after``'s lines, skipping lines matching ``skip``, stopping at
    ``stop``). Anchor lines holding one of ``exclude`` are ignored (SUBTOTAL for TOTAL);
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


def parse_template(data: dict) -> Template:
    """A Template from its YAML mapping; raises ValueError naming what is wrong."""
    try:
        options = {"day_first": data.get("day_first", True)}
        variants = tuple(
            Variant(v["name"], tuple(_field_spec(n, s, options) for n, s in v["fields"].items()),
                    tuple(v.get("keywords", ())))
            for v in data["variants"]
        )
        return Template(
            doc_type=data["doc_type"],
            schema=data.get("schema", data["doc_type"]),
            keywords=tuple(data["classify"]["keywords"]),
            min_score=float(data["classify"].get("min_score", 0.5)),
            expected_keywords=int(data["classify"].get("expected", 5)),
            sections={k: tuple(v) for k, v in (data.get("sections") or {}).items()},
            variants=variants,
            rules=rule_specs(data.get("rules") or ()),
            derived=tuple(data.get("derived", ())),
            classify_kinds=tuple(data["classify"].get("kinds", ())),
            classify_glyphs=tuple(data["classify"].get("glyphs", ())),
            classify_rows={str(k): int(v) for k, v in (data["classify"].get("rows") or {}).items()},
            variant_field=data.get("variant_field"),
            options=options,
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"template {data.get('doc_type', '?') if isinstance(data, dict) else '?'}: missing or bad {exc}") from None


def _field_spec(name: str, spec: dict, template_options: dict) -> FieldSpec:
    for key in ("anchors", "exclude", "words", "prefer"):
        if not all(isinstance(item, str) for item in spec.get(key, ())):
            raise ValueError(f"field {name}: every {key} entry must be a string (quote YAML words like No)")
    where = tuple(spec.get("where", FieldSpec.where))
    unknown = set(where) - set(WHERE)
    if unknown:
        raise ValueError(f"field {name}: unknown where {sorted(unknown)}")
    return FieldSpec(
        name=name.split("/", 1)[0], kind=spec["kind"], anchors=tuple(spec.get("anchors", ())), where=where,
        section=spec.get("section"), required=bool(spec.get("required", False)),
        multiline=bool(spec.get("multiline", False)), regex=spec.get("regex"),
        exclude=tuple(spec.get("exclude", ())), words=tuple(spec.get("words", ())), after=spec.get("after"),
        skip=spec.get("skip"), stop=spec.get("stop"), strip=spec.get("strip"),
        repair=tuple(spec.get("repair", ())), last_first=bool(spec.get("last_first", False)),
        select=spec.get("select", "first"), prefer=tuple(spec.get("prefer", ())),
        min_quality=float(spec.get("min_quality", 0.0)), options_from=dict(spec.get("options_from", {})), max_lines=int(spec.get("max_lines", 1)),
        options={**template_options, **spec.get("options", {})},
    )


@lru_cache(maxsize=1)
def load_templates() -> dict[str, Template]:
    """Every bundled template by document type."""
    folder = resources.files("extractors") / "templates"
    templates = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".yml", ".yaml")):
            template = parse_template(yaml.safe_load(entry.read_text(encoding="utf-8")))
            templates[template.doc_type] = template
    return templates
