"""billflow's pure core: OCR lines in, typed, located and validated fields out.

Field parsers (``extractors.fields``), YAML templates (``extractors/templates``), document-type
classification, business rules and JSON Schema validation. No file, database, network or Celery
access happens here. May import: the standard library, third-party parsing libraries
(cn2an, cpca, phonenumbers, dateparser, python-stdnum, rapidfuzz, jsonschema, PyYAML) and
``schemas``. Must not import ``workers`` or ``db``.
"""
