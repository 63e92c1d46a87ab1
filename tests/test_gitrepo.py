"""Reading revisions and history with gitpython, on real repositories in temporary folders."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers import commit, git, git_init, write_tree

from okrcli import gitrepo
from okrcli.errors import GitError, UsageError


@pytest.fixture
def repo_dir(tmp_path: Path) -> Path:
    """A repository whose workspace lives in the sub-folder ``goals/``."""
    top = git_init(tmp_path / "repo")
    write_tree(
        top,
        {
            "README.md": "hello\n",
            ".github/workflows/ci.yaml": "on: push\n",
            "goals/okr.yaml": "version: 1\norg: T\nteams: {a: {}}\n",
            "goals/okrs/2026-Q4/a.yaml": "team: a\nobjectives: []\n",
            "goals/kpis/k.yaml": "kpis: []\n",
            "goals/checkins/2026-11.yaml": "[]\n",
            "goals/okrs/2026-Q4/notes.txt": "not a goal file\n",
        },
    )
    commit(top, "one", "2026-09-01T10:00:00+00:00")
    write_tree(top, {"README.md": "changed\n"})
    commit(top, "readme only", "2026-09-02T10:00:00+00:00")
    write_tree(top, {"goals/okrs/2026-Q4/a.yaml": "team: a\nobjectives: [] # edited\n"})
    commit(top, "edit plan", "2026-10-05T10:00:00+00:00", author="Bob")
    write_tree(top, {"goals/checkins/2026-11.yaml": "[] # more\n"})
    commit(top, "checkins only", "2026-11-01T10:00:00+00:00")
    return top


def test_workspace_prefix_of_a_sub_folder_and_of_the_top(repo_dir: Path):
    repo = gitrepo.open_repo(repo_dir / "goals", purpose="test")
    assert gitrepo.workspace_prefix(repo, repo_dir / "goals") == "goals/"
    assert gitrepo.workspace_prefix(repo, repo_dir) == ""


def test_commit_files_reads_only_settings_plans_and_kpis(repo_dir: Path):
    repo = gitrepo.open_repo(repo_dir, purpose="test")
    head = gitrepo.resolve_commit(repo, "HEAD")
    files = gitrepo.commit_files(repo, head, "goals/")
    assert sorted(files) == ["kpis/k.yaml", "okr.yaml", "okrs/2026-Q4/a.yaml"]
    assert files["okrs/2026-Q4/a.yaml"] == b"team: a\nobjectives: [] # edited\n"
    first = gitrepo.resolve_commit(repo, "HEAD~3")
    assert gitrepo.commit_files(repo, first, "goals/")["okrs/2026-Q4/a.yaml"] == (
        b"team: a\nobjectives: []\n"
    )
    assert gitrepo.commit_files(repo, head, "elsewhere/") == {}


def test_walk_visits_only_commits_touching_the_folder_and_parses_each_blob_once(repo_dir: Path):
    repo = gitrepo.open_repo(repo_dir, purpose="test")
    calls: list[str] = []

    def parse(rel: str, data: bytes) -> str:
        calls.append(rel)
        return data.decode()

    walked = list(gitrepo.walk_files(repo, "goals/", "okrs", parse))
    assert [info.summary for info, _ in walked] == ["one", "edit plan"]
    assert [info.author for info, _ in walked] == ["Ann", "Bob"]
    assert [str(info.day) for info, _ in walked] == ["2026-09-01", "2026-10-05"]
    assert walked[1][1] == {"okrs/2026-Q4/a.yaml": "team: a\nobjectives: [] # edited\n"}
    assert calls == ["okrs/2026-Q4/a.yaml", "okrs/2026-Q4/a.yaml"]  # two blobs, two reads
    kpi_walk = list(gitrepo.walk_files(repo, "goals/", "kpis", parse))
    assert [info.summary for info, _ in kpi_walk] == ["one"]
    assert len(calls) == 3


def test_an_unknown_revision_is_a_usage_error(repo_dir: Path):
    repo = gitrepo.open_repo(repo_dir, purpose="test")
    for rev in ("no-such-branch", "HEAD~10", "-x", "deadbeef"):
        with pytest.raises(UsageError):
            gitrepo.resolve_commit(repo, rev)


def test_an_unborn_branch_has_no_commits(tmp_path: Path):
    top = git_init(tmp_path / "empty")
    repo = gitrepo.open_repo(top, purpose="test")
    assert not gitrepo.has_commits(repo)
    with pytest.raises(GitError, match="no commits yet"):
        gitrepo.resolve_commit(repo, "HEAD")
    with pytest.raises(UsageError):
        gitrepo.resolve_commit(repo, "v1")
    assert list(gitrepo.walk_files(repo, "", "okrs", lambda rel, data: data)) == []


def test_detached_head_and_shallow_clone(repo_dir: Path, tmp_path: Path):
    git(repo_dir, "checkout", "-q", "--detach", "HEAD~2")
    repo = gitrepo.open_repo(repo_dir, purpose="test")
    assert gitrepo.has_commits(repo)
    head = gitrepo.resolve_commit(repo, "HEAD")
    assert gitrepo.commit_info(head).summary == "readme only"
    git(repo_dir, "checkout", "-q", "main")

    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo_dir}", str(clone)], check=True
    )
    shallow = gitrepo.open_repo(clone, purpose="test")
    assert gitrepo.is_shallow(shallow)
    assert not gitrepo.is_shallow(repo)
    walked = list(gitrepo.walk_files(shallow, "goals/", "okrs", lambda rel, data: data))
    assert [info.summary for info, _ in walked] == ["checkins only"]  # the only commit there
    with pytest.raises(UsageError):
        gitrepo.resolve_commit(shallow, "HEAD~1")


def test_tags_are_created_once(repo_dir: Path):
    repo = gitrepo.open_repo(repo_dir, purpose="test")
    assert not gitrepo.tag_exists(repo, "okr/2026-Q4")
    sha = gitrepo.create_tag(repo, "okr/2026-Q4", "closed")
    assert sha == git(repo_dir, "rev-parse", "HEAD").strip()
    assert git(repo_dir, "cat-file", "-t", "okr/2026-Q4").strip() == "tag"  # annotated
    assert gitrepo.tag_exists(repo, "okr/2026-Q4")
    with pytest.raises(GitError, match="already exists"):
        gitrepo.create_tag(repo, "okr/2026-Q4", "again")


def test_outside_git_is_a_git_error(tmp_path: Path):
    with pytest.raises(GitError, match="not inside a git repository"):
        gitrepo.open_repo(tmp_path, purpose="okr diff")
