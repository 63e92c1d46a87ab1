"""Grading a period (SPEC §4 Grade): per key result, objective and team.

Each KR's grade is its progress at the period's end (0.0 … 1.0; a KR with no data grades
0.0 and is marked so); an objective's grade is the weighted mean of its KRs' grades (one
without KRs takes the mean grade of the objectives aligned to it); a team's grade is the
mean of its objectives' grades, and the period's the mean of all its objectives' grades.
Bands: ≥ 0.7 green, ≥ 0.4 yellow, else red.  Returns data; ``okr close`` prints it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from okrcli import scoring
from okrcli.evaluate import Evaluator
from okrcli.machine import number
from okrcli.periods import Period
from okrcli.workspace import ObjectiveRef, Workspace

BANDS = (scoring.GREEN, scoring.YELLOW, scoring.RED)
DIGITS = 4


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
    final: float | None  # the value at the period's end; None without data
    grade: float
    band: str
    no_data: bool


@dataclass
class ObjectiveGrade:
    id: str
    title: str
    team: str
    owner: str | None
    grade: float
    band: str
    no_data: bool  # no KRs and nothing aligned to it: graded 0.0
    rolled_up: bool  # graded from the objectives aligned to it
    key_results: list[KRGrade] = field(default_factory=list)


@dataclass
class TeamGrade:
    team: str
    name: str
    grade: float
    band: str
    objectives: list[ObjectiveGrade]


@dataclass
class Closing:
    org: str
    period: Period
    as_of: date
    grade: float
    band: str
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

    def distribution(self) -> dict[str, dict[str, int]]:
        def count(items: list[Any]) -> dict[str, int]:
            return {band: sum(1 for i in items if i.band == band) for band in BANDS}

        return {
            "key_results": count(self.key_results),
            "objectives": count(self.objectives),
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
                "grade": round(k.grade, DIGITS),
                "band": k.band,
                "no_data": k.no_data,
            }

        def objective(o: ObjectiveGrade) -> dict[str, Any]:
            return {
                "id": o.id,
                "title": o.title,
                "owner": o.owner,
                "grade": round(o.grade, DIGITS),
                "band": o.band,
                "no_data": o.no_data,
                "rolled_up": o.rolled_up,
                "key_results": [kr(k) for k in o.key_results],
            }

        return {
            "org": self.org,
            "period": str(self.period),
            "first_day": self.period.first_day.isoformat(),
            "last_day": self.period.last_day.isoformat(),
            "graded_as_of": self.period.last_day.isoformat(),
            "ended": self.ended,
            "grade": round(self.grade, DIGITS),
            "band": self.band,
            "distribution": self.distribution(),
            "teams": [
                {
                    "team": t.team,
                    "name": t.name,
                    "grade": round(t.grade, DIGITS),
                    "band": t.band,
                    "objectives": [objective(o) for o in t.objectives],
                }
                for t in self.teams
            ],
        }


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def grade(ws: Workspace, period: Period, as_of: date) -> Closing:
    """The grades of every KR, objective and team of ``period`` at its last day."""
    ev = Evaluator(ws, period.last_day)
    memo: dict[int, ObjectiveGrade] = {}

    def objective(ref: ObjectiveRef) -> ObjectiveGrade:
        done = memo.get(id(ref))
        if done is not None:
            return done
        krs = []
        for k in ref.key_results:
            r = ev.key_result(k)
            value = 0.0 if r.progress is None else r.progress
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
                    value,
                    scoring.grade_band(value),
                    r.progress is None,
                )
            )
        children = [objective(c) for c in ref.children]
        if krs:
            total = scoring.weighted_mean([(k.grade, k.weight) for k in krs])
            value = 0.0 if total is None else total
        else:
            value = _mean([c.grade for c in children])
        result = ObjectiveGrade(
            ref.id,
            ref.objective.title,
            ref.team,
            ref.owner,
            value,
            scoring.grade_band(value),
            no_data=not krs and not children,
            rolled_up=not krs and bool(children),
            key_results=krs,
        )
        memo[id(ref)] = result
        return result

    teams: dict[str, list[ObjectiveGrade]] = {}
    for ref in ws.objectives_in(period):
        teams.setdefault(ref.team, []).append(objective(ref))
    order = {team: i for i, team in enumerate(ws.settings.teams)}
    team_grades = []
    for team, objectives in sorted(
        teams.items(), key=lambda t: (order.get(t[0], len(order)), t[0])
    ):
        definition = ws.settings.teams.get(team)
        name = definition.name if definition is not None and definition.name else team
        value = _mean([o.grade for o in objectives])
        team_grades.append(TeamGrade(team, name, value, scoring.grade_band(value), objectives))
    overall = _mean([o.grade for t in team_grades for o in t.objectives])
    return Closing(
        ws.settings.org, period, as_of, overall, scoring.grade_band(overall), team_grades
    )


def grades_yaml(closing: Closing, today: date) -> str:
    import yaml

    header = (
        f"# Grades of {closing.period}, as of its last day {closing.period.last_day}.\n"
        f"# Written by 'okr close {closing.period} --write' on {today}; okr does not read\n"
        "# this file back: it is the record of the period's close.\n"
    )
    body = yaml.safe_dump(
        closing.to_data(), sort_keys=False, allow_unicode=True, default_flow_style=False
    )
    return header + body
