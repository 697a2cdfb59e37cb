"""Which pages of an upload begin a document: a sheet-feeder batch holds several in one file.

Pure: OCR lines in, page ranges out. Each page is classified on its own text; a page that is a
document of its own type (the type's anchors are on it) and is not the same document as the
pages before it starts a new one. Any other page continues the document before it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from extractors.classify import UNKNOWN, classify
from extractors.extract import extract_document
from extractors.lines import OcrLine
from extractors.template import Template, load_templates

NUMBER_KINDS = ("tracking_number", "bill_number")  # field kinds whose value names one document


@dataclass(frozen=True)
class PageRange:
    """One document: the upload's pages ``first`` to ``last``."""

    first: int
    last: int


@dataclass(frozen=True)
class PageSigns:
    """What a page says about itself: the type its own text classifies as (``unknown`` when it
    has no anchors of any type) and the number of the document it shows, if any."""

    doc_type: str
    number: str | None = None


def split_pages(lines: list[OcrLine], pages: Iterable[int], doc_type: str | None = None) -> list[PageRange]:
    """The upload's documents as consecutive page ranges covering every page, in page order.

    ``pages``: the upload's page numbers (a page without lines continues the document before
    it); ``doc_type``: the type asked for, the only one a page is then checked against.
    """
    numbers = sorted(set(pages) | {line.page for line in lines})
    if len(numbers) < 2:
        return [PageRange(n, n) for n in numbers]
    by_page: dict[int, list[OcrLine]] = {n: [] for n in numbers}
    for line in lines:
        by_page[line.page].append(line)
    ranges: list[PageRange] = []
    current = PageSigns(UNKNOWN)
    for number in numbers:
        signs = page_signs(by_page[number], doc_type)
        if not ranges or starts_document(signs, current):
            ranges.append(PageRange(number, number))
            current = signs
        else:
            ranges[-1] = PageRange(ranges[-1].first, number)
            current = PageSigns(current.doc_type, current.number or signs.number)
    return ranges


def starts_document(page: PageSigns, current: PageSigns) -> bool:
    """Whether a page with these signs begins a new document after ``current`` (the signs of the
    document so far): it has a type of its own, and that type differs or it shows another
    document number than the current document's."""
    if page.doc_type == UNKNOWN:
        return False
    if page.doc_type != current.doc_type:
        return True
    return page.number is not None and page.number != current.number


def page_signs(lines: list[OcrLine], doc_type: str | None = None) -> PageSigns:
    """The page's own type (only ``doc_type`` is tried when given) and its document number: the
    value of its type's number field (a tracking or bill number) read from this page alone."""
    templates = load_templates()
    candidates = {doc_type: templates[doc_type]} if doc_type in templates else templates
    found = classify(lines, candidates).doc_type if lines else UNKNOWN
    if found == UNKNOWN:
        return PageSigns(UNKNOWN)
    names = number_fields(templates[found])
    fields = extract_document(lines, found).fields if names else {}
    return PageSigns(found, next((fields[n].value for n in names if n in fields), None))


def number_fields(template: Template) -> tuple[str, ...]:
    """The template's fields whose value names one document (``NUMBER_KINDS``)."""
    return tuple(dict.fromkeys(s.name for v in template.variants for s in v.fields if s.kind in NUMBER_KINDS))
