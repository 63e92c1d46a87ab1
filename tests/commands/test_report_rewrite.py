"""``okr report`` over an earlier report: its pages are rewritten in place when they are
plain files of their own, and never written through to another file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from helpers import AS_OF, EXAMPLE

pytest.importorskip("jinja2")


def report(okr, out: Path, *args: str):
    return okr("report", "--root", str(EXAMPLE), "--as-of", AS_OF, "--out", str(out), *args)


def site(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != ".okr-report"
    }


def test_a_rebuild_gives_the_same_site_whatever_the_old_pages_held(okr, tmp_path):
    out = tmp_path / "site"
    assert report(okr, out).exit_code == 0
    first = site(out)
    (out / "kr" / "p99-latency.html").write_text("x" * 100_000, encoding="utf-8")  # longer
    (out / "teams" / "platform.html").write_text("short", encoding="utf-8")
    (out / "kpi" / "mrr.html").unlink()
    assert report(okr, out).exit_code == 0
    assert site(out) == first


def test_a_rebuild_for_another_view_leaves_only_its_pages(okr, tmp_path):
    out = tmp_path / "site"
    assert report(okr, out).exit_code == 0
    assert report(okr, out, "--team", "support").exit_code == 0
    fresh = tmp_path / "fresh"
    assert report(okr, fresh, "--team", "support").exit_code == 0
    assert site(out) == site(fresh)


@pytest.mark.skipif(sys.platform == "win32", reason="hard links as on POSIX")
def test_never_writes_through_a_hard_link(okr, tmp_path):
    out = tmp_path / "site"
    assert report(okr, out).exit_code == 0
    victim = tmp_path / "victim.html"
    victim.write_text("keep", encoding="utf-8")
    page = out / "kr" / "p99-latency.html"
    page.unlink()
    os.link(victim, page)  # the page and the user's file are one file
    assert report(okr, out).exit_code == 0
    assert victim.read_text(encoding="utf-8") == "keep"
    assert page.stat().st_nlink == 1
    assert "Cut API p99 latency" in page.read_text(encoding="utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_never_writes_through_a_link_to_a_page(okr, tmp_path):
    out = tmp_path / "site"
    assert report(okr, out).exit_code == 0
    victim = tmp_path / "victim.html"
    victim.write_text("keep", encoding="utf-8")
    page = out / "kpi" / "mrr.html"
    page.unlink()
    page.symlink_to(victim)
    assert report(okr, out).exit_code == 0
    assert victim.read_text(encoding="utf-8") == "keep"
    assert not page.is_symlink()
    assert "Monthly recurring revenue" in page.read_text(encoding="utf-8")


@pytest.mark.skipif(not hasattr(os, "O_NOFOLLOW"), reason="pages are created anew there")
def test_a_plain_page_is_rewritten_in_place(okr, tmp_path):
    out = tmp_path / "site"
    assert report(okr, out).exit_code == 0
    page = out / "kr" / "p99-latency.html"
    before = page.stat().st_ino
    assert report(okr, out).exit_code == 0
    assert page.stat().st_ino == before
