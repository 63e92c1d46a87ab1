"""Diagnostics as text, JSON (SPEC §7) or GitHub Actions workflow commands."""

from __future__ import annotations

import json

from okrcli.diagnostics import Diagnostic, count
from okrcli.render.text import plural


def render_text(diagnostics: list[Diagnostic]) -> str:
    """``FILE:LINE:COL: severity[CODE] message`` lines and a closing count."""
    if not diagnostics:
        return ""
    errors, warnings = count(diagnostics)
    lines = [str(d) for d in diagnostics]
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
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(diagnostics: list[Diagnostic]) -> str:
    """``::error file=F,line=L,col=C,title=CODE::MESSAGE`` per diagnostic."""
    lines = [
        f"::{d.severity} file={_escape_property(d.file)},line={d.line},col={d.column},"
        f"title={_escape_property(d.code)}::{_escape_data(d.message)}"
        for d in diagnostics
    ]
    return "".join(line + "\n" for line in lines)
