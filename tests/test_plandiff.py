"""The semantic comparison of plans and KPIs (pure: file contents in, changes out)."""

from __future__ import annotations

from datetime import date, datetime

from okrcli.definitions import KRDef, parse_file, snapshot
from okrcli.history import audit
from okrcli.machine import text as fmt_value
from okrcli.periods import Period
from okrcli.plandiff import compare

SETTINGS = b"version: 1\norg: T\nteams: {platform: {}, growth: {}}\n"

PLATFORM = """\
team: platform
objectives:
  - id: fast
    title: Be fast
    owner: alice
    aligns_to: trust
    key_results:
      - id: p99
        title: p99 latency
        start: 850
        target: 300
        unit: ms
        weight: 2
      - id: runbooks
        title: Runbooks
        type: milestone
"""

KPIS = """\
kpis:
  - id: uptime
    title: Uptime
    direction: up
    cadence: weekly
    target: 99.9
"""


def files() -> dict[str, bytes]:
    return {
        "okr.yaml": SETTINGS,
        "okrs/2026-Q4/platform.yaml": PLATFORM.encode(),
        "kpis/all.yaml": KPIS.encode(),
    }


def snap(data: dict[str, bytes], day: date = date(2026, 11, 22), label: str = "x"):
    return snapshot(data, label, day)


def test_parse_file_reads_definitions_and_infers_types():
    parsed = parse_file("okrs/2026-Q4/platform.yaml", PLATFORM.encode())
    assert parsed.diagnostics == []
    assert parsed.plan is not None
    assert parsed.plan.period == "2026-Q4"
    assert parsed.plan.team == "platform"
    p99 = parsed.plan.key_results["p99"]
    assert p99 == KRDef("p99", "fast", "p99 latency", "decrease", 850, 300, 2, None, None, "ms")
    assert parsed.plan.key_results["runbooks"].type == "milestone"
    assert parsed.plan.objectives["fast"].aligns_to == "trust"


def test_parse_file_reports_a_broken_file_with_its_position():
    text = "team: platform\nobjectives:\n  - id: fast\n    title: [unclosed\n"
    parsed = parse_file("okrs/2026-Q4/platform.yaml", text.encode())
    assert parsed.broken
    assert parsed.team is None
    [d] = parsed.diagnostics
    assert (d.code, d.file, d.line, d.column) == ("yaml-syntax", "okrs/2026-Q4/platform.yaml", 5, 1)


def test_parse_file_reports_a_schema_error_at_its_line():
    text = PLATFORM.replace("        weight: 2\n", "        wieght: 2\n")
    parsed = parse_file("okrs/2026-Q4/platform.yaml", text.encode())
    assert parsed.plan is None
    assert parsed.team == "platform"
    [d] = parsed.diagnostics
    assert (d.code, d.line, d.column) == ("unknown-key", 13, 9)  # line 13: the misspelt weight


def test_identical_versions_have_no_changes():
    diff = compare(snap(files()), snap(files()))
    assert diff.changes == []
    assert not diff.changed


def test_a_retarget_after_the_period_started_moves_the_goal_posts():
    new = PLATFORM.replace("target: 300", "target: 250")
    new_files = files() | {"okrs/2026-Q4/platform.yaml": new.encode()}
    diff = compare(snap(files()), snap(new_files, day=date(2026, 10, 2)))
    [c] = diff.changes
    assert (c.kind, c.id, c.action, c.field, c.old, c.new) == (
        "key_result",
        "p99",
        "changed",
        "target",
        300,
        250,
    )
    assert (c.period, c.team) == ("2026-Q4", "platform")
    assert c.goalposts
    assert "2026-10-01" in c.detail


def test_a_retarget_on_or_before_the_first_day_is_planning_not_goal_posts():
    new = files() | {
        "okrs/2026-Q4/platform.yaml": PLATFORM.replace("start: 850", "start: 800").encode()
    }
    for day in (date(2026, 9, 15), date(2026, 10, 1)):
        [c] = compare(snap(files()), snap(new, day=day)).changes
        assert (c.field, c.old, c.new, c.goalposts) == ("start", 850, 800, False)


def test_a_renamed_file_is_matched_by_team_and_period():
    moved = files()
    moved["okrs/2026-Q4/plat.yaml"] = moved.pop("okrs/2026-Q4/platform.yaml")
    [c] = compare(snap(files()), snap(moved)).changes
    assert (c.kind, c.action, c.old, c.new) == (
        "plan",
        "moved",
        "okrs/2026-Q4/platform.yaml",
        "okrs/2026-Q4/plat.yaml",
    )


def test_objectives_and_krs_added_removed_realigned_and_reowned():
    new = (
        PLATFORM.replace("aligns_to: trust", "aligns_to: growth")
        .replace("owner: alice", "owner: bob")
        .replace(
            "      - id: runbooks\n        title: Runbooks\n        type: milestone\n",
            "      - id: errors\n        title: Error rate\n        start: 2\n        target: 1\n",
        )
        + "  - id: cheap\n    title: Be cheap\n"
    )
    diff = compare(snap(files()), snap(files() | {"okrs/2026-Q4/platform.yaml": new.encode()}))
    got = {(c.kind, c.id, c.action, c.field, c.old, c.new) for c in diff.changes}
    assert got == {
        ("objective", "fast", "changed", "owner", "alice", "bob"),
        ("objective", "fast", "changed", "aligns_to", "trust", "growth"),
        ("objective", "cheap", "added", None, None, None),
        ("key_result", "errors", "added", None, None, None),
        ("key_result", "runbooks", "removed", None, None, None),
    }
    added = next(c for c in diff.changes if c.id == "errors")
    assert "decrease 2 → 1" in added.detail


def test_a_kr_moved_to_another_team_is_a_move_not_a_removal():
    growth = (
        "team: growth\nobjectives:\n  - id: grow\n    title: Grow\n    key_results:\n"
        "      - id: p99\n        title: p99 latency\n        start: 850\n        target: 300\n"
        "        unit: ms\n        weight: 2\n"
    )
    platform = PLATFORM.replace(
        "      - id: p99\n        title: p99 latency\n        start: 850\n        target: 300\n"
        "        unit: ms\n        weight: 2\n",
        "",
    )
    new = files() | {
        "okrs/2026-Q4/platform.yaml": platform.encode(),
        "okrs/2026-Q4/growth.yaml": growth.encode(),
    }
    diff = compare(snap(files()), snap(new))
    got = {(c.kind, c.id, c.action, c.team, c.field) for c in diff.changes}
    assert got == {
        ("plan", "growth", "added", "growth", None),
        ("objective", "grow", "added", "growth", None),
        ("key_result", "p99", "moved", "growth", "objective"),
    }


def test_a_broken_file_hides_nothing_as_removed_and_reports_its_diagnostic():
    broken = files() | {"okrs/2026-Q4/platform.yaml": b"team: platform\nobjectives: [\n"}
    diff = compare(snap(files()), snap(broken, label="new"))
    assert diff.changes == []
    assert diff.b.errors
    assert diff.b.diagnostics[0].file == "okrs/2026-Q4/platform.yaml"
    assert any("platform" in n and "not compared" in n for n in diff.notes)


def test_kpis_added_removed_and_retargeted():
    kpis = KPIS.replace("target: 99.9", "target: 99.95") + (
        "  - id: p99\n    title: p99\n    direction: down\n    cadence: daily\n"
    )
    diff = compare(snap(files()), snap(files() | {"kpis/all.yaml": kpis.encode()}))
    got = {(c.kind, c.id, c.action, c.field, c.old, c.new) for c in diff.changes}
    assert got == {
        ("kpi", "uptime", "changed", "target", 99.9, 99.95),
        ("kpi", "p99", "added", None, None, None),
    }
    gone = compare(snap(files()), snap(files() | {"kpis/all.yaml": b"kpis: []\n"}))
    assert [(c.id, c.action) for c in gone.changes] == [("uptime", "removed")]
    assert not any(c.goalposts for c in diff.changes)


def test_groups_are_in_period_order_with_kpis_last():
    year = "team: platform\nobjectives:\n  - id: trust\n    title: Trust\n"
    q3 = (
        PLATFORM.replace("id: fast", "id: old")
        .replace("id: p99", "id: p99-q3")
        .replace("id: runbooks", "id: rb-q3")
    )
    new = files() | {
        "okrs/2026/platform.yaml": year.encode(),
        "okrs/2026-Q3/platform.yaml": q3.encode(),
        "kpis/all.yaml": KPIS.replace("99.9", "99.8").encode(),
    }
    old = files()
    old.pop("okrs/2026-Q4/platform.yaml")
    diff = compare(snap(old), snap(new))
    assert [(p, t) for p, t, _ in diff.groups()] == [
        ("2026", "platform"),
        ("2026-Q3", "platform"),
        ("2026-Q4", "platform"),
        (None, None),
    ]


def test_fmt_value():
    assert [fmt_value(v) for v in (300.0, 2, 99.95, None, "x")] == [
        "300",
        "2",
        "99.95",
        "none",
        "x",
    ]


def at(day: str) -> datetime:
    return datetime.fromisoformat(day + "T12:00:00+00:00")


def test_audit_lists_additions_and_changes_and_flags_goal_posts():
    def version(text: str) -> dict:
        return {
            "okrs/2026-Q4/platform.yaml": parse_file("okrs/2026-Q4/platform.yaml", text.encode())
        }

    retargeted = PLATFORM.replace("target: 300", "target: 250")
    reweighted = retargeted.replace("weight: 2", "weight: 3").replace("start: 850", "start: 900")
    versions = [
        ("a1", at("2026-09-20"), "ann", version(PLATFORM)),
        ("a2", at("2026-09-25"), "ann", version(PLATFORM.replace("title: Runbooks", "title: R"))),
        ("a3", at("2026-10-15"), "bob", version(retargeted)),
        (
            "a4",
            at("2026-10-20"),
            "bob",
            {"okrs/2026-Q4/platform.yaml": parse_file("okrs/2026-Q4/platform.yaml", b"team: [\n")},
        ),
        ("a5", at("2026-11-02"), "cy", version(reweighted)),
        ("a6", at("2026-11-03"), "cy", {}),
    ]
    period = Period(2026, 4)
    entries = audit(versions, "key_result", "p99", period)
    got = [(e.sha, e.action, e.field, e.old, e.new, e.goalposts) for e in entries]
    assert got == [
        ("a1", "added", None, None, None, False),
        ("a3", "changed", "target", 300, 250, True),
        ("a5", "changed", "start", 850, 900, True),
        ("a5", "changed", "weight", 2, 3, False),
        ("a6", "removed", None, None, None, False),
    ]


def test_audit_of_a_kpi_never_flags_goal_posts():
    def version(target: str) -> dict:
        return {"kpis/all.yaml": parse_file("kpis/all.yaml", KPIS.replace("99.9", target).encode())}

    entries = audit(
        [
            ("k1", at("2026-01-01"), "a", version("99.9")),
            ("k2", at("2026-11-01"), "b", version("99.5")),
        ],
        "kpi",
        "uptime",
        None,
    )
    assert [(e.sha, e.action, e.field, e.old, e.new, e.goalposts) for e in entries] == [
        ("k1", "added", None, None, None, False),
        ("k2", "changed", "target", 99.9, 99.5, False),
    ]
