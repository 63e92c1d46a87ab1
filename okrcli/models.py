"""Pydantic models of okr's files: settings (``okr.yaml``), plans, KPIs and check-ins.

Every model forbids unknown keys and is strict: a number is never read as text or text as
a number, and a boolean is never a number.  Numbers must be finite.  Field-level errors
carry stable error types that ``okrcli.sourcemap`` turns into diagnostics.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    Strict,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from okrcli import timeutil
from okrcli.periods import FORM as PERIOD_FORM
from okrcli.periods import parse_period

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"  # for pydantic and the JSON Schema: `$` ends the text
# for Python: `$` would also match before a final newline, so always fullmatch this
ID_RE = re.compile(r"[a-z0-9][a-z0-9._-]*", re.ASCII)

KRType = Literal[
    "increase", "decrease", "keep_above", "keep_below", "keep_between", "milestone", "rollup"
]
Direction = Literal["up", "down", "within"]
Ambition = Literal["committed", "aspirational"]
Health = Literal["green", "yellow", "red"]
Cadence = Literal["daily", "weekly", "monthly", "quarterly"]


def describe_value(value: Any) -> str:
    """A short, safe description of a YAML value for messages."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PydanticCustomError(
            "number_type", "expected a number, got {got}", {"got": describe_value(value)}
        )
    try:
        as_float = float(value)
    except OverflowError:
        as_float = math.inf
    if not math.isfinite(as_float):
        raise PydanticCustomError(
            "finite_number", "the number must be finite, got {got}", {"got": repr(value)}
        )
    return value


def _fraction(value: Any) -> float:
    number = _number(value)
    if not 0 <= number <= 1:
        raise PydanticCustomError(
            "out_of_range", "must be between 0 and 1, got {got}", {"got": repr(number)}
        )
    return number


def _positive(value: Any) -> float:
    number = _number(value)
    if number <= 0:
        raise PydanticCustomError(
            "out_of_range", "must be greater than 0, got {got}", {"got": repr(number)}
        )
    return number


def _non_negative(value: Any) -> float:
    number = _number(value)
    if number < 0:
        raise PydanticCustomError(
            "out_of_range", "must be 0 or more, got {got}", {"got": repr(number)}
        )
    return number


def _day_text(value: Any) -> str:
    if isinstance(value, str):
        try:
            timeutil.parse_day(value)
            return value.strip()
        except ValueError:
            pass
    raise PydanticCustomError(
        "invalid_day",
        "{got} is not a date; write it like 2026-11-15",
        {"got": describe_value(value)},
    )


def _owners(value: Any) -> str | list[str]:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        return list(value)
    raise PydanticCustomError(
        "owner_type",
        "must be a name or a list of names (owner: [alice, bob]), got {got}",
        {"got": describe_value(value)},
    )


def _period_text(value: Any) -> str:
    if parse_period(value) is None:
        raise PydanticCustomError(
            "invalid_period",
            "{got} is not a period; write {form}",
            {"got": describe_value(value), "form": PERIOD_FORM},
        )
    return str(value)


def parse_timestamp(value: Any) -> datetime:
    """ISO 8601 date or date-time (``okrcli.timeutil.parse_timestamp``), as a validator."""
    if not isinstance(value, str):
        raise PydanticCustomError(
            "invalid_timestamp",
            "expected an ISO 8601 date or time in quotes, got {got}",
            {"got": describe_value(value)},
        )
    try:
        return timeutil.parse_timestamp(value)
    except timeutil.OutOfRange:
        raise PydanticCustomError(
            "invalid_timestamp",
            "{got} is outside {years}, which okr handles",
            {"got": repr(value), "years": timeutil.YEARS},
        ) from None
    except (ValueError, OverflowError):
        raise PydanticCustomError(
            "invalid_timestamp",
            "{got} is not an ISO 8601 date or time (like 2026-11-20 or 2026-11-20T10:31:00+00:00)",
            {"got": repr(value)},
        ) from None


def _dropped(value: Any) -> bool | str:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip():
        return value
    raise PydanticCustomError(
        "dropped_type",
        "must be true, false or the reason as text, got {got}",
        {"got": describe_value(value)},
    )


def _checkin_value(value: Any) -> float | bool:
    if isinstance(value, bool):
        return value
    return _number(value)


Id = Annotated[str, Strict(), StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, Strict()]
Number = Annotated[float, PlainValidator(_number), WithJsonSchema({"type": "number"})]
Fraction = Annotated[
    float,
    PlainValidator(_fraction),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 1}),
]
Positive = Annotated[
    float, PlainValidator(_positive), WithJsonSchema({"type": "number", "exclusiveMinimum": 0})
]
NonNegative = Annotated[
    float, PlainValidator(_non_negative), WithJsonSchema({"type": "number", "minimum": 0})
]
DayText = Annotated[
    str,
    PlainValidator(_day_text),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]
Owners = Annotated[
    str | list[str],
    PlainValidator(_owners),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string"},
                {"type": "array", "items": {"type": "string"}, "minItems": 1},
            ]
        }
    ),
]
PeriodText = Annotated[
    str,
    PlainValidator(_period_text),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": r"^\d{4}(-Q[1-4])?$"},
                {"type": "integer", "minimum": 1000, "maximum": 9999},
            ]
        }
    ),
]
Timestamp = Annotated[
    datetime,
    PlainValidator(parse_timestamp),
    WithJsonSchema({"type": "string", "description": "ISO 8601 date or date-time"}),
]
Dropped = Annotated[
    bool | str,
    PlainValidator(_dropped),
    WithJsonSchema(
        {
            "anyOf": [{"type": "boolean"}, {"type": "string", "minLength": 1}],
            "description": "true, or the reason it was dropped",
        }
    ),
]
CheckinValue = Annotated[
    float | bool,
    PlainValidator(_checkin_value),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "boolean"}]}),
]


def doc(description: str, *examples: Any) -> Any:
    """A field's description and examples in the JSON Schema (``okr schema``): what an
    editor shows when hovering over or completing the key.  One source, next to the field."""
    return Field(description=description, examples=list(examples))


ID_RULE = "lower-case letters, digits, '.', '_' and '-', starting with a letter or digit"


class Model(BaseModel):
    # not ``defer_build``: on the pydantic floor (2.1) a nested model built that way has no
    # serializer of its own, and the parse cache dumps each objective
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


M = TypeVar("M", bound=Model)


def rebuild(cls: type[M], values: dict[str, Any]) -> M:
    """The model ``cls`` from its own ``model_dump()`` (the parse cache's copy of a file
    that was validated), without validating again: what ``model_construct`` does, less its
    look-up of every field's aliases and defaults.  Anything but exactly the model's fields
    goes through ``model_construct``."""
    if values.keys() != cls.model_fields.keys() or cls.__pydantic_post_init__:
        built: M = cls.model_construct(**values)  # type: ignore[assignment]
        return built
    made: M = cls.__new__(cls)
    object.__setattr__(made, "__dict__", values)
    object.__setattr__(made, "__pydantic_fields_set__", set(values))
    object.__setattr__(made, "__pydantic_extra__", None)
    object.__setattr__(made, "__pydantic_private__", None)
    return made


# --- okr.yaml ---------------------------------------------------------------------------


class TeamDef(Model):
    """A team: its name, the team it belongs to, and who leads it."""

    name: Annotated[Text | None, doc("The team's name as reports show it.", "Platform")] = None
    parent: Annotated[
        Id | None,
        doc(
            "The id of the team this one belongs to; parents build the hierarchy that "
            "--team includes (no cycles). Left out: a top-level team.",
            "engineering",
        ),
    ] = None
    lead: Annotated[Text | None, doc("Who leads the team.", "alice")] = None


class PaceSettings(Model):
    """How far behind the expected pace a goal may fall before its status changes."""

    at_risk: Annotated[
        Fraction,
        doc(
            "From 0 to 1: a goal whose progress is more than this behind the expected pace "
            "is at risk (default 0.15).",
            0.15,
        ),
    ] = 0.15
    off_track: Annotated[
        Fraction,
        doc(
            "From 0 to 1: more than this behind the expected pace is off track (default 0.30).",
            0.3,
        ),
    ] = 0.30
    aspirational: Annotated[
        Fraction,
        doc(
            "From 0 to 1: the final progress that counts as success for an aspirational "
            "objective; its expected pace is scaled by it (default 0.7).",
            0.7,
        ),
    ] = 0.7


class LintSettings(Model):
    """The limits okr validate warns about, and the diagnostic codes to silence."""

    max_objectives: Annotated[
        int,
        Field(ge=1),
        doc("1 or more: a team with more objectives in a period gets a warning (default 5).", 5),
    ] = 5
    max_key_results: Annotated[
        int,
        Field(ge=1),
        doc("1 or more: an objective with more key results gets a warning (default 5).", 5),
    ] = 5
    ignore: Annotated[
        list[Text],
        doc("Diagnostic codes never to report (see docs/diagnostics.md).", ["stale-kpi"]),
    ] = []


class Settings(Model):
    """okr.yaml: the organisation, its teams and calendar; the file marks the workspace root."""

    version: Annotated[Literal[1], doc("The version of okr's file format: 1.", 1)]
    org: Annotated[Text, doc("The organisation's name, in every report's header.", "Acme Inc.")]
    fiscal_year_start: Annotated[
        int,
        Field(ge=1, le=12),
        doc(
            "The month, 1 to 12, in which the fiscal year and its first quarter start "
            "(default 1, January).",
            2,
        ),
    ] = 1
    fiscal_year_named_by: Annotated[
        Literal["start", "end"],
        doc(
            "start or end: is the fiscal year February 2026 to January 2027 named 2026 "
            "(start, the default) or 2027 (end, like FY27)?",
            "end",
        ),
    ] = "start"
    timezone: Annotated[
        Text,
        doc(
            "The IANA time zone whose days are the organisation's days: as-of dates, "
            "today, date-only check-ins, staleness and period edges (default UTC).",
            "America/New_York",
        ),
    ] = "UTC"
    teams: Annotated[
        dict[Id, TeamDef],
        doc(
            f"Every team by its id ({ID_RULE}).",
            {
                "company": {"name": "Acme Inc."},
                "platform": {"name": "Platform", "parent": "company"},
            },
        ),
    ]
    pace: Annotated[
        PaceSettings,
        doc(
            "When a goal behind its pace turns at risk or off track.",
            {"at_risk": 0.15, "off_track": 0.3},
        ),
    ] = PaceSettings()
    lint: Annotated[
        LintSettings,
        doc("Limits okr validate warns about.", {"max_objectives": 5, "ignore": ["stale-kpi"]}),
    ] = LintSettings()


# --- plans ------------------------------------------------------------------------------


class KeyResult(Model):
    """A key result: a measurable result an objective is judged by."""

    id: Annotated[
        Id,
        doc(
            f"The key result's id ({ID_RULE}), unique in its period across every team and "
            "never a KPI's id; check-ins name it.",
            "p99-latency",
        ),
    ]
    title: Annotated[
        Text, doc("What the key result measures, in a few words.", "Cut API p99 latency")
    ]
    type: Annotated[
        KRType | None,
        doc(
            "increase or decrease (from start to target), keep_above or keep_below (hold "
            "the target), keep_between (stay within min and max), milestone (progress from "
            "0 to 1) or rollup (the mean progress of the objectives aligned to it). Left "
            "out: increase or decrease by start and target, keep_between with min and max, "
            "milestone with neither.",
            "decrease",
        ),
    ] = None
    start: Annotated[
        Number | None,
        doc(
            "Any finite number: the value at the period's start, from which progress is "
            "counted (increase and decrease; taken from the KPI when kpi is set).",
            850,
        ),
    ] = None
    target: Annotated[
        Number | None,
        doc(
            "Any finite number: the value to reach (increase, decrease) or to hold "
            "(keep_above, keep_below).",
            300,
        ),
    ] = None
    min: Annotated[
        Number | None,
        doc("Any finite number: keep_between's lower bound (below max).", 10),
    ] = None
    max: Annotated[
        Number | None,
        doc("Any finite number: keep_between's upper bound (above min).", 12),
    ] = None
    unit: Annotated[
        Text | None,
        doc(
            "The unit of the values, shown after every number; a check-in may carry it (580ms).",
            "ms",
            "%",
        ),
    ] = None
    weight: Annotated[
        Positive,
        doc("Greater than 0: the key result's weight in its objective's progress (default 1).", 2),
    ] = 1
    owner: Annotated[
        Owners | None,
        doc(
            "Who owns the key result, a name or a list of names (default: the objective's owners).",
            "bob",
            ["alice", "bob"],
        ),
    ] = None
    kpi: Annotated[
        Id | None,
        doc("The id of a KPI whose measurements are this key result's values.", "api-uptime"),
    ] = None
    due: Annotated[
        DayText | None,
        doc(
            "A date inside the period (YYYY-MM-DD): the expected pace runs to this day, and "
            "after it the key result is judged as finished.",
            "2026-11-15",
        ),
    ] = None
    ambition: Annotated[
        Ambition | None,
        doc(
            "committed or aspirational: restates its objective's ambition (an aspirational "
            "key result needs an aspirational objective).",
            "aspirational",
        ),
    ] = None
    description: Annotated[
        Text | None, doc("Anything worth knowing about it.", "Measured at the edge.")
    ] = None
    dropped: Annotated[
        Dropped,
        doc(
            "true, or the reason as text: dropped during the period; it stays in the file "
            "but leaves every roll-up, grade and count.",
            "superseded by the EU launch",
        ),
    ] = False
    was: Annotated[
        Id | list[Id] | None,
        doc(
            "The id (or ids) it had before it was renamed; check-ins under an old id belong to it.",
            "p99",
        ),
    ] = None


class Objective(Model):
    """An objective: what a team sets out to achieve in the period."""

    id: Annotated[
        Id,
        doc(
            f"The objective's id ({ID_RULE}), unique in its period across every team.",
            "reliable-platform",
        ),
    ]
    title: Annotated[
        Text, doc("The objective, in a few words.", "Make the platform boringly reliable")
    ]
    owner: Annotated[
        Owners | None,
        doc("Who owns the objective, a name or a list of names.", "alice", ["alice", "bob"]),
    ] = None
    aligns_to: Annotated[
        Id | None,
        doc(
            "The id of an objective or a key result (of this period or an enclosing year) "
            "this one contributes to; its progress rolls up there.",
            "enterprise-trust",
        ),
    ] = None
    ambition: Annotated[
        Ambition | None,
        doc(
            "committed (the default) or aspirational: an aspirational objective is expected "
            "to end at pace.aspirational (0.7), not at 1; its key results inherit it.",
            "aspirational",
        ),
    ] = None
    description: Annotated[
        Text | None, doc("Anything worth knowing about it.", "Why it matters.")
    ] = None
    dropped: Annotated[
        Dropped,
        doc(
            "true, or the reason as text: dropped during the period; it stays in the file "
            "but leaves every roll-up, grade and count.",
            "merged into enterprise-trust",
        ),
    ] = False
    was: Annotated[
        Id | list[Id] | None,
        doc(
            "The id (or ids) it had before it was renamed; check-ins under its key "
            "results' old ids follow them.",
            "trusted-platform",
        ),
    ] = None
    key_results: Annotated[
        list[KeyResult],
        doc(
            "The objective's key results (okr validate warns above lint.max_key_results).",
            [
                {
                    "id": "p99-latency",
                    "title": "Cut API p99 latency",
                    "start": 850,
                    "target": 300,
                    "unit": "ms",
                }
            ],
        ),
    ] = []


class Plan(Model):
    """A team's plan for a period: okrs/<period>/<team>.yaml."""

    team: Annotated[Id, doc("The id of the team (in okr.yaml) whose plan this is.", "platform")]
    period: Annotated[
        PeriodText | None,
        doc(
            "A quarter like 2026-Q4 or a year like 2026; when written, it must be the "
            "folder's (okrs/<period>/).",
            "2026-Q4",
        ),
    ] = None
    objectives: Annotated[
        list[Objective],
        doc(
            "The team's objectives for the period (okr validate warns above lint.max_objectives).",
            [{"id": "reliable-platform", "title": "Make the platform boringly reliable"}],
        ),
    ] = []


def old_ids(item: KeyResult | Objective) -> list[str]:
    """The ids an objective or KR had before it was renamed (``was:``), in order."""
    was = item.was
    if was is None:
        return []
    return [was] if isinstance(was, str) else list(was)


def kr_type(kr: KeyResult) -> str | None:
    """The KR's type, declared or inferred from start and target; None if it cannot be told."""
    if kr.type is not None:
        return kr.type
    if kr.start is not None and kr.target is not None:
        if kr.target > kr.start:
            return "increase"
        if kr.target < kr.start:
            return "decrease"
        return None
    if kr.min is not None and kr.max is not None and kr.start is None and kr.target is None:
        return "keep_between"
    if kr.start is None and kr.target is None and kr.kpi is None:
        return "milestone"
    return None


def owners_of(owner: str | list[str] | None) -> list[str]:
    """An ``owner:`` value as a list of names."""
    if owner is None:
        return []
    return [owner] if isinstance(owner, str) else list(owner)


def due_day(kr: KeyResult) -> date | None:
    """The KR's ``due`` date, if it has one."""
    return None if kr.due is None else timeutil.parse_day(kr.due)


# --- KPIs -------------------------------------------------------------------------------


class KPI(Model):
    """A KPI: a health metric measured all along, green, yellow or red against its target."""

    id: Annotated[
        Id,
        doc(
            f"The KPI's id ({ID_RULE}), unique in the workspace and never a KR's or an "
            "objective's id; check-ins name it.",
            "api-uptime",
        ),
    ]
    title: Annotated[Text, doc("What the KPI measures, in a few words.", "API uptime")]
    owner: Annotated[
        Id | None, doc("The id of the team (in okr.yaml) that owns it.", "platform")
    ] = None
    unit: Annotated[
        Text | None, doc("The unit of the values, shown after every number.", "%", "ms")
    ] = None
    direction: Annotated[
        Direction | None,
        doc(
            "up: higher is better; down: lower is better; within: green inside min and max. "
            "Required with a target (within: with min and max).",
            "up",
        ),
    ] = None
    cadence: Annotated[
        Cadence | None,
        doc(
            "daily, weekly, monthly or quarterly: how often it is measured; without a value "
            "for 1.5 of these intervals it is stale (without a cadence, never).",
            "weekly",
        ),
    ] = None
    target: Annotated[
        Number | None,
        doc("Any finite number: at or better than this (by direction) is green.", 99.9),
    ] = None
    red: Annotated[
        Number | None,
        doc(
            "Any finite number: worse than this is red; between red and target is yellow.",
            99.5,
        ),
    ] = None
    min: Annotated[
        Number | None, doc("Any finite number: within's lower bound (below max).", 10)
    ] = None
    max: Annotated[
        Number | None, doc("Any finite number: within's upper bound (above min).", 12)
    ] = None
    tolerance: Annotated[
        NonNegative | None,
        doc("0 or more: within, yellow up to this far outside min and max; red beyond.", 1),
    ] = None
    description: Annotated[
        Text | None, doc("Anything worth knowing about it.", "Measured by the status page.")
    ] = None


class KPIFile(Model):
    """A KPI file: kpis/*.yaml."""

    kpis: Annotated[
        list[KPI],
        doc(
            "The KPIs defined in this file.",
            [
                {
                    "id": "api-uptime",
                    "title": "API uptime",
                    "unit": "%",
                    "direction": "up",
                    "cadence": "weekly",
                    "target": 99.9,
                }
            ],
        ),
    ] = []


# --- the journal ------------------------------------------------------------------------


class CheckinRecord(Model):
    """A check-in: one line of the journal, checkins/<YYYY-MM>.yaml."""

    at: Annotated[
        Timestamp,
        doc(
            "When the value was measured: an ISO 8601 date or date-time in quotes; a date "
            "alone is 00:00 and no offset means UTC.",
            "2026-11-20T10:31:00+00:00",
        ),
    ]
    id: Annotated[Id, doc("The id of the key result or KPI the value is for.", "p99-latency")]
    period: Annotated[
        PeriodText | None,
        doc(
            "A key result's period, a quarter like 2026-Q4 or a year like 2026 (left out: "
            "the narrowest period containing at that has the id); none for a KPI.",
            "2026-Q4",
        ),
    ] = None
    value: Annotated[
        CheckinValue | None,
        doc(
            "Any finite number, the measured value; for a milestone a number from 0 to 1 "
            "or true (done) / false. Left out for a status update (a note, a confidence "
            "or a health instead).",
            620,
            True,
        ),
    ] = None
    confidence: Annotated[
        Fraction | None,
        doc("From 0 to 1: the owner's belief that the target will be met.", 0.7),
    ] = None
    health: Annotated[
        Health | None,
        doc(
            "KPIs: green, yellow or red, a person's judgement; while it is the KPI's latest "
            "record it is the KPI's status.",
            "yellow",
        ),
    ] = None
    by: Annotated[Text | None, doc("Who recorded it.", "alice")] = None
    note: Annotated[Text | None, doc("A short note.", "cache rollout")] = None

    @model_validator(mode="after")
    def _says_something(self) -> CheckinRecord:
        said = (self.value, self.confidence, self.note, self.health)
        if all(x is None for x in said):
            raise PydanticCustomError(
                "missing_value",
                "a check-in needs a 'value' (a status update without a new value needs a "
                "'note', a 'confidence' or a 'health' instead)",
            )
        return self


FILE_MODELS: dict[str, Any] = {
    "settings": Settings,
    "plan": Plan,
    "kpi": KPIFile,
    "journal": list[CheckinRecord],
}
