"""Renderers of ``okr review``: a terminal page, Markdown to paste into a chat, a wiki page
or a pull request, and JSON for a bot.  They lay out ``okrcli.review.Review`` and compute
nothing."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from okrcli.machine import text as plain
from okrcli.render.text import DASH, Line, md_cell, num, pct, plural, status_word, with_unit

if TYPE_CHECKING:
    from okrcli.review import CheckinItem, Goalpost, KPIChange, Review, StatusChange


# --- shared wording -------------------------------------------------------------------------


def utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


def window(r: Review) -> str:
    """'2026-11-16 to 2026-11-22 (since 2026-11-15)', or from a commit's time."""
    if r.start.time() == r.start.min.time():
        return f"{r.start.date()} to {r.as_of} (since {r.since})"
    return f"{r.start:%Y-%m-%d %H:%M} UTC to the end of {r.as_of} (since {r.since})"


def summary_lines(r: Review) -> list[str]:
    s = r.summary()
    return [
        f"{plural(s['checkins'], 'check-in')} in the window",
        f"{plural(s['status_changes'], 'status change')} of KRs and objectives",
        f"{plural(s['kpis_need_attention'], 'KPI')} "
        f"{'needs' if s['kpis_need_attention'] == 1 else 'need'} attention",
    ]


def value(x: float | None, item: CheckinItem) -> str:
    if x is None:
        return "first value"
    if item.milestone:
        return f"{pct(x)} done"
    return with_unit(x, item.unit)


def checkin_text(c: CheckinItem) -> str:
    if c.update:
        stays = "" if c.before is None else f", the value stays {value(c.before, c)}"
        health = f", set {c.health} by hand" if c.health else ""
        return f"status update{stays}{health}"
    if c.before is None:
        return value(c.after, c)
    return f"{value(c.before, c)} → {value(c.after, c)}"


def status_text(s: StatusChange) -> str:
    before = "new" if s.before is None else status_word(s.before)
    moved = before if s.before == s.after else f"{before} → {status_word(s.after)}"
    return f"{moved}, {pct(s.progress_before)} → {pct(s.progress_after)}"


def kpi_text(k: KPIChange) -> str:
    parts = []
    by_hand = " (set by hand)" if k.manual else ""
    if k.before != k.after:
        parts.append(f"{status_word(k.before)} → {status_word(k.after)}{by_hand}")
    elif k.after is not None:
        parts.append(status_word(k.after) + by_hand)
    parts.append(f"{with_unit(k.value_before, k.unit)} → {with_unit(k.value_after, k.unit)}")
    if k.went_stale:
        parts.append("went stale")
    elif k.stale:
        parts.append("stale")
    if k.declining:
        parts.append("worse three values running")
    parts.append("a KR addresses it" if k.addressed else "no KR addresses it")
    return ", ".join(parts)


def goalpost_text(g: Goalpost) -> str:
    what = "KR" if g.kind == "key_result" else g.kind.replace("_", " ")
    if g.action == "changed" and g.field:
        change = f"{g.field} {plain(g.before)} → {plain(g.after)}"
    else:
        change = g.action
    return f"{what} {g.id}: {change}"


def goalpost_source(g: Goalpost) -> str:
    if g.when is None:
        return g.commit
    return f"{g.commit} {g.when:%Y-%m-%d} {g.who or ''}".rstrip()


# --- table ----------------------------------------------------------------------------------


def render_table(r: Review, width: int = 80) -> list[Line]:
    from okrcli.render.scorecard import STATUS_STYLES, fit, rule, wrap

    width = max(width, 60)
    scope = ""
    if r.team is not None:
        scope += f" · team {r.team} and below"
    if r.owner is not None:
        scope += f" · owner {r.owner}"
    lines = [Line(c, style="bold") for c in wrap(f"{r.org} · weekly review{scope}", width)]
    lines += [Line(c) for c in wrap(window(r), width)]
    lines += [Line(c) for line in summary_lines(r) for c in wrap(line, width)]
    if not r.teams and not r.owes:
        lines += [Line(""), Line("Nothing changed in the window.")]
    for t in r.teams:
        lines += [Line(""), rule(f"{t.name} ({t.id})", width)]
        if t.checkins:
            lines.append(Line("Check-ins", style="bold"))
            for c in t.checkins:
                head = f"  {utc(c.at):%m-%d %H:%M}  {c.id}  {checkin_text(c)}"
                who = [c.by or DASH]
                if c.confidence is not None:
                    who.append(f"conf {num(c.confidence)}")
                lines += [Line(x) for x in wrap(f"{head} · {', '.join(who)}", width)]
                if c.note:
                    lines += [Line(x, style="dim") for x in wrap(f"      “{c.note}”", width)]
        if t.status_changes:
            lines.append(Line("Progress and status", style="bold"))
            for s in t.status_changes:
                label = f"  {s.id} ({'objective' if s.kind == 'objective' else 'KR'})"
                text = Line(fit(f"{label}  ", width // 2))
                text.append(status_text(s), style=STATUS_STYLES.get(s.after, ""))
                lines.append(text)
        if t.kpi_changes:
            lines.append(Line("KPIs", style="bold"))
            for k in t.kpi_changes:
                flag = "! " if k.needs_attention and not k.addressed else "  "
                lines += [Line(c) for c in wrap(f"{flag}{k.id}  {kpi_text(k)}", width)]
        if t.goalposts:
            lines.append(Line("Goal posts", style="bold"))
            for g in t.goalposts:
                lines += [
                    Line(x) for x in wrap(f"  {goalpost_text(g)} ({goalpost_source(g)})", width)
                ]
    if r.owes:
        lines += [Line(""), rule("Who owes a check-in", width)]
        for o in r.owes:
            items = ", ".join(f"{i} ({o.reasons[i]})" for i in o.ids)
            lines += [Line(c) for c in wrap(f"  {o.owner}: {items}", width)]
    for note in r.notes:
        lines += [Line(""), Line(fit(f"note: {note}", width), style="dim")]
    return lines


# --- Markdown -------------------------------------------------------------------------------


def render_markdown(r: Review) -> str:
    title = f"## {md_cell(r.org)} · weekly review"
    if r.team is not None:
        title += f" · team {r.team}"
    if r.owner is not None:
        title += f" · {md_cell(r.owner)}"
    out = [title, "", f"_{md_cell(window(r))}_", ""]
    out += [f"- {line}" for line in summary_lines(r)]
    if not r.teams and not r.owes:
        out += ["", "Nothing changed in the window."]
    for t in r.teams:
        out += ["", f"### {md_cell(t.name)}"]
        if t.checkins:
            out += ["", "| When (UTC) | KR / KPI | Value | By | Conf. | Note |"]
            out.append("|---|---|---|---|---:|---|")
            for c in t.checkins:
                out.append(
                    f"| {utc(c.at):%m-%d %H:%M} | `{c.id}` | {md_cell(checkin_text(c))} | "
                    f"{md_cell(c.by or DASH)} | {num(c.confidence)} | {md_cell(c.note or '')} |"
                )
        if t.status_changes:
            out += ["", "| Moved | Status, progress |", "|---|---|"]
            for s in t.status_changes:
                kind = "objective" if s.kind == "objective" else "KR"
                out.append(f"| `{s.id}` ({kind}) | {md_cell(status_text(s))} |")
        if t.kpi_changes:
            out += ["", "| KPI | Change |", "|---|---|"]
            for k in t.kpi_changes:
                flag = "⚠ " if k.needs_attention and not k.addressed else ""
                out.append(f"| {flag}`{k.id}` | {md_cell(kpi_text(k))} |")
        if t.goalposts:
            out += [""]
            out += [f"- {md_cell(goalpost_text(g))} ({goalpost_source(g)})" for g in t.goalposts]
    if r.owes:
        out += ["", "### Who owes a check-in", ""]
        for o in r.owes:
            items = ", ".join(f"`{i}` ({md_cell(o.reasons[i])})" for i in o.ids)
            out.append(f"- **{md_cell(o.owner)}**: {items}")
    for note in r.notes:
        out += ["", f"> note: {md_cell(note)}"]
    return "\n".join(out) + "\n"


# --- JSON -------------------------------------------------------------------------------------


def render_json(r: Review) -> str:
    doc: dict[str, Any] = r.to_json()
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
