"""``okr close PERIOD``: grade a period (``okrcli.grading``), print, tag and write."""

from __future__ import annotations

from datetime import date

from okrcli import timeutil
from okrcli.commands.common import load_report, report_exit
from okrcli.errors import GitError, InputError, UsageError
from okrcli.grading import grade, grades_yaml
from okrcli.output import err, out
from okrcli.suggest import suggest

# what a tag must reproduce: the plans, KPIs, check-ins and grades of its commit
TAGGED_FOLDERS = ("okrs", "kpis", "checkins", "grades")


def close(
    root: str | None,
    period_text: str,
    fmt: str,
    *,
    tag: bool = False,
    write: bool = False,
    force: bool = False,
    as_of: date | None = None,
) -> int:
    from okrcli import gitrepo
    from okrcli.render import close as render

    ws = load_report(root, as_of)
    today = as_of or timeutil.today(ws.zone)
    period = ws.period(period_text)
    if period is None:
        raise UsageError(f"{period_text!r} is not a period; write a quarter like 2026-Q3 or a year")
    if not ws.objectives_in(period):
        have = ", ".join(str(p) for p in ws.periods()) or "none"
        hint = suggest(str(period), [str(p) for p in ws.periods()])
        raise InputError(f"there are no objectives for {period}{hint} (periods with plans: {have})")

    # refuse before doing anything: a period not over, a tag or grades file that exists,
    # uncommitted goal files under a tag
    ended = today > period.last_day
    keeping = " and ".join(x for x in ("--tag" if tag else "", "--write" if write else "") if x)
    if keeping and ws.errors:
        raise InputError(
            f"the goal files have errors (listed above): {keeping} would keep grades that leave "
            "out what they affect; fix them first"
        )
    if keeping and not ended and not force:
        raise InputError(
            f"{period} has not ended yet (its last day is {period.last_day}, as of {today}): "
            f"{keeping} would keep grades that may still change; run it after the period, "
            "or add --force to keep these grades anyway"
        )
    repo = None
    tag_name = f"okr/{period}"
    if tag:
        repo = gitrepo.open_repo(ws.root, purpose="okr close --tag")
        if not gitrepo.has_commits(repo):
            raise GitError(f"cannot tag {tag_name}: the repository has no commits yet")
        if gitrepo.tag_exists(repo, tag_name):
            raise GitError(f"the tag {tag_name} already exists; okr never moves a tag")
        dirty = gitrepo.uncommitted(repo, gitrepo.workspace_prefix(repo, ws.root), TAGGED_FOLDERS)
        if dirty:
            shown = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
            raise GitError(
                f"cannot tag {tag_name}: goal files have uncommitted changes ({shown}); "
                "commit them first, so that the tag names a commit that reproduces its grades"
            )
    grades_path = ws.root / "grades" / f"{period}.yaml"
    if write and grades_path.exists():
        raise InputError(
            f"grades/{period}.yaml already exists; okr never overwrites it "
            "(delete it first to grade the period again)"
        )

    closing = grade(ws, period, today)
    if not closing.ended:
        err(
            f"okr: warning: {period} has not ended yet (it ends {period.last_day}); "
            "these grades count the check-ins made so far and may still change"
        )
    if closing.ungraded:
        ids = ", ".join(k.id for k in closing.ungraded)
        err(
            f"okr: warning: graded {closing.graded} of {closing.total} KRs; "
            f"{len(closing.ungraded)} have no data and are ungraded: {ids}"
        )
    if keeping and not ended:
        err(f"okr: --force: keeping the grades of {period} before it has ended ({keeping})")
    if fmt == "json":
        out(render.render_json(closing))
    elif fmt == "markdown":
        out(render.render_markdown(closing))
    else:
        render.print_table(closing)

    if write:
        from okrcli.files import create_new

        if not create_new(grades_path, grades_yaml(closing, today)):
            raise InputError(f"grades/{period}.yaml already exists; okr never overwrites it")
        err(f"okr: wrote grades/{period}.yaml")
    if tag and repo is not None:
        dist = closing.distribution()["key_results"]
        grade_word = "ungraded" if closing.grade is None else f"{closing.grade:.2f}"
        message = (
            f"okr close {period}: grade {grade_word} ({closing.band or 'ungraded'}); key "
            f"results {dist['green']} green, {dist['yellow']} yellow, {dist['red']} red; "
            f"graded {closing.graded} of {closing.total}"
        )
        sha = gitrepo.create_tag(repo, tag_name, message)
        err(f"okr: tagged {sha[:10]} as {tag_name}")
    return report_exit(ws)
