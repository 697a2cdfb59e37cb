"""Fitting the confidence model (``extractors.confidence``) on evaluation records.

Every extracted field that a tuning document labels is one example: its evidence, and whether
its value was right. A logistic regression (L2-regularized, Newton's method) maps evidence to
the probability of being right. The ``done`` threshold is then the lowest confidence at which
at most ``target`` of all the documents, and at most ``SET_LIMIT`` of any one set's, would end
done with a value wrong — a document is done at threshold t when it has no other review reason
and its required fields reach t (optional fields below t are withheld). The threshold is chosen
on cross-fitted confidences (each document scored by a model fitted without it, ``FOLDS``
folds): a model's confidences on the very examples it was fitted on are too kind, and a
threshold chosen on them lets silent errors through on documents it has not seen.

Documents of one layout family are alike, so cross-fitting by document still flatters a model on
layouts it has never seen. With ``families`` (name → the sets of one family: one generator, one
source), the threshold of each document type in a family must also hold for that family scored
by a model fitted without it: at most ``target`` of its documents done but wrong. Thresholds
are per document type (receipts from a new country are harder than a new waybill layout); a type
no set shows gets the strictest. This is the estimate that
transfers to layouts the templates were never tuned on (measured 2026-12-02: the document-level
choice, 0.94, let 5–26% silent errors through on two new held-out families).

Layouts people confirmed (``extractors.layouts``): each set also comes measured with every other
document of it confirmed (its name ending in ``WARM``). The placement weights are fitted on those
with every other weight held at its fit on the sets measured without confirmations
(``fit_sets``), and a document whose layout was recalled has its own threshold per type (key
``doc_type + WARM``), chosen by the same rules: a new layout is judged as before, a confirmed one
by its own bar (the document-level choice, too, is made apart for the two).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from extractors.confidence import CONFIRMED_LAYOUT, ConfidenceModel, Evidence, features

L2 = 1.0
NEWTON_STEPS = 50
THRESHOLD_FLOOR = 0.5
SET_LIMIT = 0.03  # the most silent errors any one set may have (the goal's bound)
FOLDS = 5
# What a cross-check says is never read backwards, however few examples the tuning data holds:
# a confirmation adds at least nothing, a contradiction takes at least CONTRADICTION_PRIOR; and an
# unfamiliar layout (labels or title missing, labels unknown) never makes a value surer; a value
# where people confirmed the field on its layout is never less sure, one elsewhere never surer.
CONTRADICTION_PRIOR = -2.0
PLACEMENT = ("placed", "misplaced")  # fitted last, on confirmed sets, the rest held (see fit_sets)
WARM = CONFIRMED_LAYOUT  # the suffix of a set measured with every other document of it confirmed by a person
SIGNS = {"confirmed": (0.0, np.inf), "contradicted": (-np.inf, CONTRADICTION_PRIOR),
         "unanchored": (-np.inf, 0.0), "untitled": (-np.inf, 0.0), "unknown_labels": (-np.inf, 0.0),
         "placed": (0.0, np.inf), "misplaced": (-np.inf, 0.0)}


@dataclass(frozen=True)
class CrossFitted:
    """One model per fold, each fitted without that fold's documents."""

    models: tuple[ConfidenceModel, ...]

    def for_record(self, record: dict) -> ConfidenceModel:
        return self.models[fold_of(record["name"])]


Scorer = ConfidenceModel | CrossFitted


def fold_of(name: str) -> int:
    """The cross-fitting fold of the document ``name`` (fixed by its name)."""
    return int(hashlib.sha256(name.encode("utf-8")).hexdigest(), 16) % FOLDS


def _model(scorer: Scorer, record: dict) -> ConfidenceModel:
    return scorer.for_record(record) if isinstance(scorer, CrossFitted) else scorer


def examples(records: list[dict]) -> list[tuple[Evidence, bool]]:
    """(evidence, right) for every extracted field (given or withheld) a labelled record scores."""
    return [(Evidence(**f["evidence"]), f["if_given"] == "correct") for r in records if r["labelled_fields"]
            for f in r["fields"].values() if f.get("evidence") and f["if_given"] in ("correct", "wrong", "unexpected")]


def fit_weights(pairs: list[tuple[Evidence, bool]], l2: float = L2, fixed: dict[str, float] | None = None) -> dict[str, float]:
    """Logistic-regression weights by feature name (the bias is not penalized), within the
    bounds ``SIGNS`` sets: a weight that leaves its bound is held at it and the others are
    fitted again around it. ``fixed`` weights are kept as given."""
    fixed = fixed or {}
    rows = [features(e) for e, _ in pairs]
    names = sorted({n for r in rows for n in r} | set(fixed) | {"bias"})
    x = np.array([[r.get(n, 0.0) for n in names] for r in rows]).reshape(len(rows), len(names))
    y = np.array([float(ok) for _, ok in pairs])
    penalty = np.full(len(names), l2)
    penalty[names.index("bias")] = 1e-6
    held: dict[int, float] = {names.index(n): v for n, v in fixed.items()}
    while True:
        w = _newton(x, y, penalty, held)
        outside = {i: min(max(w[i], low), high) for n, (low, high) in SIGNS.items() if n in names
                   for i in [names.index(n)] if i not in held and not low <= w[i] <= high}
        if not outside:
            break
        held |= outside
    weights = {n: float(v) for n, v in zip(names, w)}
    for name, (low, high) in SIGNS.items():  # a feature the data never shows keeps its bound's nearest value to 0
        if name not in fixed:
            weights[name] = min(max(weights.get(name, 0.0), low), high)
    return weights


def _newton(x: np.ndarray, y: np.ndarray, penalty: np.ndarray, held: dict[int, float]) -> np.ndarray:
    """Penalized logistic-regression weights with the ``held`` ones fixed at their values."""
    w = np.zeros(x.shape[1])
    for i, value in held.items():
        w[i] = value
    free = np.array([i not in held for i in range(x.shape[1])])
    for _ in range(NEWTON_STEPS):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -30, 30)))
        gradient = (x.T @ (p - y) + penalty * w)[free]
        hessian = ((x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty))[np.ix_(free, free)]
        step = np.linalg.solve(hessian, gradient)
        w[free] -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def outcome_at(record: dict, scorer: Scorer, threshold: float) -> tuple[bool, bool]:
    """(done, wrong) for the record's document under ``model`` at ``threshold``, as extraction
    decides: a required field below the threshold sends it to review, an optional one is
    withheld (then it can be neither right nor wrong)."""
    model = _model(scorer, record)
    sure = {name: model.probability(Evidence(**e["evidence"])) >= threshold for name, e in record["extracted"].items()}
    required = {name for name, e in record["extracted"].items() if e["required"]}
    done = record["status"] != "failed" and not record["problems"] and all(sure[n] for n in required)
    wrong = any(f["if_given"] in ("wrong", "unexpected") and (name in required or sure.get(name, True))
                for name, f in record["fields"].items()) or any(
        f["if_given"] == "missing" and name in required for name, f in record["fields"].items())
    return done, wrong


def silent_error_rate(records: list[dict], model: Scorer, threshold: float | ConfidenceModel) -> float:
    """The share of labelled records done but wrong at ``threshold`` (a model: its threshold for
    each record's document type)."""
    labelled = [r for r in records if r["labelled_fields"]]
    at = (lambda r: threshold.threshold_for(r.get("doc_type"), recalled(r))) if isinstance(threshold, ConfidenceModel) \
        else (lambda r: threshold)
    wrong_done = sum(done and wrong for done, wrong in (outcome_at(r, model, at(r)) for r in labelled))
    return wrong_done / len(labelled) if labelled else 0.0


def choose_threshold(sets: dict[str, list[dict]], model: Scorer, target: float) -> float:
    """The lowest threshold (≥ ``THRESHOLD_FLOOR``) whose silent-error rate is at most
    ``target`` over all sets together and at most ``SET_LIMIT`` on every one of them."""
    for threshold in _candidate_thresholds([r for records in sets.values() for r in records], model):
        pooled = [r for records in sets.values() for r in records]
        if silent_error_rate(pooled, model, threshold) <= target and all(
                silent_error_rate(records, model, threshold) <= SET_LIMIT for records in sets.values()):
            return threshold
    return 1.0


def fit_sets(sets: dict[str, list[dict]], keep=lambda name, record: True,
             base: dict[str, float] | None = None) -> dict[str, float]:
    """Weights fitted on the records ``keep`` admits, in two steps: every weight but the
    placement ones on the sets measured without confirmations (or ``base``'s, kept as given),
    then the placement weights on the ``WARM`` sets with the others held — so a document of a
    layout nobody confirmed is scored as if confirmations did not exist, and one of a confirmed
    layout gains or loses only by where its values lie."""
    cold = [r for name, records in sets.items() if not name.endswith(WARM) for r in records if keep(name, r)]
    warm = [r for name, records in sets.items() if name.endswith(WARM) for r in records if keep(name, r)]
    held = {n: v for n, v in (base if base is not None else fit_weights(examples(cold))).items() if n not in PLACEMENT}
    placed = [pair for pair in examples(warm) if pair[0].placed]
    others = {n for e, _ in placed for n in features(e)} - set(PLACEMENT)  # held too: 0 where not weighed
    return fit_weights(placed, fixed={n: 0.0 for n in others} | held) if placed else held | {n: 0.0 for n in PLACEMENT}


def recalled(record: dict) -> bool:
    """Whether the document's layout was one people confirmed (a field placed or misplaced)."""
    return any(e["evidence"].get("placed") for e in record["extracted"].values())


def situation(record: dict) -> str | None:
    """The key of the record's threshold: its document type, on a confirmed layout or not."""
    doc_type = record.get("doc_type")
    return doc_type and doc_type + (WARM if recalled(record) else "")


def family_threshold(sets: dict[str, list[dict]], members: tuple[str, ...], limit: float = SET_LIMIT,
                     only=lambda record: True, base: dict[str, float] | None = None) -> float:
    """The lowest threshold at which the ``members`` sets' documents (those ``only`` admits),
    scored by a model fitted on the other sets only, end done but wrong at most ``limit`` of the time."""
    model = ConfidenceModel(fit_sets(sets, lambda name, record: name not in members, base), 1.0, {})
    held = [r for name in members for r in sets.get(name, ()) if only(r)]
    return next((t for t in _candidate_thresholds(held, model) if silent_error_rate(held, model, t) <= limit), 1.0)


def _candidate_thresholds(records: list[dict], model: Scorer) -> list[float]:
    """``THRESHOLD_FLOOR`` and every confidence above it that ``model`` gives a field of
    ``records``, in increasing order: the thresholds worth trying."""
    return sorted({THRESHOLD_FLOOR} | {p for r in records for e in r["extracted"].values()
                                       if (p := _model(model, r).probability(Evidence(**e["evidence"]))) > THRESHOLD_FLOOR})


def fit(sets: dict[str, list[dict]], target: float, families: dict[str, tuple[str, ...]] | None = None,
        base: ConfidenceModel | None = None) -> ConfidenceModel:
    """The model fitted on every set's records, with its threshold for ``target`` silent errors
    chosen on cross-fitted confidences (the summary's figures are cross-fitted too), and no lower
    than what each of ``families`` (name → set names) needs when held out (see the module).
    With ``base``, only what confirmations add is fitted: its weights are kept, the placement
    weights added, and no threshold falls below ``base``'s for its type (one rises where documents
    with placed or misplaced values need it)."""
    pooled = [r for records in sets.values() for r in records]
    pairs = examples(pooled)
    held = base.weights if base else None
    weights = fit_sets(sets, base=held)
    folds = CrossFitted(tuple(ConfidenceModel(fit_sets(sets, lambda name, record, k=k: fold_of(record["name"]) != k, held),
                                              1.0, {}) for k in range(FOLDS)))
    common = {flag: choose_threshold({name: [r for r in records if recalled(r) == flag] for name, records in sets.items()},
                                     folds, target) for flag in (False, True)}
    by_type = {situation(r): common[recalled(r)] for r in pooled if r.get("doc_type")}
    for members in (families or {}).values():
        for key in {situation(r) for name in members for r in sets.get(name, ()) if r.get("doc_type")}:
            by_type[key] = max(by_type[key], family_threshold(sets, members, target, lambda r: situation(r) == key, held))
    if base:
        by_type = {**base.by_type, **{key: max(value, base.threshold_for(key.removesuffix(WARM)))
                                      for key, value in by_type.items()}}
    by_type = {t: round(v, 4) for t, v in by_type.items()}
    strictest = max(by_type.values(), default=round(common[False], 4)) if not base else max(base.threshold, *by_type.values())
    model = ConfidenceModel(weights, strictest, {}, by_type)
    summary = {name: {"documents": sum(r["labelled_fields"] for r in records),
                      "silent_errors": round(silent_error_rate(records, folds, model), 4),
                      "done_right": sum(outcome_at(r, folds, model.threshold_for(r.get("doc_type"), recalled(r)))
                                        == (True, False)
                                        for r in records)}
               for name, records in sets.items()}
    return ConfidenceModel(weights, model.threshold, {"fields": len(pairs), "target": target, "sets": summary,
                                                      **({"placement_only": True} if base else {})}, by_type)
