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

# The days okr handles: a period's dates, the day after a day and the UTC day of a moment
# all exist for every day in these years, whatever the fiscal calendar (Python's dates end
# in 9999; year 0 does not exist).
FIRST_YEAR, LAST_YEAR = 1000, 9998
YEARS = f"the years {FIRST_YEAR} to {LAST_YEAR}"


class OutOfRange(ValueError):
    """A well-formed date outside the years okr handles."""


def check_year(year: int, text: str) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise OutOfRange(f"{text!r} is outside {YEARS}, which okr handles")


def parse_timestamp(text: str) -> datetime:
    """An ISO 8601 date or date-time; a date alone is 00:00 and no offset means UTC.

    ``ValueError`` for anything else (including dates that do not exist), ``OutOfRange``
    when the moment's day, where it was written or in UTC, is outside ``YEARS``.
    """
    m = _TIMESTAMP.fullmatch(text.strip())
    if m is None:
        raise ValueError(f"not an ISO 8601 date or time: {text!r}")
    year, month, day, hour, minute, second, fraction, _zulu, sign, oh, om = m.groups()
    check_year(int(year), text)
    offset = UTC
    if sign is not None:
        delta = timedelta(hours=int(oh), minutes=int(om))
        if delta >= timedelta(hours=24):
            raise ValueError(f"offset out of range: {text!r}")
        offset = timezone(-delta if sign == "-" else delta)
    micro = int(fraction.ljust(6, "0")) if fraction else 0
    moment = datetime(
        int(year),
        int(month),
        int(day),
        int(hour or 0),
        int(minute or 0),
        int(second or 0),
        micro,
        tzinfo=offset,
    )
    check_year(moment.astimezone(UTC).year, text)  # a year in range: no overflow here
    return moment


def parse_day(text: str) -> date:
    """A calendar date ``YYYY-MM-DD``; ``ValueError`` for anything else, ``OutOfRange``
    outside ``YEARS``."""
    m = _DAY.fullmatch(text.strip())
    if m is None:
        raise ValueError(f"not a date like 2026-11-22: {text!r}")
    check_year(int(m.group(1)), text)
    return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


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
