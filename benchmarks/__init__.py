"""Speed, memory and accuracy benchmarks of billflow against bare PaddleOCR, on the same pages.

``python -m benchmarks.run [--backends paddle,openvino] [--pages N] [--quick] [--drift-pages N]
[--sizes N]`` measures, one phase at a time and each in its own processes: (a) the stock
``paddleocr.PaddleOCR`` pipeline, (b) the same pipeline with billflow's tuned settings, then on
each OCR backend (c) billflow end to end in-process on SQLite, (d) billflow through real Celery
workers, Redis and PostgreSQL: 1 process with 2 threads (d1, also the RSS drift pass), 1 process
with 1 thread (d1s) and 2 processes with 1 thread each (d2), and the first page of a new size;
last, a born-digital page read from its text layer. It prints a table and writes
``benchmarks/results/<date>.json``, each phase with its load average. Compare ratios, not
absolute times.

``python -m benchmarks.textlayer`` times born-digital PDF pages read from their text layer
against the same pages OCR'd, in one run; ``python -m benchmarks.pagememory`` measures the peak
memory of rasterizing PDFs of 1, 50 and 200 pages (streamed, and all at once for comparison);
``python -m benchmarks.workermemory [--baseline REV]`` compares a worker process's peak RSS and
page time on the code of a git revision and on the working tree, same pages, one run.
"""
