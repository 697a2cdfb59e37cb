"""Processed documents put straight into the database for API and review-page tests: a page
image drawn from OCR lines, the lines, and the fields the real extractor finds in them (no OCR)."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from db import repo
from db.session import session_scope
from extractors.extract import extract_document
from extractors.lines import OcrLine
from tests.unit.lines_factory import CHAR, line, page
from tools.docgen.fonts import font, has_cjk_font
from workers.pipeline import save_result

PAGE_SIZE = (920, 420)

# A waybill whose receiver phone was read with low confidence (and one digit wrong: ...5676).
LOW_CONFIDENCE_PHONE = [
    line("顺丰速运 运单号：SF1234567890123", 0), line("收件人：张伟", 1), line("电话：138 1234 5676", 2, score=0.55),
    line("地址：广东省深圳市南山区科技园路18号", 3), line("A栋1203室", 4), line("寄件人：李娜 13912345678", 5),
    line("地址：浙江省杭州市西湖区文三路90号", 6), line("寄件日期：2024-03-15 重量：1.5kg 运费：¥23.00", 7),
]
# A waybill whose receiver address resolves to no province or city.
UNKNOWN_ADDRESS = page("中通快递 运单号：731234567890", "收件人：王芳 15912345678", "地址：火星基地1号",
                       "寄件人：赵强 13912345678", "地址：北京市朝阳区建国路88号", "寄件日期：2024-03-16")


RECEIPT = ("ACME HARDWARE SDN BHD", "NO 12 JALAN BUNGA RAYA", "50000 KUALA LUMPUR", "TEL: 03-2141 5678",
           "DATE: 15/03/2024", "ITEM A          5.00", "ITEM B          7.50", "TOTAL RM       12.50", "THANK YOU")


def receipt_png() -> bytes:
    """A shop receipt as a PNG scan, in Pillow's own font (needs no installed font)."""
    image = Image.new("RGB", (760, 80 + 56 * len(RECEIPT)), "white")
    draw = ImageDraw.Draw(image)
    for row, text in enumerate(RECEIPT):
        draw.text((60, 40 + 56 * row), text, fill="black", font=ImageFont.load_default(32))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def draw_page(lines: list[OcrLine], path: Path) -> None:
    """The lines' text drawn in their boxes, one character per grid cell as ``lines_factory``
    measures them (a CJK font when one is installed)."""
    image = Image.new("RGB", PAGE_SIZE, "white")
    draw = ImageDraw.Draw(image)
    face = font("sans", 22) if has_cjk_font() else ImageFont.load_default(22)
    for l in lines:
        x0, y0 = l.polygon[0]
        for i, char in enumerate(l.text):
            draw.text((x0 + CHAR * i + CHAR / 2, y0 + 14), char, fill="#111", font=face, anchor="mm")
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)


REVIEW_BAR = 0.9  # the done confidence these review flows run with: the fixtures' labelled values reach it
# whatever the calibrated threshold of the day (a flow test, not a calibration test)


def seed_document(database_url: str, data_dir: Path, name: str, lines: list[OcrLine]) -> int:
    """A processed one-page document with ``lines`` (judged at ``REVIEW_BAR``, saved as the
    pipeline saves a result); returns its id."""
    result = extract_document(lines, threshold=REVIEW_BAR)
    image = data_dir / "seeded" / f"{name}.png"
    draw_page(lines, image)
    with session_scope(database_url) as session:
        document, _ = repo.get_or_create_document(
            session, sha256=hashlib.sha256(name.encode()).hexdigest(), original_name=name,
            media_type="image/png", size_bytes=image.stat().st_size, requested_type=None)
        [stored] = repo.save_pages(session, document, [{"number": 1, "image_path": str(image), "width": PAGE_SIZE[0],
                                                        "height": PAGE_SIZE[1], "renderer": "pillow"}])
        repo.save_lines(session, stored, [{"text": l.text, "score": l.score, "polygon": [list(p) for p in l.polygon],
                                           "angle": 0} for l in lines], ocr_seconds=0.4)
        save_result(session, document, result)
        return document.id
