"""``okr close PERIOD``: grade a period (``okrcli.grading``), print, tag and write."""

from __future__ import annotations

from datetime import date

from okrcli import timeutil
from okrcli.commands.common import load
from okrcli.errors import EXIT_OK, GitError, InputError, UsageError
from okrcli.grading import grade, grades_yaml
from okrcli.output import err, out
from okrcli.periods import parse_period


def close(
    root: str | None,
    period_text: str,
    fmt: str,
    *,
    tag: bool = False,
    write: bool = False,
    as_of: date | None = None,
) -> int:
    from okrcli import gitrepo
    from okrcli.render import close as render

    day = as_of
    ws = load(root, day)
    today = day or timeutil.today()
    period = parse_period(period_text, ws.fiscal_start)
    if period is None:
        raise UsageError(f"{period_text!r} is not a period; write a quarter like 2026-Q3 or a year")
    if not ws.objectives_in(period):
        have = ", ".join(str(p) for p in ws.periods()) or "none"
        raise InputError(f"there are no objectives for {period} (periods with plans: {have})")

    # refuse before doing anything when the tag or the grades file exists
    repo = None
    tag_name = f"okr/{period}"
    if tag:
        repo = gitrepo.open_repo(ws.root, purpose="okr close --tag")
        if not gitrepo.has_commits(repo):
            raise GitError(f"cannot tag {tag_name}: the repository has no commits yet")
        if gitrepo.tag_exists(repo, tag_name):
            raise GitError(f"the tag {tag_name} already exists; okr never moves a tag")
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
    if fmt == "json":
        out(render.render_json(closing))
    elif fmt == "markdown":
        out(render.render_markdown(closing))
    else:
        render.print_table(closing)

    if write:
        from okrcli.files import create_new

        if not create_new(grades_path, grades_yaml(closing, today), root=ws.root):
            raise InputError(f"grades/{period}.yaml already exists; okr never overwrites it")
        err(f"okr: wrote grades/{period}.yaml")
    if tag and repo is not None:
        dist = closing.distribution()["key_results"]
        message = (
            f"okr close {period}: grade {closing.grade:.2f} ({closing.band}); key results "
            f"{dist['green']} green, {dist['yellow']} yellow, {dist['red']} red"
        )
        sha = gitrepo.create_tag(repo, tag_name, message)
        err(f"okr: tagged {sha[:10]} as {tag_name}")
    return EXIT_OK
