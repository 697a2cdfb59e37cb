"""Synthetic Chinese documents with ground truth: courier waybills and bank bills.

``generate(doc_type, layout, seed, degrade_with)`` renders one page; ``batch`` and the CLI
(``python -m tools.docgen``) write images with a ground-truth JSON beside each. Layouts are data
(``render.Layout``: page size, colours, canvas operations with templated text); ``content``
functions in ``waybills`` / ``bankbills`` draw the random values and the canonical fields.
"""

from .generate import DOC_TYPES, Document, batch, generate, layouts

__all__ = ["DOC_TYPES", "Document", "batch", "generate", "layouts"]
