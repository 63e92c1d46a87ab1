"""Formatting of numbers, units, percentages, times and status words, shared by every
text renderer (tables, Markdown, CSV)."""

from __future__ import annotations

import math
from datetime import datetime, timezone

DASH = "—"
STATUS_WORDS = {
    "done": "done",
    "on_track": "on track",
    "at_risk": "at risk",
    "off_track": "off track",
    "no_data": "no data",
}


def status_word(status: str | None) -> str:
    if status is None:
        return DASH
    return STATUS_WORDS.get(status, status)


def num(x: float | None) -> str:
    """A measured value for people: whole numbers without decimals, else up to four."""
    if x is None:
        return DASH
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    text = f"{x:.4f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def with_unit(x: float | None, unit: str | None) -> str:
    text = num(x)
    if not unit or x is None:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def pct(x: float | None) -> str:
    """0.41818 -> '42%' (half rounds up)."""
    if x is None:
        return DASH
    return f"{math.floor(x * 100 + 0.5)}%"


def when(moment: datetime | None) -> str:
    """A moment in UTC to the minute: 2026-11-20 10:31."""
    if moment is None:
        return DASH
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M")
