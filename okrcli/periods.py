"""Periods over the fiscal calendar: quarters ``YYYY-Qn`` and years ``YYYY``.

A fiscal year is named after the calendar year in which it starts: with
``fiscal_year_start: 2``, ``2026`` runs 2026-02-01 … 2027-01-31 and ``2026-Q1`` is
2026-02-01 … 2026-04-30.  With ``fiscal_year_named_by: end`` (``named_by_end``) it is named
after the year in which it ends: ``2021`` is 2020-02-01 … 2021-01-31 (GitLab's FY21) and
``2021-Q1`` is 2020-02-01 … 2020-04-30.  With ``fiscal_year_start: 1`` both namings agree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

_PERIOD = re.compile(r"^(\d{4})(?:-Q([1-4]))?$")


@dataclass(frozen=True, order=True)
class Period:
    year: int
    quarter: int | None  # None for a whole year
    fiscal_start: int = 1
    named_by_end: bool = False  # the fiscal year is named after the year it ends in

    @property
    def is_year(self) -> bool:
        return self.quarter is None

    @property
    def start_year(self) -> int:
        """The calendar year in which this fiscal year begins."""
        return self.year - 1 if self.named_by_end and self.fiscal_start > 1 else self.year

    @cached_property
    def first_day(self) -> date:
        month0 = self.fiscal_start - 1 + (3 * (self.quarter - 1) if self.quarter else 0)
        return date(self.start_year + month0 // 12, month0 % 12 + 1, 1)

    @cached_property
    def last_day(self) -> date:
        months = 3 if self.quarter else 12
        month0 = self.first_day.month - 1 + months
        after = date(self.first_day.year + month0 // 12, month0 % 12 + 1, 1)
        return after - timedelta(days=1)

    @cached_property
    def total_days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    @property
    def year_period(self) -> Period:
        """The fiscal year enclosing this period (itself for a year)."""
        return Period(self.year, None, self.fiscal_start, self.named_by_end)

    def previous(self) -> Period:
        end = self.named_by_end
        if self.quarter is None:
            return Period(self.year - 1, None, self.fiscal_start, end)
        if self.quarter == 1:
            return Period(self.year - 1, 4, self.fiscal_start, end)
        return Period(self.year, self.quarter - 1, self.fiscal_start, end)

    @property
    def label(self) -> str:
        """The period as an organisation naming years by their end writes it: ``FY21-Q1``;
        otherwise the same as ``str``."""
        if not (self.named_by_end and self.fiscal_start > 1):
            return str(self)
        year = f"FY{self.year % 100:02d}"
        return year if self.quarter is None else f"{year}-Q{self.quarter}"

    def __str__(self) -> str:
        return f"{self.year}" if self.quarter is None else f"{self.year}-Q{self.quarter}"


def parse_period(text: object, fiscal_start: int = 1, named_by_end: bool = False) -> Period | None:
    """``2026-Q4`` or ``2026`` (a YAML integer year is accepted too); None if neither."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        text = str(text)
    if not isinstance(text, str):
        return None
    m = _PERIOD.match(text)
    if not m:
        return None
    quarter = int(m.group(2)) if m.group(2) else None
    return Period(int(m.group(1)), quarter, fiscal_start, named_by_end)


def quarter_of(day: date, fiscal_start: int = 1, named_by_end: bool = False) -> Period:
    """The fiscal quarter containing ``day``."""
    months = (day.year * 12 + day.month - 1) - (fiscal_start - 1)
    fiscal_year, month_in_year = divmod(months, 12)
    if named_by_end and fiscal_start > 1:
        fiscal_year += 1
    return Period(fiscal_year, month_in_year // 3 + 1, fiscal_start, named_by_end)


def best_period(candidates: Sequence[Period], day: date) -> tuple[Period, str]:
    """The period of ``candidates`` meant for ``day`` when none is named, and why.

    The narrowest one containing ``day``; else the latest one begun by then (a quarter
    before its year); else the first one.  The one rule behind every default period:
    the scorecard's, the tree's and that of a KR id that recurs across periods.
    """
    if not candidates:
        raise ValueError("no periods to choose from")
    containing = [p for p in candidates if p.contains(day)]
    if containing:
        return min(containing, key=lambda p: p.total_days), "the planned period containing"
    begun = [p for p in candidates if p.first_day <= day]
    if begun:
        chosen = max(begun, key=lambda p: (p.first_day, p.quarter is not None))
        return chosen, "the most recent planned period before"
    return min(candidates, key=lambda p: (p.first_day, p.quarter is not None)), (
        "the first planned period after"
    )
