"""``python -m benchmarks.invoice2data_suite [--dataset DIR]``: invoice2data's own test suite
run through billflow.

Each case of the dataset's ``MANIFEST.json`` (``../shared/datasets/invoice2data``, or
``INVOICE2DATA_DIR``) is a document and the JSON invoice2data expects from it. billflow reads
the document (a PDF from its text layer), applies the dataset's templates (YAML and JSON) with
``extractors.invoice2data`` and compares as invoice2data's tests do: the whole output equal to
the expected object, field for field. It prints each case (the template used, or why none
matched, and every field that differs) and the count of matching PDFs.
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import dataclass
from pathlib import Path

from workers.invoice2data import extract_file, load_templates

REPO = Path(__file__).resolve().parents[1]
DATASET = Path(os.environ.get("INVOICE2DATA_DIR", REPO.parent / "shared" / "datasets" / "invoice2data"))
TEMPLATES = Path("src/invoice2data/extract/templates")


@dataclass(frozen=True)
class CaseResult:
    """One manifest case: the document, the template that read it (None: none matched) and
    the fields whose value differs from the expected one, as ``{name: (expected, got)}``."""

    document: Path
    template: str | None
    differences: dict[str, tuple]

    @property
    def matches(self) -> bool:
        return self.template is not None and not self.differences


def run_suite(dataset: Path = DATASET) -> list[CaseResult]:
    """Every manifest case of ``dataset`` read and compared."""
    templates = load_templates(dataset / TEMPLATES)
    results = []
    for case in json.loads((dataset / "MANIFEST.json").read_text("utf-8")):
        document = dataset / case["input"].removeprefix("invoice2data/")
        expected = json.loads((dataset / case["expected"].removeprefix("invoice2data/")).read_text("utf-8"))[0]
        found = extract_file(document, templates)
        got = found.fields if found else {}
        differences = {k: (expected.get(k), got.get(k)) for k in sorted(expected.keys() | got.keys())
                       if expected.get(k) != got.get(k)}
        results.append(CaseResult(document, found.template if found else None, differences))
    return results


def describe(result: CaseResult) -> list[str]:
    """The case's lines of the report: its verdict, then each differing field."""
    verdict = "matches" if result.matches else "no template matched" if result.template is None else "differs"
    lines = [f"{result.document.name}: {verdict}" + (f" ({result.template})" if result.template else "")]
    if result.template is not None:
        lines += [f"    {name}: expected {short(want)}, got {short(got)}"
                  for name, (want, got) in result.differences.items()]
    return lines


def short(value: object, limit: int = 160) -> str:
    """``value`` as JSON, cut to ``limit`` characters."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", type=Path, default=DATASET)
    args = parser.parse_args()
    results = run_suite(args.dataset)
    for result in results:
        print("\n".join(describe(result)))
    pdfs = [r for r in results if r.document.suffix.lower() == ".pdf"]
    others = [r for r in results if r not in pdfs]
    print(f"\n{sum(r.matches for r in pdfs)}/{len(pdfs)} PDFs match invoice2data's expected output field for field"
          + (f"; {sum(r.matches for r in others)}/{len(others)} text files" if others else ""))


if __name__ == "__main__":
    main()
