"""Renderers of ``okr close``: a terminal table per team, JSON and Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from okrcli.machine import dumps
from okrcli.output import trimmed
from okrcli.render.text import grade_text, md_cell, num, pct, shown
from okrcli.render.text import with_unit as value

if TYPE_CHECKING:
    from rich.console import Console

    from okrcli.grading import Closing, KRGrade, ObjectiveGrade

BAND_STYLES = {"green": "green", "yellow": "yellow", "red": "bold red"}


def kr_result(k: KRGrade) -> str:
    """``620 ms of 300 ms`` / ``no data``."""
    if k.no_data:
        return "no data"
    if k.type == "milestone":
        return f"{pct(k.final or 0)} done"
    return f"{value(k.final, k.unit)} (target {value(k.target, k.unit)})"


def objective_note(o: ObjectiveGrade) -> str:
    if o.no_data:
        return "no key results, nothing aligned"
    if o.rolled_up:
        return "rolled up from aligned objectives"
    return ""


def distribution_lines(closing: Closing) -> list[str]:
    lines = []
    for what, counts in closing.distribution().items():
        label = what.replace("_", " ") + ":"
        lines.append(
            f"{label:<13} {counts['green']} green, {counts['yellow']} yellow, {counts['red']} red"
        )
    return lines


def headline(closing: Closing) -> str:
    p = closing.period
    return (
        f"{shown(closing.org or 'okr')}: {p} graded as of {p.last_day} — "
        f"grade {grade_text(closing.grade)} ({closing.band})"
    )


def print_table(closing: Closing) -> None:
    from okrcli.output import out

    out(trimmed(lambda con: _draw(con, closing)))


def _draw(con: Console, closing: Closing) -> None:
    from rich.table import Table
    from rich.text import Text

    con.print(headline(closing))
    for team in closing.teams:
        table = Table(
            title=f"{shown(team.name)} ({team.team}): {grade_text(team.grade)} {team.band}",
            title_justify="left",
            title_style="bold",
            show_edge=False,
            pad_edge=False,
        )
        table.add_column("objective / key result", overflow="fold")
        table.add_column("grade", justify="right", no_wrap=True)
        table.add_column("band", no_wrap=True)
        table.add_column("result", overflow="fold")
        for o in team.objectives:
            table.add_row(
                Text(o.id, style="bold"),
                f"{grade_text(o.grade)}",
                Text(o.band, style=BAND_STYLES[o.band]),
                objective_note(o),
            )
            for k in o.key_results:
                weight = f" ×{num(k.weight)}" if k.weight != 1 else ""
                table.add_row(
                    f"  {k.id}{weight}",
                    f"{grade_text(k.grade)}",
                    Text(k.band, style=BAND_STYLES[k.band]),
                    kr_result(k),
                )
        con.print()
        con.print(table)
    con.print()
    for line in distribution_lines(closing):
        con.print(line)


def render_markdown(closing: Closing) -> str:
    lines = [f"### {md_cell(headline(closing))}", ""]
    for team in closing.teams:
        lines += [
            f"#### {md_cell(team.name)} (`{team.team}`): {grade_text(team.grade)} {team.band}",
            "",
        ]
        lines += ["| objective / key result | grade | band | result |", "|---|---:|---|---|"]
        for o in team.objectives:
            lines.append(
                f"| **{o.id}** {md_cell(o.title)} | {grade_text(o.grade)} | {o.band} | "
                f"{objective_note(o)} |"
            )
            for k in o.key_results:
                weight = f" ×{num(k.weight)}" if k.weight != 1 else ""
                lines.append(
                    f"| ↳ `{k.id}`{weight} {md_cell(k.title)} | {grade_text(k.grade)} | {k.band} | "
                    f"{md_cell(kr_result(k))} |"
                )
        lines.append("")
    lines += [f"- {line}" for line in distribution_lines(closing)]
    return "\n".join(line.replace("\n", " ") for line in lines) + "\n"


def render_json(closing: Closing) -> str:
    return dumps(closing.to_data()) + "\n"
