"""The one time module: a pinned timestamp grammar, one "today", day boundaries."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


# --- days as people write them on the command line ------------------------------------------

SUNDAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20", date(2026, 11, 20)),
        ("today", SUNDAY),
        ("Today", SUNDAY),
        ("yesterday", date(2026, 11, 21)),
        ("monday", date(2026, 11, 16)),  # the most recent Monday
        ("mon", date(2026, 11, 16)),
        ("sunday", SUNDAY),  # today is a Sunday: today
        ("Saturday", date(2026, 11, 21)),
        ("-3d", date(2026, 11, 19)),
        ("-0d", SUNDAY),
        ("-2w", date(2026, 11, 8)),
        (" -1D ", date(2026, 11, 21)),
    ],
)
def test_relative_days(text: str, expected: date) -> None:
    assert timeutil.parse_day_text(text, SUNDAY) == expected


def test_a_weekday_on_that_day_is_today() -> None:
    monday = date(2026, 11, 23)
    assert timeutil.parse_day_text("monday", monday) == monday
    assert timeutil.parse_day_text("tuesday", monday) == date(2026, 11, 17)


@pytest.mark.parametrize(
    "text", ["tomorow", "mo", "3d", "+3d", "-d", "-3m", "22.11.2026", "", "-999999d"]
)
def test_other_relative_days_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        timeutil.parse_day_text(text, SUNDAY)


@given(
    st.from_regex(
        r"\A(19[0-9]{2}|20[0-9]{2}|2[1-9][0-9]{2})-[0-3][0-9]-[0-3][0-9]T[0-2][0-9]:[0-6][0-9]:"
        r"[0-6][0-9][+-][0-2][0-9]:[0-6][0-9]\Z",
        fullmatch=True,
    )
)
def test_the_quick_reading_of_okrs_own_form_is_the_grammars(text):
    """``okr checkin``'s form is read by the C parser; it gives what the pinned grammar gives,
    or refuses what it refuses."""
    from okrcli.timeutil import _parse_timestamp, parse_timestamp

    try:
        expected = _parse_timestamp(text, None)
    except ValueError:
        with pytest.raises(ValueError):
            parse_timestamp(text)
        return
    got = parse_timestamp(text)
    assert got == expected and got.utcoffset() == expected.utcoffset()
