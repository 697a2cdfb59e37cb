"""Layouts people confirmed: a value printed where a reviewer confirmed that field's values on
documents of the same layout is surer than the template's evidence alone says; a value found
elsewhere on such a layout is less sure.

A layout is known by its *marks*: the short texts a form prints on every copy (labels before a
colon, titles, other words without digits), each at its place in the page's text frame (the box
around all text on the page, scaled to 0..1, pages stacked). A confirmation (``example_of``)
records a document's marks and where each confirmed value lay. Documents whose marks agree (a
Dice share of at least ``MATCH``, each mark within ``TOLERANCE`` after the median shift between
the two) are one layout (``LayoutMemory``). On a document of a layout confirmed at least
``MIN_EXAMPLES`` times, a field is *placed* (+1: its value starts or ends where a confirmed value
of that field did), *misplaced* (-1: that field was confirmed on this layout, elsewhere) or
neither (0); the confidence model weighs both (``extractors.confidence``), and a field the
template found nowhere, or elsewhere, is read where people confirmed it (``Recall.spots``).

Pure: lines and boxes in, placements out. The shell stores the examples (``Example.to_data``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import median

from extractors.lines import OcrLine, normalize_text

MATCH = 0.6
TOLERANCE = 0.025
MIN_EXAMPLES = 2
_HEAD = re.compile(r"[:：]")
_NOT_WORD = re.compile(r"[^\u3400-\u9fffA-Za-z]")
_DIGIT = re.compile(r"\d")

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in the text frame (y: page - 1 + 0..1)
Frames = dict[int, Box]  # page → the box around its text, in pixels


@dataclass(frozen=True)
class Mark:
    word: str
    x: float  # the line's left edge
    y: float  # the line's middle


@dataclass(frozen=True)
class Example:
    """One confirmed document: its type, its marks and each confirmed value's box."""

    doc_type: str
    marks: tuple[Mark, ...]
    boxes: Mapping[str, Box]

    def to_data(self) -> dict:
        return {"doc_type": self.doc_type, "marks": [[m.word, round(m.x, 4), round(m.y, 4)] for m in self.marks],
                "boxes": {name: [round(v, 4) for v in box] for name, box in self.boxes.items()}}

    @classmethod
    def from_data(cls, data: Mapping) -> Example:
        return cls(str(data["doc_type"]), tuple(Mark(str(w), float(x), float(y)) for w, x, y in data["marks"]),
                   {str(n): tuple(float(v) for v in box) for n, box in data["boxes"].items()})


@dataclass
class Layout:
    """Marks of the first example of a layout, and every confirmed box per field (in its frame)."""

    doc_type: str
    marks: tuple[Mark, ...]
    examples: int = 0
    boxes: dict[str, list[Box]] = field(default_factory=dict)


def text_frames(lines: Sequence[OcrLine]) -> Frames:
    """Per page, the box around all its lines."""
    frames: Frames = {}
    for line in lines:
        x0, y0, x1, y1 = line.bbox
        f = frames.get(line.page)
        frames[line.page] = (x0, y0, x1, y1) if f is None else (min(f[0], x0), min(f[1], y0), max(f[2], x1), max(f[3], y1))
    return frames


def in_frame(frames: Frames, page: int, box: Sequence[float]) -> Box | None:
    """``box`` (pixels on ``page``) in text-frame units, or None when the page has no text."""
    frame = frames.get(page)
    if frame is None or len(box) != 4:
        return None
    width, height = _size(frame)
    return ((box[0] - frame[0]) / width, page - 1 + (box[1] - frame[1]) / height,
            (box[2] - frame[0]) / width, page - 1 + (box[3] - frame[1]) / height)


def from_frame(frames: Frames, page: int, box: Box) -> tuple[float, float, float, float] | None:
    """``in_frame``'s inverse: ``box`` in text-frame units, as pixels on ``page``; None when the
    page has no text."""
    frame = frames.get(page)
    if frame is None:
        return None
    width, height = _size(frame)
    return (frame[0] + box[0] * width, frame[1] + (box[1] - (page - 1)) * height,
            frame[0] + box[2] * width, frame[1] + (box[3] - (page - 1)) * height)


def _size(frame: Box) -> tuple[float, float]:
    """A text frame's width and height in pixels (at least one)."""
    return max(frame[2] - frame[0], 1.0), max(frame[3] - frame[1], 1.0)


def marks_of(lines: Sequence[OcrLine], frames: Frames | None = None) -> tuple[Mark, ...]:
    """The texts a form prints on every copy, as far as one document tells: a line's part before
    a colon, or a whole line without digits, of 2–12 letters."""
    frames = frames if frames is not None else text_frames(lines)
    marks = []
    for line in lines:
        text = normalize_text(line.text)
        colon = _HEAD.search(text)
        if not colon and _DIGIT.search(text):
            continue
        head = text[:colon.start()] if colon else text
        word = _NOT_WORD.sub("", head)
        box = in_frame(frames, line.page, line.bbox)
        if 2 <= len(word) <= 12 and box:
            marks.append(Mark(word, box[0], (box[1] + box[3]) / 2))
    return tuple(marks)


def example_of(doc_type: str, lines: Sequence[OcrLine], confirmed: Mapping[str, tuple[int, Sequence[float]]]) -> Example:
    """The example a confirmed document gives: ``confirmed`` maps each field a person confirmed
    to its page and pixel box."""
    frames = text_frames(lines)
    boxes = {name: box for name, (page, bbox) in confirmed.items() if (box := in_frame(frames, page, bbox))}
    return Example(doc_type, marks_of(lines, frames), boxes)


def alike(word: str, other: str) -> bool:
    """The same printed word: equal, or sharing a start or an end of at least two letters and half
    the shorter word (a label read together with its value, 收款人田然勇; a bank's name before a
    form's title, 平安银行转账支票)."""
    if word == other:
        return True
    shared = max(_common_prefix(word, other), _common_prefix(word[::-1], other[::-1]))
    return shared >= max(2, min(len(word), len(other)) / 2)


def _common_prefix(a: str, b: str) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


def alignment(marks: Sequence[Mark], known: Sequence[Mark]) -> tuple[float, float, float]:
    """(Dice share of ``marks`` matching ``known``, x shift, y shift): the shift is the median
    offset from marks to the one ``alike`` mark ``known`` holds; a mark matches an alike one within
    ``TOLERANCE`` after it."""
    index: dict[str, list[Mark]] = {}
    for mark in known:
        for key in {mark.word[:2], mark.word[-2:]}:
            index.setdefault(key, []).append(mark)
    similar = [[k for k in dict.fromkeys(index.get(m.word[:2], []) + index.get(m.word[-2:], [])) if alike(m.word, k.word)]
               for m in marks]
    pairs = [(found[0].x - m.x, found[0].y - m.y) for m, found in zip(marks, similar) if len(found) == 1]
    if not pairs:
        return 0.0, 0.0, 0.0
    dx, dy = median(p[0] for p in pairs), median(p[1] for p in pairs)
    matched = sum(1 for m, found in zip(marks, similar)
                  if any(abs(k.x - m.x - dx) <= TOLERANCE and abs(k.y - m.y - dy) <= TOLERANCE for k in found))
    return 2 * matched / (len(marks) + len(known)), dx, dy


@dataclass(frozen=True)
class Recall:
    """A document's match to a remembered layout: the layout and the shift into its frame."""

    layout: Layout
    dx: float
    dy: float
    frames: Frames

    def spots(self, name: str) -> list[tuple[int, Box]]:
        """Where people confirmed ``name`` on this layout, newest first, as (page, pixel box on this
        document) widened by ``TOLERANCE``; none before ``MIN_EXAMPLES`` confirmations."""
        remembered = self.layout.boxes.get(name, [])
        if len(remembered) < MIN_EXAMPLES:
            return []
        spots = []
        for x0, y0, x1, y1 in reversed(remembered):
            page = int(max(y0 - self.dy, 0.0)) + 1
            widened = (x0 - self.dx - TOLERANCE, y0 - self.dy - TOLERANCE, x1 - self.dx + TOLERANCE, y1 - self.dy + TOLERANCE)
            if (box := from_frame(self.frames, page, widened)) is not None:
                spots.append((page, box))
        return spots

    def placement(self, name: str, page: int, bbox: Sequence[float]) -> int:
        """+1 placed, -1 misplaced, 0 unknown (see the module docstring)."""
        remembered = self.layout.boxes.get(name, [])
        box = in_frame(self.frames, page, bbox)
        if len(remembered) < MIN_EXAMPLES or box is None:
            return 0
        x0, y0, x1 = box[0] + self.dx, box[1] + self.dy, box[2] + self.dx
        return 1 if any(abs(y0 - r[1]) <= TOLERANCE and (abs(x0 - r[0]) <= TOLERANCE or abs(x1 - r[2]) <= TOLERANCE)
                        for r in remembered) else -1


class LayoutMemory:
    """Confirmed examples grouped into layouts (each example joins the best-matching layout of its
    type, or starts one)."""

    def __init__(self, examples: Sequence[Example] = ()) -> None:
        self.layouts: list[Layout] = []
        for example in examples:
            self.add(example)

    def _best(self, doc_type: str, marks: Sequence[Mark]) -> tuple[Layout, float, float] | None:
        scored = [(alignment(marks, layout.marks), layout) for layout in self.layouts if layout.doc_type == doc_type]
        best = max(scored, key=lambda pair: pair[0][0], default=None)
        return (best[1], best[0][1], best[0][2]) if best and best[0][0] >= MATCH else None

    def add(self, example: Example) -> None:
        found = self._best(example.doc_type, example.marks)
        layout, dx, dy = found or (Layout(example.doc_type, example.marks), 0.0, 0.0)
        if not found:
            self.layouts.append(layout)
        layout.examples += 1
        for name, (x0, y0, x1, y1) in example.boxes.items():
            layout.boxes.setdefault(name, []).append((x0 + dx, y0 + dy, x1 + dx, y1 + dy))

    def recall(self, doc_type: str, lines: Sequence[OcrLine]) -> Recall | None:
        """The layout of this type that ``lines`` match, once confirmed ``MIN_EXAMPLES`` times."""
        frames = text_frames(lines)
        found = self._best(doc_type, marks_of(lines, frames))
        if not found or found[0].examples < MIN_EXAMPLES:
            return None
        return Recall(found[0], found[1], found[2], frames)
