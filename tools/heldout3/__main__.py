"""``python -m tools.heldout3 OUT --count N --seed S [--degrade none|mild]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from tools.heldout3.generate import generate


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.heldout3",
                                     description="Write the third held-out family (measuring only; never tune on it).")
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--seed", type=int, default=51)
    parser.add_argument("--degrade", choices=("none", "mild"), default="none")
    args = parser.parse_args(argv)
    written = generate(args.out, args.count, args.seed, args.degrade)
    print(f"wrote {len(written)} documents to {args.out}")


if __name__ == "__main__":
    main()
