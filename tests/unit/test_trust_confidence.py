"""Calibrated confidence: the bundled model's behaviour, and fitting one (evaluation.calibrate)."""

from __future__ import annotations

import itertools

from dataclasses import asdict, replace

import pytest

from evaluation.calibrate import (
    WARM, choose_threshold, examples, family_threshold, fit, fit_sets, fit_weights, outcome_at, silent_error_rate,
)
from extractors.confidence import ConfidenceModel, Evidence, features, load_model, model_from_data


@pytest.fixture(scope="module")
def model() -> ConfidenceModel:
    return load_model()


# --- the bundled model --------------------------------------------------------------------------

def test_the_bundled_model_loads_with_a_threshold_strictly_between_0_and_1(model):
    assert 0.0 < model.threshold < 1.0
    assert model.weights["bias"] != 0.0 and len(model.weights) > 5
    assert model.fitted_on["target"] == pytest.approx(0.01)
    assert load_model() is model  # read once


@pytest.mark.parametrize("evidence", [
    Evidence("phone", "same_line"),
    Evidence("amount", "anywhere", ocr=0.1, weakest=0.0, quality=0.1, rivals=9, confirmed=-1, prominence=5.0),
    Evidence("name", "header_guess", ocr=0.0, weakest=0.0, quality=0.0),
    Evidence("no_such_kind", "no_such_way"),
])
def test_every_probability_lies_in_0_1(model, evidence):
    assert 0.0 <= model.probability(evidence) <= 1.0


def test_extreme_scores_are_clamped_not_overflowing():
    huge = model_from_data({"threshold": 0.9, "weights": {"bias": 1e6}})
    tiny = model_from_data({"threshold": 0.9, "weights": {"bias": -1e6}})
    assert huge.probability(Evidence("date", "same_line")) == 1.0
    assert tiny.probability(Evidence("date", "same_line")) == 0.0


def test_a_value_beside_its_label_is_surer_than_the_same_value_found_anywhere(model):
    labelled = Evidence("phone", "same_line", ocr=0.99, weakest=0.98, anchor=1.0)
    anywhere = Evidence("phone", "anywhere", ocr=0.99, weakest=0.98)
    assert model.probability(labelled) > model.probability(anywhere)


def test_a_high_ocr_score_is_surer_than_a_low_one(model):
    clear = Evidence("date", "same_line", ocr=0.99, weakest=0.99, anchor=1.0)
    blurred = Evidence("date", "same_line", ocr=0.6, weakest=0.3, anchor=1.0)
    assert model.probability(clear) > model.probability(blurred)


@pytest.mark.parametrize("kind", ["date", "phone", "amount_words", "name"])
def test_a_confirmed_value_is_surer_than_an_unconfirmed_one_and_that_than_a_contradicted_one(model, kind):
    base = dict(kind=kind, how="anywhere", ocr=0.9, weakest=0.6)  # unsure enough for 4 decimals to differ
    confirmed, unconfirmed, contradicted = (model.probability(Evidence(**base, confirmed=c)) for c in (1, 0, -1))
    assert confirmed > unconfirmed > contradicted


def test_a_confirmed_amount_is_surer_than_an_unconfirmed_one(model):
    base = dict(kind="amount", how="same_line", ocr=0.99, anchor=1.0)
    assert model.probability(Evidence(**base, confirmed=1)) > model.probability(Evidence(**base, confirmed=0))


def test_a_contradicted_amount_is_less_sure_than_an_unchecked_one(model):
    base = dict(kind="amount", how="same_line", ocr=0.99, anchor=1.0)
    assert model.probability(Evidence(**base, confirmed=-1)) < model.probability(Evidence(**base, confirmed=0))


def test_more_rivals_mean_less_confidence_up_to_the_cap(model):
    probabilities = [model.probability(Evidence("name", "same_line", anchor=1.0, rivals=n)) for n in range(5)]
    assert probabilities[0] > probabilities[1] > probabilities[2] > probabilities[3]
    assert probabilities[3] == probabilities[4]  # three rivals or more count the same


def test_features_put_every_how_in_exactly_one_group():
    for how, group in [("same_line", "labelled"), ("below", "labelled"), ("section", "block"), ("party", "unlabelled"),
                       ("anywhere", "unlabelled"), ("cross_check", "filled"), ("derived", "filled"),
                       ("something new", "unlabelled")]:
        groups = [name for name in features(Evidence("text", how)) if name.startswith("how:")]
        assert groups == [f"how:{group}"], how


def test_a_model_survives_its_own_data_form():
    original = ConfidenceModel({"bias": 1.23456, "ocr": -0.5}, 0.9, {"fields": 3})
    again = model_from_data(original.to_data())
    assert again.threshold == 0.9 and again.fitted_on == {"fields": 3}
    assert again.weights == {"bias": 1.2346, "ocr": -0.5}


# --- fitting (evaluation.calibrate) --------------------------------------------------------------

def _field(evidence: Evidence, outcome: str) -> dict:
    return {"evidence": asdict(evidence), "if_given": outcome}


_NAMES = itertools.count()


def _record(fields: dict[str, tuple[Evidence, str, bool]], status: str = "done", problems: tuple = ()) -> dict:
    """A labelled document record: field name → (evidence, outcome if given, required)."""
    return {"name": f"doc{next(_NAMES)}", "labelled_fields": True, "status": status, "problems": list(problems),
            "fields": {n: _field(e, o) for n, (e, o, _) in fields.items()},
            "extracted": {n: {"evidence": asdict(e), "required": r} for n, (e, _, r) in fields.items()}}


SHARP, BLURRED = Evidence("total", "same_line", ocr=0.99), Evidence("total", "same_line", ocr=0.55)


def test_examples_take_every_scored_field_of_labelled_records_only():
    labelled = _record({"a": (SHARP, "correct", True), "b": (BLURRED, "wrong", False)})
    labelled["fields"]["c"] = {"evidence": None, "if_given": "missing"}  # nothing extracted: no example
    unlabelled = {**_record({"a": (SHARP, "correct", True)}), "labelled_fields": False}
    pairs = examples([labelled, unlabelled])
    assert sorted((e.ocr, ok) for e, ok in pairs) == [(0.55, False), (0.99, True)]


def test_a_fitted_model_ranks_right_values_above_wrong_ones():
    records = [_record({"total": (SHARP, "correct", True)}) for _ in range(20)]
    records += [_record({"total": (BLURRED, "wrong", True)}) for _ in range(20)]
    weights = fit_weights(examples(records))
    fitted = ConfidenceModel(weights, 0.5, {})
    assert weights["ocr_low"] < 0  # the feature that separates them counts against a blurred value
    assert fitted.probability(SHARP) > 0.8 > 0.2 > fitted.probability(BLURRED)


def test_an_unfamiliar_layout_never_makes_a_value_surer_whatever_the_tuning_data_says():
    familiar, unfamiliar = Evidence("name", "same_line", anchored=1.0), Evidence("name", "same_line", anchored=0.2)
    blurred = Evidence("name", "same_line", anchored=1.0, ocr=0.6)
    pairs = [(familiar, i % 4 != 0) for i in range(40)] + [(unfamiliar, True)] * 40 + [(blurred, False)] * 20
    weights = fit_weights(pairs)
    assert weights["unanchored"] == 0.0  # held at its bound, though the data alone would make it positive
    assert weights["ocr_low"] < 0  # the others are fitted around it


# A model whose probability is known by hand: sigmoid(4 * ocr).
KNOWN = ConfidenceModel({"ocr": 4.0}, 1.0, {})
HIGH, MID, LOW = (Evidence("total", "same_line", ocr=o) for o in (1.0, 0.5, 0.25))  # p ≈ 0.982, 0.881, 0.731


def test_the_threshold_is_the_lowest_that_keeps_the_wrong_document_out_of_done():
    records = [_record({"total": (HIGH, "correct", True)}), _record({"total": (MID, "correct", True)}),
               _record({"total": (LOW, "wrong", True)})]
    threshold = choose_threshold({"set": records}, KNOWN, target=0.0)
    assert threshold == KNOWN.probability(MID)  # the wrong document (0.731) goes to review, the others are done
    assert silent_error_rate(records, KNOWN, threshold) == 0.0
    assert silent_error_rate(records, KNOWN, 0.5) == pytest.approx(1 / 3)


def test_a_sure_wrong_value_raises_the_threshold_above_every_right_one():
    records = [_record({"total": (HIGH, "wrong", True)}), _record({"total": (MID, "correct", True)})]
    assert choose_threshold({"set": records}, KNOWN, target=0.0) == 1.0  # nothing can be done safely


def test_one_set_over_its_own_limit_raises_the_threshold_although_the_pool_is_within_target():
    noisy = [_record({"total": (MID, "wrong", True)})] + [_record({"total": (HIGH, "correct", True)})] * 3
    clean = [_record({"total": (MID, "correct", True)}) for _ in range(96)]
    pooled_rate = 1 / 100
    assert silent_error_rate(noisy + clean, KNOWN, KNOWN.probability(MID)) == pytest.approx(pooled_rate)
    threshold = choose_threshold({"noisy": noisy, "clean": clean}, KNOWN, target=0.05)
    assert threshold == KNOWN.probability(HIGH)  # 1 in 4 wrong on its own set is over the per-set limit


def test_an_unsure_optional_field_is_withheld_and_so_neither_sends_to_review_nor_counts_wrong():
    record = _record({"total": (HIGH, "correct", True), "phone": (LOW, "wrong", False)})
    assert outcome_at(record, KNOWN, 0.9) == (True, False)  # done, phone withheld
    assert outcome_at(record, KNOWN, 0.7) == (True, True)  # phone given: a silent error
    assert outcome_at(record, KNOWN, 0.99) == (False, False)  # the required total too unsure: review


def test_a_document_with_problems_or_a_missing_required_field_is_never_done_right():
    with_problem = _record({"total": (HIGH, "correct", True)}, status="needs_review", problems=("rule broken",))
    assert outcome_at(with_problem, KNOWN, 0.5)[0] is False
    missing = _record({"total": (HIGH, "correct", True)})
    missing["fields"]["date"] = {"evidence": None, "if_given": "missing"}
    assert outcome_at(missing, KNOWN, 0.5)[1] is False  # an optional field not found is no error
    missing["extracted"]["date"] = {"evidence": asdict(HIGH), "required": True}
    assert outcome_at(missing, KNOWN, 0.5)[1] is True


def test_fit_reports_its_threshold_and_each_sets_figures():
    records = [_record({"total": (SHARP, "correct", True)}) for _ in range(15)]
    records += [_record({"total": (BLURRED, "wrong", True)}) for _ in range(15)]
    fitted = fit({"gen": records}, target=0.01)
    assert 0.5 <= fitted.threshold < 1.0
    assert fitted.probability(SHARP) >= fitted.threshold > fitted.probability(BLURRED)
    assert fitted.fitted_on["fields"] == 30 and fitted.fitted_on["target"] == 0.01
    assert fitted.fitted_on["sets"]["gen"] == {"documents": 30, "silent_errors": 0.0, "done_right": 15}


def test_a_family_held_out_sets_the_threshold_of_its_own_type():
    """Receipts of a new source read wrong at a confidence the other families call sure: held out,
    that family needs a threshold above that confidence, and only receipts get it."""
    sure, new = Evidence("amount", "same_line", ocr=0.99), Evidence("amount", "same_line", ocr=0.97)

    def typed(doc_type: str, evidence: Evidence, outcome: str) -> dict:
        return {**_record({"total": (evidence, outcome, True)}), "doc_type": doc_type}

    bills = [typed("bank_bill", sure, "correct") for _ in range(40)] + [typed("bank_bill", new, "correct") for _ in range(40)]
    bills += [typed("bank_bill", BLURRED, "wrong") for _ in range(10)]
    receipts = [typed("receipt", new, "correct") for _ in range(9)] + [typed("receipt", new, "wrong")]
    sets = {"bills": bills, "receipts": receipts}
    others = ConfidenceModel(fit_weights(examples(bills)), 1.0, {})
    needed = family_threshold(sets, ("receipts",), 0.05)
    assert needed > others.probability(new)  # at the others' confidence, 1 in 10 receipts would end done but wrong
    model = fit(sets, 0.05, {"receipts": ("receipts",)})
    common = fit(sets, 0.05).threshold
    assert model.threshold_for("receipt") == round(max(common, needed), 4)
    assert model.threshold_for("bank_bill") == round(common, 4)
    assert model.threshold == max(model.by_type.values())  # a type no set shows gets the strictest
    assert model_from_data(model.to_data()).by_type == model.by_type


# --- layouts people confirmed -------------------------------------------------------------------

def test_confirmations_leave_a_new_layouts_confidence_as_it_was_and_weigh_only_where_values_lie():
    """The sets measured with other documents confirmed (WARM) fit the placement weights alone:
    a value on a layout nobody confirmed scores as if they did not exist."""
    cold = [_record({"total": (SHARP, "correct", True)}) for _ in range(20)]
    cold += [_record({"total": (BLURRED, "wrong", True)}) for _ in range(20)]
    placed, misplaced = replace(BLURRED, placed=1), replace(SHARP, placed=-1)
    warm = [_record({"total": (placed, "correct", True)}) for _ in range(20)]
    warm += [_record({"total": (misplaced, "wrong", True)}) for _ in range(20)]
    alone, both = fit_sets({"gen": cold}), fit_sets({"gen": cold, "gen" + WARM: warm})
    assert {n: v for n, v in both.items() if n not in ("placed", "misplaced")} == \
        {n: v for n, v in alone.items() if n not in ("placed", "misplaced")}
    assert both["placed"] > 0 > both["misplaced"] and alone["placed"] == alone["misplaced"] == 0


def test_a_confirmed_layout_has_its_own_threshold_and_a_new_one_keeps_the_types():
    model = model_from_data({"threshold": 0.99, "weights": {"bias": 1.0},
                             "by_type": {"courier_waybill": 0.97, "courier_waybill+confirmed": 0.95}})
    assert model.threshold_for("courier_waybill") == 0.97
    assert model.threshold_for("courier_waybill", confirmed_layout=True) == 0.95
    assert model.threshold_for("bank_bill", confirmed_layout=True) == 0.99  # no type of its own: the strictest


def test_fit_chooses_the_threshold_of_recalled_documents_apart():
    """Wrong values placed where people confirmed their field raise the bar of confirmed layouts
    only; documents of new layouts keep theirs."""
    def typed(evidence: Evidence, outcome: str) -> dict:
        return {**_record({"total": (evidence, outcome, True)}), "doc_type": "courier_waybill"}

    cold = [typed(SHARP, "correct") for _ in range(30)] + [typed(BLURRED, "wrong") for _ in range(10)]
    warm = [typed(replace(SHARP, placed=1), "correct") for _ in range(30)]
    warm += [typed(replace(BLURRED, placed=1), "wrong") for _ in range(3)]
    model = fit({"gen": cold, "gen" + WARM: warm}, 0.01)
    assert fit({"gen": cold}, 0.01).threshold_for("courier_waybill") == model.threshold_for("courier_waybill")
    assert model.threshold_for("courier_waybill", True) > model.probability(replace(BLURRED, placed=1))


def test_fitting_on_top_of_a_model_keeps_its_weights_and_thresholds_and_adds_what_confirmations_teach():
    def typed(evidence: Evidence, outcome: str) -> dict:
        return {**_record({"total": (evidence, outcome, True)}), "doc_type": "courier_waybill"}

    cold = [typed(SHARP, "correct") for _ in range(30)] + [typed(BLURRED, "wrong") for _ in range(10)]
    warm = [typed(replace(BLURRED, placed=1), "correct") for _ in range(30)]
    warm += [typed(replace(SHARP, placed=-1), "wrong") for _ in range(10)]
    base = model_from_data({"threshold": 0.99, "by_type": {"courier_waybill": 0.97, "receipt": 0.99},
                            "weights": {"bias": 2.0, "ocr_low": -1.0}})
    model = fit({"gen": cold, "gen" + WARM: warm}, 0.01, base=base)
    assert {n: v for n, v in model.weights.items() if n not in ("placed", "misplaced") and v} == base.weights
    assert model.weights["placed"] > 0 > model.weights["misplaced"]
    assert model.threshold_for("courier_waybill") == 0.97 and model.threshold_for("receipt") == 0.99
    assert model.threshold_for("courier_waybill", confirmed_layout=True) >= 0.97
