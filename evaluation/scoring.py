"""One document's OCR and extraction output against its truth → a JSON-ready record; records →
the report's sections (detection, recognition, extraction, review flag, speed).

Conventions:
- detection: a predicted line mostly (≥ 50% of its area) inside a don't-care region is dropped;
  the rest are matched one to one with the other truth lines at IoU ≥ 0.5.
- recognition: on matched pairs, text compared after NFKC with whitespace removed (and case
  folded for SROIE, whose transcriptions are all upper case). Page CER compares the page's
  truth text (its lines in the set's order) with the recognized text arranged the same way
  (each detected line placed at the truth line it overlaps most, the nearest when none), so it
  counts missed, split, merged and invented lines, not reading-order differences.
- extraction: see ``FIELD_CONVENTION``; line items (item tables): see ``ITEM_CONVENTION``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from evaluation.datasets import Sample, TruthPage
from evaluation.metrics import (
    IOU_THRESHOLD, Counts, Match, cer, covered_fraction, edit_distance, match_one_to_one, order_by_truth, polygon,
    prf, text_key, timing_summary,
)
from extractors.extract import Extraction
from extractors.fields import parse
from extractors.items import ITEM_COLUMNS
from extractors.lines import OcrLine
from extractors.template import load_templates

DONT_CARE_COVER = 0.5
FIELD_CONVENTION = (
    "A predicted field is a TP when it equals the truth; an FP when it is present but wrong, or "
    "present where the truth has no value; an FN when the truth has a value and the prediction is "
    "missing or wrong (so a wrong value counts as both FP and FN). Accuracy is the share of "
    "documents whose prediction equals the truth, both-absent included. Only the fields the "
    "dataset labels for that document type are scored. 'exact' compares after trimming and "
    "collapsing spaces; 'normalized' also parses both sides with billflow's parsers where the "
    "dataset prints values in its own style (dates and totals parsed; company and address "
    "case-folded without spaces; a generated invoice's remarks after NFKC without spaces; WildReceipt: a date matches either day-first or month-first reading, "
    "a phone when its digits end the predicted number's)."
)
ITEM_CONVENTION = (
    "A truth row of the item table is right when a predicted row not matched to an earlier truth row "
    "has every cell equal: name, specification and unit after NFKC with whitespace removed; quantity, "
    "unit price, amount, tax rate and tax as decimals (2 = 2.00; a rate as a fraction, 13% = 0.13); a "
    "cell not printed must be read as empty. Row accuracy = right rows over truth rows; a table is right "
    "when the predicted rows equal the truth rows one for one, in order, none missing or extra."
)
ITEM_NUMBERS = frozenset({"quantity", "unit_price", "amount", "tax_rate", "tax"})
# outcome → (TP, FP, FN)
_OUTCOME_COUNTS = {"correct": Counts(1, 0, 0), "wrong": Counts(0, 1, 1), "missing": Counts(0, 0, 1),
                   "unexpected": Counts(0, 1, 0), "absent": Counts()}
FIELD_ERRORS = ("wrong", "missing", "unexpected")
MODES = ("exact", "normalized")
CASELESS_FORMATS = {"sroie"}  # transcribed in upper case whatever the print


def _parsed_or_text(kind: str, **options) -> Callable[[str], str]:
    def normalize(value: str) -> str:
        parsed = parse(kind, value, **options)
        return parsed.value if parsed else collapse(value)

    return normalize


def _squeezed(value: str) -> str:
    """Case-folded, every space removed: free text compared as a reader does (WildReceipt's
    transcriptions drop spaces, SROIE's are upper case with their own spacing, OCR drops spaces)."""
    return "".join(value.split()).casefold()


def _date_readings(value: str) -> frozenset[str]:
    """Every ISO date ``value`` can mean: day first and month first (WildReceipt's receipts
    come from countries that print either; an ambiguous truth accepts both)."""
    found = {parsed.value for day_first in (True, False) if (parsed := parse("date", value, day_first=day_first))}
    return frozenset(found) or frozenset({collapse(value)})


def _same_phone(predicted: str, truth: str) -> bool:
    """The truth's digits (without trunk zeros) end the predicted number's digits: a printed
    "04.3388325" is "+97143388325"."""
    digits = "".join(ch for ch in truth if ch.isdigit()).lstrip("0")
    return len(digits) >= 6 and "".join(ch for ch in predicted if ch.isdigit()).endswith(digits)


NORMALIZERS: dict[str, dict[str, Callable[[str], str | frozenset[str]]]] = {
    "sroie": {"date": _parsed_or_text("date", day_first=True), "total": _parsed_or_text("amount"),
              "company": _squeezed, "address": _squeezed},  # transcribed in upper case, spaced its own way
    "wildreceipt": {"date": _date_readings, "total": _parsed_or_text("amount"), "subtotal": _parsed_or_text("amount"),
                    "tax": _parsed_or_text("amount"),
                    "company": _squeezed, "address": _squeezed},
    "generated": {"remarks": text_key,  # an invoice's free-text remark: full- and half-width punctuation alike
                  "sorting_code": _squeezed},  # 024-K8 76 and 024-K876 name one destination
}
COMPARATORS: dict[str, dict[str, Callable[[str, str], bool]]] = {"wildreceipt": {"phone": _same_phone}}


def collapse(value: str) -> str:
    """Trimmed, with every run of whitespace turned into one space."""
    return " ".join(value.split())


@dataclass
class PageOutput:
    """What the engine read on one labelled page; ``truth`` is in the same pixels as ``lines``."""

    truth: TruthPage
    lines: list[OcrLine]
    seconds: float
    steps: dict[str, float] = field(default_factory=dict)  # seconds of each page-preparation step


def score_page(page: PageOutput, fold_case: bool = False) -> dict:
    """Detection counts, matched pairs with their edits, and page-level CER inputs for one page."""
    truth = page.truth.lines
    truth_shapes = [polygon(l.polygon) for l in truth]
    pred_shapes = [polygon(l.polygon) for l in page.lines]
    ignored = [truth_shapes[i] for i, l in enumerate(truth) if l.ignore]
    cared = [i for i, l in enumerate(truth) if not l.ignore]
    kept = [i for i, p in enumerate(pred_shapes) if not any(covered_fraction(p, g) >= DONT_CARE_COVER for g in ignored)]
    matches = [Match(cared[m.truth], kept[m.predicted], m.iou)
               for m in match_one_to_one([truth_shapes[i] for i in cared], [pred_shapes[i] for i in kept])]
    pairs = [[m.truth, m.predicted, m.iou, edit_distance(page.lines[m.predicted].text, truth[m.truth].text, fold_case)]
             for m in matches]
    truth_text = "".join(truth[i].text for i in cared)
    pred_text = "".join(page.lines[kept[i]].text for i in order_by_truth([truth_shapes[i] for i in cared],
                                                                         [pred_shapes[i] for i in kept]))
    return {
        "number": page.truth.number, "size": list(page.truth.size or ()), "seconds": round(page.seconds, 4),
        "steps": {k: round(v, 4) for k, v in page.steps.items()},
        "detection": {"tp": len(matches), "fp": len(kept) - len(matches), "fn": len(cared) - len(matches)},
        "recognition": {"matched": len(pairs), "correct": sum(p[3] == 0 for p in pairs), "edits": sum(p[3] for p in pairs),
                        "chars": sum(len(text_key(truth[p[0]].text)) for p in pairs)},
        "page_text": {"edits": edit_distance(pred_text, truth_text, fold_case), "chars": len(text_key(truth_text))},
        "matches": pairs,
        "dropped": [i for i in range(len(page.lines)) if i not in kept],
        "truth": [{"polygon": _points(l.polygon), "text": l.text, "ignore": l.ignore} for l in truth],
        "predicted": [{"polygon": _points(l.polygon), "text": l.text, "score": round(l.score, 4), "angle": l.angle}
                      for l in page.lines],
    }


def _points(quad) -> list[list[float]]:
    return [[round(float(x), 1), round(float(y), 1)] for x, y in quad]


def field_universe(samples: list[Sample]) -> dict[str, set[str]]:
    """Per document type, every field name the dataset labels for it."""
    universe: dict[str, set[str]] = defaultdict(set)
    for sample in samples:
        if sample.fields is not None:
            universe[sample.doc_type or ""].update(sample.fields)
    return dict(universe)


def required_fields(doc_type: str, labelled: set[str]) -> set[str]:
    """The labelled fields the type's template requires (any variant); all labelled when there
    is no template for the type."""
    template = load_templates().get(doc_type)
    if template is None:
        return set(labelled)
    return {s.name for v in template.variants for s in v.fields if s.required} & labelled


def field_outcome(truth: str | None, predicted: str | None, normalize: Callable[[str], str | frozenset[str]] = collapse,
                  accepted: tuple[str, ...] = (), same: Callable[[str, str], bool] | None = None) -> str:
    """correct, wrong, missing (truth only), unexpected (prediction only) or absent (neither).
    The prediction is correct when it equals the truth or one of the ``accepted`` values after
    ``normalize`` (which may give a set of readings: any shared reading counts), or when
    ``same(predicted, truth)`` says so."""
    if truth is None:
        return "absent" if predicted is None else "unexpected"
    if predicted is None:
        return "missing"
    if same is not None:
        return "correct" if any(same(predicted, t) for t in (truth, *accepted)) else "wrong"
    readings = _readings(normalize(predicted))
    return "correct" if any(readings & _readings(normalize(t)) for t in (truth, *accepted)) else "wrong"


def _readings(normalized: str | frozenset[str]) -> frozenset[str]:
    return normalized if isinstance(normalized, frozenset) else frozenset({normalized})


def score_fields(sample: Sample, extraction: Extraction | None, labelled: set[str], fmt: str) -> dict[str, dict]:
    """Each labelled field's truth, prediction (with page and box) and exact/normalized
    outcome; for a value withheld as too unsure, ``if_given`` says how it would have scored."""
    given = extraction.fields if extraction else {}
    withheld = extraction.withheld if extraction else {}
    normalizers, comparators = NORMALIZERS.get(fmt, {}), COMPARATORS.get(fmt, {})
    records = {}
    for name in sorted(labelled):
        truth, found = (sample.fields or {}).get(name), given.get(name) or withheld.get(name)
        value = found.value if name in given else None
        accepted = sample.accepted.get(name, ())

        def normalized(candidate: str | None) -> str:
            return field_outcome(truth, candidate, normalizers.get(name, collapse), accepted, comparators.get(name))

        records[name] = {
            "truth": truth, "predicted": value, "confidence": found.confidence if found else None,
            "withheld": found.value if name in withheld else None,
            "how": found.how if found else None, "page": found.page if found else None,
            "bbox": found.bbox if found else None, "exact": field_outcome(truth, value, accepted=accepted),
            "evidence": asdict(found.evidence) if found and found.evidence else None,
            "normalized": normalized(value), "if_given": normalized(found.value if found else None),
        }
    return records


def item_cell_key(column: str, value: str | None) -> str | None:
    """A cell as item rows are compared (see ``ITEM_CONVENTION``); None for an empty cell."""
    text = text_key(value) if value is not None else ""
    if column in ITEM_NUMBERS and text:
        try:
            number = Decimal(text[:-1]) / 100 if text.endswith("%") else Decimal(text.replace(",", ""))
            return format(number.normalize(), "f")
        except InvalidOperation:
            pass
    return text or None


def item_row_key(row: Mapping[str, str | None]) -> tuple[str | None, ...]:
    return tuple(item_cell_key(column, row.get(column)) for column in ITEM_COLUMNS)


def score_line_items(truth: Sequence[Mapping[str, str | None]], predicted: Sequence[Mapping[str, str | None]]) -> dict:
    """One document's item table against its truth (``ITEM_CONVENTION``): per truth row whether
    it is right, the counts, and whether the whole table is right."""
    truth_keys, predicted_keys = [item_row_key(r) for r in truth], [item_row_key(r) for r in predicted]
    unused, right = Counter(predicted_keys), []
    for key in truth_keys:
        right.append(unused[key] > 0)
        unused[key] -= right[-1]
    rows_right = sum(right)
    return {"truth_rows": len(truth_keys), "predicted_rows": len(predicted_keys), "rows_right": rows_right,
            "row_errors": len(truth_keys) + len(predicted_keys) - 2 * rows_right,
            "table_right": truth_keys == predicted_keys, "right": right,
            "truth": [{c: row.get(c) for c in ITEM_COLUMNS} for row in truth],
            "predicted": [{c: row.get(c) for c in ITEM_COLUMNS} for row in predicted]}


def document_record(sample: Sample, pages: list[PageOutput], extraction: Extraction | None, error: str | None,
                    universe: dict[str, set[str]], fmt: str) -> dict:
    """Everything measured on one document, JSON-ready; ``rank_key`` orders the worst first."""
    scored = [score_page(p, fmt in CASELESS_FORMATS) for p in pages]
    labelled = universe.get(sample.doc_type or "", set()) if sample.fields is not None else set()
    if sample.unlabelled_unknown:
        labelled = set(sample.fields or ())
    fields = score_fields(sample, extraction, labelled, fmt)
    required = (set(extraction.required) & labelled if extraction and extraction.doc_type == sample.doc_type
                else required_fields(sample.doc_type or "", labelled))  # the variant's: a slip's serial is optional
    problem = any(f["normalized"] in ("wrong", "unexpected") for f in fields.values()) or any(
        fields[n]["normalized"] == "missing" for n in required)
    items = None if sample.line_items is None else score_line_items(
        sample.line_items, [item.cells() for item in extraction.line_items] if extraction else [])
    edits, chars = (sum(p["page_text"][k] for p in scored) for k in ("edits", "chars"))
    return {
        "name": sample.name, "source": str(sample.source), "doc_type": sample.doc_type,
        "predicted_type": extraction.doc_type if extraction else None,
        "requested_type": sample.requested_type, "labelled_fields": sample.fields is not None,
        "status": "failed" if error else extraction.status, "error": error,
        "reasons": extraction.reasons if extraction else [],
        "problems": extraction.problems if extraction else [],
        "extracted": {n: {"evidence": asdict(f.evidence), "required": n in extraction.required}
                      for n, f in (extraction.fields | extraction.withheld).items() if f.evidence} if extraction else {},
        "field_errors": sum(f["normalized"] in FIELD_ERRORS for f in fields.values()),
        "required_field_problem": any(fields[n]["normalized"] in ("wrong", "missing") for n in required),
        "wrong": (sample.fields is not None and problem) or (items is not None and not items["table_right"]),
        "line_items": items,
        "cer": round(cer(edits, chars), 4) if chars else None,
        "fields": fields, "pages": scored,
    }


def rank_key(record: dict) -> tuple:
    """Worst first: most field and item-row errors, then highest page CER, then failed before the rest."""
    errors = record["field_errors"] + (record.get("line_items") or {}).get("row_errors", 0)
    return (-errors, -(record["cer"] or 0.0), record["status"] != "failed", record["name"])


def aggregate(records: list[dict]) -> dict:
    """The report's sections from document records; documents listed worst first."""
    pages = [p for r in records for p in r["pages"]]
    return {
        "detection": detection_section(pages),
        "recognition": recognition_section(pages),
        "extraction": extraction_section(records),
        "line_items": line_items_section(records),
        "review": review_section(records),
        "calibration": calibration_section(records),
        "speed": timing_summary([p["seconds"] for p in pages]) | {"steps_ms": step_costs(pages)},
        "documents": sorted(records, key=rank_key),
    }


def step_costs(pages: list[dict]) -> dict[str, float]:
    """Mean milliseconds per page of each page-preparation step (included in the page's seconds)."""
    total = Counter()
    for p in pages:
        total.update(p.get("steps", {}))
    return {step: round(1000 * seconds / len(pages), 1) for step, seconds in sorted(total.items())}


def detection_section(pages: list[dict]) -> dict:
    counts = sum((Counts(**p["detection"]) for p in pages), Counts())
    scores = prf(counts)
    return {"precision": scores["precision"], "recall": scores["recall"], "hmean": scores["f1"],
            "tp": counts.tp, "fp": counts.fp, "fn": counts.fn, "iou_threshold": IOU_THRESHOLD,
            "matching": "greedy one-to-one, highest IoU first", "pages": len(pages)}


def recognition_section(pages: list[dict]) -> dict:
    total = Counter()
    for p in pages:
        total.update(p["recognition"])
        total.update({"page_edits": p["page_text"]["edits"], "page_chars": p["page_text"]["chars"]})
    line_cer, page_cer = cer(total["edits"], total["chars"]), cer(total["page_edits"], total["page_chars"])
    return {
        "matched_lines": total["matched"],
        "line_accuracy": round(total["correct"] / total["matched"], 4) if total["matched"] else None,
        "cer": None if line_cer is None else round(line_cer, 4),
        "page_cer": None if page_cer is None else round(page_cer, 4),
        "truth_chars": total["page_chars"],
    }


def extraction_section(records: list[dict]) -> dict:
    """Per type and field, exact and normalized: accuracy, precision, recall, F1 (micro over documents)."""
    labelled = [r for r in records if r["labelled_fields"]]
    outcomes: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: {m: [] for m in MODES})
    for r in labelled:
        for name, f in r["fields"].items():
            for mode in MODES:
                outcomes[(r["doc_type"] or "", name)][mode].append(f[mode])
    by_type: dict[str, dict] = {}
    for (doc_type, name), modes in sorted(outcomes.items()):
        entry = by_type.setdefault(doc_type, {"documents": sum((r["doc_type"] or "") == doc_type for r in labelled),
                                              "fields": {}})
        entry["fields"][name] = {m: field_scores(found) for m, found in modes.items()}
    for doc_type, entry in by_type.items():
        entry["all_fields"] = _pooled(outcomes, lambda t, wanted=doc_type: t == wanted)
    classified = [r for r in labelled if r["doc_type"] and not r["requested_type"]]
    return {
        "convention": FIELD_CONVENTION, "documents": len(labelled), "by_type": by_type,
        "overall": _pooled(outcomes, lambda t: True),
        "classification_accuracy": round(sum(r["predicted_type"] == r["doc_type"] for r in classified) / len(classified), 4)
        if classified else None,
    }


def line_items_section(records: list[dict]) -> dict:
    """Over the documents with an item-table truth, overall and per type: truth and predicted rows,
    rows right (their share of truth rows, pooled and averaged per document, and of predicted
    rows) and tables entirely right (see ``ITEM_CONVENTION``)."""
    scored = [r for r in records if r.get("line_items") is not None]
    by_type = {t: item_figures([r["line_items"] for r in scored if (r["doc_type"] or "") == t])
               for t in sorted({r["doc_type"] or "" for r in scored})}
    return {"convention": ITEM_CONVENTION, **item_figures([r["line_items"] for r in scored]), "by_type": by_type}


def item_figures(scores: list[dict]) -> dict:
    def ratio(part: int, whole: int) -> float | None:
        return round(part / whole, 4) if whole else None

    truth, predicted, right = (sum(s[k] for s in scores) for k in ("truth_rows", "predicted_rows", "rows_right"))
    per_document = [s["rows_right"] / s["truth_rows"] for s in scores if s["truth_rows"]]
    tables = sum(s["table_right"] for s in scores)
    return {"documents": len(scores), "truth_rows": truth, "predicted_rows": predicted, "rows_right": right,
            "row_accuracy": ratio(right, truth), "row_precision": ratio(right, predicted),
            "document_row_accuracy": round(sum(per_document) / len(per_document), 4) if per_document else None,
            "tables_right": tables, "table_accuracy": ratio(tables, len(scores))}


def _pooled(outcomes: dict[tuple[str, str], dict[str, list[str]]], keep: Callable[[str], bool]) -> dict:
    return {m: field_scores([o for (t, _), modes in outcomes.items() if keep(t) for o in modes[m]]) for m in MODES}


def field_scores(outcomes: list[str]) -> dict:
    """Accuracy and P/R/F1 of a list of field outcomes (see ``FIELD_CONVENTION``)."""
    counts = sum((_OUTCOME_COUNTS[o] for o in outcomes), Counts())
    hits = sum(o in ("correct", "absent") for o in outcomes)
    return {"accuracy": round(hits / len(outcomes), 4) if outcomes else None, **prf(counts), "documents": len(outcomes)}


def review_section(records: list[dict]) -> dict:
    """Statuses, and what a bank asks of the review flag (any status but done): the share of
    documents done with every value right (automation), done with a value wrong (silent
    errors), flagged; and how well the flag catches wrong documents. A document is wrong when
    a labelled field is wrong or unexpected, or a labelled required field is missing
    (normalized comparison), or its labelled item table is not entirely right."""
    labelled = [r for r in records if r["labelled_fields"]]
    by_type = {t: trust_figures([r for r in labelled if (r["doc_type"] or "") == t])
               for t in sorted({r["doc_type"] or "" for r in labelled})}
    return {
        "documents": len(records), "by_status": dict(Counter(r["status"] for r in records)),
        "needs_review": sum(r["status"] == "needs_review" for r in records),
        "with_required_field_problem": sum(r["required_field_problem"] for r in labelled),
        **trust_figures(labelled), "by_type": by_type,
        "convention": "flagged = status needs_review or failed; a wrong document = a labelled field wrong or "
                      "present where the truth has none, or a labelled required field missing (normalized "
                      "comparison), or a labelled item table not entirely right (any row missing, extra or with "
                      "a wrong cell); automation = done and not wrong; silent errors = done and wrong",
    }


def trust_figures(records: list[dict]) -> dict:
    """Automation, silent-error and review rates and the flag's precision/recall of labelled records."""
    flag = Counts(
        tp=sum(r["status"] != "done" and r["wrong"] for r in records),
        fp=sum(r["status"] != "done" and not r["wrong"] for r in records),
        fn=sum(r["status"] == "done" and r["wrong"] for r in records),
    )
    scores, n = prf(flag), len(records)
    done_right = sum(r["status"] == "done" and not r["wrong"] for r in records)

    def share(count: int) -> float | None:
        return round(count / n, 4) if n else None

    return {
        "labelled_documents": n, "wrong_documents": flag.tp + flag.fn,
        "automation": share(done_right), "silent_errors": share(flag.fn), "review_rate": share(flag.tp + flag.fp),
        "flag_precision": scores["precision"], "flag_recall": scores["recall"], "flag_f1": scores["f1"],
        "flag_counts": {"tp": flag.tp, "fp": flag.fp, "fn": flag.fn},
    }


CALIBRATION_BINS = 10


def calibration_section(records: list[dict]) -> dict:
    """Predicted confidence against observed accuracy over every extracted, labelled field
    (wrong or correct, normalized): per confidence bin the count, mean confidence and share
    right, and the Brier score."""
    pairs = [(f["confidence"], f["normalized"] == "correct") for r in records if r["labelled_fields"]
             for f in r["fields"].values() if f["normalized"] in ("correct", "wrong", "unexpected")
             and f.get("confidence") is not None]
    bins = []
    for b in range(CALIBRATION_BINS):
        low, high = b / CALIBRATION_BINS, (b + 1) / CALIBRATION_BINS
        inside = [(c, ok) for c, ok in pairs if low <= c < high or (b == CALIBRATION_BINS - 1 and c == 1.0)]
        if inside:
            bins.append({"low": low, "high": high, "fields": len(inside),
                         "confidence": round(sum(c for c, _ in inside) / len(inside), 4),
                         "accuracy": round(sum(ok for _, ok in inside) / len(inside), 4)})
    brier = sum((c - ok) ** 2 for c, ok in pairs) / len(pairs) if pairs else None
    return {"fields": len(pairs), "bins": bins, "brier": None if brier is None else round(brier, 4)}
