"""Pydantic models of okr's files: settings (``okr.yaml``), plans, KPIs and check-ins.

Every model forbids unknown keys and is strict: a number is never read as text or text as
a number, and a boolean is never a number.  Numbers must be finite.  Field-level errors
carry stable error types that ``okrcli.sourcemap`` turns into diagnostics.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Annotated, Any, Literal

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
from okrcli.periods import parse_period

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"

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
            "{got} is not a period; write a quarter like 2026-Q4 or a year like 2026",
            {"got": describe_value(value)},
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


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --- okr.yaml ---------------------------------------------------------------------------


class TeamDef(Model):
    name: Text | None = None
    parent: Id | None = None
    lead: Text | None = None


class PaceSettings(Model):
    at_risk: Fraction = 0.15
    off_track: Fraction = 0.30
    aspirational: Fraction = 0.7  # the final progress that counts as success when aspirational


class LintSettings(Model):
    max_objectives: Annotated[int, Field(ge=1)] = 5
    max_key_results: Annotated[int, Field(ge=1)] = 5
    ignore: list[Text] = []


class Settings(Model):
    version: Literal[1]
    org: Text
    fiscal_year_start: Annotated[int, Field(ge=1, le=12)] = 1
    fiscal_year_named_by: Literal["start", "end"] = "start"
    timezone: Text = "UTC"
    teams: dict[Id, TeamDef]
    pace: PaceSettings = PaceSettings()
    lint: LintSettings = LintSettings()


# --- plans ------------------------------------------------------------------------------


class KeyResult(Model):
    id: Id
    title: Text
    type: KRType | None = None
    start: Number | None = None
    target: Number | None = None
    min: Number | None = None  # keep_between
    max: Number | None = None
    unit: Text | None = None
    weight: Positive = 1
    owner: Owners | None = None
    kpi: Id | None = None
    due: DayText | None = None  # inside the period: the expected pace runs to this day
    ambition: Ambition | None = None  # restates its objective's (aspirational needs it)
    description: Text | None = None
    dropped: Dropped = False
    was: Id | list[Id] | None = None  # old id(s): renamed; their check-ins belong to it


class Objective(Model):
    id: Id
    title: Text
    owner: Owners | None = None
    aligns_to: Id | None = None  # an objective or a key result
    ambition: Ambition | None = None  # default committed
    description: Text | None = None
    dropped: Dropped = False
    was: Id | list[Id] | None = None
    key_results: list[KeyResult] = []


class Plan(Model):
    team: Id
    period: PeriodText | None = None
    objectives: list[Objective] = []


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
    id: Id
    title: Text
    owner: Id | None = None
    unit: Text | None = None
    direction: Direction | None = None  # required with a target (and 'within' with min/max)
    cadence: Cadence | None = None  # without one, never stale
    target: Number | None = None
    red: Number | None = None
    min: Number | None = None  # direction within: green inside [min, max]
    max: Number | None = None
    tolerance: NonNegative | None = None  # within: yellow up to this far outside
    description: Text | None = None


class KPIFile(Model):
    kpis: list[KPI] = []


# --- the journal ------------------------------------------------------------------------


class CheckinRecord(Model):
    at: Timestamp
    id: Id
    period: PeriodText | None = None
    value: CheckinValue | None = None
    confidence: Fraction | None = None
    health: Health | None = None
    by: Text | None = None
    note: Text | None = None

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
