"""The tuning family: synthetic Chinese courier waybills and bank bills of layouts billflow's
templates were never written for, to fit the confidence model on unfamiliar layouts (the tuning
half of a set) and report on them (its test half).

    .venv/bin/python -m tools.tunegen OUT --count 100 --seed 21 [--degrade none|mild]
    .venv/bin/billflow calibrate OUT --part tune --ocr-cache cache/

writes ``tg_waybill_NNNN.jpg`` / ``tg_bankbill_NNNN.jpg``, alternating, each with its ground
truth beside it in billflow's ``generated`` format (``generate.py``); the same seed gives the
same documents. Layouts (four of each type, ``waybills.LAYOUTS``, ``bankbills.LAYOUTS``):
申通 side-by-side 收方/寄方 label; 韵达 76 × 130 mm with 到/发 rings and name, phone and address
on one line; 极兔 grid with 寄件信息 first and 姓名/电话/地址 rows; EMS landscape with
收货人/发货人 and weight in grams; a transfer cheque with its stub on the right and the date in
boxes; a compact cheque with header-less amount cells; a deposit slip with 收款人 and 付款人
columns; an electronic commercial acceptance draft print-out. Pages are laid out in millimetres
and drawn at 150–300 dpi, with condensed or bold thermal text and, where installed, a CJK face
docgen does not use. Phones print as 138-1234-5678, +86 …, (0791)…; accounts in groups of four;
weights as g, kg or 公斤; dates as 2024/3/5, 2024.03.05 14:22, 2024年3月5日 or in words.

Independence: written without reading ``tools/heldout`` or its fixtures, with word lists of
its own (names, places, companies, banks, goods, carriers other than docgen's). May import the
standard library, Pillow, phonenumbers, cn2an (through docgen's formats) and docgen's low-level
helpers (``canvas``, ``fonts``, ``barcode``, ``degrade``, ``formats``); never ``tools.heldout``.
"""

from .generate import DOC_TYPES, Document, batch, generate, layouts

__all__ = ["DOC_TYPES", "Document", "batch", "generate", "layouts"]
