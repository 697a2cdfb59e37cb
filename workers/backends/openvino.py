"""The OpenVINO backend: the very PaddleOCR files (``inference.pdmodel``) run by OpenVINO's CPU
plugin, which reads them directly, with ``workers.backends.processing`` around the forward passes.

Every input has the shape Paddle's pipeline gives it (the page's own detection size, a
recognition batch as wide as its widest crop), so both backends read the same lines: padding
to fixed shapes changes what the models see (detection's squeeze-and-excitation blocks average
over the whole input; recognition's attention runs over the whole width) and, measured on
SROIE crops, the text of 1–5% of lines. A shape OpenVINO has not run just before costs it
little more than a forward pass (Paddle's detection: about 0.8 s), see ``benchmarks.shapes``;
it keeps nothing built per shape (``SHAPE_CACHE``), so memory stays flat. The models compute in
the precision asked for (``BILLFLOW_OCR_PRECISION``: f32, or bf16 on a CPU with bf16
instructions: a page in about 0.7× the time, a few documents read differently, README *OCR
backends*); inputs and outputs are float32 either way.
Outputs are read in place (``share_outputs``: valid until the model's next inference, so each is
decoded at once): a recognition batch's output is 26 MB at 1,000 columns, and was copied.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import cv2
import numpy as np
import yaml

from workers.backends import Recognized
from workers.backends.processing import (DbParams, ctc_decode, db_boxes, det_image, normalize, rec_image,
                                         rec_width)
from workers.ocr import CLS_INPUT_H, CLS_INPUT_W, CLS_MODEL, CONFIG_DIR, DET_LIMIT_SIDE, DET_MODEL, REC_BATCH, REC_MODEL

CLS_BATCH = 8
# What the CPU plugin keeps built per input shape. Its default (5,000) grew a worker by 16 MB a
# SROIE page (400 MB → 1 GB in 36 pages: nearly every recognition batch has a width of its own);
# keeping nothing held it flat at 650 MB and was no slower on pages never seen before.
SHAPE_CACHE = 0


class OpenVinoBackend:
    name = "openvino"

    def __init__(self, folders: dict[str, Path], threads: int, precision: str = "f32"):
        """``precision``: ``"f32"`` or ``"bf16"`` (see ``workers.backends.computed_precision``)."""
        import openvino

        core = openvino.Core()
        self.precision = precision
        # No pinning: OpenVINO pins its threads to cores, and every worker process would pin to
        # the same ones (two processes with one thread each ran no faster than one).
        config = {"INFERENCE_NUM_THREADS": str(threads), "PERFORMANCE_HINT": "LATENCY",
                  "INFERENCE_PRECISION_HINT": precision, "CPU_RUNTIME_CACHE_CAPACITY": str(SHAPE_CACHE),
                  "ENABLE_CPU_PINNING": "NO"}

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
        probability = self._det(normalize(resized, *self._det_norm)[None], share_outputs=True)[0][0, 0]
        return db_boxes(probability, image.shape[0], image.shape[1], self._db)

    def classify(self, lines: list[np.ndarray]) -> list[float]:
        flips = []
        for start in range(0, len(lines), CLS_BATCH):
            batch = [normalize(cv2.cvtColor(l, cv2.COLOR_BGR2RGB), *self._cls_norm) for l in lines[start : start + CLS_BATCH]]
            flips += [round(float(p[1]), 5) for p in self._cls(np.stack(batch), share_outputs=True)[0]]
        return flips

    def recognize(self, crops: list[np.ndarray]) -> list[Recognized]:
        results = []
        for start in range(0, len(crops), REC_BATCH):
            batch = crops[start : start + REC_BATCH]
            inputs = np.zeros((len(batch), 3, self._rec_h, max(rec_width(c, self._rec_h, self._rec_min_w) for c in batch)),
                              dtype=np.float32)
            for row, crop in enumerate(batch):
                image = rec_image(crop, self._rec_h, self._rec_min_w)
                inputs[row, :, :, : image.shape[2]] = image
            results += [Recognized(*decoded) for decoded in ctc_decode(self._rec(inputs, share_outputs=True)[0], self._characters)]
        return results

    def warm_up(self) -> None:
        """Every line-direction batch size (one input width only); detection and recognition
        shapes depend on the pages."""
        for size in range(1, CLS_BATCH + 1):
            self._cls(np.zeros((size, 3, CLS_INPUT_H, CLS_INPUT_W), dtype=np.float32))


@cache
def cpu_has_bf16() -> bool:
    """Whether OpenVINO's CPU plugin computes in bf16 on this machine (``OPTIMIZATION_CAPABILITIES``)."""
    import openvino

    return "BF16" in openvino.Core().get_property("CPU", "OPTIMIZATION_CAPABILITIES")


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader reads the 6,623-entry dictionary 5× faster


def _config(model: str) -> dict:
    return yaml.safe_load((CONFIG_DIR / f"{model}.yml").read_text(encoding="utf-8"))


def _step(config: dict, name: str) -> dict:
    return next(op[name] for op in config["PreProcess"]["transform_ops"] if name in op)


def _normalization(config: dict) -> tuple[list[float], list[float], float]:
    step = _step(config, "NormalizeImage")
    return step["mean"], step["std"], step["scale"]
