"""Synthetic Chinese documents with ground truth: courier waybills, bank bills and VAT invoices
(``vatinvoices``: scanned paper invoices and born-digital PDFs with a text layer, written by
``pdf``; the truth adds ``line_items``).

``generate(doc_type, layout, seed, degrade_with)`` renders one page; ``batch`` and the CLI
(``python -m tools.docgen``) write images with a ground-truth JSON beside each. Layouts are data
(``render.Layout``: page size, colours, canvas operations with templated text); ``content``
functions in ``waybills`` / ``bankbills`` / ``vatinvoices`` draw the random values and the canonical fields.
"""

from .generate import DOC_TYPES, Document, batch, generate, layouts

__all__ = ["DOC_TYPES", "Document", "batch", "generate", "layouts"]
