"""``okr report``'s static site: the dashboard's data laid out as HTML pages.

``write_site(data, out_dir)`` writes an overview (``index.html``), the alignment tree
(``tree.html``), a page per team (``teams/ID.html``), per key result (``kr/ID.html``) and
per KPI (``kpi/ID.html``), and one stylesheet (``assets/report.css``).  The pages are
rendered by Jinja2 with autoescaping (whatever a user wrote shows as text), the many pages
of key results and KPIs by ``okrcli.render.html.detail`` in the frame of the same
``base.html``, escaping as autoescaping does.  The pages link to each other by relative
paths, load nothing but that stylesheet, and carry a Content-Security-Policy that forbids
every other load: the site opens from ``file://`` or any static host with no network.
The charts are inline SVG (``okrcli.render.html.svg``).

The folder is okr's only while it holds the marker file ``.okr-report`` (which lists the
files written): ``prepare_out_dir`` refuses a non-empty folder without it, so okr never
clobbers a user's files, and a new report replaces the files of the previous one.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import stat
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2
from markupsafe import Markup

from okrcli import dashboard as dash
from okrcli.dashboard import Dashboard
from okrcli.errors import InputError
from okrcli.grading import ObjectiveGrade
from okrcli.render.html import figures, svg
from okrcli.render.html.svg import esc
from okrcli.render.scorecard import kpi_target, kr_percent, kr_values, progress_of_period
from okrcli.render.text import DASH, grade_text, num, pct, status_word, when, with_unit
from okrcli.views import KRRow, ObjectiveRow

HERE = Path(__file__).resolve().parent
MARKER = ".okr-report"
STYLESHEET = "assets/report.css"
SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
FOLDERS = ("teams", "kr", "kpi", "assets")
# what a marker may list: the only paths okr ever deletes in a report folder
OWN_FILE = re.compile(
    r"^(?:index\.html|tree\.html|(?:teams|kr|kpi)/[a-z0-9][a-z0-9._-]*\.html|assets/report\.css)$"
)
CSP = (
    "default-src 'none'; style-src 'self' file:; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'"
)

ICONS = {
    "done": "✔",
    "on_track": "●",
    "at_risk": "▲",
    "off_track": "✖",
    "no_data": "○",
    "green": "●",
    "yellow": "▲",
    "red": "✖",
}
REASON_TITLES = {
    dash.RED_UNADDRESSED: "Red KPIs that no key result addresses",
    dash.DECLINING_UNADDRESSED: "KPIs getting worse that no key result addresses",
    dash.OFF_TRACK: "Key results off track",
    dash.STALE: "Overdue check-ins: stale KPIs",
    dash.NO_VALUE: "Never measured",
}
REASON_SHORT = {
    dash.RED_UNADDRESSED: "red KPIs, unaddressed",
    dash.DECLINING_UNADDRESSED: "declining KPIs, unaddressed",
    dash.OFF_TRACK: "KRs off track",
    dash.STALE: "stale KPIs",
    dash.NO_VALUE: "never measured",
}
OBJECTIVE_STATUSES = ("done", "on_track", "at_risk", "off_track", "no_data")
KPI_STATUSES = ("green", "yellow", "red", "no_data")


def badge(status: str | None) -> Markup:
    """A status as a word with an icon (the colour only repeats them)."""
    found = BADGES.get(status or "")
    if found is not None:
        return found
    if status is None:
        return Markup('<span class="muted">no target</span>')
    return Markup('<span class="badge">{}</span>').format(status_word(status))


BADGES = {
    status: Markup(
        f'<span class="badge s-{status}"><span class="icon" aria-hidden="true">{icon}</span>'
        f"{status_word(status)}</span>"
    )
    for status, icon in ICONS.items()
}


class SiteError(InputError):
    """The output folder cannot take the report (exit 1)."""


def why(a: dash.Attention) -> str:
    """Why an item needs attention, with its figures: "1335 k$, target ≥1500 k$: red"."""
    if a.kpi is not None:
        k = a.kpi
        figures_ = f"{with_unit(k.value, k.unit)}, target {kpi_target(k)}"
        if a.reason == dash.RED_UNADDRESSED:
            return f"{figures_}: red"
        if a.reason == dash.DECLINING_UNADDRESSED:
            return f"{figures_}: worse three values running"
        if a.reason == dash.STALE:
            updated = DASH if k.updated is None else (k.updated_day or k.updated.date()).isoformat()
            return f"last value {updated}, measured {k.cadence}"
        return f"no value yet (target {kpi_target(k)})"
    assert a.kr is not None
    r = a.kr
    if a.reason == dash.NO_VALUE:
        return f"no check-in yet ({kr_values(r)})"
    return f"{kr_values(r)}: {kr_percent(r)} against {pct(r.expected)} expected"


def page_name(kind: str, id_: str) -> str:
    """The site-relative path of a team, KR or KPI page; ids are checked, never trusted."""
    if kind not in ("teams", "kr", "kpi") or not SAFE_ID.fullmatch(id_ or ""):
        raise ValueError(f"not a page of the report: {kind}/{id_}")
    return f"{kind}/{id_}.html"


def kr_row(k: KRRow, root: str) -> Markup:
    """A key result's row on its team's page: title, figures, bar, status.  Written here
    rather than as a template macro: a large organisation has thousands of them."""
    sub = f"<code>{esc(k.id)}</code> · {esc(kr_values(k))}"
    if k.owner:
        sub += f" · {esc(k.owner)}"
    if k.confidence is not None:
        sub += f" · confidence {esc(num(k.confidence))}"
    updated = "no value" if not k.updated else esc((k.updated_day or k.updated.date()).isoformat())
    return Markup(
        '<li class="row">\n<div class="what">\n'
        f'<div class="title"><a href="{esc(root)}{page_name("kr", k.id)}">{esc(k.title)}</a>'
        f'</div>\n<div class="sub">{sub}</div>\n</div>\n'
        f'<div class="barcell">{figures.kr_bar(k)}</div>\n'
        f'<div class="figure"><b>{esc(kr_percent(k))}</b>{updated}</div>\n'
        f'<div class="status">{badge(k.status)}</div>\n</li>'
    )


def objective_row(
    o: ObjectiveRow, root: str, link_title: bool = True, grade: ObjectiveGrade | None = None
) -> Markup:
    """An objective's row (on the overview and its team's page): title, what it is made
    of, bar, progress against the pace, status, and its final grade once graded."""
    title = esc(o.title)
    if link_title:
        title = f'<a href="{esc(root)}{page_name("teams", o.team)}#o-{esc(o.id)}">{title}</a>'
    sub = f"<code>{esc(o.id)}</code>"
    if o.owner:
        sub += f" · {esc(o.owner)}"
    if o.key_results:
        n = len(o.key_results)
        sub += f" · {n} key result{'s' if n != 1 else ''}"
    elif o.rolled_up_from:
        sub += f" · rolls up from {len(o.rolled_up_from)}"
    else:
        sub += " · no key results"
    if grade:
        sub += f" · final grade <b>{esc(grade_text(grade.grade))}</b> ({esc(str(grade.band))})"
    return Markup(
        f'<div class="row">\n<div class="what">\n<div class="title">{title}</div>\n'
        f'<div class="sub">{sub}</div>\n</div>\n'
        f'<div class="barcell">{figures.kr_bar(o)}</div>\n'
        f'<div class="figure"><b>{esc(pct(o.progress))}</b>expected {esc(pct(o.expected))}'
        f'</div>\n<div class="status">{badge(o.status)}</div>\n</div>'
    )


# --- the output folder ---------------------------------------------------------------------


def prepare_out_dir(out: Path) -> list[str]:
    """Check that ``out`` may take a report; return the files of the previous report in it
    (to replace).  Refuses (``SiteError``) a file, or a non-empty folder okr did not write."""
    if out.is_symlink() and not out.exists():
        raise SiteError(f"{out} is a broken symbolic link; choose another --out folder")
    if out.exists() and not out.is_dir():
        raise SiteError(f"{out} exists and is not a folder; choose another --out folder")
    if not out.exists():
        return []
    marker = out / MARKER
    entries = [p.name for p in out.iterdir()]
    if not entries:
        return []
    if not marker.is_file() or marker.is_symlink():
        raise SiteError(
            f"{out} is not empty and holds no okr report (no {MARKER} file); okr writes a "
            "report only into a new or empty folder, or over an earlier report: choose "
            "another --out folder"
        )
    for folder in FOLDERS:
        sub = out / folder
        if sub.is_symlink() or (sub.exists() and not sub.is_dir()):
            raise SiteError(f"{sub} is not a plain folder; okr does not write through it")
    try:
        listed = json.loads(marker.read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError):
        listed = []
    return [f for f in listed if isinstance(f, str) and OWN_FILE.fullmatch(f)]


def _write_new(path: Path, data: bytes) -> None:
    """Create ``path`` exclusively (never through an existing file or link)."""
    with open(path, "xb") as f:
        f.write(data)


# --- rendering -----------------------------------------------------------------------------


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["grade"] = grade_text  # 0.00 … 1.00, half up; a dash when ungraded
    env.globals.update(
        csp=CSP,
        badge=badge,
        kpi_badge=badge,
        kr_row=kr_row,
        objective_row=objective_row,
        icons=ICONS,
        reason_titles=REASON_TITLES,
        reason_short=REASON_SHORT,
        why=why,
        num=num,
        pct=pct,
        when=when,
        with_unit=with_unit,
        status_word=status_word,
        kr_values=kr_values,
        kr_percent=kr_percent,
        kpi_target=kpi_target,
        dash=DASH,
        day=lambda m: DASH if m is None else m.date().isoformat(),
        bar=figures.kr_bar,
        spark=figures.kpi_spark,
        stacked=svg.stacked_bar,
        page=page_name,
        short_day=figures.short_day,
        approx=figures.approx,
        shows_forecast=figures.shows_forecast,
        count_words=lambda counts: (
            ", ".join(f"{n} {status_word(s)}" for s, n in counts if n) or "none"
        ),
        band_words=lambda k: figures.band_words(
            k.direction, k.target, k.red, k.unit, k.min, k.max, k.tolerance
        ),
    )
    return env


def _counts(statuses: list[str | None], order: tuple[str, ...]) -> list[tuple[str, int]]:
    return [(s, sum(1 for x in statuses if x == s)) for s in order]


@dataclass(frozen=True)
class Page:
    path: str  # relative to the site's folder
    render: Callable[[], str]  # its HTML, made when the page is written


def pages(data: Dashboard, env: jinja2.Environment) -> list[Page]:
    """Every page of the site; a page is made only when it is written, so the site is
    never held in memory whole.  The overview, the tree and the team pages are rendered
    by their templates; the pages of the key results and KPIs, nearly all of a large
    site, by ``okrcli.render.html.detail`` in the frame of ``base.html``."""
    from okrcli.render.html import detail

    card = data.scorecard
    krs = [k for o in card.objectives for k in o.key_results]
    common = {
        "d": data,
        "card": card,
        "period_words": progress_of_period(card),
        "team_ids": {t.id for t in data.teams},
        "kr_ids": {k.row.id for k in data.key_results},
        "kpi_ids": {k.row.id for k in data.kpis},
    }
    period_bar = svg.progress_bar(
        card.elapsed, None, "period", f"{pct(card.elapsed)} of the period has run"
    )
    templates: dict[str, jinja2.Template] = {}

    def rendered(name: str, context: Callable[[], dict[str, Any]]) -> Callable[[], str]:
        def render() -> str:
            template = templates.get(name)
            if template is None:
                template = templates[name] = env.get_template(name)
            return template.render(context())

        return render

    def overview() -> dict[str, Any]:
        return {
            **common,
            "root": "",
            "here": "overview",
            "period_bar": period_bar,
            "objective_counts": _counts([o.status for o in card.objectives], OBJECTIVE_STATUSES),
            "kr_counts": _counts([k.status for k in krs], OBJECTIVE_STATUSES),
            "kpi_counts": _counts([k.status for k in card.kpis], KPI_STATUSES),
            "kr_total": len(krs),
            "attention_groups": [
                (reason, [a for a in data.attention if a.reason == reason])
                for reason in dash.REASONS
            ],
            "names": {t.id: t.name for t in data.teams},
        }

    def tree() -> dict[str, Any]:
        return {**common, "root": "", "here": "tree", "period_bar": period_bar}

    def team(t: dash.TeamPage) -> Callable[[], dict[str, Any]]:
        return lambda: {**common, "root": "../", "here": "team", "team": t}

    details = detail.Pages(data, env, common, page_name, badge)

    def kr(k: dash.KRDetail) -> Callable[[], str]:
        return lambda: details.kr(k)

    def kpi(k: dash.KPIDetail) -> Callable[[], str]:
        return lambda: details.kpi(k)

    return [
        Page("index.html", rendered("overview.html", overview)),
        Page("tree.html", rendered("tree.html", tree)),
        *(Page(page_name("teams", t.id), rendered("team.html", team(t))) for t in data.teams),
        *(Page(page_name("kr", k.row.id), kr(k)) for k in data.key_results),
        *(Page(page_name("kpi", k.row.id), kpi(k)) for k in data.kpis),
    ]


#: create a file anew, never through an existing file or link (as ``_write_new``)
NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
#: open an existing file to rewrite it, never through a link (nor waiting on a pipe)
REWRITE = os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
#: whether a page of the previous report may be rewritten in place (see ``_open_page``)
IN_PLACE = hasattr(os, "O_NOFOLLOW")


def _remove(path: str) -> None:
    """Remove the file or link at ``path``, if any; never a folder."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISLNK(mode) or stat.S_ISREG(mode):
        os.unlink(path)


def _open_page(path: str) -> int:
    """A descriptor to write the page ``path`` into.  The previous report's page there is
    emptied and rewritten in place when it is a plain file that has no other name (no
    link, no second hard link: nothing is ever written through to another file);
    anything else there is removed and the page created anew.  Rewriting spares the file
    system the removal and creation of thousands of files, which costs ext4, for one, ten
    times more than writing them."""
    if IN_PLACE:
        try:
            fd = os.open(path, REWRITE)
        except FileNotFoundError:
            pass
        except OSError:  # a link (ELOOP), a folder, …: as below
            _remove(path)
        else:
            info = os.fstat(fd)
            if stat.S_ISREG(info.st_mode) and info.st_nlink == 1:
                os.ftruncate(fd, 0)
                return fd
            os.close(fd)
            _remove(path)
    return os.open(path, NEW_FILE, 0o666)


def _render(todo: list[Page], out_dir: Path) -> None:
    folder = os.fspath(out_dir)
    for page in todo:
        data = memoryview(page.render().encode("utf-8"))
        fd = _open_page(os.path.join(folder, page.path))
        try:
            while data:
                data = data[os.write(fd, data) :]
        finally:
            os.close(fd)


def workers(pages: int) -> int:
    """How many processes render a site of ``pages`` pages: one per core (at most 4) for a
    large site on Linux, where a forked process shares the loaded data for free; else one.
    Never from a process that runs threads (forking one is unsafe)."""
    if sys.platform != "linux" or pages < 1000 or threading.active_count() > 1:
        return 1
    return max(1, min(4, len(os.sched_getaffinity(0))))


def write_site(data: Dashboard, out_dir: Path, processes: int | None = None) -> list[Path]:
    """Write the report of ``data`` into ``out_dir`` (created if missing); return the files
    written.  Files of an earlier report there are replaced; nothing else is touched.
    ``processes``: how many render the pages (default: see ``workers``)."""
    old = prepare_out_dir(out_dir)
    todo = pages(data, environment())
    names = [p.path for p in todo] + [STYLESHEET]
    for name in names:  # every path is one of ours, inside the folder
        if not OWN_FILE.fullmatch(name) or ".." in PurePosixPath(name).parts:
            raise ValueError(f"refusing to write {name!r}")

    out_dir.mkdir(parents=True, exist_ok=True)
    for folder in FOLDERS:
        (out_dir / folder).mkdir(exist_ok=True)
    # the previous report's files that this one does not rewrite (``_open_page``)
    pages_ = {p.path for p in todo} if IN_PLACE else set()
    for name in sorted((set(old) | set(names)) - pages_):
        _remove(os.path.join(out_dir, name))
    marker = out_dir / MARKER
    if marker.is_symlink() or marker.exists():
        marker.unlink()
    generator = f"okr {data.version}"
    _write_new(
        marker,
        (json.dumps({"generator": generator, "files": names}, indent=1) + "\n").encode(),
    )

    _write_pages(todo, out_dir, processes or workers(len(todo)))
    css = out_dir / STYLESHEET
    _write_new(css, (HERE / "static" / "report.css").read_bytes())
    return [marker, *(out_dir / p.path for p in todo), css]


def _write_pages(todo: list[Page], out_dir: Path, n: int) -> None:
    if n == 1:
        _render(todo, out_dir)
    else:  # the same work split in n interleaved shares, one per process
        sys.stdout.flush()
        sys.stderr.flush()
        fork = multiprocessing.get_context("fork")
        helpers = [
            fork.Process(target=_render, args=(todo[k::n], out_dir), daemon=True)
            for k in range(1, n)
        ]
        for helper in helpers:
            helper.start()
        _render(todo[0::n], out_dir)
        for helper in helpers:
            helper.join()
        failed = [h.exitcode for h in helpers if h.exitcode != 0]
        if failed:
            raise OSError(f"writing the report failed in a helper process (exit {failed[0]})")
