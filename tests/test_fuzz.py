"""Property-based attack on the bundled example: random edits of its YAML text, injected
control characters and markup, odd numbers and dates; then every view is run.

Invariants, whatever the files hold: the exit code is 0, 1 or 2 (never 3, an internal
error, and never a traceback); JSON output stays JSON; no control character reaches the
output raw (ESC, CR, C1, …); every command finishes in bounded time.

The default profile runs a few hundred cases (quick enough for CI); for a longer hunt:

    HYPOTHESIS_PROFILE=long python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from helpers import AS_OF
from hypothesis import given, note
from hypothesis import strategies as st

from okrcli.journal import yaml_json  # JSON text that YAML reads back the same

RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SECONDS = 15  # a bound no command comes near on the example; a hang or a blow-up fails

FILES = [
    "okr.yaml",
    "kpis/business.yaml",
    "kpis/platform.yaml",
    "okrs/2026/company.yaml",
    "okrs/2026-Q4/platform.yaml",
    "okrs/2026-Q3/growth.yaml",
    "checkins/2026-11.yaml",
    "checkins/2026-10.yaml",
]

ODD = [
    "1" * 5000,
    "-" + "9" * 400,
    "1e1000002",
    "1e1000002%",
    ".nan",
    "-.inf",
    "0x1F",
    "+0x1F",
    "1_000",
    "0b101",
    "9999-12-31T23:00:00-05:00",
    "0001-01-01T00:00:00+01:00",
    '"9999-12-31"',
    "2026-02-30",
    "２０２６",
    "２０２６-Q4",
    "9999-Q4",
    "0000",
    "~",
    "y",
    "",
    "[/]",
    '"[link=https://evil.example]x[/link]"',
    '"\\e[2J\\e]52;c;aGVsbG8=\\a\\r\\x9b31m\\u202e"',
    "'",
    '"',
    "{",
    "[",
    "&a [*a, *a]",
    "*nowhere",
    "!!python/object/apply:os.system [ls]",
    "!!binary aGVsbG8=",
    "{a: 1, a: 2}",
    "\t",
    "- -",
    "? x",
    "%YAML 1.1",
    "---",
    "\\u0000",
]
SCALAR = re.compile(r"(?<=: )[^\n{}\[\],]+|(?<=\": )[^,}\n]+")
# values that stay valid, so that the views run on them: text anywhere a person writes it,
# odd but finite numbers, the first and last days okr handles
TEXT = re.compile(r'(?:title|owner|name|org|unit): ([^\n{}\[\],]+)|"(?:by|note)": ("[^"]*")')
NUMBER = re.compile(r'(?:start|target|red|weight): ([0-9.]+)|"value": ([0-9.]+)')
DATE = re.compile(r'"at": "([0-9]{4}-[0-9]{2}-[0-9]{2})')
ODD_NUMBERS = ["1e308", "-1e308", "5e-324", "0", "-0.0", "1e15", "1" * 300, "0.1", "-7"]
EDGE_DAYS = ["1000-01-01", "9998-12-31", "2026-11-22", "2024-02-29"]


def _valid(draw: st.DrawFn, text: str) -> str | None:
    """A mutation that keeps the file valid YAML, and most often a valid workspace."""
    pattern, values = draw(
        st.sampled_from(
            [
                (
                    TEXT,
                    st.text(st.characters(exclude_categories=["Cs"]), max_size=30).map(yaml_json),
                ),
                (NUMBER, st.sampled_from(ODD_NUMBERS)),
                (DATE, st.sampled_from(EDGE_DAYS)),
            ]
        )
    )
    spots = [m.span(1) if m.group(1) else m.span(m.lastindex or 1) for m in pattern.finditer(text)]
    if not spots:
        return None
    start, end = draw(st.sampled_from(spots))
    return text[:start] + draw(values) + text[end:]


def _mutate(draw: st.DrawFn, text: str, valid: bool) -> str:
    kinds = ["valid"] if valid else ["valid", "scalar", "scalar", "insert", "delete", "line"]
    kind = draw(st.sampled_from([*kinds, "control"] if not valid else kinds))
    if kind == "valid":
        changed = _valid(draw, text)
        return text if changed is None and valid else changed or text
    if kind == "scalar":
        spots = [m.span() for m in SCALAR.finditer(text)]
        if spots:
            start, end = draw(st.sampled_from(spots))
            return text[:start] + draw(st.sampled_from(ODD)) + text[end:]
    if kind == "insert":
        at = draw(st.integers(0, len(text)))
        return text[:at] + draw(st.text(max_size=8)) + text[at:]
    if kind == "delete" and text:
        at = draw(st.integers(0, len(text) - 1))
        return text[:at] + text[at + draw(st.integers(1, 20)) :]
    if kind == "line":
        lines = text.split("\n")
        i = draw(st.integers(0, len(lines) - 1))
        lines.insert(draw(st.integers(0, len(lines))), lines[i])
        return "\n".join(lines)
    at = draw(st.integers(0, len(text)))
    return (
        text[:at] + draw(st.sampled_from(["\x1b[2J", "\r", "\x85", "\u2028", "\ufeff"])) + text[at:]
    )


@st.composite
def edited_example(draw: st.DrawFn) -> dict[str, str]:
    """Up to three files of the example, each edited one to three times."""
    from helpers import EXAMPLE

    edits: dict[str, str] = {}
    valid = draw(st.booleans())  # half the cases keep the YAML valid, so the views run
    for rel in draw(st.lists(st.sampled_from(FILES), min_size=1, max_size=3, unique=True)):
        text = (EXAMPLE / rel).read_text(encoding="utf-8")
        for _ in range(draw(st.integers(1, 3))):
            text = _mutate(draw, text, valid)
        edits[rel] = text
    return edits


VIEWS = [
    ("scorecard",),
    ("scorecard", "--format", "json"),
    ("scorecard", "--format", "markdown"),
    ("scorecard", "--format", "csv"),
    ("tree",),
    ("tree", "--format", "json"),
    ("history", "p99-latency"),
    ("history", "mrr", "--format", "json"),
    ("close", "2026-Q3"),
    ("close", "2026-Q3", "--format", "json"),
    ("plan", "2027-Q1", "--from", "2026-Q4", "--dry-run"),
]


def _check(result, args: tuple[str, ...], elapsed: float) -> None:
    shown = result.stdout + result.stderr
    assert result.exit_code in (0, 1, 2), (args, result)
    assert "internal error" not in shown and "Traceback" not in shown, (args, result)
    assert not RAW_CONTROL.search(shown), (args, RAW_CONTROL.search(shown), result)
    assert elapsed < SECONDS, (args, elapsed)
    if "json" in args and result.stdout:
        json.loads(result.stdout)


def _run(okr, root: Path, *args: str):
    start = time.monotonic()
    result = okr(*args, "--root", str(root), "--as-of", AS_OF)
    _check(result, args, time.monotonic() - start)
    return result


@pytest.fixture
def workspace(example: Path) -> Path:
    return example


@given(edits=edited_example(), view=st.sampled_from(VIEWS))
def test_a_mutated_example_never_breaks_okr(okr, workspace, edits, view):
    from helpers import EXAMPLE

    for rel, text in edits.items():
        note(f"{rel}: {text!r}")
        (workspace / rel).write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        report = _run(okr, workspace, "validate", "--format", "json")
        doc = json.loads(report.stdout)
        assert report.exit_code == (1 if doc["errors"] else 0)
        assert all(isinstance(d["line"], int) and d["line"] >= 1 for d in doc["diagnostics"])
        text = _run(okr, workspace, "validate")
        # a text diagnostic is one line: as many lines as diagnostics, and the count
        if doc["diagnostics"]:
            assert len(text.stderr.splitlines()) == len(doc["diagnostics"]) + 1
        _run(okr, workspace, *view)
    finally:
        for rel in edits:
            (workspace / rel).write_bytes((EXAMPLE / rel).read_bytes())


@given(
    option=st.sampled_from(["--as-of", "--period"]),
    value=st.one_of(st.sampled_from(ODD), st.text(max_size=12)),
    view=st.sampled_from(VIEWS[:8]),
)
def test_odd_options_are_usage_errors_or_work(okr, workspace, option, value, view):
    if option == "--period" and view[0] in ("history",):
        return
    start = time.monotonic()
    result = okr(*view, "--root", str(workspace), option, value)
    _check(result, (*view, option, value), time.monotonic() - start)
    assert result.exit_code in (0, 2), result  # the example itself is valid
