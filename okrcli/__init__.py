"""okr: a command-line goal tracker over plain files, and the library beneath it.

The command line (``okr``) is a thin layer over these functions; use them to read,
evaluate, grade and record from Python without printing anything::

    from okrcli import load_workspace, build_scorecard, parse_period

    ws = load_workspace(Path("goals"))
    card = build_scorecard(ws, parse_period("2026-Q4"), date(2026, 11, 22))
    print(card.to_json()["objectives"][0]["progress"])

Names are imported on first use, so ``import okrcli`` stays light.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from okrcli._version import __version__

# public name -> the module that defines it
_EXPORTS = {
    "load_workspace": "okrcli.loader",
    "Workspace": "okrcli.workspace",
    "find_root": "okrcli.layout",
    "Evaluator": "okrcli.evaluate",
    "build_scorecard": "okrcli.views",
    "build_tree": "okrcli.views",
    "default_period": "okrcli.views",
    "grade": "okrcli.grading",
    "record": "okrcli.recording",
    "make_entry": "okrcli.recording",
    "write_entries": "okrcli.recording",
    "Diagnostic": "okrcli.diagnostics",
    "CODES": "okrcli.diagnostics",
    "Period": "okrcli.periods",
    "parse_period": "okrcli.periods",
    "quarter_of": "okrcli.periods",
    "OkrError": "okrcli.errors",
    "InputError": "okrcli.errors",
    "InvalidFiles": "okrcli.errors",
}

__all__ = [
    "CODES",
    "Diagnostic",
    "Evaluator",
    "InputError",
    "InvalidFiles",
    "OkrError",
    "Period",
    "Workspace",
    "__version__",
    "build_scorecard",
    "build_tree",
    "default_period",
    "find_root",
    "grade",
    "load_workspace",
    "make_entry",
    "parse_period",
    "quarter_of",
    "record",
    "write_entries",
]

if TYPE_CHECKING:
    from okrcli.diagnostics import CODES, Diagnostic
    from okrcli.errors import InputError, InvalidFiles, OkrError
    from okrcli.evaluate import Evaluator
    from okrcli.grading import grade
    from okrcli.layout import find_root
    from okrcli.loader import load_workspace
    from okrcli.periods import Period, parse_period, quarter_of
    from okrcli.recording import make_entry, record, write_entries
    from okrcli.views import build_scorecard, build_tree, default_period
    from okrcli.workspace import Workspace


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'okrcli' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
