"""Recording check-ins: checking values against the workspace and appending them.

A check-in is checked completely before anything is written (``make_entry``), so the
journal only ever gains records that ``okr validate`` accepts; ``write_entries`` appends
them all or nothing (``okrcli.journal``); ``changes`` says what they changed.  Used by
``okr checkin`` and ``okr import`` and by library callers; nothing here prints.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from okrcli import machine, timeutil
from okrcli.errors import GitError, InputError, OkrError
from okrcli.evaluate import Evaluator, KPIResult, KRResult
from okrcli.journal import (
    append_files,
    append_problem,
    format_at,
    format_record,
    group_records,
    journal_file,
)
from okrcli.link import TargetResolver, Unresolved
from okrcli.periods import Period, parse_period
from okrcli.suggest import suggest
from okrcli.workspace import Checkin, KeyResultRef, KpiRef, Workspace, target_of

#: How a field is named in messages: ``--at`` on the command line, ``'at'`` in a CSV file.
Names = Callable[[str], str]


def option_name(field: str) -> str:
    return f"--{field}"


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


def parse_percent(text: str) -> float | None:
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
    share = parse_percent(text)
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
    try:
        return timeutil.parse_timestamp(text)
    except (ValueError, OverflowError):
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


def value_word(value: Any) -> str:
    """A recorded value in a commit message: ``580``, ``done``, ``not done``."""
    if isinstance(value, bool):
        return "done" if value else "not done"
    return machine.text(value)


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
class CheckinTarget:
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


def find_target(
    ws: Workspace, id_: str, day: date, period_text: str | None, name: Names = option_name
) -> CheckinTarget:
    """The KR or KPI ``id_`` names for a value dated ``day`` (by ``okrcli.link``'s one
    rule, ``TargetResolver``); ``InputError`` if none fits."""
    resolver = TargetResolver(ws, period_name=name("period"))
    try:
        kind, _, kref = resolver.resolve(id_, period_text.strip() if period_text else None, day)
    except Unresolved as u:
        raise InputError(u.message or f"no KR or KPI has the id '{id_}'") from None
    if kind == "kpi":
        return CheckinTarget("kpi", id_, kpi=ws.kpis[id_])
    assert kref is not None
    if kref.kr.kpi is not None:
        raise InputError(
            f"KR '{id_}' takes its values from KPI '{kref.kr.kpi}'; check in '{kref.kr.kpi}' "
            "instead"
        )
    return CheckinTarget("kr", id_, kr=kref)


def parse_value(text: str, target: CheckinTarget, name: Names = option_name) -> int | float | bool:
    """The value of a check-in for ``target``: a number; for a milestone also done/true/false,
    a fraction from 0 to 1 or a percentage."""
    word = text.strip().lower()
    if target.type == "milestone":
        if word in ("done", "true"):
            return True
        if word == "false":
            return False
        share = parse_percent(word)
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
    target: CheckinTarget
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
    target = find_target(ws, id_, timeutil.day_of(at), period, name)
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


def commit_message(verb: str, entries: Sequence[Entry]) -> str:
    """'okr checkin: p99-latency 580, api-uptime 99.97' (a body lists them all if many)."""
    items = [f"{e.record['id']} {value_word(e.record['value'])}" for e in entries]
    if len(items) <= 3:
        return f"okr {verb}: " + ", ".join(items)
    ids = list(dict.fromkeys(e.record["id"] for e in entries))
    shown = ", ".join(ids[:3]) + (", ..." if len(ids) > 3 else "")
    body = "\n".join(
        f"- {item} at {e.record['at']}" for item, e in zip(items, entries, strict=True)
    )
    return f"okr {verb}: {len(items)} check-ins ({shown})\n\n{body}\n"


def commit_journal(root: Path, paths: list[str], message: str) -> str:
    """Commit the journal files just written (nothing else); the commit's sha.  A failure
    says the records are kept."""
    from okrcli.gitrepo import commit_paths

    try:
        return str(commit_paths(root, paths, message))
    except OkrError as e:
        raise GitError(
            f"the check-ins are recorded in {', '.join(paths)} but were not committed: {e}"
        ) from None


# --- what changed --------------------------------------------------------------------------


def with_entries(ws: Workspace, entries: Sequence[Entry]) -> Workspace:
    """The workspace as it is now that ``entries`` are written: the same definitions and
    check-ins plus the new ones (resolved as they were checked), without reading the
    files again."""
    added = []
    for e in entries:
        r, t = e.record, e.target
        added.append(
            Checkin.of(
                e.at,
                r["id"],
                r.get("period"),
                r["value"],
                r.get("confidence"),
                r.get("by"),
                r.get("note"),
                path=journal_file(e.at),
                index=-1,
                target=target_of(t.kind, t.period),
            )
        )
    return dataclasses.replace(ws, checkins=[*ws.checkins, *added])


@dataclass
class Change:
    """What one check-in changed, judged as of its day: a KR's or KPI's result before and
    after it; ``linked_period`` is set for a KR that takes its values from the KPI."""

    before: KRResult | KPIResult
    after: KRResult | KPIResult
    linked_period: Period | None = None


def changes(entries: Sequence[Entry], before: Workspace, after: Workspace) -> list[Change]:
    """One change per entry, and one per KR linked to a KPI checked in."""
    found: list[Change] = []
    for entry in entries:
        day = timeutil.day_of(entry.at)
        old, new = Evaluator(before, day), Evaluator(after, day)
        target = entry.target
        if target.kind == "kr":
            assert target.kr is not None
            ref = after.key_result(target.id, target.kr.period)
            if ref is not None:
                found.append(Change(old.key_result(target.kr), new.key_result(ref)))
            continue
        assert target.kpi is not None
        kref = after.kpis.get(target.id)
        if kref is None:
            continue
        found.append(Change(old.kpi(target.kpi), new.kpi(kref)))
        for kr in after.key_results:
            if kr.kr.kpi == target.id and kr.period.contains(day):
                prior = before.key_result(kr.id, kr.period)
                if prior is not None:
                    found.append(Change(old.key_result(prior), new.key_result(kr), kr.period))
    return found


def future_days(entries: Sequence[Entry], today: date) -> list[date]:
    """The days after ``today`` that entries are dated on, if any."""
    return sorted({timeutil.day_of(e.at) for e in entries if timeutil.day_of(e.at) > today})


# --- what to ask about ------------------------------------------------------------------------


def scope(
    ws: Workspace, day: date, period: str | None, team: str | None, owner: str | None
) -> tuple[list[Period], list[CheckinTarget]]:
    """The periods walked and the KRs (not done) and KPIs to ask about, in file order."""
    if team is not None and team not in ws.settings.teams:
        raise InputError(f"there is no team '{team}'{suggest(team, list(ws.settings.teams))}")
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
    targets: list[CheckinTarget] = []
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
            targets.append(CheckinTarget("kr", ref.id, kr=ref))
    for kid, kref in ws.kpis.items():
        owned = kref.kpi.owner
        mine = (teams is None or owned in teams) and (owner is None or owned == owner)
        if mine or kid in kpi_ids:
            targets.append(CheckinTarget("kpi", kid, kpi=kref))
    return periods, targets


def record(
    ws: Workspace,
    id_: str,
    value: str | float | bool,
    *,
    at: datetime | None = None,
    confidence: str | float | None = None,
    note: str | None = None,
    by: str | None = None,
    period: str | None = None,
) -> Entry:
    """Check and append one check-in to the journal of ``ws`` (the library's
    ``okr checkin``); the entry written.  ``InputError`` if it does not fit, and then
    nothing is written."""
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    entry = make_entry(
        ws,
        id_=id_,
        value=text,
        at=at or timeutil.now(),
        confidence=None if confidence is None else str(confidence),
        note=note,
        by=by,
        period=period,
    )
    write_entries(ws.root, [entry])
    return entry
