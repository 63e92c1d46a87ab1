"""Plan and KPI definitions as they stand in one version of a workspace.

Pure: file contents in, parsed definitions out; no files, git or terminal.  ``okr diff``
compares two ``Snapshot`` s (``okrcli.plandiff``), ``okr history`` follows one definition
through every revision (``okrcli.history``).  Files are parsed and validated exactly as
the loader does (``okrcli.yamlsource.parse_bytes`` and the models), then reduced to the
fields that are compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from okrcli.diagnostics import Diagnostic
from okrcli.machine import text as fmt_value
from okrcli.models import KPIFile, Plan, kr_type, old_ids, owners_of
from okrcli.periods import FORM as PERIOD_FORM
from okrcli.periods import parse_period
from okrcli.reader import validate
from okrcli.yamlsource import parse_bytes

# --- one file's definitions ------------------------------------------------------------------


@dataclass(frozen=True)
class KRDef:
    id: str
    objective: str
    title: str
    type: str | None  # declared or inferred
    start: float | None
    target: float | None
    weight: float
    owner: str | None
    kpi: str | None
    unit: str | None
    was: tuple[str, ...] = ()  # the ids it had before (was:)
    min: float | None = None
    max: float | None = None
    due: str | None = None
    ambition: str | None = None

    def summary(self) -> str:
        """``decrease 850 → 300 ms`` / ``milestone`` / ``keep_above 99.95 (kpi api-uptime)``."""
        kind = self.type or "?"
        unit = f" {self.unit}" if self.unit else ""
        if kind in ("increase", "decrease"):
            text = f"{kind} {fmt_value(self.start)} → {fmt_value(self.target)}{unit}"
        elif kind in ("keep_above", "keep_below"):
            text = f"{kind} {fmt_value(self.target)}{unit}"
        elif kind == "keep_between":
            text = f"{kind} {fmt_value(self.min)}–{fmt_value(self.max)}{unit}"
        else:
            text = kind
        if self.due:
            text += f", due {self.due}"
        if self.kpi:
            text += f" (kpi {self.kpi})"
        return text


@dataclass(frozen=True)
class ObjectiveDef:
    id: str
    team: str
    title: str
    owner: str | None
    aligns_to: str | None
    key_results: tuple[str, ...]
    was: tuple[str, ...] = ()
    ambition: str = "committed"


@dataclass
class PlanDef:
    path: str
    period: str
    team: str
    objectives: dict[str, ObjectiveDef]
    key_results: dict[str, KRDef]


@dataclass(frozen=True)
class KPIDef:
    id: str
    path: str
    title: str
    owner: str | None
    unit: str | None
    direction: str | None
    cadence: str | None
    target: float | None
    red: float | None
    min: float | None = None
    max: float | None = None
    tolerance: float | None = None


def owner_text(owner: str | list[str] | None) -> str | None:
    """One owner, or several as ``alice, bob``, as compared and shown by ``okr diff``."""
    names = owners_of(owner)
    return ", ".join(names) if names else None


@dataclass
class ParsedFile:
    """One plan or KPI file: its definitions, or the diagnostics that stopped them."""

    path: str
    plan: PlanDef | None = None
    kpis: list[KPIDef] | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    period: str | None = None  # a plan's period (from its folder), when it can be told
    team: str | None = None  # a plan's team, when it can be told even from a broken file

    @property
    def broken(self) -> bool:
        return self.plan is None and self.kpis is None

    @classmethod
    def without_definitions(cls, path: str) -> ParsedFile:
        """A file known to define nothing that is asked about: a plan without KRs, or a
        KPI file without KPIs (see ``may_define``)."""
        result = cls(path, period=period_of_path(path))
        if path.startswith("okrs/"):
            result.plan = PlanDef(path, result.period or "", "", {}, {})
        else:
            result.kpis = []
        return result


def may_define(data: bytes, names: tuple[str, ...]) -> bool:
    """Whether a goal file's bytes can define any of ``names``: a name written in YAML is
    in the file as it is (plain or quoted, or through an alias to a scalar that is), unless
    a double-quoted scalar spells it with escapes, which need a backslash.  Files are UTF-8
    (anything else does not parse), so a byte search decides."""
    return b"\\" in data or any(name.encode("utf-8") in data for name in names)


def period_of_path(path: str) -> str | None:
    parts = path.split("/")
    if len(parts) < 3 or parts[0] != "okrs":
        return None
    period = parse_period(parts[1])
    return None if period is None else str(period)


def parse_file(path: str, data: bytes) -> ParsedFile:
    """Parse and validate one file of ``okrs/`` or ``kpis/`` (workspace-relative path)."""
    result = ParsedFile(path, period=period_of_path(path))
    doc = parse_bytes(data, path)
    is_plan = path.startswith("okrs/")
    if is_plan and isinstance(doc.data, dict) and isinstance(doc.data.get("team"), str):
        result.team = doc.data["team"]
    model: Any = Plan if is_plan else KPIFile
    # parsed and validated exactly as the loader does
    validated = validate(doc, model)
    result.diagnostics.extend(doc.diagnostics)
    if validated is None or doc.diagnostics:
        return result
    if not is_plan:
        result.kpis = [
            KPIDef(
                k.id,
                path,
                k.title,
                k.owner,
                k.unit,
                k.direction,
                k.cadence,
                k.target,
                k.red,
                k.min,
                k.max,
                k.tolerance,
            )
            for k in validated.kpis
        ]
        return result
    if result.period is None:
        result.diagnostics.append(
            Diagnostic(
                "invalid-period",
                path,
                1,
                1,
                f"plan files live in okrs/<period>/ where <period> is {PERIOD_FORM}; "
                "move this file",
            )
        )
        return result
    plan: Plan = validated
    objectives: dict[str, ObjectiveDef] = {}
    key_results: dict[str, KRDef] = {}
    for o in plan.objectives:
        objectives.setdefault(
            o.id,
            ObjectiveDef(
                o.id,
                plan.team,
                o.title,
                owner_text(o.owner),
                o.aligns_to,
                tuple(k.id for k in o.key_results),
                tuple(old_ids(o)),
                o.ambition or "committed",
            ),
        )
        for k in o.key_results:
            key_results.setdefault(
                k.id,
                KRDef(
                    k.id,
                    o.id,
                    k.title,
                    kr_type(k),
                    k.start,
                    k.target,
                    k.weight,
                    owner_text(k.owner),
                    k.kpi,
                    k.unit,
                    tuple(old_ids(k)),
                    k.min,
                    k.max,
                    k.due,
                    k.ambition,
                ),
            )
    result.plan = PlanDef(path, result.period, plan.team, objectives, key_results)
    return result


def fiscal_start_of(data: bytes | None) -> int:
    """``fiscal_year_start`` from okr.yaml's bytes; 1 when absent or unreadable (the
    settings themselves are checked by ``okr validate``)."""
    return calendar_of(data)[0]


def calendar_of(data: bytes | None) -> tuple[int, bool]:
    """``fiscal_year_start`` and whether years are named by their end, from okr.yaml's
    bytes; (1, False) for what is absent or unreadable."""
    if data is None:
        return 1, False
    doc = parse_bytes(data, "okr.yaml")
    settings = doc.data if isinstance(doc.data, dict) else {}
    value = settings.get("fiscal_year_start")
    start = 1
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 12:
        start = value
    return start, settings.get("fiscal_year_named_by") == "end"


# --- snapshots of a whole workspace ------------------------------------------------------


@dataclass
class Snapshot:
    """Every plan and KPI of one version of the workspace (a revision or the working tree)."""

    label: str
    day: date  # when its changes count as made: the commit's date, or today
    fiscal_start: int
    named_by_end: bool = False
    plans: dict[tuple[str, str], PlanDef] = field(default_factory=dict)  # (period, team)
    kpis: dict[str, KPIDef] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    broken_plans: set[tuple[str, str | None]] = field(default_factory=set)  # (period, team)
    broken_kpis: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def errors(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)


def snapshot(files: dict[str, bytes], label: str, day: date) -> Snapshot:
    """A ``Snapshot`` of the workspace whose files are ``files`` (relative path -> bytes)."""
    snap = Snapshot(label, day, *calendar_of(files.get("okr.yaml")))
    for path in sorted(files):
        if path == "okr.yaml":
            continue
        parsed = parse_file(path, files[path])
        add_file(snap, parsed)
    snap.diagnostics.sort(key=Diagnostic.sort_key)
    return snap


def add_file(snap: Snapshot, parsed: ParsedFile) -> None:
    snap.diagnostics.extend(parsed.diagnostics)
    if parsed.path.startswith("kpis/"):
        if parsed.kpis is None:
            snap.broken_kpis = True
            return
        for k in parsed.kpis:
            snap.kpis.setdefault(k.id, k)
        return
    if parsed.plan is None:
        if parsed.period is not None:
            snap.broken_plans.add((parsed.period, parsed.team))
        return
    key = (parsed.plan.period, parsed.plan.team)
    first = snap.plans.get(key)
    if first is not None:
        snap.notes.append(
            f"{parsed.path} is a second plan of team '{key[1]}' for {key[0]} "
            f"(after {first.path}); it is not compared"
        )
        return
    snap.plans[key] = parsed.plan
