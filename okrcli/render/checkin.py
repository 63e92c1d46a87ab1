"""What ``okr checkin`` and ``okr import`` say: the changes a check-in made, the values
entered, and the state of each KR and KPI asked about on a terminal."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import Any

from okrcli import timeutil
from okrcli.evaluate import Evaluator, KPIResult, KRResult
from okrcli.recording import Change, CheckinTarget, Entry
from okrcli.render.text import num, pct, plural, status_word, with_unit


def value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "done" if value else "not done"
    return num(value)


def _change(before: str, after: str) -> str:
    return after if before == after else f"{before} → {after}"


def _share(x: float | None) -> str:
    return pct(x, missing="no data")


def kr_update(b: KRResult, a: KRResult) -> str:
    """A status update: the value stays; confidence and note may change."""
    if a.type == "milestone":
        stays = f"{_share(a.current)} done" if a.current is not None else "no check-in yet"
    else:
        stays = with_unit(a.current, a.ref.kr.unit, missing="no check-in yet")
    parts = [f"{a.id}: status update, the value stays {stays}"]
    if a.confidence != b.confidence:
        parts.append(f"confidence {num(b.confidence, 'none')} → {num(a.confidence, 'none')}")
    if a.note and a.note != b.note:
        parts.append(f"note {a.note!r}")
    parts.append(status_word(a.status))
    return ", ".join(parts)


def kpi_update(b: KPIResult, a: KPIResult) -> str:
    stays = with_unit(a.value, a.ref.kpi.unit, missing="none")
    parts = [f"{a.id}: status update, the value stays {stays}"]
    if a.status is not None:
        parts.append(_change(kpi_status_text(b), kpi_status_text(a)))
    return ", ".join(parts)


def superseded(latest: KRResult | KPIResult, zone: tzinfo = timeutil.UTC) -> str:
    """What a backdated check-in did not change: the current value."""
    if isinstance(latest, KRResult):
        unit = latest.ref.kr.unit
        value = (
            f"{_share(latest.current)} done"
            if latest.type == "milestone"
            else with_unit(latest.current, unit)
        )
    else:
        value = with_unit(latest.value, latest.ref.kpi.unit)
    when = "" if latest.updated is None else f" of {timeutil.day_of(latest.updated, zone)}"
    return f"  backdated: the current value is unchanged, {value} (the newer check-in{when})"


def kr_change(b: KRResult, a: KRResult) -> str:
    unit = a.ref.kr.unit
    status = _change(status_word(b.status), status_word(a.status))
    if a.type == "milestone":
        return f"{a.id}: {_share(b.current)} → {_share(a.current)} done, {status}"
    values = (
        f"{num(b.current, missing='no check-in yet')} → "
        f"{with_unit(a.current, unit, missing='no check-in yet')}"
    )
    if a.type in ("keep_above", "keep_below", "keep_between"):
        return f"{a.id}: {values}, {status}"
    return f"{a.id}: {values}, progress {_share(b.progress)} → {_share(a.progress)}, {status}"


def kpi_status_text(k: KPIResult) -> str:
    """The status word, and ``(set by hand: why)`` when a person set it."""
    word = status_word(k.status or "no_data")
    if k.status_source != "manual":
        return word
    return f"{word} (set by hand: {k.status_note})" if k.status_note else f"{word} (set by hand)"


def kpi_change(b: KPIResult, a: KPIResult) -> str:
    text = (
        f"{a.id}: {num(b.value, missing='none')} → "
        f"{with_unit(a.value, a.ref.kpi.unit, missing='none')}"
    )
    if a.status is not None:
        text += ", " + _change(kpi_status_text(b), kpi_status_text(a))
    return text


def change_lines(found: Sequence[Change], zone: tzinfo = timeutil.UTC) -> list[str]:
    """One line per change: ``p99-latency: 640 → 580 ms, progress 38% → 49%, on track``."""
    lines = []
    for c in found:
        if isinstance(c.before, KRResult) and isinstance(c.after, KRResult):
            if c.update and not c.linked_period:
                line = kr_update(c.before, c.after)
            else:
                line = kr_change(c.before, c.after)
            lines.append(f"  {line} (KR of {c.linked_period})" if c.linked_period else line)
        elif isinstance(c.before, KPIResult) and isinstance(c.after, KPIResult):
            lines.append(
                kpi_update(c.before, c.after) if c.update else kpi_change(c.before, c.after)
            )
        if c.latest is not None:
            lines.append(superseded(c.latest, zone))
    return lines


def written_lines(counts: dict[str, int]) -> list[str]:
    """``recorded 2 check-ins in checkins/2026-11.yaml`` per file."""
    return [f"recorded {plural(n, 'check-in')} in {rel}" for rel, n in counts.items()]


def entry_value(e: Entry) -> str:
    """The entry's value as people read it: '580 ms', '60% done', 'done', 'status update'."""
    value = e.record.get("value")
    if value is None:
        return "status update"
    if e.target.type == "milestone":
        return value_text(value) if isinstance(value, bool) else f"{pct(value)} done"
    return with_unit(value, e.target.unit)


def entry_text(e: Entry) -> str:
    r = e.record
    text = f"{r['id']} {entry_value(e)}"
    if r.get("confidence") is not None:
        text += f", confidence {num(r['confidence'])}"
    if r.get("note"):
        text += f", note {r['note']!r}"
    return text


def import_summary(entries: Sequence[Entry]) -> list[str]:
    """Per id, in order of appearance: how many values, and the latest of them."""
    by_id: dict[str, list[Entry]] = {}
    for e in entries:
        by_id.setdefault(e.record["id"], []).append(e)
    lines = []
    for id_, group in by_id.items():
        values = [e for e in group if e.record.get("value") is not None]
        updates = len(group) - len(values)
        if values:
            last = max(values, key=lambda e: e.at)
            line = (
                f"{id_}: {plural(len(values), 'value')}, latest {entry_value(last)} "
                f"at {last.record['at']}"
            )
            if updates:
                line += f"; {plural(updates, 'status update')}"
        else:
            last = max(group, key=lambda e: e.at)
            line = f"{id_}: {plural(updates, 'status update')}, latest at {last.record['at']}"
        lines.append(line)
    return lines


def state_lines(t: CheckinTarget, ev: Evaluator) -> tuple[str, str]:
    """A KR's or KPI's heading and where it stands, for the terminal walk-through."""
    if t.kr is not None:
        r = ev.key_result(t.kr)
        head = f"{t.id} · {t.title} · {t.kr.period} · owner {', '.join(t.kr.owners) or '-'}"
        if r.current is None:
            now = "no check-in yet"
        elif r.type == "milestone":
            now = f"now {_share(r.current)} done"
        else:
            now = f"now {with_unit(r.current, t.unit)}"
        if r.updated is not None:
            now += f" ({timeutil.day_of(r.updated, ev.ws.zone)})"
        parts = [now]
        if r.type != "milestone":
            parts.append(f"target {with_unit(r.target, t.unit, missing='none')}")
        if r.type in ("increase", "decrease"):
            parts.append(f"progress {_share(r.progress)}")
        parts.append(status_word(r.status))
        if r.confidence is not None:
            parts.append(f"confidence {num(r.confidence)}")
        return head, ", ".join(parts)
    assert t.kpi is not None
    k = ev.kpi(t.kpi)
    kpi = t.kpi.kpi
    head = f"{t.id} · {t.title} · KPI of {kpi.owner or '-'}"
    now = f"now {with_unit(k.value, kpi.unit, missing='none')}"
    if k.updated is not None:
        now += f" ({timeutil.day_of(k.updated, ev.ws.zone)})"
    parts = [now]
    if kpi.target is not None:
        parts.append(f"target {with_unit(kpi.target, kpi.unit)}")
    if k.status is not None:
        parts.append(status_word(k.status))
    if k.stale:
        parts.append("stale")
    return head, ", ".join(parts)
