"""The reference backend: PaddleOCR 3.x's model classes on Paddle Inference with oneDNN.

PaddleX does the pre- and post-processing from each folder's ``inference.yml``. Its kernels are
built per input shape: the first page of a new size costs about 0.8 s more.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np

from workers.backends import Recognized
from workers.ocr import CLS_MODEL, DET_LIMIT_SIDE, DET_MODEL, REC_BATCH, REC_MODEL

CLS_BATCH = 16


class PaddleBackend:
    name = "paddle"
    precision = "f32"  # BILLFLOW_OCR_PRECISION is OpenVINO's only

    def __init__(self, folders: dict[str, Path], threads: int):
        os.environ.setdefault("PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK", "True")
        os.environ.setdefault("PADDLE_PDX_CACHE_HOME", str(folders[DET_MODEL].parent / ".paddlex"))
        # Paddle, imported lazily by the model classes below, warns that no compiler cache is
        # installed, which matters only to compiling C++ extensions: that warning alone is
        # ignored from now on in this process (a filter, not a context that would end too soon).
        warnings.filterwarnings("ignore", message="No ccache found", category=UserWarning)
        import paddleocr

        common = {
            "device": "cpu",
            "engine_config": {
                "paddle_static": {"run_mode": "mkldnn", "cpu_threads": threads, "enable_new_ir": False}
            },
        }
        self._det = paddleocr.TextDetection(
            model_name=DET_MODEL, model_dir=str(folders[DET_MODEL]),
            limit_side_len=DET_LIMIT_SIDE, limit_type="max", **common,
        )
        self._rec = paddleocr.TextRecognition(model_name=REC_MODEL, model_dir=str(folders[REC_MODEL]), **common)
        _keep_char_probabilities(self._rec.paddlex_predictor.post_op)
        self._cls = paddleocr.TextLineOrientationClassification(
            model_name=CLS_MODEL, model_dir=str(folders[CLS_MODEL]), **common
        )

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        det = self._det.predict(image, batch_size=1)[0]
        return [np.asarray(p, dtype=np.float32) for p in det["dt_polys"]]

    def classify(self, lines: list[np.ndarray]) -> list[float]:
        if not lines:
            return []
        results = self._cls.predict(lines, batch_size=CLS_BATCH)
        return [float(r["scores"][0]) if r["label_names"][0] == "180_degree" else 1 - float(r["scores"][0])
                for r in results]

    def recognize(self, crops: list[np.ndarray]) -> list[Recognized]:
        if not crops:
            return []
        return [_recognized(r) for r in self._rec.predict(crops, batch_size=REC_BATCH, return_word_box=True)]

    def warm_up(self) -> None:
        """Nothing to do: Paddle builds kernels per shape when a shape first comes."""


def _recognized(result: dict) -> Recognized:
    """PaddleX's ``(text, [columns, words, word_columns, states, probabilities])`` as ``Recognized``."""
    text, (_, _, word_columns, _, *probabilities) = result["rec_text"]
    columns = tuple(c for word in word_columns for c in word)
    return Recognized(text, float(result["rec_score"]), columns, tuple(probabilities[0]) if probabilities else ())


def _keep_char_probabilities(decoder) -> None:
    """Make PaddleX's CTC decoder also hand on each character's probability (it keeps only
    their mean): appended to the word-box information it returns with ``return_word_box``."""
    decode = decoder.decode

    def decode_keeping_probabilities(text_index, text_prob=None, is_remove_duplicate=False, return_word_box=False):
        results = decode(text_index, text_prob, is_remove_duplicate, return_word_box)
        if not return_word_box or text_prob is None:
            return results
        for batch_index, result in enumerate(results):
            indexes = text_index[batch_index]
            kept = np.ones(len(indexes), dtype=bool)
            if is_remove_duplicate:
                kept[1:] = indexes[1:] != indexes[:-1]
            for ignored in decoder.get_ignored_tokens():
                kept &= indexes != ignored
            result[2].append([round(float(p), 3) for p in text_prob[batch_index][kept]])
        return results

    decoder.decode = decode_keeping_probabilities
