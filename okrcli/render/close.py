"""Renderers of ``okr close``: a terminal table per team, JSON and Markdown."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from okrcli.output import trimmed
from okrcli.render.text import band, grade_text, md_cell, num, pct, period_name, plural
from okrcli.render.text import with_unit as value

if TYPE_CHECKING:
    from rich.console import Console

    from okrcli.grading import Closing, KRGrade, ObjectiveGrade

BAND_STYLES = {"green": "green", "yellow": "yellow", "red": "bold red"}
UNGRADED = "ungraded"
DROPPED = "dropped"


def dropped_text(dropped: bool | str) -> str:
    """``dropped`` or ``dropped: the reason``."""
    return DROPPED if dropped is True else f"{DROPPED}: {dropped}"


def band_text(band: str | None, dropped: bool | str = False) -> str:
    if dropped:
        return DROPPED
    return band or UNGRADED


def kr_result(k: KRGrade) -> str:
    """``620 ms (target 300 ms)`` / ``no check-in: ungraded`` / ``dropped: reason``."""
    if k.dropped:
        return dropped_text(k.dropped)
    if k.type == "rollup":
        source = ", ".join(k.aligned) or "nothing aligned"
        return f"rolled up from {source}" + (": ungraded" if k.no_data else "")
    if k.no_data:
        return "no check-in: ungraded"
    if k.type == "milestone":
        return f"{pct(k.final or 0)} done"
    if k.type == "keep_between":
        return f"{value(k.final, k.unit)} (keep {band(k.min, k.max, k.unit)})"
    return f"{value(k.final, k.unit)} (target {value(k.target, k.unit)})"


def objective_note(o: ObjectiveGrade) -> str:
    if o.dropped:
        return dropped_text(o.dropped)
    if o.no_data:
        return "no key results, nothing aligned"
    parts = []
    if o.rolled_up:
        parts.append("rolled up from aligned objectives")
    if o.graded < o.total:
        parts.append(f"graded {o.graded} of {plural(o.total, 'KR')}")
    return "; ".join(parts)


def distribution_lines(closing: Closing) -> list[str]:
    lines = []
    for what, counts in closing.distribution().items():
        label = what.replace("_", " ") + ":"
        lines.append(
            f"{label:<13} {counts['green']} green, {counts['yellow']} yellow, {counts['red']} red"
        )
    return lines


def graded_line(closing: Closing) -> str:
    """``graded 30 of 34 KRs; ungraded (no data): a, b``."""
    line = f"graded {closing.graded} of {plural(closing.total, 'KR')}"
    if closing.ungraded:
        line += "; ungraded (no data): " + ", ".join(k.id for k in closing.ungraded)
    return line


def headline(closing: Closing) -> str:
    p = closing.period
    return (
        f"{closing.org or 'okr'}: {period_name(p)} graded as of {closing.as_of} — "
        f"grade {grade_text(closing.grade)} ({closing.band or UNGRADED})"
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
            title=f"{team.name} ({team.team}): {grade_text(team.grade)} {team.band or UNGRADED}",
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
            band = band_text(o.band, o.dropped)
            table.add_row(
                Text(o.id, style="bold"),
                grade_text(o.grade),
                Text(band, style=BAND_STYLES.get(band, "dim")),
                objective_note(o),
            )
            for k in o.key_results:
                weight = f" ×{num(k.weight)}" if k.weight != 1 else ""
                band = band_text(k.band, k.dropped)
                table.add_row(
                    f"  {k.id}{weight}",
                    grade_text(k.grade),
                    Text(band, style=BAND_STYLES.get(band, "dim")),
                    kr_result(k),
                )
        con.print()
        con.print(table)
    con.print()
    con.print(graded_line(closing))
    for line in distribution_lines(closing):
        con.print(line)


def render_markdown(closing: Closing) -> str:
    lines = [f"### {headline(closing)}", ""]
    for team in closing.teams:
        lines += [
            f"#### {md_cell(team.name)} (`{team.team}`): {grade_text(team.grade)} "
            f"{team.band or UNGRADED}",
            "",
        ]
        lines += ["| objective / key result | grade | band | result |", "|---|---:|---|---|"]
        for o in team.objectives:
            lines.append(
                f"| **{o.id}** {md_cell(o.title)} | {grade_text(o.grade)} | "
                f"{band_text(o.band, o.dropped)} | {md_cell(objective_note(o))} |"
            )
            for k in o.key_results:
                weight = f" ×{num(k.weight)}" if k.weight != 1 else ""
                lines.append(
                    f"| ↳ `{k.id}`{weight} {md_cell(k.title)} | {grade_text(k.grade)} | "
                    f"{band_text(k.band, k.dropped)} | {md_cell(kr_result(k))} |"
                )
        lines.append("")
    lines.append(f"- {graded_line(closing)}")
    lines += [f"- {line}" for line in distribution_lines(closing)]
    return "\n".join(line.replace("\n", " ") for line in lines) + "\n"


def render_json(closing: Closing) -> str:
    return json.dumps(closing.to_data(), indent=2, ensure_ascii=False) + "\n"
