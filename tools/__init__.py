"""Developer tools (document generator, ...). May import extractors; nothing imports tools."""
