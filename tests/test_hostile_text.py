"""Text okr prints is shown, never obeyed: by the terminal, by Rich, by Markdown, by a
spreadsheet; and output to a stream that cannot encode Unicode falls back to ASCII.

Reproducers of issue #12: ``[/]`` in a title crashed ``okr history`` and ``okr close``;
``[link=…]`` in an author made a clickable spoof; ESC sequences (clear screen, OSC 52
clipboard writes, OSC 8 links) and CR reached the terminal raw.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import AS_OF, commit, git_init

# YAML double-quoted escapes: \e is ESC, \x9b the one-byte CSI, \u202e right-to-left override
ATTACK_YAML = (
    r"\e[2J\e]52;c;aGVsbG8=\a\e]8;;https://evil.example\e\\click\e]8;;\e\\"
    r" [/] [link=https://evil.example]spoof[/link] [bold red]x :smile: \x9b31m \u202eabc\r"
)
RAW = ("\x1b", "\x9b", "\x07", "\r", "\u202e")


def _plant(root: Path) -> None:
    """The attack in every field a user writes: org, team, titles, owners, units, notes."""

    def edit(rel: str, old: str, new: str) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    edit("okr.yaml", "org: Acme Inc.", f'org: "Acme {ATTACK_YAML}"')
    edit("okr.yaml", "{name: Platform,", f'{{name: "Platform {ATTACK_YAML}",')
    plan = "okrs/2026-Q4/platform.yaml"
    edit(plan, "title: Make the platform boringly reliable", f'title: "Reliable {ATTACK_YAML}"')
    edit(plan, "title: Cut API p99 latency", f'title: "=HYPERLINK(1) | <b>x</b> {ATTACK_YAML}"')
    edit(plan, "owner: alice", f'owner: "alice {ATTACK_YAML}"')
    edit(plan, "unit: ms", f'unit: "ms {ATTACK_YAML}"')
    edit("kpis/business.yaml", "title: New sign-ups per week", f'title: "Sign-ups {ATTACK_YAML}"')
    # a range's unit too (keep_between KRs and KPIs within a band)
    edit(
        "kpis/support.yaml",
        "    direction: within",
        f'    unit: "tickets {ATTACK_YAML}"\n    direction: within',
    )
    note = json.dumps("note " + ATTACK_YAML.replace("\\e", "\x1b").replace("\\a", "\x07"))
    with (root / "checkins" / "2026-11.yaml").open("a", encoding="utf-8") as f:
        f.write(
            '- {"at": "2026-11-21T09:00:00+00:00", "id": "p99-latency", "value": 600, '
            f'"by": "[link=https://evil.example]alice[/link] \\u001b[2J", "note": {note}}}\n'
        )


@pytest.fixture
def hostile(example: Path) -> Path:
    _plant(example)
    return example


VIEWS = [
    ("scorecard",),
    ("scorecard", "--format", "json"),
    ("scorecard", "--format", "markdown"),
    ("scorecard", "--format", "csv"),
    ("tree",),
    ("tree", "--format", "json"),
    ("history", "p99-latency"),
    ("history", "p99-latency", "--format", "json"),
    ("history", "p99-latency", "--format", "csv"),
    ("close", "2026-Q4"),
    ("close", "2026-Q4", "--format", "json"),
    ("close", "2026-Q4", "--format", "markdown"),
    ("plan", "2027-Q1", "--from", "2026-Q4", "--dry-run"),
]


@pytest.mark.parametrize("args", VIEWS, ids=[" ".join(v) for v in VIEWS])
def test_every_view_shows_the_attack_as_text(okr, hostile, args):
    as_of = "2027-01-05" if args[0] in ("close", "plan") else AS_OF
    result = okr(*args, "--root", str(hostile), "--as-of", as_of)
    assert result.exit_code == 0, result
    for raw in RAW:
        assert raw not in result.stdout and raw not in result.stderr, (raw, args)
    if "json" in args:
        json.loads(result.stdout)  # JSON stays JSON, the data intact
        assert "\\u001b[2J" in result.stdout and "\\u009b31m" in result.stdout
    elif "markdown" in args:
        assert "\\[/\\]" in result.stdout  # Markdown's brackets escaped
    elif args[0] != "plan":
        assert "[/]" in result.stdout  # Rich markup is text
        assert "\\x1b[2J" in result.stdout.replace("\\\\", "\\")  # ESC shown as an escape


def test_rich_markup_in_titles_no_longer_crashes_history_and_close(okr, hostile):
    history = okr("history", "p99-latency", "--root", str(hostile), "--as-of", AS_OF)
    assert "[link=https://evil.example]alice[/link]" in history.stdout
    assert ":smile:" in okr("scorecard", "--root", str(hostile), "--as-of", AS_OF).stdout
    close = okr("close", "2026-Q4", "--root", str(hostile), "--as-of", "2027-01-05")
    assert close.exit_code == 0 and "[bold red]x" in close.stdout


def test_csv_cells_a_spreadsheet_would_run_are_neutralised(okr, hostile):
    card = okr("scorecard", "--root", str(hostile), "--as-of", AS_OF, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(card.stdout)))
    title = next(r["title"] for r in rows if r["id"] == "p99-latency")
    assert title.startswith("'=HYPERLINK(1)")
    # numbers are numbers: a negative value is not a formula
    assert all(not r["current"].startswith("'") for r in rows)
    history = okr("history", "p99-latency", "--root", str(hostile), "--as-of", AS_OF, "-f", "csv")
    for row in csv.DictReader(io.StringIO(history.stdout)):
        for cell in (row["by"], row["note"]):
            assert not cell.startswith(("=", "+", "-", "@"))


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("ok", "ok")],
)
def test_csv_text_rule(cell, expected):
    from okrcli.render.text import csv_text

    assert csv_text(cell) == expected


def test_markdown_cells_are_escaped_in_every_markdown_view(okr, hostile):
    for args in (("scorecard",), ("close", "2026-Q4")):
        as_of = "2027-01-05" if args[0] == "close" else AS_OF
        md = okr(*args, "--root", str(hostile), "--as-of", as_of, "--format", "markdown").stdout
        assert "<b>" not in md and "&lt;b&gt;" in md
        assert "\\[link=https://evil.example\\]" in md
        columns = None  # every row of a table has as many cells as its header
        for line in md.splitlines():
            if not line.startswith("|"):
                columns = None
                continue
            cells = line.replace("\\|", "").count("|")
            columns = cells if columns is None else columns
            assert cells == columns, line
        table_rows = [line for line in md.splitlines() if "HYPERLINK" in line]
        assert table_rows and all("=HYPERLINK(1) \\| &lt;b&gt;" in row for row in table_rows)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a|b", "a\\|b"),
        ("a\\b", "a\\\\b"),
        ("`code`", "\\`code\\`"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("line\r\nbreak\nand\rCR", "line break and CR"),
        ("[click](https://evil)", "\\[click\\](https://evil)"),
        ("\x1b[2J", "\\\\x1b\\[2J"),
        ("_em_ **strong** ~~gone~~", "\\_em\\_ \\*\\*strong\\*\\* \\~\\~gone\\~\\~"),
        ("p99_latency", "p99\\_latency"),
    ],
)
def test_md_cell_rule(text, expected):
    from okrcli.render.text import md_cell

    assert md_cell(text) == expected


def test_diff_markdown_and_table_show_the_attack_as_text(okr, example):
    git_init(example)
    commit(example, "plans")
    _plant(example)
    for fmt in ("table", "markdown", "json"):
        result = okr("diff", "--root", str(example), "--as-of", AS_OF, "--format", fmt)
        assert result.exit_code == 0, result
        assert "owner" in result.stdout
        for raw in RAW:
            assert raw not in result.stdout + result.stderr
    md = okr("diff", "--root", str(example), "--as-of", AS_OF, "--format", "markdown").stdout
    assert "[link=" not in md.replace("\\[link=", "")


def test_a_text_diagnostic_is_always_one_line(okr, example):
    (example / "kpis" / "x.yaml").write_text(
        f'kpis:\n  - id: x\n    title: X\n    "bad\\nkey {ATTACK_YAML}": 1\n', encoding="utf-8"
    )
    (example / "okrs" / "2026-Q4" / "evil\nname\x1b[2J.yaml").write_text("team: [\n")
    result = okr("validate", "--root", str(example), "--as-of", AS_OF)
    assert result.exit_code == 1
    found = okr("validate", "--root", str(example), "--as-of", AS_OF, "--format", "json")
    count = len(json.loads(found.stdout)["diagnostics"])
    lines = result.stderr.splitlines()
    assert len(lines) == count + 1  # one line per diagnostic, and the count
    assert any(line.startswith("kpis/x.yaml:4:5: error[unknown-key]") for line in lines)
    assert any(line.startswith("okrs/2026-Q4/evil\\nname\\x1b[2J.yaml:") for line in lines)
    for raw in RAW:
        assert raw not in result.stderr
    github = okr("validate", "--root", str(example), "--as-of", AS_OF, "--format", "github")
    assert len(github.stdout.splitlines()) == count
    assert "\x1b" not in github.stdout


def test_checkin_and_import_messages_show_the_attack_as_text(okr, example, tmp_path):
    result = okr(
        "checkin", "mrr", "1400", "--root", str(example), "--at", "2026-11-21",
        "--note", "\x1b]52;c;aGVsbG8=\x07 [/]", "--by", "[link=x]me[/link]\r",
    )  # fmt: skip
    assert result.exit_code == 0, result
    for raw in RAW:
        assert raw not in result.stdout + result.stderr
    # ...while the journal keeps exactly what was written
    journal = (example / "checkins" / "2026-11.yaml").read_text(encoding="utf-8")
    assert '"note": "\\u001b]52;c;aGVsbG8=\\u0007 [/]"' in journal
    bad = okr("checkin", "no\x1b[2Jsuch", "1", "--root", str(example))
    assert bad.exit_code == 1 and "\x1b" not in bad.stderr and "\\x1b[2J" in bad.stderr
    rows = tmp_path / "rows.csv"
    rows.write_text("id,at,value,note\nmrr,2026-11-21,x\x1b[2J,n\n", encoding="utf-8")
    imported = okr("import", str(rows), "--root", str(example))
    assert imported.exit_code == 1
    assert "\x1b" not in imported.stderr and "\\x1b[2J" in imported.stderr


def _okr_process(args: list[str], env: dict[str, str], stdout: object) -> int:
    done = subprocess.run(
        [sys.executable, "-m", "okrcli", *args],
        env={**os.environ, **env},
        stdout=stdout,  # type: ignore[arg-type]
        stderr=subprocess.PIPE,
        timeout=60,
    )
    assert b"Traceback" not in done.stderr and b"internal error" not in done.stderr, done.stderr
    return done.returncode


@pytest.mark.parametrize("encoding", ["cp1252", "ascii", "latin-1"])
def test_output_to_a_stream_that_cannot_encode_unicode_falls_back_to_ascii(
    example, tmp_path, encoding
):
    env = {"PYTHONIOENCODING": encoding, "NO_COLOR": "1", "COLUMNS": "100"}
    for args, name in (
        (["scorecard", "--as-of", AS_OF], "scorecard"),
        (["tree", "--as-of", AS_OF], "tree"),
        (["history", "p99-latency", "--as-of", AS_OF], "history"),
        (["close", "2026-Q4", "--as-of", "2027-01-05"], "close"),
        (["scorecard", "--as-of", AS_OF, "--format", "markdown"], "markdown"),
    ):
        out = tmp_path / f"{name}.txt"
        with out.open("wb") as f:
            code = _okr_process(["--root", str(example), *args], env, f)
        assert code == 0, name
        text = out.read_bytes().decode(encoding)  # it is text of that encoding
        assert "█" not in text
        if name == "scorecard":
            assert "##" in text and ".." in text  # progress bars in ASCII
            assert "->" in text  # start -> current -> target


def test_a_unicode_stream_keeps_the_glyphs(example, tmp_path):
    out = tmp_path / "scorecard.txt"
    with out.open("wb") as f:
        code = _okr_process(
            ["--root", str(example), "scorecard", "--as-of", AS_OF],
            {"PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"},
            f,
        )
    assert code == 0
    assert "█" in out.read_text(encoding="utf-8")
