"""Final scores written after the quarter (records naming the period), status updates
without a value, and backdated check-ins, through the real CLI (SPEC §2.5, §4)."""

from __future__ import annotations

import json

PLAN = """\
team: company
objectives:
  - id: grow
    title: Grow
    key_results:
      - {id: signups, title: Sign-ups, start: 0, target: 8}
      - {id: ship, title: Ship, type: milestone}
"""


def _ws(make_workspace, checkins: str = ""):
    files = {"okrs/2026-Q3/company.yaml": PLAN}
    if checkins:
        files["checkins/2026-09.yaml"] = checkins
    return make_workspace(files)


def _kr(okr, root, id_, *args):
    result = okr("--root", str(root), "scorecard", "-f", "json", *args)
    assert result.exit_code == 0, result
    doc = json.loads(result.stdout)
    return next(k for o in doc["objectives"] for k in o["key_results"] if k["id"] == id_)


def test_a_final_score_after_the_quarter_names_the_period_and_counts_for_it(okr, make_workspace):
    root = _ws(make_workspace, '- {at: "2026-09-10", id: signups, value: 2}\n')
    base = ("--root", str(root))
    late = okr(*base, "checkin", "ship", "0.7", "--period", "2026-Q3", "--at", "2026-10-10")
    assert late.exit_code == 0, late
    line = (root / "checkins" / "2026-10.yaml").read_text()
    assert '"id": "ship", "period": "2026-Q3", "value": 0.7' in line
    assert okr(*base, "validate", "--as-of", "2026-10-12").exit_code == 0
    # it counts for 2026-Q3 in the scorecard of the ended quarter and in close alike
    kr = _kr(okr, root, "ship", "--period", "2026-Q3", "--as-of", "2026-10-12")
    assert (kr["current"], kr["progress"]) == (0.7, 0.7)
    close = json.loads(okr(*base, "close", "2026-Q3", "--as-of", "2026-10-12", "-f", "json").stdout)
    grades = {
        k["id"]: k["grade"] for o in close["teams"][0]["objectives"] for k in o["key_results"]
    }
    # signups (2 - 0) / (8 - 0) = 0.25; ship 0.7
    assert grades == {"signups": 0.25, "ship": 0.7}


def test_without_the_period_a_late_record_is_refused_and_says_to_name_it(okr, make_workspace):
    root = _ws(make_workspace)
    result = okr("--root", str(root), "checkin", "ship", "0.7", "--at", "2026-10-10")
    assert result.exit_code == 1
    assert "2026-10-10 is outside every period of KR 'ship' (2026-Q3); give --period" in (
        result.stderr
    )
    assert not (root / "checkins").exists()


def test_a_status_update_keeps_the_value_and_updates_confidence_and_note(okr, make_workspace):
    root = _ws(
        make_workspace,
        '- {at: "2026-09-10T10:00:00+00:00", id: signups, value: 4, confidence: 0.7}\n',
    )
    base = ("--root", str(root))
    done = okr(*base, "checkin", "signups", "--note", "blocked on vendor", "--confidence", "0.4",
               "--at", "2026-09-12T10:00:00+00:00")  # fmt: skip
    assert done.exit_code == 0, done
    assert done.stdout.startswith(
        "signups: status update, the value stays 4, confidence 0.7 → 0.4, "
        "note 'blocked on vendor', "
    )
    record = (root / "checkins" / "2026-09.yaml").read_text().splitlines()[-1]
    assert '"value"' not in record and '"note": "blocked on vendor"' in record
    kr = _kr(okr, root, "signups", "--period", "2026-Q3", "--as-of", "2026-09-15")
    # the value and its time stay those of the last measurement: (4 - 0) / (8 - 0) = 0.5
    assert (kr["current"], kr["progress"], kr["updated"]) == (4, 0.5, "2026-09-10T10:00:00+00:00")
    assert (kr["confidence"], kr["note"]) == (0.4, "blocked on vendor")
    history = okr(*base, "history", "signups", "--as-of", "2026-09-15")
    assert "1 values" in history.stdout and "1 status update" in history.stdout
    assert "blocked on vendor" in history.stdout
    assert okr(*base, "validate", "--as-of", "2026-09-15").exit_code == 0


def test_a_note_only_update_keeps_the_last_confidence_but_a_new_value_without_one_does_not(
    okr, make_workspace
):
    root = _ws(
        make_workspace,
        '- {at: "2026-09-10", id: signups, value: 4, confidence: 0.7}\n'
        '- {at: "2026-09-11", id: signups, note: "vendor call on Friday"}\n',
    )
    kr = _kr(okr, root, "signups", "--period", "2026-Q3", "--as-of", "2026-09-11")
    assert (kr["confidence"], kr["note"]) == (0.7, "vendor call on Friday")
    (root / "checkins" / "2026-09.yaml").write_text(
        (root / "checkins" / "2026-09.yaml").read_text()
        + '- {at: "2026-09-12", id: signups, value: 5}\n'
    )
    kr = _kr(okr, root, "signups", "--period", "2026-Q3", "--as-of", "2026-09-12")
    assert (kr["current"], kr["confidence"]) == (5, None)


def test_a_checkin_with_nothing_to_say_is_refused(okr, make_workspace):
    root = _ws(make_workspace)
    result = okr("--root", str(root), "checkin", "signups", "--at", "2026-09-10")
    assert result.exit_code == 2
    assert "give the value too" in result.stderr
    bad = _ws(make_workspace, '- {at: "2026-09-10", id: signups, by: ann}\n')
    check = okr("--root", str(bad), "validate", "--as-of", "2026-09-15")
    assert check.exit_code == 1
    assert "checkins/2026-09.yaml:1:3: error[missing-key] a check-in needs a 'value'" in (
        check.stderr
    )


def test_a_backdated_checkin_says_the_current_value_is_unchanged(okr, make_workspace):
    root = _ws(make_workspace, '- {at: "2026-09-20T10:00:00+00:00", id: signups, value: 6}\n')
    result = okr("--root", str(root), "checkin", "signups", "3", "--at", "2026-09-05")
    assert result.exit_code == 0, result
    # as of its own day the value is new: no data -> 3; today (a later day) 6 stays
    lines = result.stdout.splitlines()
    assert lines[0].startswith("signups: no check-in yet → 3, progress no data → 38%")
    assert lines[1] == (
        "  backdated: the current value is unchanged, 6 (the newer check-in of 2026-09-20)"
    )
