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
    assert len(_entries(cache)) == 3  # one per plan file, and the scorecard's kept view
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
    assert len(_entries(cache)) == 4  # two plans, the journal file, the kept scorecard
    warm = _scorecard(okr, root)
    assert warm == cold
    assert warm["objectives"][1]["key_results"][0]["current"] == 600
    with open(root / "checkins/2026-11.yaml", "a") as f:
        f.write(format_record({"at": "2026-11-21T10:00:00+00:00", "id": "p99", "value": 575}))
    assert _scorecard(okr, root)["objectives"][1]["key_results"][0]["current"] == 575


# --- a cache that cannot be trusted for being there -----------------------------------------


def _bad_and_good(make_workspace):
    broken = PLAN.replace("start: 850", "start: 850, tagret: 1")
    root = make_workspace(
        {"okrs/2026-Q4/platform.yaml": broken, "okrs/2026-Q4/company.yaml": COMPANY}
    )
    return root, broken.encode(), PLAN.encode()


def _forge(cache_dir, entry, payload, secret):
    from okrcli import cache

    path = cache_dir / entry[:2] / entry
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        b"okr-cache 2\n" + entry.encode() + b"\n" + cache._signature(secret, entry, payload)
        + b"\n" + payload
    )  # fmt: skip
    return path


def good_entry_payload(kept, of):
    return json.dumps({"value": {"of": of, "value": kept["value"]}}, separators=(",", ":")).encode()


def test_a_planted_entry_cannot_make_validate_accept_a_bad_file(
    okr, make_workspace, tmp_path, monkeypatch
):
    from okrcli import cache

    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("OKR_CACHE_DIR", str(cache_dir))
    root, bad, good = _bad_and_good(make_workspace)
    rel = "okrs/2026-Q4/platform.yaml"
    # what a clean read of the good file gives, as the cache keeps it
    (root / rel).write_bytes(good)
    assert okr("validate", "--root", str(root), "--as-of", AS_OF).exit_code == 0
    entry = cache.slot("plan", root, rel)  # the file's one slot
    good_entry = cache_dir / entry[:2] / entry
    kept = json.loads(good_entry.read_bytes().split(b"\n", 3)[3])["value"]
    assert kept["of"] == cache.content_id(good)
    assert kept["value"][1] is True  # plain JSON: the file was whole
    (root / rel).write_bytes(bad)
    # the good result claimed for the bad file's bytes
    payload = json.dumps(
        {"value": {"of": cache.content_id(bad), "value": kept["value"]}}, separators=(",", ":")
    ).encode()
    bad_key = entry
    # 1. signed with another secret (another user's cache, a CI cache restored from a pull
    # request's run)
    planted = _forge(cache_dir, bad_key, payload, b"x" * 32)
    result = okr("validate", "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code == 1 and "error[unknown-key]" in result.stderr
    # 2. an entry copied from another slot (its own name inside no longer matches)
    secret = cache._secret(cache._key_file())
    assert secret is not None
    other = cache.slot("plan", root, "okrs/2026-Q4/other.yaml")
    planted.write_bytes(_forge(tmp_path / "copies", other, payload, secret).read_bytes())
    result = okr("validate", "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code == 1 and "error[unknown-key]" in result.stderr
    # 3. an answer made from other bytes, genuine and in the right slot: not used
    planted.unlink()
    _forge(cache_dir, bad_key, good_entry_payload(kept, cache.content_id(good)), secret)
    result = okr("validate", "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code == 1 and "error[unknown-key]" in result.stderr
    # 4. correctly signed, but a file others may write, or a link: not this user's entry
    planted = _forge(cache_dir, bad_key, payload, secret)
    planted.chmod(0o666)
    result = okr("validate", "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code == 1 and "error[unknown-key]" in result.stderr
    planted.unlink()
    elsewhere = _forge(tmp_path, "elsewhere", payload, secret)
    planted.symlink_to(elsewhere)
    result = okr("validate", "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code == 1 and "error[unknown-key]" in result.stderr


def test_without_a_secret_there_is_no_cache(okr, make_workspace, tmp_path, monkeypatch):
    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("OKR_CACHE_DIR", str(cache_dir))
    config = tmp_path / "config"
    (config / "okr").mkdir(parents=True)
    (config / "okr" / "cache-key").write_bytes(b"short")  # unusable
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    root = make_workspace(
        {"okrs/2026-Q4/platform.yaml": PLAN, "okrs/2026-Q4/company.yaml": COMPANY}
    )
    _scorecard(okr, root)
    assert not cache_dir.exists()


def test_the_key_includes_the_python_version_and_implementation(monkeypatch):
    import sys

    from okrcli import cache

    cache._code_key.cache_clear()
    first = cache.key("plan", "okrs/2026-Q4/a.yaml", b"team: a\n")
    monkeypatch.setattr(sys, "version", sys.version + " (another build)")
    cache._code_key.cache_clear()
    second = cache.key("plan", "okrs/2026-Q4/a.yaml", b"team: a\n")
    monkeypatch.setattr(sys.implementation, "name", "otherpython")
    cache._code_key.cache_clear()
    third = cache.key("plan", "okrs/2026-Q4/a.yaml", b"team: a\n")
    monkeypatch.undo()
    cache._code_key.cache_clear()
    assert len({first, second, third}) == 3


def test_old_entries_are_evicted(tmp_path, monkeypatch):
    import os

    from okrcli import cache

    monkeypatch.setenv("OKR_CACHE_DIR", str(tmp_path / "cache"))
    entries = [cache.key("plan", f"okrs/2026-Q4/{n}.yaml", b"x") for n in range(30)]
    for age, entry in enumerate(entries):
        cache.put(entry, {"n": age})
        path = tmp_path / "cache" / entry[:2] / entry
        os.utime(path, (1_000_000 + age, 1_000_000 + age))
    assert cache.evict(tmp_path / "cache", max_entries=10) == 20
    kept = [e for e in entries if cache.get(e) is not None]
    assert kept == entries[-10:]  # the newest stay
    # and writes keep the folder bounded on their own
    monkeypatch.setattr(cache, "EVICT_CHANCE", 1.0)
    monkeypatch.setattr(cache, "MAX_ENTRIES", 5)
    for n in range(12):
        cache.put(cache.key("kpi", f"kpis/{n}.yaml", b"y"), n)
    count = sum(1 for p in (tmp_path / "cache").rglob("*") if p.is_file())
    assert count <= 5
