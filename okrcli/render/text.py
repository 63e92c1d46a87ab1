"""The human formatter: numbers, units, percentages, times, status words, plurals and
Markdown cells, shared by every renderer that writes for people (tables, Markdown, the
check-in messages).  Machine output (JSON, CSV numbers) is ``okrcli.machine``.

One rule each: a whole number has no decimals and other values up to four; a share is a
percentage rounded half up (0.125 is 13%, everywhere); a moment is UTC to the minute.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone, tzinfo

from okrcli.machine import number

DASH = "—"
STATUS_WORDS = {
    "done": "done",
    "on_track": "on track",
    "at_risk": "at risk",
    "off_track": "off track",
    "no_data": "no data",
    "dropped": "dropped",
}


def status_word(status: str | None) -> str:
    """``on_track`` -> ``on track``; None -> a dash."""
    if status is None:
        return DASH
    return STATUS_WORDS.get(status, status.replace("_", " "))


def num(x: float | None, missing: str = DASH) -> str:
    """A measured value for people: whole numbers without decimals, else up to four."""
    if x is None:
        return missing
    whole = number(x)
    if isinstance(whole, int):
        return str(whole)
    text = f"{x:.4f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def with_unit(x: float | None, unit: str | None, missing: str = DASH) -> str:
    """``580 ms``, ``99.9%`` (no space before a percent sign)."""
    text = num(x, missing)
    if not unit or x is None:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def band(low: float | None, high: float | None, unit: str | None) -> str:
    """A range of values for people: ``10–12 ms``, ``60–70%``."""
    text = f"{num(low)}–{num(high)}"
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def period_name(period: object) -> str:
    """``2026-Q4``; with years named by their end also as the organisation writes it:
    ``2021-Q1 (FY21-Q1)``."""
    label = getattr(period, "label", None)
    text = str(period)
    return f"{text} ({label})" if label and label != text else text


def names(people: list[str]) -> str:
    """``alice`` / ``alice, bob``."""
    return ", ".join(people)


def pct(x: float | None, missing: str = DASH) -> str:
    """0.41818 -> '42%' (half rounds up: 0.125 -> '13%')."""
    if x is None:
        return missing
    return f"{math.floor(x * 100 + 0.5)}%"


def grade_text(x: float | None) -> str:
    """A grade from 0.00 to 1.00, rounded half up like every share (0.125 -> '0.13')."""
    if x is None:
        return DASH
    return f"{math.floor(x * 100 + 0.5) / 100:.2f}"


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 check-in``, ``2 check-ins``."""
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"


def when(moment: datetime | None, zone: tzinfo = timezone.utc) -> str:
    """A moment in the organisation's time ``zone`` (UTC by default) to the minute:
    2026-11-20 10:31."""
    if moment is None:
        return DASH
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def zone_name(zone: tzinfo) -> str:
    """``UTC``, ``America/New_York``: how a time zone is named in headings."""
    return getattr(zone, "key", None) or str(zone)


def md_cell(text: str) -> str:
    """Text safe inside a Markdown table cell: pipes and backslashes escaped, one line."""
    return (
        text.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", " ").replace("\n", " ")
    ).replace("\r", " ")
