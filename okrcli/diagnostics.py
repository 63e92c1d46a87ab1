"""Diagnostics are data: every problem found in the files is one ``Diagnostic``.

Codes are stable; each is documented in ``docs/diagnostics.md`` (a test keeps the two
in step).  ``CODES`` maps every code to its severity and a one-line summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

ERROR: Severity = "error"
WARNING: Severity = "warning"

# code -> (severity, summary).  Keep in step with docs/diagnostics.md.
CODES: dict[str, tuple[Severity, str]] = {
    # reading files
    "yaml-syntax": (ERROR, "the file is not valid YAML"),
    "yaml-duplicate-key": (ERROR, "a key is repeated in one mapping"),
    "yaml-key": (ERROR, "a mapping key is not a plain scalar"),
    "yaml-tag": (ERROR, "an explicit YAML tag okr does not accept"),
    "yaml-too-deep": (ERROR, "nesting deeper than okr reads"),
    "yaml-alias": (ERROR, "aliases that expand too far or refer to themselves"),
    "file-too-large": (ERROR, "a file larger than okr reads"),
    "file-encoding": (ERROR, "a file that is not UTF-8 text"),
    # schema
    "missing-key": (ERROR, "a required key is missing"),
    "unknown-key": (ERROR, "a key okr does not know (often a typo)"),
    "wrong-type": (ERROR, "a value of the wrong type"),
    "invalid-id": (ERROR, "an id that does not match ^[a-z0-9][a-z0-9._-]*$"),
    "invalid-value": (ERROR, "a value that is not one of the allowed ones"),
    "out-of-range": (ERROR, "a number outside its allowed range"),
    "non-finite": (ERROR, "a number that is not finite (.nan, .inf, 1e999)"),
    "invalid-period": (ERROR, "a period that is not YYYY or YYYY-Qn"),
    "invalid-timestamp": (ERROR, "a check-in time that is not ISO 8601"),
    # cross-file
    "duplicate-id": (ERROR, "an id defined twice where it must be unique"),
    "duplicate-plan": (ERROR, "two plan files for one team and period"),
    "id-clash": (ERROR, "an objective or key result id equal to a KPI id"),
    "unknown-team": (ERROR, "a reference to a team okr.yaml does not define"),
    "unknown-objective": (ERROR, "aligns_to names no objective of the period or its year"),
    "unknown-kpi": (ERROR, "a key result links to a KPI that does not exist"),
    "team-cycle": (ERROR, "team parents form a cycle"),
    "alignment-cycle": (ERROR, "objectives align to each other in a cycle"),
    "rename": (ERROR, "a was: old id that is still in use, claimed twice, or a loop"),
    "period-mismatch": (ERROR, "a plan's period: key disagrees with its directory"),
    "kr-type": (ERROR, "a key result whose type, start and target do not fit together"),
    "kpi-thresholds": (ERROR, "a KPI whose red threshold is better than its target"),
    "kpi-definition": (ERROR, "a KPI whose direction, target, min and max do not fit together"),
    "kr-due": (ERROR, "a key result due outside its period"),
    "ambition": (ERROR, "an aspirational key result under a committed objective"),
    "settings": (ERROR, "okr.yaml values that do not fit together"),
    "unknown-timezone": (ERROR, "okr.yaml names a time zone that does not exist"),
    "checkin-unknown-id": (ERROR, "a check-in for an id no KR or KPI has"),
    "checkin-period": (ERROR, "a check-in whose period does not fit its id"),
    "checkin-value": (ERROR, "a check-in value that does not fit its KR or KPI"),
    # lint (warnings)
    "too-many-objectives": (WARNING, "a team has more objectives in a period than lint allows"),
    "too-many-key-results": (WARNING, "an objective has more key results than lint allows"),
    "no-key-results": (WARNING, "an objective without key results"),
    "unaligned-objective": (WARNING, "a sub-team's objective aligns to nothing"),
    "stale-kpi": (WARNING, "a KPI's latest value is older than 1.5 cadence intervals"),
    "future-checkin": (WARNING, "a check-in dated after today"),
    "checkin-linked-kr": (WARNING, "a check-in on a KR that takes its values from a KPI"),
    "checkin-before-period": (WARNING, "a check-in dated before the period it names began"),
    "checkin-file": (WARNING, "a check-in in the file of another month, or a misnamed file"),
}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem in one place: ``file:line:column: severity[code] message``."""

    code: str
    file: str
    line: int
    column: int
    message: str

    @property
    def severity(self) -> Severity:
        return CODES[self.code][0]

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.code)

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "code": self.code,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity}[{self.code}] {self.message}"


def count(diagnostics: list[Diagnostic]) -> tuple[int, int]:
    """(errors, warnings) among ``diagnostics``."""
    errors = sum(1 for d in diagnostics if d.severity == ERROR)
    return errors, len(diagnostics) - errors
