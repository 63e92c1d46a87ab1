"""``okr review``: a hand-written week of check-ins and the lists it must give.

The workspace (as of 2026-11-22; the window is 16 … 22 November, since 2026-11-15):
- platform's KR ``latency`` (bob) decreases 800 -> 400 ms: 700 on 11-10, 600 on 11-17,
  560 on 11-20.  As of 11-15 progress (700-800)/(400-800) = 0.25 against an expected
  46/92 = 0.5: at risk (0.25 >= 0.5-0.30).  As of 11-22 (560-800)/(400-800) = 0.6 against
  53/92 = 0.576: on track (0.6 >= 0.576-0.15).
- the milestone ``runbooks`` (alice) stays at 0.5 (on track both times, no movement);
  objective ``fast`` moves (0.25+0.5)/2 = 0.375 -> (0.6+0.5)/2 = 0.55, on track both times.
- company's KR ``nps-up`` (dana) 30 -> 50, 35 on 11-12: progress 0.25 both times; at risk
  as of 11-15 (0.25 >= 0.2), off track as of 11-22 (0.25 < 0.576-0.30); so is ``trust``.
- KPI ``uptime`` (platform, weekly, up, red 99.5): 99.95, 99.93, 99.91 on 11-01/08/15 and
  99.4 on 11-21; its target is raised 99.9 -> 99.95 in a commit on 11-18.  As of 11-15
  (target 99.95): 99.91 is yellow; as of 11-22: 99.4 < 99.5 is red, three values running
  worse (99.93 > 99.91 > 99.4), and no KR addresses it.
- no value in the window: ``runbooks`` (alice, last 11-05) and ``nps-up`` (dana, 11-12).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import REPO, commit, git_init, write_tree

SETTINGS = """\
version: 1
org: Review Co
teams:
  company: {name: Review Co, lead: dana}
  platform: {name: Platform, parent: company, lead: alice}
"""
COMPANY = """\
team: company
objectives:
  - id: trust
    title: Earn trust
    owner: dana
    key_results:
      - id: nps-up
        title: Raise NPS
        start: 30
        target: 50
"""
PLATFORM = """\
team: platform
objectives:
  - id: fast
    title: Be fast
    owner: alice
    aligns_to: trust
    key_results:
      - id: latency
        title: Cut p99 latency
        start: 800
        target: 400
        unit: ms
        owner: bob
      - id: runbooks
        title: Runbooks
        type: milestone
"""
KPIS = """\
kpis:
  - id: uptime
    title: API uptime
    owner: platform
    unit: "%"
    direction: up
    cadence: weekly
    target: 99.9
    red: 99.5
"""


def rec(at: str, id_: str, value: float, by: str, **more: object) -> str:
    return (
        "- "
        + json.dumps({"at": f"{at}T10:00:00+00:00", "id": id_, "value": value, "by": by, **more})
        + "\n"
    )


JOURNAL = "".join(
    [
        rec("2026-11-01", "uptime", 99.95, "alice"),
        rec("2026-11-05", "runbooks", 0.5, "alice"),
        rec("2026-11-08", "uptime", 99.93, "alice"),
        rec("2026-11-10", "latency", 700, "bob"),
        rec("2026-11-12", "nps-up", 35, "dana"),
        rec("2026-11-15", "uptime", 99.91, "alice"),
        rec("2026-11-17", "latency", 600, "bob", confidence=0.6, note="cache | warm"),
        rec("2026-11-20", "latency", 560, "bob"),
        rec("2026-11-21", "uptime", 99.4, "alice", note="region outage"),
    ]
)


@pytest.fixture
def week(tmp_path: Path) -> Path:
    root = git_init(tmp_path / "ws")
    write_tree(
        root,
        {
            "okr.yaml": SETTINGS,
            "okrs/2026-Q4/company.yaml": COMPANY,
            "okrs/2026-Q4/platform.yaml": PLATFORM,
            "kpis/k.yaml": KPIS,
            "checkins/2026-11.yaml": JOURNAL,
        },
    )
    commit(root, "Q4 plans", "2026-11-10T09:00:00+00:00", author="dana")
    kpis = root / "kpis/k.yaml"
    kpis.write_text(KPIS.replace("target: 99.9", "target: 99.95"))
    commit(root, "Raise the uptime bar", "2026-11-18T09:00:00+00:00", author="alice")
    return root


def review(okr, root: Path, *args: str):
    return okr("--root", str(root), "review", "--as-of", "2026-11-22", *args)


def test_the_json_lists_of_a_week(okr, week):
    result = review(okr, week, "-f", "json")
    assert result.exit_code == 0, result
    doc = json.loads(result.stdout)
    assert (doc["since"], doc["as_of"]) == ("2026-11-15", "2026-11-22")
    assert doc["summary"] == {
        "checkins": 3,
        "status_changes": 3,
        "kpis_need_attention": 1,
        "goalposts": 1,
        "owners_owing": 2,
    }
    assert [(c["id"], c["at"][:10], c["from"], c["to"], c["by"]) for c in doc["checkins"]] == [
        ("uptime", "2026-11-21", 99.91, 99.4, "alice"),
        ("latency", "2026-11-20", 600, 560, "bob"),
        ("latency", "2026-11-17", 700, 600, "bob"),
    ]
    assert doc["checkins"][2]["note"] == "cache | warm"
    assert doc["checkins"][2]["confidence"] == 0.6
    changes = [
        (s["id"], s["kind"], s["from"], s["to"], s["progress_from"], s["progress_to"])
        for s in doc["status_changes"]
    ]
    assert changes == [
        ("nps-up", "kr", "at_risk", "off_track", 0.25, 0.25),
        ("trust", "objective", "at_risk", "off_track", 0.25, 0.25),
        ("latency", "kr", "at_risk", "on_track", 0.25, 0.6),
        ("fast", "objective", "on_track", "on_track", 0.375, 0.55),
    ]
    assert [
        (k["id"], k["from"], k["to"], k["stale"], k["declining"], k["addressed"])
        for k in doc["kpi_changes"]
    ] == [("uptime", "yellow", "red", False, True, False)]
    [post] = doc["goalposts"]
    assert (post["id"], post["field"], post["from"], post["to"], post["who"]) == (
        "uptime",
        "target",
        99.9,
        99.95,
        "alice",
    )
    assert re.fullmatch(r"[0-9a-f]{10}", post["commit"])
    assert doc["owes_checkin"] == [
        {
            "owner": "alice",
            "ids": ["runbooks"],
            "reasons": {"runbooks": "no value since 2026-11-05"},
        },
        {"owner": "dana", "ids": ["nps-up"], "reasons": {"nps-up": "no value since 2026-11-12"}},
    ]


def test_team_and_owner_filters(okr, week):
    team = json.loads(review(okr, week, "-f", "json", "--team", "platform").stdout)
    assert {c["id"] for c in team["checkins"]} == {"uptime", "latency"}
    assert {s["id"] for s in team["status_changes"]} == {"latency", "fast"}
    assert [o["owner"] for o in team["owes_checkin"]] == ["alice"]
    bob = json.loads(review(okr, week, "-f", "json", "--owner", "bob").stdout)
    assert [c["id"] for c in bob["checkins"]] == ["latency", "latency"]
    assert [s["id"] for s in bob["status_changes"]] == ["latency"]
    assert bob["kpi_changes"] == [] and bob["owes_checkin"] == []


def test_since_a_day_as_as_of_takes_it():
    from datetime import date, timedelta

    from okrcli import timeutil
    from okrcli.commands.review import since_day

    today = timeutil.today()
    assert since_day("yesterday", date(2026, 11, 22)) == today - timedelta(days=1)
    assert since_day("2w", date(2026, 11, 22)) == date(2026, 11, 8)  # back from the as-of
    assert since_day("HEAD~3", date(2026, 11, 22)) is None  # a revision


def test_since_a_span_a_date_or_a_revision(okr, week):
    two_days = json.loads(review(okr, week, "-f", "json", "--since", "2d").stdout)
    assert two_days["since"] == "2026-11-20"
    assert [c["id"] for c in two_days["checkins"]] == ["uptime"]  # 11-21 only
    assert two_days["goalposts"] == []  # the commit of 11-18 is before the window
    dated = json.loads(review(okr, week, "-f", "json", "--since", "2026-11-19").stdout)
    assert [c["at"][:10] for c in dated["checkins"]] == ["2026-11-21", "2026-11-20"]
    head = json.loads(review(okr, week, "-f", "json", "--since", "HEAD").stdout)
    # from the commit of 11-18 09:00 (HEAD): its plans and journal are the "before"; the
    # check-ins after it are those of 11-20 and 11-21, and no plan changed since
    assert head["since"].startswith("HEAD (")
    assert [c["at"][:10] for c in head["checkins"]] == ["2026-11-21", "2026-11-20"]
    assert head["goalposts"] == []
    first = json.loads(review(okr, week, "-f", "json", "--since", "HEAD~1").stdout)
    # from the first commit (11-10 09:00): every check-in since, and the raised bar
    assert sorted(c["at"][:10] for c in first["checkins"]) == [
        "2026-11-10",
        "2026-11-12",
        "2026-11-15",
        "2026-11-17",
        "2026-11-20",
        "2026-11-21",
    ]
    assert [(g["id"], g["field"]) for g in first["goalposts"]] == [("uptime", "target")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2026-11-30"], "--since 2026-11-30 is after --as-of 2026-11-22"),
        (["--since", "no-such-branch"], "unknown revision 'no-such-branch'"),
        (["--owner", "bobb"], "nobody called 'bobb' owns a goal; did you mean 'bob'?"),
        (["--team", "platfrom"], "did you mean 'platform'?"),
    ],
)
def test_bad_input_is_a_usage_error(okr, week, args, message):
    result = review(okr, week, *args)
    assert result.exit_code == 2, result
    assert message in result.stderr
    assert result.stdout == ""


def test_outside_git_the_goal_posts_are_left_out_with_a_note(okr, week, tmp_path):
    import shutil

    plain = tmp_path / "plain"
    shutil.copytree(week, plain, ignore=shutil.ignore_patterns(".git"))
    doc = json.loads(review(okr, plain, "-f", "json").stdout)
    assert doc["goalposts"] == []
    assert any("not inside a git repository" in n for n in doc["notes"])
    assert doc["summary"]["checkins"] == 3


def _no_shas(text: str) -> str:
    return re.sub(r"\b[0-9a-f]{10}\b", "<sha>", text)


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_snapshots(okr, week, fmt):
    result = review(okr, week, "-f", fmt)
    assert result.exit_code == 0, result
    expected = REPO / "tests" / "snapshots" / f"review-week.{'md' if fmt == 'markdown' else 'txt'}"
    if not expected.exists():  # first run writes the snapshot, to be reviewed and committed
        expected.write_text(_no_shas(result.stdout), encoding="utf-8")
    assert _no_shas(result.stdout) == expected.read_text(encoding="utf-8")


# --- the transcripts of docs/review.md ------------------------------------------------------


def review_scenario(tmp_path: Path) -> Path:
    """The example in a repository: its goals committed on 11-10, then alice eases the
    cloud-bill target on 11-18 (a goal post moved in the week of the review)."""
    import shutil

    from helpers import EXAMPLE

    root = git_init(tmp_path / "acme")
    shutil.copytree(EXAMPLE, root, dirs_exist_ok=True)
    commit(root, "Acme's goals", "2026-11-10T09:00:00+00:00", author="dana")
    plan = root / "okrs/2026-Q4/platform.yaml"
    plan.write_text(plan.read_text().replace("target: 160", "target: 170"))
    commit(root, "Ease the cloud-bill target: prices rose", "2026-11-18T15:00:00+00:00", "alice")
    return root


DOCS_COMMANDS = [
    ("--as-of", "2026-11-22"),
    ("--as-of", "2026-11-22", "--format", "markdown"),
    ("--as-of", "2026-11-22", "--team", "support", "--format", "json"),
]


@pytest.mark.parametrize("args", DOCS_COMMANDS)
def test_docs_transcripts_are_current(okr, tmp_path, monkeypatch, args):
    root = review_scenario(tmp_path)
    monkeypatch.chdir(root)
    docs = _no_shas((REPO / "docs" / "review.md").read_text(encoding="utf-8"))
    result = okr("review", *args)
    assert result.exit_code == 0, result
    output = result.stdout
    if "json" in args:
        output = json.dumps(json.loads(output), indent=2, ensure_ascii=False) + "\n"
    assert _no_shas(f"$ okr review {' '.join(args)}\n" + output) in docs
