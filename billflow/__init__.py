"""billflow's Python API: process a document from Python and get its fields as typed values.

    import billflow
    result = billflow.process("scan.pdf")            # in memory: no database, no queue
    result.status, result.doc_type, result.fields["date"].normalized

``process`` runs the chain the workers run (rasterize, prepare, OCR with this process's engine
loaded once, split the upload into its documents, extract and validate); given a database URL
it goes through the normal pipeline and stores everything, like ``billflow process``. Results
are frozen dataclasses (``billflow.results``).

The outermost layer: may import ``workers``, ``extractors`` and ``db``; nothing in the project
imports ``billflow``.
"""

from billflow.processing import process
from billflow.results import Document, Field, Line, LineItem, Result

__all__ = ["Document", "Field", "Line", "LineItem", "Result", "process"]
