"""The weekly review: what changed in a window of time, and who owes a check-in.

Pure computation over one loaded workspace and two evaluations of it, one as of the start
of the window (``since``) and one as of its end (``as_of``): the check-ins made in the
window, the KRs and objectives whose progress or status moved, the KPIs that changed
status, went stale or kept moving the wrong way, the goal posts moved in git, and the
owners with no value in the window.  Returns data; ``okr review`` prints it.

The window runs from the end of the ``since`` day (or, for a git revision, from its
commit time) to the end of the as-of day: ``--since 2026-11-15 --as-of 2026-11-22`` is the
seven days 16 … 22 November.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from okrcli import scoring
from okrcli.evaluate import Evaluator, KPIResult, KRResult, ObjectiveResult
from okrcli.machine import number, ratio, timestamp
from okrcli.periods import Period
from okrcli.plandiff import Change
from okrcli.timeutil import day_of, end_of_day
from okrcli.views import team_name, team_order
from okrcli.workspace import Checkin, KeyResultRef, KpiRef, ObjectiveRef, Workspace

#: KR fields whose change moves the goal posts
GOALPOST_FIELDS = ("start", "target", "due", "min", "max")


@dataclass
class Before:
    """The state at the start of the window: a workspace (the current one, or the one
    committed at a revision) judged as of ``day``."""

    ws: Workspace
    day: date
    moment: datetime  # the window starts after this moment
    label: str  # '2026-11-15', or 'HEAD~3 (1a2b3c4)'


@dataclass
class CheckinItem:
    id: str
    kind: str  # kr | kpi
    team: str
    title: str
    unit: str | None
    milestone: bool
    at: datetime
    by: str | None
    before: float | None  # the value before this check-in (None: the first one)
    after: float | None  # None for a status update without a new value
    confidence: float | None
    note: str | None
    health: str | None = None  # a KPI's status set by hand

    @property
    def update(self) -> bool:
        """A status update: a note, confidence or health without a new value."""
        return self.after is None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "team": self.team,
            "title": self.title,
            "at": timestamp(self.at),
            "by": self.by,
            "from": number(self.before),
            "to": number(self.after),
            "unit": self.unit,
            "confidence": self.confidence,
            "note": self.note,
            "health": self.health,
        }


@dataclass
class StatusChange:
    id: str
    kind: str  # objective | kr
    team: str
    title: str
    before: str | None  # None: it did not exist at the start of the window
    after: str
    progress_before: float | None
    progress_after: float | None

    @property
    def movement(self) -> float:
        """How far progress moved (0 when either end has no data)."""
        if self.progress_before is None or self.progress_after is None:
            return 0.0
        return self.progress_after - self.progress_before

    @property
    def status_changed(self) -> bool:
        return self.before != self.after

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "team": self.team,
            "title": self.title,
            "from": self.before,
            "to": self.after,
            "progress_from": ratio(self.progress_before),
            "progress_to": ratio(self.progress_after),
        }


@dataclass
class KPIChange:
    id: str
    team: str
    title: str
    unit: str | None
    before: str | None
    after: str | None
    value_before: float | None
    value_after: float | None
    stale: bool
    went_stale: bool
    declining: bool
    addressed: bool
    manual: bool = False  # the status was set by hand (a health on the latest record)

    @property
    def needs_attention(self) -> bool:
        """Red, stale or moving the wrong way now."""
        return self.after == scoring.RED or self.stale or self.declining

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "team": self.team,
            "title": self.title,
            "from": self.before,
            "to": self.after,
            "value_from": number(self.value_before),
            "value_to": number(self.value_after),
            "stale": self.stale,
            "declining": self.declining,
            "addressed": self.addressed,
        }


@dataclass
class Goalpost:
    id: str
    kind: str  # key_result | objective | kpi
    team: str | None
    action: str  # changed | added | removed | moved
    field: str | None
    before: Any
    after: Any
    commit: str  # short sha, or 'working tree'
    when: datetime | None
    who: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "team": self.team,
            "action": self.action,
            "field": self.field,
            "from": number(self.before) if isinstance(self.before, float) else self.before,
            "to": number(self.after) if isinstance(self.after, float) else self.after,
            "commit": self.commit,
            "when": timestamp(self.when),
            "who": self.who,
        }


@dataclass
class Owed:
    owner: str
    ids: list[str]
    reasons: dict[str, str]  # id -> why ('no value since 2026-11-13', 'weekly, last 2026-11-02')

    def to_json(self) -> dict[str, Any]:
        return {"owner": self.owner, "ids": self.ids, "reasons": self.reasons}


@dataclass
class TeamReview:
    id: str
    name: str
    checkins: list[CheckinItem] = field(default_factory=list)
    status_changes: list[StatusChange] = field(default_factory=list)
    kpi_changes: list[KPIChange] = field(default_factory=list)
    goalposts: list[Goalpost] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.checkins or self.status_changes or self.kpi_changes or self.goalposts)


@dataclass
class Review:
    org: str
    since: str
    start: datetime
    as_of: date
    team: str | None
    owner: str | None
    teams: list[TeamReview]
    owes: list[Owed]
    notes: list[str] = field(default_factory=list)

    @property
    def checkins(self) -> list[CheckinItem]:
        return [c for t in self.teams for c in t.checkins]

    @property
    def status_changes(self) -> list[StatusChange]:
        return [s for t in self.teams for s in t.status_changes]

    @property
    def kpi_changes(self) -> list[KPIChange]:
        return [k for t in self.teams for k in t.kpi_changes]

    @property
    def goalposts(self) -> list[Goalpost]:
        return [g for t in self.teams for g in t.goalposts]

    def summary(self) -> dict[str, int]:
        return {
            "checkins": len(self.checkins),
            "status_changes": sum(1 for s in self.status_changes if s.status_changed),
            "kpis_need_attention": sum(1 for k in self.kpi_changes if k.needs_attention),
            "goalposts": len(self.goalposts),
            "owners_owing": len(self.owes),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "org": self.org,
            "since": self.since,
            "start": timestamp(self.start),
            "as_of": self.as_of.isoformat(),
            "team": self.team,
            "owner": self.owner,
            "summary": self.summary(),
            "checkins": [c.to_json() for c in self.checkins],
            "status_changes": [s.to_json() for s in self.status_changes],
            "kpi_changes": [k.to_json() for k in self.kpi_changes],
            "goalposts": [g.to_json() for g in self.goalposts],
            "owes_checkin": [o.to_json() for o in self.owes],
            "notes": self.notes,
        }


# --- scope -----------------------------------------------------------------------------


def kpi_owner(ws: Workspace, ref: KpiRef) -> str | None:
    """Who answers for a KPI: the lead of its owning team, else the team itself."""
    team = ref.kpi.owner
    if team is None:
        return None
    found = ws.settings.teams.get(team)
    return found.lead if found is not None and found.lead else team


def active_periods(ws: Workspace, day: date) -> list[Period]:
    """The planned periods running on ``day`` (a quarter and its year)."""
    return [p for p in ws.periods() if p.contains(day)]


# --- the review --------------------------------------------------------------------------


def build_review(
    ws: Workspace,
    before: Before,
    as_of: date,
    *,
    team: str | None = None,
    owner: str | None = None,
    goalposts: Iterable[tuple[Change, str, datetime | None, str | None]] = (),
) -> Review:
    """The review of the window after ``before.moment`` up to the end of ``as_of``.

    ``goalposts``: the definition changes made in the window, each with the commit (short
    sha or 'working tree'), its time and author (from ``okrcli.revisions``).
    """
    now, then = Evaluator(ws, as_of), Evaluator(before.ws, before.day)
    teams = ws.teams_under(team) if team is not None else None
    end = end_of_day(as_of)

    def in_scope(team_id: str | None, who: list[str]) -> bool:
        """In the team filter, and owned by the owner asked about (any of the owners)."""
        if teams is not None and team_id not in teams:
            return False
        return owner is None or owner in who

    groups: dict[str, TeamReview] = {}

    def group(team_id: str) -> TeamReview:
        if team_id not in groups:
            groups[team_id] = TeamReview(team_id, team_name(ws, team_id))
        return groups[team_id]

    periods = active_periods(ws, as_of)
    krs = [k for k in ws.key_results if k.period in periods]
    objectives = [o for o in ws.objectives if o.period in periods]

    # check-ins of the window, newest first
    for item in _checkins(ws, krs, before.moment, end):
        if in_scope(item.team, _owners_of(ws, item)):
            group(item.team).checkins.append(item)
    for g in groups.values():
        g.checkins.sort(key=lambda c: c.at, reverse=True)

    # progress and status of KRs and objectives, biggest movers first
    old_krs = {(k.period, k.id): k for k in before.ws.key_results}
    old_objectives = {(o.period, o.id): o for o in before.ws.objectives}
    for k in krs:
        if not in_scope(k.objective.team, k.owners):
            continue
        old_kr = old_krs.get((k.period, k.id))
        change = _moved("kr", k, now.key_result(k), then.key_result(old_kr) if old_kr else None)
        if change is not None:
            group(k.objective.team).status_changes.append(change)
    for o in objectives:
        if not in_scope(o.team, o.owners):
            continue
        old_o = old_objectives.get((o.period, o.id))
        moved = _moved("objective", o, now.objective(o), then.objective(old_o) if old_o else None)
        if moved is not None:
            group(o.team).status_changes.append(moved)
    for g in groups.values():
        g.status_changes.sort(key=lambda s: (not s.status_changed, -abs(s.movement), s.id))

    # KPIs
    quarter = next((p for p in periods if not p.is_year), periods[0] if periods else None)
    for ref in ws.kpis.values():
        team_id = ref.kpi.owner or ""
        lead = kpi_owner(ws, ref)
        if not in_scope(ref.kpi.owner, [lead] if lead else []):
            continue
        kpi_change = _kpi_change(
            ref, now.kpi(ref, quarter), before.ws.kpis.get(ref.id), then, quarter
        )
        if kpi_change is not None:
            group(team_id).kpi_changes.append(kpi_change)

    # goal posts moved in git
    kr_teams = {k.id: k.objective.team for k in ws.key_results}
    kr_owners = {k.id: k.owners for k in ws.key_results}
    for c, sha, when, who in goalposts:
        post = _goalpost(c, sha, when, who)
        if post is None:
            continue
        if post.kind == "kpi":
            kref = ws.kpis.get(post.id)
            team_id = (kref.kpi.owner if kref is not None else None) or ""
            lead = kpi_owner(ws, kref) if kref is not None else None
            who_owns = [lead] if lead else []
        else:
            team_id = post.team or kr_teams.get(post.id) or ""
            who_owns = kr_owners.get(post.id, [])
        if not in_scope(team_id, who_owns):
            continue
        group(team_id).goalposts.append(post)

    owes = _owes(ws, krs, now, before.moment, end, in_scope)
    order = {t: i for i, t in enumerate(team_order(ws))}
    ordered = sorted(groups.values(), key=lambda g: (order.get(g.id, len(order)), g.id))
    return Review(
        org=ws.settings.org,
        since=before.label,
        start=before.moment,
        as_of=as_of,
        team=team,
        owner=owner,
        teams=[g for g in ordered if not g.empty],
        owes=owes,
    )


def _owners_of(ws: Workspace, item: CheckinItem) -> list[str]:
    """Who answers for what a check-in is for: the KR's owners, the KPI team's lead."""
    if item.kind == "kpi":
        ref = ws.kpis.get(item.id)
        who = kpi_owner(ws, ref) if ref is not None else None
        return [who] if who else []
    for k in ws.key_results:
        if k.id == item.id:
            return k.owners
    return []


def _checkins(
    ws: Workspace, krs: list[KeyResultRef], start: datetime, end: datetime
) -> Iterable[CheckinItem]:
    """Each check-in made in (start, end), with the value it replaced."""
    by_kr = {(k.period, k.id): k for k in ws.key_results}
    for (kind, period, id_), entries in ws.checkins_by_target().items():
        if kind == "kpi":
            kref = ws.kpis.get(id_)
            if kref is None:
                continue
            team, title, unit, milestone = (
                kref.kpi.owner or "",
                kref.kpi.title,
                kref.kpi.unit,
                False,
            )
        else:
            ref = by_kr.get((period, id_))  # type: ignore[arg-type]
            if ref is None or ref.kr.kpi is not None:
                continue
            team, title, unit = ref.objective.team, ref.kr.title, ref.kr.unit
            milestone = (ref.type or "milestone") == "milestone"
        previous: float | None = None
        for c in entries:
            if c.at >= end:
                break
            value = None if c.value is None else c.number
            if c.at > start:
                yield CheckinItem(
                    id_, kind, team, title, unit, milestone, c.at, c.by, previous,
                    value, c.confidence, c.note, getattr(c, "health", None),
                )  # fmt: skip
            if value is not None:
                previous = value


def _moved(
    kind: str,
    ref: KeyResultRef | ObjectiveRef,
    now: KRResult | ObjectiveResult,
    before: KRResult | ObjectiveResult | None,
) -> StatusChange | None:
    """How a KR or objective moved in the window; None when it barely did."""
    if isinstance(ref, KeyResultRef):
        team, title = ref.objective.team, ref.kr.title
    else:
        team, title = ref.team, ref.objective.title
    change = StatusChange(
        ref.id,
        kind,
        team,
        title,
        before.status if before is not None else None,
        now.status,
        before.progress if before is not None else None,
        now.progress,
    )
    return change if change.status_changed or abs(change.movement) >= 0.005 else None


def _kpi_change(
    ref: KpiRef, now: KPIResult, old: KpiRef | None, then: Evaluator, period: Period | None
) -> KPIChange | None:
    before = then.kpi(old, period) if old is not None else None
    change = KPIChange(
        ref.id,
        ref.kpi.owner or "",
        ref.kpi.title,
        ref.kpi.unit,
        before.status if before is not None else None,
        now.status,
        before.value if before is not None else None,
        now.value,
        now.stale,
        now.stale and (before is None or not before.stale),
        now.declining,
        now.addressed,
        getattr(now, "status_source", "computed") == "manual",
    )
    if change.before != change.after or change.went_stale or change.declining:
        return change
    return None


def _goalpost(c: Change, sha: str, when: datetime | None, who: str | None) -> Goalpost | None:
    if c.kind == "key_result":
        if (
            c.action in ("added", "removed")
            or (c.field in GOALPOST_FIELDS)
            or (c.field == "dropped")
        ):
            return Goalpost(c.id, c.kind, c.team, c.action, c.field, c.old, c.new, sha, when, who)
        return None
    if c.kind == "objective" and c.action in ("added", "removed"):
        return Goalpost(c.id, c.kind, c.team, c.action, None, None, None, sha, when, who)
    if c.kind == "kpi" and c.field in ("target", "red", "min", "max"):
        return Goalpost(c.id, c.kind, None, c.action, c.field, c.old, c.new, sha, when, who)
    return None


def _owes(
    ws: Workspace,
    krs: list[KeyResultRef],
    now: Evaluator,
    start: datetime,
    end: datetime,
    in_scope: Callable[[str | None, list[str]], bool],
) -> list[Owed]:
    """Owners of open KRs with no value in the window, and of KPIs whose cadence is
    overdue (stale) as of the end, listed by person."""
    found: dict[str, dict[str, str]] = {}
    groups = ws.checkins_by_target()
    for k in krs:
        if k.kr.kpi is not None or not k.owners or not in_scope(k.objective.team, k.owners):
            continue
        result = now.key_result(k)
        if result.status in (scoring.DONE, scoring.DROPPED):
            continue
        entries: list[Checkin] = groups.get(("kr", k.period, k.id), [])
        if any(start < c.at < end for c in entries):
            continue
        last = max((c.at for c in entries if c.at < end), default=None)
        why = f"no value since {day_of(last)}" if last is not None else "no value yet"
        for person in k.owners:  # a shared KR is owed by each of its owners
            found.setdefault(person, {})[k.id] = why
    for ref in ws.kpis.values():
        who = kpi_owner(ws, ref)
        if who is None or not in_scope(ref.kpi.owner, [who]):
            continue
        kpi = now.kpi(ref)
        if not kpi.stale:
            continue
        last_day = day_of(kpi.updated) if kpi.updated is not None else None
        found.setdefault(who, {})[ref.id] = f"{ref.kpi.cadence}, last value {last_day}"
    return [
        Owed(person, sorted(reasons), dict(sorted(reasons.items())))
        for person, reasons in sorted(found.items())
    ]
