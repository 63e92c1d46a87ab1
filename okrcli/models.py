"""Pydantic models of okr's files: settings (``okr.yaml``), plans, KPIs and check-ins.

Every model forbids unknown keys and is strict: a number is never read as text or text as
a number, and a boolean is never a number.  Numbers must be finite.  Field-level errors
carry stable error types that ``okrcli.sourcemap`` turns into diagnostics.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    Strict,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from okrcli import timeutil
from okrcli.periods import FORM as PERIOD_FORM
from okrcli.periods import parse_period

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"  # for pydantic and the JSON Schema: `$` ends the text
# for Python: `$` would also match before a final newline, so always fullmatch this
ID_RE = re.compile(r"[a-z0-9][a-z0-9._-]*", re.ASCII)

KRType = Literal["increase", "decrease", "keep_above", "keep_below", "milestone"]
Direction = Literal["up", "down"]
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


class LintSettings(Model):
    max_objectives: Annotated[int, Field(ge=1)] = 5
    max_key_results: Annotated[int, Field(ge=1)] = 5
    ignore: list[Text] = []


class Settings(Model):
    version: Literal[1]
    org: Text
    fiscal_year_start: Annotated[int, Field(ge=1, le=12)] = 1
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
    unit: Text | None = None
    weight: Positive = 1
    owner: Text | None = None
    kpi: Id | None = None
    description: Text | None = None


class Objective(Model):
    id: Id
    title: Text
    owner: Text | None = None
    aligns_to: Id | None = None
    description: Text | None = None
    key_results: list[KeyResult] = []


class Plan(Model):
    team: Id
    period: PeriodText | None = None
    objectives: list[Objective] = []


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
    if kr.start is None and kr.target is None and kr.kpi is None:
        return "milestone"
    return None


# --- KPIs -------------------------------------------------------------------------------


class KPI(Model):
    id: Id
    title: Text
    owner: Id | None = None
    unit: Text | None = None
    direction: Direction
    cadence: Cadence
    target: Number | None = None
    red: Number | None = None
    description: Text | None = None


class KPIFile(Model):
    kpis: list[KPI] = []


# --- the journal ------------------------------------------------------------------------


class CheckinRecord(Model):
    at: Timestamp
    id: Id
    period: PeriodText | None = None
    value: CheckinValue
    confidence: Fraction | None = None
    by: Text | None = None
    note: Text | None = None


FILE_MODELS: dict[str, Any] = {
    "settings": Settings,
    "plan": Plan,
    "kpi": KPIFile,
    "journal": list[CheckinRecord],
}
