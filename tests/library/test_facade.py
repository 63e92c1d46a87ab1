"""The library facade: everything the CLI does, from Python, without printing."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timezone

import pytest

import okrcli


def test_every_public_name_resolves():
    assert set(okrcli.__all__) == {"__version__", *okrcli._EXPORTS}
    for name in okrcli.__all__:
        assert getattr(okrcli, name) is not None, name


def test_importing_the_package_loads_nothing_heavy():
    heavy = ("pydantic", "git", "typer", "rich")
    probe = f"import sys, okrcli; print(','.join(m for m in {heavy!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_load_evaluate_grade_and_record_without_printing(example, capsys):
    ws = okrcli.load_workspace(example, today=date(2026, 11, 22))
    assert ws.errors == 0
    q4 = okrcli.parse_period("2026-Q4")
    card = okrcli.build_scorecard(ws, q4, date(2026, 11, 22))
    doc = card.to_json()
    assert doc["period"] == "2026-Q4" and doc["objectives"]
    closing = okrcli.grade(ws, okrcli.parse_period("2026-Q3"), date(2026, 11, 22))
    assert closing.ended and 0 <= closing.grade <= 1
    entry = okrcli.record(
        ws, "p99-latency", 555, at=datetime(2026, 11, 22, 9, tzinfo=timezone.utc), by="lib"
    )
    assert entry.record["value"] == 555
    again = okrcli.load_workspace(example, today=date(2026, 11, 22))
    rows = {
        k.id: k
        for o in okrcli.build_scorecard(again, q4, date(2026, 11, 22)).objectives
        for k in o.key_results
    }
    assert rows["p99-latency"].current == 555
    with pytest.raises(okrcli.InputError):
        okrcli.record(again, "p99-latncy", 1)
    assert capsys.readouterr() == ("", "")


def test_the_readme_library_example_runs(example, monkeypatch, capsys):
    from helpers import REPO

    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Using okr as a library") :]
    code = section[section.index("```python") + len("```python") : section.index("```\n\n")]
    monkeypatch.chdir(example.parent)
    (example.parent / "examples").mkdir()
    example.rename(example.parent / "examples" / "acme")
    exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert "reliable-platform" in printed and "grade" not in printed
