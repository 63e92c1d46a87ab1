"""``okr history ID``: every value of a KR or KPI over time, its forecast, and (in git)
every commit that changed its definition."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import Any

from okrcli.commands.common import load, parse_date
from okrcli.errors import EXIT_OK, GitError, InputError, UsageError
from okrcli.evaluate import Evaluator, KPIResult, KRResult, Point, utc_day
from okrcli.output import err, out
from okrcli.periods import Period, parse_period
from okrcli.plandiff import AuditEntry
from okrcli.workspace import KeyResultRef, KpiRef, Workspace


@dataclass
class Audit:
    """The definition changes found in git, or why there are none to show."""

    available: bool
    entries: list[AuditEntry] = field(default_factory=list)
    note: str | None = None
    shallow: bool = False


@dataclass
class History:
    id: str
    kind: str  # key_result | kpi
    as_of: date
    period: Period | None
    points: list[Point]
    kr: KRResult | None = None
    kpi: KPIResult | None = None
    audit: Audit = field(default_factory=lambda: Audit(False))

    @property
    def title(self) -> str:
        if self.kr is not None:
            return self.kr.ref.kr.title
        assert self.kpi is not None
        return self.kpi.ref.kpi.title

    @property
    def unit(self) -> str | None:
        if self.kr is not None:
            return self.kr.ref.kr.unit
        assert self.kpi is not None
        return self.kpi.ref.kpi.unit


def _choose_period(ws: Workspace, id_: str, periods: list[Period], as_of: date) -> Period:
    """The period meant when a KR id recurs: the narrowest containing the date, else the
    latest begun by then, else the first."""
    containing = [p for p in periods if p.contains(as_of)]
    if containing:
        return min(containing, key=lambda p: p.total_days)
    begun = [p for p in periods if p.first_day <= as_of]
    if begun:
        return max(begun, key=lambda p: (p.first_day, p.quarter is not None))
    return min(periods, key=lambda p: p.first_day)


def resolve(ws: Workspace, id_: str, period_text: str | None, as_of: date) -> History:
    period = None
    if period_text is not None:
        period = parse_period(period_text, ws.fiscal_start)
        if period is None:
            raise UsageError(f"--period takes a period like 2026-Q4 or 2026, not {period_text!r}")
    ev = Evaluator(ws, as_of)
    kr_periods = ws.key_result_periods(id_)
    kpi = ws.kpis.get(id_)
    if period is not None and period in kr_periods:
        return _kr_history(ev, ws.key_result(id_, period), as_of)
    if period is None and kr_periods:
        chosen = _choose_period(ws, id_, kr_periods, as_of)
        if len(kr_periods) > 1:
            others = ", ".join(str(p) for p in sorted(kr_periods) if p != chosen)
            err(
                f"okr: {id_} is a key result of {chosen} and also of {others}; "
                f"showing {chosen} (choose with --period)"
            )
        return _kr_history(ev, ws.key_result(id_, chosen), as_of)
    if kpi is not None:
        return _kpi_history(ev, kpi, period, as_of)
    if period is not None and kr_periods:
        have = ", ".join(str(p) for p in sorted(kr_periods))
        raise InputError(f"{id_} is no key result of {period}; it is one of {have}")
    known = sorted({k.id for k in ws.key_results} | set(ws.kpis))
    close = difflib.get_close_matches(id_, known, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise InputError(f"no key result or KPI has the id '{id_}'{hint}")


def _kr_history(ev: Evaluator, ref: KeyResultRef | None, as_of: date) -> History:
    assert ref is not None
    result = ev.key_result(ref)
    return History(ref.id, "key_result", as_of, ref.period, result.points, kr=result)


def _kpi_history(ev: Evaluator, ref: KpiRef, period: Period | None, as_of: date) -> History:
    result = ev.kpi(ref, period)
    points = result.points
    if period is not None:
        points = [p for p in points if period.contains(utc_day(p.at))]
    return History(ref.id, "kpi", as_of, period, points, kpi=result)


def _worktree_files(root: Path, folder: str) -> dict[str, Any]:
    from okrcli.loader import goal_files
    from okrcli.plandiff import parse_file

    files = {}
    for rel, full in goal_files(root):
        if rel.startswith(folder + "/"):
            try:
                files[rel] = parse_file(rel, full.read_bytes())
            except OSError:
                continue
    return files


def audit(ws: Workspace, history: History) -> Audit:
    """The commits that changed the definition, when the workspace is in git."""
    from okrcli import gitrepo, plandiff

    try:
        repo = gitrepo.open_repo(ws.root, purpose="the definition history")
        prefix = gitrepo.workspace_prefix(repo, ws.root)
    except GitError as e:
        return Audit(False, note=str(e))
    if history.kind == "kpi":
        folder, period = "kpis", None
    else:
        assert history.period is not None
        folder, period = f"okrs/{history.period}", history.period
    versions: list[tuple[str, datetime | None, str | None, dict[str, Any]]] = [
        (info.short, info.when, info.author, files)
        for info, files in gitrepo.walk_files(repo, prefix, folder, plandiff.parse_file)
    ]
    note = None
    if not gitrepo.has_commits(repo):
        note = "the repository has no commits yet"
    shallow = gitrepo.is_shallow(repo)
    if shallow:
        note = "this is a shallow clone: changes before its oldest commit are not shown"
    now = datetime.combine(history.as_of, time(0), tzinfo=timezone.utc)
    versions.append(("working tree", now, None, _worktree_files(ws.root, folder)))
    kind = "kpi" if history.kind == "kpi" else "key_result"
    entries = plandiff.audit(versions, kind, history.id, period)
    return Audit(True, entries, note, shallow)


def run(
    root: str | None,
    id_: str,
    *,
    period: str | None = None,
    fmt: str = "table",
    as_of: str | None = None,
) -> int:
    from okrcli.loader import today_utc
    from okrcli.render import history as render

    day = parse_date(as_of)
    ws = load(root, day)
    history = resolve(ws, id_, period, day or today_utc())
    if fmt != "csv":
        history.audit = audit(ws, history)
    if fmt == "json":
        out(render.render_json(history))
    elif fmt == "csv":
        out(render.render_csv(history))
    else:
        render.print_table(history)
    return EXIT_OK
