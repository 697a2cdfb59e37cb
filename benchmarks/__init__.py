"""Speed, memory and accuracy benchmarks of billflow against bare PaddleOCR, on the same pages.

``python -m benchmarks.run [--pages N] [--quick] [--drift-pages N]`` measures, one phase at a
time and each in its own processes: (a) the stock ``paddleocr.PaddleOCR`` pipeline, (b) the same
pipeline with billflow's tuned settings, (c) billflow end to end in-process on SQLite and (d)
billflow through real Celery workers, Redis and PostgreSQL with 1 and 2 worker processes. It
prints a table and writes ``benchmarks/results/<date>.json``. Compare ratios, not absolute times.
"""
