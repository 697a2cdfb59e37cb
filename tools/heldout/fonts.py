"""Font lookup for the held-out family, independent of ``tools.docgen.fonts``.

Faces are named by a short key (``ming``, ``kai``, ``zenhei``, ``sansbold``, ``serifbold``,
``latin``, ``microhei``). Each is looked up at its usual Debian path, then by family name in
``fc-list``. A document picks its faces per role with ``Palette``; a face that is not installed
falls back to the next one in ``FALLBACK``, so documents render (with other metrics) on any
machine that has at least one CJK font.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

from PIL import ImageFont

# key -> (family as fc-list names it, usual path, index in the collection)
FACES = {
    "ming": ("AR PL UMing CN", "/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    "kai": ("AR PL UKai CN", "/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
    "zenhei": ("WenQuanYi Zen Hei", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    "sansbold": ("Noto Sans CJK SC Bold", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
    "serifbold": ("Noto Serif CJK SC Bold", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2),
    "latin": ("DejaVu Sans Mono Bold", "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf", 0),
    "microhei": ("WenQuanYi Micro Hei", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
}
FALLBACK = ("zenhei", "ming", "sansbold", "kai", "serifbold", "microhei")
LATIN_ONLY = frozenset({"latin"})
INSTALL_HINT = ("no CJK font found: apt-get install -y fonts-arphic-ukai fonts-arphic-uming "
                "fonts-wqy-zenhei fonts-noto-cjk")


class NoFont(RuntimeError):
    """No CJK face is installed."""


@functools.cache
def _fc_faces() -> dict[str, tuple[str, int]]:
    """``"family style"`` and ``"family"`` → (path, index), from fc-list (empty without it)."""
    if not shutil.which("fc-list"):
        return {}
    out = subprocess.run(["fc-list", "-f", "%{file}|%{index}|%{family[0]}|%{style[0]}\\n"],
                         capture_output=True, text=True, check=False).stdout
    faces: dict[str, tuple[str, int]] = {}
    for row in sorted(out.splitlines()):
        parts = row.split("|")
        if len(parts) == 4 and parts[1].isdigit():
            faces.setdefault(f"{parts[2]} {parts[3]}", (parts[0], int(parts[1])))
            faces.setdefault(parts[2], (parts[0], int(parts[1])))
    return faces


@functools.cache
def locate(key: str) -> tuple[str, int] | None:
    """(path, index) of face ``key`` if installed, else None."""
    family, path, index = FACES[key]
    if Path(path).is_file():
        return path, index
    return _fc_faces().get(family)


@functools.cache
def resolve(key: str) -> str:
    """The installed face to use for ``key``: itself, or the first installed fallback."""
    if locate(key):
        return key
    if key in LATIN_ONLY:
        return resolve("zenhei")
    for other in FALLBACK:
        if locate(other):
            return other
    raise NoFont(INSTALL_HINT)


def available() -> bool:
    """True when some CJK face is installed."""
    return any(locate(k) for k in FALLBACK)


@functools.cache
def load(key: str, size: int) -> ImageFont.FreeTypeFont:
    """Face ``key`` (or its fallback) at ``size`` pixels."""
    path, index = locate(resolve(key))
    return ImageFont.truetype(path, size, index=index)


class Palette:
    """The faces one document uses per role (``head``, ``body``, ``value``, ``glyph``, ``num``),
    chosen by the caller; records which installed families were actually drawn with."""

    def __init__(self, roles: dict[str, str]):
        self.roles = dict(roles)
        self.used: set[str] = set()

    def font(self, role: str, size: int) -> ImageFont.FreeTypeFont:
        key = resolve(self.roles[role])
        self.used.add(FACES[key][0])
        return load(key, int(size))

    def families(self) -> list[str]:
        return sorted(self.used)
