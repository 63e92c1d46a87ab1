"""The ``okr`` entry point.

``okr --version`` is answered here without loading the command-line framework; everything
else goes to ``okrcli.cli``.
"""

import sys


def main() -> None:
    from okrcli.output import plain_streams

    plain_streams()
    if sys.argv[1:] == ["--version"]:
        from okrcli._version import __version__

        sys.stdout.write(f"okr {__version__}\n")
        return
    from okrcli.cli import main as run

    run()
