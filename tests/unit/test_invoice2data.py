"""invoice2data templates read a text by invoice2data's rules: every keyword present (none of
the excluded ones), fields by regex typed by name or ``type`` with the template's decimal
separator and date formats, line items between ``start`` and ``end``, required fields or no
match; text lines with boxes laid out in columns as ``pdftotext -layout`` does."""

from __future__ import annotations

from extractors.invoice2data import extract, layout_text, parse_number, templates_from
from extractors.lines import OcrLine

TEXT = """ACME Hardware GmbH
Rechnung Nr. 2024-117            Datum: 03.02.2024
Pos  Artikel            Menge   Betrag
1    Hammer             2       1.234,50
2    Nails              100     9,90
Summe
Gesamtbetrag: 1.244,40 EUR
"""

ACME = {
    "issuer": "ACME Hardware",
    "keywords": ["ACME Hardware", "Rechnung"],
    "fields": {
        "invoice_number": r"Rechnung Nr\. (\S+)",
        "date": r"Datum: (\d{2}\.\d{2}\.\d{4})",
        "amount": r"Gesamtbetrag: ([\d.,]+)",
        "static_vat": "DE123456789",
        "amounts": {"parser": "regex", "regex": r"\s([\d.]+,\d{2})\n", "type": "float", "group": "sum"},
        "lines": {"parser": "lines", "start": "Pos", "end": "Summe",
                  "line": r"^\d+\s+(?P<name>\w+)\s+(?P<qty>\d+)\s+(?P<price_subtotal>[\d.,]+)$",
                  "types": {"qty": "int", "price_subtotal": "float"}},
    },
    "options": {"currency": "EUR", "decimal_separator": ",", "date_formats": ["%d.%m.%Y"], "languages": ["de"]},
}


def test_a_matching_template_reads_typed_fields_and_line_items():
    found = extract(templates_from({"acme.yml": ACME}), TEXT)
    assert found.template == "acme.yml"
    assert found.fields == {
        "issuer": "ACME Hardware", "invoice_number": "2024-117", "date": "2024-02-03", "amount": 1244.40,
        "vat": "DE123456789", "amounts": 1244.40,
        "lines": [{"name": "Hammer", "qty": 2, "price_subtotal": 1234.50},
                  {"name": "Nails", "qty": 100, "price_subtotal": 9.90}],
        "currency": "EUR", "desc": "Invoice from ACME Hardware",
    }


def test_every_keyword_must_be_found_and_no_excluded_one():
    assert extract(templates_from({"a.yml": {**ACME, "keywords": ["ACME Hardware", "Invoice"]}}), TEXT) is None
    assert extract(templates_from({"a.yml": {**ACME, "exclude_keywords": ["Gesamtbetrag"]}}), TEXT) is None


def test_a_template_missing_a_required_field_does_not_match_and_the_next_one_is_tried():
    broken = {**ACME, "fields": {**ACME["fields"], "amount": r"Total: (\d+)"}}
    other = {**ACME, "issuer": "Fallback", "priority": 1}
    found = extract(templates_from({"a.yml": broken, "b.yml": other}), TEXT)
    assert found.template == "b.yml" and found.fields["issuer"] == "Fallback"


def test_templates_are_tried_by_priority():
    first = {**ACME, "issuer": "Preferred", "priority": 9}
    assert extract(templates_from({"a.yml": ACME, "z.yml": first}), TEXT).fields["issuer"] == "Preferred"


def test_remove_whitespace_applies_to_the_text_and_to_the_keywords():
    compact = {"keywords": ["ACME Hardware", "Gesamt betrag"], "fields": {
        "invoice_number": r"RechnungNr\.(\S+?)Datum", "date": r"Datum:(\d\d\.\d\d\.\d{4})", "amount": r"Gesamtbetrag:([\d.,]+)"},
        "options": {"remove_whitespace": True, "decimal_separator": ",", "date_formats": ["%d.%m.%Y"]}}
    found = extract(templates_from({"c.yml": compact}), TEXT)
    assert found.fields["invoice_number"] == "2024-117" and found.fields["amount"] == 1244.40
    assert found.fields["issuer"] == "ACME Hardware" and found.fields["currency"] == "EUR"


def test_numbers_follow_the_decimal_separator_and_credit_is_negative():
    assert parse_number("1.234,50", ",") == 1234.50
    assert parse_number("1,234.50", ".") == 1234.50
    assert parse_number("12.00cr", ".") == -12.0


def test_layout_text_keeps_columns_and_joins_touching_pieces():
    def line(text, x, y, width):
        return OcrLine(text, 1.0, ((x, y), (x + width, y), (x + width, y + 20), (x, y + 20)))

    lines = [line("Detail", 10, 0, 60), line("Amount", 200, 2, 60), line("Charges", 40, 30, 70),
             line("Of", 40, 60, 20), line("fice", 60, 60, 40)]
    assert layout_text(lines) == "Detail" + " " * 13 + "Amount\n   Charges\n   Office\n"


def test_a_printed_unit_gives_the_line_its_unece_code_unless_the_template_read_one():
    text = TEXT.replace("2       1.234,50", "2 kg    1.234,50")
    rule = {**ACME["fields"]["lines"], "line": r"^\d+\s+(?P<name>\w+)\s+(?P<qty>\d+)\s?(?P<uom>\w*)\s+(?P<price_subtotal>[\d.,]+)$"}
    found = extract(templates_from({"a.yml": {**ACME, "fields": {**ACME["fields"], "lines": rule}}}), text)
    assert [row.get("unece_code") for row in found.fields["lines"]] == ["KGM", None]


def test_a_field_with_an_area_reads_only_the_lines_inside_it():
    def line(text, x, y):
        return OcrLine(text, 1.0, ((x, y), (x + 100, y), (x + 100, y + 20), (x, y + 20)))

    dated = {**ACME, "fields": {**ACME["fields"], "date": {
        "parser": "regex", "regex": r"(\d{2}\.\d{2}\.\d{4})", "type": "date",
        "area": {"f": 1, "l": 1, "x": 0, "y": 90, "W": 300, "H": 40, "r": 100}}}}
    lines = [line("Lieferung 01.01.2024", 10, 10), line("Datum 03.02.2024", 10, 200)]  # 200 dpi pixels
    found = extract(templates_from({"a.yml": dated}), TEXT + "Lieferung 01.01.2024\n", lines, dpi=200)
    assert found.fields["date"] == "2024-02-03"
