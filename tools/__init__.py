"""Developer tools: the synthetic document generator (docgen), the tuning family of layouts the
templates were not written for (tunegen), the held-out family for testing only (heldout), a
second independent family now split into a tuning and a test part (heldout2), a third nobody
tunes on (heldout3), the hostile-input corpus (hostile) and the preprocessing variant sets (variants). May import extractors and workers;
the product never imports tools (tests and benchmarks may)."""
