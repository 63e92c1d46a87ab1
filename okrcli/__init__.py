"""okr: a command-line goal tracker over plain files."""

__version__ = "0.1.0"
