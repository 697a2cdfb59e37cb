"""Documents of the tuning family with their ground truth, in billflow's ``generated`` format
(the one ``tools/docgen/generate.py`` describes): ``{"doc_type", "layout", "seed", "dpi",
"degradations", "pages": [{"image", "width", "height", "lines"}], "fields"}``."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from tools.docgen import degrade
from tools.docgen.canvas import Line

from . import bankbills, waybills

DOC_TYPES = {"courier_waybill": waybills, "bank_bill": bankbills}
PREFIX = {"courier_waybill": "tg_waybill", "bank_bill": "tg_bankbill"}
CLEAN_QUALITY = 92


@dataclass
class Document:
    doc_type: str
    layout: str
    seed: int
    dpi: int
    degradations: dict
    image: Image.Image
    lines: list[Line]
    fields: dict

    def truth(self, image_name: str) -> dict:
        page = {"image": image_name, "width": self.image.width, "height": self.image.height,
                "lines": [line.to_json() for line in self.lines]}
        return {"doc_type": self.doc_type, "layout": self.layout, "seed": self.seed, "dpi": self.dpi,
                "degradations": self.degradations, "pages": [page], "fields": self.fields}


def layouts(doc_type: str) -> list[str]:
    return list(DOC_TYPES[doc_type].LAYOUTS)


def generate(doc_type: str, layout: str, seed: int, mode: str = "none") -> Document:
    """One document; its content depends only on (doc_type, layout, seed), so the same seed
    gives the same document clean or degraded."""
    page, fields = DOC_TYPES[doc_type].document(random.Random(f"tunegen:{seed}"), layout)
    dpi = round(page.k * 25.4)
    image, lines = page.finish()
    params = degrade.plan(random.Random(f"tunegen-degrade:{seed}"), mode)
    image, lines = degrade.apply(image, lines, params, seed)
    return Document(doc_type, layout, seed, dpi, params, image, lines, fields)


def write(doc: Document, outdir: Path, stem: str) -> Path:
    outdir.mkdir(parents=True, exist_ok=True)
    image_path = outdir / f"{stem}.jpg"
    doc.image.save(image_path, "JPEG", quality=doc.degradations.get("jpeg_quality", CLEAN_QUALITY), optimize=True)
    (outdir / f"{stem}.json").write_text(json.dumps(doc.truth(image_path.name), ensure_ascii=False, indent=1) + "\n",
                                         encoding="utf-8")
    return image_path


def batch(outdir: Path, count: int, seed: int, mode: str) -> list[Path]:
    """``count`` documents alternating waybill / bank bill, layouts cycling within each type.
    Document ``i`` (0-based) gets seed ``seed * 100000 + i`` and stem ``<prefix>_<i+1:04d>``."""
    paths = []
    types = list(DOC_TYPES)
    for i in range(count):
        doc_type = types[i % 2]
        names = layouts(doc_type)
        doc = generate(doc_type, names[(i // 2) % len(names)], seed * 100_000 + i, mode)
        paths.append(write(doc, outdir, f"{PREFIX[doc_type]}_{i + 1:04d}"))
    return paths
