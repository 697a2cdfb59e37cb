"""billflow's pure core: OCR lines in, typed, located and validated fields out.

Field parsers (``extractors.fields``), YAML templates (``extractors/templates``), document-type
classification, business rules as data and JSON Schema validation, the calibrated confidence
model (``extractors/data/confidence.yml``) and the layout-familiarity signs it reads
(``extractors.familiarity``), layout-free entity extraction, which pages of an upload
start a document (``extractors.pages``), reviewers' corrections applied like extraction
(``extractors.corrections``) and invoice2data's templates read by its rules (``extractors.invoice2data``). No file, database,
network or Celery access happens here (packaged data is read with importlib.resources), with one
exception: jieba's dictionary, like jieba's own cache, is kept as a compact trie in the temp
folder (``extractors.fields.jieba_trie``, rebuilt from the wheel's dictionary when missing). May
import: the standard library, third-party parsing libraries (cn2an, cpca, phonenumbers,
dateparser, python-stdnum, rapidfuzz, jsonschema, PyYAML, jieba — its dictionary ships in its
wheel and loads once per process — and marisa-trie) and
``schemas``. Must not import ``workers`` or ``db``.
"""
