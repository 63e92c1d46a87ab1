"""``okr tree`` through the real CLI: alignment, roll-up and what aligns to nothing.

As of 2026-11-15, 2026-Q4 is at day 46 of 92 (expected 0.5) and the year 2026 at day
319 of 365 (expected 0.87397…).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import AS_OF, EXAMPLE

SNAPSHOTS = Path(__file__).resolve().parent.parent / "snapshots"

FILES = {
    "okrs/2026/company.yaml": """\
team: company
objectives:
  - id: trust
    title: Be trusted
    owner: dana
    key_results:
      - {id: logos, title: Logos, start: 0, target: 10}
  - {id: vision, title: A vision without key results, owner: dana}
""",
    "okrs/2026-Q3/platform.yaml": """\
team: platform
objectives:
  - id: q3-work
    title: Work of the third quarter
    aligns_to: trust
    key_results:
      - {id: q3-kr, title: Q3 KR, start: 0, target: 4}
""",
    "okrs/2026-Q4/company.yaml": """\
team: company
objectives:
  - {id: q4-trust, title: Trust this quarter, owner: dana, aligns_to: trust}
""",
    "okrs/2026-Q4/platform.yaml": """\
team: platform
objectives:
  - id: reliable
    title: Be reliable
    owner: alice
    aligns_to: q4-trust
    key_results:
      - {id: errors, title: Errors per day, start: 100, target: 0}
  - id: stray
    title: Aligned to nothing
    owner: alice
    key_results:
      - {id: docs, title: Docs, type: milestone}
""",
    "checkins/2026-09.yaml": '- {at: "2026-09-01T09:00:00+00:00", id: q3-kr, value: 4}\n',
    "checkins/2026-10.yaml": '- {at: "2026-10-10T09:00:00+00:00", id: logos, value: 5}\n',
    "checkins/2026-11.yaml": (
        '- {at: "2026-11-01T09:00:00+00:00", id: errors, value: 25}\n'
        '- {at: "2026-11-02T09:00:00+00:00", id: docs, value: 0.5}\n'
    ),
}


def node(id_, title, team, owner, period, progress, expected, status, rolled_up, children=()):
    return {
        "id": id_,
        "title": title,
        "team": team,
        "owner": owner,
        "period": period,
        "progress": progress,
        "expected": expected,
        "status": status,
        "rolled_up": rolled_up,
        "dropped": False,
        "owners": [owner] if owner else [],
        "ambition": "committed",
        "key_results": [],
        "children": list(children),
    }


YEAR = 0.874  # 319 / 365 = 0.87397, four decimals
# errors 100 -> 25 toward 0: 0.75, on track against 0.5
RELIABLE = node("reliable", "Be reliable", "platform", "alice", "2026-Q4", 0.75, 0.5,
                "on_track", False)  # fmt: skip
# no KRs: the mean of what aligns to it (reliable only)
Q4_TRUST = node("q4-trust", "Trust this quarter", "company", "dana", "2026-Q4", 0.75, 0.5,
                "on_track", True, [RELIABLE])  # fmt: skip
# q3-kr reached 4 of 4: done
Q3_WORK = node("q3-work", "Work of the third quarter", "platform", None, "2026-Q3", 1.0, 1.0,
               "done", False)  # fmt: skip
# no KRs and nothing aligned to it: no data
VISION = node("vision", "A vision without key results", "company", "dana", "2026", None, YEAR,
              "no_data", True)  # fmt: skip
# a sub-team's objective aligned to nothing: milestone at 0.5, on track against 0.5
STRAY = node("stray", "Aligned to nothing", "platform", "alice", "2026-Q4", 0.5, 0.5,
             "on_track", False)  # fmt: skip


def trust(*children):
    # logos 0 -> 5 of 10: 0.5 < 0.874 - 0.30, off track
    return node("trust", "Be trusted", "company", "dana", "2026", 0.5, YEAR, "off_track", False,
                children)  # fmt: skip


@pytest.fixture
def org(make_workspace):
    return make_workspace(FILES)


def tree(okr, root, *args):
    return okr("tree", "--root", str(root), *args)


def test_quarter_tree_json(okr, org):
    result = tree(okr, org, "--as-of", "2026-11-15", "--format", "json")
    assert result.exit_code == 0, result
    assert json.loads(result.stdout) == {
        "org": "Test Org",
        "period": "2026-Q4",
        "as_of": "2026-11-15",
        # the Q3 objective is not part of a 2026-Q4 tree
        "roots": [trust(Q4_TRUST), VISION],
        "unaligned": [STRAY],
    }


def test_year_tree_shows_its_quarters_in_time_order(okr, org):
    result = tree(okr, org, "--as-of", "2026-11-15", "--period", "2026", "-f", "json")
    assert result.exit_code == 0, result
    data = json.loads(result.stdout)
    assert data["roots"] == [trust(Q3_WORK, Q4_TRUST), VISION]
    assert data["unaligned"] == [STRAY]


def test_text_tree(okr, org):
    result = tree(okr, org, "--as-of", "2026-11-15")
    assert result.exit_code == 0, result
    out = result.stdout
    lines = out.splitlines()
    assert "\x1b[" not in out
    assert lines[0] == "Test Org · alignment tree · 2026-Q4 and the year 2026"
    trust_line = next(line for line in lines if line.startswith("trust · 2026 · company"))
    assert trust_line.endswith("█████░░░░░  50%  off track")
    q4 = next(line for line in lines if "q4-trust" in line)
    assert q4.startswith("└── q4-trust · 2026-Q4 · company")
    assert q4.endswith("████████░░  75%  on track")
    reliable = next(line for line in lines if "reliable ·" in line)
    assert reliable.startswith("    └── reliable · 2026-Q4 · platform")
    vision = next(line for line in lines if line.startswith("vision"))
    assert vision.endswith("░░░░░░░░░░    —  no data")
    # the unaligned objective comes after a heading of its own, below everything aligned
    heading = lines.index(next(line for line in lines if "Not aligned to any objective" in line))
    stray = lines.index(next(line for line in lines if line.startswith("stray")))
    assert heading < stray
    assert all("stray" not in line for line in lines[:heading])
    assert "Trust this quarter — dana (rolls up)" in out


def test_snapshot(okr, org):
    check_snapshot("tree-org.txt", tree(okr, org, "--as-of", "2026-11-15").stdout)


@pytest.mark.parametrize("period", ["2026-Q4", "2026"])
def test_example_snapshot_fits_in_80_columns(okr, period):
    result = okr("tree", "--root", str(EXAMPLE), "--as-of", AS_OF, "--period", period)
    assert result.exit_code == 0, result
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    check_snapshot(f"tree-acme-{period}.txt", result.stdout)


def test_default_period_falls_back_to_the_last_planned(okr, org):
    result = tree(okr, org, "--as-of", "2027-02-01", "-f", "json")
    assert result.exit_code == 0, result
    assert json.loads(result.stdout)["period"] == "2026-Q4"
    assert "no plans for 2027-Q1; showing 2026-Q4" in result.stderr


def test_bad_options(okr, org):
    assert tree(okr, org, "--period", "2026-Q9").exit_code == 2
    assert tree(okr, org, "--as-of", "tomorrow").exit_code == 2


def test_invalid_files_exit_1(okr, make_workspace):
    broken = dict(FILES)
    broken["okrs/2026-Q4/company.yaml"] = FILES["okrs/2026-Q4/company.yaml"].replace(
        "aligns_to: trust", "aligns_to: no-such-objective"
    )
    result = okr("tree", "--root", str(make_workspace(broken)), "--as-of", "2026-11-15")
    assert result.exit_code == 1
    assert "no-such-objective" in result.stderr
    assert "the figures leave out what they affect" in result.stderr
    # the tree is printed all the same, with the objective among the unaligned ones
    assert "Not aligned to any objective" in result.stdout


def check_snapshot(name: str, text: str) -> None:
    """Compare with tests/snapshots/<name>; OKR_UPDATE_SNAPSHOTS=1 rewrites it."""
    path = SNAPSHOTS / name
    if os.environ.get("OKR_UPDATE_SNAPSHOTS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no snapshot {path}; run with OKR_UPDATE_SNAPSHOTS=1 to write it"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("period", ["2026-Q4", "2026"])
def test_docs_transcripts_are_current(okr, period):
    docs = (EXAMPLE.parent.parent / "docs" / "scorecard.md").read_text(encoding="utf-8")
    shown = "$ okr tree --as-of 2026-11-22" + ("" if period == "2026-Q4" else " --period 2026")
    result = okr("tree", "--root", str(EXAMPLE), "--as-of", AS_OF, "--period", period)
    assert result.exit_code == 0, result
    assert shown + "\n" + result.stdout in docs


def test_status_filter_keeps_the_path_to_what_matches(okr):
    from helpers import AS_OF, EXAMPLE

    result = okr("tree", "--root", str(EXAMPLE), "--as-of", AS_OF, "-f", "json", "--status",
                 "at_risk")  # fmt: skip
    assert result.exit_code == 0, result
    doc = json.loads(result.stdout)

    def walk(nodes):
        for n in nodes:
            yield n
            yield from walk(n["children"])
            for kr in n.get("key_results", []):  # objectives hung under a key result
                yield from walk(kr["children"])

    nodes = list(walk(doc["roots"])) + list(walk(doc["unaligned"]))
    assert nodes and any(n["status"] == "at_risk" for n in nodes)
    for n in nodes:  # every node matches, or leads to one that does
        assert n["status"] == "at_risk" or n["children"] or n.get("key_results"), n["id"]
    everything = json.loads(
        okr("tree", "--root", str(EXAMPLE), "--as-of", AS_OF, "-f", "json").stdout
    )
    assert len(nodes) < len(list(walk(everything["roots"])) + list(walk(everything["unaligned"])))
