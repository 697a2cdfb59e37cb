"""Rasterizing: every accepted format gives upright RGB pages; bad input gets a one-line reason."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from workers import rasterize as r
from workers.rasterize import BadDocument, Limits, rasterize, sniff_media_type


def encode(image: Image.Image, fmt: str, **kwargs) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def page(colour=(200, 30, 30), size=(120, 80)) -> Image.Image:
    return Image.new("RGB", size, colour)


def pdf_bytes(pages: int, size=(300, 200)) -> bytes:
    images = [page(size=size) for _ in range(pages)]
    return encode(images[0], "PDF", save_all=True, append_images=images[1:], resolution=100)


@pytest.mark.parametrize("fmt,media_type", [
    ("PNG", "image/png"), ("JPEG", "image/jpeg"), ("BMP", "image/bmp"), ("WEBP", "image/webp"),
    ("TIFF", "image/tiff"), ("GIF", "image/gif"),
])
def test_each_image_format_gives_one_rgb_page(fmt, media_type):
    data = encode(page(), fmt)
    assert sniff_media_type(data) == media_type
    pages = rasterize(data)
    assert [(p.number, p.image.mode, p.image.size) for p in pages] == [(1, "RGB", (120, 80))]


def test_multipage_tiff_gives_every_page():
    frames = [page((i * 40, 0, 0)) for i in range(3)]
    data = encode(frames[0], "TIFF", save_all=True, append_images=frames[1:])
    pages = rasterize(data)
    assert [p.number for p in pages] == [1, 2, 3]
    assert pages[2].image.getpixel((5, 5))[0] == 80


@pytest.mark.parametrize("renderer", ["pdftoppm", "pdfium"])
def test_pdf_pages_render_at_the_requested_dpi(monkeypatch, renderer):
    if renderer == "pdftoppm" and r.pdf_renderer() != "pdftoppm":
        pytest.skip("poppler-utils (pdftoppm) is not installed")
    monkeypatch.setattr(r, "pdf_renderer", lambda: renderer)
    pages = rasterize(pdf_bytes(2), dpi=200)  # 300x200 px at 100 dpi = 3x2 inches
    assert [p.renderer for p in pages] == [renderer, renderer]
    assert [p.number for p in pages] == [1, 2]
    assert abs(pages[0].image.width - 600) <= 2 and abs(pages[0].image.height - 400) <= 2


def test_pdf_renderer_falls_back_to_pdfium_without_poppler(monkeypatch):
    monkeypatch.setattr(r.shutil, "which", lambda name: None)
    assert r.pdf_renderer() == "pdfium"
    assert {p.renderer for p in rasterize(pdf_bytes(1))} == {"pdfium"}


def test_sixteen_bit_and_cmyk_and_transparent_images_become_rgb():
    grey16 = Image.fromarray(np.full((10, 10), 65535, dtype=np.uint16))
    assert rasterize(encode(grey16, "PNG"))[0].image.getpixel((0, 0)) == (255, 255, 255)
    cmyk = Image.new("CMYK", (10, 10), (0, 255, 255, 0))
    assert rasterize(encode(cmyk, "JPEG"))[0].image.getpixel((5, 5))[0] > 200
    clear = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    assert rasterize(encode(clear, "PNG"))[0].image.getpixel((5, 5)) == (255, 255, 255)


def test_exif_rotation_is_applied():
    image = page(size=(120, 80))
    exif = image.getexif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    pages = rasterize(encode(image, "JPEG", exif=exif))
    assert pages[0].image.size == (80, 120)


@pytest.mark.parametrize("data,reason", [
    (b"", "empty file"),
    (b"<html><body>hello</body></html>", "not a PDF or image"),
    (b"PK\x03\x04" + b"\x00" * 100, "not a PDF or image"),
    (b"%PDF-1.7\n1 0 obj\n<<", "broken PDF"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image"),
])
def test_bad_input_raises_a_one_line_reason(data, reason):
    with pytest.raises(BadDocument) as info:
        rasterize(data)
    assert reason in str(info.value)
    assert "\n" not in str(info.value)


def test_truncated_pdf_is_broken():
    data = pdf_bytes(2)
    with pytest.raises(BadDocument, match="PDF"):
        rasterize(data[: len(data) // 2])


def test_page_and_pixel_limits_are_enforced_before_rendering():
    with pytest.raises(BadDocument, match="3 pages, more than the limit of 2"):
        rasterize(pdf_bytes(3), limits=Limits(max_pages=2))
    with pytest.raises(BadDocument, match="more than the limit of 1000 pixels"):
        rasterize(encode(page(size=(100, 100)), "PNG"), limits=Limits(max_page_pixels=1000))
    with pytest.raises(BadDocument, match="pixels"):
        rasterize(pdf_bytes(1, size=(3000, 3000)), dpi=600, limits=Limits(max_page_pixels=10_000_000))
