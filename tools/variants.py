"""Variants of clean generated documents as couriers and tellers upload them, and their scores.

``python -m tools.variants make SRC OUT`` writes, for every image with a generated ground truth
in ``SRC``, one copy per variant under ``OUT/<variant>/`` (``OUT/clean`` holds the originals):
turned 90/180/270, tilted 2–15°, photographed on a table (perspective, background, shadow),
faded, scanned noisy at 150 dpi, JPEG quality 30. Each truth is the clean one with every
polygon moved by the variant's own transform, so detection is scored on the variant's pixels.

``python -m tools.variants score OUT/clean OUT/rot90 ... [--no-steps] [--json FILE]`` runs
``billflow eval`` on each set (page preparation, then OCR, as a worker reads) and prints one row
per set: field exact match, seconds per page and each preparation step's mean milliseconds.

``python -m tools.variants speed SET`` times every page with all steps on and all off,
alternating which goes first, so the machine's other load falls on both alike (a PDF page the
pipeline reads from its text layer, ``BILLFLOW_TEXT_LAYER``, is neither prepared nor OCR'd: skipped).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from evaluation.datasets import read_dataset
from workers.evaluate import evaluate_dataset, load_engine, timed_pages, without_preparation
from workers.pipeline import read_page
from workers.preprocess import map_points, rotate
from workers.settings import Settings, get_settings

Variant = Callable[[np.ndarray, random.Random], tuple[np.ndarray, np.ndarray]]  # → image, 3×3 map


def turned(clockwise: int) -> Variant:
    return lambda image, rng: rotate(image, clockwise)


def tilted(image: np.ndarray, rng: random.Random) -> tuple[np.ndarray, np.ndarray]:
    """Turned by 2–15° either way, the new corners white: a page fed askew into a scanner, or a
    tilted image resampled bilinearly (the softer, harder case of the two)."""
    return rotate(image, rng.choice((-1, 1)) * rng.uniform(2, 15))


def photographed(image: np.ndarray, rng: random.Random) -> tuple[np.ndarray, np.ndarray]:
    """The page seen at an angle on a wooden table, a soft shadow across it, a little blur."""
    h, w = image.shape[:2]
    size = (round(w * 1.3), round(h * 1.3))
    inset = np.float32([[0.15, 0.15], [1.15, 0.15], [1.15, 1.15], [0.15, 1.15]])
    corners = (inset + np.float32([[rng.uniform(-0.07, 0.07) for _ in range(2)] for _ in range(4)])) * (w, h)
    matrix = cv2.getPerspectiveTransform(np.float32([[0, 0], [w, 0], [w, h], [0, h]]), corners.astype(np.float32))
    photo = _table(size, np.random.default_rng(rng.getrandbits(32)))
    cv2.warpPerspective(image, matrix, size, photo, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_TRANSPARENT)
    photo = cv2.GaussianBlur(_shadow(photo, rng), (0, 0), 0.8)
    return _noisy(photo, 4, np.random.default_rng(rng.getrandbits(32))), matrix


def _table(size: tuple[int, int], gen: np.random.Generator) -> np.ndarray:
    """Dark wood: brown with streaks along the grain."""
    grain = cv2.resize(gen.normal(0, 1, (size[1] // 6, max(size[0] // 60, 2))), size, interpolation=cv2.INTER_CUBIC)
    brown = np.float32([40, 65, 100]) * (1 + 0.25 * grain[..., None])
    return np.clip(brown, 0, 255).astype(np.uint8)


def _shadow(photo: np.ndarray, rng: random.Random) -> np.ndarray:
    """A straight-edged soft shadow (a hand or a phone) darkening part of the photo by 35–55%."""
    h, w = photo.shape[:2]
    angle = rng.uniform(0, 2 * np.pi)
    yy, xx = np.mgrid[0:h, 0:w]
    across = (np.cos(angle) * (xx - w / 2) + np.sin(angle) * (yy - h / 2)) / max(w, h)
    light = 1 - rng.uniform(0.35, 0.55) / (1 + np.exp(-(across - rng.uniform(0, 0.25)) / 0.05))
    return (photo * light[..., None]).astype(np.uint8)


def faded(image: np.ndarray, rng: random.Random) -> tuple[np.ndarray, np.ndarray]:
    """Low contrast: ink faded to grey on greyish paper (an old thermal print, a weak copy)."""
    ink, paper = rng.uniform(120, 150), rng.uniform(220, 235)
    return (ink + image.astype(np.float32) * (paper - ink) / 255).astype(np.uint8), np.eye(3)


def scanned_150dpi(image: np.ndarray, rng: random.Random) -> tuple[np.ndarray, np.ndarray]:
    """Rescanned at 150 dpi (from 200) with sensor noise and dust."""
    small = cv2.resize(image, None, fx=0.75, fy=0.75, interpolation=cv2.INTER_AREA)
    gen = np.random.default_rng(rng.getrandbits(32))
    noisy = _noisy(small, 12, gen)
    dust = gen.random(noisy.shape[:2])
    noisy[dust < 0.002], noisy[dust > 0.998] = 0, 255
    return noisy, np.diag([0.75, 0.75, 1.0])


def _noisy(image: np.ndarray, sigma: float, gen: np.random.Generator) -> np.ndarray:
    return np.clip(image + gen.normal(0, sigma, image.shape), 0, 255).astype(np.uint8)


def unchanged(image: np.ndarray, rng: random.Random) -> tuple[np.ndarray, np.ndarray]:
    return image, np.eye(3)


# name → (transform, file suffix (None: the clean file itself), cv2.imwrite parameters)
VARIANTS: dict[str, tuple[Variant, str | None, list[int]]] = {
    "clean": (unchanged, None, []),
    "rot90": (turned(90), ".png", []),
    "rot180": (turned(180), ".png", []),
    "rot270": (turned(270), ".png", []),
    "skew": (tilted, ".png", []),
    "photo": (photographed, ".png", []),
    "faded": (faded, ".png", []),
    "scan150": (scanned_150dpi, ".png", []),
    "jpeg30": (unchanged, ".jpg", [cv2.IMWRITE_JPEG_QUALITY, 30]),
}


def make(source: Path, out: Path, names: list[str], seed: int) -> int:
    """Write the variants of every single-page image sample in ``source``; returns how many."""
    samples = [s for s in read_dataset(source).samples if s.source.suffix.lower() != ".pdf" and len(s.pages) == 1]
    for sample in samples:
        image = cv2.imread(str(sample.source), cv2.IMREAD_COLOR)
        truth = json.loads(_truth_file(sample.source).read_text(encoding="utf-8"))
        for name in names:
            transform, suffix, params = VARIANTS[name]
            made, matrix = transform(image, random.Random(f"{seed}:{name}:{sample.name}"))
            target = (out / name / sample.name).with_suffix(suffix or sample.source.suffix)
            target.parent.mkdir(parents=True, exist_ok=True)
            if suffix:
                cv2.imwrite(str(target), made, params)
            else:
                shutil.copyfile(sample.source, target)
            moved = dict(moved_truth(truth, matrix @ _truth_to_pixels(truth, image), target.name, made.shape), variant=name)
            target.with_name(target.stem + ".truth.json").write_text(json.dumps(moved, ensure_ascii=False, indent=1),
                                                                      encoding="utf-8")
    return len(samples)


def _truth_file(image: Path) -> Path:
    plain = image.with_suffix(".json")
    return plain if plain.exists() else image.with_name(image.stem + ".truth.json")


def _truth_to_pixels(truth: dict, image: np.ndarray) -> np.ndarray:
    """The scale from the truth's page size (when it states one) to the image's pixels."""
    page = truth["pages"][0]
    if "width" not in page or "height" not in page:
        return np.eye(3)
    return np.diag([image.shape[1] / page["width"], image.shape[0] / page["height"], 1.0])


def moved_truth(truth: dict, matrix: np.ndarray, image_name: str, shape: tuple[int, ...]) -> dict:
    """The truth with its page's line polygons mapped through ``matrix``, its image renamed and
    its size (when stated) that of the variant."""
    page = dict(truth["pages"][0], image=image_name)
    page["lines"] = [dict(l, polygon=map_points(matrix, l["polygon"]).round(1).tolist()) for l in page["lines"]]
    if "width" in page:
        page["width"], page["height"] = shape[1], shape[0]
    return dict(truth, pages=[page])


def score(folders: list[Path], settings: Settings) -> list[dict]:
    """Each set's ``billflow eval`` headline: field exact match, detection hmean, line CER, median
    seconds per page (preparation and OCR) and each preparation step's mean milliseconds."""
    engine, rows = load_engine(settings), []
    for folder in folders:
        report, _ = evaluate_dataset(read_dataset(folder), lambda: engine, settings)
        rows.append({
            "set": folder.name, "documents": report["review"]["documents"],
            "field_exact": report["extraction"]["overall"]["exact"]["accuracy"],
            "det_hmean": report["detection"]["hmean"], "line_cer": report["recognition"]["cer"],
            "p50_s": report["speed"]["p50_s"], "failed": report["review"]["by_status"].get("failed", 0),
            "step_ms": report["speed"]["steps_ms"],
        })
        print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    return rows


def speed(folder: Path, settings: Settings) -> dict:
    """Seconds per page of ``read_page`` with every step on and every step off, interleaved."""
    engine, off = load_engine(settings), without_preparation(settings)
    times: dict[str, list[float]] = {"on": [], "off": []}
    for index, sample in enumerate(read_dataset(folder).samples):
        page, _ = next(timed_pages(sample.source.read_bytes(), settings))
        if page.lines is not None:  # read from its text layer, as the pipeline does: nothing to prepare
            continue
        image = np.ascontiguousarray(np.asarray(page.image)[:, :, ::-1])
        runs = [("on", settings), ("off", off)]
        for label, chosen in runs if index % 2 else runs[::-1]:
            started = time.perf_counter()
            read_page(chosen, engine, image, 1)
            times[label].append(time.perf_counter() - started)
    on, off_mean = float(np.mean(times["on"])), float(np.mean(times["off"]))
    return {"pages": len(times["on"]), "on_s": round(on, 3), "off_s": round(off_mean, 3),
            "median_ratio": round(float(np.median(np.divide(times["on"], times["off"]))), 3),
            "slowdown": round(on / off_mean - 1, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    made = commands.add_parser("make", help="write the variants of a clean generated set")
    made.add_argument("source", type=Path)
    made.add_argument("out", type=Path)
    made.add_argument("--only", nargs="+", choices=list(VARIANTS), default=list(VARIANTS))
    made.add_argument("--seed", type=int, default=0)
    scored = commands.add_parser("score", help="field exact match and timings of labelled sets")
    scored.add_argument("sets", type=Path, nargs="+")
    scored.add_argument("--no-steps", action="store_true", help="switch every preparation step off")
    scored.add_argument("--json", type=Path, help="also write the rows here")
    timed = commands.add_parser("speed", help="per-page time with the steps on and off")
    timed.add_argument("set", type=Path)
    args = parser.parse_args()
    settings = get_settings()
    if args.command == "make":
        print(f"{make(args.source, args.out, args.only, args.seed)} document(s) × {len(args.only)} variant(s)")
    elif args.command == "score":
        rows = score(args.sets, without_preparation(settings) if args.no_steps else settings)
        if args.json:
            args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        print(json.dumps(speed(args.set, settings)))


if __name__ == "__main__":
    main()
