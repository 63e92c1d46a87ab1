"""Documentation stays true: every diagnostic code and every command is documented."""

from __future__ import annotations

import re

from helpers import REPO

from okrcli.cli import app
from okrcli.diagnostics import CODES


def _docs() -> str:
    parts = [(REPO / "README.md").read_text(encoding="utf-8")]
    parts += [p.read_text(encoding="utf-8") for p in sorted((REPO / "docs").glob("*.md"))]
    return "\n".join(parts)


def test_every_diagnostic_code_is_documented_once_with_its_severity():
    text = (REPO / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (error|warning) \|", text, flags=re.M)
    assert sorted(code for code, _ in rows) == sorted(CODES)
    assert {code: sev for code, sev in rows} == {code: sev for code, (sev, _) in CODES.items()}


def test_every_command_is_documented():
    text = _docs()
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    assert names
    for name in names:
        assert f"okr {name}" in text, f"'okr {name}' appears nowhere in README.md or docs/"


def test_readme_setup_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "python -m pip install . && okr --root examples/acme scorecard" in readme
    assert 'python -m pip install -e ".[test]" && python -m pytest' in readme


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert 'python -m pip install -e ".[test]" && python -m pytest' in ci


def test_pre_commit_hook_runs_validate():
    hooks = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "entry: okr validate" in hooks
