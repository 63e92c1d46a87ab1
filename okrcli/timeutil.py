"""Time, in one place: "now", "today", the organisation's days, and reading timestamps.

"Today" is one thing for every command: the current date in the organisation's time zone
(``timezone:`` in okr.yaml, an IANA name, UTC by default).  Every day boundary (an as-of
date's end, a date-only ``at``, staleness, period edges) is a day of that zone; the
functions here take the zone as ``zone`` (UTC when left out).

Timestamps are read with one pinned grammar (ISO 8601's extended form, ASCII digits only),
not with ``datetime.fromisoformat``, whose grammar grew between Python 3.10 and 3.11: every
supported Python reads the same journal the same way.  A timestamp without an offset is a
wall-clock time of the organisation's zone; read without a zone it stays naive until
``localize`` gives it one (the journal is read before anything knows the zone's rules).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo

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
# what ``okr checkin`` writes: 2026-11-20T10:31:00+00:00
_CANONICAL = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", re.ASCII)
YEARS = f"the years {FIRST_YEAR} to {LAST_YEAR}"


class OutOfRange(ValueError):
    """A well-formed date outside the years okr handles."""


def check_year(year: int, text: str) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise OutOfRange(f"{text!r} is outside {YEARS}, which okr handles")


def zone_named(name: str) -> tzinfo:
    """The time zone of an IANA name (``Europe/Berlin``; ``UTC``); ``ValueError`` if there
    is no such zone on this system."""
    if name in ("UTC", "Etc/UTC", "Z"):
        return UTC
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not name or name.startswith(("/", ".")) or ".." in name or "\\" in name:
        raise ValueError(f"no time zone is named {name!r}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"no time zone is named {name!r}") from None


def zone_or_utc(name: object) -> tzinfo:
    """The zone ``name`` names; UTC when it is no name or names no zone on this system (an
    unknown one is ``okr validate``'s to report)."""
    if not isinstance(name, str):
        return UTC
    try:
        return zone_named(name)
    except ValueError:
        return UTC


def zone_names() -> list[str]:
    """Every IANA zone name this system knows (for suggestions)."""
    from zoneinfo import available_timezones

    return sorted(available_timezones())


def parse_timestamp(text: str, zone: tzinfo | None = None) -> datetime:
    """An ISO 8601 date or date-time; a date alone is 00:00.  Without an offset the time is
    one of ``zone``; with ``zone`` None it is returned naive (see ``localize``).

    ``ValueError`` for anything else (including dates that do not exist), ``OutOfRange``
    when the moment's day, where it was written or in UTC, is outside ``YEARS``.
    """
    if _CANONICAL.fullmatch(text) and FIRST_YEAR < int(text[:4]) < LAST_YEAR:
        # the form okr writes, well inside the years: the C parser reads it the same
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            pass  # a day or an offset that does not exist: said below
    return _parse_timestamp(text, zone)


def _parse_timestamp(text: str, zone: tzinfo | None) -> datetime:
    """``parse_timestamp`` by the pinned grammar alone."""
    m = _TIMESTAMP.fullmatch(text.strip())
    if m is None:
        raise ValueError(f"not an ISO 8601 date or time: {text!r}")
    year, month, day, hour, minute, second, fraction, zulu, sign, oh, om = m.groups()
    check_year(int(year), text)
    offset: tzinfo | None = zone
    if zulu is not None:
        offset = UTC
    elif sign is not None:
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


def localize(moment: datetime, zone: tzinfo = UTC) -> datetime:
    """``moment`` with a time zone: a naive (wall-clock) time is read in ``zone``."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def parse_day(text: str) -> date:
    """A calendar date ``YYYY-MM-DD``; ``ValueError`` for anything else, ``OutOfRange``
    outside ``YEARS``."""
    m = _DAY.fullmatch(text.strip())
    if m is None:
        raise ValueError(f"not a date like 2026-11-22: {text!r}")
    check_year(int(m.group(1)), text)
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


def _utcnow() -> datetime:
    """The clock: the one place okr asks the system for the time."""
    return datetime.now(UTC)


def now() -> datetime:
    """The current moment in UTC, to the second (what a new check-in records)."""
    return _utcnow().replace(microsecond=0)


def today(zone: tzinfo = UTC) -> date:
    """Today, for every command: the current date in the organisation's ``zone``."""
    return _utcnow().astimezone(zone).date()


def day_of(moment: datetime, zone: tzinfo = UTC) -> date:
    """The calendar day of ``zone`` a moment falls on (a naive moment is read in it)."""
    return localize(moment, zone).astimezone(zone).date()


def start_of_day(day: date, zone: tzinfo = UTC) -> datetime:
    """The first instant of ``day`` in ``zone``."""
    return datetime.combine(day, time(0), tzinfo=zone)


def end_of_day(day: date, zone: tzinfo = UTC) -> datetime:
    """The first instant after ``day`` in ``zone``: what is before it counts as of ``day``."""
    return start_of_day(day + timedelta(days=1), zone)
