"""``okr diff [REV_A] [REV_B]``: what changed in the plans and KPIs between two versions.

No revision: HEAD against the working tree; one: that revision against the working tree;
two: the first against the second.  Versions come from ``okrcli.revisions``, the
comparison from ``okrcli.plandiff``.
"""

from __future__ import annotations

from datetime import date

from okrcli import timeutil
from okrcli.errors import EXIT_ERRORS, EXIT_OK
from okrcli.output import err, out
from okrcli.revisions import revision_snapshot, worktree_snapshot


def diff(
    root: str | None,
    rev_a: str | None,
    rev_b: str | None,
    fmt: str,
    *,
    as_of: date | None = None,
) -> int:
    import okrcli.render.diff as render
    from okrcli import gitrepo
    from okrcli.layout import find_root
    from okrcli.plandiff import compare
    from okrcli.render.diagnostics import render_text
    from okrcli.render.text import shown

    today = as_of or timeutil.today()
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
            err(f"okr: {shown(snap.label)} has problems in its goal files:")
            err(render_text(snap.diagnostics))
    if fmt == "json":
        out(render.render_json(diff, sha_a, sha_b))
    elif fmt == "markdown":
        out(render.render_markdown(diff))
    else:
        render.print_table(diff)
    # the newer side is what is being proposed: its errors fail the command
    return EXIT_ERRORS if b.errors else EXIT_OK
