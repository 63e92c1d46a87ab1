"""``okr checkin``: record new values of KRs and KPIs (``okrcli.recording``).

``okr checkin ID VALUE`` checks one record against the loaded workspace and appends it;
``okr checkin`` alone, on a terminal, walks through the KRs and KPIs still open in the
current period and appends every answer in one go after a confirmation.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from okrcli import timeutil
from okrcli.errors import EXIT_OK, InputError, UsageError
from okrcli.output import err, out
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
    scope,
    with_entries,
    write_entries,
)
from okrcli.suggest import suggest
from okrcli.workspace import Workspace

EXIT_INTERRUPTED = 130
_NEGATIVE = re.compile(r"-\.?\d")  # -3, -0.5, -.5: a value, not an option
# a value typed with spaces and no quotes: 580 ms, 1 200, 1 200 k$
_SPACED = re.compile(r"[+-]?[\d.,]+(?: \d{3})*(?:\.\d+)? ?(?:[^\d\s-]\S*)?", re.ASCII)
OPTIONS = ("--confidence", "--note", "--at", "--by", "--period", "--team", "--owner", "--commit")


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
    from okrcli.recording import batches
    from okrcli.render.checkin import change_lines, written_lines

    if show_changes:
        today = timeutil.today(ws.zone)
        found = changes(entries, ws, with_entries(ws, entries), today)
        for line in change_lines(found, ws.zone):
            out(line)
    counts = {rel: 0 for rel in written}
    for rel, lines in batches(entries).items():
        counts[rel] = len(lines)
    for line in written_lines(counts):
        err(line)
    future = future_days(entries, timeutil.today(ws.zone))
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
    health: str | None = None,
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
        if given is not None and given.startswith("-") and not _NEGATIVE.match(given):
            raise UsageError(f"no such option: {given}{suggest(given, OPTIONS)}")
    if extra and value is not None and _SPACED.fullmatch(" ".join([value, *extra])):
        value = " ".join([value, *extra])  # 580 ms, 1 200: one value typed with a space
    elif extra:
        raise UsageError(f"unexpected argument(s): {' '.join(extra)}; quote a value with spaces")
    if id_ is not None and (team is not None or owner is not None):
        raise UsageError(
            "--team and --owner choose what to ask about when no ID is given; "
            "leave them out when you name an ID"
        )
    if health is not None and health.strip().lower() not in ("green", "yellow", "red"):
        raise UsageError(f"--health is green, yellow or red, not {health!r}")
    if id_ is None and health is not None:
        raise UsageError(
            "--health sets one KPI's status: name it, like: okr checkin KPI --health red"
        )
    if id_ is not None and value is None and note is None and confidence is None and health is None:
        raise UsageError(
            f"give the value too, like: okr checkin {id_} 42 (or a --note or --confidence "
            "for a status update without a new value)"
        )
    if id_ is None and not stdin_is_terminal():
        raise UsageError(
            "give an ID and a VALUE, like: okr checkin p99-latency 580 "
            "(without them okr asks for values, which needs a terminal)"
        )
    # malformed options are usage errors, found before anything is loaded
    if period is not None and parse_period(period.strip()) is None:
        raise UsageError(
            f"--period takes a quarter like 2026-Q4 or a year like 2026, not {period!r}"
        )
    try:
        moment = parse_at(at, today=timeutil.today()) if at is not None else timeutil.now()
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
    entry = make_entry(
        ws,
        id_=id_,
        value=value,
        at=moment,
        confidence=confidence,
        note=note,
        by=who,
        period=period,
        health=health,
    )
    written = write_entries(ws.root, [entry])
    report_written(ws, [entry], written)
    if commit_it:
        commit_written(ws, written, "checkin", [entry])
    return EXIT_OK


# --- asking on a terminal ----------------------------------------------------------------


class _Stop(Exception):
    """The person asked to stop (``q`` or Ctrl-D): what was entered may still be saved."""


def _line_editing() -> None:
    """Line editing and history of answers for ``input()`` where readline exists (not on
    Windows' plain console), only on a terminal."""
    if stdin_is_terminal() and sys.stdin.isatty():
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401  (importing it is what turns it on)


def _ask(label: str) -> str:
    """One answer, stripped; ``_Stop`` at the end of input (Ctrl-D)."""
    try:
        answer = input(label)
    except EOFError:
        out("")
        raise _Stop from None
    return answer.strip()


def _ask_until(label: str, check: Callable[[str], Any], *, may_stop: bool = False) -> str:
    """Ask until the answer is empty (skip) or ``check`` accepts it; with ``may_stop``,
    ``q`` stops (``_Stop``)."""
    while True:
        answer = _ask(label)
        if not answer:
            return ""
        if may_stop and answer.lower() in ("q", "quit"):
            raise _Stop
        try:
            check(answer)
            return answer
        except InputError as e:
            out(f"    {e}")


def _fit(text: str, width: int, indent: str) -> str:
    """``text`` wrapped at spaces to ``width``, never inside a word or an id, and a `` · ``
    separator carried to the start of the next line rather than left at the end."""
    import textwrap

    glued = text.replace(" · ", " ·\ue000")  # a private character textwrap does not break at
    wrapped = textwrap.fill(
        glued,
        width=max(width, 40),
        initial_indent=indent,
        subsequent_indent=indent + "  ",
        break_long_words=False,
        break_on_hyphens=False,
    )
    return wrapped.replace("\ue000", " ")


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
    import shutil

    from okrcli.commands.common import check_owner, check_team
    from okrcli.evaluate import Evaluator
    from okrcli.journal import format_at
    from okrcli.recording import batches
    from okrcli.render.checkin import entry_text, state_lines
    from okrcli.render.text import num, plural

    team = check_team(ws, team)
    check_owner(ws, owner)
    at = timeutil.localize(at, ws.zone)
    day = timeutil.day_of(at, ws.zone)
    periods, targets = scope(ws, day, period, team, owner)
    who = " and ".join(x for x in (f"team {team}" if team else "", owner or "") if x)
    where = ", ".join(str(p) for p in periods) or f"none with plans on {day}"
    if not targets:
        out(f"nothing to check in for {who or 'anyone'} (periods {where}): no open KR or KPI")
        return EXIT_OK
    _line_editing()
    width = shutil.get_terminal_size((100, 24)).columns - 1
    ev = Evaluator(ws, day)
    out(
        _fit(
            f"Check-ins for {who or 'everyone'} (periods {where}), dated {format_at(at)}. "
            "Enter skips; q or Ctrl-D stops (you then choose whether to save what you "
            "entered); Ctrl-C stops without writing.",
            width,
            "",
        )
    )
    entries: list[Entry] = []
    stopped = False
    try:
        for n, t in enumerate(targets, 1):
            head, state = state_lines(t, ev)
            out("\n" + _fit(f"[{n}/{len(targets)}] {head}", width, ""))
            out(_fit(state, width, "    "))
            period_text = str(t.period) if t.period is not None else None

            def entry_for(
                text: str,
                t: CheckinTarget = t,
                period_text: str | None = period_text,
                confidence: str | None = None,
                note: str | None = None,
            ) -> Entry:
                return make_entry(
                    ws,
                    id_=t.id,
                    value=text,
                    at=at,
                    confidence=confidence,
                    note=note,
                    by=by,
                    period=period_text,
                    name=lambda f: f,
                )

            value = _ask_until("  new value (Enter skips, q stops): ", entry_for, may_stop=True)
            if not value:
                continue
            # Enter keeps the confidence of the latest check-in, shown as the default
            previous = ev.key_result(t.kr).confidence if t.kr is not None else None
            confidence = num(previous) if previous is not None else ""
            note = ""
            try:
                if t.kind == "kr":
                    keeps = f"Enter keeps {confidence}" if confidence else "Enter for none"
                    confidence = (
                        _ask_until(
                            f"  confidence, 0-1 or % ({keeps}): ",
                            lambda text: parse_confidence(text, lambda f: f),
                        )
                        or confidence
                    )
                note = _ask("  note (Enter for none): ")
            finally:  # a value typed is kept, also when Ctrl-D stops at these questions
                entries.append(entry_for(value, confidence=confidence or None, note=note or None))
    except _Stop:
        stopped = True
    except KeyboardInterrupt:
        out("")
        err("interrupted: nothing was written")
        return EXIT_INTERRUPTED
    try:
        if not entries:
            out("\nnothing entered; nothing written")
            return EXIT_OK
        files = sorted(batches(entries))
        lead = "stopped; " if stopped else ""
        out(f"\n{lead}{plural(len(entries), 'check-in')} to record:")
        for e in entries:
            out(f"  {entry_text(e)}")
        if _ask(f"Write them to {', '.join(files)}? [y/N]: ").lower() not in ("y", "yes"):
            out("nothing written")
            return EXIT_OK
    except _Stop:
        out("nothing written")
        return EXIT_OK
    except KeyboardInterrupt:
        out("")
        err("interrupted: nothing was written")
        return EXIT_INTERRUPTED
    written = write_entries(ws.root, entries)
    report_written(ws, entries, written)
    if commit_it:
        commit_written(ws, written, "checkin", entries)
    return EXIT_OK
