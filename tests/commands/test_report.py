"""``okr report``: the static site, through the real command line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytest.importorskip("jinja2")

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "acme"
AS_OF = "2026-11-22"  # the date the bundled example is written for
XSS = "<script>alert(1)</script>"


def report(okr, root: Path, out: Path, *args: str):
    return okr("report", "--root", str(root), "--as-of", AS_OF, "--out", str(out), *args)


class Links(HTMLParser):
    """Every URL a page refers to, and its Content-Security-Policy."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.csp: str | None = None
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "meta" and found.get("http-equiv") == "Content-Security-Policy":
            self.csp = found.get("content")
        for key in ("href", "src", "action", "srcset", "data", "poster"):
            if found.get(key):
                self.urls.append(found[key] or "")


def links(page: Path) -> Links:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The bundled example's report, written once for the tests that only read it."""
    from typer.testing import CliRunner

    from okrcli.cli import app

    out = tmp_path_factory.mktemp("site") / "okr-report"
    result = CliRunner().invoke(
        app, ["report", "--root", str(EXAMPLE), "--as-of", AS_OF, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out


def test_writes_the_site_and_says_what(okr, tmp_path):
    out = tmp_path / "site"
    result = report(okr, EXAMPLE, out)
    assert result.exit_code == 0, result
    assert result.stdout == ""
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    assert len(pages) == 2 + 5 + 17 + 13  # overview, tree, teams, KRs, KPIs
    assert {"index.html", "tree.html", "teams/platform.html", "kr/p99-latency.html"} <= set(pages)
    assert (out / "kpi" / "api-uptime.html").is_file()
    assert (out / "assets" / "report.css").is_file()
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    assert re.fullmatch(
        rf"okr: wrote 37 pages to {re.escape(str(out))}/ \({round(size / 1024)} KB\); "
        rf"open {re.escape(str(out / 'index.html'))}\n",
        result.stderr,
    )
    marker = json.loads((out / ".okr-report").read_text(encoding="utf-8"))
    assert marker["generator"].startswith("okr ")
    assert sorted(marker["files"]) == sorted([*pages, "assets/report.css"])


def test_default_folder_is_okr_report(okr, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = okr("report", "--root", str(EXAMPLE), "--as-of", AS_OF)
    assert result.exit_code == 0, result
    assert (tmp_path / "okr-report" / "index.html").is_file()


def test_the_same_input_gives_the_same_site(okr, tmp_path, site):
    out = tmp_path / "again"
    assert report(okr, EXAMPLE, out).exit_code == 0
    for page in site.rglob("*.html"):
        assert (out / page.relative_to(site)).read_bytes() == page.read_bytes(), page


def test_every_link_stays_inside_the_site_and_resolves(site):
    for page in site.rglob("*.html"):
        parsed = links(page)
        assert parsed.scripts == 0
        assert parsed.csp is not None
        for url in parsed.urls:
            assert "://" not in url and not url.startswith("//"), (page, url)
            target = url.split("#")[0]
            if target:
                resolved = (page.parent / target).resolve()
                assert resolved.is_file(), (page, url)
                assert resolved.is_relative_to(site.resolve())


def test_content_security_policy_forbids_remote_loads(site):
    csp = links(site / "index.html").csp or ""
    rules = dict(r.strip().split(" ", 1) for r in csp.split(";") if r.strip())
    assert rules["default-src"] == "'none'"
    assert "http" not in csp and "*" not in csp
    assert "script-src" not in rules  # no scripts at all
    css = (site / "assets" / "report.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css


def test_overview_shows_the_period_teams_objectives_kpis_and_attention(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    for text in (
        "Acme Inc.",
        "2026-Q4",
        "day 53 of 92 (58% elapsed)",
        "Make the platform boringly reliable",
        "Answer customers while they still care",
        "Monthly recurring revenue",
        "Needs attention",
        "Red KPIs that no key result addresses",
        "Key results off track",
        'href="teams/platform.html"',
        'href="kr/sev1-free.html"',
        'href="kpi/mrr.html"',
        'href="tree.html"',
        'href="assets/report.css"',
    ):
        assert text in html, text
    # status is carried by words, never by colour alone
    assert re.search(
        r'class="badge s-at_risk"><span class="icon" aria-hidden="true">▲</span>at risk', html
    )
    assert 'aria-label="progress 35%, expected 58%: at risk"' in html


def test_kr_page_has_its_chart_facts_and_check_ins(site):
    html = (site / "kr" / "p99-latency.html").read_text(encoding="utf-8")
    assert '<svg class="chart"' in html
    assert (
        '<title id="chart-title">Cut API p99 latency: values from 2026-10-01 to 2026-12-31</title>'
        in html
    )
    assert "Start 850 ms on 2026-10-01. 4 values; latest 620 ms on 2026-11-20" in html
    assert ">forecast 416<" in html and ">416 ms<" in html
    assert "cache rollout" in html  # a check-in note
    assert 'href="../teams/platform.html#o-reliable-platform"' in html


def test_kpi_page_has_its_bands(site):
    html = (site / "kpi" / "api-uptime.html").read_text(encoding="utf-8")
    assert 'class="band band-green"' in html and 'class="band band-yellow"' in html
    assert "green ≥99.9%" in html and "yellow 99.5–99.9%" in html and "red &lt;99.5%" in html
    assert 'href="../kr/uptime-held.html"' in html


def test_tree_is_a_collapsible_outline(site):
    html = (site / "tree.html").read_text(encoding="utf-8")
    # every objective with something aligned to it, and the company KR that q4-trust hangs under
    assert html.count("<details open>") == 6
    assert "Become the platform enterprises trust" in html


def test_print_and_dark_styles_ship_with_the_site(site):
    css = (site / "assets" / "report.css").read_text(encoding="utf-8")
    assert "@media print" in css
    assert "@media (prefers-color-scheme: dark)" in css
    assert "@media (max-width: 760px)" in css


def test_a_closed_period_shows_final_grades(okr, tmp_path):
    out = tmp_path / "q3"
    result = report(okr, EXAMPLE, out, "--period", "2026-Q3")
    assert result.exit_code == 0, result
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "Final grades" in html
    # alert-noise's final score (12 pages, written after the quarter) counts: the grade is 0.84
    assert '<div class="grade-big">0.84</div>' in html
    assert "5 green" in html  # key results
    assert "final grade" in (out / "teams" / "platform.html").read_text(encoding="utf-8")
    open_period = (tmp_path / "q4").joinpath("index.html")
    assert report(okr, EXAMPLE, tmp_path / "q4").exit_code == 0
    assert "Final grades" not in open_period.read_text(encoding="utf-8")


def test_one_team_and_below(okr, tmp_path):
    out = tmp_path / "eng"
    result = report(okr, EXAMPLE, out, "--team", "engineering")
    assert result.exit_code == 0, result
    assert sorted(p.name for p in (out / "teams").iterdir()) == [
        "engineering.html",
        "platform.html",
    ]
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "Engineering and teams below" in html
    assert "Answer customers" not in html


def test_what_users_wrote_is_shown_as_text(okr, make_workspace, tmp_path):
    root = make_workspace(
        {
            "okrs/2026-Q4/platform.yaml": (
                "team: platform\nobjectives:\n"
                f"  - id: xss\n    title: '{XSS}'\n    owner: '<b>bob</b>'\n"
                "    key_results:\n"
                f"      - {{id: k, title: '{XSS}', start: 0, target: 10, unit: '<i>u</i>'}}\n"
            ),
            "kpis/k.yaml": (
                f"kpis:\n  - {{id: kp, title: '{XSS}', owner: platform, direction: up,"
                " cadence: weekly, target: 5, unit: '\"><svg onload=alert(2)>'}\n"
            ),
            "checkins/2026-11.yaml": (
                f'- {{at: "2026-11-01", id: k, value: 4, by: "<u>al</u>", note: "{XSS}"}}\n'
                '- {at: "2026-11-01", id: kp, value: 4}\n'
            ),
        }
    )
    out = tmp_path / "site"
    assert report(okr, root, out).exit_code == 0
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text, page
        assert "<b>bob" not in text and "<u>al" not in text and "<i>u" not in text, page
        assert "<svg onload" not in text, page
    overview = (out / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in overview
    kr = (out / "kr" / "k.html").read_text(encoding="utf-8")
    assert kr.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3  # title, chart, note


def test_refuses_a_folder_that_is_not_a_report(okr, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious", encoding="utf-8")
    result = report(okr, EXAMPLE, out)
    assert result.exit_code == 1
    assert "is not empty and holds no okr report" in result.stderr
    assert "choose another --out folder" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["thesis.tex"]


def test_refuses_a_file(okr, tmp_path):
    out = tmp_path / "file.html"
    out.write_text("x", encoding="utf-8")
    result = report(okr, EXAMPLE, out)
    assert result.exit_code == 1
    assert "exists and is not a folder" in result.stderr
    assert out.read_text(encoding="utf-8") == "x"


def test_an_empty_folder_is_fine(okr, tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    assert report(okr, EXAMPLE, out).exit_code == 0


def test_replaces_an_earlier_report_and_only_its_files(okr, tmp_path):
    out = tmp_path / "site"
    assert report(okr, EXAMPLE, out).exit_code == 0
    (out / "notes.txt").write_text("mine", encoding="utf-8")  # a user's file, kept
    (out / "kr" / "stale-kr.html").write_text("old", encoding="utf-8")
    marker = out / ".okr-report"
    listed = json.loads(marker.read_text(encoding="utf-8"))
    listed["files"] += ["kr/stale-kr.html", "../outside.html", "notes.txt"]
    marker.write_text(json.dumps(listed), encoding="utf-8")
    (tmp_path / "outside.html").write_text("keep", encoding="utf-8")

    result = report(okr, EXAMPLE, out, "--team", "support")
    assert result.exit_code == 0, result
    assert not (out / "kr" / "stale-kr.html").exists()  # listed by the old report: gone
    assert not (out / "kr" / "p99-latency.html").exists()  # not in this report
    assert (out / "kr" / "first-response.html").exists()
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (tmp_path / "outside.html").read_text(encoding="utf-8") == "keep"


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_never_writes_through_a_link(okr, tmp_path):
    out = tmp_path / "site"
    assert report(okr, EXAMPLE, out).exit_code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # a page replaced by a link to a file outside: the link goes, the file stays
    victim = elsewhere / "victim.html"
    victim.write_text("keep", encoding="utf-8")
    (out / "index.html").unlink()
    os.symlink(victim, out / "index.html")
    assert report(okr, EXAMPLE, out).exit_code == 0
    assert victim.read_text(encoding="utf-8") == "keep"
    assert not (out / "index.html").is_symlink()
    # a folder of the site replaced by a link: refused
    for page in (out / "kr").iterdir():
        page.unlink()
    (out / "kr").rmdir()
    os.symlink(elsewhere, out / "kr")
    result = report(okr, EXAMPLE, out)
    assert result.exit_code == 1
    assert "is not a plain folder" in result.stderr
    assert sorted(p.name for p in elsewhere.iterdir()) == ["victim.html"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--as-of", "22.11.2026"), "--as-of takes a date like 2026-11-22"),
        (("--period", "2026-Q9"), "--period takes a quarter like 2026-Q4"),
        (("--team", "nobody"), "--team: no team 'nobody' in okr.yaml"),
    ],
)
def test_malformed_options_exit_2(okr, tmp_path, args, message):
    out = tmp_path / "site"
    result = okr("report", "--root", str(EXAMPLE), "--out", str(out), *args)
    assert result.exit_code == 2, result
    assert message in result.stderr
    assert not out.exists()


def test_malformed_date_exits_2_before_loading(okr, tmp_path):
    result = okr("report", "--root", str(tmp_path / "nowhere"), "--as-of", "2026-13-01")
    assert result.exit_code == 2
    assert "--as-of" in result.stderr


def test_a_workspace_with_errors_exits_1_with_its_diagnostics(okr, make_workspace, tmp_path):
    root = make_workspace({"okrs/2026-Q4/platform.yaml": "team: platform\nobjectives: 3\n"})
    result = report(okr, root, tmp_path / "site")
    assert result.exit_code == 1
    assert "okrs/2026-Q4/platform.yaml" in result.stderr


def test_no_workspace_exits_2(okr, tmp_path):
    result = okr("report", "--root", str(tmp_path / "nowhere"), "--out", str(tmp_path / "s"))
    assert result.exit_code == 2


def test_without_jinja2_says_what_to_install(tmp_path):
    code = (
        "import sys\n"
        "sys.modules['jinja2'] = None\n"  # as if it were not installed
        "from okrcli.launch import main\n"
        f"sys.argv = ['okr', '--root', {str(EXAMPLE)!r}, 'report', "
        f"'--out', {str(tmp_path / 's')!r}]\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 1, done
    assert done.stderr == (
        'okr: error: okr report needs Jinja2, which is not installed: pip install "okrcli[html]"\n'
    )
    assert not (tmp_path / "s").exists()


def test_other_commands_do_not_import_jinja2():
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from okrcli.cli import app\n"
        f"r = CliRunner().invoke(app, ['--root', {str(EXAMPLE)!r}, 'scorecard', '--as-of', "
        f"{AS_OF!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "print('jinja2' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr


def test_docs_transcript_is_current(okr, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = okr("--root", str(EXAMPLE), "report", "--as-of", AS_OF)
    assert result.exit_code == 0
    docs = (REPO / "docs" / "report.md").read_text(encoding="utf-8")
    assert f"$ okr --root examples/acme report --as-of {AS_OF}\n{result.stderr}" in docs


@pytest.mark.skipif(sys.platform != "linux", reason="pages render in forked processes on Linux")
def test_pages_rendered_by_several_processes_are_the_same(tmp_path, site):
    import threading
    from datetime import date

    from okrcli.dashboard import build_dashboard
    from okrcli.loader import load_workspace
    from okrcli.periods import parse_period
    from okrcli.render.html import workers, write_site

    if threading.active_count() > 1:
        pytest.skip("this process runs threads; forking it is unsafe")
    assert workers(33) == 1  # a small site is written by one process
    day = date.fromisoformat(AS_OF)
    data = build_dashboard(load_workspace(EXAMPLE, today=day), parse_period("2026-Q4"), day)
    out = tmp_path / "forked"
    files = write_site(data, out, processes=3)
    assert len(files) == 39  # the marker, 37 pages, the stylesheet
    for page in site.rglob("*.html"):
        assert (out / page.relative_to(site)).read_bytes() == page.read_bytes(), page
