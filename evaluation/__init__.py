"""Measuring billflow against labelled documents: dataset readers and pure metrics.

``datasets`` reads labelled sets (billflow's generated ground truth, SROIE, ICDAR-style line
polygons) into ``Sample``s; ``metrics`` holds the pure functions (polygon IoU, one-to-one
matching, CER, precision/recall/F1, percentiles); ``scoring`` turns one document's OCR and
extraction output into a JSON-ready record and aggregates records into a report; ``report``
writes that report as JSON, HTML and terminal tables. Running the OCR engine over a set is the
runtime shell's job (``workers/evaluate.py``). May import extractors and schemas, never
workers or db.
"""
