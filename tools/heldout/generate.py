"""Generate held-out documents and write each image with its ground-truth JSON beside it."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from . import bankbills, finish, waybills
from .page import Line

MODULES = {"courier_waybill": waybills, "bank_bill": bankbills}
PREFIX = {"courier_waybill": "waybill", "bank_bill": "bankbill"}
FAMILY = "heldout"


@dataclass
class Document:
    """One rendered page with its truth."""

    doc_type: str
    layout: str
    seed: int
    variant: int | None
    image: Image.Image
    lines: list[Line]
    fields: dict
    fonts: list[str]
    degradations: dict
    notes: dict = field(default_factory=dict)

    def truth(self, image_name: str) -> dict:
        page = {"image": image_name, "width": self.image.width, "height": self.image.height,
                "lines": [line.to_json() for line in self.lines]}
        return {"doc_type": self.doc_type, "layout": self.layout, "seed": self.seed,
                **({"variant": self.variant} if self.variant is not None else {}), "family": FAMILY,
                "fonts": self.fonts, "degradations": self.degradations, **self.notes,
                "pages": [page], "fields": self.fields}


def layouts(doc_type: str) -> list[str]:
    return list(MODULES[doc_type].LAYOUTS)


def generate(doc_type: str, layout: str, seed: int, variant: int | None = None) -> Document:
    """Render one document; everything depends only on (doc_type, layout, seed, variant).
    ``variant`` (the index among documents of its type in a batch) steers what a batch must
    cover (every carrier; both ways of printing a bank bill's digit amount)."""
    module = MODULES[doc_type]
    v = module.values(random.Random(f"values:{seed}"), variant)  # str seeds are hashed: n, n+1 decorrelate
    page, palette, truth_fields, notes = module.render(layout, v)
    params = finish.plan(random.Random(f"finish:{seed}"), thermal=doc_type == "courier_waybill")
    image = finish.apply(page.image, page.lines, params, page.paper)
    shown = {k: val for k, val in params.items() if k != "noise_seed"}
    return Document(doc_type, layout, seed, variant, image, page.lines, truth_fields, palette.families(),
                    shown, notes)


def truth_json(doc: Document, image_name: str) -> str:
    return json.dumps(doc.truth(image_name), ensure_ascii=False, indent=1) + "\n"


def write(doc: Document, outdir: Path, stem: str) -> Path:
    """Write ``stem.jpg`` and ``stem.json``; return the image path."""
    outdir.mkdir(parents=True, exist_ok=True)
    image_path = outdir / f"{stem}.jpg"
    doc.image.save(image_path, "JPEG", quality=doc.degradations["jpeg_quality"], optimize=True)
    (outdir / f"{stem}.json").write_text(truth_json(doc, image_path.name), encoding="utf-8")
    return image_path


def plan_batch(count: int, seed: int) -> list[tuple[str, str, int, int, str]]:
    """(doc_type, layout, seed, variant, stem) of each document: types alternate, layouts
    cycle within a type; document ``i`` gets seed ``seed * 100000 + i`` and variant ``i // 2``."""
    types = list(MODULES)
    out = []
    for i in range(count):
        doc_type, variant = types[i % len(types)], i // len(types)
        names = layouts(doc_type)
        layout = names[variant % len(names)]
        out.append((doc_type, layout, seed * 100_000 + i, variant, f"{PREFIX[doc_type]}_{i + 1:04d}"))
    return out


def batch(outdir: Path, count: int, seed: int) -> list[Path]:
    return [write(generate(t, layout, s, variant), outdir, stem)
            for t, layout, s, variant, stem in plan_batch(count, seed)]
