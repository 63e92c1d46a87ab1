"""The ``okr`` entry point.

``okr --version`` is answered here without loading the command-line framework; everything
else goes to ``okrcli.cli``.  A closed output pipe (``okr --help | head -1``) is not an
error here either: okr stops quietly with 0 (SPEC §6).
"""

import os
import sys


def _quiet_closed_pipe() -> None:
    """stdout's reader is gone: point stdout at the null device so that nothing more
    (Python's flush at exit) complains."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main() -> None:
    from okrcli.output import plain_streams

    plain_streams()
    if sys.argv[1:] == ["--version"]:
        from okrcli._version import __version__

        try:
            sys.stdout.write(f"okr {__version__}\n")
            sys.stdout.flush()
        except BrokenPipeError:
            _quiet_closed_pipe()
        return
    from okrcli.cli import main as run

    before = _identity(1)
    try:
        run()
    except SystemExit as e:
        # the command-line framework exits 1 when stdout's pipe closes (``--help``, usage
        # messages), after replacing stdout with its "PacifyFlushWrapper" (or, when rich
        # prints the help, after pointing stdout at the null device)
        if e.code == 1 and (
            type(sys.stdout).__name__.endswith("PacifyFlushWrapper")
            or (before is not None and before != _identity(1) == _devnull())
        ):
            raise SystemExit(0) from None
        raise


def _identity(fd: int) -> tuple[int, int] | None:
    """Which file the descriptor ``fd`` is (device and inode), or None."""
    try:
        found = os.fstat(fd)
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


def _devnull() -> tuple[int, int] | None:
    try:
        found = os.stat(os.devnull)
    except OSError:
        return None
    return (found.st_dev, found.st_ino)
