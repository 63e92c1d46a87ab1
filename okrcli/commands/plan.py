"""``okr plan PERIOD``: start a period's plan files from the unfinished work of another
(``okrcli.planning``); existing files are never overwritten; ``--dry-run`` prints them."""

from __future__ import annotations

from datetime import date

from okrcli import timeutil
from okrcli.commands.common import load
from okrcli.errors import EXIT_OK, UsageError
from okrcli.output import err, out
from okrcli.periods import parse_period
from okrcli.planning import draft_plan, write_plan


def plan(
    root: str | None,
    period_text: str,
    *,
    from_text: str | None = None,
    dry_run: bool = False,
    as_of: date | None = None,
) -> int:
    from okrcli.render.plan import report_lines

    today = as_of
    target = parse_period(period_text)
    if target is None:
        raise UsageError(f"{period_text!r} is not a period; write a quarter like 2027-Q1 or a year")
    if from_text is not None and parse_period(from_text) is None:
        raise UsageError(f"--from takes a period like 2026-Q4, not {from_text!r}")
    ws = load(root, today)
    today = today or timeutil.today(ws.zone)
    target = ws.period(period_text)
    assert target is not None
    source = ws.period(from_text) if from_text is not None else target.previous()
    assert source is not None
    if source == target:
        raise UsageError(f"cannot plan {target} from itself; name another period with --from")
    if source.is_year != target.is_year:
        raise UsageError("plan a quarter from a quarter, or a year from a year")
    draft = draft_plan(ws, source, target)
    if today < source.last_day:
        err(
            f"okr: warning: {source} has not ended yet (it ends {source.last_day}); "
            "what is done is judged by the check-ins made so far"
        )
    if dry_run:
        out("\n".join(f"# ==> {p.path} <==\n{p.text}" for p in draft.plans))
        written = [True] * len(draft.plans)
    else:
        written = write_plan(ws.root, draft)
    err("\n".join(report_lines(draft, written, dry_run=dry_run)))
    return EXIT_OK
