"""A real organisation's published quarter, end to end (issue #10, "Done when").

Modelled on the core OKR scoring an open-source organisation published for its second
quarter of 2018 (Status, discuss.status.im "Core OKR Q2 scoring"): six objectives scored
0.6, 0.63, 0.47, 0.1, 0.7 and 0.5, team score 0.50; the first objective's key results
scored 0.7 (send/delivered ratio, measured), 0.6 (a trust survey) and 0.5 (no reliability
bug reports).  Titles are paraphrased; the other objectives' key results are reduced to one
scored key result carrying the objective's published score.  As on the real page, about
half of the key results were never scored, the final scores were written ten days after
the quarter ended (naming the quarter), the survey key result was renamed during the
quarter, and the organisation keeps its days in New York time.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from okrcli import timeutil

SETTINGS = """\
version: 1
org: Status
timezone: America/New_York
teams:
  core: {name: Core}
lint: {max_objectives: 6}  # six objectives that quarter
"""
PLAN = """\
team: core
objectives:
  - id: messaging-reliable
    title: Messaging is reliable
    key_results:
      - {id: delivered-ratio, title: Sent messages delivered, start: 90, target: 99, unit: "%"}
      - {id: trust-survey, was: survey-trust, title: Surveyed users trust messaging,
         type: milestone}
      - {id: no-reliability-reports, title: No reliability bug reports, type: milestone}
      - {id: offline-inbox, title: Offline inbox works, type: milestone}
  - id: grow-contributors
    title: Grow the contributor base
    key_results:
      - {id: contributors, title: New regular contributors, type: milestone}
      - {id: bounties, title: Bounties paid out, type: milestone}
      - {id: meetups, title: Community meetups held, type: milestone}
  - id: wallet-usable
    title: The wallet is usable day to day
    key_results:
      - {id: wallet-flows, title: Core wallet flows pass usability tests, type: milestone}
      - {id: wallet-tokens, title: Custom tokens supported, type: milestone}
  - id: desktop-app
    title: Ship a desktop app
    key_results:
      - {id: desktop-beta, title: Desktop beta released, type: milestone}
      - {id: desktop-installs, title: Desktop installs tracked, type: milestone}
  - id: dapp-ecosystem
    title: DApps run well inside the app
    key_results:
      - {id: dapps-listed, title: DApps listed and tested, type: milestone}
      - {id: dapp-sdk, title: DApp SDK documented, type: milestone}
  - id: efficient-team
    title: Work efficiently as a distributed team
    key_results:
      - {id: meeting-load, title: Meeting load kept in check, type: milestone}
      - {id: onboarding-time, title: New hires productive in two weeks, type: milestone}
"""
# during the quarter: the survey, still under its old id, and the delivery ratio
DURING = """\
- {at: "2018-05-14T15:00:00Z", id: survey-trust, value: 0.3, by: pedro, note: "first survey"}
- {at: "2018-05-21T15:00:00Z", id: delivered-ratio, value: 93.5, by: pedro}
"""
# the final scores, written on 2018-07-10, ten days after the quarter, naming it
FINAL = """\
- {at: "2018-07-10T10:00:00-04:00", id: delivered-ratio, period: 2018-Q2, value: 96.3, by: pedro}
- {at: "2018-07-10T10:01:00-04:00", id: trust-survey, period: 2018-Q2, value: 0.6, by: pedro}
- {at: "2018-07-10T10:02:00-04:00", id: no-reliability-reports, period: 2018-Q2, value: 0.5}
- {at: "2018-07-10T10:03:00-04:00", id: contributors, period: 2018-Q2, value: 0.63}
- {at: "2018-07-10T10:04:00-04:00", id: wallet-flows, period: 2018-Q2, value: 0.47}
- {at: "2018-07-10T10:05:00-04:00", id: desktop-beta, period: 2018-Q2, value: 0.1}
- {at: "2018-07-10T10:06:00-04:00", id: dapps-listed, period: 2018-Q2, value: 0.7}
"""
FILES = {
    "okrs/2018-Q2/core.yaml": PLAN,
    "checkins/2018-05.yaml": DURING,
    "checkins/2018-07.yaml": FINAL,
}

# The published scores of every scored key result, and how okr gets them:
PUBLISHED = {
    "delivered-ratio": 0.7,  # measured: (96.3 - 90) / (99 - 90) = 6.3 / 9 = 0.7
    "trust-survey": 0.6,  # renamed from survey-trust: its latest value, 0.6
    "no-reliability-reports": 0.5,
    "contributors": 0.63,
    "wallet-flows": 0.47,
    "desktop-beta": 0.1,
    "dapps-listed": 0.7,
    "meeting-load": 0.5,  # scored at 22:00 New York time, in the last test
}
UNSCORED = [
    "offline-inbox", "bounties", "meetups", "wallet-tokens", "desktop-installs", "dapp-sdk",
    "onboarding-time",
]  # fmt: skip
# objective grades: the mean of their scored KRs (the unscored ones are ungraded, not 0):
#   messaging-reliable (0.7 + 0.6 + 0.5) / 3 = 0.6   (as published; not 1.8 / 4 = 0.45)
#   grow-contributors 0.63, wallet-usable 0.47, desktop-app 0.1, dapp-ecosystem 0.7,
#   efficient-team 0.5
#   team core (0.6 + 0.63 + 0.47 + 0.1 + 0.7 + 0.5) / 6 = 3.0 / 6 = 0.5  (as published)
OBJECTIVES = {
    "messaging-reliable": 0.6,
    "grow-contributors": 0.63,
    "wallet-usable": 0.47,
    "desktop-app": 0.1,
    "dapp-ecosystem": 0.7,
    "efficient-team": 0.5,
}


def _at_22_00_new_york(monkeypatch: pytest.MonkeyPatch) -> None:
    # 22:00 on 2018-07-10 in New York (EDT, UTC-4) is 02:00 on 2018-07-11 in UTC
    moment = datetime(2018, 7, 11, 2, 0, 30, tzinfo=timezone.utc)
    monkeypatch.setattr(timeutil, "_utcnow", lambda: moment)


@pytest.fixture
def status(okr, make_workspace, monkeypatch):
    root = make_workspace(FILES, settings=SETTINGS)
    _at_22_00_new_york(monkeypatch)
    done = okr("--root", str(root), "checkin", "meeting-load", "0.5", "--period", "2018-Q2",
               "--by", "oskar")  # fmt: skip
    assert done.exit_code == 0, done
    return root


def test_the_published_quarter_validates_clean(okr, status):
    result = okr("--root", str(status), "validate")
    assert (result.exit_code, result.stderr) == (0, ""), result


def test_close_reproduces_every_published_score_and_lists_the_unscored(okr, status):
    result = okr("--root", str(status), "close", "2018-Q2", "-f", "json")
    assert result.exit_code == 0, result
    doc = json.loads(result.stdout)
    assert doc["as_of"] == "2018-07-10"  # today in New York, the organisation's zone
    krs = {k["id"]: k for o in doc["teams"][0]["objectives"] for k in o["key_results"]}
    assert {k: v["grade"] for k, v in krs.items() if v["grade"] is not None} == PUBLISHED
    assert [k for k, v in krs.items() if v["grade"] is None] == UNSCORED
    assert doc["ungraded"] == UNSCORED
    assert (doc["graded"], doc["total"]) == (8, 15)
    assert {o["id"]: o["grade"] for o in doc["teams"][0]["objectives"]} == OBJECTIVES
    assert doc["teams"][0]["grade"] == doc["grade"] == 0.5
    assert "graded 8 of 15 KRs; 7 have no data and are ungraded: offline-inbox" in (result.stderr)
    table = okr("--root", str(status), "close", "2018-Q2")
    assert "graded 8 of 15 KRs; ungraded (no data): offline-inbox, bounties" in table.stdout


def test_the_scorecard_of_the_quarter_agrees_with_close_on_every_kr(okr, status):
    card = okr("--root", str(status), "scorecard", "--period", "2018-Q2", "-f", "json")
    assert card.exit_code == 0, card
    doc = json.loads(card.stdout)
    progress = {k["id"]: k["progress"] for o in doc["objectives"] for k in o["key_results"]}
    close = json.loads(okr("--root", str(status), "close", "2018-Q2", "-f", "json").stdout)
    grades = {
        k["id"]: k["grade"] for o in close["teams"][0]["objectives"] for k in o["key_results"]
    }
    assert progress == grades
    statuses = {k["id"]: k["status"] for o in doc["objectives"] for k in o["key_results"]}
    assert all(statuses[k] == "no_data" for k in UNSCORED)  # never "0% off track"
    assert {o["id"]: o["progress"] for o in doc["objectives"]} == OBJECTIVES


def test_the_renamed_kr_keeps_its_history(okr, status):
    result = okr("--root", str(status), "history", "trust-survey", "-f", "json")
    assert result.exit_code == 0, result
    values = json.loads(result.stdout)["values"]
    assert [(v["value"], v["note"]) for v in values] == [(0.3, "first survey"), (0.6, None)]
    old = okr("--root", str(status), "history", "survey-trust")
    assert "'survey-trust' was renamed to 'trust-survey' in 2018-Q2" in old.stderr


def test_a_checkin_at_22_00_in_new_york_shows_in_the_scorecard_right_after(okr, status):
    # the meeting-load score was checked in by the fixture at 22:00 New York time
    card = okr("--root", str(status), "scorecard", "--period", "2018-Q2", "-f", "json")
    doc = json.loads(card.stdout)
    assert doc["as_of"] == "2018-07-10"
    kr = next(k for o in doc["objectives"] for k in o["key_results"] if k["id"] == "meeting-load")
    assert (kr["current"], kr["progress"]) == (0.5, 0.5)
    assert kr["updated"] == "2018-07-11T02:00:30+00:00"
