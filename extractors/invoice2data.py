"""invoice2data's YAML templates applied to a document's text, by invoice2data's own rules.

A template (the YAML's content, loaded by the shell) matches a text when every ``keywords``
regex is found and no ``exclude_keywords`` one is (both without spaces when the template
removes whitespace); templates are tried by ``priority``
(highest first, default 5), and the first that matches and yields its required fields
(``required_fields``, default date, amount, invoice_number and issuer) wins. Before matching,
the text is prepared by the template's ``options``: ``remove_whitespace`` (runs of spaces
dropped), ``remove_accents``, ``lowercase`` and ``replace`` (regex, replacement pairs).

Fields: ``static_NAME: value`` and ``{parser: static, value}`` are constants; a plain regex (or
list of them) is a legacy field, typed by its name (``date…``/``…date`` a date, ``amount…`` a
number, ``sum_amount…`` the sum of all matches); ``{parser: regex, regex, type, group}`` is
typed by ``type`` (float, int, date) and reduced by ``group`` (sum, first, last, min, max,
join); ``{parser: lines, start, end, line, first_line, last_line, skip_line, types}`` (or a
list of such ``rules``) and a top-level ``lines:`` read line items from the blocks between
``start`` and ``end`` (a row's known ``uom`` literal gives its ``unece_code`` when it has none);
top-level ``tables:`` read named groups of one line per block. Numbers
honour ``decimal_separator``; dates are read with ``date_formats`` and ``languages`` by
dateparser. The result is invoice2data's JSON output: dates as ``YYYY-MM-DD``, ``currency``
from the options, ``desc`` "Invoice from ISSUER". ``layout_text`` turns text lines with boxes
(a PDF's text layer, OCR lines) into the column-preserving text the templates' regexes expect.
A field's ``area`` (a page rectangle, as pdftotext crops) reads the lines whose centres lie in
it. Not supported: input-module-specific options.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import dateparser

from extractors.lines import OcrLine

DEFAULT_OPTIONS: Mapping[str, Any] = {
    "remove_whitespace": False, "remove_accents": False, "lowercase": False, "currency": "EUR",
    "date_formats": [], "languages": [], "decimal_separator": ".", "replace": [],
}
DEFAULT_REQUIRED = ("date", "amount", "invoice_number", "issuer")
DEFAULT_PRIORITY = 5
UNECE_CODES = {  # printed unit of measure → UN/ECE Recommendation 20 code (invoice2data's documented table)
    **dict.fromkeys(("l", "ltr", "liter", "litre", "ℓ"), "LTR"), "ml": "MLT",
    **dict.fromkeys(("kg", "kilogram"), "KGM"), **dict.fromkeys(("g", "gr", "gram"), "GRM"),
    **dict.fromkeys(("m", "meter", "metre"), "MTR"), "cm": "CMT", "mm": "MMT", "km": "KMT",
    **dict.fromkeys(("pcs", "pc", "piece", "pieces", "ea", "unit", "units", "stuk", "stuks", "stk", "x"), "H87"),
    "set": "SET", **dict.fromkeys(("h", "hour", "uur"), "HUR"), **dict.fromkeys(("min", "minute"), "MIN"),
    **dict.fromkeys(("d", "day", "dag"), "DAY"), **dict.fromkeys(("month", "maand", "mnd"), "MON"),
    **dict.fromkeys(("year", "jaar"), "ANN"),
}
COLUMN_ROUNDING = 0.3  # a text starting this close to the next column starts there (pdftotext -layout's columns)


@dataclass(frozen=True)
class Template:
    """One invoice2data template: its file name and its YAML content."""

    name: str
    data: Mapping[str, Any]
    options: Mapping[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", {**DEFAULT_OPTIONS, **(self.data.get("options") or {})})

    @property
    def issuer(self) -> str:
        return self.data.get("issuer") or as_list(self.data.get("keywords"))[0]

    @property
    def keywords(self) -> list[str]:
        return self.prepared_keywords("keywords")

    @property
    def exclude_keywords(self) -> list[str]:
        return self.prepared_keywords("exclude_keywords")

    def prepared_keywords(self, key: str) -> list[str]:
        """The ``key`` regexes, without spaces when the template removes whitespace from the text."""
        found = [str(k) for k in as_list(self.data.get(key))]
        return [re.sub(" +", "", k) for k in found] if self.options["remove_whitespace"] else found

    @property
    def priority(self) -> int:
        return int(self.data.get("priority", DEFAULT_PRIORITY))

    @property
    def required(self) -> list[str]:
        return as_list(self.data.get("required_fields")) or list(DEFAULT_REQUIRED)


@dataclass(frozen=True)
class Match:
    """The template that read a text and what it read (invoice2data's JSON output)."""

    template: str
    fields: dict[str, Any]


def as_list(value: Any) -> list:
    """``None`` → ``[]``, a scalar → ``[value]``, a list unchanged."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def templates_from(named: Mapping[str, Mapping[str, Any]]) -> list[Template]:
    """Templates from ``{file name: YAML content}`` in the order they are tried: highest
    ``priority`` first, then by name. Contents without ``keywords`` are not templates."""
    found = [Template(name, data) for name, data in named.items()
             if isinstance(data, Mapping) and data.get("keywords")]
    return sorted(found, key=lambda t: (-t.priority, t.name))


def extract(templates: Iterable[Template], text: str, lines: Sequence[OcrLine] = (),
            dpi: float = 200.0) -> Match | None:
    """The first template that matches ``text`` and reads all its required fields, with them.
    ``lines`` (boxes in pixels at ``dpi``) are the text's lines, for fields read from an ``area``."""
    for template in templates:
        prepared = prepare(text, template.options)
        if matches(template, prepared):
            fields = read_fields(template, prepared, Page(lines, dpi))
            if fields is not None:
                return Match(template.name, to_json(fields))
    return None


def prepare(text: str, options: Mapping[str, Any]) -> str:
    """``text`` transformed as the template's options ask, before matching and reading."""
    if options["remove_whitespace"]:
        text = re.sub(" +", "", text)
    if options["remove_accents"]:
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    if options["lowercase"]:
        text = text.lower()
    for pattern, replacement in options["replace"]:
        text = re.sub(pattern, replacement, text)
    return text


def matches(template: Template, text: str) -> bool:
    """Every keyword regex is found in ``text`` and no ``exclude_keywords`` regex is."""
    return (all(re.search(k, text) for k in template.keywords)
            and not any(re.search(k, text) for k in template.exclude_keywords))


@dataclass(frozen=True)
class Page:
    """The lines a text was laid out from, with their boxes' pixels per inch."""

    lines: Sequence[OcrLine] = ()
    dpi: float = 200.0

    def area_text(self, area: Mapping[str, Any]) -> str:
        """The layout text of the lines on pages ``f``..``l`` whose centres lie in the rectangle
        ``x``, ``y``, ``W``, ``H`` given in pixels at ``r`` dots per inch (pdftotext's crop)."""
        scale = self.dpi / float(area.get("r", 72))
        x0, y0 = float(area.get("x", 0)) * scale, float(area.get("y", 0)) * scale
        x1, y1 = x0 + float(area.get("W", 0)) * scale, y0 + float(area.get("H", 0)) * scale
        first = int(area.get("f", 1))
        pages = range(first, int(area.get("l", first)) + 1)
        return layout_text([line for line in self.lines if line.page in pages
                            and x0 <= line.center[0] <= x1 and y0 <= line.center[1] <= y1])


def read_fields(template: Template, text: str, page: Page = Page()) -> dict[str, Any] | None:
    """Every field the template reads from ``text``, or None when a required one is missing."""
    output: dict[str, Any] = {"issuer": template.issuer}
    for name, spec in (template.data.get("fields") or {}).items():
        name, value = read_field(template, name, spec, text, page)
        if value is not None:
            output[name] = value
    output["currency"] = template.options["currency"]
    if "lines" in template.data:
        rows = read_lines(template, template.data["lines"], text)
        if rows:
            output["lines"] = rows
    for table in as_list(template.data.get("tables")):
        read_table(template, table, text, output)
    if not set(template.required) <= output.keys():
        return None
    output["desc"] = f"Invoice from {template.issuer}"
    return output


def read_field(template: Template, name: str, spec: Any, text: str, page: Page = Page()) -> tuple[str, Any]:
    """``(output name, value)`` of one field; the value is None when nothing was read. A field
    with an ``area`` reads only the text inside it."""
    if isinstance(spec, Mapping):
        if "area" in spec:
            text = prepare(page.area_text(spec["area"]), template.options)
        parser = spec.get("parser")
        if parser == "static":
            return name, spec.get("value")
        if parser == "lines":
            return name, read_lines(template, spec, text) or None
        if parser == "regex":
            return name, read_regex(template, as_list(spec.get("regex")), text, spec.get("type"),
                                    spec.get("group"), ordered=True)
        return name, None
    if name.startswith("static_"):
        return name.removeprefix("static_"), spec
    if name.startswith("sum_amount") and isinstance(spec, list):
        return name.removeprefix("sum_"), read_regex(template, spec, text, "float", "sum")
    if name.startswith("date") or name.endswith("date"):
        return name, read_regex(template, as_list(spec), text, "date")
    kind = "float" if name.startswith("amount") else None
    return name, read_regex(template, as_list(spec), text, kind)


def read_regex(template: Template, patterns: Sequence[str], text: str, kind: str | None = None,
               group: str | None = None, ordered: bool = False) -> Any:
    """All matches of ``patterns``, typed and grouped as invoice2data's regex parser does:
    duplicates dropped (in order of appearance when ``ordered``, else sorted), one value alone.
    None when nothing matched, a pattern has several groups, or a value does not parse."""
    found: list[Any] = []
    for pattern in patterns:
        hits = re.findall(str(pattern), text)
        if any(isinstance(hit, tuple) for hit in hits):
            return None
        found += hits
    if not found:
        return None
    if kind:
        found = [coerce(template, value, kind) for value in found]
        if any(value is None for value in found):
            return None
    if group:
        return grouped(found, group)
    found = list(dict.fromkeys(found)) if ordered else sorted(set(found), key=str)
    return found[0] if len(found) == 1 else found


def grouped(values: list[Any], group: str) -> Any:
    """``values`` reduced by an invoice2data ``group`` setting (None for an unknown one)."""
    reducers = {"sum": sum, "first": lambda v: v[0], "last": lambda v: v[-1], "min": min, "max": max,
                "join": lambda v: " ".join(map(str, v))}
    reduce = reducers.get(group)
    return reduce(values) if reduce else None


def coerce(template: Template, value: str, kind: str) -> Any:
    """``value`` as a float, int or date by the template's options; None when it does not parse."""
    try:
        if kind == "float":
            return parse_number(value, template.options["decimal_separator"]) if value.strip() else 0.0
        if kind == "int":
            return int(parse_number(value, template.options["decimal_separator"])) if value.strip() else 0
    except ValueError:
        return None
    if kind == "date":
        return parse_date(value, template.options)
    return value


def parse_number(value: str, decimal_separator: str = ".") -> float:
    """An amount written with ``decimal_separator``; other dots, commas and spaces are thousands
    separators; a trailing ``cr`` (credit) makes it negative. ValueError when it is no number."""
    if value.count(decimal_separator) > 1:
        raise ValueError(f"{value!r} holds the decimal separator more than once")
    digits = re.sub(r"[.,\s]", "", value.replace(decimal_separator, "|"))
    sign = -1.0 if digits.endswith("cr") else 1.0
    return sign * float(digits.removesuffix("cr").replace("|", "."))


def parse_date(value: str, options: Mapping[str, Any]) -> date | None:
    """A date read by dateparser with the template's ``date_formats`` and ``languages``."""
    parsed = dateparser.parse(value, date_formats=as_list(options["date_formats"]) or None,
                              languages=as_list(options["languages"]) or None)
    return parsed.date() if parsed else None


def read_lines(template: Template, spec: Mapping[str, Any], text: str) -> list[dict[str, Any]]:
    """Line items: each of the spec's ``rules`` (or the spec itself) applied to every block
    between a ``start`` match and the next ``end`` match."""
    rows: list[dict[str, Any]] = []
    for rule in as_list(spec.get("rules")) or [spec]:
        settings = {"line_separator": r"\n", **{k: v for k, v in spec.items() if k != "rules"}, **rule}
        for block in blocks(text, settings["start"], settings["end"]):
            rows += typed_rows(template, block_rows(settings, block), settings.get("types") or {})
    return [with_unece_code(row) for row in rows]


def with_unece_code(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with ``unece_code`` derived from a known ``uom`` literal when it has none."""
    code = UNECE_CODES.get(str(row.get("uom", "")).strip().lower())
    return {**row, "unece_code": code} if code and not row.get("unece_code") else row


def blocks(text: str, start: str, end: str) -> list[str]:
    """The texts between each ``start`` match and the first ``end`` match after it."""
    found = []
    while (opening := re.search(start, text)) and (closing := re.search(end, text[opening.end():])):
        body = text[opening.end():]
        found.append(body[:closing.start()])
        text = body[closing.end():]
    return found


def block_rows(settings: Mapping[str, Any], block: str) -> list[dict[str, str]]:
    """invoice2data's line grouping: a ``first_line`` match opens a row, ``line`` matches add to
    it (several values of a field joined by newlines), ``last_line`` closes it, ``skip_line``
    lines are ignored. Without first/last lines every ``line`` match is a row."""
    first = settings.get("first_line", settings["line"] if "last_line" not in settings else None)
    rows: list[dict[str, str]] = []
    row: dict[str, str] = {}
    opened = first is None
    for line in re.split(settings["line_separator"], block):
        if not line.strip("\n\r"):
            continue
        if first is not None and (hit := search_any(first, line)):
            if row:
                rows.append(row)
            row, opened = {k: (v or "").strip() for k, v in hit.groupdict().items()}, True
            continue
        if not opened:
            continue
        if "last_line" in settings and (hit := search_any(settings["last_line"], line)):
            row = added(row, hit)
            if row:
                rows.append(row)
            row, opened = {}, first is None
            continue
        if any(re.search(p, line) for p in as_list(settings.get("skip_line"))):
            continue
        if hit := search_any(settings["line"], line):
            row = added(row, hit)
    if row:
        rows.append(row)
    return rows


def search_any(patterns: Any, line: str) -> re.Match | None:
    """The first of ``patterns`` (one regex or a list) found in ``line``."""
    return next((hit for p in as_list(patterns) if (hit := re.search(p, line))), None)


def added(row: dict[str, str], hit: re.Match) -> dict[str, str]:
    """``row`` with the match's named groups appended (a second value on a new line)."""
    for name, value in hit.groupdict().items():
        before = row.get(name, "")
        row[name] = f"{before}{chr(10) if before else ''}{(value or '').strip()}"
    return row


def typed_rows(template: Template, rows: list[dict[str, str]], types: Mapping[str, str]) -> list[dict[str, Any]]:
    """Rows with the values named in ``types`` coerced (a value that does not parse kept as read)."""
    typed = []
    for row in rows:
        converted = {k: coerce(template, v, types[k]) if k in types else v for k, v in row.items()}
        typed.append({k: row[k] if v is None else v for k, v in converted.items()})
    return typed


def read_table(template: Template, table: Mapping[str, Any], text: str, output: dict[str, Any]) -> None:
    """invoice2data's ``tables``: the named groups of ``body`` matched on each line between
    ``start`` and ``end`` fill fields not read yet (dates and amounts typed by their names)."""
    opening, closing = re.search(table["start"], text), re.search(table["end"], text)
    if not opening or not closing:
        return
    for line in re.split(table.get("line_separator", r"\n"), text[opening.end():closing.start()]):
        if not line.strip() or not (hit := re.search(table["body"], line)):
            continue
        for name, value in hit.groupdict().items():
            if name in output or value is None:
                continue
            kind = "date" if name.startswith("date") or name.endswith("date") else \
                "float" if name.startswith("amount") else (table.get("types") or {}).get(name)
            output[name] = coerce(template, value, kind) if kind else value


def to_json(value: Any) -> Any:
    """invoice2data's JSON output of ``value``: dates as ``YYYY-MM-DD``."""
    if isinstance(value, (date, datetime)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, Mapping):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    return value


def layout_text(lines: Sequence[OcrLine]) -> str:
    """Text lines with boxes as column-preserving text, like ``pdftotext -layout``: lines whose
    centres sit within half a line height share a row, each placed at its left edge in units
    of a narrow character's width (at least one space after the text before it, none when it
    touches that text, as a ligature split from its word does); pages are separated by form feeds."""
    pages = sorted({line.page for line in lines})
    return "\f".join(page_layout([line for line in lines if line.page == p]) for p in pages)


def page_layout(lines: Sequence[OcrLine]) -> str:
    """One page's lines as layout text (see ``layout_text``)."""
    lines = [line for line in lines if line.text.strip()]
    if not lines:
        return ""
    widths = sorted((l.bbox[2] - l.bbox[0]) / len(l.text) for l in lines)
    char_width = widths[len(widths) // 4] or 1.0
    left = min(line.bbox[0] for line in lines)
    return "\n".join(render_row(row, left, char_width) for row in rows_of(lines)) + "\n"


def rows_of(lines: Sequence[OcrLine]) -> list[list[OcrLine]]:
    """Lines grouped into rows, top to bottom, each row left to right."""
    rows: list[list[OcrLine]] = []
    for line in sorted(lines, key=lambda l: l.center[1]):
        row = rows[-1] if rows else None
        if row and abs(line.center[1] - statistics.mean(l.center[1] for l in row)) <= row[0].height / 2:
            row.append(line)
        else:
            rows.append([line])
    return [sorted(row, key=lambda l: l.bbox[0]) for row in rows]


def render_row(row: Sequence[OcrLine], left: float, char_width: float) -> str:
    """A row's lines, each from its own column."""
    text, right = "", None
    for line in row:
        column = int((line.bbox[0] - left) / char_width + COLUMN_ROUNDING)
        touching = right is not None and line.bbox[0] - right < char_width / 2
        gap = 0 if touching else column - len(text) if right is None else max(column - len(text), 1)
        text += " " * max(gap, 0) + line.text
        right = line.bbox[2]
    return text
