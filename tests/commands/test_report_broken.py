"""``okr report`` on a workspace with broken files: the site holds everything the errors do
not touch, says on its overview what it leaves out, and the command exits 1 (SPEC §6)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import AS_OF, write_tree

pytest.importorskip("jinja2")

# a check-in whose value is not a number: only that line is left out
OKR = (sys.executable, "-m", "okrcli")
BAD_LINE = '- {"at": "2026-11-10T10:00:00+00:00", "id": "p99-latency", "value": "lots"}\n'


def report(okr, root: Path, out: Path, *args: str):
    return okr("report", "--root", str(root), "--as-of", AS_OF, "--out", str(out), *args)


def _break(example: Path) -> None:
    growth = example / "okrs" / "2026-Q4" / "growth.yaml"
    growth.write_text(growth.read_text().replace("objectives:", "objectives: [\n", 1))
    journal = example / "checkins" / "2026-11.yaml"
    journal.write_text(journal.read_text() + BAD_LINE)


def test_a_broken_plan_and_a_bad_check_in_leave_the_rest_of_the_site(okr, example, tmp_path):
    clean = tmp_path / "clean"
    assert report(okr, example, clean).exit_code == 0
    assert "Incomplete" not in (clean / "index.html").read_text(encoding="utf-8")
    _break(example)
    out = tmp_path / "site"
    result = report(okr, example, out)
    assert result.exit_code == 1
    assert "okrs/2026-Q4/growth.yaml:4:3: error[yaml-syntax]" in result.stderr
    assert "checkins/2026-11.yaml:46:" in result.stderr
    assert f"okr: wrote 34 pages to {out}/" in result.stderr
    assert result.stderr.endswith(
        "okr: 2 errors in the goal files (listed above): the figures leave out what they "
        "affect; fix them and run again\n"
    )
    # the other teams' pages are written, and are exactly as without the errors
    for page in ("teams/platform.html", "teams/support.html", "teams/company.html"):
        assert (out / page).read_bytes() == (clean / page).read_bytes(), page
    # the bad line is left out; the key result keeps its other check-ins
    assert (out / "kr" / "p99-latency.html").read_bytes() == (
        clean / "kr" / "p99-latency.html"
    ).read_bytes()
    # growth is still a team of okr.yaml, but its plan could not be read
    assert (out / "teams" / "growth.html").is_file()
    assert not (out / "kr" / "activation.html").exists()
    assert (clean / "kr" / "activation.html").is_file()
    overview = (out / "index.html").read_text(encoding="utf-8")
    assert "Incomplete: 2 errors in the goal files" in overview
    assert (
        "The figures leave out what they affect, in 2 files: <code>checkins/2026-11.yaml</code>, "
        "<code>okrs/2026-Q4/growth.yaml</code>."
    ) in overview
    assert "Platform" in overview


def test_one_error_is_named_in_the_singular(okr, example, tmp_path):
    journal = example / "checkins" / "2026-11.yaml"
    journal.write_text(journal.read_text() + BAD_LINE)
    out = tmp_path / "site"
    result = report(okr, example, out)
    assert result.exit_code == 1
    assert "okr: 1 error in the goal files" in result.stderr
    overview = (out / "index.html").read_text(encoding="utf-8")
    assert "Incomplete: 1 error in the goal files" in overview
    assert "The figures leave out what it affects, in 1 file: " in overview


def test_the_notice_shows_a_file_name_as_text(okr, example, tmp_path):
    write_tree(example, {"okrs/2026-Q4/<b>x&y.yaml": "team: support\nobjectives: [\n"})
    out = tmp_path / "site"
    assert report(okr, example, out).exit_code == 1
    overview = (out / "index.html").read_text(encoding="utf-8")
    assert "<code>okrs/2026-Q4/&lt;b&gt;x&amp;y.yaml</code>" in overview
    assert "<b>x" not in overview


def test_a_broken_okr_yaml_exits_1_with_a_located_diagnostic(example, tmp_path):
    (example / "okr.yaml").write_text("version: 1\norg: [broken\n")
    out = tmp_path / "site"
    done = subprocess.run(
        [*OKR, "--root", str(example), "report", "--as-of", AS_OF, "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1, done
    assert "okr.yaml:3:1: error[yaml-syntax]" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert "the figures leave out what they affect" in done.stderr
    assert done.stdout == ""
    # the teams the plans name still get their pages, and every link resolves
    teams = sorted(p.name for p in (out / "teams").iterdir())
    names = ("company", "engineering", "growth", "platform", "support")
    assert teams == [f"{t}.html" for t in names]
    for page in out.rglob("*.html"):
        for href in re.findall(r'href="([^"#]+)', page.read_text(encoding="utf-8")):
            assert (page.parent / href).resolve().is_file(), (page, href)
