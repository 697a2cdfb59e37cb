"""The OpenVINO backend: the very PaddleOCR files (``inference.pdmodel``) run by OpenVINO's CPU
plugin, which reads them directly, with ``workers.backends.processing`` around the forward passes.

No page pays for an input shape met for the first time after start-up:
- detection runs at the page's own size, as Paddle's does: OpenVINO's dynamic shapes cost no
  more on a new size (measured: ``benchmarks.shapes``), and padding would change the boxes (the
  model's squeeze-and-excitation blocks average over the whole input);
- recognition batches are padded to ``REC_WIDTHS`` wide and ``BATCH_SIZES`` crops (blank
  crops, dropped), line-direction batches to ``BATCH_SIZES``; ``warm_up`` runs each shape once.
  A crop's text is read the same, its probabilities within about 0.01.
Computations stay in float32.
"""

from __future__ import annotations

import bisect
from pathlib import Path

import cv2
import numpy as np
import yaml

from workers.backends import Recognized
from workers.backends.processing import (DbParams, ctc_decode, db_boxes, det_image, normalize, rec_image,
                                         rec_width)
from workers.ocr import CLS_INPUT_H, CLS_INPUT_W, CLS_MODEL, CONFIG_DIR, DET_LIMIT_SIDE, DET_MODEL, REC_BATCH, REC_MODEL

REC_WIDTHS = (320, 480, 640, 960, 1280, 1920, 3200)
BATCH_SIZES = (1, 2, 4, 8)  # recognition batches are padded up to one of these
CLS_BATCH = 8


class OpenVinoBackend:
    name = "openvino"

    def __init__(self, folders: dict[str, Path], threads: int):
        import openvino

        core = openvino.Core()
        config = {"INFERENCE_NUM_THREADS": str(threads), "PERFORMANCE_HINT": "LATENCY",
                  "INFERENCE_PRECISION_HINT": "f32"}

        def compiled(name: str):
            return core.compile_model(core.read_model(folders[name] / "inference.pdmodel"), "CPU", config)

        self._det, self._rec, self._cls = compiled(DET_MODEL), compiled(REC_MODEL), compiled(CLS_MODEL)
        det = _config(DET_MODEL)
        self._det_norm = _normalization(det)
        post = det["PostProcess"]
        self._db = DbParams(post["thresh"], post["box_thresh"], post["max_candidates"], post["unclip_ratio"])
        self._cls_norm = _normalization(_config(CLS_MODEL))
        _, self._rec_h, self._rec_min_w = _step(_config(REC_MODEL), "RecResizeImg")["image_shape"]
        rec_config = yaml.load((folders[REC_MODEL] / "inference.yml").read_text(encoding="utf-8"), Loader=_LOADER)
        self._characters = rec_config["PostProcess"]["character_dict"] + [" "]

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        resized = det_image(image, DET_LIMIT_SIDE)
        probability = self._det(normalize(resized, *self._det_norm)[None])[0][0, 0]
        return db_boxes(probability, image.shape[0], image.shape[1], self._db)

    def classify(self, lines: list[np.ndarray]) -> list[float]:
        flips = []
        for start in range(0, len(lines), CLS_BATCH):
            batch = [normalize(cv2.cvtColor(l, cv2.COLOR_BGR2RGB), *self._cls_norm) for l in lines[start : start + CLS_BATCH]]
            probabilities = self._cls(_padded_batch(np.stack(batch)))[0][: len(batch)]
            flips += [round(float(p[1]), 5) for p in probabilities]
        return flips

    def recognize(self, crops: list[np.ndarray]) -> list[Recognized]:
        results = []
        for start in range(0, len(crops), REC_BATCH):
            batch = crops[start : start + REC_BATCH]
            width = _bucket(max(rec_width(c, self._rec_h, self._rec_min_w) for c in batch), REC_WIDTHS)
            inputs = np.zeros((len(batch), 3, self._rec_h, width), dtype=np.float32)
            for row, crop in enumerate(batch):
                image = rec_image(crop, self._rec_h, self._rec_min_w)
                inputs[row, :, :, : image.shape[2]] = image
            output = self._rec(_padded_batch(inputs))[0][: len(batch)]
            results += [Recognized(*decoded) for decoded in ctc_decode(output, self._characters)]
        return results

    def warm_up(self) -> None:
        for size in BATCH_SIZES:
            self._cls(np.zeros((size, 3, CLS_INPUT_H, CLS_INPUT_W), dtype=np.float32))
            for width in REC_WIDTHS:
                self._rec(np.zeros((size, 3, self._rec_h, width), dtype=np.float32))


def _bucket(size: int, buckets: tuple[int, ...]) -> int:
    """The smallest bucket holding ``size`` (``size`` itself beyond the largest)."""
    index = bisect.bisect_left(buckets, size)
    return buckets[index] if index < len(buckets) else size


def _padded_batch(inputs: np.ndarray) -> np.ndarray:
    """``inputs`` with blank rows added up to the next of ``BATCH_SIZES``."""
    size = _bucket(len(inputs), BATCH_SIZES)
    if size == len(inputs):
        return inputs
    return np.concatenate([inputs, np.zeros((size - len(inputs), *inputs.shape[1:]), dtype=inputs.dtype)])


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader reads the 6,623-entry dictionary 5× faster


def _config(model: str) -> dict:
    return yaml.safe_load((CONFIG_DIR / f"{model}.yml").read_text(encoding="utf-8"))


def _step(config: dict, name: str) -> dict:
    return next(op[name] for op in config["PreProcess"]["transform_ops"] if name in op)


def _normalization(config: dict) -> tuple[list[float], list[float], float]:
    step = _step(config, "NormalizeImage")
    return step["mean"], step["std"], step["scale"]
