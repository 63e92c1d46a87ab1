"""The human formatter: numbers, units, percentages, times, status words, plurals, and
text users wrote (``shown``, ``md_cell``, ``csv_text``), shared by every renderer that
writes for people (tables, Markdown, the check-in messages).  Machine output (JSON, CSV
numbers) is ``okrcli.machine``.

One rule each: a whole number has no decimals and other values up to four; a share is a
percentage rounded half up (0.125 is 13%, everywhere); a moment is UTC to the minute;
what a user wrote is shown, never obeyed: control characters become visible escapes
(``shown``), Markdown cells are escaped (``md_cell``), CSV cells a spreadsheet would run
as a formula are neutralised (``csv_text``).  Rich markup in user text is never parsed:
okr's consoles are made with ``markup=False`` (``okrcli.output.console``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import datetime, timezone, tzinfo
from typing import Any

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
    return f"{text}{unit}" if unit == "%" else f"{text} {shown(unit)}"


def band(low: float | None, high: float | None, unit: str | None) -> str:
    """A range of values for people: ``10–12 ms``, ``60–70%``."""
    text = f"{num(low)}–{num(high)}"
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {shown(unit)}"


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


# C0 and C1 controls (ESC starts CSI/OSC sequences, CR rewrites a line, BEL, backspace…),
# DEL, line and paragraph separators, and the bidirectional controls that reorder what a
# terminal or a browser shows ("Trojan Source")
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: str) -> str:
    """``text`` a user wrote, safe to show on a terminal and on one line: every control
    character as a visible escape (ESC -> ``\\x1b``, CR -> ``\\r``, LF -> ``\\n``,
    U+202E -> ``\\u202e``); everything else unchanged."""
    return _CONTROL.sub(_visible, text) if _CONTROL.search(text) else text


_MD_SPECIAL = re.compile(r"[\\|`*_~\[\]<>&]")
_MD_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def _md_escape(match: re.Match[str]) -> str:
    char = match.group()
    return _MD_ENTITIES.get(char) or "\\" + char


def md_cell(text: str) -> str:
    """Text safe inside a Markdown table cell or heading, on one line: ``|``, ``\\``,
    backticks, the emphasis marks ``*``, ``_`` and ``~``, and the brackets of links
    escaped, raw HTML made text (``<`` -> ``&lt;``, ``&`` -> ``&amp;``), line breaks as
    spaces, other control characters visible."""
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    return _MD_SPECIAL.sub(_md_escape, shown(text))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(text: str) -> str:
    """A CSV cell of text a user wrote: one a spreadsheet would run as a formula (it
    starts with ``= + - @``, a tab or CR) gets a leading ``'``; control characters are
    shown as escapes.  Numbers are written by ``okrcli.machine``, never through here."""
    if text.startswith(_FORMULA_START):
        text = "'" + text
    return shown(text)


class Line:
    """One laid-out line of styled text: its parts and their styles, as cheap as a list.

    A report of thousands of rows is built of these; ``plain`` is its text as rich would
    write it without colour (rich's control-code stripping, the same characters), and
    ``to_text`` the rich ``Text`` for a colour terminal.  ``okrcli.output.print_lines``
    takes either."""

    __slots__ = ("parts",)

    def __init__(self, text: str = "", style: str = "") -> None:
        self.parts: list[tuple[str, str]] = [(text, style)] if text else []

    @classmethod
    def of(cls, parts: Iterable[tuple[str, str | None]]) -> Line:
        """A line of these (text, style) parts."""
        made = cls.__new__(cls)
        made.parts = [(text, style or "") for text, style in parts if text]
        return made

    def append(self, text: str, style: str | None = None) -> None:
        if text:
            self.parts.append((text, style or ""))

    def rstrip(self) -> None:
        """Drop the whitespace at the end (as ``Text.rstrip``)."""
        parts = self.parts
        while parts:
            text, style = parts[-1]
            kept = text.rstrip()
            if kept:
                parts[-1] = (kept, style)
                return
            parts.pop()

    @property
    def plain(self) -> str:
        from okrcli.output import strip_controls

        return strip_controls("".join(text for text, _ in self.parts))

    def to_text(self) -> Any:
        from rich.text import Text

        made = Text()
        for text, style in self.parts:
            made.append(text, style=style)
        return made
