"""heldout2: a second held-out family of Chinese courier waybills and bank bills, written
without looking at billflow's templates or its other generators, for measuring only — nobody
tunes on it (README.md in this folder). Layouts: ``waybills`` (thermal e-waybill labels) and
``bills`` (transfer cheques, paper and electronic bank acceptance drafts, deposit slips); values
from ``values``; drawing in ``canvas``; photo/scan effects in ``degrade``.
``python -m tools.heldout2 OUT --count N --seed S [--degrade none|mild]``.
"""
