"""Numbers and times as machines read them: JSON, CSV and the grades file.

One place decides how a figure is written for a program: measured values keep their
precision (whole numbers as integers), shares (progress, elapsed, grades) have four
decimals, moments are ISO 8601 in UTC to the second.  People's formatting is
``okrcli.render.text``.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timezone
from typing import Any

RATIO_DIGITS = 4

# JSON escapes C0 controls itself; these it leaves raw with ensure_ascii=False, and a
# terminal would obey some of them (C1 CSI, bidirectional overrides): \uXXXX, same data
_RAW_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def dumps(doc: Any, *, indent: int | None = 2) -> str:
    """A JSON document for a program (UTF-8 text, finite numbers only), with every control
    character escaped, so that it is also safe to print on a terminal."""
    try:
        text = json.dumps(doc, indent=indent, ensure_ascii=False, allow_nan=False)
    except RecursionError:  # an alignment chain thousands of levels deep
        text = _deep_dumps(doc, indent)
    return _RAW_IN_JSON.sub(_json_escape, text)


def _deep_dumps(value: Any, indent: int | None = 2) -> str:
    """``json.dumps(value, indent=indent, ensure_ascii=False, allow_nan=False)``, written
    with an explicit stack, so that a tree thousands of levels deep does not overflow."""
    if indent is None:
        return _dumps_line(value)
    parts: list[str] = []
    todo: list[tuple[Any, int] | str] = [(value, 0)]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        current, depth = item
        if isinstance(current, dict) and current:
            inner = "\n" + " " * (indent * (depth + 1))
            todo.append("\n" + " " * (indent * depth) + "}")
            entries = list(current.items())
            for i in range(len(entries) - 1, -1, -1):
                key, child = entries[i]
                if i < len(entries) - 1:
                    todo.append(",")
                todo.append((child, depth + 1))
                todo.append(inner + _scalar(str(key)) + ": ")
            todo.append("{")
        elif isinstance(current, (list, tuple)) and current:
            inner = "\n" + " " * (indent * (depth + 1))
            todo.append("\n" + " " * (indent * depth) + "]")
            for i in range(len(current) - 1, -1, -1):
                if i < len(current) - 1:
                    todo.append(",")
                todo.append((current[i], depth + 1))
                todo.append(inner)
            todo.append("[")
        else:
            parts.append(_scalar(current))
    return "".join(parts)


def _dumps_line(value: Any) -> str:
    """``_deep_dumps`` on one line, with json.dumps's default separators."""
    parts: list[str] = []
    todo: list[Any] = [(value,)]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        (current,) = item
        if isinstance(current, dict) and current:
            todo.append("}")
            entries = list(current.items())
            for i in range(len(entries) - 1, -1, -1):
                key, child = entries[i]
                todo.append((child,))
                todo.append(("" if i == 0 else ", ") + _scalar(str(key)) + ": ")
            todo.append("{")
        elif isinstance(current, (list, tuple)) and current:
            todo.append("]")
            for i in range(len(current) - 1, -1, -1):
                todo.append((current[i],))
                if i:
                    todo.append(", ")
            todo.append("[")
        else:
            parts.append(_scalar(current))
    return "".join(parts)


def _scalar(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def ratio(x: float | None) -> float | None:
    """A share (progress, elapsed, grade, …) as written in machine output: four decimals."""
    return None if x is None else round(x, RATIO_DIGITS)


def number(x: float | None) -> float | int | None:
    """A measured value as written in machine output: whole numbers as integers."""
    if x is None:
        return None
    return int(x) if float(x).is_integer() and abs(x) < 1e15 else x


def timestamp(moment: datetime | None) -> str | None:
    """A moment as ISO 8601 in UTC, to the second; None stays None."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def day(value: date | None) -> str | None:
    """A calendar day as ISO 8601 (``2026-11-22``)."""
    return None if value is None else value.isoformat()


def text(value: Any) -> str:
    """A value inside a machine-readable sentence (a diff's details): ``300`` not ``300.0``,
    ``none`` for absent, ``true``/``false``."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return str(number(value))
    return str(value)
