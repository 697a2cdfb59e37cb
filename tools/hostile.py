"""A corpus of hostile and broken uploads, each with the outcome billflow must give it.

``python -m tools.hostile OUT [--max-pages N]`` writes one file per case into ``OUT`` and
``OUT/manifest.json``: a list of ``{"file", "name", "expect", "reason"}`` where ``file`` is the
file in ``OUT``, ``name`` the client's file name to upload it under (may hold ``../``, non-UTF-8
bytes as surrogate escapes, or 300 characters), ``expect`` is ``failed`` or ``processed``
(done or needs_review) and ``reason`` a fragment of the one-line reason of a failure.
Everything is made here, with Pillow and by hand; nothing is downloaded.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import struct
import zipfile
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path

from PIL import Image, ImageDraw

PDF_PASSWORD_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
PDF_PERMISSIONS = -44
USER_PASSWORD = b"secret"
BOMB_SIDE = 40_000  # 1.6 gigapixels: Pillow's own decompression-bomb guard refuses it
OVERSIZE_SIDE = 9_000  # 81 megapixels: over billflow's default page limit, under Pillow's guard
STRIP_LENGTH = 50_000  # a 1-pixel strip this long: valid, far under every limit, shrinks to nothing


@dataclass(frozen=True)
class Case:
    file: str
    name: str
    expect: str
    reason: str
    data: bytes


def corpus(max_pages: int = 200) -> list[Case]:
    """Every case; ``max_pages`` is the page limit the TIFF must exceed."""
    failed = [
        ("empty.pdf", b"", "empty file"),
        ("truncated.pdf", _truncated_pdf(), "broken PDF: damaged or cut short"),
        ("encrypted.pdf", encrypted_pdf(), "encrypted PDF"),
        ("no-pages.pdf", _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]), "no pages"),
        ("huge-page.pdf", text_pdf(media_box=(100_000, 100_000)), "pixels, more than the limit"),
        ("bomb.png", _blank_png(BOMB_SIDE), "image too large"),
        ("oversized.png", _blank_png(OVERSIZE_SIDE), "pixels, more than the limit"),
        ("html.pdf", b"<!DOCTYPE html><html><body>invoice</body></html>", "HTML"),
        ("letter.docx", _docx(), "ZIP archive"),
        ("many-pages.tiff", _tiff(max_pages + 1), f"{max_pages + 1} pages, more than the limit of {max_pages}"),
        ("not-a-jpeg.jpg", b"\xff\xd8\xff" + bytes(64), "unreadable JPEG image"),
        ("cut-short.png", _encode(_label("CUT 4", "RGB"), "PNG")[:300], "broken PNG image"),
    ]
    processed = [
        ("one-pixel.png", "one-pixel.png", _encode(Image.new("RGB", (1, 1), "white"), "PNG")),
        ("cmyk.jpg", "cmyk.jpg", _encode(_label("CMYK 4711", "RGB").convert("CMYK"), "JPEG")),
        ("grey16.png", "grey16.png", _encode(_label("GREY 16 BIT", "I;16"), "PNG")),
        ("rgb16.png", "rgb16.png", _rgb16_png(8, 8)),
        ("animated.gif", "animated.gif", _gif()),
        ("dotdot.png", "../../escape/evil.png", _encode(_label("DOTDOT 1", "RGB"), "PNG")),
        ("non-utf8.png", "scan-\udcff\udcfe.png", _encode(_label("BYTES 2", "RGB"), "PNG")),
        ("long-name.png", "n" * 296 + ".png", _encode(_label("LONG 3", "RGB"), "PNG")),
        ("strip-tall.png", "strip-tall.png", _encode(Image.new("L", (1, STRIP_LENGTH), 255), "PNG")),
        ("strip-wide.png", "strip-wide.png", _encode(Image.new("L", (STRIP_LENGTH, 1), 0), "PNG")),
    ]
    return ([Case(f, f, "failed", r, d) for f, d, r in failed]
            + [Case(f, n, "processed", "", d) for f, n, d in processed])


def write(folder: Path, max_pages: int = 200) -> list[Case]:
    """Write every case and the manifest into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    cases = corpus(max_pages)
    for case in cases:
        (folder / case.file).write_bytes(case.data)
    manifest = [{k: v for k, v in asdict(c).items() if k != "data"} for c in cases]
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return cases


def _encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def _label(text: str, mode: str) -> Image.Image:
    """A small page with ``text`` in Pillow's default font, in ``mode``."""
    image = Image.new("L", (360, 80), 255)
    ImageDraw.Draw(image).text((12, 20), text, fill=0, font_size=32)
    if mode == "I;16":
        return Image.frombytes("I;16", image.size, bytes(b for v in image.tobytes() for b in (v, v)))
    return image.convert(mode)


def _gif() -> bytes:
    frames = [_label(f"FRAME {i}", "RGB").convert("P") for i in range(3)]
    return _encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)


def _tiff(pages: int) -> bytes:
    frames = [Image.new("L", (4, 4), i % 256) for i in range(pages)]
    return _encode(frames[0], "TIFF", save_all=True, append_images=frames[1:])


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><document>invoice</document>')
    return buffer.getvalue()


def _png(width: int, height: int, depth: int, colour: int, rows: list[bytes]) -> bytes:
    """A PNG written by hand: ``rows`` (each prefixed by filter 0 here) repeat to ``height``."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    packer = zlib.compressobj(9)
    block = b"".join(b"\x00" + row for row in rows)
    idat = b"".join(packer.compress(block) for _ in range(height // len(rows))) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _blank_png(side: int) -> bytes:
    """A real, valid 1-bit white square of ``side`` pixels that compresses to a few hundred KB."""
    rows = [b"\xff" * ((side + 7) // 8)] * 1000
    return _png(side, side, 1, 0, rows)


def _rgb16_png(width: int, height: int) -> bytes:
    """A 48-bit (16 bits per channel) RGB PNG, which Pillow cannot write itself."""
    return _png(width, height, 16, 2, [b"\xff\xff\x80\x00\x00\x00" * width])


def _pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF from numbered object bodies (object 1 is the catalog) with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, start)
    return bytes(out)


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data)


def text_pdf(media_box: tuple[int, int] = (595, 842), content: bytes = b"BT /F1 24 Tf 72 720 Td (INVOICE 42) Tj ET",
             trailer: bytes = b"", extra: tuple[bytes, ...] = ()) -> bytes:
    """A one-page PDF showing a line of Helvetica text."""
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>" % media_box,
        _stream(content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *extra,
    ], trailer)


def _truncated_pdf() -> bytes:
    pages = [Image.new("RGB", (300, 200), (i * 80, 40, 40)) for i in range(3)]
    data = _encode(pages[0], "PDF", save_all=True, append_images=pages[1:], resolution=100)
    return data[: len(data) // 2]


def _rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def _padded(password: bytes) -> bytes:
    return (password + PDF_PASSWORD_PAD)[:32]


def encrypted_pdf(user_password: bytes = USER_PASSWORD, owner_password: bytes = b"owner") -> bytes:
    """A one-page PDF encrypted with the standard security handler (revision 2, 40-bit RC4):
    it opens only with ``user_password`` (PDF 1.7 §7.6.3, algorithms 2, 3 and 4)."""
    owner = _rc4(hashlib.md5(_padded(owner_password)).digest()[:5], _padded(user_password))
    file_id = hashlib.md5(b"billflow hostile corpus").digest()
    key = hashlib.md5(_padded(user_password) + owner + struct.pack("<i", PDF_PERMISSIONS) + file_id).digest()[:5]
    user = _rc4(key, PDF_PASSWORD_PAD)
    content_key = hashlib.md5(key + (4).to_bytes(3, "little") + (0).to_bytes(2, "little")).digest()[:10]
    content = _rc4(content_key, b"BT /F1 24 Tf 72 720 Td (SECRET 7) Tj ET")
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (
        owner.hex().encode(), user.hex().encode(), PDF_PERMISSIONS)
    trailer = b"/Encrypt 6 0 R /ID [<%s> <%s>] " % (file_id.hex().encode(), file_id.hex().encode())
    return text_pdf(content=content, trailer=trailer, extra=(encrypt,))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the files and manifest.json into")
    parser.add_argument("--max-pages", type=int, default=200, help="the page limit the TIFF case must exceed")
    args = parser.parse_args()
    cases = write(args.out, args.max_pages)
    print(f"{len(cases)} cases written to {args.out}")


if __name__ == "__main__":
    main()
