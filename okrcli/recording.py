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
from datetime import date, datetime, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from okrcli import machine, timeutil
from okrcli.errors import GitError, InputError, OkrError, UsageError
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
from okrcli.periods import FORM as PERIOD_FORM
from okrcli.periods import Period
from okrcli.suggest import suggest
from okrcli.workspace import Checkin, KeyResultRef, KpiRef, Workspace, target_of

#: How a field is named in messages: ``--at`` on the command line, ``'at'`` in a CSV file.
Names = Callable[[str], str]


def option_name(field: str) -> str:
    return f"--{field}"


# --- reading values ----------------------------------------------------------------------

# ASCII digits only (Python's int() and float() also read other scripts' digits)
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?", re.ASCII)
_INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)
_MAX_DIGITS = 400  # beyond any finite float; int() of much longer text is refused anyway


def parse_number(text: str) -> int | float | None:
    """A plain decimal number (``580``, ``99.97``, ``-3``, ``1.5e3``), or None.

    Infinite and not-a-number values are refused, and so is an integer too large to be
    read back as a finite number.
    """
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        return None
    try:
        integer = _INTEGER.fullmatch(text) is not None and len(text) <= _MAX_DIGITS
        number: int | float = int(text) if integer else float(text)
        finite = math.isfinite(float(number))
    except (OverflowError, ValueError):
        return None
    return number if finite else None


def parse_percent(text: str) -> float | None:
    text = text.strip()
    if not text.endswith("%") or not _NUMBER.fullmatch(text[:-1].strip()):
        return None
    try:
        share = Decimal(text[:-1].strip()) / 100
        return float(share) if share.is_finite() else None
    except (ArithmeticError, ValueError):  # decimal's Overflow, InvalidOperation
        return None


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


def parse_at(text: str, name: Names = option_name, *, today: date | None = None) -> datetime:
    """An ISO 8601 date or date-time; a date alone is 00:00 and a time without an offset
    is naive until ``make_entry`` reads it in the organisation's time zone.  Given ``today``
    (on the command line), also a day as people write it: ``today``, ``yesterday``,
    ``monday``, ``-3d`` (that day at 00:00, like a date alone)."""
    try:
        return timeutil.parse_timestamp(text)
    except timeutil.OutOfRange as e:
        raise InputError(f"{name('at')}: {e}") from None
    except (ValueError, OverflowError):
        pass
    if today is not None:
        try:
            day = timeutil.parse_day_text(text, today)
            return datetime(day.year, day.month, day.day)  # naive: the organisation's day
        except ValueError:
            pass
    also = " (or today, yesterday, monday, -3d)" if today is not None else ""
    raise InputError(
        f"{name('at')} takes an ISO date or date-time like 2026-11-21 or "
        f"2026-11-21T10:30:00+01:00{also}, not {text!r}"
    )


def check_text(text: str, field: str, name: Names = option_name) -> str:
    """``text`` as given, if it can be written as UTF-8 (undecodable arguments cannot)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"{name(field)} is not valid text (not UTF-8)") from None
    return text


def value_word(value: Any) -> str:
    """A recorded value in a commit message: ``580``, ``done``, ``not done``, ``update``."""
    if value is None:
        return "status update"
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
        if u.field == "period":  # the period option names no plan of this id: a usage error
            raise UsageError(u.message) from None
        raise InputError(u.message or f"no KR or KPI has the id '{id_}'") from None
    if kind == "kpi":
        return CheckinTarget("kpi", id_, kpi=ws.kpis[id_])
    assert kref is not None
    id_ = kref.id  # an old id (was:) is recorded under the KR's id now
    if kref.kr.kpi is not None:
        raise InputError(
            f"KR '{id_}' takes its values from KPI '{kref.kr.kpi}'; check in '{kref.kr.kpi}' "
            "instead"
        )
    return CheckinTarget("kr", id_, kr=kref)


# How people write a number: ``580``, ``580ms``, ``580 ms``, ``1,200``, ``1 200``, ``$1,200``.
_QUANTITY = re.compile(
    r"(?P<number>[+-]?(?:\d[\d, \u00a0\u202f]*\d|\d)?(?:\.\d*)?(?:[eE][+-]?\d+)?)"
    r"\s*(?P<unit>[^\d_.,].*)?",  # a unit starts with neither a digit nor '_', '.' or ','
    re.ASCII | re.DOTALL,
)
# digit groups: 1,200 / 1 200 / 12,345,678.5 (one kind of separator, groups of three)
_GROUPED = re.compile(r"\d{1,3}(?P<sep>[, \u00a0\u202f])\d{3}(?:(?P=sep)\d{3})*", re.ASCII)
_SPACES = " \u00a0\u202f"

# Spellings of one unit, and units of one kind that convert into each other (for a hint).
_ALIASES = {
    "ms": ("ms", "msec", "millisecond", "milliseconds"),
    "s": ("s", "sec", "secs", "second", "seconds"),
    "min": ("min", "mins", "minute", "minutes"),
    "h": ("h", "hr", "hrs", "hour", "hours"),
    "d": ("d", "day", "days"),
    "%": ("%", "percent", "pct"),
}
_SCALE = {"ms": 0.001, "s": 1.0, "min": 60.0, "h": 3600.0, "d": 86400.0}


def _canonical_unit(unit: str) -> str:
    word = unit.strip().casefold()
    for name, spellings in _ALIASES.items():
        if word in spellings:
            return name
    return word


def _read_number(digits: str) -> int | float | None:
    """``digits`` as a number, with its thousands separators (if any) taken out; None when
    they do not group the digits in threes (``1,5`` is not 15 nor 1.5: it is refused)."""
    whole, dot, rest = digits.partition(".")
    sign = whole[:1] if whole[:1] in "+-" else ""
    body = whole[len(sign) :]
    if any(c in body for c in "," + _SPACES):
        if not _GROUPED.fullmatch(body):
            return None
        body = "".join(c for c in body if c.isdigit())
    return parse_number(sign + body + dot + rest)


def _what(target: CheckinTarget) -> str:
    return f"KPI '{target.id}'" if target.kind == "kpi" else f"KR '{target.id}'"


def parse_quantity(text: str, target: CheckinTarget) -> int | float:
    """A number as people type it for ``target``, with or without its unit.

    ``580``, ``580ms`` and ``580 ms`` for a KR measured in ms; ``70%`` for one measured in %
    (meaning 70); ``1,200`` and ``1 200`` (digits grouped in threes); the unit may also lead
    (``$1,200``).  A unit that is not the target's is refused with what to type instead.
    """
    unit = (target.unit or "").strip()
    given = text.strip()
    if unit and given.casefold().startswith(unit.casefold()) and not unit[0].isalnum():
        given = given[len(unit) :].strip()  # a leading unit, like $ or €
    m = _QUANTITY.fullmatch(given)
    number = _read_number(m.group("number").rstrip(_SPACES)) if m and m.group("number") else None
    if m is None or number is None:
        if m is not None and "," in m.group("number"):
            raise InputError(
                f"{_what(target)} takes a number, and {text.strip()!r} is not one okr can "
                "read for sure: write a decimal point (1.5), and commas only between groups "
                "of three digits (1,200)"
            )
        raise InputError(f"{_what(target)} takes a finite number as its value, not {text!r}")
    written = (m.group("unit") or "").strip()
    if not written or _canonical_unit(written) == _canonical_unit(unit):
        return number
    plain = machine.text(number)
    if not unit:
        raise InputError(f"write {plain}: {target.id} has no unit (not {written})")
    mine, theirs = _canonical_unit(unit), _canonical_unit(written)
    if mine in _SCALE and theirs in _SCALE:
        converted = float(number) * _SCALE[theirs] / _SCALE[mine]
        plain = machine.text(round(converted, 9))
    raise InputError(f"write {plain}: {target.id} is measured in {unit}, not in {written}")


def parse_value(text: str, target: CheckinTarget, name: Names = option_name) -> int | float | bool:
    """The value of a check-in for ``target``: a number as people type it
    (``parse_quantity``); for a milestone also done/true/false, a fraction from 0 to 1 or
    a percentage."""
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
    return parse_quantity(text, target)


def parse_health(text: str, target: CheckinTarget, name: Names = option_name) -> str:
    """``green``, ``yellow`` or ``red``: a person's judgement of a KPI."""
    word = text.strip().lower()
    if word not in ("green", "yellow", "red"):
        raise InputError(f"{name('health')} is green, yellow or red, not {text!r}")
    if target.kind != "kpi":
        raise InputError(
            f"{name('health')} is a person's judgement of a KPI; '{target.id}' is a key "
            f"result: give a {name('confidence')} instead"
        )
    return word


@dataclass
class Entry:
    """A checked record, ready to be written, with what it is for; ``zone`` is the
    organisation's time zone (whose month names the journal file)."""

    record: dict[str, Any]
    target: CheckinTarget
    at: datetime
    zone: tzinfo = timeutil.UTC

    @property
    def file(self) -> str:
        return journal_file(self.at, self.zone)


def batches(entries: Sequence[Entry]) -> dict[str, list[str]]:
    """The formatted lines of ``entries`` by journal file, in order."""
    zone = entries[0].zone if entries else timeutil.UTC
    return group_records((e.record for e in entries), zone)


def make_entry(
    ws: Workspace,
    *,
    id_: str,
    value: str | None,
    at: datetime,
    confidence: str | None = None,
    note: str | None = None,
    by: str | None = None,
    period: str | None = None,
    health: str | None = None,
    name: Names = option_name,
) -> Entry:
    """Check everything about one check-in against ``ws``; ``InputError`` on the first
    problem.  The record is the one ``okr validate`` will accept once written.

    Without a ``value`` (None or blank) it is a status update: it keeps the current value
    and must bring a ``note`` or a ``confidence`` instead."""
    id_ = id_.strip()
    at = timeutil.localize(at, ws.zone)
    target = find_target(ws, id_, timeutil.day_of(at, ws.zone), period, name)
    share = None
    if confidence is not None and confidence.strip():
        share = parse_confidence(confidence, name)
    judged = parse_health(health, target, name) if health is not None else None
    number: int | float | bool | None = None
    if value is not None and value.strip():
        number = parse_value(value, target, name)
    elif share is None and not note and judged is None:
        raise InputError(
            f"give a value for '{id_}', or a {name('note')} or a {name('confidence')} for a "
            "status update without a new value"
        )
    record: dict[str, Any] = {
        "at": format_at(at),
        "id": target.id,
        "period": str(target.period) if target.period is not None else None,
        "value": number,
        "confidence": share,
        "health": judged,
        "by": check_text(by, "by", name) if by else None,
        "note": check_text(note, "note", name) if note else None,
    }
    _round_trip(record)
    return Entry(record, target, at, ws.zone)


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
    lines_by_file = batches(entries)
    for rel, lines in lines_by_file.items():
        problem = append_problem(root, rel, lines)
        if problem is not None:
            raise InputError(problem)
    try:
        return append_files(root, lines_by_file)
    except OSError as e:
        raise InputError(
            f"cannot write the journal ({', '.join(sorted(lines_by_file))}): "
            f"{e.strerror or e}; nothing was recorded"
        ) from None


def commit_message(verb: str, entries: Sequence[Entry]) -> str:
    """'okr checkin: p99-latency 580, api-uptime 99.97' (a body lists them all if many)."""
    items = [f"{e.record['id']} {value_word(e.record.get('value'))}" for e in entries]
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
            Checkin(
                at=e.at,
                id=r["id"],
                period=r.get("period"),
                value=r.get("value"),
                confidence=r.get("confidence"),
                by=r.get("by"),
                note=r.get("note"),
                path=e.file,
                line=0,
                index=-1,
                day=timeutil.day_of(e.at, e.zone),
                health=r.get("health"),
                target=target_of(
                    t.kind, t.period, t.kr.id if t.kr is not None and t.kr.id != r["id"] else None
                ),
            )
        )
    return dataclasses.replace(ws, checkins=[*ws.checkins, *added])


@dataclass
class Change:
    """What one check-in changed, judged as of its day: a KR's or KPI's result before and
    after it; ``linked_period`` is set for a KR that takes its values from the KPI.

    ``update`` marks a status update (no new value).  ``latest`` is set when the check-in
    was backdated behind a newer value: the result as of today, whose current value the
    check-in did not change."""

    before: KRResult | KPIResult
    after: KRResult | KPIResult
    linked_period: Period | None = None
    update: bool = False
    latest: KRResult | KPIResult | None = None


def changes(
    entries: Sequence[Entry], before: Workspace, after: Workspace, today: date | None = None
) -> list[Change]:
    """One change per entry, and one per KR linked to a KPI checked in."""
    found: list[Change] = []
    for entry in entries:
        day = timeutil.day_of(entry.at, entry.zone)
        old, new = Evaluator(before, day), Evaluator(after, day)
        now = Evaluator(after, max(day, today)) if today is not None else None
        update = entry.record.get("value") is None
        target = entry.target
        if target.kind == "kr":
            assert target.kr is not None
            ref = after.key_result(target.id, target.kr.period)
            if ref is not None:
                change = Change(old.key_result(target.kr), new.key_result(ref), update=update)
                if now is not None and not update:
                    latest = now.key_result(ref)
                    if latest.updated is not None and latest.updated > entry.at:
                        change.latest = latest
                found.append(change)
            continue
        assert target.kpi is not None
        kref = after.kpis.get(target.id)
        if kref is None:
            continue
        change = Change(old.kpi(target.kpi), new.kpi(kref), update=update)
        if now is not None and not update:
            latest_kpi = now.kpi(kref)
            if latest_kpi.updated is not None and latest_kpi.updated > entry.at:
                change.latest = latest_kpi
        found.append(change)
        for kr in after.key_results:
            if kr.kr.kpi == target.id and kr.period.contains(day):
                prior = before.key_result(kr.id, kr.period)
                if prior is not None:
                    found.append(Change(old.key_result(prior), new.key_result(kr), kr.period))
    return found


def future_days(entries: Sequence[Entry], today: date) -> list[date]:
    """The days after ``today`` that entries are dated on, if any."""
    days = {timeutil.day_of(e.at, e.zone) for e in entries}
    return sorted(d for d in days if d > today)


# --- what to ask about ------------------------------------------------------------------------


def scope(
    ws: Workspace, day: date, period: str | None, team: str | None, owner: str | None
) -> tuple[list[Period], list[CheckinTarget]]:
    """The periods walked and the KRs (not done) and KPIs to ask about, in file order."""
    if team is not None and team not in ws.settings.teams:
        raise InputError(f"there is no team '{team}'{suggest(team, list(ws.settings.teams))}")
    if period is not None:
        chosen = ws.period(period.strip())
        if chosen is None:
            raise InputError(f"--period takes {PERIOD_FORM}, not {period!r}")
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
            if owner is not None and owner not in ref.owners:  # any of its owners
                continue
            if ref.dropped:
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
