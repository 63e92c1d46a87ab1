"""One figure, one reading: a KR at 1/8 of its way (progress 0.125) reads 13% in every
output that shows it, and its grade 0.13 (both rounded half up)."""

from __future__ import annotations

import json

PLAN = """\
team: platform
objectives:
  - id: grow
    title: Grow | thrive
    owner: ann
    key_results:
      - id: signups
        title: Weekly signups
        start: 0
        target: 8
"""


def test_progress_of_one_eighth_reads_13_percent_everywhere(okr, make_workspace):
    root = make_workspace({"okrs/2026-Q3/platform.yaml": PLAN, "checkins/.keep": ""})
    base = ("--root", str(root))
    checkin = okr(*base, "checkin", "signups", "1", "--at", "2026-09-10", "--by", "ann")
    assert checkin.exit_code == 0, checkin
    # never measured before: no data, not 0% (SPEC §4); then (1 − 0) / (8 − 0) = 0.125
    assert "signups: no check-in yet → 1, progress no data → 13%" in checkin.stdout

    after = ("--as-of", "2026-10-05")
    table = okr(*base, "scorecard", "--period", "2026-Q3", *after)
    assert table.exit_code == 0, table
    assert " 13%" in table.stdout and "12%" not in table.stdout

    doc = json.loads(okr(*base, "scorecard", "--period", "2026-Q3", *after, "-f", "json").stdout)
    assert doc["objectives"][0]["key_results"][0]["progress"] == 0.125  # machines: exact

    md = okr(*base, "scorecard", "--period", "2026-Q3", *after, "-f", "markdown").stdout
    assert "| 13% |" in md

    tree = okr(*base, "tree", "--period", "2026-Q3", *after).stdout
    assert " 13%" in tree

    history = okr(*base, "history", "signups", *after).stdout
    assert "progress 13%" in history

    close = okr(*base, "close", "2026-Q3", *after)
    assert close.exit_code == 0, close
    assert "0.13" in close.stdout and "0.12" not in close.stdout
    close_md = okr(*base, "close", "2026-Q3", *after, "-f", "markdown").stdout
    row = next(line for line in close_md.splitlines() if "**grow**" in line)
    # the title's '|' is escaped: the row keeps its four cells
    assert row.count(" | ") == 3 and "Grow \\| thrive" in row
