"""The error hierarchy: every failure okr reports to a user is an ``OkrError``.

The CLI's error boundary (``okrcli.cli.errors``) turns these into messages and exit codes;
anything else that escapes is a bug and is reported as such.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from okrcli.diagnostics import Diagnostic

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


class OkrError(Exception):
    """Base of every error okr reports to the user."""

    exit_code = EXIT_ERRORS


class UsageError(OkrError):
    """The command line itself is wrong (exit 2)."""

    exit_code = EXIT_USAGE


class WorkspaceNotFound(UsageError):
    """No ``okr.yaml`` was found (exit 2)."""


class InputError(OkrError):
    """A value given on the command line or in a file cannot be used (exit 1)."""


class GitError(OkrError):
    """A command needs git and git cannot help (exit 1)."""


class InvalidFiles(OkrError):
    """The goal files have errors; the diagnostics say which (exit 1)."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(f"{len(diagnostics)} problem(s) in the goal files")
        self.diagnostics = diagnostics
