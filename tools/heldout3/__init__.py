"""The third held-out family of Chinese documents, for measuring only: nobody tunes on it.

Written without looking at the templates, label lists or the other families' layouts:
thermal e-waybill labels and hand-filled multi-part paper waybills of the schema's carriers
(and 德邦, labelled DEPPON where the schema allows it), transfer cheques of several banks'
designs, deposit slips and bank acceptance bills (paper and electronic printouts), with seals,
security tints, dot-matrix printing, pages scanned sideways or upside down and (``--degrade mild``) photos.
``generate`` writes each page as JPEG with a JSON label beside it (evaluation.datasets'
``generated`` format). See README.md in this folder."""
