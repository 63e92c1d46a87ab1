"""okr validate on an unchanged workspace answers from its kept result (okrcli.checked):
the same answer as a full check, never a stale one, and one cache entry per file."""

from __future__ import annotations

import json

import pytest
from helpers import AS_OF

from okrcli import loader

PLAN = """\
team: platform
objectives:
  - id: reliable
    title: Reliable
    key_results:
      - {id: p99, title: p99, start: 850, target: 300}
"""
KPIS = """\
kpis:
  - {id: uptime, title: Uptime, unit: "%", direction: up, target: 99.9, red: 99.5, cadence: weekly}
"""


def _validate(okr, root, *args):
    result = okr("validate", "--root", str(root), "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture
def loads(monkeypatch):
    """How many times the workspace has been loaded (read, linked and checked)."""
    calls: list[object] = []
    real = loader.load_workspace

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(loader, "load_workspace", counted)
    return calls


@pytest.fixture
def workspace(make_workspace):
    return make_workspace(
        {
            "okrs/2026-Q4/platform.yaml": PLAN,
            "kpis/platform.yaml": KPIS,
            "checkins/2026-11.yaml": (
                '- {"at": "2026-11-02T10:00:00+00:00", "id": "uptime", "value": 99.95}\n'
                '- {"at": "2026-11-20T10:00:00+00:00", "id": "p99", "value": 620}\n'
                '- {"at": "2026-11-21T10:00:00+00:00", "id": "p98", "value": 610}\n'
            ),
        }
    )


def test_an_unchanged_workspace_is_answered_without_loading_it(okr, workspace, loads):
    first = _validate(okr, workspace, "--as-of", AS_OF)
    assert len(loads) == 1
    assert first[0] == 1  # p98 is no KR: an error, kept with its place
    assert {"checkin-unknown-id", "stale-kpi"} <= {d["code"] for d in first[1]["diagnostics"]}
    assert _validate(okr, workspace, "--as-of", AS_OF) == first
    text = okr("validate", "--root", str(workspace), "--as-of", AS_OF)
    assert text.exit_code == 1
    assert "checkins/2026-11.yaml:3:" in text.stderr and "'p98'" in text.stderr
    assert len(loads) == 1  # once, for the first run


def test_any_change_to_a_file_is_checked_again(okr, workspace):
    _validate(okr, workspace, "--as-of", AS_OF)
    journal = workspace / "checkins/2026-11.yaml"
    journal.write_text(journal.read_text().replace('"p98"', '"p99"'))
    code, report = _validate(okr, workspace, "--as-of", AS_OF)
    codes = {d["code"] for d in report["diagnostics"]}
    assert code == 0 and "stale-kpi" in codes and "checkin-unknown-id" not in codes
    (workspace / "okrs/2026-Q4/platform.yaml").write_text(PLAN.replace("target: 300", "tagret: 3"))
    code, report = _validate(okr, workspace, "--as-of", AS_OF)
    assert code == 1 and "unknown-key" in {d["code"] for d in report["diagnostics"]}
    (workspace / "kpis/extra.yaml").write_text("kpis: []\nbogus: 1\n")  # a new file
    code, report = _validate(okr, workspace, "--as-of", AS_OF)
    assert "kpis/extra.yaml" in {d["file"] for d in report["diagnostics"]}


def test_another_day_is_judged_again(okr, workspace):
    """Stale KPIs and check-ins in the future depend on the day, not only the files."""
    late = _validate(okr, workspace, "--as-of", AS_OF)[1]
    early = _validate(okr, workspace, "--as-of", "2026-11-03")[1]
    assert "stale-kpi" in {d["code"] for d in late["diagnostics"]}
    codes = {d["code"] for d in early["diagnostics"]}
    assert "stale-kpi" not in codes and "future-checkin" in codes


def test_the_kept_answer_is_the_full_checks_answer(okr, example, monkeypatch):
    (example / "checkins/2026-11.yaml").open("a").write(
        '- {"at": "2026-11-21T10:00:00+00:00", "id": "nope", "value": 1}\n'
    )
    first = _validate(okr, example, "--as-of", AS_OF)
    kept = _validate(okr, example, "--as-of", AS_OF)
    monkeypatch.setenv("OKR_NO_CACHE", "1")
    assert kept == first == _validate(okr, example, "--as-of", AS_OF)
    assert first[0] == 1


def test_an_unfinished_append_is_never_answered_from_the_cache(okr, workspace, loads):
    from okrcli import undo

    _validate(okr, workspace, "--as-of", AS_OF)
    journal = workspace / "checkins/2026-11.yaml"
    size = journal.stat().st_size
    line = b'- {"at": "2026-11-21T11:00:00+00:00", "id": "p99", "value": 600}\n'
    undo.begin(workspace, {"checkins/2026-11.yaml": (size, line)})
    code, report = _validate(okr, workspace, "--as-of", AS_OF)
    assert len(loads) == 2  # checked again, and the unfinished line is not seen
    assert code == 1 and "checkin-unknown-id" in {d["code"] for d in report["diagnostics"]}


def test_the_cache_folder_holds_one_entry_per_file(okr, example, tmp_path, monkeypatch):
    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("OKR_CACHE_DIR", str(cache_dir))

    def entries():
        return sorted(p.name for p in cache_dir.rglob("*") if p.is_file())

    assert _validate(okr, example, "--as-of", AS_OF)[0] == 0
    after_one = entries()
    assert after_one
    for n in range(5):
        result = okr(
            "checkin", "p99-latency", str(600 - n), "--root", str(example), "--at", "2026-11-21"
        )
        assert result.exit_code == 0, result.stderr
        assert _validate(okr, example, "--as-of", AS_OF)[0] == 0
    assert entries() == after_one


# --- after check-ins: only the appended records are checked ------------------------------


def _full(okr, root, monkeypatch, *args):
    """The answer of a full check, without the cache."""
    with monkeypatch.context() as m:
        m.setenv("OKR_NO_CACHE", "1")
        return _validate(okr, root, *args)


def _checkin(okr, root, *args):
    result = okr("checkin", *args, "--root", str(root))
    assert result.exit_code == 0, result.stderr


def test_after_check_ins_only_the_new_records_are_checked(okr, example, loads, monkeypatch):
    late = "2026-12-20"  # the weekly KPIs have gone stale by then
    first = _validate(okr, example, "--as-of", late)
    assert "stale-kpi" in {d["code"] for d in first[1]["diagnostics"]}
    assert len(loads) == 1
    _checkin(okr, example, "p99-latency", "570", "--at", "2026-12-19")  # a new month's file
    _checkin(okr, example, "api-uptime", "99.93", "--at", "2026-12-19")  # stale no more
    _checkin(okr, example, "soc2", "0.8", "--at", "2026-12-19", "--note", "audit fieldwork")
    _checkin(okr, example, "multi-region", "--note", "blocked on legal", "--at", "2026-12-19")
    after = _validate(okr, example, "--as-of", late)
    assert len(loads) == 1 + 4  # one load by each check-in, none by validate
    assert after == _full(okr, example, monkeypatch, "--as-of", late)
    stale = {
        d["message"].split("'")[1] for d in after[1]["diagnostics"] if d["code"] == "stale-kpi"
    }
    assert "api-uptime" not in stale and stale  # its warning went, the others stay


@pytest.mark.parametrize(
    "line",
    [
        '- {"at": "2026-11-21T10:00:00+00:00", "id": "nope", "value": 1}\n',  # unknown id
        '- {"at": "2026-11-21T10:00:00+00:00", "id": "soc2", "value": 3}\n',  # not 0..1
        '- {"at": "2026-12-21T10:00:00+00:00", "id": "soc2", "value": 1}\n',  # future, misfiled
        '- {"at": "2026-11-21T10:00:00+00:00", "id": "api-uptime", "period": "2026-Q4", '
        '"value": 1}\n',  # a KPI takes no period
        '- {"at": "2026-11-21T10:00:00+00:00", "id": "churn-held", "value": 1.5}\n',  # linked
        "- {at: 2026-11-21, id: soc2, value: 1}\n",  # written by hand: the YAML path
        "# a comment\n",
    ],
)
def test_an_appended_record_with_a_problem_gets_the_full_check(
    okr, example, loads, monkeypatch, line
):
    _validate(okr, example, "--as-of", AS_OF)
    with (example / "checkins/2026-11.yaml").open("a") as f:
        f.write(line)
    answer = _validate(okr, example, "--as-of", AS_OF)
    assert len(loads) == 2  # checked in full
    assert answer == _full(okr, example, monkeypatch, "--as-of", AS_OF)


def test_a_journal_line_changed_in_place_gets_the_full_check(okr, example, loads, monkeypatch):
    _validate(okr, example, "--as-of", AS_OF)
    journal = example / "checkins/2026-11.yaml"
    journal.write_text(journal.read_text().replace('"value": 42', '"value": 41'))
    answer = _validate(okr, example, "--as-of", AS_OF)
    assert len(loads) == 2
    assert answer == _full(okr, example, monkeypatch, "--as-of", AS_OF)
