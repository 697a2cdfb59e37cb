"""Labelled document sets → ``Sample``s, in three formats (autodetected by ``read_dataset``).

- ``generated``: billflow's own ground truth, a JSON beside each document (``x.json`` or
  ``x.truth.json`` beside ``x.jpg``/``x.png``/``x.pdf``, searched recursively) holding
  ``doc_type``, ``pages[].lines[]`` (polygon, text, optional ``kind``) and canonical ``fields``.
  Lines with a ``kind`` (seals, decorations) are "don't care" for detection and recognition.
  ``line_items`` (VAT invoices), when present, is the item table's truth: per row the cells of
  ``extractors.items.ITEM_COLUMNS`` as normalized strings, ``null`` for a cell not printed.
- ``sroie``: ``img/NNN.jpg``, ``key/NNN.json`` (company, date, address, total as printed) and
  ``box/NNN.csv`` (``x1,y1,...,x4,y4,text`` per line; the text may hold commas).
- ``wildreceipt``: ``dev.txt`` (or ``test.txt``/``train.txt``), one JSON per receipt with
  ``file_name`` and per text box ``box`` (8 numbers), ``text`` and ``label`` (an index into
  ``class_list.txt``). A field is its ``*_value`` boxes in reading order: company and address their texts
  joined (WildReceipt's transcriptions drop spaces), the others the first box; every single
  box's text is also an accepted value (a store name printed twice, a total repeated). Fields without boxes are unknown, not
  absent: annotators label some printed values "Others".
- ``icdar``: ``gt_<stem>.txt`` or ``<stem>.txt`` beside each image, one
  ``x1,y1,...,x4,y4,transcription`` per line; ``###`` marks a "don't care" region. No fields.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml
from PIL import Image

Point = tuple[float, float]
Quad = tuple[Point, Point, Point, Point]
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp")
DOCUMENT_SUFFIXES = IMAGE_SUFFIXES + (".pdf",)
DONT_CARE = "###"
SROIE_TYPE = "receipt"
WILDRECEIPT_FIELDS = {"Store_name_value": "company", "Store_addr_value": "address", "Tel_value": "phone",
                      "Date_value": "date", "Total_value": "total", "Subtotal_value": "subtotal", "Tax_value": "tax"}
WILDRECEIPT_INDEXES = ("dev.txt", "test.txt", "train.txt")
WILDRECEIPT_JOINED = {"company", "address"}  # printed over several boxes; other fields are one box


@dataclass(frozen=True)
class TruthLine:
    polygon: Quad
    text: str
    ignore: bool = False


@dataclass(frozen=True)
class TruthPage:
    """One page's labelled lines; ``size`` is the (width, height) their polygons refer to."""

    number: int
    lines: tuple[TruthLine, ...]
    size: tuple[int, int] | None = None

    def scaled_to(self, width: int, height: int) -> TruthPage:
        """The same page with polygons in the pixels of a ``width``×``height`` rendering."""
        if self.size is None or self.size == (width, height):
            return TruthPage(self.number, self.lines, (width, height))
        sx, sy = width / self.size[0], height / self.size[1]
        lines = tuple(
            TruthLine(tuple((x * sx, y * sy) for x, y in l.polygon), l.text, l.ignore) for l in self.lines
        )
        return TruthPage(self.number, lines, (width, height))


@dataclass(frozen=True)
class Sample:
    """One labelled document. ``fields`` is None when the set labels no fields;
    ``requested_type`` is passed to extraction instead of classifying (SROIE: receipt);
    ``line_items`` is None when the set labels no item table, else its rows (column → cell)."""

    name: str
    source: Path
    doc_type: str | None
    pages: tuple[TruthPage, ...]
    fields: dict[str, str] | None
    requested_type: str | None = None
    accepted: dict[str, tuple[str, ...]] = field(default_factory=dict)  # other values that count as right
    unlabelled_unknown: bool = False  # a field the set does not label may still be printed
    line_items: tuple[dict[str, str | None], ...] | None = None


@dataclass(frozen=True)
class Dataset:
    format: str
    root: Path
    samples: list[Sample]


def read_dataset(root: Path, limit: int | None = None) -> Dataset:
    """The labelled set in ``root``, its format autodetected; ValueError when none is found."""
    if (root / "img").is_dir() and (root / "key").is_dir():
        fmt, samples = "sroie", read_sroie(root)
    elif (root / "class_list.txt").is_file() and any((root / n).is_file() for n in WILDRECEIPT_INDEXES):
        fmt, samples = "wildreceipt", read_wildreceipt(root)
    elif samples := read_generated(root):
        fmt = "generated"
    elif samples := read_icdar(root):
        fmt = "icdar"
    else:
        raise ValueError(f"{root}: no SROIE, generated or ICDAR-style labelled documents found")
    samples = with_errata(fmt, samples)
    return Dataset(fmt, root, samples[:limit] if limit else samples)


def with_errata(fmt: str, samples: list[Sample]) -> list[Sample]:
    """The samples with the printed values ``data/errata.yml`` records for their set's wrong
    labels accepted beside the labels."""
    errata = yaml.safe_load((Path(__file__).parent / "data" / "errata.yml").read_text(encoding="utf-8")) or {}
    found = errata.get(fmt) or {}
    return [replace(s, accepted={**s.accepted, **{name: (*s.accepted.get(name, ()), entry["printed"])
                                                  for name, entry in found[s.name].items()}})
            if s.name in found else s for s in samples]


def parse_quad_line(line: str) -> tuple[Quad, str] | None:
    """``x1,y1,...,x4,y4,text`` → (polygon, text); the text keeps its commas. None if malformed."""
    parts = line.strip().lstrip("\ufeff").split(",", 8)
    if len(parts) < 9:
        return None
    try:
        values = [float(v) for v in parts[:8]]
    except ValueError:
        return None
    quad = tuple((values[i], values[i + 1]) for i in range(0, 8, 2))
    return quad, parts[8].strip()


def read_quad_file(path: Path) -> tuple[TruthLine, ...]:
    """Every well-formed line of a quad-per-line text file (``###`` → don't care)."""
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    parsed = (parse_quad_line(l) for l in text.splitlines())
    return tuple(TruthLine(quad, t, ignore=t == DONT_CARE) for quad, t in filter(None, parsed))


def read_sroie(root: Path) -> list[Sample]:
    """SROIE receipts that have both an image and a key file, in name order."""
    samples = []
    for image in sorted((root / "img").glob("*.jpg")):
        key, box = root / "key" / f"{image.stem}.json", root / "box" / f"{image.stem}.csv"
        if not key.exists():
            continue
        lines = read_quad_file(box) if box.exists() else ()
        fields = {k: str(v) for k, v in json.loads(key.read_text(encoding="utf-8")).items()}
        page = TruthPage(1, lines, _image_size(image))
        samples.append(Sample(image.stem, image, SROIE_TYPE, (page,), fields, requested_type=SROIE_TYPE))
    return samples


def read_wildreceipt(root: Path) -> list[Sample]:
    """WildReceipt receipts of the first index file found whose image exists, in file order."""
    classes = (root / "class_list.txt").read_text(encoding="utf-8").split()
    index = next(root / n for n in WILDRECEIPT_INDEXES if (root / n).is_file())
    samples = []
    for row in index.read_text(encoding="utf-8").splitlines():
        if not row.strip():
            continue
        entry = json.loads(row)
        image = root / entry["file_name"]
        if image.exists():
            samples.append(_wildreceipt_sample(root, image, entry, classes))
    return samples


def _wildreceipt_sample(root: Path, image: Path, entry: dict, classes: list[str]) -> Sample:
    boxes = [(tuple((a["box"][i], a["box"][i + 1]) for i in range(0, 8, 2)), a["text"], classes[a["label"]])
             for a in entry["annotations"]]
    lines = tuple(TruthLine(_clockwise(quad), text, ignore=not text) for quad, text, _ in boxes)
    by_field: dict[str, list[tuple[Quad, str]]] = {}
    for quad, text, label in boxes:
        if label in WILDRECEIPT_FIELDS and text.strip():
            by_field.setdefault(WILDRECEIPT_FIELDS[label], []).append((quad, text.strip()))
    fields, accepted = {}, {}
    for name, found in by_field.items():
        texts = [t for _, t in sorted(found, key=lambda b: (min(y for _, y in b[0]), min(x for x, _ in b[0])))]
        fields[name] = "".join(texts) if name in WILDRECEIPT_JOINED else texts[0]
        accepted[name] = tuple(dict.fromkeys(texts + ["".join(texts)]))
    page = TruthPage(1, lines, (entry["width"], entry["height"]))
    name = str(image.relative_to(root).with_suffix(""))
    return Sample(name, image, SROIE_TYPE, (page,), fields, accepted=accepted, unlabelled_unknown=True)


def _clockwise(quad: Quad) -> Quad:
    """A box's 4 corners from its top-left, clockwise (WildReceipt lists them from bottom-left)."""
    cx, cy = sum(x for x, _ in quad) / 4, sum(y for _, y in quad) / 4
    ordered = sorted(quad, key=lambda p: math.atan2(p[1] - cy, p[0] - cx))
    start = min(range(4), key=lambda i: ordered[i][0] + ordered[i][1])
    return tuple(ordered[start:] + ordered[:start])


def read_generated(root: Path) -> list[Sample]:
    """Documents with a generated ground-truth JSON beside them (recursively, in path order)."""
    samples = []
    for truth in sorted(root.rglob("*.json")):
        stem = truth.name.removesuffix(".json").removesuffix(".truth")
        source = next((truth.with_name(stem + s) for s in DOCUMENT_SUFFIXES if truth.with_name(stem + s).exists()), None)
        data = json.loads(truth.read_text(encoding="utf-8")) if source else None
        if isinstance(data, dict) and "pages" in data:
            samples.append(_generated_sample(root, source, data))
    return samples


def _generated_sample(root: Path, source: Path, data: dict) -> Sample:
    pages = tuple(
        TruthPage(
            number,
            tuple(TruthLine(tuple(map(tuple, l["polygon"])), l["text"], ignore=l.get("kind") is not None)
                  for l in page.get("lines", [])),
            (page["width"], page["height"]) if "width" in page and "height" in page else None,
        )
        for number, page in enumerate(data["pages"], start=1)
    )
    name = str(source.relative_to(root).with_suffix(""))
    items = data.get("line_items")
    return Sample(name, source, data.get("doc_type"), pages, dict(data.get("fields", {})),
                  line_items=None if items is None else tuple(dict(row) for row in items))


def read_icdar(root: Path) -> list[Sample]:
    """Images with an ICDAR-style line file beside them (``gt_<stem>.txt`` or ``<stem>.txt``)."""
    samples = []
    for image in sorted(p for p in root.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES):
        gt = next((g for g in (image.with_name(f"gt_{image.stem}.txt"), image.with_suffix(".txt")) if g.exists()), None)
        if gt:
            page = TruthPage(1, read_quad_file(gt), _image_size(image))
            samples.append(Sample(str(image.relative_to(root).with_suffix("")), image, None, (page,), None))
    return samples


def _image_size(path: Path) -> tuple[int, int]:
    with Image.open(path) as image:
        return image.size
