"""Command line: ``python -m tools.tunegen OUTDIR --count N --seed S [--degrade none|mild]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools.docgen.fonts import FontNotFound

from .generate import batch


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.tunegen", description=__doc__)
    parser.add_argument("outdir", type=Path, help="where to write images and JSON")
    parser.add_argument("--count", type=int, default=20, help="number of documents (default 20)")
    parser.add_argument("--seed", type=int, default=0, help="run seed (default 0)")
    parser.add_argument("--degrade", choices=("none", "mild"), default="none")
    args = parser.parse_args(argv)
    try:
        paths = batch(args.outdir, args.count, args.seed, args.degrade)
    except FontNotFound as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {len(paths)} documents to {args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
