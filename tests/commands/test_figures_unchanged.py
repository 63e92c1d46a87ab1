"""Defaults keep every existing workspace's numbers: the bundled example as it was before
the organisation time zone, no-data, late records, renames and the new plan keys arrived
(``tests/fixtures/acme-before``), and its scorecards as the earlier okr printed them
(``tests/fixtures/acme-before-figures.json``, taken with that version).

Every KR that had data then has the very same figures now, and so has every objective
whose figures did not lean on a KR without data.  What the SPEC changed on purpose (a KR
never measured has no data, not 0 and not its start) is checked to be exactly that.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BEFORE = json.loads((FIXTURES / "acme-before-figures.json").read_text(encoding="utf-8"))
KR_FIELDS = (
    "type", "start", "target", "current", "progress", "attainment", "expected", "status",
    "confidence", "updated", "weight",
)  # fmt: skip
KPI_FIELDS = (
    "value", "status", "stale", "trend", "addressed", "declining", "needs_attention",
)  # fmt: skip


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("before") / "acme"
    shutil.copytree(FIXTURES / "acme-before", dest)
    return dest


def had_data(kr: dict) -> bool:
    return kr["updated"] is not None and kr["progress"] is not None


@pytest.mark.parametrize("key", sorted(BEFORE["scorecards"]))
def test_scorecard_figures_are_unchanged_where_there_was_data(okr, workspace, key):
    period, as_of = key.split("@")
    result = okr("--root", str(workspace), "scorecard", "-f", "json", "--period", period,
                 "--as-of", as_of)  # fmt: skip
    assert result.exit_code == 0, result
    now = json.loads(result.stdout)
    then = BEFORE["scorecards"][key]
    assert now["elapsed"] == then["elapsed"]
    objectives = {o["id"]: o for o in now["objectives"]}
    assert list(objectives) == [o["id"] for o in then["objectives"]]
    clean: set[str] = set()
    for old in then["objectives"]:
        new = objectives[old["id"]]
        krs = {k["id"]: k for k in new["key_results"]}
        for k in old["key_results"]:
            if had_data(k):
                assert {f: krs[k["id"]][f] for f in KR_FIELDS} == {f: k[f] for f in KR_FIELDS}
            else:
                # the one change of meaning: never measured (in the period) is no data
                assert krs[k["id"]]["current"] is None
                assert krs[k["id"]]["progress"] is None
                assert krs[k["id"]]["status"] == "no_data"
        if old["key_results"] and all(had_data(k) for k in old["key_results"]):
            clean.add(old["id"])
    rollups = [o for o in then["objectives"] if not o["key_results"]]
    for _ in rollups:  # a roll-up is clean when everything it rolls up from is
        clean |= {o["id"] for o in rollups if set(o["rolled_up_from"]) <= clean}
    figures = ("progress", "expected", "status", "rolled_up_from")
    for old in then["objectives"]:
        if old["id"] in clean:
            new = objectives[old["id"]]
            assert {f: new[f] for f in figures} == {f: old[f] for f in figures}
    assert {k["id"]: {f: k[f] for f in KPI_FIELDS} for k in now["kpis"]} == {
        k["id"]: {f: k[f] for f in KPI_FIELDS} for k in then["kpis"]
    }
    # most of the example had data: the comparison is not vacuous
    if as_of >= "2026-11-22":
        assert len(clean) == len(then["objectives"])
