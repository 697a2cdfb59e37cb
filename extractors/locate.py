"""Finding values on a page: fuzzy anchor labels, then the text beside or below them."""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from extractors.fields.text import tagged_as_name
from extractors.lines import OcrLine, box_polygon, normalize_text
from extractors.repair import repair_latin

FUZZY_MIN_LEN = 6
MIN_ANCHOR_SCORE = 88.0
_CJK = re.compile(r"[\u3400-\u9fff]")
ANYWHERE_SCORE = 0.8
HEADER_LINES = 10
HEADER_GUESS_SCORE = 0.6
HEADER_GUESS_ROWS = 6
ABOVE_HEAD_COST = 2.0
ABOVE_HEAD_REACH = 3.0  # label heights above a big glyph (收 beside its block's middle) still in its block
TEXT_HEAD_REACH = 0.5  # … above a label of text size (a 寄 tab at its block's top)
TEXT_SIZED = 1.2  # a label at most this many median line heights tall is of text size
PROSE_MIN_LEN = 14
BESIDE_REACH = 1.2
VERTICAL_RATIO = 1.5
STACK_MAX_WIDTH = 1.5  # widest box, in characters (its narrow side), that stacks into a vertical word
SPREAD_GAP = 1.5  # characters between the pieces of a side label spread over a table's rows
_PROSE_PUNCT = re.compile(r"[\u3400-\u9fff][,。;][\u3400-\u9fff]")
SECTION_SCORE = 0.85
_SEPARATORS = " :;,.|/-_()[]"


@dataclass(frozen=True)
class Line:
    """An OCR line with its normalized text and its index in reading order."""

    index: int
    ocr: OcrLine
    text: str

    @property
    def page(self) -> int:
        return self.ocr.page


@dataclass(frozen=True)
class Anchor:
    line: Line
    label: str
    start: int
    end: int
    score: float  # 0..1


@dataclass(frozen=True)
class Candidate:
    """A piece of text that may hold a field's value, with where it came from."""

    text: str
    lines: tuple[Line, ...]
    offset: int  # where ``text`` starts inside the first line's text
    anchor_score: float
    how: str
    label: Line | None = None  # the anchor's line, for values found beside or below it
    prominence: float = 0.0  # how much taller than the page's usual text (header guesses)


def prepare_lines(lines: list[OcrLine]) -> list[Line]:
    """Normalized lines in reading order: page, then rows top to bottom, then left to right.

    A line joins the row above when its centre lies within half a line height of that row's
    first line (measured along the text, so slightly skewed pages still group correctly).
    """
    ordered = []
    for page in sorted({l.page for l in lines}):
        rows: list[list[OcrLine]] = []
        for line in sorted((l for l in lines if l.page == page), key=lambda l: l.center[1]):
            if rows and same_row(rows[-1][0], line, 0.5):
                rows[-1].append(line)
            else:
                rows.append([line])
        ordered.extend(l for row in rows for l in sorted(row, key=lambda l: l.bbox[0]))
    return [Line(i, l, normalize_text(l.text)) for i, l in enumerate(ordered)]


@lru_cache(maxsize=1 << 16)  # pure, and asked for the same pairs by many fields and templates
def find_label(label: str, text: str) -> tuple[float, int, int] | None:
    """Where ``label`` occurs in ``text``: (score 0..1, start, end), ignoring spaces and width.

    Chinese labels match exactly: receiver and sender labels differ by one character (收/寄),
    so fuzzy matching would confuse them; a one-character label must be the whole line. Latin labels match case-insensitively, and labels of
    6+ letters fuzzily; digits read inside Latin words are read as letters first (T0TAL, Tota1).
    """
    if _probe(label) not in text:
        return None  # most lines of a page hold no given Chinese label: spare squeezing them
    key = _label_key(label)
    squeezed, origin = _squeeze(repair_latin(text) if key.isascii() else text)
    if not key or not squeezed:
        return None
    if len(key) == 1:  # a one-character label (the 收 / 寄 block of a waybill) is the whole line
        return (1.0, origin[0], origin[-1] + 1) if squeezed == key else None
    if _CJK.search(key) or len(key) < FUZZY_MIN_LEN:
        at = squeezed.lower().find(key.lower())
        return (1.0, origin[at], origin[at + len(key) - 1] + 1) if at >= 0 else None
    if len(squeezed) < len(key) - 1:
        return None  # partial_ratio would align the label's part with the whole short text
    hit = fuzz.partial_ratio_alignment(key.lower(), squeezed.lower())
    matched = squeezed[hit.dest_start : hit.dest_end] if hit else ""
    if hit is None or hit.score < MIN_ANCHOR_SCORE or sum(ch.isalnum() for ch in matched) < len(key) - 1:
        return None  # punctuation does not stand in for a letter: "Total:" is no "TOTAL NO"
    return hit.score / 100, origin[hit.dest_start], origin[hit.dest_end - 1] + 1


@lru_cache(maxsize=4096)
def _label_key(label: str) -> str:
    return normalize_text(label).replace(" ", "")


@lru_cache(maxsize=4096)
def _probe(label: str) -> str:
    """A character every text holding the label holds: its first Chinese one ("" for a Latin
    label, which OCR may misspell)."""
    cjk = _CJK.search(_label_key(label))
    return cjk.group() if cjk else ""


def _squeeze(text: str) -> tuple[str, list[int]]:
    """``text`` without spaces, and each kept character's index in ``text``."""
    kept = [(i, ch) for i, ch in enumerate(text) if not ch.isspace()]
    return "".join(ch for _, ch in kept), [i for i, _ in kept]


def find_anchors(labels: tuple[str, ...], lines: list[Line], exclude: tuple[str, ...] = (),
                 last_first: bool = False) -> list[Anchor]:
    """Hits of the labels: earlier pages first, then the most specific label first (the order
    the template lists them), then reading order (reversed with ``last_first``: the final
    TOTAL of a receipt). Lines holding an ``exclude`` label, and prose (a waybill's terms:
    "…运输合同，寄件人已阅读…"), are skipped."""
    eligible = [l for l in (reversed(lines) if last_first else lines)
                if not is_prose(l.text) and not any(_probe(x) in l.text and find_label(x, l.text) for x in exclude)]
    anchors = []
    for label in labels:
        probe = _probe(label)
        for line in eligible:
            if probe in line.text and (found := find_label(label, line.text)):
                anchors.append(Anchor(line, label, found[1], found[2], found[0]))
    return sorted(anchors, key=lambda a: a.line.page)


def is_prose(text: str) -> bool:
    """A Chinese sentence rather than a label and value: long, with a comma or full stop
    between Chinese characters."""
    return len(text) >= PROSE_MIN_LEN and bool(_PROSE_PUNCT.search(text))


def same_row(a: OcrLine, b: OcrLine, tolerance: float = 0.6) -> bool:
    """True when the two lines sit on one text row (centres within ``tolerance`` line heights)."""
    return a.page == b.page and abs(a.center[1] - b.center[1]) < tolerance * max(a.height, b.height, 1)


def candidates(anchor: Anchor, where: tuple[str, ...], lines: list[Line],
               stop_labels: tuple[str, ...] = ()) -> Iterator[Candidate]:
    """Texts near ``anchor`` in the order the template's ``where`` asks for; text after the
    label on the same line ends where another field's label (``stop_labels``) begins."""
    line = anchor.line
    for how in where:
        if how == "same_line":
            rest = line.text[anchor.end :]
            stripped = rest.lstrip(_SEPARATORS + "：")
            stripped = _until_label(stripped, stop_labels)
            if stripped:
                yield Candidate(stripped, (line,), anchor.end + len(rest) - len(stripped), anchor.score, how)
        elif how == "right":
            row, cell = _right_of(line, lines)
            for other in row:
                yield Candidate(other.text, (other,), 0, anchor.score * 0.95, "right", line)
            for other in cell:
                yield Candidate(other.text, (other,), 0, anchor.score * 0.9, "beside", line)
        elif how == "row":
            row = sorted((o for o in lines if o is not line and same_row(line.ocr, o.ocr)
                          and o.ocr.bbox[0] >= line.ocr.bbox[2] - 0.5 * line.ocr.height), key=lambda o: o.ocr.bbox[0])
            if row:
                text = " ".join([line.text[anchor.end :]] + [o.text for o in row]).strip()
                yield Candidate(text, tuple(row), 0, anchor.score * 0.95, how, line)
        elif how == "below":
            for other in _below(line, lines):
                yield Candidate(other.text, (other,), 0, anchor.score * 0.9, how, line)


def _until_label(text: str, labels: tuple[str, ...]) -> str:
    """``text`` up to the first of ``labels`` found after its first character."""
    cut = len(text)
    for label in labels:
        at = text.find(label, 1)
        if at > 0:
            cut = min(cut, at)
    return text[:cut]


def section_lines(lines: list[Line], heads: tuple[str, ...]) -> Iterator[Candidate]:
    """Each line of the (already section-scoped) ``lines`` that is not a section label itself:
    for blocks whose values carry no labels (a 收 block: name and phone, then the address)."""
    for line in lines:
        if not any(find_label(h, line.text) for h in heads):
            if _marked_name(line.text, heads):  # 收杨海杰: the block's mark read onto its first value
                rest = line.text[1:].lstrip(_SEPARATORS + "：")
                yield Candidate(rest, (line,), len(line.text) - len(rest), SECTION_SCORE, "section")
            yield Candidate(line.text, (line,), 0, SECTION_SCORE, "section")


def anywhere(lines: list[Line]) -> Iterator[Candidate]:
    for line in lines:
        yield Candidate(line.text, (line,), 0, ANYWHERE_SCORE, "anywhere")


def header(lines: list[Line], words: tuple[str, ...], skip: str | None) -> Iterator[Candidate]:
    """The name block at the top of the first page: the first row holding one of ``words``,
    joined with the row before or after when the name wraps there (a row that starts with one of
    ``words`` such as "SDN BHD", or a break at '&'); else (``header_guess``, less sure) each
    top row that looks like a name, in reading order, with its ``prominence``."""
    rows = _rows([l for l in lines if l.page == lines[0].page][:HEADER_LINES]) if lines else []
    rows = [r for r in rows if not (skip and re.search(skip, _row_text(r)))]
    for i, row in enumerate(rows):
        hits = [found for word in words if (found := find_label(word, _row_text(row)))]
        if hits:
            block = [row]
            if i > 0 and (min(h[1] for h in hits) == 0 or _row_text(rows[i - 1]).endswith("&")):
                block.insert(0, rows[i - 1])
            if i + 1 < len(rows) and (_row_text(row).endswith("&") or _starts_with_any(rows[i + 1], words)):
                block.append(rows[i + 1])
            chosen = tuple(l for r in block for l in r)
            yield Candidate(" ".join(_row_text(r) for r in block), chosen, 0, 1.0, "header")
            return
    usual = statistics.median(l.ocr.height for l in lines if l.page == lines[0].page) if lines else 1.0
    for row in [r for r in rows[:HEADER_GUESS_ROWS] if _name_like(_row_text(r))]:
        yield Candidate(_row_text(row), row, 0, HEADER_GUESS_SCORE, "header_guess",
                        prominence=round(_row_height(row) / max(usual, 1.0), 3))


_NOT_A_NAME = re.compile(r"^\W*\d|\d{3}\W?\d{4}|\d{1,2}[/.:-]\d{1,2}|www\.|@|\.com\b", re.IGNORECASE)


def _name_like(text: str) -> bool:
    """A row that may be a business name: three letters or more, and not an address line
    starting with a number, a phone, a date or time, or a web/mail address."""
    return len(re.findall(r"[^\W\d_]", text)) >= 3 and not _NOT_A_NAME.search(text)


def _row_height(row: tuple[Line, ...]) -> float:
    return max(l.ocr.height for l in row)


def _rows(lines: list[Line]) -> list[tuple[Line, ...]]:
    """Consecutive reading-order lines grouped into rows."""
    rows: list[list[Line]] = []
    for line in lines:
        if rows and same_row(rows[-1][0].ocr, line.ocr):
            rows[-1].append(line)
        else:
            rows.append([line])
    return [tuple(sorted(r, key=lambda l: l.ocr.bbox[0])) for r in rows]


def _row_text(row: tuple[Line, ...]) -> str:
    return " ".join(l.text for l in row)


def _starts_with_any(row: tuple[Line, ...], words: tuple[str, ...]) -> bool:
    return any((found := find_label(word, _row_text(row))) and found[1] == 0 for word in words)


def following(lines: list[Line], after: tuple[int, ...], skip: str | None, stop: str | None,
              max_lines: int) -> Iterator[Candidate]:
    """Up to ``max_lines`` lines right after the lines ``after`` (indices), skipping ``skip``
    lines and ending before a ``stop`` line, joined with spaces."""
    taken = []
    for line in (l for l in lines if l.index > max(after)):
        if stop and re.search(stop, line.text):
            break
        if skip and re.search(skip, line.text):
            continue
        taken.append(line)
        if len(taken) == max_lines:
            break
    if taken:
        yield Candidate(" ".join(l.text for l in taken), tuple(taken), 0, 1.0, "after_field")


def column_above(lines: list[Line], below: tuple[int, ...], separator: str) -> Iterator[Candidate]:
    """The lines above the lines ``below`` (indices) whose right edges line up with theirs
    (within 1.5 line heights: a right-aligned price column), top to bottom, joined with
    ``separator``: the prices printed above a receipt's total."""
    under = [l for l in lines if l.index in below]
    if not under:
        return
    right = max(l.ocr.bbox[2] for l in under)
    top = min(l.ocr.bbox[1] for l in under)
    reach = 1.5 * max(l.ocr.bbox[3] - l.ocr.bbox[1] for l in under)
    column = sorted((l for l in lines if l.index not in below and (l.ocr.bbox[1] + l.ocr.bbox[3]) / 2 < top
                     and abs(l.ocr.bbox[2] - right) <= reach), key=lambda l: l.ocr.bbox[1])
    if column:
        yield Candidate(separator.join(l.text for l in column), tuple(column), 0, 1.0, "column_above")


def _right_of(line: Line, lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """Lines to the right on the label's row (nearest first), then those in its cell (a
    two-line value beside a label centred on it; top first)."""
    x1, h = line.ocr.bbox[2], line.ocr.height
    right = [o for o in lines if o is not line and o.page == line.page and o.ocr.bbox[0] >= x1 - h
             and o.ocr.center[0] > x1 and not _vertical(o.ocr)]
    row = sorted((o for o in right if same_row(line.ocr, o.ocr)), key=lambda o: o.ocr.bbox[0])[:2]
    cell = sorted((o for o in right if o not in row and _beside(line.ocr, o.ocr)),
                  key=lambda o: (round(o.ocr.bbox[0] / max(h, 1)), o.ocr.bbox[1]))[:2]
    return row, cell


def vertical_words(lines: list[Line]) -> list[Line]:
    """Words set top to bottom (a form's 出票人 / 收件人 side label) that the detector cut into
    pieces: runs of Chinese-only boxes, each at most ``STACK_MAX_WIDTH`` characters wide, standing
    in one column with less than a character's height between them. Each run becomes one Line
    (text top to bottom, the pieces' box); single boxes are left alone."""
    pieces = sorted((l for l in lines if _stackable(l)), key=lambda l: (l.page, l.ocr.bbox[1]))
    runs: list[list[Line]] = []
    for piece in pieces:
        run = next((r for r in runs if _stacks_under(r[-1], piece)), None)
        if run:
            run.append(piece)
        else:
            runs.append([piece])
    return [_joined(run) for run in runs if len(run) > 1]


def stacked_labels(lines: list[Line], labels: tuple[str, ...]) -> list[Line]:
    """``labels`` set top to bottom and spread over a table's rows (出 on the 账号 row, 票人 on
    the 开户银行 row): runs of Chinese pieces in one column, each a part of the label, with up
    to ``SPREAD_GAP`` characters between them, that spell one of ``labels`` exactly (any other
    run is left alone). Each becomes one Line, as ``vertical_words`` makes them."""
    keys = {key for key in map(_label_key, labels) if len(key) > 1 and _CJK.search(key)}
    pieces = sorted((l for l in lines if _piece_of(l.text.replace(" ", ""), keys)),
                    key=lambda l: (l.page, l.ocr.bbox[1]))
    found = []
    for start in pieces:
        run, text = [start], start.text.replace(" ", "")
        while text not in keys:
            nxt = next((p for p in pieces if _stacks_under(run[-1], p, SPREAD_GAP)
                        and _piece_of(text + p.text.replace(" ", ""), keys, prefix=True)), None)
            if nxt is None:
                break
            run.append(nxt)
            text += nxt.text.replace(" ", "")
        if len(run) > 1 and text in keys:
            found.append(_joined(run))
    return found


def _piece_of(text: str, keys: set[str], prefix: bool = False) -> bool:
    """``text`` is Chinese and part (with ``prefix``: the start) of one of ``keys``."""
    return bool(text) and all(_CJK.match(ch) for ch in text) and any(
        key.startswith(text) if prefix else text in key for key in keys)


def _stackable(line: Line) -> bool:
    x0, y0, x1, y1 = line.ocr.bbox
    text = line.text.replace(" ", "")
    return bool(text) and all(_CJK.match(ch) for ch in text) and x1 - x0 <= STACK_MAX_WIDTH * min(x1 - x0, y1 - y0)


def _stacks_under(upper: Line, lower: Line, reach: float = 1.0) -> bool:
    """``lower`` continues ``upper``'s column: same page, centres within half a box width
    across, less than ``reach`` characters (the narrow side of a box) between them or overlapping."""
    (ux0, uy0, ux1, uy1), (lx0, ly0, lx1, ly1) = upper.ocr.bbox, lower.ocr.bbox
    char = min(ux1 - ux0, uy1 - uy0, lx1 - lx0, ly1 - ly0)
    return (upper.page == lower.page and abs((ux0 + ux1) - (lx0 + lx1)) / 2 < 0.5 * min(ux1 - ux0, lx1 - lx0)
            and -char < ly0 - uy1 < reach * char)


def _joined(run: list[Line]) -> Line:
    x0, y0 = min(l.ocr.bbox[0] for l in run), min(l.ocr.bbox[1] for l in run)
    x1, y1 = max(l.ocr.bbox[2] for l in run), max(l.ocr.bbox[3] for l in run)
    text = "".join(l.text.replace(" ", "") for l in run)
    ocr = OcrLine(text, min(l.ocr.score for l in run), box_polygon(x0, y0, x1, y1), run[0].page)
    return Line(run[0].index, ocr, text)


def _vertical(line: OcrLine) -> bool:
    """Text set top to bottom (a side note such as 本支票付款期限十天), never a value beside a label."""
    x0, y0, x1, y1 = line.bbox
    return y1 - y0 > VERTICAL_RATIO * (x1 - x0) and len(line.text) >= 2


def _beside(label: OcrLine, other: OcrLine) -> bool:
    """``other``'s centre is within 1.2 line heights of the label's: one line of a value
    spanning two lines beside a label centred on the pair."""
    return abs(label.center[1] - other.center[1]) < BESIDE_REACH * max(label.height, other.height)


def _below(line: Line, lines: list[Line]) -> list[Line]:
    x0, _, x1, y1 = line.ocr.bbox
    h = max(line.ocr.height, 1)
    below = [
        o for o in lines
        if o.page == line.page and o.ocr.bbox[1] >= y1 - 0.3 * h and o.ocr.bbox[1] - y1 < 2.5 * h
        and o.ocr.bbox[0] < x1 and o.ocr.bbox[2] > x0 - h
    ]
    return sorted(below, key=lambda o: o.ocr.bbox[1])[:2]


_LABELLED_LINE = re.compile(r"[\u3400-\u9fff]{1,6}\s*[:：]")  # 数量：1件 — a field of its own, no address line


def continuation_lines(first: Line, lines: list[Line], stop_labels: tuple[str, ...],
                       label: Line | None = None, marks: tuple[str, ...] = ()) -> list[Line]:
    """Lines right below ``first`` that continue its text (a multi-line address); a line with
    something on its left other than the value's own ``label`` starts a new field, as does one
    beside a block's one-character mark that starts below the text so far (``marks``: the 寄
    of the next block, not the 收 beside this one), and a lone
    character continues it only right under its start (楼 wrapped, not 人 of a vertical 收件人
    beside it)."""
    taken, current = [], first
    while True:
        x0 = current.ocr.bbox[0]
        h = max(current.ocr.height, 1)
        nxt = [
            o for o in lines
            if o.index > current.index and o.page == current.page and not same_row(o.ocr, current.ocr)
            and -0.3 * h <= o.ocr.bbox[1] - current.ocr.bbox[3] < 1.2 * h  # boxes of wrapped lines may overlap
            and abs(o.ocr.bbox[0] - x0) < (3 * h if len(o.text.replace(" ", "")) > 1 else 0.5 * h)
        ]
        if not nxt:
            return taken
        line = min(nxt, key=lambda o: o.ocr.bbox[1])
        if (_has_left_neighbour(line, [l for l in lines if l is not label]) or _LABELLED_LINE.match(line.text)
                or any(o.text in marks and o.ocr.bbox[1] >= current.ocr.bbox[3] and same_row(o.ocr, line.ocr)
                       and o.ocr.bbox[2] <= line.ocr.bbox[0] + 2 for o in lines)
                or any(find_label(label, line.text) for label in stop_labels) or re.search(r"\d{7,}", line.text)):
            return taken
        taken.append(line)
        current = line


LABEL_REACH = 10  # line heights between a label cell and its value, at most


def _has_left_neighbour(line: Line, lines: list[Line]) -> bool:
    """True when a label-sized text sits left of ``line`` in its row, within ``LABEL_REACH`` line
    heights (a label cell: a new field; farther off, another part of the form: a cheque's body
    beside its stub). A single character there (人 of a vertical 收件人) is a block label."""
    reach = LABEL_REACH * max(line.ocr.height, 1)
    return any(o is not line and same_row(o.ocr, line.ocr) and line.ocr.bbox[0] - reach < o.ocr.bbox[2] <= line.ocr.bbox[0] + 2
               and len(o.text.replace(" ", "")) > 1 for o in lines)


def sub_bbox(line: Line, start: int, end: int) -> list[float]:
    """The part of the line's box holding characters ``start:end`` (proportional to length)."""
    x0, y0, x1, y1 = line.ocr.bbox
    n = max(len(line.text), 1)
    return [round(x0 + (x1 - x0) * start / n, 1), y0, round(x0 + (x1 - x0) * min(end, n) / n, 1), y1]


def assign_sections(lines: list[Line], sections: dict[str, tuple[str, ...]],
                    others: dict[str, tuple[str, ...]] | None = None) -> dict[int, set[str]]:
    """Line index → the sections whose label is nearest to it on its page. A line holding one
    of a section's ``others`` (labels of fields outside it that contain its label: 寄件时间 for
    寄件) heads no block.

    Distance is the vertical gap (doubled for lines above the label: blocks run downwards,
    but a side label such as a big 收 sits mid-block, and never more than three label heights
    above it) plus half the horizontal offset. A line
    holding the labels of two sections ("收款人：… 出票人账号：…") belongs to both. A label set
    top to bottom heads its block too, cut into pieces (``vertical_words``) or spread over a
    table's rows (``stacked_labels``).
    """
    stacked = lines + vertical_words(lines)
    heads = [(name, hit.line) for name, labels in sections.items()
             for hit in find_anchors(labels, stacked + stacked_labels(lines, labels), (others or {}).get(name, ()))]
    heads += [(name, line) for name, labels in sections.items() for line in lines if _marked_name(line.text, labels)]
    assigned: dict[int, set[str]] = {}
    text_height = statistics.median(l.ocr.height for l in lines) if lines else 0.0
    for line in lines:
        distances = {}
        for name, head in heads:
            if head.page != line.page:
                continue
            dy = line.ocr.center[1] - head.ocr.center[1]
            reach = ABOVE_HEAD_REACH if head.ocr.height > TEXT_SIZED * text_height else TEXT_HEAD_REACH
            if dy < -reach * head.ocr.height:
                continue  # far above a label: not its block (a text-sized label starts its block)
            distance = (dy if dy >= 0 else ABOVE_HEAD_COST * -dy) + 0.5 * abs(line.ocr.bbox[0] - head.ocr.bbox[0])
            distances[name] = min(distance, distances.get(name, distance))
        if distances:
            best = min(distances.values())
            assigned[line.index] = {name for name, d in distances.items() if d <= best + 1}
    return assigned


def _marked_name(text: str, labels: tuple[str, ...]) -> bool:
    """True when ``text`` is a block's one-character mark read onto the person's name after it
    (收杨海杰, 寄：宗琦俊 138…): the mark heads the block as a label of its own would."""
    for mark in (l for l in labels if len(l) == 1 and text.startswith(l)):
        name = re.match(r"[\u3400-\u9fff]{2,4}(?![\u3400-\u9fff])", text[1:].lstrip(_SEPARATORS + "："))
        if name and tagged_as_name(name.group()):
            return True
    return False


PARTY_GAP = 1.5  # line heights between a party's lines
PARTY_LINES = 4


def parties(lines: list[Line]) -> list[tuple[Line, ...]]:
    """Blocks of one page's lines that each hold one party (a name, a phone, an address) when
    no label or glyph marks them: every line holding a phone number, with the line right above
    it when that holds no phone (a name printed over its number) and the lines right below it
    (the address), up to ``PARTY_LINES``. Ordered as a thermal waybill prints them: the block
    in the largest print first (the receiver), then reading order."""
    with_phone = [l for l in lines if _holds_phone(l.text)]
    blocks = []
    for line in with_phone:
        block = [line]
        above = _nearest(line, lines, below=False)
        if above is not None and not _holds_phone(above.text):
            block.insert(0, above)
        current = line
        while len(block) < PARTY_LINES and (nxt := _nearest(current, lines, below=True)) is not None \
                and not _holds_phone(nxt.text):
            block.append(nxt)
            current = nxt
        blocks.append(tuple(block))
    return sorted(blocks, key=lambda b: (-round(max(l.ocr.height for l in b) / 4), b[0].index))


_PHONE = re.compile(r"1[3-9]\d[\d -]{7,10}\d|\d{3,4}-\d{7,8}")


def _holds_phone(text: str) -> bool:
    return _PHONE.search(text) is not None


def _nearest(line: Line, lines: list[Line], below: bool) -> Line | None:
    """The line right below (or above) ``line``, overlapping it across, within ``PARTY_GAP``
    line heights."""
    x0, y0, x1, y1 = line.ocr.bbox
    h = max(line.ocr.height, 1)
    near = [o for o in lines if o is not line and o.page == line.page and o.ocr.bbox[0] < x1 and o.ocr.bbox[2] > x0
            and (0 <= o.ocr.bbox[1] - y1 < PARTY_GAP * h if below else 0 <= y0 - o.ocr.bbox[3] < PARTY_GAP * h)]
    return min(near, key=lambda o: abs(o.ocr.center[1] - line.ocr.center[1]), default=None)


def party_lines(lines: list[Line], role: int, after_phone: bool = False) -> Iterator[Candidate]:
    """Each line of the ``role``-th party (0: the receiver's, 1: the sender's) of ``parties``;
    with ``after_phone`` only the lines below its phone's (where its address is)."""
    found = parties(lines)
    if role < len(found):
        block = found[role]
        start = next(i for i, l in enumerate(block) if _holds_phone(l.text)) + 1 if after_phone else 0
        if after_phone and (rest := _after_phone(block[start - 1].text)):  # name, phone, address on one line
            offset, text = rest
            yield Candidate(text, (block[start - 1],), offset, SECTION_SCORE, "party")
        for line in block[start:]:
            yield Candidate(line.text, (line,), 0, SECTION_SCORE, "party")


def _after_phone(text: str) -> tuple[int, str] | None:
    """(where it starts, the text) after the phone number on a line (an address printed after
    name and phone), or None when fewer than two Chinese characters follow it."""
    match = _PHONE.search(text)
    if match is None:
        return None
    junk = " ，,;；"
    rest = text[match.end():].lstrip(junk)
    start = len(text) - len(rest)
    rest = rest.rstrip(junk)
    return (start, rest) if len(_CJK.findall(rest)) >= 2 else None


def beside_vertical_label(lines: list[Line], labels: tuple[str, ...]) -> Iterator[Candidate]:
    """The lines of a box whose label is set top to bottom at its left (备注 printed one
    character a line): right of the label, ending below half a character above its top and
    starting above its middle (lower down a stamp's text overlaps the box), top first (``how``
    "boxed": a free text that may hold other fields' labels)."""
    stacked = vertical_words(lines) + [l for l in lines if _vertical(l.ocr)]
    for head in (w for w in stacked if any(find_label(label, w.text) for label in labels)):
        x0, y0, x1, y1 = head.ocr.bbox
        reach = 0.5 * (x1 - x0)
        inside = [l for l in lines if l.page == head.page and l.ocr.bbox[0] >= x1 - reach
                  and l.ocr.bbox[3] > y0 - reach and l.ocr.bbox[1] < (y0 + y1) / 2]
        for line in sorted(inside, key=lambda l: (l.ocr.bbox[1], l.ocr.bbox[0])):
            yield Candidate(line.text, (line,), 0, SECTION_SCORE, "boxed", head)
