"""``okr plan``: carry unfinished work into a new period; never overwrite; validate clean."""

from __future__ import annotations

import yaml
from helpers import AS_OF, REPO

YEAR = """\
team: company
objectives:
  - id: trust-year
    title: Be trusted
    key_results:
      - id: logos
        title: Logos
        start: 0
        target: 10
"""
COMPANY_Q3 = """\
team: company
objectives:
  - id: grow
    title: Grow
    owner: dana
    key_results:
      - id: revenue
        title: Revenue
        start: 100
        target: 200
        unit: k$
  - id: brand
    title: Be known
    owner: dana
    aligns_to: grow
    key_results:
      - id: mentions
        title: Press mentions
        start: 0
        target: 10
"""
PLATFORM_Q3 = """\
team: platform
objectives:
  - id: fast
    title: "Be fast: really"
    owner: alice
    aligns_to: trust-year
    key_results:
      - id: p99
        title: p99 latency
        type: decrease
        start: 850
        target: 300
        unit: ms
        weight: 2
        owner: bob
      - id: docs
        title: Docs
        type: milestone
      - id: shipped
        title: Shipped it
        type: milestone
  - id: polish
    title: Polish
    owner: alice
    aligns_to: fast
    key_results:
      - id: nits
        title: Nits fixed
        type: milestone
"""
AUGUST = """\
- {at: "2026-08-10T10:00:00+00:00", id: revenue, value: 250, by: dana}
- {at: "2026-08-15T10:00:00+00:00", id: p99, value: 600, by: bob, confidence: 0.5}
- {at: "2026-08-20T10:00:00+00:00", id: mentions, value: 4, by: dana}
- {at: "2026-08-21T10:00:00+00:00", id: nits, value: 1, by: alice}
"""
SEPTEMBER = """\
- {at: "2026-09-20T10:00:00+00:00", id: p99, value: 520, by: bob}
- {at: "2026-09-21T10:00:00+00:00", id: docs, value: 0.4, by: alice}
- {at: "2026-09-22T10:00:00+00:00", id: shipped, value: true, by: alice}
- {at: "2026-09-23T10:00:00+00:00", id: logos, value: 3, by: dana}
"""
FILES = {
    "okrs/2026/company.yaml": YEAR,
    "okrs/2026-Q3/company.yaml": COMPANY_Q3,
    "okrs/2026-Q3/platform.yaml": PLATFORM_Q3,
    "checkins/2026-08.yaml": AUGUST,
    "checkins/2026-09.yaml": SEPTEMBER,
}


def assert_validates_clean(okr, root, as_of="2026-10-01"):
    result = okr("validate", "--root", str(root), "--as-of", as_of)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_plan_carries_unfinished_work_from_its_last_value(okr, make_workspace):
    root = make_workspace(FILES)
    assert_validates_clean(okr, root)
    result = okr("plan", "2026-Q4", "--root", str(root), "--as-of", "2026-10-01")
    assert result.exit_code == 0, result
    assert result.stdout == ""
    assert "wrote okrs/2026-Q4/company.yaml: 1 objective, 1 key result carried over" in (
        result.stderr
    )
    assert "wrote okrs/2026-Q4/platform.yaml: 1 objective, 2 key results carried over" in (
        result.stderr
    )
    # done: grow (revenue 250 ≥ 200), shipped (true), polish (its only KR nits is 1)
    assert (
        "left behind (done in 2026-Q3): objective grow (company), KR shipped (platform), "
        "objective polish (platform)" in result.stderr
    )

    platform_text = (root / "okrs/2026-Q4/platform.yaml").read_text()
    platform = yaml.safe_load(platform_text)
    assert platform == {
        "team": "platform",
        "objectives": [
            {
                "id": "fast",
                "title": "Be fast: really",
                "owner": "alice",
                "aligns_to": "trust-year",  # a 2026 objective: still there in 2026-Q4
                "key_results": [
                    # start: the last value 520; progress (850 - 520) / (850 - 300) = 0.6
                    {
                        "id": "p99",
                        "title": "p99 latency",
                        "type": "decrease",
                        "start": 520,
                        "target": 300,
                        "unit": "ms",
                        "weight": 2,
                        "owner": "bob",
                    },
                    {"id": "docs", "title": "Docs", "type": "milestone"},
                ],
            }
        ],
    }
    assert "# carried over from 2026-Q3 (progress 0.60; start was 850, last value 520)" in (
        platform_text
    )
    assert "# left behind, done in 2026-Q3: shipped" in platform_text
    assert "# carried over from 2026-Q3 (progress 0.40; check in 0.4" in platform_text

    company_text = (root / "okrs/2026-Q4/company.yaml").read_text()
    company = yaml.safe_load(company_text)
    [brand] = company["objectives"]
    assert "aligns_to" not in brand  # grow was done and stays behind in 2026-Q3
    assert brand["key_results"] == [
        {"id": "mentions", "title": "Press mentions", "start": 4, "target": 10}
    ]
    assert (
        "# aligns_to: grow was dropped: it is no objective or key result of 2026-Q4 or 2026"
        in company_text
    )
    assert "(progress 0.40; start was 0, last value 4)" in company_text

    assert_validates_clean(okr, root)
    scorecard_like = okr("history", "p99", "--period", "2026-Q4", "--root", str(root), "-f", "json")
    assert '"start": 520' in scorecard_like.stdout


def test_plan_never_overwrites_and_keeps_ids_unique(okr, make_workspace):
    existing = """\
team: platform
objectives:
  - id: brand
    title: Platform brand
    aligns_to: trust-year
    key_results:
      - id: mentions
        title: Mentions of the platform
        type: milestone
"""
    root = make_workspace({**FILES, "okrs/2026-Q4/platform.yaml": existing})
    result = okr("plan", "2026-Q4", "--root", str(root), "--as-of", "2026-10-01")
    assert result.exit_code == 0, result
    assert (root / "okrs/2026-Q4/platform.yaml").read_text() == existing
    assert (
        "kept okrs/2026-Q4/platform.yaml: team platform already has a plan for 2026-Q4"
        in result.stderr
    )
    company = yaml.safe_load((root / "okrs/2026-Q4/company.yaml").read_text())
    [brand] = company["objectives"]
    assert brand["id"] == "brand-2"  # 'brand' is taken in 2026-Q4 by the platform plan
    assert [k["id"] for k in brand["key_results"]] == ["mentions-2"]
    assert "objective brand is brand-2 in 2026-Q4" in result.stderr
    assert "KR mentions is mentions-2 in 2026-Q4" in result.stderr
    assert_validates_clean(okr, root)

    before = (root / "okrs/2026-Q4/company.yaml").read_text()
    again = okr("plan", "2026-Q4", "--root", str(root), "--as-of", "2026-10-01")
    assert again.exit_code == 0
    assert "kept okrs/2026-Q4/company.yaml" in again.stderr
    assert "wrote" not in again.stderr
    assert (root / "okrs/2026-Q4/company.yaml").read_text() == before


def test_dry_run_prints_and_writes_nothing(okr, make_workspace):
    root = make_workspace(FILES)
    result = okr("plan", "2026-Q4", "--dry-run", "--root", str(root), "--as-of", "2026-10-01")
    assert result.exit_code == 0, result
    assert not (root / "okrs/2026-Q4").exists()
    assert "# ==> okrs/2026-Q4/company.yaml <==" in result.stdout
    assert "# ==> okrs/2026-Q4/platform.yaml <==" in result.stdout
    assert "        start: 520\n" in result.stdout
    assert "would write okrs/2026-Q4/platform.yaml" in result.stderr


def test_plan_warns_when_the_source_period_has_not_ended(okr, make_workspace):
    root = make_workspace(FILES)
    result = okr("plan", "2026-Q4", "--dry-run", "--root", str(root), "--as-of", "2026-09-25")
    assert result.exit_code == 0, result
    assert "warning: 2026-Q3 has not ended yet (it ends 2026-09-30)" in result.stderr


def test_plan_from_the_example_validates_clean(okr, example):
    result = okr("plan", "2027-Q1", "--root", str(example), "--as-of", "2026-12-31")
    assert result.exit_code == 0, result
    written = sorted(p.name for p in (example / "okrs/2027-Q1").iterdir())
    assert written == [
        "company.yaml",
        "engineering.yaml",
        "growth.yaml",
        "platform.yaml",
        "support.yaml",
    ]
    platform = yaml.safe_load((example / "okrs/2027-Q1/platform.yaml").read_text())
    krs = {k["id"]: k for o in platform["objectives"] for k in o["key_results"]}
    # the last p99 check-in of 2026-Q4 is 620 ms (2026-11-20); the target stays 300
    assert (krs["p99-latency"]["start"], krs["p99-latency"]["target"]) == (620, 300)
    assert (
        "left behind (done or dropped in 2026-Q4): KR postmortems (engineering), KR "
        "error-budget (engineering), KR multi-region (platform, dropped)" in result.stderr
    )
    check = okr("validate", "--root", str(example), "--as-of", AS_OF)
    assert (check.exit_code, check.stdout, check.stderr) == (0, "", "")


def test_plan_errors(okr, make_workspace):
    root = make_workspace(FILES)
    bad = okr("plan", "2026-Q5", "--root", str(root))
    assert bad.exit_code == 2
    assert "not a period" in bad.stderr
    same = okr("plan", "2026-Q3", "--from", "2026-Q3", "--root", str(root))
    assert same.exit_code == 2
    mixed = okr("plan", "2027", "--from", "2026-Q3", "--root", str(root))
    assert mixed.exit_code == 2
    empty = okr("plan", "2026-Q2", "--root", str(root), "--as-of", "2026-10-01")
    assert empty.exit_code == 1
    assert "there is no plan for 2026-Q1 to start 2026-Q2 from" in empty.stderr
    assert "Traceback" not in empty.stderr


def test_docs_transcript_is_current(okr, example, monkeypatch):
    monkeypatch.chdir(example)
    result = okr("plan", "2027-Q1", "--as-of", "2026-12-31")
    written = (example / "okrs/2027-Q1/platform.yaml").read_text(encoding="utf-8")
    docs = (REPO / "docs" / "plans-in-git.md").read_text(encoding="utf-8")
    shown = (
        "$ okr plan 2027-Q1 --as-of 2026-12-31\n"
        + result.stderr
        + "$ cat okrs/2027-Q1/platform.yaml\n"
        + written
    )
    assert shown in docs


def test_a_kr_never_measured_is_carried_with_its_start_and_says_so(okr, make_workspace):
    root = make_workspace(
        {
            "okrs/2026-Q3/company.yaml": COMPANY_Q3,
            # revenue was measured, mentions never
            "checkins/2026-09.yaml": '- {at: "2026-09-10", id: revenue, value: 150}\n',
        }
    )
    result = okr("plan", "2026-Q4", "--root", str(root), "--as-of", "2026-10-02", "--dry-run")
    assert result.exit_code == 0, result
    text = result.stdout
    # measured: carried from its last value, (150 - 100) / (200 - 100) = 0.5
    assert "carried over from 2026-Q3 (progress 0.50; start was 100, last value 150)" in text
    assert "start: 150" in text
    # never measured: no data, and the start it was planned with
    assert "carried over from 2026-Q3 (no data; never measured, start kept at 0)" in text
    assert "start: 0\n" in text
