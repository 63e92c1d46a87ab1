"""Help that teaches: examples, one placeholder style, the environment, the docs page,
and ``okr --help`` grouped by the week's work."""

from __future__ import annotations

import re

import pytest
from helpers import REPO

from okrcli.cli import app

COMMANDS = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]


def test_okr_help_groups_the_commands_by_the_weekly_workflow(okr):
    text = okr("--help").stdout
    headings = re.findall(r"^(\S[^:\n]*):$", text, flags=re.M)
    assert headings == [
        "Options",
        "Record progress",
        "See where you stand",
        "Plan and close a period",
        "Set up and check",
    ]
    record = text.split("Record progress:")[1].split("See where you stand:")[0]
    assert "checkin" in record and "import" in record
    for variable in ["OKR_ROOT", "NO_COLOR", "FORCE_COLOR", "OKR_PAGER", "PAGER", "OKR_DEBUG"]:
        assert variable in text
    assert "OKR_CACHE_DIR" in text and "OKR_NO_CACHE" in text
    assert "--color WHEN" in text and "--no-pager" in text and "--install-completion" in text


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_teaches(okr, command):
    result = okr(command, "--help")
    assert result.exit_code == 0
    text = result.stdout
    examples = text.split("Examples:")[1].split("Environment:")[0]
    shown = [line.strip() for line in examples.splitlines() if line.strip()]
    assert 1 <= len(shown) <= 4
    assert all(line.startswith(f"okr {command}") for line in shown)
    assert "Environment:" in text
    docs = re.search(r"^  Docs: (.+)$", text, flags=re.M)
    assert docs is not None
    for page in docs.group(1).split(", "):
        assert (REPO / page).is_file(), page
    # one placeholder style: ID, VALUE, PERIOD, FILE …; no <str>, no {FILE}, no lower case
    assert "<" not in text.split("Examples:")[0].replace("<TAB>", "")
    usage = text.splitlines()[0]
    assert "{" not in usage
    options = text.split("Options:")[1].split("Examples:")[0]
    for spec in re.findall(r"^  (-\S.*?)(?:  |$)", options, flags=re.M):
        placeholders = [w for w in spec.replace(",", " ").split() if not w.startswith("-")]
        assert all(re.fullmatch(r"[A-Z_]+", w) for w in placeholders), spec


def test_the_example_values_work(okr, example):
    # the first example of checkin's help, as a new user would type it
    result = okr("--root", str(example), "checkin", "p99-latency", "580ms", "-c", "70%")
    assert result.exit_code == 0, result
    assert "p99-latency: 620 → 580 ms" in result.stdout
