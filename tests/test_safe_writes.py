"""Files okr creates are created exclusively: never through an existing path or a planted
link (issue #12: a planted ``.company.yaml.<pid>.tmp`` link made ``okr plan`` overwrite a
file outside the workspace)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from okrcli.files import create_new

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX links")

VICTIM = "precious data\n"


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    path = tmp_path / "victim.txt"
    path.write_text(VICTIM, encoding="utf-8")
    return path


def _plan(okr, root: Path):
    return okr("plan", "2027-Q1", "--from", "2026-Q4", "--root", str(root), "--as-of", "2027-01-05")


def test_planted_temporary_links_are_never_followed(okr, example, victim):
    target = example / "okrs" / "2027-Q1"
    target.mkdir()
    # every name an older okr used for its temporary files, and then some
    for pid in range(os.getpid() - 50, os.getpid() + 50):
        (target / f".platform.yaml.{pid}.tmp").symlink_to(victim)
    (target / ".platform.yaml.tmp").symlink_to(victim)
    result = _plan(okr, example)
    assert result.exit_code == 0, result
    assert victim.read_text(encoding="utf-8") == VICTIM
    written = target / "platform.yaml"
    assert written.is_file() and not written.is_symlink()
    assert "team: platform" in written.read_text(encoding="utf-8")


def test_a_link_planted_at_the_file_itself_is_never_written_through(okr, example, victim, tmp_path):
    target = example / "okrs" / "2027-Q1"
    target.mkdir()
    (target / "platform.yaml").symlink_to(victim)
    (target / "growth.yaml").symlink_to(tmp_path / "does-not-exist-yet.yaml")  # dangling
    result = _plan(okr, example)  # the links are goal files leading outside: refused
    assert result.exit_code == 1
    assert "okrs/2027-Q1/platform.yaml:1:1: error[file-unreadable]" in result.stderr
    assert victim.read_text(encoding="utf-8") == VICTIM
    assert not (tmp_path / "does-not-exist-yet.yaml").exists()


def test_a_folder_linked_outside_the_workspace_is_refused(okr, example, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (example / "okrs" / "2027-Q1").symlink_to(outside, target_is_directory=True)
    result = _plan(okr, example)
    assert result.exit_code == 1
    assert "leads outside the workspace" in result.stderr
    assert list(outside.iterdir()) == []
    # okr close --write, likewise
    (example / "grades").symlink_to(outside, target_is_directory=True)
    close = okr("close", "2026-Q3", "--write", "--root", str(example), "--as-of", "2026-11-22")
    assert close.exit_code == 1
    assert list(outside.iterdir()) == []


def test_create_new_never_replaces(tmp_path, victim):
    path = tmp_path / "new.yaml"
    assert create_new(path, "a: 1\n", root=tmp_path)
    assert not create_new(path, "a: 2\n", root=tmp_path)
    assert path.read_text(encoding="utf-8") == "a: 1\n"
    link = tmp_path / "link.yaml"
    link.symlink_to(victim)
    assert not create_new(link, "x", root=tmp_path)
    assert victim.read_text(encoding="utf-8") == VICTIM
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []
