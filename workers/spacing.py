"""Putting back the spaces the recognizer drops between Latin words ("SOONHUATMACHINERY").

The CTC decoder says at which output column each character was read; between words the gap
is wider than between letters. A pure function of text and columns.
"""

from __future__ import annotations

import statistics

SPACE_GAP_FACTOR = 1.45
_LEFT = set(",;:)&")
_RIGHT = set("(&")


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def restore_spaces(text: str, columns: list[int], factor: float = SPACE_GAP_FACTOR) -> str:
    """``text`` with a space wherever two Latin characters were read unusually far apart.

    ``columns[i]`` is the decoder column of ``text[i]``; a gap of at least ``factor`` times the
    line's median gap (and at least one column more than it) between a letter/digit (or , ; : ) &)
    and a letter/digit (or ( &) becomes a space. Chinese text is left alone.
    """
    if len(columns) != len(text) or len(text) < 3:
        return text
    gaps = [b - a for a, b in zip(columns, columns[1:])]
    threshold = max(factor * statistics.median(gaps), statistics.median(gaps) + 1)
    out = [text[0]]
    for i in range(1, len(text)):
        left, right = text[i - 1], text[i]
        if (
            gaps[i - 1] >= threshold
            and (_latin(left) or left in _LEFT)
            and (_latin(right) or right in _RIGHT)
        ):
            out.append(" ")
        out.append(right)
    return "".join(out)
