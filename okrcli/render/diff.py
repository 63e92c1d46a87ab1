"""Renderers of ``okr diff``: terminal tables, JSON and Markdown (for a PR comment).

They lay out an ``okrcli.plandiff.Diff`` and compute nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from okrcli.machine import dumps, number
from okrcli.machine import text as fmt_value
from okrcli.output import trimmed
from okrcli.plandiff import Change
from okrcli.render.text import md_cell, plural, shown

if TYPE_CHECKING:
    from rich.console import Console

    from okrcli.plandiff import Diff

KIND_WORDS = {"plan": "plan", "objective": "objective", "key_result": "KR", "kpi": "KPI"}
GOALPOSTS = "moving the goal posts"


def item(c: Change, code: bool = False) -> str:
    word = KIND_WORDS[c.kind]
    if c.kind == "plan":
        return word
    name = f"`{c.id}`" if code else c.id
    return f"{word} {name}"


def action(c: Change) -> str:
    if c.kind == "plan" and c.action == "moved":
        return "renamed"
    if c.field == "aligns_to":
        return "re-aligned"
    return c.action


def details(c: Change) -> str:
    if c.action in ("added", "removed") or (c.kind == "plan" and c.action != "moved"):
        return shown(c.detail)
    if c.kind == "plan":
        return shown(f"{c.old} → {c.new}")
    return shown(f"{c.field}: {fmt_value(c.old)} → {fmt_value(c.new)}")


def headline(diff: Diff) -> str:
    a, b = shown(diff.a.label), shown(diff.b.label)
    if not diff.changed:
        return f"No changes to plans or KPIs between {a} and {b}."
    text = f"Changes from {a} to {b}: {plural(len(diff.changes), 'change')}"
    moved = len(diff.goalposts)
    if moved:
        text += f", {moved} {GOALPOSTS}"
    return text + "."


def group_title(period: str | None, team: str | None) -> str:
    return "KPIs" if period is None else f"{period} · {team}"


def print_table(diff: Diff) -> None:
    from okrcli.output import out

    out(trimmed(lambda con: _draw(con, diff)))


def _draw(con: Console, diff: Diff) -> None:
    from rich.table import Table
    from rich.text import Text

    con.print(headline(diff))
    for period, team, changes in diff.groups():
        table = Table(
            title=group_title(period, team),
            title_justify="left",
            title_style="bold",
            show_edge=False,
            pad_edge=False,
            expand=False,
        )
        table.add_column("change", no_wrap=True)
        table.add_column("item", no_wrap=True, overflow="fold")
        table.add_column("details", overflow="fold")
        for c in changes:
            text = Text(details(c))
            if c.goalposts:
                text.append(f"  ⚠ {GOALPOSTS}", style="bold red")
                if c.detail:
                    text.append(f" ({shown(c.detail)})")
            table.add_row(action(c), item(c), text)
        con.print()
        con.print(table)
    for note in diff.notes:
        con.print(f"note: {shown(note)}")


def render_markdown(diff: Diff) -> str:
    lines = [
        f"### okr diff: {md_cell(diff.a.label)} → {md_cell(diff.b.label)}",
        "",
        md_cell(headline(diff)),
    ]
    for period, team, changes in diff.groups():
        lines += ["", f"#### {group_title(period, team)}", ""]
        lines += ["| change | item | details |", "|---|---|---|"]
        for c in changes:
            text = md_cell(details(c))
            if c.goalposts:
                text += f" ⚠️ **{GOALPOSTS}**"
                if c.detail:
                    text += f" ({md_cell(c.detail)})"
            lines.append(f"| {action(c)} | {item(c, code=True)} | {text} |")
    if diff.notes:
        lines.append("")
        lines += [f"> note: {md_cell(n)}" for n in diff.notes]
    return "\n".join(lines) + "\n"


def _json_value(value: Any) -> Any:
    return number(value) if isinstance(value, float) else value


def render_json(diff: Diff, sha_a: str | None, sha_b: str | None) -> str:
    def side(snap: Any, sha: str | None) -> dict[str, Any]:
        return {
            "label": snap.label,
            "commit": sha,
            "date": snap.day.isoformat(),
            "diagnostics": [d.as_dict() for d in snap.diagnostics],
        }

    changes = []
    for c in diff.changes:
        row = c.as_dict()
        row["old"], row["new"] = _json_value(c.old), _json_value(c.new)
        changes.append(row)
    doc = {
        "from": side(diff.a, sha_a),
        "to": side(diff.b, sha_b),
        "changed": diff.changed,
        "goalposts": len(diff.goalposts),
        "changes": changes,
        "notes": diff.notes,
    }
    return dumps(doc) + "\n"
