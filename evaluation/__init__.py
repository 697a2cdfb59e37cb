"""Measuring billflow against labelled documents: dataset readers and pure metrics.

``datasets`` reads labelled sets (billflow's generated ground truth, SROIE, WildReceipt, ICDAR-
style line polygons) into ``Sample``s; ``splits`` fixes each document's tuning or test part;
``calibrate`` fits the confidence model and the done threshold on tuning parts; ``metrics``
holds the pure functions (polygon IoU, one-to-one matching, CER, precision/recall/F1,
percentiles); ``scoring`` turns one document's OCR and extraction output into a JSON-ready
record and aggregates records into a report (automation, silent errors, review flag,
calibration); ``report`` writes that report as JSON, HTML and terminal tables. Running the OCR
engine over a set is the runtime shell's job (``workers/evaluate.py``). May import extractors
and schemas, never workers or db.
"""
