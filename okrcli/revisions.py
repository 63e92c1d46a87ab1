"""Versions of a workspace's definitions: as committed in a git revision, or as they are
on disk now.  ``okr diff`` compares two of them (``okrcli.plandiff``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from okrcli.definitions import ParsedFile, Snapshot, add_file, fiscal_start_of, parse_file, snapshot
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
    from okrcli.layout import MARKER, goal_files
    from okrcli.yamlsource import read_bytes

    settings, _ = read_bytes(root, MARKER)
    snap = Snapshot(WORKING_TREE, day, fiscal_start_of(settings))
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
