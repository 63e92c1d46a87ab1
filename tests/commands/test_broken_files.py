"""One broken file does not blank the reports: scorecard, tree, history and close print
everything the errors do not touch, list the errors on stderr, say the figures leave them
out, and exit 1 (SPEC §6); validate reports every independent error."""

from __future__ import annotations

import json

from helpers import AS_OF, write_tree

TYPO = ("        start: 12\n        target: 5", "        start: 12\n        tagret: 5")


def _break_growth(example):
    path = example / "okrs" / "2026-Q4" / "growth.yaml"
    text = path.read_text()
    assert TYPO[0] in text
    path.write_text(text.replace(*TYPO))


def test_one_typo_in_one_team_does_not_blank_the_company_scorecard(okr, example):
    clean = json.loads(
        okr("--root", str(example), "scorecard", "-f", "json", "--as-of", AS_OF).stdout
    )
    _break_growth(example)
    result = okr("--root", str(example), "scorecard", "-f", "json", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "okrs/2026-Q4/growth.yaml:18:9: error[unknown-key] unknown key 'tagret'" in (
        result.stderr
    )
    assert "okr: 1 error in the goal files (listed above): the figures leave out what they " in (
        result.stderr
    )
    doc = json.loads(result.stdout)
    before = {o["id"]: o for o in clean["objectives"]}
    after = {o["id"]: o for o in doc["objectives"]}
    assert list(after) == list(before)  # every objective is still there
    # the growth objective keeps its two sound KRs; the broken one is left out
    growth = after["activate-faster"]
    assert [k["id"] for k in growth["key_results"]] == ["activation", "signups"]
    # activation (39 - 37.2) / (45 - 37.2) = 0.2308 weight 2, signups 0.475:
    # (0.2308 * 2 + 0.475) / 3 = 0.3122
    assert growth["progress"] == 0.3122
    # every other team's figures are exactly as before
    for oid in ("reliable-platform", "cheaper-infra", "ship-safely", "answer-fast", "q4-growth"):
        assert after[oid] == before[oid]
    assert doc["kpis"] == clean["kpis"]
    table = okr("--root", str(example), "scorecard", "--as-of", AS_OF)
    assert table.exit_code == 1 and "reliable-platform" in table.stdout


def test_tree_history_and_close_print_what_the_errors_do_not_touch(okr, example):
    _break_growth(example)
    base = ("--root", str(example), "--as-of", AS_OF)
    tree = okr("tree", *base)
    assert tree.exit_code == 1 and "q4-trust" in tree.stdout
    history = okr("history", "p99-latency", *base)
    assert history.exit_code == 1 and "620" in history.stdout
    close = okr("close", "2026-Q3", *base)
    assert close.exit_code == 1 and "traced-services" in close.stdout
    assert "the figures leave out what they affect" in close.stderr
    write = okr("close", "2026-Q3", "--write", *base)
    assert write.exit_code == 1
    assert "--write would keep grades that leave out what they affect" in write.stderr
    assert not (example / "grades").exists()


def test_validate_checks_an_objective_whose_kr_is_broken(okr, make_workspace):
    root = make_workspace(
        {
            "okrs/2026-Q4/company.yaml": "team: company\nobjectives:\n"
            "  - id: trust\n    title: Trust\n    key_results:\n"
            "      - {id: logos, title: Logos, type: milestone}\n",
            "okrs/2026-Q4/platform.yaml": "team: platform\nobjectives:\n"
            "  - id: fast\n    title: Fast\n    aligns_to: trsut\n    key_results:\n"
            "      - {id: p99, title: P99, start: 800, tagret: 400}\n"
            "      - {id: docs, title: Docs, type: milestone}\n",
            # a check-in of the broken KR is not reported a second time
            "checkins/2026-11.yaml": '- {at: "2026-11-02", id: p99, value: 600}\n'
            '- {at: "2026-11-02", id: docs, value: 0.5}\n',
        }
    )
    result = okr("validate", "--root", str(root), "--as-of", "2026-11-15", "-f", "json")
    found = [(d["code"], d["line"]) for d in json.loads(result.stdout)["diagnostics"]]
    # the unknown key and, independently, the dangling aligns_to of its objective
    assert ("unknown-key", 7) in found
    assert ("unknown-objective", 5) in found
    assert all(code != "checkin-unknown-id" for code, _ in found)
    assert result.exit_code == 1
    card = okr("scorecard", "--root", str(root), "--as-of", "2026-11-15", "-f", "json")
    krs = [k["id"] for o in json.loads(card.stdout)["objectives"] for k in o["key_results"]]
    assert krs == ["logos", "docs"]


def test_a_typo_in_okr_yaml_keeps_the_teams(okr, example):
    settings = (example / "okr.yaml").read_text().replace("max_objectives: 5", "max_objectivs: 5")
    write_tree(example, {"okr.yaml": settings})
    result = okr("--root", str(example), "scorecard", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "okr.yaml" in result.stderr and "max_objectivs" in result.stderr
    assert "── Platform (platform)" in result.stdout
