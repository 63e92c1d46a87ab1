"""The command line: the typer application (``app``), its shared options (``options``) and
the one error boundary that turns every outcome into an exit code (``errors``)."""

from okrcli.cli.app import app, main

__all__ = ["app", "main"]
