"""billflow's runtime shell: settings, rasterizing (pages streamed one at a time, a born-digital
PDF page read from its own text layer in ``workers.textlayer``, page images written on a
background thread by ``workers.pagewriter``), the OCR engine (on a backend from
``workers.backends``: Paddle Inference or OpenVINO, the same weights), Celery app and tasks, CLI
(its consume folder in ``workers.watch``, its one-line reasons for a wrong environment in
``workers.problems``, its spreadsheet CSV in
``workers.spreadsheet``), and people's acts on documents (corrections, reprocessing) with
their audit (``workers.review``), and the folder of the user's own templates
(``workers.template_dir``, handed to ``extractors.template``), and a folder of invoice2data templates
applied to a file's text (``workers.invoice2data``).

Thin wrappers that load by id, call a pure function and save. May import ``extractors``,
``schemas`` and ``db``; nothing in the project imports ``workers`` but the Python API
(``billflow``).
"""
