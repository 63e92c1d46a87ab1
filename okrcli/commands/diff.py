"""``okr diff [REV_A] [REV_B]``: what changed in the plans and KPIs between two versions.

No revision: HEAD against the working tree; one: that revision against the working tree;
two: the first against the second.  Versions come from ``okrcli.revisions``, the
comparison from ``okrcli.plandiff``.
"""

from __future__ import annotations

from datetime import date

from okrcli import timeutil
from okrcli.errors import EXIT_ERRORS, EXIT_OK
from okrcli.output import err, out, page
from okrcli.revisions import (
    journal_records,
    organisation_zone,
    revision_snapshot,
    worktree_snapshot,
)


def diff(
    root: str | None,
    rev_a: str | None,
    rev_b: str | None,
    fmt: str,
    *,
    as_of: date | None = None,
    exit_code: bool = False,
    fail_on_goalposts: bool = False,
) -> int:
    """Print the changes; exit 1 when the newer side has errors, and, for CI gates, when
    anything changed (``exit_code``) or goal posts moved (``fail_on_goalposts``)."""
    import okrcli.render.diff as render
    from okrcli import gitrepo
    from okrcli.layout import find_root
    from okrcli.plandiff import compare
    from okrcli.render.diagnostics import render_text

    ws_root = find_root(explicit=root)
    today = as_of or timeutil.today(organisation_zone(ws_root))
    repo = gitrepo.open_repo(ws_root, purpose="okr diff")
    prefix = gitrepo.workspace_prefix(repo, ws_root)
    a, sha_a = revision_snapshot(repo, rev_a or "HEAD", prefix)
    if rev_b is None:
        b, sha_b = worktree_snapshot(ws_root, today), None
    else:
        b, sha_b = revision_snapshot(repo, rev_b, prefix)
    diff = compare(a, b, journal_records(ws_root))
    for snap in (a, b):
        if snap.diagnostics:
            err(f"okr: {snap.label} has problems in its goal files:")
            err(render_text(snap.diagnostics))
    if fmt == "json":
        out(render.render_json(diff, sha_a, sha_b))
    elif fmt == "markdown":
        out(render.render_markdown(diff))
    else:
        page()
        render.print_table(diff)
    # the newer side is what is being proposed: its errors fail the command
    if b.errors:
        return EXIT_ERRORS
    if fail_on_goalposts and diff.goalposts:
        err(f"okr: goal posts moved after their period began: {len(diff.goalposts)} change(s)")
        return EXIT_ERRORS
    if exit_code and diff.changed:
        return EXIT_ERRORS
    return EXIT_OK
