"""``okr report`` opened in a real browser: headless Chromium, driven by Playwright.

The site is opened from ``file://`` as a user would.  The tests check that the pages load
with no console error and no request outside the site, that the stylesheet applies under
the Content-Security-Policy, that every objective and a chart render, that a title written
as ``<script>`` shows as text and runs nothing, and that the layout holds on a phone, in
the dark and on paper.  A screenshot of the overview is kept as a test artifact in
``build/test-artifacts/report-overview.png``.

The browser is the system's Chromium (``OKR_CHROMIUM``, else ``chromium``,
``chromium-browser`` or ``google-chrome`` on the PATH); Playwright never downloads one.
Without a browser the tests are skipped, saying why.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("jinja2")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "acme"
AS_OF = "2026-11-22"  # the date the bundled example is written for
ARTIFACTS = REPO / "build" / "test-artifacts"
XSS = "<script>alert(1)</script>"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def find_chromium() -> str | None:
    given = os.environ.get("OKR_CHROMIUM")
    if given:
        return given
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium found (install Debian's 'chromium' package or set OKR_CHROMIUM)",
)


def build(out: Path, root: Path, *args: str) -> Path:
    from typer.testing import CliRunner

    from okrcli.cli import app

    result = CliRunner().invoke(
        app, ["report", "--root", str(root), "--as-of", AS_OF, "--out", str(out), *args]
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("browser")
    hostile = write_tree(
        base / "hostile",
        {
            "okr.yaml": "version: 1\norg: Test Org\nteams:\n  platform: {name: Platform}\n",
            "okrs/2026-Q4/platform.yaml": (
                "team: platform\nobjectives:\n"
                f"  - id: xss\n    title: '{XSS}'\n    owner: '<img src=x onerror=alert(3)>'\n"
                "    key_results:\n"
                f"      - {{id: k, title: '{XSS}', start: 0, target: 10}}\n"
            ),
            "checkins/2026-11.yaml": (
                f'- {{at: "2026-11-01", id: k, value: 4, note: "{XSS}"}}\n'
                '- {at: "2026-11-08", id: k, value: 5}\n'
            ),
        },
    )
    return {
        "acme": build(base / "acme", EXAMPLE),
        "q3": build(base / "q3", EXAMPLE, "--period", "2026-Q3"),
        "hostile": build(base / "hostile-site", hostile),
    }


class Watched:
    """A page with everything it reported: console messages, errors, requests, dialogs."""

    def __init__(self, page: Any, site: Path) -> None:
        self.page, self.site = page, site.resolve()
        self.console: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def open(self, rel: str) -> Any:
        self.page.goto((self.site / rel).as_uri())
        self.page.wait_for_load_state("load")
        return self.page

    def check_clean(self) -> None:
        bad = [c for c in self.console if c.startswith(("error", "warning"))]
        assert bad == [], bad
        assert self.errors == []
        assert self.dialogs == []
        outside = [u for u in self.requests if not u.startswith(self.site.as_uri() + "/")]
        assert outside == [], outside


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        found = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield found
        found.close()


@pytest.fixture
def open_site(browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def make(site: Path, **options: Any) -> Watched:
        context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
        contexts.append(context)
        return Watched(context.new_page(), site)

    yield make
    for context in contexts:
        context.close()


def test_every_page_kind_loads_clean_from_file_urls(sites, open_site):
    watched = open_site(sites["acme"])
    for rel in (
        "index.html",
        "tree.html",
        "teams/platform.html",
        "kr/p99-latency.html",
        "kr/runbooks.html",
        "kpi/api-uptime.html",
    ):
        page = watched.open(rel)
        # the stylesheet loaded under the Content-Security-Policy and applies
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == (
            "rgb(245, 246, 248)"
        ), rel
    watched.check_clean()
    assert any(u.endswith("/assets/report.css") for u in watched.requests)


def test_overview_shows_every_objective_and_takes_a_screenshot(sites, open_site):
    from datetime import date

    from okrcli.dashboard import build_dashboard
    from okrcli.loader import load_workspace
    from okrcli.periods import parse_period

    day = date.fromisoformat(AS_OF)
    card = build_dashboard(load_workspace(EXAMPLE, today=day), parse_period("2026-Q4"), day)
    watched = open_site(sites["acme"])
    page = watched.open("index.html")
    for objective in card.scorecard.objectives:
        link = page.get_by_role("link", name=objective.title, exact=True)
        assert link.count() == 1 and link.is_visible(), objective.title
    bars = page.locator("svg.bar")
    assert bars.count() >= len(card.scorecard.objectives)
    box = bars.first.bounding_box()
    assert box is not None and box["width"] > 50 and box["height"] > 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "report-overview.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    watched.check_clean()


def test_a_chart_renders_with_its_text_alternative(sites, open_site):
    watched = open_site(sites["acme"])
    page = watched.open("kr/p99-latency.html")
    chart = page.locator("svg.chart")
    box = chart.bounding_box()
    assert box is not None and box["width"] > 400 and box["height"] > 100
    line = page.locator("svg.chart polyline.values").bounding_box()
    assert line is not None and line["width"] > 100 and line["height"] > 10
    assert page.locator("svg.chart circle.dot").count() == 4
    name = page.evaluate(
        "document.getElementById(document.querySelector('svg.chart')"
        ".getAttribute('aria-labelledby').split(' ')[0]).textContent"
    )
    assert name == "Cut API p99 latency: values from 2026-10-01 to 2026-12-31"
    sparkline = watched.open("kpi/api-uptime.html").locator("svg.spark").bounding_box()
    assert sparkline is not None and sparkline["width"] > 0
    watched.check_clean()


def test_what_users_wrote_shows_as_text_and_runs_nothing(sites, open_site):
    watched = open_site(sites["hostile"])
    for rel in ("index.html", "kr/k.html", "teams/platform.html", "tree.html"):
        page = watched.open(rel)
        assert page.locator("script").count() == 0
        assert page.locator("img").count() == 0
        assert XSS in page.inner_text("body"), rel
    kr = watched.open("kr/k.html")
    assert kr.inner_text("h1") == XSS
    assert XSS in kr.inner_text(".timeline")  # the note
    watched.check_clean()  # no dialog: nothing ran


def test_the_tree_folds_without_scripts(sites, open_site):
    watched = open_site(sites["acme"], java_script_enabled=False)
    page = watched.open("tree.html")
    first = page.locator("details").first
    assert first.get_attribute("open") == ""
    assert page.get_by_text("Make the platform boringly reliable").is_visible()
    first.locator("summary").first.click(position={"x": 5, "y": 5})
    assert first.get_attribute("open") is None
    assert not page.get_by_text("Make the platform boringly reliable").is_visible()
    watched.check_clean()


def test_phone_dark_and_print(sites, open_site):
    phone = open_site(sites["acme"], viewport={"width": 390, "height": 844}, color_scheme="dark")
    page = phone.open("index.html")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(15, 19, 24)"
    chart_page = phone.open("kr/p99-latency.html")
    assert chart_page.evaluate("document.documentElement.scrollWidth") <= 390  # chart scrolls
    phone.check_clean()

    paper = open_site(sites["acme"])
    page = paper.open("index.html")
    page.emulate_media(media="print")
    assert page.locator("nav.site").is_hidden()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") in (
        "rgb(255, 255, 255)",
    )
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    paper.check_clean()


def test_a_closed_period_shows_its_grades(sites, open_site):
    watched = open_site(sites["q3"])
    page = watched.open("index.html")
    assert page.get_by_role("heading", name="Final grades").is_visible()
    assert page.inner_text(".grade-big") == "0.84"
    watched.check_clean()
