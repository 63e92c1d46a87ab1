"""``okr validate``: silence, formats, exit codes and finding the workspace."""

from __future__ import annotations

import json
import subprocess
import sys

from helpers import AS_OF, EXAMPLE

BROKEN_KPI = """\
kpis:
  - id: a
    title: A
    direction: sideways
    cadence: weekly
    target: "12"
"""


def test_silent_and_zero_when_clean(okr):
    result = okr("validate", "--root", str(EXAMPLE), "--as-of", AS_OF)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_text_lists_every_problem_with_its_place(okr, make_workspace):
    root = make_workspace({"kpis/k.yaml": BROKEN_KPI})
    result = okr("validate", "--root", str(root))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "kpis/k.yaml:4:16: error[invalid-value] 'direction' is the text 'sideways'; "
        "expected one of 'up', 'down' or 'within'",
        "kpis/k.yaml:6:13: error[wrong-type] 'target': expected a number, got the text '12'",
        "okr: 2 errors, 0 warnings",
    ]


def test_json_format(okr, make_workspace):
    root = make_workspace({"kpis/k.yaml": BROKEN_KPI})
    result = okr("validate", "--root", str(root), "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["ok"] is False
    assert (doc["errors"], doc["warnings"]) == (2, 0)
    assert doc["diagnostics"][0] == {
        "severity": "error",
        "code": "invalid-value",
        "file": "kpis/k.yaml",
        "line": 4,
        "column": 16,
        "message": "'direction' is the text 'sideways'; expected one of 'up', 'down' or 'within'",
    }


def test_json_format_when_clean(okr):
    result = okr("validate", "--root", str(EXAMPLE), "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"ok": True, "errors": 0, "warnings": 0, "diagnostics": []}


def test_github_format_escapes_properties_and_data(okr, make_workspace):
    root = make_workspace({"kpis/k.yaml": BROKEN_KPI})
    result = okr("validate", "--root", str(root), "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[1] == (
        "::error file=kpis/k.yaml,line=6,col=13,title=wrong-type::"
        "'target': expected a number, got the text '12'"
    )
    assert lines[0].startswith("::error file=kpis/k.yaml,line=4,col=16,title=invalid-value::")


def test_warnings_exit_zero_unless_strict(okr, make_workspace):
    plan = (
        "team: platform\nobjectives:\n  - id: o\n    title: O\n    key_results:\n"
        "      - {id: k, title: K, type: milestone}\n"
    )
    root = make_workspace({"okrs/2026-Q4/platform.yaml": plan})
    result = okr("validate", "--root", str(root))
    assert result.exit_code == 0
    assert "warning[unaligned-objective]" in result.stderr
    assert result.stderr.endswith("okr: 0 errors, 1 warning\n")
    strict = okr("validate", "--root", str(root), "--strict")
    assert strict.exit_code == 1


def test_found_from_a_subfolder(okr, example, monkeypatch):
    monkeypatch.chdir(example / "okrs" / "2026-Q4")
    result = okr("validate", "--as-of", AS_OF)
    assert (result.exit_code, result.stderr) == (0, "")


def test_okr_root_environment_variable(okr, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = okr("validate", "--as-of", AS_OF, env={"OKR_ROOT": str(EXAMPLE)})
    assert (result.exit_code, result.stderr) == (0, "")


def test_global_root_option(okr):
    result = okr("--root", str(EXAMPLE), "validate", "--as-of", AS_OF)
    assert result.exit_code == 0


def test_no_workspace_exits_2_and_says_what_was_looked_for(okr, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = okr("validate")
    assert result.exit_code == 2
    assert "no okr.yaml found in" in result.stderr
    assert "okr init" in result.stderr


def test_root_without_okr_yaml_exits_2(okr, tmp_path):
    result = okr("validate", "--root", str(tmp_path))
    assert result.exit_code == 2
    assert f"no okr.yaml in {tmp_path}" in result.stderr


def test_usage_errors_exit_2(okr):
    assert okr("validate", "--format", "xml").exit_code == 2
    assert okr("validate", "--root", str(EXAMPLE), "--as-of", "tomorrow").exit_code == 2


def test_invalid_okr_yaml_is_reported_not_raised(okr, make_workspace):
    root = make_workspace(settings="version: 2\norg: X\nteams: {}\n")
    result = okr("validate", "--root", str(root))
    assert result.exit_code == 1
    assert "okr.yaml:1:10: error[invalid-value]" in result.stderr


def test_internal_errors_ask_for_a_bug_report(okr, make_workspace, monkeypatch):
    from okrcli import loader

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(loader, "link", explode)
    root = make_workspace()
    result = okr("validate", "--root", str(root))
    assert result.exit_code == 3  # SPEC §6: an internal error (a bug) is 3
    assert "internal error: RuntimeError: boom" in result.stderr
    assert "OKR_DEBUG=1" in result.stderr
    assert "Traceback" not in result.stderr


def test_no_traceback_for_hostile_files_end_to_end(tmp_path):
    root = tmp_path / "ws"
    (root / "kpis").mkdir(parents=True)
    (root / "okr.yaml").write_text("version: 1\norg: X\nteams: {a: {}}\n")
    (root / "kpis" / "deep.yaml").write_text("kpis: " + "[" * 50000 + "]" * 50000)
    (root / "kpis" / "tag.yaml").write_text("kpis: !!python/object/apply:os.system ['true']\n")
    done = subprocess.run(
        [sys.executable, "-m", "okrcli", "validate", "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "kpis/deep.yaml:1:" in done.stderr
    assert "error[yaml-tag]" in done.stderr
