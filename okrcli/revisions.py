"""Versions of a workspace's definitions: as committed in a git revision, or as they are
on disk now.  ``okr diff`` compares two of them (``okrcli.plandiff``)."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from okrcli.definitions import ParsedFile, Snapshot, add_file, calendar_of, parse_file, snapshot
from okrcli.diagnostics import Diagnostic
from okrcli.plandiff import Change
from okrcli.workspace import Workspace

WORKING_TREE = "working tree"


def revision_snapshot(repo: Any, rev: str, prefix: str) -> tuple[Snapshot, str]:
    """The workspace as committed in ``rev``, and the commit's full sha."""
    from okrcli import gitrepo

    commit = gitrepo.resolve_commit(repo, rev)
    info = gitrepo.commit_info(commit)
    files = gitrepo.commit_files(repo, commit, prefix)
    label = rev if rev.lower().startswith(info.short[:7]) else f"{rev} ({info.short[:7]})"
    return snapshot(files, label, info.day), info.sha


def worktree_snapshot(root: Path, day: date) -> Snapshot:
    """The workspace as it is on disk now."""
    from okrcli.files import read_bytes
    from okrcli.layout import MARKER, goal_files

    settings, _ = read_bytes(root, MARKER)
    snap = Snapshot(WORKING_TREE, day, *calendar_of(settings))
    for rel, _full in goal_files(root):
        if not rel.startswith(("okrs/", "kpis/")):
            continue
        data, problem = read_bytes(root, rel)
        if data is None:
            parsed = ParsedFile(rel, diagnostics=[problem] if problem else [])
        else:
            parsed = parse_file(rel, data)
        add_file(snap, parsed)
    snap.diagnostics.sort(key=Diagnostic.sort_key)
    return snap


def organisation_zone(root: Path) -> tzinfo:
    """The time zone okr.yaml names (UTC when it names none or an unknown one)."""
    from okrcli.reader import read_settings
    from okrcli.workspace import Workspace

    ws = Workspace(root=root)
    read_settings(ws)
    return ws.zone


def journal_records(root: Path) -> list[tuple[str, str | None, date]]:
    """(id, named period, day) of every readable record of the workspace's journal on disk."""
    from okrcli.reader import read_workspace

    ws = read_workspace(root)
    return [(c.id, c.period, c.day) for c in ws.checkins]


def _unreadable(rel: str, e: OSError) -> Diagnostic:
    return Diagnostic("yaml-syntax", rel, 1, 1, f"cannot read: {e.strerror}")


def definition_changes(
    root: Path, start: datetime, end: datetime, *, worktree: bool
) -> tuple[list[tuple[Change, str, datetime | None, str | None]], str | None]:
    """Every change of plans and KPIs committed in (``start``, ``end``), oldest first, each
    with its commit's short sha, time and author; with ``worktree``, also what the working
    tree changes against HEAD.  A workspace outside git has none: (``[]``, why)."""
    from okrcli import gitrepo
    from okrcli.errors import GitError
    from okrcli.plandiff import compare

    try:
        repo = gitrepo.open_repo(root, purpose="finding the goal posts moved")
        prefix = gitrepo.workspace_prefix(repo, root)
    except GitError as e:
        return [], str(e)
    if not gitrepo.has_commits(repo):
        return [], "the repository has no commits yet"
    found: list[tuple[Change, str, datetime | None, str | None]] = []
    paths = [prefix + folder for folder in ("okrs", "kpis")]
    commits = [
        c for c in repo.iter_commits("HEAD", paths=paths, reverse=True)
        if start < c.committed_datetime < end
    ]  # fmt: skip
    cache: dict[str, Snapshot] = {}

    def snap(commit: Any) -> Snapshot:
        if commit.hexsha not in cache:
            info = gitrepo.commit_info(commit)
            files = gitrepo.commit_files(repo, commit, prefix)
            cache[commit.hexsha] = snapshot(files, info.short, info.day)
        return cache[commit.hexsha]

    for commit in commits:
        info = gitrepo.commit_info(commit)
        before = snap(commit.parents[0]) if commit.parents else Snapshot("", info.day, 1)
        for change in compare(before, snap(commit)).changes:
            found.append((change, info.short, info.when, info.author))
    if worktree:
        head = repo.head.commit
        now = worktree_snapshot(root, end.date())
        for change in compare(snap(head), now).changes:
            found.append((change, WORKING_TREE, None, None))
    return found, None


def revision_workspace(root: Path, rev: str, today: date) -> tuple[Workspace, Any]:
    """The whole workspace (plans, KPIs and journal) as committed in ``rev``, loaded and
    linked like the one on disk, and the commit's ``CommitInfo``.  ``UsageError`` for an
    unknown revision, ``GitError`` outside git."""
    import tempfile

    from okrcli import gitrepo
    from okrcli.loader import load_workspace

    repo = gitrepo.open_repo(root, purpose="--since REV")
    prefix = gitrepo.workspace_prefix(repo, root)
    commit = gitrepo.resolve_commit(repo, rev)
    files = gitrepo.commit_files(repo, commit, prefix, journal=True)
    with tempfile.TemporaryDirectory(prefix="okr-rev-") as tmp:
        for rel, data in files.items():
            path = Path(tmp) / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        if "okr.yaml" not in files:
            (Path(tmp) / "okr.yaml").write_text("version: 1\norg: ''\nteams: {}\n")
        ws = load_workspace(Path(tmp), today=today)
    return ws, gitrepo.commit_info(commit)
