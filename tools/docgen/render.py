"""Layouts as data: a layout is a page size, colours and a list of canvas operations whose
string arguments are templates filled from a document's printed values."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from PIL import Image

from .canvas import Canvas, Line

Op = tuple[str, tuple, dict]


def op(name: str, *args: Any, **kwargs: Any) -> Op:
    """A canvas call ``Canvas.<name>(*args, **kwargs)``; str arguments are templates."""
    return (name, args, kwargs)


@dataclass(frozen=True)
class Layout:
    """One document design.

    ``omit``: canonical fields this design does not print. ``misregister``: the largest
    offset, in pixels, of the filled-in values against the pre-printed form.
    """

    name: str
    doc_type: str
    size: tuple[int, int]
    ops: tuple[Op, ...]
    paper: str = "white"
    ink: str = "#111111"
    value_ink: str = "#111111"
    misregister: int = 0
    omit: frozenset[str] = field(default_factory=frozenset)
    meta: dict = field(default_factory=dict)


def _fill(arg: Any, values: dict[str, str]) -> Any:
    if isinstance(arg, str) and "{" in arg:
        return arg.format_map(values)
    return arg


def draw(layout: Layout, values: dict[str, str], rng: random.Random, canvas_type: type[Canvas] = Canvas) -> Canvas:
    """A ``canvas_type`` with ``layout`` drawn on it with ``values`` (stamps not yet inked)."""
    m = layout.misregister
    canvas = canvas_type(layout.size, rng, layout.paper, layout.ink, layout.value_ink,
                         (rng.randint(-m, m), rng.randint(-m, m)))
    for name, args, kwargs in layout.ops:
        getattr(canvas, name)(*(_fill(a, values) for a in args),
                              **{k: _fill(v, values) for k, v in kwargs.items()})
    return canvas


def render(layout: Layout, values: dict[str, str], rng: random.Random) -> tuple[Image.Image, list[Line]]:
    """Draw ``layout`` with ``values``; return the page and every text line drawn on it."""
    canvas = draw(layout, values, rng)
    return canvas.finish(), canvas.lines
