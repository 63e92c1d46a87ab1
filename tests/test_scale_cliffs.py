"""The shapes that used to crash or blow up at scale: deep alignment chains, deep and wide
team hierarchies, many records of unknown ids, hand-written lines in a large journal.

Each is generated here, small enough to run in a second or two, and checked for the
right answer through the real command line (the benchmark times them at full size)."""

from __future__ import annotations

import difflib
import json
import random
import sys

import pytest
from helpers import AS_OF

from okrcli import reader
from okrcli.journal import format_record
from okrcli.suggest import Suggester, closest

DEPTH = 5000


def _chain_plan(depth: int, *, cycle: bool = False) -> str:
    """One team's plan: o0 <- o1 <- ... each aligned to the one before; the last has a KR."""
    lines = ["team: company", "objectives:"]
    for i in range(depth):
        lines.append(f"  - id: o{i}")
        lines.append(f"    title: Level {i}")
        if i or cycle:
            lines.append(f"    aligns_to: o{(i - 1) % depth}")
    lines += [
        "    key_results:",
        "      - {id: leaf, title: Leaf, start: 0, target: 10}",
    ]
    return "\n".join(lines) + "\n"


SETTINGS_ONE_TEAM = "version: 1\norg: Deep\nteams:\n  company: {name: Deep}\n"


@pytest.fixture
def chain(make_workspace):
    return make_workspace(
        {
            "okrs/2026-Q4/company.yaml": _chain_plan(DEPTH),
            "checkins/2026-11.yaml": format_record(
                {"at": "2026-11-20T10:00:00+00:00", "id": "leaf", "value": 4}
            ),
        },
        settings=SETTINGS_ONE_TEAM,
    )


def test_a_5000_deep_alignment_chain_validates(okr, chain):
    result = okr("validate", "--root", str(chain), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.stderr[-500:]
    codes = {d["code"] for d in json.loads(result.stdout)["diagnostics"]}
    assert "alignment-cycle" not in codes


def test_a_5000_deep_alignment_chain_rolls_up_to_the_top(okr, chain):
    result = okr("scorecard", "--root", str(chain), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.stderr[-500:]
    objectives = {o["id"]: o for o in json.loads(result.stdout)["objectives"]}
    assert len(objectives) == DEPTH
    # every level without KRs takes the progress of the one below: the leaf's 0.4
    assert objectives["o0"]["progress"] == objectives[f"o{DEPTH - 1}"]["progress"] == 0.4
    assert objectives["o0"]["rolled_up_from"] == ["o1"]


def _deep_loads(text: str) -> object:
    """json.loads of a document nested more deeply than Python's default limit."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 4 * DEPTH + 1000))
    try:
        return json.loads(text)
    finally:
        sys.setrecursionlimit(limit)


def test_a_5000_deep_alignment_tree_in_json_and_text(okr, chain):
    result = okr("tree", "--root", str(chain), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.stderr[-500:]
    assert result.stdout.count("\n") == 1  # piped: one line
    node = _deep_loads(result.stdout)["roots"][0]
    depth = 1
    while node["children"]:
        (node,) = node["children"]
        depth += 1
    assert depth == DEPTH
    assert node["id"] == f"o{DEPTH - 1}" and node["progress"] == 0.4
    text = okr("tree", "--root", str(chain), "--as-of", AS_OF)
    assert text.exit_code == 0, text.stderr[-500:]
    lines = text.stdout.splitlines()
    assert "o0 · 2026-Q4 · company" in lines[3] and "o1 · 2026-Q4 · company" in lines[5]
    assert len(lines) == 3 + 2 * DEPTH  # two header lines, a blank one, two per objective
    assert max(len(line) for line in lines) <= 80


def test_a_5000_long_alignment_cycle_is_one_error(okr, make_workspace):
    root = make_workspace(
        {"okrs/2026-Q4/company.yaml": _chain_plan(DEPTH, cycle=True)},
        settings=SETTINGS_ONE_TEAM,
    )
    result = okr("validate", "--root", str(root), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 1
    cycles = [d for d in json.loads(result.stdout)["diagnostics"] if d["code"] == "alignment-cycle"]
    assert len(cycles) == 1
    assert cycles[0]["message"].startswith("objectives align in a cycle: o0 -> o4999 -> o4998 -> ")


def _team_chain(depth: int, *, cycle: bool = False) -> str:
    lines = ["version: 1", "org: Deep", "teams:"]
    for i in range(depth):
        parent = f"t{i - 1:05d}" if i else (f"t{depth - 1:05d}" if cycle else None)
        lines.append(f"  t{i:05d}: {{name: Team {i}" + (f", parent: {parent}}}" if parent else "}"))
    return "\n".join(lines) + "\n"


def test_a_5000_deep_team_hierarchy(okr, make_workspace):
    bottom = f"t{DEPTH - 1:05d}"
    plan = (
        f"team: {bottom}\nobjectives:\n  - id: deep\n    title: Deep\n"
        "    key_results:\n      - {id: k, title: K, type: milestone}\n"
    )
    root = make_workspace({f"okrs/2026-Q4/{bottom}.yaml": plan}, settings=_team_chain(DEPTH))
    result = okr("validate", "--root", str(root), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.stderr[-500:]
    card = okr(
        "scorecard", "--root", str(root), "--as-of", AS_OF, "--format", "json", "--team", "t00000"
    )
    assert card.exit_code == 0, card.stderr[-500:]
    assert [o["id"] for o in json.loads(card.stdout)["objectives"]] == ["deep"]


def test_a_5000_long_team_cycle_is_one_error(okr, make_workspace):
    root = make_workspace({}, settings=_team_chain(DEPTH, cycle=True))
    result = okr("validate", "--root", str(root), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 1
    cycles = [d for d in json.loads(result.stdout)["diagnostics"] if d["code"] == "team-cycle"]
    assert len(cycles) == 1
    assert cycles[0]["message"].startswith(
        "team parents form a cycle: t00000 -> t04999 -> t04998 -> "
    )


def test_twenty_thousand_teams_in_order(okr, make_workspace):
    lines = ["version: 1", "org: Wide", "teams:", "  company: {name: Wide}"]
    lines += [f"  w{i:05d}: {{name: W{i}, parent: company}}" for i in range(20_000)]
    plans = {}
    for team in ("w19999", "w00000", "company"):
        plans[f"okrs/2026-Q4/{team}.yaml"] = (
            f"team: {team}\nobjectives:\n  - id: o-{team}\n    title: O\n"
            + ("    aligns_to: o-company\n" if team != "company" else "")
            + f"    key_results:\n      - {{id: k-{team}, title: K, type: milestone}}\n"
        )
    root = make_workspace(plans, settings="\n".join(lines) + "\n")
    result = okr("scorecard", "--root", str(root), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.stderr[-500:]
    teams = [o["team"] for o in json.loads(result.stdout)["objectives"]]
    assert teams == ["company", "w00000", "w19999"]


# --- many records of unknown ids, hand-written lines ---------------------------------------

PLAN = """\
team: platform
objectives:
  - id: reliable
    title: Reliable
    key_results:
{krs}
"""


def _orphans_workspace(make_workspace, extra: str = "") -> object:
    """400 KRs; check-ins of 20 renamed KRs (180 records) and of the current ones."""
    krs = "\n".join(
        f"      - {{id: kr-{i:03d}-renamed, title: K{i}, start: 0, target: 10}}"
        if i < 20
        else f"      - {{id: kr-{i:03d}, title: K{i}, start: 0, target: 10}}"
        for i in range(400)
    )
    rng = random.Random(7)
    lines = []
    for n in range(900):
        kr = n % 100  # kr-000 .. kr-099: 20 of them renamed, so 180 records are orphans
        at = f"2026-11-{1 + n % 20:02d}T{n % 24:02d}:00:00+00:00"
        lines.append(format_record({"at": at, "id": f"kr-{kr:03d}", "value": rng.randint(0, 9)}))
    return make_workspace(
        {
            "okrs/2026-Q4/platform.yaml": PLAN.format(krs=krs),
            "checkins/2026-11.yaml": "".join(lines) + extra,
        },
        settings="version: 1\norg: T\nteams:\n  platform: {name: Platform}\n"
        "lint:\n  max_key_results: 1000\n",
    )


def _validate(okr, root):
    result = okr("validate", "--root", str(root), "--as-of", AS_OF, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def test_orphaned_records_are_each_reported_in_place(okr, make_workspace, monkeypatch):
    root = _orphans_workspace(make_workspace)
    code, report = _validate(okr, root)
    assert code == 1
    unknown = [d for d in report["diagnostics"] if d["code"] == "checkin-unknown-id"]
    assert len(unknown) == 180
    first = next(d for d in unknown if "'kr-000'" in d["message"])
    assert first["message"] == (
        "no KR or KPI has the id 'kr-000'; did you mean 'kr-300' or 'kr-200' or 'kr-100'?"
    )
    # the places are those the YAML path gives, found without parsing the whole file
    monkeypatch.setattr(reader, "split_journal", lambda text, wanted=None: None)
    assert _validate(okr, root) == (code, report)


HAND_WRITTEN = (
    "- {at: 2026-11-21T08:00:00Z, id: kr-150, value: 7, note: by hand}\n"
    "- at: 2026-11-21T09:00:00Z   # a block record\n"
    "  id: kr-nope\n"
    "  value: 3\n"
    '- {"at": "2026-11-21T10:00:00+00:00", "id": "kr-151", "value": 2, "note": "caf\\u00e9"}\n'
    '- {"by": "Zoë", "at": "2026-11-21T11:00:00+00:00", "id": "kr-nope2", "value": 1}\n'
    "-\n  at: 2026-11-21T12:00:00Z\n  id: kr-nope3\n  value: 1\n"
)


def test_hand_written_records_in_a_large_file_read_as_the_whole_file_reads(
    okr, make_workspace, monkeypatch
):
    root = _orphans_workspace(make_workspace, extra=HAND_WRITTEN)
    text = (root / "checkins/2026-11.yaml").read_text()
    records = reader.journal_records("checkins/2026-11.yaml", text)
    assert records is not None  # read line by line, not as a whole by the YAML path
    assert len(records) == 905
    by_line = {n: f for n, _, f in records}
    assert by_line[901][1:4] == ("kr-150", None, 7) and by_line[901][6] == "by hand"
    assert by_line[902][1] == "kr-nope"
    assert by_line[905][6] == "café"
    fast_report = _validate(okr, root)
    card = okr("scorecard", "--root", str(root), "--as-of", AS_OF, "--format", "json")
    nope = [d for d in fast_report[1]["diagnostics"] if "'kr-nope'" in d["message"]]
    assert [(d["line"], d["column"]) for d in nope] == [(903, 7)]
    places = {
        (d["line"], d["column"]) for d in fast_report[1]["diagnostics"] if "kr-nope" in d["message"]
    }
    assert places == {(903, 7), (906, 58), (909, 7)}
    monkeypatch.setattr(reader, "split_journal", lambda text, wanted=None: None)
    assert _validate(okr, root) == fast_report
    assert okr("scorecard", "--root", str(root), "--as-of", AS_OF, "--format", "json").stdout == (
        card.stdout
    )


@pytest.mark.parametrize(
    "extra",
    [
        "- {at: 2026-11-21, id: kr-150, value: 7, value: 8}\n",  # a duplicate key
        "- {at: 2026-11-21, id: kr-150, value: [7]}\n",  # not a number
        "- &a {at: 2026-11-21, id: kr-150, value: 7}\n- *a\n",  # an alias across records
        "---\n",  # a second document
    ],
)
def test_a_problem_in_a_hand_written_record_is_reported_by_the_whole_file(
    okr, make_workspace, monkeypatch, extra
):
    root = _orphans_workspace(make_workspace, extra=extra)
    text = (root / "checkins/2026-11.yaml").read_text()
    if extra != "- &a {at: 2026-11-21, id: kr-150, value: 7}\n- *a\n":
        assert reader.journal_records("checkins/2026-11.yaml", text) is None
    fast_report = _validate(okr, root)
    monkeypatch.setattr(reader, "split_journal", lambda text, wanted=None: None)
    assert _validate(okr, root) == fast_report


def test_suggestions_from_the_index_are_difflibs():
    rng = random.Random(3)
    known = [
        f"team-{rng.randint(0, 30):03d}-{rng.randint(0, 20):02d}-o{rng.randint(0, 5)}-kr{k}"
        for k in range(300)
    ]
    for _ in range(100):
        known.append("kpi-" + "".join(rng.choice("abcdefgh") for _ in range(rng.randint(2, 9))))
    index = Suggester(known)
    unique = list(dict.fromkeys(known))
    for name in [*rng.sample(known, 10), "team-003-07-o3-krx", "kpi-abc", "zzz", "t", ""]:
        mutated = name[:-1] if name else name
        for probe in (name, mutated, mutated + "q"):
            assert index.closest(probe) == difflib.get_close_matches(probe, unique, 3, 0.6)
            assert index.closest(probe) == closest(probe, unique)


@pytest.mark.parametrize(
    "value",
    [
        {"a": [1, {"b": []}, {}], "c": None, "d": 'é\n"', "e": 1.5, "f": True, "g": [[], [[1]]]},
        [],
        {},
        3,
        [{"x": {"y": {"z": [1, -2.5e-7]}}}],
    ],
)
def test_the_tree_json_writer_writes_what_json_dumps_writes(value):
    from okrcli.machine import _deep_dumps as dumps

    assert dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)
    assert dumps(value, None) == json.dumps(value, ensure_ascii=False)


def _kr_chain_plan(depth: int) -> str:
    """o0 has rollup KR r0, o1 aligns to r0 and has rollup KR r1, ...; the last has a KR."""
    lines = ["team: company", "objectives:"]
    for i in range(depth):
        lines += [f"  - id: o{i}", f"    title: Level {i}"]
        if i:
            lines.append(f"    aligns_to: r{i - 1}")
        lines.append("    key_results:")
        if i < depth - 1:
            lines.append(f"      - {{id: r{i}, title: Roll {i}, type: rollup}}")
        else:
            lines.append("      - {id: leaf, title: Leaf, start: 0, target: 10}")
    return "\n".join(lines) + "\n"


def test_a_5000_deep_chain_through_rollup_krs(okr, make_workspace):
    root = make_workspace(
        {
            "okrs/2026-Q4/company.yaml": _kr_chain_plan(DEPTH),
            "checkins/2026-11.yaml": format_record(
                {"at": "2026-11-20T10:00:00+00:00", "id": "leaf", "value": 4}
            ),
        },
        settings=SETTINGS_ONE_TEAM,
    )
    args = ("--root", str(root), "--as-of", AS_OF)
    assert okr("validate", *args).exit_code == 0
    card = okr("scorecard", *args, "--format", "json")
    assert card.exit_code == 0, card.stderr[-500:]
    objectives = {o["id"]: o for o in json.loads(card.stdout)["objectives"]}
    assert objectives["o0"]["progress"] == objectives[f"o{DEPTH - 1}"]["progress"] == 0.4
    tree = okr("tree", *args, "--format", "json")
    assert tree.exit_code == 0, tree.stderr[-500:]
    node = _deep_loads(tree.stdout)["roots"][0]
    depth = 1
    while node["key_results"]:
        ((node,),) = [kr["children"] for kr in node["key_results"]]
        depth += 1
    assert depth == DEPTH and node["progress"] == 0.4
    text = okr("tree", *args)
    assert text.exit_code == 0
    # header, then two lines per objective and per rollup KR, each cut to the width
    lines = text.stdout.splitlines()
    assert len(lines) == 3 + 2 * DEPTH + 2 * (DEPTH - 1)
    assert "KR r0" in lines[5] and max(len(line) for line in lines) <= 80
    close = okr("close", "2026-Q4", *args, "--format", "json")
    assert close.exit_code == 0, close.stderr[-500:]
    grades = {
        o["id"]: o["grade"] for t in json.loads(close.stdout)["teams"] for o in t["objectives"]
    }
    assert grades["o0"] == grades[f"o{DEPTH - 1}"] == 0.4
