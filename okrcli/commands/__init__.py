"""One module per command: parse what the CLI passed, call the core, pick a renderer."""
