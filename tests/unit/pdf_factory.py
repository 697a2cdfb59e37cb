"""Build small PDFs for tests: born-digital text pages (PDFium writes them), a page whose text
layer maps its characters to the wrong Unicode, a scan with an invisible text layer."""

from __future__ import annotations

import ctypes
import io
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c
from PIL import Image

A4 = (595, 842)  # points
CJK_FONTS = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def cjk_font() -> Path | None:
    """An installed font file that prints Chinese, if any."""
    return next((Path(p) for p in CJK_FONTS if Path(p).is_file()), None)


def text_pdf(pages: list[list[tuple[float, float, str, float]]], font: Path | None = None) -> bytes:
    """A born-digital PDF of A4 pages, each a list of ``(x, baseline y from the top, text, size)``
    in points, printed in ``font`` (embedded) or Helvetica."""
    pdf = pypdfium2.PdfDocument.new()
    if font:
        data = font.read_bytes()
        buffer = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
        handle = pdfium_c.FPDFText_LoadFont(pdf, buffer, len(data), pdfium_c.FPDF_FONT_TRUETYPE, True)
    else:
        handle = pdfium_c.FPDFText_LoadStandardFont(pdf, b"Helvetica")
    for items in pages:
        page = pdf.new_page(*A4)
        for x, y, text, size in items:
            item = pdfium_c.FPDFPageObj_CreateTextObj(pdf, handle, size)
            utf16 = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
            pdfium_c.FPDFText_SetText(item, ctypes.cast(utf16, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
            pdfium_c.FPDFPageObj_Transform(item, 1, 0, 0, 1, x, A4[1] - y)
            pdfium_c.FPDFPage_InsertObject(page, item)
        pdfium_c.FPDFPage_GenerateContent(page)
        page.close()
    return _saved(pdf)


def scan_pdf(text: str) -> bytes:
    """A scanned A4 page: a full-page image with ``text`` as an invisible layer on top."""
    pdf = pypdfium2.PdfDocument(text_pdf([[(72, 100, text, 12)]]))
    page = pdf[0]
    for index in range(pdfium_c.FPDFPage_CountObjects(page)):
        pdfium_c.FPDFTextObj_SetTextRenderMode(pdfium_c.FPDFPage_GetObject(page, index), pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE)
    scan = io.BytesIO()
    Image.new("RGB", (850, 1200), (250, 250, 245)).save(scan, format="JPEG")
    image = pypdfium2.PdfImage.new(pdf)
    image.load_jpeg(io.BytesIO(scan.getvalue()))
    image.set_matrix(pypdfium2.PdfMatrix().scale(*A4))
    page.insert_obj(image)
    page.gen_content()
    page.close()
    return _saved(pdf)


def wrapped_pdf(data: bytes) -> bytes:
    """The first page of ``data`` drawn as a form XObject on a page of a new PDF (how some
    programs place a scan)."""
    source, pdf = pypdfium2.PdfDocument(data), pypdfium2.PdfDocument.new()
    xobject = pdfium_c.FPDF_NewXObjectFromPage(pdf, source, 0)
    page = pdf.new_page(*A4)
    pdfium_c.FPDFPage_InsertObject(page, pdfium_c.FPDF_NewFormObjectFromXObject(xobject))
    pdfium_c.FPDFPage_GenerateContent(page)
    pdfium_c.FPDF_CloseXObject(xobject)
    page.close()
    source.close()
    return _saved(pdf)


def mismapped_pdf(text: str, first: int) -> bytes:
    """One page printing ``text`` (ASCII) in Helvetica whose ToUnicode map sends character
    codes 0x20-0x7E to ``first``… instead: what a text layer with a broken mapping gives."""
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Broken def "
        "1 begincodespacerange <00> <FF> endcodespacerange "
        f"1 beginbfrange <20> <7E> <{first:04X}> endbfrange endcmap "
        "CMapName currentdict /CMap defineresource pop end end"
    )
    content = f"BT /F1 14 Tf 72 740 Td ({text}) Tj ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {A4[0]} {A4[1]}] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        f"<< /Length {len(cmap)} >>\nstream\n{cmap}\nendstream",
    ]
    return _assembled(objects)


def _assembled(objects: list[str]) -> bytes:
    """A PDF file of these objects (numbered from 1), with its cross-reference table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    table = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{table}\n%%EOF\n".encode()
    return bytes(out)


def _saved(pdf: pypdfium2.PdfDocument) -> bytes:
    buffer = io.BytesIO()
    pdf.save(buffer)
    pdf.close()
    return buffer.getvalue()
