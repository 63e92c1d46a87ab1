"""The benchmark's cliff shapes (benchmarks/cliffs.py) at test size, checked for the answer
each is meant to give (no timing here): what benchmarks/run.py times must be what it says."""

from __future__ import annotations

import json
import sys

from helpers import AS_OF, REPO

sys.path.insert(0, str(REPO / "benchmarks"))

import cliffs
from generate import generate


def _validate(okr, root) -> tuple[int, list[dict]]:
    result = okr("validate", "--root", str(root), "--as-of", AS_OF, "--format", "json")
    data = json.loads(result.stdout) if result.stdout.strip() else {}
    found = data.get("diagnostics", []) if isinstance(data, dict) else data
    return result.exit_code, found


def test_deep_and_wide_shapes_are_valid(okr, tmp_path):
    cliffs.chain(tmp_path / "chain", 40)
    cliffs.teams_deep(tmp_path / "deep", 40)
    cliffs.teams_wide(tmp_path / "wide", 40)
    for name in ("chain", "deep", "wide"):
        code, found = _validate(okr, tmp_path / name)
        errors = [d for d in found if d.get("severity") == "error"]
        assert code == 0 and not errors, (name, errors)
    tree = okr("tree", "--root", str(tmp_path / "chain"), "--as-of", AS_OF, "--format", "json")
    assert tree.exit_code == 0 and '"o39"' in tree.stdout


def test_orphans_and_one_diagnostic_in_a_big_file(okr, tmp_path):
    source = tmp_path / "scale"
    generate(source, scale=0.05)
    orphans = tmp_path / "orphans"
    cliffs.orphans(orphans, source)
    assert cliffs.orphaned_records(source) == 180
    code, found = _validate(okr, orphans)
    assert code in (0, 1) and len(found) >= 1
    cliffs.big_file(tmp_path / "big", source, 2000)
    cliffs.big_file(tmp_path / "diag", source, 2000, diagnostic=True)
    lines = (tmp_path / "big" / "checkins" / "2026-11.yaml").read_text().splitlines()
    assert len(lines) == 2000
    assert _validate(okr, tmp_path / "big") == (0, [])
    code, found = _validate(okr, tmp_path / "diag")
    assert code == 1 and len(found) == 1 and "kpi-no-such-id" in json.dumps(found)
