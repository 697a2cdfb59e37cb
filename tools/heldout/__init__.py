"""Held-out synthetic Chinese documents, for TESTING billflow only.

A second family of courier waybills (thermal 100×180 mm labels) and bank bills (wire transfer
slips, deposit slips, transfer cheques) written independently of ``tools.docgen``: other
layouts, other fonts (AR PL UMing/UKai, WenQuanYi Zen Hei, Noto CJK bold), other word lists.
billflow's templates were tuned on docgen's documents; these measure how extraction does on
layouts it was never tuned on. Never tune templates on this family.

Output: ``NAME.jpg`` with ``NAME.json`` beside it in billflow's "generated" ground-truth format
(``doc_type``, ``layout``, ``seed``, ``family: heldout``, ``pages[].lines[]`` with polygons,
``fields``). CLI: ``python -m tools.heldout OUT_DIR --count N --seed S``; deterministic for a
seed (given the same installed fonts).

This package may import only Pillow, numpy and the standard library.
"""

from .generate import Document, batch, generate, layouts, plan_batch

__all__ = ["Document", "batch", "generate", "layouts", "plan_batch"]
