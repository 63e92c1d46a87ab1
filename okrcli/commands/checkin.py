"""``okr checkin``: record new values of KRs and KPIs in the journal.

``okr checkin ID VALUE`` validates one record against the loaded workspace and appends it;
``okr checkin`` alone, on a terminal, walks through the KRs and KPIs still open in the
current period and appends every answer in one go after a confirmation.  Either way a
record is checked completely before anything is written, so the journal only ever gains
records that ``okr validate`` accepts.  ``okrcli.commands.import_`` reuses the checks.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from okrcli.errors import EXIT_OK, InputError, UsageError
from okrcli.evaluate import Evaluator, KPIResult, KRResult
from okrcli.journal import (
    append_files,
    append_problem,
    format_at,
    format_record,
    group_records,
    journal_file,
)
from okrcli.output import err, out
from okrcli.periods import Period, parse_period
from okrcli.workspace import Checkin, KeyResultRef, KpiRef, Workspace

EXIT_INTERRUPTED = 130

#: How a field is named in messages: ``--at`` on the command line, ``'at'`` in a CSV file.
Names = Callable[[str], str]


def option_name(field: str) -> str:
    return f"--{field}"


def stdin_is_terminal() -> bool:
    """Whether okr may ask questions (a function, so tests can stand in for a terminal)."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


# --- reading values ----------------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_INTEGER = re.compile(r"^[+-]?\d+$")


def parse_number(text: str) -> int | float | None:
    """A plain decimal number (``580``, ``99.97``, ``-3``, ``1.5e3``), or None.

    Infinite and not-a-number values are refused, and so is an integer too large to be
    read back as a finite number.
    """
    text = text.strip()
    if not _NUMBER.match(text):
        return None
    try:
        number: int | float = int(text) if _INTEGER.match(text) else float(text)
        finite = math.isfinite(float(number))
    except (OverflowError, ValueError):
        return None
    return number if finite else None


def _percent(text: str) -> float | None:
    text = text.strip()
    if not text.endswith("%"):
        return None
    try:
        share = Decimal(text[:-1].strip()) / 100
    except InvalidOperation:
        return None
    return float(share) if share.is_finite() else None


def parse_confidence(text: str, name: Names = option_name) -> float:
    """``0.7`` or ``70%`` -> 0.7, in [0, 1]."""
    share = _percent(text)
    if share is None:
        number = parse_number(text)
        share = None if number is None else float(number)
    if share is None or not 0 <= share <= 1:
        raise InputError(
            f"{name('confidence')} is a number from 0 to 1 or a percentage "
            f"(like 0.7 or 70%), not {text!r}"
        )
    return share


def parse_at(text: str, name: Names = option_name) -> datetime:
    """An ISO 8601 date (00:00 UTC) or date-time (no offset: UTC)."""
    from pydantic_core import PydanticCustomError

    from okrcli.models import parse_timestamp

    try:
        return parse_timestamp(text)
    except (PydanticCustomError, ValueError, IndexError):
        raise InputError(
            f"{name('at')} takes an ISO date or date-time like 2026-11-21 or "
            f"2026-11-21T10:30:00+01:00, not {text!r}"
        ) from None


def check_text(text: str, field: str, name: Names = option_name) -> str:
    """``text`` as given, if it can be written as UTF-8 (undecodable arguments cannot)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"{name(field)} is not valid text (not UTF-8)") from None
    return text


def now_utc() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def utc_day(moment: datetime) -> date:
    return moment.astimezone(timezone.utc).date()


def default_by(root: Path) -> str | None:
    """git's user.name when the workspace is in a repository, else the login name."""
    from okrcli.gitrepo import user_name

    name = user_name(root)
    if name:
        return name
    import getpass

    try:
        login = getpass.getuser()
    except Exception:  # no login name to be found (some containers)
        return None
    return login or None


# --- what a check-in is for ---------------------------------------------------------------


@dataclass
class Target:
    """The KR (in one period) or the KPI a value is recorded for."""

    kind: Literal["kr", "kpi"]
    id: str
    kr: KeyResultRef | None = None
    kpi: KpiRef | None = None

    @property
    def period(self) -> Period | None:
        return self.kr.period if self.kr is not None else None

    @property
    def type(self) -> str | None:
        return (self.kr.type or "milestone") if self.kr is not None else None

    @property
    def unit(self) -> str | None:
        if self.kr is not None:
            return self.kr.kr.unit
        assert self.kpi is not None
        return self.kpi.kpi.unit

    @property
    def title(self) -> str:
        if self.kr is not None:
            return self.kr.kr.title
        assert self.kpi is not None
        return self.kpi.kpi.title


def _suggest(name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    if not close:
        return ""
    return "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"


def find_target(
    ws: Workspace, id_: str, day: date, period_text: str | None, name: Names = option_name
) -> Target:
    """The KR or KPI ``id_`` names for a value dated ``day``; ``InputError`` if none fits."""
    if id_ in ws.kpis:
        if period_text:
            raise InputError(
                f"'{id_}' is a KPI, and KPI values take no period; leave out {name('period')}"
            )
        return Target("kpi", id_, kpi=ws.kpis[id_])
    periods = sorted(set(ws.key_result_periods(id_)), key=lambda p: (p.first_day, p.total_days))
    if not periods:
        objective = [o for o in ws.objectives if o.id == id_]
        if objective:
            krs = ", ".join(k.id for o in objective for k in o.key_results) or "none yet"
            raise InputError(f"'{id_}' is an objective; check in one of its key results ({krs})")
        known = sorted({k.id for k in ws.key_results} | set(ws.kpis))
        raise InputError(f"no KR or KPI has the id '{id_}'{_suggest(id_, known)}")
    listed = ", ".join(str(p) for p in periods)
    if period_text:
        chosen = parse_period(period_text.strip(), ws.fiscal_start)
        if chosen is None:
            raise InputError(
                f"{name('period')} takes a quarter like 2026-Q4 or a year like 2026, "
                f"not {period_text!r}"
            )
        if chosen not in periods:
            raise InputError(f"KR '{id_}' is not planned in {chosen}; it is planned in {listed}")
    else:
        containing = [p for p in periods if p.contains(day)]
        if not containing:
            raise InputError(
                f"{day} is outside every period of KR '{id_}' ({listed}); give "
                f"{name('period')} to say which plan the value belongs to"
            )
        chosen = min(containing, key=lambda p: p.total_days)
    ref = ws.key_result(id_, chosen)
    assert ref is not None
    if ref.kr.kpi is not None:
        raise InputError(
            f"KR '{id_}' takes its values from KPI '{ref.kr.kpi}'; check in '{ref.kr.kpi}' instead"
        )
    return Target("kr", id_, kr=ref)


def parse_value(text: str, target: Target, name: Names = option_name) -> int | float | bool:
    """The value of a check-in for ``target``: a number; for a milestone also done/true/false,
    a fraction from 0 to 1 or a percentage."""
    word = text.strip().lower()
    if target.type == "milestone":
        if word in ("done", "true"):
            return True
        if word == "false":
            return False
        share = _percent(word)
        number = share if share is not None else parse_number(word)
        if number is None or not 0 <= number <= 1:
            raise InputError(
                f"'{target.id}' is a milestone: its value is done, true, false or a fraction "
                f"from 0 to 1 (like 0.6 or 60%), not {text!r}"
            )
        return number
    number = parse_number(word)
    if number is None:
        what = f"KPI '{target.id}'" if target.kind == "kpi" else f"KR '{target.id}'"
        raise InputError(f"{what} takes a finite number as its value, not {text!r}")
    return number


@dataclass
class Entry:
    """A checked record, ready to be written, with what it is for."""

    record: dict[str, Any]
    target: Target
    at: datetime


def make_entry(
    ws: Workspace,
    *,
    id_: str,
    value: str,
    at: datetime,
    confidence: str | None = None,
    note: str | None = None,
    by: str | None = None,
    period: str | None = None,
    name: Names = option_name,
) -> Entry:
    """Check everything about one check-in against ``ws``; ``InputError`` on the first
    problem.  The record is the one ``okr validate`` will accept once written."""
    id_ = id_.strip()
    target = find_target(ws, id_, utc_day(at), period, name)
    number = parse_value(value, target, name)
    share = None
    if confidence is not None and confidence.strip():
        share = parse_confidence(confidence, name)
    record: dict[str, Any] = {
        "at": format_at(at),
        "id": id_,
        "period": str(target.period) if target.period is not None else None,
        "value": number,
        "confidence": share,
        "by": check_text(by, "by", name) if by else None,
        "note": check_text(note, "note", name) if note else None,
    }
    _round_trip(record)
    return Entry(record, target, at)


def _round_trip(record: dict[str, Any]) -> None:
    """Read the record's line back the way the loader will, as a last line of defence."""
    from pydantic import TypeAdapter, ValidationError

    from okrcli.models import CheckinRecord
    from okrcli.yamlsource import parse

    doc = parse(format_record(record), "check-in")
    try:
        if doc.diagnostics or not isinstance(doc.data, list) or len(doc.data) != 1:
            raise ValueError(doc.diagnostics)
        TypeAdapter(CheckinRecord).validate_python(doc.data[0])
    except (ValueError, ValidationError):
        raise InputError(
            f"the check-in for '{record['id']}' cannot be written as a valid record"
        ) from None


# --- writing -------------------------------------------------------------------------------


def write_entries(root: Path, entries: Sequence[Entry]) -> list[str]:
    """Append every entry (one append per journal file, all or nothing); the files written.

    Each file is first checked to be one okr can append to, so a failure leaves the
    journal untouched.
    """
    batches = group_records(e.record for e in entries)
    for rel, lines in batches.items():
        problem = append_problem(root, rel, lines)
        if problem is not None:
            raise InputError(problem)
    try:
        return append_files(root, batches)
    except OSError as e:
        raise InputError(
            f"cannot write the journal ({', '.join(sorted(batches))}): "
            f"{e.strerror or e}; nothing was recorded"
        ) from None


def value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "done" if value else "not done"
    return number_text(value)


def commit_message(verb: str, entries: Sequence[Entry]) -> str:
    """'okr checkin: p99-latency 580, api-uptime 99.97' (a body lists them all if many)."""
    items = [f"{e.record['id']} {value_text(e.record['value'])}" for e in entries]
    if len(items) <= 3:
        return f"okr {verb}: " + ", ".join(items)
    ids = list(dict.fromkeys(e.record["id"] for e in entries))
    shown = ", ".join(ids[:3]) + (", ..." if len(ids) > 3 else "")
    body = "\n".join(
        f"- {item} at {e.record['at']}" for item, e in zip(items, entries, strict=True)
    )
    return f"okr {verb}: {len(items)} check-ins ({shown})\n\n{body}\n"


def commit(root: Path, paths: list[str], message: str) -> None:
    """Commit the journal files just written; a failure says the records are kept."""
    from okrcli.errors import GitError, OkrError
    from okrcli.gitrepo import commit_paths

    try:
        sha = commit_paths(root, paths, message)
    except OkrError as e:
        raise GitError(
            f"the check-ins are recorded in {', '.join(paths)} but were not committed: {e}"
        ) from None
    err(f"committed {sha[:10]}: {message.splitlines()[0]}")


# --- describing -----------------------------------------------------------------------------


def number_text(value: float | None) -> str:
    if value is None:
        return "none"
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.10g}"


def with_unit(value: float | None, unit: str | None) -> str:
    text = number_text(value)
    if value is None or not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def percent(share: float | None) -> str:
    if share is None:
        return "no data"
    text = f"{share * 100:.0f}"
    return ("0" if text == "-0" else text) + "%"  # -0.0 (0 / negative) reads as 0


def status_text(status: str | None) -> str:
    return (status or "no status").replace("_", " ")


def _change(before: str, after: str) -> str:
    return after if before == after else f"{before} → {after}"


def kr_change(b: KRResult, a: KRResult) -> str:
    unit = a.ref.kr.unit
    status = _change(status_text(b.status), status_text(a.status))
    if a.type == "milestone":
        return f"{a.id}: {percent(b.current)} → {percent(a.current)} done, {status}"
    values = f"{number_text(b.current)} → {with_unit(a.current, unit)}"
    if a.type in ("keep_above", "keep_below"):
        return f"{a.id}: {values}, {status}"
    return f"{a.id}: {values}, progress {percent(b.progress)} → {percent(a.progress)}, {status}"


def kpi_change(b: KPIResult, a: KPIResult) -> str:
    text = f"{a.id}: {number_text(b.value)} → {with_unit(a.value, a.ref.kpi.unit)}"
    if a.status is not None:
        text += ", " + _change(b.status or "no data", a.status).replace("_", " ")
    return text


def describe(entries: Sequence[Entry], before: Workspace, after: Workspace) -> list[str]:
    """One line per entry (and per KR linked to a KPI checked in) saying what changed,
    judged as of the day of the check-in."""
    lines = []
    for entry in entries:
        day = utc_day(entry.at)
        old, new = Evaluator(before, day), Evaluator(after, day)
        target = entry.target
        if target.kind == "kr":
            assert target.kr is not None
            ref = after.key_result(target.id, target.kr.period)
            if ref is not None:
                lines.append(kr_change(old.key_result(target.kr), new.key_result(ref)))
            continue
        assert target.kpi is not None
        kref = after.kpis.get(target.id)
        if kref is None:
            continue
        lines.append(kpi_change(old.kpi(target.kpi), new.kpi(kref)))
        for kr in after.key_results:
            if kr.kr.kpi == target.id and kr.period.contains(day):
                prior = before.key_result(kr.id, kr.period)
                if prior is not None:
                    change = kr_change(old.key_result(prior), new.key_result(kr))
                    lines.append(f"  {change} (KR of {kr.period})")
    return lines


def _after(ws: Workspace, entries: Sequence[Entry]) -> Workspace:
    """The workspace as it is now that ``entries`` are written: the same definitions and
    check-ins plus the new ones (resolved as they were checked), without reading the
    files again."""
    added = []
    for n, e in enumerate(entries):
        r, t = e.record, e.target
        added.append(
            Checkin(
                at=e.at,
                id=r["id"],
                period=r.get("period"),
                value=r["value"],
                confidence=r.get("confidence"),
                by=r.get("by"),
                note=r.get("note"),
                path=journal_file(e.at),
                line=0,
                seq=len(ws.checkins) + n,
                index=-1,
                day=utc_day(e.at),
                kind=t.kind,
                target_period=t.period,
            )
        )
    return dataclasses.replace(ws, checkins=[*ws.checkins, *added])


def report_written(
    ws: Workspace,
    entries: Sequence[Entry],
    written: list[str],
    today: date,
    *,
    changes: bool = True,
) -> None:
    """Say what was written (and, with ``changes``, what it changed) once it is written."""
    after = _after(ws, entries)
    if changes:
        for line in describe(entries, ws, after):
            out(line)
    counts = {rel: 0 for rel in written}
    for rel, lines in group_records(e.record for e in entries).items():
        counts[rel] = len(lines)
    for rel in written:
        n = counts[rel]
        err(f"recorded {n} check-in{'s' if n != 1 else ''} in {rel}")
    future = sorted({utc_day(e.at) for e in entries if utc_day(e.at) > today})
    if future:
        err(f"note: dated after today ({future[0]}); it counts from that day on")


# --- the command ---------------------------------------------------------------------------


def run(
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
    moment = parse_at(at) if at is not None else now_utc()
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
    report_written(ws, [entry], written, now_utc().date())
    if commit_it:
        commit(ws.root, written, commit_message("checkin", [entry]))
    return EXIT_OK


# --- asking on a terminal ----------------------------------------------------------------


def scope(
    ws: Workspace, day: date, period: str | None, team: str | None, owner: str | None
) -> tuple[list[Period], list[Target]]:
    """The periods walked and the KRs (not done) and KPIs to ask about, in file order."""
    if team is not None and team not in ws.settings.teams:
        raise InputError(f"there is no team '{team}'{_suggest(team, list(ws.settings.teams))}")
    if period is not None:
        chosen = parse_period(period.strip(), ws.fiscal_start)
        if chosen is None:
            raise InputError(
                f"--period takes a quarter like 2026-Q4 or a year like 2026, not {period!r}"
            )
        periods = [chosen]
    else:
        periods = [p for p in ws.periods() if p.contains(day)]
    teams = ws.teams_under(team) if team is not None else None
    ev = Evaluator(ws, day)
    targets: list[Target] = []
    kpi_ids: set[str] = set()
    for p in periods:
        for ref in ws.key_results_in(p):
            if teams is not None and ref.objective.team not in teams:
                continue
            if owner is not None and ref.owner != owner:
                continue
            if ref.kr.kpi is not None:
                kpi_ids.add(ref.kr.kpi)  # covered by its KPI
                continue
            if ev.key_result(ref).status == "done":
                continue
            targets.append(Target("kr", ref.id, kr=ref))
    for kid, kref in ws.kpis.items():
        owned = kref.kpi.owner
        mine = (teams is None or owned in teams) and (owner is None or owned == owner)
        if mine or kid in kpi_ids:
            targets.append(Target("kpi", kid, kpi=kref))
    return periods, targets


def _summary_line(t: Target, ev: Evaluator) -> tuple[str, str]:
    if t.kr is not None:
        r = ev.key_result(t.kr)
        head = f"{t.id} · {t.title} · {t.kr.period} · owner {t.kr.owner or '-'}"
        if r.type == "milestone":
            now = f"now {percent(r.current)} done"
        else:
            now = f"now {with_unit(r.current, t.unit)}"
        if r.updated is not None:
            now += f" ({utc_day(r.updated)})"
        parts = [now]
        if r.type != "milestone":
            parts.append(f"target {with_unit(r.target, t.unit)}")
        if r.type in ("increase", "decrease"):
            parts.append(f"progress {percent(r.progress)}")
        parts.append(status_text(r.status))
        if r.confidence is not None:
            parts.append(f"confidence {number_text(r.confidence)}")
        return head, ", ".join(parts)
    assert t.kpi is not None
    k = ev.kpi(t.kpi)
    kpi = t.kpi.kpi
    head = f"{t.id} · {t.title} · KPI of {kpi.owner or '-'}"
    now = f"now {with_unit(k.value, kpi.unit)}"
    if k.updated is not None:
        now += f" ({utc_day(k.updated)})"
    parts = [now]
    if kpi.target is not None:
        parts.append(f"target {with_unit(kpi.target, kpi.unit)}")
    if k.status is not None:
        parts.append(status_text(k.status))
    if k.stale:
        parts.append("stale")
    return head, ", ".join(parts)


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
            out(f"    {e}")


def entry_value(e: Entry) -> str:
    """The entry's value as people read it: '580 ms', '60% done', 'done'."""
    value = e.record["value"]
    if e.target.type == "milestone":
        return value_text(value) if isinstance(value, bool) else f"{percent(value)} done"
    return with_unit(value, e.target.unit)


def entry_text(e: Entry) -> str:
    r = e.record
    text = f"{r['id']} {entry_value(e)}"
    if r.get("confidence") is not None:
        text += f", confidence {number_text(r['confidence'])}"
    if r.get("note"):
        text += f", note {r['note']!r}"
    return text


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

    day = utc_day(at)
    periods, targets = scope(ws, day, period, team, owner)
    who = " and ".join(x for x in (f"team {team}" if team else "", owner or "") if x)
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
            head, state = _summary_line(t, ev)
            out(f"\n[{n}/{len(targets)}] {head}\n    {state}")
            period_text = str(t.period) if t.period is not None else None

            def entry_for(text: str, t: Target = t, period_text: str | None = period_text) -> Entry:
                return make_entry(
                    ws,
                    id_=t.id,
                    value=text,
                    at=at,
                    by=by,
                    period=period_text,
                    name=lambda f: f,
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
        out(f"\n{len(entries)} check-in{'s' if len(entries) != 1 else ''} to record:")
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
    report_written(ws, entries, written, now_utc().date())
    if commit_it:
        commit(ws.root, written, commit_message("checkin", entries))
    return EXIT_OK
