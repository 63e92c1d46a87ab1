"""Diagnostics as text, JSON (SPEC §7) or GitHub Actions workflow commands."""

from __future__ import annotations

from okrcli.diagnostics import Diagnostic, count
from okrcli.machine import dumps
from okrcli.render.text import plural, shown


def render_text(diagnostics: list[Diagnostic]) -> str:
    """``FILE:LINE:COL: severity[CODE] message`` lines and a closing count: one line per
    diagnostic, whatever its file name or message holds (``shown``)."""
    if not diagnostics:
        return ""
    errors, warnings = count(diagnostics)
    lines = [shown(str(d)) for d in diagnostics]
    lines.append(f"okr: {plural(errors, 'error')}, {plural(warnings, 'warning')}")
    return "\n".join(lines) + "\n"


def render_json(diagnostics: list[Diagnostic]) -> str:
    errors, warnings = count(diagnostics)
    doc = {
        "ok": errors == 0,
        "errors": errors,
        "warnings": warnings,
        "diagnostics": [d.as_dict() for d in diagnostics],
    }
    return dumps(doc) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(diagnostics: list[Diagnostic], prefix: str = "") -> str:
    """``::error file=F,line=L,col=C,title=CODE::MESSAGE`` per diagnostic; ``prefix`` is
    the workspace's folder inside the git repository ('' or ending in '/'), so that paths
    are relative to the repository's root, where GitHub attaches annotations."""
    lines = [
        f"::{d.severity} file={_escape_property(shown(prefix + d.file))},line={d.line},"
        f"col={d.column},title={_escape_property(d.code)}::{_escape_data(shown(d.message))}"
        for d in diagnostics
    ]
    return "".join(line + "\n" for line in lines)
