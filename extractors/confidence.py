"""Calibrated confidence: the probability that an extracted value is right, from its evidence.

Every field carries ``Evidence`` — the OCR score of its lines, how it was found (beside a
label, in a section or glyph block, in the header, anywhere, derived or filled in by a
cross-check), the parser's quality, how well the label matched, how many other values competed
for it and whether a cross-check confirmed it. A logistic model turns that into a probability.
Its weights and the ``done`` threshold are data (``extractors/data/confidence.yml``), fitted on
the tuning parts of the development sets by ``billflow calibrate`` (see ``evaluation.calibrate``);
the threshold was chosen there for at most 1% silent errors.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

LABELLED = ("same_line", "right", "beside", "below", "row", "prefer")
BLOCK = ("section", "boxed")
UNLABELLED = ("header", "header_guess", "after_field", "anywhere", "party", "layout_free", "remembered")
FILLED = ("derived", "cross_check", "variant")
MAX_RIVALS = 3
SURE_READING = 0.95  # a recognition score below it is low (features ocr_low, weakest_low)
CONFIRMED_LAYOUT = "+confirmed"  # a threshold's key suffix: documents of a layout people confirmed


@dataclass(frozen=True)
class Evidence:
    """What is known about one extracted value.

    ``how`` is where it was found (see ``LABELLED``, ``BLOCK``, ``UNLABELLED``, ``FILLED``);
    ``ocr`` is the lowest mean recognition score of its lines, ``weakest`` the lowest
    probability of any one of its characters; ``rivals`` the number of other distinct values of
    the same kind that were candidates for it; ``confirmed`` +1 when a cross-check agrees with
    it, -1 when one contradicts it; ``prominence`` how much larger than the page's usual text a
    guessed header is printed; ``anchored``, ``titled`` and ``known_labels`` say how familiar
    the document's layout is to the template (``extractors.familiarity``); ``placed`` +1 when the
    value lies where people confirmed this field on documents of the same layout, -1 when they
    confirmed it elsewhere (``extractors.layouts``)."""

    kind: str
    how: str
    ocr: float = 1.0
    weakest: float = 1.0
    quality: float = 1.0
    anchor: float = 0.0
    rivals: int = 0
    confirmed: int = 0
    prominence: float = 0.0
    anchored: float = 1.0
    titled: bool = True
    known_labels: float = 1.0
    placed: int = 0


def features(evidence: Evidence) -> dict[str, float]:
    """The model's inputs: numeric evidence in 0..1 and one-hot groups (how found, kind)."""
    group = next((g for g, hows in (("labelled", LABELLED), ("block", BLOCK), ("unlabelled", UNLABELLED),
                                     ("filled", FILLED)) if evidence.how in hows), "unlabelled")
    return {
        "bias": 1.0,
        "ocr": evidence.ocr, "ocr_low": max(0.0, SURE_READING - evidence.ocr) * 10,
        "weakest_low": max(0.0, SURE_READING - evidence.weakest) * 10,
        "quality": evidence.quality,
        "anchor": evidence.anchor,
        f"how:{group}": 1.0, "guessed": float(evidence.how == "header_guess"),
        "prominent": min(1.0, max(0.0, evidence.prominence - 1.0)),
        "rivals": min(evidence.rivals, MAX_RIVALS) / MAX_RIVALS,
        "confirmed": float(evidence.confirmed > 0), "contradicted": float(evidence.confirmed < 0),
        f"kind:{evidence.kind}": 1.0,
        "unconfirmed_amount": float(evidence.kind == "amount" and evidence.confirmed <= 0),
        "unanchored": 1.0 - evidence.anchored, "untitled": float(not evidence.titled),
        "unknown_labels": 1.0 - evidence.known_labels,
        "placed": float(evidence.placed > 0), "misplaced": float(evidence.placed < 0),
    }


@dataclass(frozen=True)
class ConfidenceModel:
    """Logistic weights by feature name, and the confidence every field of a ``done``
    document must reach: ``by_type``'s for a document type calibrated on its own (a key ending
    in ``CONFIRMED_LAYOUT``: on layouts people confirmed), else ``threshold`` (the strictest)."""

    weights: dict[str, float]
    threshold: float
    fitted_on: dict
    by_type: dict[str, float] = field(default_factory=dict)

    def threshold_for(self, doc_type: str | None, confirmed_layout: bool = False) -> float:
        """The threshold of ``doc_type`` — its own for documents of a layout people confirmed
        (``extractors.layouts``) when calibrated — else the strictest."""
        own = self.by_type.get(doc_type or "", self.threshold)
        return self.by_type.get(f"{doc_type}{CONFIRMED_LAYOUT}", own) if confirmed_layout else own

    def probability(self, evidence: Evidence) -> float:
        """P(value right | evidence), rounded to 4 places."""
        score = sum(self.weights.get(name, 0.0) * value for name, value in features(evidence).items())
        return round(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score)))), 4)

    def to_data(self) -> dict:
        return {"threshold": self.threshold, **({"by_type": dict(sorted(self.by_type.items()))} if self.by_type else {}),
                "fitted_on": self.fitted_on, "weights": {k: round(v, 4) for k, v in sorted(self.weights.items())}}


MODEL_FILE = "confidence.yml"


def model_from_data(data: dict) -> ConfidenceModel:
    return ConfidenceModel({str(k): float(v) for k, v in data["weights"].items()}, float(data["threshold"]),
                           dict(data.get("fitted_on") or {}),
                           {str(k): float(v) for k, v in (data.get("by_type") or {}).items()})


@lru_cache(maxsize=1)
def load_model() -> ConfidenceModel:
    """The bundled model (``extractors/data/confidence.yml``)."""
    text = (resources.files("extractors") / "data" / MODEL_FILE).read_text(encoding="utf-8")
    return model_from_data(yaml.safe_load(text))
