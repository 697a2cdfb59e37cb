"""Developer tools: the synthetic document generator (docgen), the hostile-input corpus
(hostile) and the preprocessing variant sets (variants). May import extractors and workers;
the product never imports tools (tests and benchmarks may)."""
