"""The organisation's time zone (``timezone:`` in okr.yaml): every day is a day of that zone.

"Today", the end of an as-of day, a date-only or offset-less ``at``, staleness and the
journal file of a new record all follow it; JSON times stay in UTC.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from okrcli import timeutil

NEW_YORK = """\
version: 1
org: Test Org
timezone: America/New_York
teams:
  company: {name: Test Org}
"""
PLAN = """\
team: company
objectives:
  - id: grow
    title: Grow
    key_results:
      - id: signups
        title: Weekly signups
        start: 0
        target: 8
"""
KPIS = """\
kpis:
  - id: uptime
    title: Uptime
    direction: up
    cadence: weekly
    target: 99.9
"""


def _clock(monkeypatch: pytest.MonkeyPatch, utc: str) -> None:
    moment = datetime.fromisoformat(utc).replace(tzinfo=timezone.utc)
    monkeypatch.setattr(timeutil, "_utcnow", lambda: moment)


def test_a_checkin_at_22_00_in_new_york_shows_in_the_scorecard_printed_right_after(
    okr, make_workspace, monkeypatch
):
    root = make_workspace({"okrs/2026-Q4/company.yaml": PLAN}, settings=NEW_YORK)
    # 22:00 on 2026-11-20 in New York (UTC-5) is 03:00 on 2026-11-21 in UTC
    _clock(monkeypatch, "2026-11-21T03:00:00")
    done = okr("--root", str(root), "checkin", "signups", "2", "--by", "ann")
    assert done.exit_code == 0, done
    # the record keeps the exact moment (in UTC) and goes to New York's month
    line = (root / "checkins" / "2026-11.yaml").read_text()
    assert '"at": "2026-11-21T03:00:00+00:00"' in line

    card = okr("--root", str(root), "scorecard", "-f", "json")
    assert card.exit_code == 0, card
    doc = json.loads(card.stdout)
    assert doc["as_of"] == "2026-11-20"  # today in New York
    kr = doc["objectives"][0]["key_results"][0]
    assert kr["current"] == 2
    assert kr["progress"] == 0.25  # (2 - 0) / (8 - 0)
    assert kr["updated"] == "2026-11-21T03:00:00+00:00"  # machines read UTC
    table = okr("--root", str(root), "scorecard")
    assert "0 → 2 → 8" in table.stdout and "2026-11-20" in table.stdout


def test_the_same_moment_in_utc_is_already_the_next_day(okr, make_workspace, monkeypatch):
    settings = NEW_YORK.replace("timezone: America/New_York\n", "")
    root = make_workspace({"okrs/2026-Q4/company.yaml": PLAN}, settings=settings)
    _clock(monkeypatch, "2026-11-21T03:00:00")
    assert okr("--root", str(root), "checkin", "signups", "2").exit_code == 0
    doc = json.loads(okr("--root", str(root), "scorecard", "-f", "json").stdout)
    assert doc["as_of"] == "2026-11-21"
    assert doc["objectives"][0]["key_results"][0]["current"] == 2


def test_a_new_record_goes_to_the_file_of_the_organisations_month(okr, make_workspace, monkeypatch):
    root = make_workspace({"okrs/2026-Q4/company.yaml": PLAN}, settings=NEW_YORK)
    # 2026-12-01 03:00 UTC is still November 30 in New York
    _clock(monkeypatch, "2026-12-01T03:00:00")
    assert okr("--root", str(root), "checkin", "signups", "3").exit_code == 0
    assert (root / "checkins" / "2026-11.yaml").exists()
    assert not (root / "checkins" / "2026-12.yaml").exists()
    result = okr("--root", str(root), "validate", "--as-of", "2026-11-30")
    assert result.exit_code == 0 and result.stderr == ""


def test_a_time_without_offset_and_a_date_alone_are_new_york_times(okr, make_workspace):
    root = make_workspace(
        {
            "okrs/2026-Q4/company.yaml": PLAN,
            # 23:30 in New York is 04:30 UTC the next day
            "checkins/2026-11.yaml": '- {at: "2026-11-20T23:30", id: signups, value: 4}\n'
            '- {at: "2026-11-21", id: signups, value: 6}\n',
        },
        settings=NEW_YORK,
    )
    base = ("--root", str(root), "scorecard", "-f", "json", "--as-of")
    kr = json.loads(okr(*base, "2026-11-20").stdout)["objectives"][0]["key_results"][0]
    assert kr["current"] == 4  # counted as of New York's 2026-11-20
    assert kr["updated"] == "2026-11-21T04:30:00+00:00"
    kr = json.loads(okr(*base, "2026-11-21").stdout)["objectives"][0]["key_results"][0]
    assert kr["current"] == 6
    assert kr["updated"] == "2026-11-21T05:00:00+00:00"  # 00:00 in New York (UTC-5)


def test_staleness_counts_the_organisations_days(okr, make_workspace):
    files = {
        "okrs/2026-Q4/company.yaml": PLAN,
        "kpis/k.yaml": KPIS,
        # 23:00 on 2026-11-11 in New York is 04:00 on 2026-11-12 in UTC
        "checkins/2026-11.yaml": '- {at: "2026-11-12T04:00:00+00:00", id: uptime, value: 99.95}\n',
    }
    ny = make_workspace(files, settings=NEW_YORK)
    kpi = json.loads(
        okr("--root", str(ny), "scorecard", "-f", "json", "--as-of", "2026-11-22").stdout
    )["kpis"][0]
    # New York: 2026-11-22 − 2026-11-11 = 11 days > 1.5 × 7 = 10.5: stale
    assert kpi["stale"] is True


def test_the_scorecard_dates_a_kpis_last_value_on_the_organisations_calendar(okr, make_workspace):
    files = {
        "okrs/2026-Q4/company.yaml": PLAN,
        "kpis/k.yaml": KPIS,
        "checkins/2026-11.yaml": '- {at: "2026-11-12T04:00:00+00:00", id: uptime, value: 99.95}\n',
    }
    ny = make_workspace(files, settings=NEW_YORK)
    for fmt in ("table", "markdown"):
        shown = okr("--root", str(ny), "scorecard", "-f", fmt, "--as-of", "2026-11-22").stdout
        # 04:00 UTC on the 12th is 23:00 on the 11th in New York: 11 days before the 22nd
        assert "11-11, 11d ago, stale" in shown and "11-12" not in shown


def test_in_utc_the_same_value_is_a_day_younger(okr, make_workspace):
    files = {
        "okrs/2026-Q4/company.yaml": PLAN,
        "kpis/k.yaml": KPIS,
        "checkins/2026-11.yaml": '- {at: "2026-11-12T04:00:00+00:00", id: uptime, value: 99.95}\n',
    }
    utc = make_workspace(files, settings=NEW_YORK.replace("America/New_York", "UTC"))
    kpi = json.loads(
        okr("--root", str(utc), "scorecard", "-f", "json", "--as-of", "2026-11-22").stdout
    )["kpis"][0]
    # UTC: 2026-11-22 − 2026-11-12 = 10 days ≤ 10.5: fresh
    assert kpi["stale"] is False


def test_an_unknown_time_zone_is_a_located_error_with_a_suggestion(okr, make_workspace):
    root = make_workspace(
        {"okrs/2026-Q4/company.yaml": PLAN},
        settings=NEW_YORK.replace("America/New_York", "America/New_Yrok"),
    )
    result = okr("--root", str(root), "validate")
    assert result.exit_code == 1
    assert "okr.yaml:3:11: error[unknown-timezone] timezone 'America/New_Yrok'" in result.stderr
    assert "did you mean 'America/New_York'" in result.stderr


def test_history_shows_times_in_the_organisations_zone(okr, make_workspace):
    root = make_workspace(
        {
            "okrs/2026-Q4/company.yaml": PLAN,
            "checkins/2026-11.yaml": '- {at: "2026-11-21T03:00:00+00:00", id: signups, value: 2}\n',
        },
        settings=NEW_YORK,
    )
    shown = okr("--root", str(root), "history", "signups", "--as-of", "2026-11-22").stdout
    assert "when (America/New_York)" in shown
    assert "2026-11-20 22:00" in shown
