"""Why a document got the fields it got: the tool a person uses to write or fix a template."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from extractors.classify import classify
from extractors.extract import Extraction, extract_document
from extractors.lines import OcrLine
from extractors.template import load_templates


@dataclass
class Explanation:
    """Classification scores, the extraction, and per variant and field the trace of anchors
    found (label, line, page, box, whether its section allowed it) and candidates tried."""

    scores: dict[str, float]
    extraction: Extraction
    traces: dict[str, list[dict]]

    @property
    def variant(self) -> str | None:
        return self.extraction.template.split("/", 1)[1] if self.extraction.template else None

    def field_events(self, field: str) -> list[dict]:
        """The chosen variant's trace for one field, in the order things were tried."""
        return [e for e in self.traces.get(self.variant or "", []) if e["field"] == field]

    def why(self, field: str) -> str:
        """One line: where the value came from, or why there is none."""
        events = self.field_events(field)
        anchors = [e for e in events if e["event"] == "anchor"]
        tried = [e for e in events if e["event"] == "candidate"]
        if field in self.extraction.fields:
            f = self.extraction.fields[field]
            return f"found {f.how} on page {f.page}: {f.raw_text!r}"
        if not anchors and not tried:
            return "no anchor label found on any page"
        if anchors and not any(a["used"] for a in anchors):
            return f"anchors found ({', '.join(a['label'] for a in anchors)}) but all outside the field's section"
        return f"{len(tried)} candidate text(s) tried, none parsed as this field's kind"


def explain(lines: list[OcrLine], doc_type: str | None = None, today: date | None = None) -> Explanation:
    """Run classification and extraction on ``lines`` with tracing on."""
    scores = classify(lines, load_templates()).scores
    traces: dict[str, list[dict]] = {}
    extraction = extract_document(lines, doc_type, today, trace=traces)
    return Explanation(scores, extraction, traces)
