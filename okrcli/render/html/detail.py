"""The pages of the key results and KPIs, written straight from Python.

They are nearly all of a report's pages (8,920 of the 9,343 of the scale-1 benchmark
organisation), all alike, so they are not rendered by Jinja2 one by one: the frame every
page shares (``templates/base.html``: head, navigation, footer) is rendered by Jinja2 once
per kind of page, with markers where a page's own parts go, and each page then fills those
parts in here.  That is the same HTML, byte for byte, at a fraction of the cost per page
(a template's expressions, lookups and escapes cost more than the page's own text).

Everything a user wrote is escaped here by ``esc``, as Jinja2's autoescaping would
(``markupsafe.escape``: ``& < > ' "``); ``Markup`` (badges, charts) goes in as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import jinja2
from markupsafe import Markup

from okrcli.dashboard import Dashboard, KPIDetail, KRDetail
from okrcli.render.html import figures
from okrcli.render.html.svg import esc
from okrcli.render.scorecard import kpi_target
from okrcli.render.text import DASH, num, with_unit

# where a page's own parts go in the frame (characters no text of a page can hold)
TITLE, CRUMBS, HEAD, MAIN = "\x00title\x00", "\x00crumbs\x00", "\x00head\x00", "\x00main\x00"
FRAME = (
    '{% extends "base.html" %}'
    f"{{% block title %}}{TITLE}{{% endblock %}}"
    f"{{% block crumbs %}}{CRUMBS}{{% endblock %}}"
    f"{{% block head %}}{HEAD}{{% endblock %}}"
    f"{{% block main %}}{MAIN}{{% endblock %}}"
)

VALUES_KEY = (
    '<li><svg aria-hidden="true" viewBox="0 0 26 10"><line class="values" x1="1" x2="25" '
    'y1="5" y2="5"/></svg>values</li>\n'
)
TARGET_KEY = (
    '<li><svg aria-hidden="true" viewBox="0 0 26 10"><line class="target" x1="1" x2="25" '
    'y1="5" y2="5"/></svg>target</li>\n'
)
PACE_KEY = (
    '<li><svg aria-hidden="true" viewBox="0 0 26 10"><line class="pace" x1="1" x2="25" '
    'y1="5" y2="5"/></svg>expected pace, start to target</li>\n'
)
FORECAST_KEY = (
    '<li><svg aria-hidden="true" viewBox="0 0 26 10"><line class="forecast" x1="1" x2="25" '
    'y1="5" y2="5"/></svg>forecast (least-squares line)</li>'
)
KEEP_KEYS = (
    '<li><span class="swatch green" aria-hidden="true"></span>holds</li><li><span '
    'class="swatch red" aria-hidden="true"></span>misses</li>\n'
)
CHART_OPEN = (
    '<section class="card chart-box" aria-labelledby="chart-h">\n'
    '<h2 id="chart-h" class="visually-hidden">Chart</h2>\n'
    '<div class="scroll">'
)
NO_VALUES = '<p class="empty">No check-ins yet.</p>\n'


def html(value: object) -> str:
    """What ``{{ value }}`` writes: ``Markup`` as it is, anything else as escaped text."""
    if isinstance(value, Markup):
        return str(value)
    return esc(str(value))


class Frame:
    """The shared frame of the pages of one kind, split where a page's parts go."""

    def __init__(self, template: jinja2.Template, context: dict[str, Any]) -> None:
        text = template.render(context)
        head, rest = text.split(TITLE)
        self.start = head
        self.title_end, rest = rest.split(CRUMBS)
        self.crumbs_end, rest = rest.split(HEAD)
        self.head_end, self.end = rest.split(MAIN)

    def page(self, title: str, crumbs: str, head: str, main: str) -> str:
        return (
            "".join(
                [
                    self.start,
                    title,
                    self.title_end,
                    crumbs,
                    self.crumbs_end,
                    head,
                    self.head_end,
                    main,
                ]
            )
            + self.end
        )


def _timeline(entries: list[figures.Entry], with_confidence: bool = True) -> str:
    if not entries:
        return NO_VALUES
    out = ['<ol class="timeline" reversed>\n']
    for e in entries:
        confidence = (
            f' <span class="muted">· confidence {esc(e.confidence)}</span>'
            if e.confidence and with_confidence
            else ""
        )
        out.append(
            f'<li><div class="when">{esc(e.when)}</div><div><span class="value">'
            f"{esc(e.value)}</span>{confidence}</div>"
            f'<p class="note">{esc(e.note)}</p></li>\n'
        )
    out.append("</ol>\n")
    return "".join(out)


def _day(moment: datetime | None) -> str:
    return DASH if moment is None else moment.date().isoformat()


class Pages:
    """Writes the KR and KPI pages of ``data``; ``environment`` holds ``base.html``."""

    def __init__(
        self,
        data: Dashboard,
        environment: jinja2.Environment,
        common: dict[str, Any],
        page: Callable[[str, str], str],
        badge: Callable[[str | None], Markup],
    ) -> None:
        self.data = data
        self.page_name = page
        self.badge = badge
        self.kpi_ids: set[str] = common["kpi_ids"]
        frame = environment.from_string(FRAME)
        self.kr_frame = Frame(frame, {**common, "root": "../", "here": "kr"})
        self.kpi_frame = Frame(frame, {**common, "root": "../", "here": "kpi"})
        period = esc(str(data.scorecard.period))
        self.kr_eyebrow = f'<p class="eyebrow">Key result · {period}</p>\n'

    # --- a key result ----------------------------------------------------------------------

    def kr(self, k: KRDetail) -> str:
        r = k.row
        entries = figures.timeline(k.points, r.unit, r.type == "milestone")
        chart = figures.kr_chart(k, self.data.as_of, entries)
        team = f"../{self.page_name('teams', k.team.id)}"
        crumbs = (
            '<p class="crumbs"><a href="../index.html">Overview</a><span aria-hidden="true">›'
            f'</span><a href="{team}">{esc(k.team.name)}</a><span aria-hidden="true">›</span>'
            f'<a href="{team}#o-{esc(k.objective.id)}">{esc(k.objective.title)}</a></p>\n'
        )
        meta = f"<code>{esc(r.id)}</code> · {esc(r.type.replace('_', ' '))}"
        if r.owner:
            meta += f" · owner {esc(r.owner)}"
        if r.weight != 1:
            meta += f" · weight {esc(num(r.weight))}"
        if r.kpi:
            if r.kpi in self.kpi_ids:
                link = f'<a href="../{self.page_name("kpi", r.kpi)}">{esc(r.kpi)}</a>'
            else:
                link = f"<code>{esc(r.kpi)}</code>"
            meta += f" · values from KPI {link}"
        title = esc(r.title)
        head = f'{self.kr_eyebrow}<h1>{title}</h1>\n<p class="meta">{meta}</p>\n'
        facts = "".join(
            f"<div><dt>{esc(f.label)}</dt><dd>{html(f.value)}"
            + (f'<span class="sub">{esc(f.sub)}</span>' if f.sub else "")
            + "</dd></div>\n"
            for f in figures.kr_facts(k, self.badge)
        )
        keys = [VALUES_KEY]
        keys.append(KEEP_KEYS if r.type in ("keep_above", "keep_below") else PACE_KEY)
        keys.append(TARGET_KEY)
        if figures.shows_forecast(k):
            keys.append(FORECAST_KEY)
        main = "".join(
            (
                '<section class="card" aria-label="Where it stands">\n<dl class="facts">\n',
                facts,
                "</dl>\n</section>\n",
                CHART_OPEN,
                str(chart),
                '</div>\n<ul class="legend" aria-label="Legend">\n',
                *keys,
                "</ul>\n</section>\n",
                '<section aria-labelledby="checkins-h">\n<h2 id="checkins-h">Check-ins</h2>\n'
                '<div class="card">\n',
                _timeline(entries),
                "</div>\n</section>\n",
            )
        )
        return self.kr_frame.page(title, crumbs, head, main)

    # --- a KPI -----------------------------------------------------------------------------

    def kpi(self, k: KPIDetail) -> str:
        r = k.row
        entries = figures.timeline(k.points, r.unit)
        chart = figures.kpi_chart(k, self.data.as_of, entries)
        crumbs = (
            '<p class="crumbs"><a href="../index.html">Overview</a><span aria-hidden="true">›'
            '</span><a href="../index.html#kpis">KPIs</a>'
        )
        if k.team:
            crumbs += (
                f'<span aria-hidden="true">›</span><a href="../'
                f'{self.page_name("teams", k.team.id)}">{esc(k.team.name)}</a>'
            )
        crumbs += "</p>\n"
        meta = f"<code>{esc(r.id)}</code>"
        if r.owner:
            meta += f" · owner {esc(r.owner)}"
        better = "higher" if r.direction == "up" else "lower"
        meta += f" · {better} is better · measured {esc(str(r.cadence))}"
        title = esc(r.title)
        head = f'<p class="eyebrow">KPI</p>\n<h1>{title}</h1>\n<p class="meta">{meta}</p>\n'
        facts = [
            f"<div><dt>Status</dt><dd>{self.badge(r.status)}</dd></div>\n",
            f"<div><dt>Latest value</dt><dd>{esc(with_unit(r.value, r.unit))}"
            f'<span class="sub">{esc(_day(r.updated))}{" · ▲ stale" if r.stale else ""}'
            "</span></dd></div>\n",
            f"<div><dt>Target</dt><dd>{esc(kpi_target(r))}</dd></div>\n",
        ]
        if r.red is not None:
            sign = "&lt;" if r.direction == "up" else "&gt;"
            facts.append(f"<div><dt>Red</dt><dd>{sign}{esc(with_unit(r.red, r.unit))}</dd></div>")
        facts.append("<div><dt>Addressed</dt><dd>")
        if k.linked:
            facts.append(
                ", ".join(
                    f'<a href="../{self.page_name("kr", kr.id)}">{esc(kr.id)}</a>'
                    for kr in k.linked
                )
            )
        elif r.addressed:
            facts.append("by a KR")
        else:
            facts.append("no")
            if r.needs_attention:
                facts.append('<span class="sub">▲ needs attention</span>')
        trend = "▼ worse three values running" if r.declining else f"last {len(r.trend)} values"
        facts.append(
            "</dd></div>\n"
            f'<div><dt>Trend</dt><dd>{figures.kpi_spark(r)}<span class="sub">{trend}</span>'
            "</dd></div>\n"
        )
        keys = [VALUES_KEY]
        if r.target is not None:
            keys.append(TARGET_KEY[:-1])  # (no line break after it in the template)
        words = figures.band_words(r.direction, r.target, r.red, r.unit, r.min, r.max, r.tolerance)
        keys.append(
            "".join(
                f'<li><span class="swatch {esc(status)}" aria-hidden="true"></span>{esc(text)}</li>'
                for status, text in words.items()
            )
        )
        main = "".join(
            (
                '<section class="card" aria-label="Where it stands">\n<dl class="facts">\n',
                *facts,
                "</dl>\n</section>\n",
                CHART_OPEN,
                str(chart),
                '</div>\n<ul class="legend" aria-label="Legend">\n',
                *keys,
                "</ul>\n</section>\n",
                '<section aria-labelledby="checkins-h">\n<h2 id="checkins-h">Values</h2>\n'
                '<div class="card">',
                _timeline(entries),
                "</div>\n</section>\n",
            )
        )
        return self.kpi_frame.page(title, crumbs, head, main)
