"""Bytes of an uploaded file → RGB page images (PDF, PNG, JPEG, BMP, WebP, GIF, TIFF).

PDFs render with poppler's ``pdftoppm`` (pdf2image) when it is installed, else with pypdfium2;
the renderer used is reported per page. A PDF page whose own text layer is usable
(``workers.textlayer``) can come with its lines instead, rendered by PDFium (renderer
``text-layer``). Pages are rendered one at a time, when asked for (``stream_pages``): a
document's pages are never in memory together. Limits on pages and pixels are enforced before
anything large is decoded. Every unusable input raises ``BadDocument`` with a one-line reason.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from extractors.lines import OcrLine

POINTS_PER_INCH = 72
PDFIUM_SUCCESS, PDFIUM_PASSWORD_ERROR, PDFIUM_SECURITY_ERROR = 0, 4, 5
BROKEN_PDF = "broken PDF: damaged or cut short, it cannot be read"
DOCUMENT_SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff", ".gif"}  # what a folder's documents are named
_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"BM", "image/bmp"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)


class BadDocument(ValueError):
    """The file cannot be processed; ``str(exc)`` is the one-line reason shown to people."""


@dataclass(frozen=True)
class Limits:
    max_pages: int = 200
    max_page_pixels: int = 60_000_000


@dataclass
class RasterPage:
    number: int
    image: Image.Image
    renderer: str
    count: int = 1  # pages in the document
    lines: list[OcrLine] | None = None  # read from the page's text layer (renderer ``text-layer``): no OCR


def sniff_media_type(data: bytes) -> str:
    """The media type by the file's first bytes (never by its name)."""
    if not data:
        raise BadDocument("empty file")
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    head = data[:1024].lstrip()
    for magic, media_type in _MAGIC:
        if data.startswith(magic) or (magic == b"%PDF-" and magic in head):
            return media_type
    raise BadDocument(f"not a PDF or image ({_describe(head)})")


def _describe(head: bytes) -> str:
    """What an unsupported file most likely is, for its one-line reason."""
    if head.startswith(b"PK\x03\x04"):
        return "a ZIP archive, e.g. a .docx or .xlsx"
    if head[:64].lower().startswith((b"<!doctype html", b"<html")):
        return "an HTML page"
    return f"starts with {head[:8]!r}"


def rasterize(data: bytes, dpi: int = 200, limits: Limits = Limits()) -> list[RasterPage]:
    """Every page of the file as an RGB image, numbered from 1, all at once (for small files)."""
    return list(stream_pages(data, dpi, limits))


def stream_pages(data: bytes, dpi: int = 200, limits: Limits = Limits(), text_layer: bool = False) -> Iterator[RasterPage]:
    """The file's pages as RGB images, numbered from 1, each rendered only when asked for.

    The file's kind, page count and every page's size are checked before the first page is
    given (``BadDocument`` on the first ``next``). With ``text_layer``, a PDF page whose text
    layer is usable comes with its ``lines``, in the pixels of its image."""
    media_type = sniff_media_type(data)
    pages = _pdf_pages(data, dpi, limits, text_layer) if media_type == "application/pdf" else _image_pages(data, limits)
    first = next(pages, None)
    if first is None:
        raise BadDocument("the document has no pages")
    yield first
    del first  # held no longer than the caller holds it
    yield from pages


def pdf_renderer() -> str:
    """``pdftoppm`` when poppler-utils is installed, else ``pdfium``."""
    return "pdftoppm" if shutil.which("pdftoppm") else "pdfium"


def _pdf_pages(data: bytes, dpi: int, limits: Limits, text_layer: bool) -> Iterator[RasterPage]:
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise BadDocument(_pdfium_reason(exc, data)) from exc
    try:
        count = len(pdf)
        if count > limits.max_pages:
            raise BadDocument(f"{count} pages, more than the limit of {limits.max_pages}")
        for index in range(count):
            _check_pixels(*pdf[index].get_size(), dpi / POINTS_PER_INCH, limits, index + 1)
        with tempfile.TemporaryDirectory(prefix="billflow-pdf-") as folder:
            source = Path(folder) / "document.pdf"
            if count and pdf_renderer() == "pdftoppm":
                source.write_bytes(data)
            for index in range(count):
                yield _pdf_page(pdf, index, dpi, text_layer, source)
    finally:
        pdf.close()


def _pdf_page(pdf, index: int, dpi: int, text_layer: bool, source: Path) -> RasterPage:
    """Page ``index`` of ``pdf``: from its text layer when asked and usable, else rendered by
    poppler (from ``source``, when it exists) or PDFium."""
    from workers import textlayer

    page, scale, number = pdf[index], dpi / POINTS_PER_INCH, index + 1
    try:
        lines = textlayer.page_lines(page, scale, number) if text_layer else None
        if lines is None and source.exists():
            return RasterPage(number, _rgb(_render_poppler(source, dpi, number)), "pdftoppm", len(pdf))
        renderer = "pdfium" if lines is None else "text-layer"
        return RasterPage(number, _rgb(page.render(scale=scale).to_pil()), renderer, len(pdf), lines)
    finally:
        page.close()


def _render_poppler(source: Path, dpi: int, number: int) -> Image.Image:
    """Page ``number`` of the PDF file ``source``, rendered by pdftoppm into a file beside it
    and read back from there (no copy of the page in memory but the image)."""
    from pdf2image import convert_from_path
    from pdf2image.exceptions import PDFPageCountError, PDFSyntaxError

    try:
        (path,) = convert_from_path(source, dpi=dpi, first_page=number, last_page=number, single_file=True,
                                    output_folder=source.parent, output_file="page", paths_only=True)
    except (PDFPageCountError, PDFSyntaxError, ValueError) as exc:
        raise BadDocument(BROKEN_PDF) from exc
    try:
        with Image.open(path) as image:
            image.load()
    finally:
        Path(path).unlink(missing_ok=True)
    return image


def _rgb(image: Image.Image) -> Image.Image:
    return image if image.mode == "RGB" else image.convert("RGB")


def _pdfium_reason(exc: Exception, data: bytes) -> str:
    """PDFium's load error as a reason. Its error code is stale when it fails without setting
    one (a PDF with no pages, after an encrypted one): the password error needs ``/Encrypt``."""
    code = getattr(exc, "err_code", None)
    if code == PDFIUM_PASSWORD_ERROR and b"/Encrypt" in data:
        return "encrypted PDF (password required)"
    if code in (PDFIUM_SUCCESS, PDFIUM_PASSWORD_ERROR):
        return "the PDF has no pages PDFium can load"
    if code == PDFIUM_SECURITY_ERROR:
        return "PDF protected by a security handler PDFium does not support"
    return BROKEN_PDF


def _check_pixels(width: float, height: float, scale: float, limits: Limits, number: int) -> None:
    pixels = width * scale * height * scale
    if pixels > limits.max_page_pixels:
        raise BadDocument(
            f"page {number} would be {width * scale:.0f}x{height * scale:.0f} pixels, "
            f"more than the limit of {limits.max_page_pixels} pixels"
        )


def _image_pages(data: bytes, limits: Limits) -> Iterator[RasterPage]:
    """The image's pages; Pillow's own complaint stays in the chained traceback, not the reason."""
    kind = sniff_media_type(data).removeprefix("image/").upper()
    try:
        with Image.open(io.BytesIO(data)) as image:
            _check_pixels(*image.size, 1.0, limits, 1)
            yield from _frames(image, limits)
    except BadDocument:
        raise
    except Image.DecompressionBombError as exc:
        raise BadDocument(f"image too large: over {2 * Image.MAX_IMAGE_PIXELS} pixels (a decompression bomb), "
                          f"more than the limit of {limits.max_page_pixels} pixels") from exc
    except UnidentifiedImageError as exc:
        raise BadDocument(f"unreadable {kind} image: it begins like one, but what follows is not image data") from exc
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise BadDocument(f"broken {kind} image: damaged or cut short, it cannot be decoded") from exc


def _frames(image: Image.Image, limits: Limits) -> Iterator[RasterPage]:
    """TIFF frames are pages; other formats (an animated GIF included) give their first frame."""
    if image.format != "TIFF":
        yield RasterPage(1, to_rgb(image), "pillow")
        return
    if image.n_frames > limits.max_pages:
        raise BadDocument(f"{image.n_frames} pages, more than the limit of {limits.max_pages}")
    for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
        _check_pixels(*frame.size, 1.0, limits, number)
        yield RasterPage(number, to_rgb(frame), "pillow", image.n_frames)


def to_rgb(image: Image.Image) -> Image.Image:
    """Upright 8-bit RGB: EXIF rotation applied, 16-bit scaled, transparency onto white."""
    image = ImageOps.exif_transpose(image)
    if image.mode.startswith("I"):
        image = _eight_bit(image)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    return image.convert("RGB")


def _eight_bit(image: Image.Image) -> Image.Image:
    """A 16/32-bit grey image as 8-bit grey (16-bit values divided by 257)."""
    values = np.asarray(image, dtype=np.float64)
    if values.max(initial=0) > 255:
        values = values / 257
    return Image.fromarray(np.clip(values, 0, 255).astype(np.uint8), mode="L")
