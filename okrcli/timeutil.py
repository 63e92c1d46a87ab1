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


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal()
# the layout okr writes: 2026-11-20T10:31:00+00:00 (or …Z)
_OKR_AT = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:Z|([+-])(\d{2}):(\d{2}))", re.ASCII
)
_DAYS: dict[str, int] = {}  # 'YYYY-MM-DD' -> days since 1970 (most records share their day)


def instant(moment: datetime) -> tuple[int, int]:
    """An aware ``moment`` as (microseconds since 1970-01-01 UTC, its UTC offset in
    seconds)."""
    offset = moment.utcoffset()
    return (moment - _EPOCH) // _US, 0 if not offset else int(offset.total_seconds())


def parse_instant(text: str) -> tuple[int, int]:
    """``parse_timestamp(text)`` as ``instant`` gives it, without building a datetime for
    the layout okr writes.  ``ValueError`` as ``parse_timestamp``."""
    m = _OKR_AT.fullmatch(text)
    if m is None:
        return instant(parse_timestamp(text))
    year, month, day, hour, minute, second, sign, oh, om = m.groups()
    days = _DAYS.get(text[:10])
    if days is None:
        days = _DAYS[text[:10]] = date(int(year), int(month), int(day)).toordinal() - EPOCH_ORDINAL
    h, mi, s = int(hour), int(minute), int(second)
    if h > 23 or mi > 59 or s > 59:
        raise ValueError(f"not an ISO 8601 date or time: {text!r}")
    offset = 0
    if sign is not None:
        offset = int(oh) * 3600 + int(om) * 60
        if offset >= 86400:
            raise ValueError(f"offset out of range: {text!r}")
        if sign == "-":
            offset = -offset
    return (days * 86400 + h * 3600 + mi * 60 + s - offset) * 1_000_000, offset


def parse_day(text: str) -> date:
    """A calendar date ``YYYY-MM-DD``; ``ValueError`` for anything else."""
    m = _DAY.fullmatch(text.strip())
    if m is None:
        raise ValueError(f"not a date like 2026-11-22: {text!r}")
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
