"""Developer tools: the synthetic document generator (docgen), the tuning family of layouts the
templates were not written for (tunegen), the held-out family for testing only (heldout), a
second and a third independent held-out family nobody tunes on (heldout2, heldout3), the hostile-input corpus
(hostile) and the preprocessing variant sets (variants). May import extractors and workers;
the product never imports tools (tests and benchmarks may)."""
