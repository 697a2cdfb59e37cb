"""Generate documents and write them with their ground truth (one JSON beside each image).

Ground truth: ``{"doc_type", "layout", "seed", "degradations", "pages": [{"image", "width",
"height", "lines": [{"polygon": 4 × [x, y] clockwise from top-left, "text", "kind"?}]}],
"fields"}``. ``lines`` holds every drawn run of text (labels included) in drawing order, in
the final image's pixels; ``kind`` marks runs an OCR is not expected to read as one line:
``seal``, ``barcode-digits``, ``cells`` (boxed amount digits) and ``vertical``. ``fields`` are
canonical: amounts ``1234.56``, ISO dates, E.164 phones, addresses and names as printed (lines
joined, no whitespace), weight in kg without trailing zeros, ids upper case, accounts digits,
``amount_words`` as the decimal it denotes; a field a layout does not print is absent.
A deposit slip's ``bill_number`` is its own serial (``No …``), ``deposited_number`` the number
printed at 票据号码 (the deposited cheque's).
Bank bills also say how the small (digit) amount is printed, in ``amount_small``: ``text``
(``¥12,345.67`` as one run of text), ``cells`` (one digit per 亿…分 box, a ``cells`` line: OCR
reads ``¥`` and the amount in fen, e.g. ``¥1234567``, with no point) or ``cells+text`` (boxes
in the cheque body, and ``¥12,345.67`` as text on the stub).
VAT invoices (``vatinvoices``) add ``medium`` (``scan``: a JPEG; ``pdf``: a born-digital PDF with
a text layer, ``dpi`` giving the pixels the polygons are in), ``total_words`` as the decimal it
denotes and ``line_items`` (the item table's rows, see ``vatinvoices``).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from . import bankbills, degrade, vatinvoices, waybills
from .canvas import Canvas, Line
from .pdf import DPI, RecordingCanvas, to_pdf
from .render import draw

DOC_TYPES = {"courier_waybill": waybills, "bank_bill": bankbills, "vat_invoice": vatinvoices}
DEFAULT_TYPES = ("courier_waybill", "bank_bill")  # what a run without --types writes
PREFIX = {"courier_waybill": "waybill", "bank_bill": "bankbill", "vat_invoice": "vatinvoice"}
CLEAN_QUALITY = 90


@dataclass
class Document:
    """One generated page with its ground truth."""

    doc_type: str
    layout: str
    seed: int
    degradations: dict
    image: Image.Image
    lines: list[Line]
    fields: dict
    notes: dict = field(default_factory=dict)  # extra top-level truth keys (amount_small, medium, line_items)
    pdf: bytes | None = None  # the born-digital PDF (with a text layer) when the medium is "pdf"

    def page_truth(self, image_name: str, **extra) -> dict:
        """The ``pages[]`` entry for this page stored as ``image_name``."""
        return {"image": image_name, **extra, "width": self.image.width, "height": self.image.height,
                "lines": [line.to_json() for line in self.lines]}

    def truth(self, image_name: str) -> dict:
        """The full ground-truth JSON object for a single-page file ``image_name``."""
        items = {k: self.notes[k] for k in ("line_items",) if k in self.notes}
        head = {k: v for k, v in self.notes.items() if k not in items} | ({"dpi": DPI} if self.pdf else {})
        return {"doc_type": self.doc_type, "layout": self.layout, "seed": self.seed,
                "degradations": self.degradations, **head,
                "pages": [self.page_truth(image_name)], "fields": self.fields, **items}

    @property
    def jpeg_quality(self) -> int:
        return self.degradations.get("jpeg_quality", CLEAN_QUALITY)


def layouts(doc_type: str) -> list[str]:
    """Layout names of ``doc_type`` in a fixed order."""
    return list(DOC_TYPES[doc_type].LAYOUTS)


def generate(doc_type: str, layout: str, seed: int, degrade_with: str | dict = "none") -> Document:
    """Render one document. Content depends only on (doc_type, layout, seed), so the same seed
    gives the same document clean or degraded. ``degrade_with``: a mode or explicit params.
    A layout with ``meta["media"]`` arrives as one of them (drawn from the seed): ``scan`` (an
    image, degraded as asked) or ``pdf`` (born-digital: never degraded, ``Document.pdf`` set)."""
    module = DOC_TYPES[doc_type]
    spec = module.LAYOUTS[layout]
    rng = random.Random(seed)
    fields, values = module.content(rng, spec)
    notes = {k: spec.meta[k] for k in ("amount_small",) if k in spec.meta}
    medium = random.Random(f"medium:{seed}").choice(spec.meta["media"]) if "media" in spec.meta else "scan"
    canvas = draw(spec, values, rng, RecordingCanvas if medium == "pdf" else Canvas)
    image, lines = canvas.finish(), canvas.lines
    params = (dict(degrade_with) if isinstance(degrade_with, dict)
              else degrade.plan(random.Random(f"degrade:{seed}"), degrade_with))
    pdf = None
    if medium == "pdf":
        params, pdf = {}, to_pdf(canvas, dt.date.fromisoformat(fields["issue_date"]))
    image, lines = degrade.apply(image, lines, params, seed)
    if "media" in spec.meta:
        notes["medium"] = medium
    if "line_items" in values:
        notes["line_items"] = values["line_items"]
    return Document(doc_type, layout, seed, params, image, lines, fields, notes, pdf)


def write(doc: Document, outdir: Path, stem: str) -> Path:
    """Write ``stem.jpg`` (or ``stem.pdf`` for a born-digital document) and ``stem.json`` into
    ``outdir``; return the document's path."""
    outdir.mkdir(parents=True, exist_ok=True)
    image_path = outdir / f"{stem}.{'pdf' if doc.pdf else 'jpg'}"
    if doc.pdf:
        image_path.write_bytes(doc.pdf)
    else:
        doc.image.save(image_path, "JPEG", quality=doc.jpeg_quality, optimize=True)
    write_json(outdir / f"{stem}.json", doc.truth(image_path.name))
    return image_path


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def batch(outdir: Path, count: int, seed: int, doc_types: list[str], mode: str) -> list[Path]:
    """``count`` documents, types round-robin and layouts cycling within each type.
    Document ``i`` (0-based) gets seed ``seed * 100000 + i`` and stem ``<prefix>_<i+1:04d>``."""
    paths = []
    for i in range(count):
        doc_type = doc_types[i % len(doc_types)]
        names = layouts(doc_type)
        layout = names[(i // len(doc_types)) % len(names)]
        doc = generate(doc_type, layout, seed * 100_000 + i, mode)
        paths.append(write(doc, outdir, f"{PREFIX[doc_type]}_{i + 1:04d}"))
    return paths
