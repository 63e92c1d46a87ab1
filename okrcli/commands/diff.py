"""``okr diff [REV_A] [REV_B]``: what changed in the plans and KPIs between two versions.

No revision: HEAD against the working tree; one: that revision against the working tree;
two: the first against the second.  The comparison itself is ``okrcli.plandiff``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from okrcli.commands.common import parse_date
from okrcli.diagnostics import Diagnostic
from okrcli.errors import EXIT_ERRORS, EXIT_OK
from okrcli.output import err, out
from okrcli.plandiff import ParsedFile, Snapshot, add_file, fiscal_start_of, parse_file

WORKING_TREE = "working tree"


def revision_snapshot(repo: Any, rev: str, prefix: str) -> tuple[Snapshot, str]:
    """The workspace as committed in ``rev``, and the commit's full sha."""
    from okrcli import gitrepo
    from okrcli.plandiff import snapshot

    commit = gitrepo.resolve_commit(repo, rev)
    info = gitrepo.commit_info(commit)
    files = gitrepo.commit_files(repo, commit, prefix)
    label = rev if rev.lower().startswith(info.short[:7]) else f"{rev} ({info.short[:7]})"
    return snapshot(files, label, info.day), info.sha


def worktree_snapshot(root: Path, day: date) -> Snapshot:
    """The workspace as it is on disk now."""
    from okrcli.loader import goal_files

    try:
        settings: bytes | None = (root / "okr.yaml").read_bytes()
    except OSError:
        settings = None
    snap = Snapshot(WORKING_TREE, day, fiscal_start_of(settings))
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


def _unreadable(rel: str, e: OSError) -> Diagnostic:
    return Diagnostic("yaml-syntax", rel, 1, 1, f"cannot read: {e.strerror}")


def run(
    root: str | None,
    rev_a: str | None,
    rev_b: str | None,
    fmt: str,
    *,
    as_of: str | None = None,
) -> int:
    import okrcli.render.diff as render
    from okrcli import gitrepo
    from okrcli.loader import find_root, today_utc
    from okrcli.plandiff import compare
    from okrcli.render.diagnostics import render_text

    today = parse_date(as_of) or today_utc()
    ws_root = find_root(explicit=root)
    repo = gitrepo.open_repo(ws_root, purpose="okr diff")
    prefix = gitrepo.workspace_prefix(repo, ws_root)
    a, sha_a = revision_snapshot(repo, rev_a or "HEAD", prefix)
    if rev_b is None:
        b, sha_b = worktree_snapshot(ws_root, today), None
    else:
        b, sha_b = revision_snapshot(repo, rev_b, prefix)
    diff = compare(a, b)
    for snap in (a, b):
        if snap.diagnostics:
            err(f"okr: {snap.label} has problems in its goal files:")
            err(render_text(snap.diagnostics))
    if fmt == "json":
        out(render.render_json(diff, sha_a, sha_b))
    elif fmt == "markdown":
        out(render.render_markdown(diff))
    else:
        render.print_table(diff)
    # the newer side is what is being proposed: its errors fail the command
    return EXIT_ERRORS if b.errors else EXIT_OK
