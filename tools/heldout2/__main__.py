"""``python -m tools.heldout2 OUT --count N --seed S [--degrade none|mild]``: N documents (even
numbers waybills, odd bank bills), each an image with its truth JSON beside it."""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from tools.heldout2.bills import make_bill
from tools.heldout2.degrade import degrade
from tools.heldout2.waybills import make_waybill

DOC_TYPES = ("courier_waybill", "bank_bill")


def generate(out: Path, count: int, seed: int, mode: str = "none") -> list[Path]:
    """Write ``count`` documents into ``out``; the same arguments give the same files."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for index in range(count):
        rng = random.Random(f"heldout2:{seed}:{mode}:{index}")
        doc_type = DOC_TYPES[index % 2]
        page, fields, printed, layout = (make_waybill if doc_type == "courier_waybill" else make_bill)(rng)
        image, lines = page.image, page.lines
        if mode == "mild":
            image, lines = degrade(rng, image, lines)
        stem = f"{'waybill' if doc_type == 'courier_waybill' else 'bankbill'}_{mode}_{index:04d}"
        path = out / (stem + (".jpg" if mode == "mild" else ".png"))
        if mode == "mild":
            image.save(path, quality=92)
        else:
            image.save(path, optimize=True)
        truth = {"doc_type": doc_type, "layout": layout, "degrade": mode,
                 "pages": [{"width": image.width, "height": image.height, "lines": lines}],
                 "fields": fields, "printed": printed}
        path.with_suffix(".json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.heldout2", description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--seed", type=int, default=41)
    parser.add_argument("--degrade", choices=("none", "mild"), default="none")
    args = parser.parse_args(argv)
    written = generate(args.out, args.count, args.seed, args.degrade)
    print(f"{len(written)} documents in {args.out}")


if __name__ == "__main__":
    main()
