"""Command line: ``python -m tools.docgen OUTDIR --count N --seed S [--types ...] [--degrade ...]``
or ``python -m tools.docgen --examples examples/``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .degrade import MODES
from .examples import write_examples
from .fonts import FontNotFound
from .generate import DEFAULT_TYPES, DOC_TYPES, batch


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tools.docgen", description=__doc__)
    parser.add_argument("outdir", nargs="?", type=Path, help="where to write images and JSON")
    parser.add_argument("--count", type=int, default=10, help="number of documents (default 10)")
    parser.add_argument("--seed", type=int, default=0, help="run seed (default 0)")
    parser.add_argument("--types", default=",".join(DEFAULT_TYPES),
                        help=f"comma-separated document types of {','.join(DOC_TYPES)} "
                             f"(default {','.join(DEFAULT_TYPES)})")
    parser.add_argument("--degrade", choices=MODES, default="none")
    parser.add_argument("--examples", type=Path, metavar="DIR", help="write the README samples")
    args = parser.parse_args(argv)
    if (args.outdir is None) == (args.examples is None):
        parser.error("give either OUTDIR or --examples DIR")
    unknown = set(args.types.split(",")) - DOC_TYPES.keys()
    if unknown:
        parser.error(f"unknown types {sorted(unknown)}; choose from {sorted(DOC_TYPES)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        if args.examples:
            paths = write_examples(args.examples)
        else:
            paths = batch(args.outdir, args.count, args.seed, args.types.split(","), args.degrade)
    except FontNotFound as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {len(paths)} documents")
    return 0


if __name__ == "__main__":
    sys.exit(main())
