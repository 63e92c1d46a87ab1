"""Pure computation of okr's numbers (SPEC §4): numbers and dates in, numbers out.

Nothing here reads files, talks to a terminal or touches git.
"""

from __future__ import annotations

from datetime import date

from okrcli.periods import Period

CADENCE_DAYS = {"daily": 1, "weekly": 7, "monthly": 30, "quarterly": 91}


def elapsed(period: Period, as_of: date) -> float:
    """Share of ``period`` run by the end of ``as_of``: clamp(days + 1, 0, total) / total."""
    total = period.total_days
    days = (as_of - period.first_day).days + 1
    return min(max(days, 0), total) / total


def is_stale(latest: date, as_of: date, cadence: str) -> bool:
    """A KPI is stale when its latest value is older than 1.5 cadence intervals."""
    return (as_of - latest).days > 1.5 * CADENCE_DAYS[cadence]
