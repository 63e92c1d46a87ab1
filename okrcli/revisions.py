"""Versions of a workspace's definitions: as committed in a git revision, or as they are
on disk now.  ``okr diff`` compares two of them (``okrcli.plandiff``)."""

from __future__ import annotations

from datetime import date, tzinfo
from pathlib import Path
from typing import Any

from okrcli.definitions import ParsedFile, Snapshot, add_file, calendar_of, parse_file, snapshot
from okrcli.diagnostics import Diagnostic

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
    from okrcli.layout import goal_files

    try:
        settings: bytes | None = (root / "okr.yaml").read_bytes()
    except OSError:
        settings = None
    snap = Snapshot(WORKING_TREE, day, *calendar_of(settings))
    for rel, full in goal_files(root):
        if not rel.startswith(("okrs/", "kpis/")):
            continue
        try:
            data = full.read_bytes()
        except OSError as e:
            parsed = ParsedFile(rel, diagnostics=[_unreadable(rel, e)])
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
