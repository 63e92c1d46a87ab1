"""The result cache: validate from earlier results when nothing (or only a journal file)
changed, always what a full check finds; bounded; never fooled by a stale or planted
entry."""

from __future__ import annotations

import json
import marshal
import os
from datetime import date

import pytest
from helpers import AS_OF

from okrcli import cache, loader, resultcache
from okrcli.journal import format_record
from okrcli.quickcheck import Check

TODAY = date.fromisoformat(AS_OF)


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("OKR_CACHE_DIR", str(folder))
    return folder


def _validate(okr, root, *extra, env=None):
    result = okr(
        "validate", "--root", str(root), "--as-of", AS_OF, "--format", "json", *extra, env=env
    )
    return result.exit_code, json.loads(result.stdout)


def _uncached(okr, root):
    return _validate(okr, root, env={"OKR_NO_CACHE": "1"})


def _no_full_check(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the workspace was loaded in full")

    monkeypatch.setattr(loader, "load_workspace", refuse)


def _append(root, rel, **record):
    with open(root / rel, "a", encoding="utf-8") as f:
        f.write(format_record(record))


def test_an_unchanged_workspace_is_answered_from_the_cache(okr, example, cache_dir, monkeypatch):
    first = _validate(okr, example)
    assert first == _uncached(okr, example)
    _no_full_check(monkeypatch)
    assert _validate(okr, example) == first


def test_after_a_check_in_only_the_changed_journal_file_is_read(
    okr, example, cache_dir, monkeypatch
):
    _validate(okr, example)
    _append(example, "checkins/2026-11.yaml", at="2026-11-21T09:00:00+00:00", id="p99-latency",
            value=590, confidence=0.8, by="bob")  # fmt: skip
    _append(example, "checkins/2026-11.yaml", at="2026-11-21T09:05:00+00:00", id="api-uptime",
            value=99.98, by="bob")  # fmt: skip
    expected = _uncached(okr, example)
    with monkeypatch.context() as m:
        _no_full_check(m)
        assert _validate(okr, example) == expected


@pytest.mark.parametrize(
    "record",
    [
        {"at": "2026-11-21T09:00:00+00:00", "id": "p99-latncy", "value": 1},  # unknown id
        {"at": "2026-12-02T09:00:00+00:00", "id": "api-uptime", "value": 1},  # future, misfiled
        {"at": "2026-11-21T09:00:00+00:00", "id": "api-uptime", "value": True},  # not a number
        {"at": "2026-11-21T09:00:00+00:00", "id": "p99-latency", "value": 1, "period": "2025"},
        {"at": "2026-11-21T09:00:00+00:00", "id": "uptime-held", "value": 1},  # linked KR
    ],
)
def test_a_check_in_with_a_problem_is_reported_as_a_full_check_reports_it(
    okr, example, cache_dir, record
):
    _validate(okr, example)
    _append(example, "checkins/2026-11.yaml", **record)
    cached = _validate(okr, example)
    assert cached == _uncached(okr, example)
    assert cached[1]["diagnostics"]
    assert _validate(okr, example) == cached  # and again, from the whole-workspace entry


def test_a_journal_file_changed_in_the_middle_is_read_again(okr, example, cache_dir):
    _validate(okr, example)
    journal = example / "checkins/2026-11.yaml"
    lines = journal.read_text().splitlines(keepends=True)
    lines[3] = lines[3].replace('"id": "', '"id": "no-such-')
    journal.write_text("".join(lines))
    cached = _validate(okr, example)
    assert cached == _uncached(okr, example)
    assert any(d["code"] == "checkin-unknown-id" for d in cached[1]["diagnostics"])
    # and a later append to it is read on top of that result
    _append(example, "checkins/2026-11.yaml", at="2026-11-21T09:05:00+00:00", id="api-uptime",
            value=99.98, by="bob")  # fmt: skip
    assert _validate(okr, example) == _uncached(okr, example)


def test_a_changed_plan_is_checked_in_full(okr, example, cache_dir):
    _validate(okr, example)
    plan = example / "okrs/2026-Q4/platform.yaml"
    plan.write_text(plan.read_text().replace("target: 300", "target: 900"))
    cached = _validate(okr, example)
    assert cached == _uncached(okr, example)
    assert any(d["code"] == "kr-type" for d in cached[1]["diagnostics"])


def test_a_stale_kpi_is_judged_from_the_latest_values(okr, example, cache_dir, monkeypatch):
    late = ("validate", "--root", str(example), "--as-of", "2027-03-01", "--format", "json")
    first = okr(*late)
    assert "stale-kpi" in first.stdout
    _append(example, "checkins/2026-11.yaml", at="2026-11-21T09:00:00+00:00", id="api-uptime",
            value=99.98, by="bob")  # fmt: skip
    uncached = okr(*late, env={"OKR_NO_CACHE": "1"})
    with monkeypatch.context() as m:
        _no_full_check(m)
        again = okr(*late)
    assert (again.exit_code, again.stdout) == (uncached.exit_code, uncached.stdout)


def test_the_cache_holds_one_entry_per_file_however_many_check_ins(okr, example, cache_dir):
    counts = []
    for n in range(6):
        result = okr(
            "checkin", "--root", str(example), "api-uptime", f"99.9{n}",
            "--at", f"2026-11-21T0{n}:00:00+00:00",
        )  # fmt: skip
        assert result.exit_code == 0, result
        _validate(okr, example)
        okr("scorecard", "--root", str(example), "--as-of", AS_OF, "--format", "json")
        counts.append(sum(1 for p in cache_dir.rglob("*") if p.is_file()))
    assert counts[1:] == [counts[1]] * (len(counts) - 1), counts


def _whole_entry(root):
    check = Check(root, TODAY)
    return resultcache.slot("whole", str(root)), check.whole_key


def test_a_planted_entry_is_ignored(okr, make_workspace, cache_dir):
    root = make_workspace(
        {"okrs/2026-Q4/platform.yaml": "team: platform\nobjectives: 3\n"}  # an error
    )
    expected = _uncached(okr, root)
    assert expected[0] == 1
    name, key = _whole_entry(root)
    # claims the workspace is clean, under the right name and key, without okr's signature
    cache.put(name, (b"okr-result-1", b"\0" * 64, key, marshal.dumps([])))
    assert _validate(okr, root) == expected
    # signed, but with another folder's key (copied from elsewhere, committed to a repo)
    other = cache_dir.parent / "elsewhere"
    os.environ["OKR_CACHE_DIR"] = str(other)
    try:
        resultcache._secrets.clear()
        resultcache.put(name, key, [])
        planted = (other / name[:2] / name).read_bytes()
    finally:
        os.environ["OKR_CACHE_DIR"] = str(cache_dir)
        resultcache._secrets.clear()
    (cache_dir / name[:2]).mkdir(parents=True, exist_ok=True)
    (cache_dir / name[:2] / name).write_bytes(planted)
    assert _validate(okr, root) == expected


def test_a_key_file_others_can_read_is_replaced(okr, example, cache_dir):
    _validate(okr, example)
    key = cache_dir / "result-key"
    before = key.read_bytes()
    key.chmod(0o644)
    resultcache._secrets.clear()
    assert _validate(okr, example) == _uncached(okr, example)
    assert key.read_bytes() != before
    assert key.stat().st_mode & 0o077 == 0


def test_only_the_journal_rules_read_the_check_ins(example):
    from okrcli.link import link
    from okrcli.reader import read_workspace
    from okrcli.rules import JOURNAL_RULES, RULES

    ws = read_workspace(example)
    link(ws, TODAY)

    class Untouchable(list):  # type: ignore[type-arg]
        def __iter__(self):
            raise AssertionError("a rule read the check-ins")

        def __len__(self):
            raise AssertionError("a rule read the check-ins")

        def __getitem__(self, i):
            raise AssertionError("a rule read the check-ins")

    ws.checkins = Untouchable(ws.checkins)
    for rule in RULES:
        if rule not in JOURNAL_RULES:
            list(rule(ws, TODAY))
    with pytest.raises(AssertionError):
        list(JOURNAL_RULES[0](ws, TODAY))


@pytest.mark.parametrize(
    "args",
    [
        ("scorecard", "--format", "json"),
        ("scorecard", "--format", "csv", "--team", "platform"),
        ("tree", "--format", "json"),
    ],
)
def test_a_report_for_programs_is_kept_for_an_unchanged_workspace(
    okr, example, cache_dir, monkeypatch, args
):
    run = (*args, "--root", str(example), "--as-of", AS_OF)
    first = okr(*run)
    assert first.exit_code == 0, first
    with monkeypatch.context() as m:
        _no_full_check(m)
        again = okr(*run)
    assert (again.exit_code, again.stdout, again.stderr) == (0, first.stdout, first.stderr)
    _append(example, "checkins/2026-11.yaml", at="2026-11-21T09:00:00+00:00", id="api-uptime",
            value=12.5, by="bob")  # fmt: skip
    changed = okr(*run)
    assert changed.stdout == okr(*run, env={"OKR_NO_CACHE": "1"}).stdout
    if args[0] == "scorecard":
        assert changed.stdout != first.stdout


def test_a_report_that_said_something_on_stderr_is_not_kept(okr, example, cache_dir):
    run = ("scorecard", "--format", "json", "--root", str(example), "--as-of", "2027-02-01")
    first = okr(*run)
    assert first.exit_code == 0 and "no plans for 2027-Q1" in first.stderr
    assert okr(*run).stderr == first.stderr


def test_history_asked_again_of_an_unchanged_repository_reads_no_history(
    okr, example, git_repo, cache_dir, monkeypatch
):
    from helpers import commit

    from okrcli import gitrepo

    git_repo(example)
    run = ("history", "p99-latency", "--root", str(example), "--as-of", AS_OF, "-f", "json")
    first = okr(*run)
    assert first.exit_code == 0, first
    assert json.loads(first.stdout)["git"]["available"] is True

    def no_walk(*args, **kwargs):
        raise AssertionError("the history was walked again")

    with monkeypatch.context() as m:
        m.setattr(gitrepo, "walk_files", no_walk)
        assert okr(*run).stdout == first.stdout
    plan = example / "okrs/2026-Q4/platform.yaml"
    plan.write_text(plan.read_text().replace("target: 300", "target: 250"))
    commit(example, "retarget", "2026-11-10T10:00:00+00:00")
    changed = json.loads(okr(*run).stdout)
    assert changed["definition_changes"][-1]["field"] == "target"
    assert changed["definition_changes"][-1]["new"] == 250
    assert okr(*run).stdout == okr(*run, env={"OKR_NO_CACHE": "1"}).stdout
