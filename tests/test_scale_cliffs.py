"""The shapes that used to blow up at scale: deep and wide team hierarchies, and
suggestions for many unknown names.

Each is generated here, small enough to run in a second or two, and checked for the
right answer through the real command line."""

from __future__ import annotations

import difflib
import json
import random

from helpers import AS_OF

from okrcli.suggest import Suggester, closest

DEPTH = 5000


SETTINGS_ONE_TEAM = "version: 1\norg: Deep\nteams:\n  company: {name: Deep}\n"


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


HAND_WRITTEN = (
    "- {at: 2026-11-21T08:00:00Z, id: kr-150, value: 7, note: by hand}\n"
    "- at: 2026-11-21T09:00:00Z   # a block record\n"
    "  id: kr-nope\n"
    "  value: 3\n"
    '- {"at": "2026-11-21T10:00:00+00:00", "id": "kr-151", "value": 2, "note": "caf\\u00e9"}\n'
    '- {"by": "Zoë", "at": "2026-11-21T11:00:00+00:00", "id": "kr-nope2", "value": 1}\n'
    "-\n  at: 2026-11-21T12:00:00Z\n  id: kr-nope3\n  value: 1\n"
)


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
