"""Values as people type them: units, percentages, digit groups; refusals say what to type."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import EXAMPLE

from okrcli.errors import InputError
from okrcli.loader import load_workspace
from okrcli.recording import CheckinTarget, find_target, parse_value

DAY = date(2026, 11, 21)


@pytest.fixture(scope="module")
def target():
    ws = load_workspace(EXAMPLE)

    def find(id_: str) -> CheckinTarget:
        return find_target(ws, id_, DAY, None)

    return find


@pytest.mark.parametrize(
    ("id_", "text", "expected"),
    [
        ("p99-latency", "580", 580),  # unit ms
        ("p99-latency", "580ms", 580),
        ("p99-latency", "580 ms", 580),
        ("p99-latency", " 580 MS ", 580),
        ("p99-latency", "580 milliseconds", 580),
        ("p99-latency", "-12.5ms", -12.5),
        ("p99-latency", "1,200", 1200),
        ("p99-latency", "1 200", 1200),
        ("p99-latency", "1\u202f200 ms", 1200),  # a thin space, as some locales group
        ("p99-latency", "12,345,678.5", 12345678.5),
        ("p99-latency", ".5", 0.5),
        ("p99-latency", "1.5e3", 1500.0),
        ("spot-share", "70%", 70),  # unit %: 70% is 70, not 0.7
        ("spot-share", "70 %", 70),
        ("spot-share", "70", 70),
        ("api-uptime", "99.97%", 99.97),  # a KPI in %
        ("infra-cost", "190k$", 190),  # unit k$
        ("infra-cost", "190 k$", 190),
    ],
)
def test_numbers_as_people_type_them(target, id_, text, expected):
    value = parse_value(text, target(id_))
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("id_", "text", "message"),
    [
        ("p99-latency", "580s", "write 580000: p99-latency is measured in ms, not in s"),
        ("p99-latency", "0.58 s", "write 580: p99-latency is measured in ms, not in s"),
        ("p99-latency", "580 kg", "write 580: p99-latency is measured in ms, not in kg"),
        ("spot-share", "70 ms", "write 70: spot-share is measured in %, not in ms"),
        ("p99-latency", "1,5", "write a decimal point (1.5), and commas only between groups"),
        ("p99-latency", "1,20", "commas only between groups of three digits (1,200)"),
        ("p99-latency", "1,200 300", "is not one okr can read for sure"),
        ("p99-latency", "1 2", "takes a finite number"),
        ("p99-latency", "fast", "KR 'p99-latency' takes a finite number as its value, not 'fast'"),
        ("p99-latency", "nan", "takes a finite number"),
        ("p99-latency", "1e999", "takes a finite number"),
        ("p99-latency", "", "takes a finite number"),
        ("runbooks", "150%", "'runbooks' is a milestone"),
    ],
)
def test_refusals_say_what_to_type(target, id_, text, message):
    with pytest.raises(InputError) as caught:
        parse_value(text, target(id_))
    assert message in str(caught.value)


def test_a_kr_without_a_unit_takes_none(make_workspace):
    root = make_workspace(
        {
            "okrs/2026-Q4/platform.yaml": (
                "team: platform\nobjectives:\n  - id: o\n    title: O\n    key_results:\n"
                "      - {id: deploys, title: Deploys, start: 0, target: 10}\n"
            )
        }
    )
    ws = load_workspace(root)
    deploys = find_target(ws, "deploys", DAY, None)
    assert parse_value("7", deploys) == 7
    with pytest.raises(InputError, match="write 7: deploys has no unit \\(not ms\\)"):
        parse_value("7ms", deploys)


@pytest.mark.parametrize(
    ("text", "expected"), [("done", True), ("true", True), ("false", False), ("60%", 0.6)]
)
def test_milestones_keep_their_words(target, text, expected):
    assert parse_value(text, target("runbooks")) == expected
