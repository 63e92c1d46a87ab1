"""``okr checkin``: record new values of KRs and KPIs (``okrcli.recording``).

``okr checkin ID VALUE`` checks one record against the loaded workspace and appends it;
``okr checkin`` alone, on a terminal, walks through the KRs and KPIs still open in the
current period and appends every answer in one go after a confirmation.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from okrcli import timeutil
from okrcli.errors import EXIT_OK, InputError, UsageError
from okrcli.output import err, out
from okrcli.periods import FORM as PERIOD_FORM
from okrcli.periods import parse_period
from okrcli.recording import (
    CheckinTarget,
    Entry,
    changes,
    commit_journal,
    commit_message,
    default_by,
    future_days,
    make_entry,
    parse_at,
    parse_confidence,
    parse_number,
    scope,
    with_entries,
    write_entries,
)
from okrcli.render.text import shown
from okrcli.workspace import Workspace

EXIT_INTERRUPTED = 130


def stdin_is_terminal() -> bool:
    """Whether okr may ask questions (a function, so tests can stand in for a terminal)."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def report_written(
    ws: Workspace, entries: Sequence[Entry], written: list[str], *, show_changes: bool = True
) -> None:
    """Say what was written (and, with ``show_changes``, what it changed)."""
    from okrcli.journal import group_records
    from okrcli.render.checkin import change_lines, written_lines

    if show_changes:
        for line in change_lines(changes(entries, ws, with_entries(ws, entries))):
            out(line)
    counts = {rel: 0 for rel in written}
    for rel, lines in group_records(e.record for e in entries).items():
        counts[rel] = len(lines)
    for line in written_lines(counts):
        err(line)
    future = future_days(entries, timeutil.today())
    if future:
        err(f"note: dated after today ({future[0]}); it counts from that day on")


def commit_written(ws: Workspace, written: list[str], verb: str, entries: Sequence[Entry]) -> None:
    message = commit_message(verb, entries)
    sha = commit_journal(ws.root, written, message)
    err(f"committed {sha[:10]}: {message.splitlines()[0]}")


def checkin(
    root: str | None,
    id_: str | None,
    value: str | None,
    *,
    confidence: str | None = None,
    note: str | None = None,
    at: str | None = None,
    by: str | None = None,
    period: str | None = None,
    team: str | None = None,
    owner: str | None = None,
    commit_it: bool = False,
    extra: Sequence[str] = (),
) -> int:
    from okrcli.commands.common import load

    # negative values pass as arguments, so unknown options arrive here too
    for given in (id_, value, *extra):
        if given is not None and given.startswith("-") and parse_number(given) is None:
            raise UsageError(f"no such option: {given}")
    if extra:
        raise UsageError(f"unexpected argument(s): {' '.join(extra)}; quote a value with spaces")
    if id_ is not None and (team is not None or owner is not None):
        raise UsageError(
            "--team and --owner choose what to ask about when no ID is given; "
            "leave them out when you name an ID"
        )
    if id_ is not None and value is None:
        raise UsageError(f"give the value too, like: okr checkin {id_} 42")
    if id_ is None and not stdin_is_terminal():
        raise UsageError(
            "give an ID and a VALUE, like: okr checkin p99-latency 580 "
            "(without them okr asks for values, which needs a terminal)"
        )
    # malformed options are usage errors, found before anything is loaded
    if period is not None and parse_period(period.strip()) is None:
        raise UsageError(f"--period takes {PERIOD_FORM}, not {period!r}")
    try:
        moment = parse_at(at) if at is not None else timeutil.now()
        if confidence is not None and confidence.strip():
            parse_confidence(confidence)
    except InputError as e:
        raise UsageError(str(e)) from None
    # one id: every definition is checked, but only that id's check-ins are read
    ws = load(root, only=id_)
    if commit_it:
        from okrcli.gitrepo import prepare_commit

        prepare_commit(ws.root)
    who = by if by is not None else default_by(ws.root)
    if id_ is None:
        return interactive(
            ws, at=moment, by=who, period=period, team=team, owner=owner, commit_it=commit_it
        )
    assert value is not None
    entry = make_entry(
        ws,
        id_=id_,
        value=value,
        at=moment,
        confidence=confidence,
        note=note,
        by=who,
        period=period,
    )
    written = write_entries(ws.root, [entry])
    report_written(ws, [entry], written)
    if commit_it:
        commit_written(ws, written, "checkin", [entry])
    return EXIT_OK


# --- asking on a terminal ----------------------------------------------------------------


def _ask(label: str) -> str:
    import typer

    answer = typer.prompt(label, default="", show_default=False, prompt_suffix=": ")
    return str(answer).strip()


def _ask_until(label: str, check: Callable[[str], Any]) -> tuple[str, Any]:
    """Ask until the answer is empty (skip) or ``check`` accepts it."""
    while True:
        answer = _ask(label)
        if not answer:
            return "", None
        try:
            return answer, check(answer)
        except InputError as e:
            out(f"    {shown(str(e))}")


def interactive(
    ws: Workspace,
    *,
    at: datetime,
    by: str | None,
    period: str | None,
    team: str | None,
    owner: str | None,
    commit_it: bool,
) -> int:
    import typer

    from okrcli.evaluate import Evaluator
    from okrcli.journal import format_at, group_records
    from okrcli.render.checkin import entry_text, state_lines
    from okrcli.render.text import plural

    day = timeutil.day_of(at)
    periods, targets = scope(ws, day, period, team, owner)
    who = shown(" and ".join(x for x in (f"team {team}" if team else "", owner or "") if x))
    where = ", ".join(str(p) for p in periods) or f"none with plans on {day}"
    if not targets:
        out(f"nothing to check in for {who or 'anyone'} (periods {where}): no open KR or KPI")
        return EXIT_OK
    ev = Evaluator(ws, day)
    out(
        f"Check-ins for {who or 'everyone'} (periods {where}), dated {format_at(at)}. "
        "Enter skips; Ctrl-C stops without writing."
    )
    entries: list[Entry] = []
    try:
        for n, t in enumerate(targets, 1):
            head, state = state_lines(t, ev)
            out(f"\n[{n}/{len(targets)}] {head}\n    {state}")
            period_text = str(t.period) if t.period is not None else None

            def entry_for(
                text: str, t: CheckinTarget = t, period_text: str | None = period_text
            ) -> Entry:
                return make_entry(
                    ws, id_=t.id, value=text, at=at, by=by, period=period_text, name=lambda f: f
                )

            value, _ = _ask_until("  new value (Enter skips)", entry_for)
            if not value:
                continue
            confidence = None
            if t.kind == "kr":
                confidence, _ = _ask_until(
                    "  confidence, 0-1 or % (Enter for none)",
                    lambda text: parse_confidence(text, lambda f: f),
                )
            note = _ask("  note (Enter for none)")
            entries.append(
                make_entry(
                    ws,
                    id_=t.id,
                    value=value,
                    at=at,
                    confidence=confidence or None,
                    note=note or None,
                    by=by,
                    period=period_text,
                    name=lambda f: f,
                )
            )
        if not entries:
            out("\nnothing entered; nothing written")
            return EXIT_OK
        files = sorted(group_records(e.record for e in entries))
        out(f"\n{plural(len(entries), 'check-in')} to record:")
        for e in entries:
            out(f"  {entry_text(e)}")
        if not typer.confirm(f"Write them to {', '.join(files)}?", default=False):
            out("nothing written")
            return EXIT_OK
    except (typer.Abort, KeyboardInterrupt):
        out("")
        err("interrupted: nothing was written")
        return EXIT_INTERRUPTED
    written = write_entries(ws.root, entries)
    report_written(ws, entries, written)
    if commit_it:
        commit_written(ws, written, "checkin", entries)
    return EXIT_OK
