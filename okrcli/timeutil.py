"""Time, in one place: "now", "today", the end of a day, and reading timestamps.

"Today" is one thing for every command: the current date in UTC, the organisation's
time zone until settings say otherwise.  Timestamps are read with one pinned grammar
(ISO 8601's extended form, ASCII digits only), not with ``datetime.fromisoformat``, whose
grammar grew between Python 3.10 and 3.11: every supported Python reads the same journal
the same way.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone

UTC = timezone.utc

# 2026-11-20, 2026-11-20T10:31, 2026-11-20T10:31:00, 2026-11-20 10:31:00.5+01:00, …Z
_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?"
    r"(?:([Zz])|([+-])(\d{2}):?(\d{2}))?)?",
    re.ASCII,
)
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)


def parse_timestamp(text: str) -> datetime:
    """An ISO 8601 date or date-time; a date alone is 00:00 and no offset means UTC.

    ``ValueError`` for anything else (including dates that do not exist).
    """
    m = _TIMESTAMP.fullmatch(text.strip())
    if m is None:
        raise ValueError(f"not an ISO 8601 date or time: {text!r}")
    year, month, day, hour, minute, second, fraction, _zulu, sign, oh, om = m.groups()
    offset = UTC
    if sign is not None:
        delta = timedelta(hours=int(oh), minutes=int(om))
        if delta >= timedelta(hours=24):
            raise ValueError(f"offset out of range: {text!r}")
        offset = timezone(-delta if sign == "-" else delta)
    micro = int(fraction.ljust(6, "0")) if fraction else 0
    return datetime(
        int(year),
        int(month),
        int(day),
        int(hour or 0),
        int(minute or 0),
        int(second or 0),
        micro,
        tzinfo=offset,
    )


def parse_day(text: str) -> date:
    """A calendar date ``YYYY-MM-DD``; ``ValueError`` for anything else."""
    m = _DAY.fullmatch(text.strip())
    if m is None:
        raise ValueError(f"not a date like 2026-11-22: {text!r}")
    return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAYS_AGO = re.compile(r"-(\d{1,5})([dw])", re.ASCII)

#: What a relative day may be, for messages: ``--as-of takes … (DAY_FORMS)``.
DAY_FORMS = "2026-11-22, today, yesterday, a weekday like monday, or -3d / -2w for days/weeks ago"


def parse_day_text(text: str, today: date) -> date:
    """A day as people write it on the command line, counted from ``today``.

    ``2026-11-22``; ``today``; ``yesterday``; a weekday (``monday`` or ``mon``: the most
    recent one, today if today is that day); ``-3d`` (three days ago) or ``-2w`` (two
    weeks ago).  Case does not matter.  ``ValueError`` for anything else.
    """
    word = text.strip().lower()
    if word == "today":
        return today
    if word == "yesterday":
        return today - timedelta(days=1)
    for number, name in enumerate(_WEEKDAYS):
        if len(word) >= 3 and name.startswith(word):
            return today - timedelta(days=(today.weekday() - number) % 7)
    m = _DAYS_AGO.fullmatch(word)
    if m is not None:
        count = int(m.group(1)) * (7 if m.group(2) == "w" else 1)
        try:
            return today - timedelta(days=count)
        except OverflowError:
            raise ValueError(f"too far back: {text!r}") from None
    return parse_day(word)


def now() -> datetime:
    """The current moment in UTC, to the second (what a new check-in records)."""
    return datetime.now(UTC).replace(microsecond=0)


def today() -> date:
    """Today, for every command: the current date in UTC."""
    return datetime.now(UTC).date()


def day_of(moment: datetime) -> date:
    """The calendar day (UTC) a moment falls on."""
    return moment.astimezone(UTC).date()


def end_of_day(day: date) -> datetime:
    """The first instant after ``day`` (UTC): what is before it counts as of ``day``."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC)


def start_of_day(day: date) -> datetime:
    """The first instant of ``day`` (UTC)."""
    return datetime.combine(day, time(0), tzinfo=UTC)
