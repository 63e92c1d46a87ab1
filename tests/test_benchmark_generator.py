"""A smoke run of the benchmark's workspace generator at a tiny scale (no timing here)."""

from __future__ import annotations

import sys

from helpers import REPO

sys.path.insert(0, str(REPO / "benchmarks"))

from generate import generate


def test_tiny_workspace_is_valid_and_deterministic(okr, tmp_path):
    counts = generate(tmp_path / "a", scale=0.05, seed=3)
    assert counts["teams"] == 1 + 1 + 20
    assert counts["objectives"] == 22 * 5
    assert counts["key_results"] == 22 * 5 * 4
    assert counts["kpis"] == 25
    assert counts["records"] == 25 * 52 + 22 * 5 * 4 * 9
    result = okr("validate", "--root", str(tmp_path / "a"), "--as-of", "2026-11-22")
    assert (result.exit_code, result.stderr) == (0, ""), result
    generate(tmp_path / "b", scale=0.05, seed=3)
    for path in sorted((tmp_path / "a").rglob("*.yaml")):
        twin = tmp_path / "b" / path.relative_to(tmp_path / "a")
        assert twin.read_bytes() == path.read_bytes(), path


def test_journal_is_in_okr_checkin_format(tmp_path):
    from okrcli.journal import fast_journal

    generate(tmp_path / "w", scale=0.05)
    for path in (tmp_path / "w" / "checkins").glob("*.yaml"):
        assert fast_journal(path.read_text()) is not None, path
