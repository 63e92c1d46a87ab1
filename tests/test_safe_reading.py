"""Files okr reads: only regular files inside the workspace, sizes checked first.

Reproducers of issue #12: a symbolic link under kpis/ to a credential file put its first
characters into the diagnostics; a FIFO hung okr forever; /dev/zero ate gigabytes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import AS_OF, commit, git_init

from okrcli.files import Refused, read_goal_file, read_regular

SECRET = "https://secret-user:ghp_s3cr3tT0kenV4lue@github.com"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX links and FIFOs")


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "git-credentials"
    path.write_text(SECRET + "\n", encoding="utf-8")
    return path


def _all_output(okr, root: Path, *commands: tuple[str, ...]) -> list:
    return [okr(*c, "--root", str(root), "--as-of", AS_OF) for c in commands]


def _okr_process(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "okrcli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(
    "rel", ["kpis/stolen.yaml", "okrs/2026-Q4/stolen.yaml", "checkins/2026-11.yaml", "okr.yaml"]
)
def test_a_link_leading_outside_is_refused_and_nothing_of_it_is_shown(okr, example, secret, rel):
    link = example / rel
    link.unlink(missing_ok=True)
    link.symlink_to(secret)
    results = _all_output(
        okr,
        example,
        ("validate",),
        ("validate", "--format", "json"),
        ("validate", "--format", "github"),
        ("scorecard",),
        ("tree",),
        ("history", "mrr"),
    )
    for result in results:
        assert result.exit_code == 1, result
        shown = result.stdout + result.stderr
        assert "ghp_" not in shown and "secret-user" not in shown and "github.com" not in shown
        assert "internal error" not in shown
    doc = json.loads(results[1].stdout)
    found = [(d["code"], d["file"], d["line"], d["column"]) for d in doc["diagnostics"]]
    assert ("file-unreadable", rel, 1, 1) in found
    message = next(d["message"] for d in doc["diagnostics"] if d["file"] == rel)
    assert "leads outside the workspace" in message
    assert secret.read_text(encoding="utf-8") == SECRET + "\n"


def test_a_linked_folder_leading_outside_is_not_read(okr, example, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "x.yaml").write_text("kpis: [{id: stolen, title: X}]\n", encoding="utf-8")
    # a linked sub-folder is not walked into
    (example / "kpis" / "more").symlink_to(outside, target_is_directory=True)
    result = okr("scorecard", "--root", str(example), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0
    assert "stolen" not in result.stdout
    # a linked top folder is walked, and each file in it refused
    for name in os.listdir(example / "kpis"):
        (example / "kpis" / name).unlink()
    (example / "kpis").rmdir()
    (example / "kpis").symlink_to(outside, target_is_directory=True)
    result = okr("validate", "--root", str(example), "--as-of", AS_OF, "--format", "json")
    found = {(d["code"], d["file"]) for d in json.loads(result.stdout)["diagnostics"]}
    assert ("file-unreadable", "kpis/x.yaml") in found
    assert result.exit_code == 1


def test_a_link_inside_the_workspace_is_read(okr, example):
    shared = example / "shared"
    shared.mkdir()
    plan = example / "okrs" / "2026-Q3" / "growth.yaml"
    (shared / "growth.yaml").write_bytes(plan.read_bytes())
    plan.unlink()
    plan.symlink_to(Path("..", "..", "shared", "growth.yaml"))
    result = okr("validate", "--root", str(example), "--as-of", AS_OF)
    assert result.exit_code == 0, result


def test_a_fifo_is_refused_without_being_opened(example):
    os.mkfifo(example / "kpis" / "pipe.yaml")
    os.mkfifo(example / "checkins" / "2026-12.yaml")
    done = _okr_process("--root", str(example), "validate", "--format", "json", "--as-of", AS_OF)
    assert done.returncode == 1, done
    found = {(d["code"], d["file"]) for d in json.loads(done.stdout)["diagnostics"]}
    assert found == {
        ("file-unreadable", "kpis/pipe.yaml"),
        ("file-unreadable", "checkins/2026-12.yaml"),
    }
    assert "FIFO" in done.stdout
    # and a check-in refuses to append to it, at once
    checkin = _okr_process("--root", str(example), "checkin", "mrr", "1400", "--at", "2026-12-02")
    assert checkin.returncode == 1
    assert "FIFO" in checkin.stderr and "internal error" not in checkin.stderr


def test_a_device_is_refused_without_being_read(example):
    (example / "kpis" / "zero.yaml").symlink_to("/dev/zero")
    done = _okr_process("--root", str(example), "validate", "--format", "json", "--as-of", AS_OF)
    assert done.returncode == 1
    assert ("file-unreadable", "kpis/zero.yaml") in {
        (d["code"], d["file"]) for d in json.loads(done.stdout)["diagnostics"]
    }
    with pytest.raises(Refused, match="a device"):
        read_regular("/dev/zero")
    with pytest.raises(Refused, match="a device"):
        read_goal_file("/dev", "/dev/zero")


@pytest.mark.parametrize("special", ["fifo", "/dev/zero", "folder"])
def test_import_of_a_file_that_is_not_regular_is_refused(example, tmp_path, special):
    if special == "fifo":
        source = tmp_path / "rows.csv"
        os.mkfifo(source)
    elif special == "folder":
        source = tmp_path
    else:
        source = Path(special)
    done = _okr_process("--root", str(example), "import", str(source), timeout=30)
    assert done.returncode == 1, done
    assert "not a regular file" in done.stderr
    assert "internal error" not in done.stderr


def test_size_is_checked_before_reading(okr, example):
    big = example / "checkins" / "2026-12.yaml"
    with big.open("wb") as f:  # sparse: 65 MiB that take no room and are never read
        f.truncate(65 * 1024 * 1024)
    result = okr("validate", "--root", str(example), "--as-of", AS_OF, "--format", "json")
    found = [(d["code"], d["file"]) for d in json.loads(result.stdout)["diagnostics"]]
    assert found == [("file-too-large", "checkins/2026-12.yaml")]


def test_a_file_that_grows_past_the_limit_while_read_is_refused(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_bytes(b"x" * 100)
    assert read_regular(path, 100) == b"x" * 100
    with pytest.raises(Refused) as caught:
        read_regular(path, 99)
    assert caught.value.code == "file-too-large"


def test_checkin_never_appends_through_a_link_leading_outside(okr, example, tmp_path, secret):
    journal = example / "checkins" / "2026-12.yaml"
    journal.symlink_to(secret)
    result = okr("checkin", "mrr", "1400", "--root", str(example), "--at", "2026-12-02")
    assert result.exit_code == 1
    assert "leads outside the workspace" in result.stderr
    assert secret.read_text(encoding="utf-8") == SECRET + "\n"
    # nor into a checkins folder that is a link leading outside
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    journal.unlink()
    for name in os.listdir(example / "checkins"):
        (example / "checkins" / name).unlink()
    (example / "checkins").rmdir()
    (example / "checkins").symlink_to(elsewhere, target_is_directory=True)
    result = okr("checkin", "mrr", "1400", "--root", str(example), "--at", "2026-12-02")
    assert result.exit_code == 1
    assert list(elsewhere.iterdir()) == []


def test_diff_and_history_read_the_working_tree_safely(okr, example, secret):
    git_init(example)
    commit(example, "plans")
    (example / "okrs" / "2026-Q4" / "stolen.yaml").symlink_to(secret)
    diff = okr("diff", "--root", str(example))
    shown = diff.stdout + diff.stderr
    assert "ghp_" not in shown and "internal error" not in shown
    assert "okrs/2026-Q4/stolen.yaml:1:1: error[file-unreadable]" in diff.stderr
    history = okr("history", "p99-latency", "--root", str(example), "--as-of", AS_OF)
    assert "ghp_" not in history.stdout + history.stderr


def test_a_link_committed_to_git_is_not_followed(okr, example, secret):
    git_init(example)
    commit(example, "plans")
    (example / "okrs" / "2026-Q4" / "stolen.yaml").symlink_to(secret)
    commit(example, "a link")  # git stores the link itself, its target as the content
    (example / "okrs" / "2026-Q4" / "stolen.yaml").unlink()
    diff = okr("diff", "HEAD", "--root", str(example), "--format", "json")
    assert diff.exit_code == 0, diff
    assert str(secret) not in diff.stdout + diff.stderr  # not even the target's path
    assert "stolen" not in diff.stdout
