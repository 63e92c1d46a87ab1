"""Grading a period (SPEC §4 Grade): per key result, objective and team.

Grades are taken as of a date (``okr close --as-of``, default today): every record up to
the end of that day counts, late records that name the period included, so a final score
written the week after the quarter is graded.  A KR linked to a KPI takes the KPI's last
measurement inside the period.  These are exactly the scorecard's figures as of the same
date.

Each KR's grade is its progress (0.0 … 1.0); a KR with no data is **ungraded** (``None``),
not 0.  An objective's grade is the weighted mean of its graded KRs (one without KRs takes
the mean grade of the graded objectives aligned to it); a team's grade is the mean of its
graded objectives' grades, and the period's the mean of all graded objectives' grades.
Dropped objectives and KRs are not graded and not counted.  Bands: ≥ 0.7 green, ≥ 0.4
yellow, else red.  Returns data; ``okr close`` prints it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from okrcli import scoring
from okrcli.evaluate import Evaluator
from okrcli.machine import number, ratio
from okrcli.periods import Period
from okrcli.workspace import ObjectiveRef, Workspace

BANDS = (scoring.GREEN, scoring.YELLOW, scoring.RED)


def band_of(grade: float | None) -> str | None:
    return None if grade is None else scoring.grade_band(grade)


@dataclass
class KRGrade:
    id: str
    title: str
    type: str
    owner: str | None
    weight: float
    unit: str | None
    start: float | None
    target: float | None
    final: float | None  # the value the grade is taken from; None without data
    grade: float | None  # None: ungraded (no data)
    band: str | None
    no_data: bool
    dropped: bool | str = False
    owners: list[str] = field(default_factory=list)
    min: float | None = None  # keep_between
    max: float | None = None
    aligned: list[str] = field(default_factory=list)  # a rollup: the objectives it rolls up

    @property
    def graded(self) -> bool:
        return self.grade is not None


@dataclass
class ObjectiveGrade:
    id: str
    title: str
    team: str
    owner: str | None
    grade: float | None  # None: nothing in it could be graded
    band: str | None
    no_data: bool  # no KRs and nothing aligned to it
    rolled_up: bool  # graded from the objectives aligned to it
    key_results: list[KRGrade] = field(default_factory=list)
    graded: int = 0  # KRs graded (for a roll-up: of the objectives it rolls up from)
    total: int = 0  # KRs not dropped (likewise)
    dropped: bool | str = False
    owners: list[str] = field(default_factory=list)
    ambition: str = "committed"


@dataclass
class TeamGrade:
    team: str
    name: str
    grade: float | None
    band: str | None
    objectives: list[ObjectiveGrade]

    @property
    def graded(self) -> int:
        return sum(k.graded for o in self.objectives for k in o.key_results if not k.dropped)

    @property
    def total(self) -> int:
        return sum(1 for o in self.objectives for k in o.key_results if not k.dropped)


@dataclass
class Closing:
    org: str
    period: Period
    as_of: date
    grade: float | None
    band: str | None
    teams: list[TeamGrade]

    @property
    def ended(self) -> bool:
        return self.as_of > self.period.last_day

    @property
    def objectives(self) -> list[ObjectiveGrade]:
        return [o for t in self.teams for o in t.objectives]

    @property
    def key_results(self) -> list[KRGrade]:
        return [k for o in self.objectives for k in o.key_results]

    @property
    def counted(self) -> list[KRGrade]:
        """The KRs that count: every one not dropped (nor under a dropped objective)."""
        return [k for k in self.key_results if not k.dropped]

    @property
    def graded(self) -> int:
        return sum(1 for k in self.counted if k.graded)

    @property
    def total(self) -> int:
        return len(self.counted)

    @property
    def ungraded(self) -> list[KRGrade]:
        return [k for k in self.counted if not k.graded]

    def distribution(self) -> dict[str, dict[str, int]]:
        def count(items: list[Any]) -> dict[str, int]:
            return {band: sum(1 for i in items if i.band == band) for band in BANDS}

        return {
            "key_results": count(self.counted),
            "objectives": count([o for o in self.objectives if not o.dropped]),
            "teams": count(self.teams),
        }

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON and for ``grades/PERIOD.yaml``."""

        def kr(k: KRGrade) -> dict[str, Any]:
            return {
                "id": k.id,
                "title": k.title,
                "type": k.type,
                "owner": k.owner,
                "weight": number(k.weight),
                "unit": k.unit,
                "start": number(k.start),
                "target": number(k.target),
                "final": number(k.final),
                "grade": ratio(k.grade),
                "band": k.band,
                "no_data": k.no_data,
                "dropped": k.dropped,
                "owners": k.owners,
                "min": number(k.min),
                "max": number(k.max),
                "aligned": k.aligned,
            }

        def objective(o: ObjectiveGrade) -> dict[str, Any]:
            return {
                "id": o.id,
                "title": o.title,
                "owner": o.owner,
                "grade": ratio(o.grade),
                "band": o.band,
                "graded": o.graded,
                "total": o.total,
                "no_data": o.no_data,
                "rolled_up": o.rolled_up,
                "dropped": o.dropped,
                "owners": o.owners,
                "ambition": o.ambition,
                "key_results": [kr(k) for k in o.key_results],
            }

        return {
            "org": self.org,
            "period": str(self.period),
            "first_day": self.period.first_day.isoformat(),
            "last_day": self.period.last_day.isoformat(),
            "as_of": self.as_of.isoformat(),
            "graded_as_of": self.as_of.isoformat(),
            "ended": self.ended,
            "grade": ratio(self.grade),
            "band": self.band,
            "graded": self.graded,
            "total": self.total,
            "ungraded": [k.id for k in self.ungraded],
            "distribution": self.distribution(),
            "teams": [
                {
                    "team": t.team,
                    "name": t.name,
                    "grade": ratio(t.grade),
                    "band": t.band,
                    "graded": t.graded,
                    "total": t.total,
                    "objectives": [objective(o) for o in t.objectives],
                }
                for t in self.teams
            ],
        }


def _mean(values: list[float | None]) -> float | None:
    """The mean of the values that are not None; None when there are none."""
    found = [v for v in values if v is not None]
    return sum(found) / len(found) if found else None


def grade(ws: Workspace, period: Period, as_of: date) -> Closing:
    """The grades of every KR, objective and team of ``period`` as of ``as_of``."""
    ev = Evaluator(ws, as_of)
    memo: dict[int, ObjectiveGrade] = {}
    order = {team: i for i, team in enumerate(ws.settings.teams)}

    def objective(ref: ObjectiveRef) -> ObjectiveGrade:
        """``ref``'s grade, after those of the objectives aligned to it (deepest first,
        without recursion: an alignment chain may be thousands of objectives deep)."""
        done = memo.get(id(ref))
        if done is not None:
            return done
        below: list[ObjectiveRef] = []
        todo = [ref]
        while todo:
            for child in todo.pop().children:
                if id(child) not in memo:
                    below.append(child)
                    todo.append(child)
        for child in reversed(below):
            memo[id(child)] = one(child)
        memo[id(ref)] = one(ref)
        return memo[id(ref)]

    def one(ref: ObjectiveRef) -> ObjectiveGrade:
        """``ref``'s grade; its children's are in ``memo`` already."""
        dropped = ref.dropped
        krs = []
        for k in ref.key_results:
            r = ev.key_result(k)
            off = k.dropped  # a KR of a dropped objective is dropped with it
            kr_grade = None if off else r.progress
            krs.append(
                KRGrade(
                    k.id,
                    k.kr.title,
                    r.type,
                    k.owner,
                    k.kr.weight,
                    k.kr.unit,
                    r.start,
                    r.target,
                    r.current,
                    kr_grade,
                    band_of(kr_grade),
                    r.progress is None,
                    off,
                    k.owners,
                    k.kr.min,
                    k.kr.max,
                    [o.id for o in sorted(k.aligned, key=lambda o: order.get(o.team, len(order)))],
                )
            )
        children = [memo[id(c)] for c in ref.children if not c.dropped]
        counted = [k for k in krs if not k.dropped]
        value: float | None
        if dropped:
            value, graded, total = None, 0, 0
        elif krs:
            graded_krs = [(k.grade, k.weight) for k in counted if k.grade is not None]
            value = scoring.weighted_mean(graded_krs)
            graded, total = len(graded_krs), len(counted)
        else:
            value = _mean([c.grade for c in children])
            graded, total = sum(c.graded for c in children), sum(c.total for c in children)
        result = ObjectiveGrade(
            ref.id,
            ref.objective.title,
            ref.team,
            ref.owner,
            value,
            band_of(value),
            no_data=not krs and not children,
            rolled_up=not krs and bool(children),
            key_results=krs,
            graded=graded,
            total=total,
            dropped=dropped,
            owners=ref.owners,
            ambition=ref.ambition,
        )
        return result

    teams: dict[str, list[ObjectiveGrade]] = {}
    for ref in ws.objectives_in(period):
        teams.setdefault(ref.team, []).append(objective(ref))
    team_grades = []
    for team, objectives in sorted(
        teams.items(), key=lambda t: (order.get(t[0], len(order)), t[0])
    ):
        definition = ws.settings.teams.get(team)
        name = definition.name if definition is not None and definition.name else team
        value = _mean([o.grade for o in objectives if not o.dropped])
        team_grades.append(TeamGrade(team, name, value, band_of(value), objectives))
    overall = _mean([o.grade for t in team_grades for o in t.objectives if not o.dropped])
    return Closing(ws.settings.org, period, as_of, overall, band_of(overall), team_grades)


def grades_yaml(closing: Closing, today: date) -> str:
    import yaml

    header = (
        f"# Grades of {closing.period}, as of {closing.as_of} (its last day is "
        f"{closing.period.last_day}).\n"
        f"# Written by 'okr close {closing.period} --write' on {today}; okr does not read\n"
        "# this file back: it is the record of the period's close.\n"
    )
    body = yaml.safe_dump(
        closing.to_data(), sort_keys=False, allow_unicode=True, default_flow_style=False
    )
    return header + body
