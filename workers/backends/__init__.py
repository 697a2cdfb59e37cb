"""OCR backends: the three model passes behind ``workers.ocr.OcrEngine``, one small seam.

A backend runs the PaddleOCR weights (``workers.ocr.prepare_models`` folders) and nothing else:
``detect`` finds text boxes on a BGR page, ``classify`` gives each 192×48 line image's
probability of being upside down, ``recognize`` reads line crops into text with each
character's CTC column and probability. Sorting, cropping, the 0/180 decision, space
restoration and thresholds are the engine's, the same whichever backend runs.

``load_backend`` builds the one named by ``BILLFLOW_OCR_BACKEND``: ``paddle`` (Paddle Inference
through PaddleOCR/PaddleX: the reference) or ``openvino`` (the same files run by OpenVINO, with
billflow's own pre- and post-processing in ``workers.backends.openvino``). Neither is thread-safe:
one per process. ``BILLFLOW_OCR_PRECISION`` (``PRECISIONS``) is what OpenVINO computes in; Paddle
always computes in f32 and ignores it.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple, Protocol

import numpy as np

BACKENDS = ("paddle", "openvino")
PRECISIONS = ("f32", "bf16", "auto")


class Recognized(NamedTuple):
    """One crop read: ``columns[i]``/``probabilities[i]`` are the CTC output column and the
    probability of ``text[i]``; ``score`` is their mean (0 for an empty text)."""

    text: str
    score: float
    columns: tuple[int, ...]
    probabilities: tuple[float, ...]


class OcrBackend(Protocol):
    name: str
    precision: str  # "f32" or "bf16": what the models compute in

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        """4×2 float32 quads (clockwise from top-left) in ``image`` pixels, unsorted."""

    def classify(self, lines: list[np.ndarray]) -> list[float]:
        """Each 48×192 BGR line image's probability that its text is upside down."""

    def recognize(self, crops: list[np.ndarray]) -> list[Recognized]:
        """Each BGR crop's text, in the order given (batches are consecutive crops)."""

    def warm_up(self) -> None:
        """Run every input shape the backend will see once, so no page pays for a first run."""


def load_backend(name: str, folders: dict[str, Path], threads: int, precision: str = "f32") -> OcrBackend:
    """The backend ``name`` (one of ``BACKENDS``) on the prepared model ``folders``, computing in
    ``precision`` (one of ``PRECISIONS``; see ``computed_precision``)."""
    if name == "paddle":
        from workers.backends.paddle import PaddleBackend

        return PaddleBackend(folders, threads)
    if name == "openvino":
        from workers.backends.openvino import OpenVinoBackend

        return OpenVinoBackend(folders, threads, computed_precision(name, precision))
    raise ValueError(f"unknown OCR backend {name!r}: use one of {', '.join(BACKENDS)}")


def computed_precision(backend: str, precision: str) -> str:
    """What backend ``backend`` set to ``precision`` computes in on this machine: ``"f32"`` or
    ``"bf16"`` (paddle: always f32; openvino's ``auto``: bf16 where its CPU plugin reports BF16)."""
    if precision not in PRECISIONS:
        raise ValueError(f"unknown OCR precision {precision!r}: use one of {', '.join(PRECISIONS)}")
    if backend == "paddle":
        return "f32"
    if precision == "auto":
        from workers.backends.openvino import cpu_has_bf16

        return "bf16" if cpu_has_bf16() else "f32"
    return precision
