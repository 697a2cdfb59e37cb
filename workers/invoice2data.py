"""invoice2data templates on files: a folder of its YAML templates loaded, a document's text
read (a PDF page from its text layer, ``workers.textlayer``, else OCR'd when an engine is
given; a ``.txt`` file as it is) and handed to ``extractors.invoice2data``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import yaml

from extractors import invoice2data
from extractors.lines import OcrLine

TEXT_SCALE = 200 / 72  # page pixels per point for text-layer boxes (the scale pages are OCR'd at)

PageReader = Callable[[np.ndarray, int], list[OcrLine]]  # BGR page image, page number → OCR lines


def load_templates(folder: Path) -> list[invoice2data.Template]:
    """Every ``*.yml``, ``*.yaml`` and ``*.json`` under ``folder`` as templates, in the order they
    are tried (invoice2data reads both formats)."""
    files = sorted(p for p in folder.rglob("*") if p.suffix in (".yml", ".yaml", ".json") and p.is_file())
    return invoice2data.templates_from({str(p.relative_to(folder)): read_template(p) for p in files})


def read_template(path: Path) -> object:
    """A template file's content (JSON is YAML too, but not the reverse for its escapes)."""
    text = path.read_text("utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


def document_text(path: Path, ocr: PageReader | None = None) -> tuple[str, list[OcrLine]]:
    """The text invoice2data's templates read and the lines it was laid out from: a PDF's pages
    as layout text (form feeds between them), any other file as UTF-8 text (no lines). A page
    without a usable text layer is OCR'd by ``ocr``, or left empty without one."""
    if path.suffix.lower() != ".pdf":
        return path.read_text("utf-8"), []
    lines = pdf_lines(path.read_bytes(), ocr)
    return invoice2data.layout_text(lines), lines


def pdf_lines(data: bytes, ocr: PageReader | None = None) -> list[OcrLine]:
    """Every page's text lines: its text layer's, or ``ocr``'s of the rendered page."""
    import pypdfium2

    from workers import textlayer

    pdf = pypdfium2.PdfDocument(data)
    lines: list[OcrLine] = []
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                found = textlayer.page_lines(page, TEXT_SCALE, index + 1)
                if found is None and ocr is not None:
                    rgb = np.asarray(page.render(scale=TEXT_SCALE).to_pil().convert("RGB"))
                    found = ocr(rgb[:, :, ::-1].copy(), index + 1)
                lines += found or []
            finally:
                page.close()
    finally:
        pdf.close()
    return lines


def extract_file(path: Path, templates: list[invoice2data.Template],
                 ocr: PageReader | None = None) -> invoice2data.Match | None:
    """The template that reads ``path`` and its fields (invoice2data's JSON output), or None."""
    text, lines = document_text(path, ocr)
    return invoice2data.extract(templates, text, lines, TEXT_SCALE * 72)
