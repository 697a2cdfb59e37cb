"""Locate CJK fonts (via ``fc-list`` or well-known Debian paths) and load them by role."""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

from PIL import ImageFont

# role -> preferred (family, style) in order; any CJK face is the last resort.
_PREFERRED = {
    "sans": [("Noto Sans CJK SC", "Regular"), ("WenQuanYi Micro Hei", "Regular")],
    "sansb": [("Noto Sans CJK SC", "Bold"), ("WenQuanYi Micro Hei", "Regular")],
    "serif": [("Noto Serif CJK SC", "Regular"), ("Noto Sans CJK SC", "Regular")],
    "serifb": [("Noto Serif CJK SC", "Bold"), ("Noto Sans CJK SC", "Bold")],
    "mono": [("Noto Sans Mono CJK SC", "Regular"), ("WenQuanYi Micro Hei Mono", "Regular")],
}
_KNOWN = [  # (path, index, family, style) used when fc-list is unavailable
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2, "Noto Sans CJK SC", "Regular"),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2, "Noto Sans CJK SC", "Bold"),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2, "Noto Serif CJK SC", "Regular"),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2, "Noto Serif CJK SC", "Bold"),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 7, "Noto Sans Mono CJK SC", "Regular"),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0, "WenQuanYi Micro Hei", "Regular"),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 1, "WenQuanYi Micro Hei Mono", "Regular"),
]
MISSING_MESSAGE = (
    "No CJK font found. Install one: apt-get update && apt-get install -y "
    "fonts-noto-cjk (or fonts-wqy-microhei)."
)


class FontNotFound(RuntimeError):
    """No font able to render Chinese is installed."""


def _fc_list() -> list[tuple[str, int, str, str]]:
    if not shutil.which("fc-list"):
        return []
    out = subprocess.run(
        ["fc-list", "-f", "%{file}|%{index}|%{family[0]}|%{style[0]}\\n", ":lang=zh"],
        capture_output=True, text=True, check=False,
    ).stdout
    faces = []
    for row in out.splitlines():
        parts = row.split("|")
        if len(parts) == 4 and parts[1].isdigit():
            faces.append((parts[0], int(parts[1]), parts[2], parts[3]))
    return faces


@functools.cache
def available_faces() -> tuple[tuple[str, int, str, str], ...]:
    """Installed CJK faces as ``(path, index, family, style)``; empty when there are none."""
    faces = _fc_list() or [f for f in _KNOWN if Path(f[0]).is_file()]
    return tuple(faces)


def has_cjk_font() -> bool:
    """True when at least one CJK face is installed."""
    return bool(available_faces())


@functools.cache
def face_for(role: str) -> tuple[str, int]:
    """``(path, index)`` of the best installed face for ``role``; raises FontNotFound."""
    faces = available_faces()
    if not faces:
        raise FontNotFound(MISSING_MESSAGE)
    by_name = {(fam, style): (path, idx) for path, idx, fam, style in faces}
    for key in _PREFERRED[role]:
        if key in by_name:
            return by_name[key]
    return faces[0][0], faces[0][1]


@functools.cache
def font(role: str, size: int) -> ImageFont.FreeTypeFont:
    """A loaded font for ``role`` (sans, sansb, serif, serifb, mono) at ``size`` pixels."""
    path, index = face_for(role)
    return ImageFont.truetype(path, size, index=index)
