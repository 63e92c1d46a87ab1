"""The parse cache: keyed on content, outside the workspace, never stale."""

from __future__ import annotations

import json

from helpers import AS_OF

PLAN = """\
team: platform
objectives:
  - id: reliable
    title: Reliable
    aligns_to: trust
    key_results:
      - {id: p99, title: p99, start: 850, target: 300}
"""
COMPANY = (
    "team: company\nobjectives:\n  - id: trust\n    title: Trust\n    key_results:\n"
    "      - {id: logos, title: Logos, type: milestone}\n"
)


def _scorecard(okr, root):
    result = okr("scorecard", "--root", str(root), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result
    return json.loads(result.stdout)


def _entries(folder):
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_entries_live_in_the_cache_folder_not_the_workspace(
    okr, make_workspace, tmp_path, monkeypatch
):
    cache = tmp_path / "cache"
    monkeypatch.setenv("OKR_CACHE_DIR", str(cache))
    root = make_workspace(
        {"okrs/2026-Q4/platform.yaml": PLAN, "okrs/2026-Q4/company.yaml": COMPANY}
    )
    first = _scorecard(okr, root)
    assert len(_entries(cache)) == 2  # one per plan file
    assert not (root / ".okr-cache").exists()
    again = _scorecard(okr, root)
    assert again == first


def test_a_changed_file_is_read_again(okr, make_workspace, tmp_path, monkeypatch):
    monkeypatch.setenv("OKR_CACHE_DIR", str(tmp_path / "cache"))
    root = make_workspace(
        {"okrs/2026-Q4/platform.yaml": PLAN, "okrs/2026-Q4/company.yaml": COMPANY}
    )
    before = _scorecard(okr, root)
    assert before["objectives"][1]["key_results"][0]["target"] == 300
    (root / "okrs/2026-Q4/platform.yaml").write_text(PLAN.replace("target: 300", "target: 400"))
    after = _scorecard(okr, root)
    assert after["objectives"][1]["key_results"][0]["target"] == 400


def test_diagnostics_come_back_from_the_cache_with_their_places(
    okr, make_workspace, tmp_path, monkeypatch
):
    monkeypatch.setenv("OKR_CACHE_DIR", str(tmp_path / "cache"))
    broken = PLAN.replace("start: 850", "start: 850, tagret: 1")
    root = make_workspace(
        {"okrs/2026-Q4/platform.yaml": broken, "okrs/2026-Q4/company.yaml": COMPANY}
    )
    cold = okr("validate", "--root", str(root), "--as-of", AS_OF)
    warm = okr("validate", "--root", str(root), "--as-of", AS_OF)
    assert cold.exit_code == warm.exit_code == 1
    assert cold.stderr == warm.stderr
    assert "okrs/2026-Q4/platform.yaml:7:43: error[unknown-key]" in warm.stderr


def test_positions_of_cross_file_problems_after_a_cache_hit(
    okr, make_workspace, tmp_path, monkeypatch
):
    monkeypatch.setenv("OKR_CACHE_DIR", str(tmp_path / "cache"))
    root = make_workspace(
        {"okrs/2026-Q4/platform.yaml": PLAN, "okrs/2026-Q4/company.yaml": COMPANY}
    )
    assert okr("validate", "--root", str(root), "--as-of", AS_OF).exit_code == 0
    # the plan is cached; a change elsewhere makes its aligns_to dangle
    (root / "okrs/2026-Q4/company.yaml").write_text(COMPANY.replace("id: trust", "id: trusted"))
    result = okr("validate", "--root", str(root), "--as-of", AS_OF)
    assert "okrs/2026-Q4/platform.yaml:5:16: error[unknown-objective]" in result.stderr


def test_a_corrupt_entry_is_ignored_and_rewritten(okr, make_workspace, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("OKR_CACHE_DIR", str(cache))
    root = make_workspace(
        {"okrs/2026-Q4/platform.yaml": PLAN, "okrs/2026-Q4/company.yaml": COMPANY}
    )
    first = _scorecard(okr, root)
    for entry in _entries(cache):
        entry.write_bytes(b"\x00garbage")
    assert _scorecard(okr, root) == first
    assert all(e.read_bytes() != b"\x00garbage" for e in _entries(cache))


def test_the_cache_can_be_turned_off(okr, make_workspace, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("OKR_CACHE_DIR", str(cache))
    monkeypatch.setenv("OKR_NO_CACHE", "1")
    root = make_workspace(
        {"okrs/2026-Q4/platform.yaml": PLAN, "okrs/2026-Q4/company.yaml": COMPANY}
    )
    _scorecard(okr, root)
    assert not cache.exists()


def test_journal_files_are_cached_and_a_new_line_is_seen(
    okr, make_workspace, tmp_path, monkeypatch
):
    from okrcli.journal import format_record

    cache = tmp_path / "cache"
    monkeypatch.setenv("OKR_CACHE_DIR", str(cache))
    line = format_record({"at": "2026-11-20T10:00:00+00:00", "id": "p99", "value": 600})
    root = make_workspace(
        {
            "okrs/2026-Q4/platform.yaml": PLAN,
            "okrs/2026-Q4/company.yaml": COMPANY,
            "checkins/2026-11.yaml": line,
        }
    )
    cold = _scorecard(okr, root)
    assert len(_entries(cache)) == 3  # two plans and the journal file
    warm = _scorecard(okr, root)
    assert warm == cold
    assert warm["objectives"][1]["key_results"][0]["current"] == 600
    with open(root / "checkins/2026-11.yaml", "a") as f:
        f.write(format_record({"at": "2026-11-21T10:00:00+00:00", "id": "p99", "value": 575}))
    assert _scorecard(okr, root)["objectives"][1]["key_results"][0]["current"] == 575
