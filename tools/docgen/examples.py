"""The README samples: a 2-page waybill PDF, a photographed waybill and a clean cheque."""

from __future__ import annotations

from pathlib import Path

from . import degrade
from .generate import generate, write_json

PDF_DPI = 200
PAGES = (("sf_express", 2024_0001), ("jd_logistics", 2024_0002))


def write_examples(outdir: Path) -> list[Path]:
    """Write the samples and their ``*.truth.json`` into ``outdir``; return the sample paths."""
    outdir.mkdir(parents=True, exist_ok=True)
    return [_two_page_pdf(outdir), _photo(outdir), _cheque(outdir)]


def _two_page_pdf(outdir: Path) -> Path:
    """Two different waybills, one per page; each page entry carries its own layout, seed and
    fields, and the top-level ``fields`` are those of page 1."""
    docs = [generate("courier_waybill", layout, seed) for layout, seed in PAGES]
    path = outdir / "waybill_2pages.pdf"
    docs[0].image.save(path, "PDF", resolution=PDF_DPI, save_all=True, append_images=[docs[1].image])
    pages = [d.page_truth(path.name, page=i, layout=d.layout, seed=d.seed, fields=d.fields)
             for i, d in enumerate(docs, 1)]
    truth = {"doc_type": "courier_waybill", "layout": docs[0].layout, "seed": docs[0].seed,
             "degradations": {}, "dpi": PDF_DPI, "pages": pages, "fields": docs[0].fields}
    write_json(outdir / "waybill_2pages.truth.json", truth)
    return path


def _photo(outdir: Path) -> Path:
    doc = generate("courier_waybill", "zto_express", 2024_0003, degrade.PHOTO)
    path = outdir / "waybill_photo.jpg"
    doc.image.save(path, "JPEG", quality=doc.jpeg_quality, optimize=True)
    write_json(outdir / "waybill_photo.truth.json", doc.truth(path.name))
    return path


def _cheque(outdir: Path) -> Path:
    doc = generate("bank_bill", "transfer_cheque", 2024_0004)
    path = outdir / "transfer_cheque.png"
    doc.image.save(path, "PNG", optimize=True)
    write_json(outdir / "transfer_cheque.truth.json", doc.truth(path.name))
    return path
