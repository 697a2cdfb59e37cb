"""Command line: ``python -m tools.heldout OUT_DIR --count N --seed S``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .fonts import NoFont
from .generate import batch


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.heldout",
                                     description="Write held-out synthetic documents (testing only).")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--count", type=int, default=10, help="documents, waybills and bank bills alternating")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        paths = batch(args.outdir, args.count, args.seed)
    except NoFont as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {len(paths)} documents to {args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
