"""invoice2data's own test suite (its MANIFEST's documents and expected JSON) through billflow:
the PDFs read from their text layer, the dataset's templates applied by invoice2data's rules.
The count of documents matching field for field may rise, never fall."""

from __future__ import annotations

import pytest

from benchmarks.invoice2data_suite import DATASET, run_suite

MATCHING_PDFS = 10  # of 11: saeco's issuer is printed in an image (its keywords need OCR)


@pytest.mark.skipif(not (DATASET / "MANIFEST.json").exists(), reason="invoice2data dataset not present")
def test_invoice2data_suite_matches_field_for_field():
    results = {r.document.name: r for r in run_suite(DATASET)}
    pdfs = [r for name, r in results.items() if name.endswith(".pdf")]
    assert len(pdfs) == 11
    matching = sorted(r.document.name for r in pdfs if r.matches)
    assert len(matching) >= MATCHING_PDFS, matching
    assert results["Orlen.txt"].matches
    assert results["coolblue1.pdf"].matches  # the "ffi" ligature split by the text layer is joined again
    assert results["AzureInterior.pdf"].matches  # unece_code derived from the printed unit
    assert results["NetpresseInvoice.pdf"].matches  # its date read from an `area:` of the page
