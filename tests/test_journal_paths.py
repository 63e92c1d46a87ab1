"""The journal's fast path and its YAML path agree on every input (a differential test).

``okrcli.journal.fast_journal`` reads okr's one-line layout with the JSON parser and may
decline any file; whenever it accepts one, the YAML path (``okrcli.reader.yaml_journal``,
which alone reports problems) must find no error in it and give exactly the same records,
value types included.  Reproducers of issue #12 are listed first; hypothesis then feeds
both paths the same generated files.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from okrcli.diagnostics import ERROR
from okrcli.journal import fast_journal
from okrcli.reader import yaml_journal
from okrcli.yamlsource import parse

PATH = "checkins/2026-11.yaml"


def _typed(records: list[tuple[int, int, tuple[Any, ...]]]) -> list[Any]:
    return [(n, i, tuple((type(x).__name__, x) for x in f)) for n, i, f in records]


def assert_agree(text: str) -> None:
    fast = fast_journal(text)
    slow, diagnostics = yaml_journal(parse(text, PATH))
    if fast is None:
        return  # the fast path may always decline; the YAML path then decides alone
    errors = [d for d in diagnostics if d.severity == ERROR]
    assert errors == [], (text, fast)
    assert _typed(fast) == _typed(slow), text
    # reading one id's records (``okr checkin``) gives that id's records of the same file
    # (lines that do not name it are not read at all, so only a file read whole counts)
    wanted = frozenset({"p99"})
    only = fast_journal(text, wanted)
    assert only is not None
    assert _typed(only) == _typed(yaml_journal(parse(text, PATH), wanted)[0])


LINE = '- {"at": "2026-11-20T10:31:00+00:00", "id": "p99", "value": 620}'

REPRODUCERS = [
    LINE + "\r" + LINE + "\n",  # a lone CR is a line break for YAML
    "# a comment\r" + LINE + "\n",  # ...so this comment hid a record from the fast path
    LINE + "\n\t# a tab-indented comment\n",  # YAML refuses the tab
    LINE + "\n\t\n",
    LINE + "\n  \t# spaces then a tab\n",
    '- {"at": "2026-11-20", "id": "p99\\n", "value": 1}\n',  # `$` matched before a newline
    '- {"at": "2026-11-20", "id": "p99", "period": "2026-Q4\\n", "value": 1}\n',
    '- {"at": "2026-11-20", "id": "p99", "period": 2026, "value": 1}\n',
    '- {"at": "2026-11-20", "id": "p99", "value": ' + "1" * 5000 + "}\n",
    '- {"at": "2026-11-20", "id": "p99", "value": 1e999}\n',
    '- {"at": "2026-11-20", "id": "p99", "value": true}\n',
    '- {"at": "9999-12-31T23:00:00-05:00", "id": "p99", "value": 1}\n',
    '- {"at": "2026-11-20", "id": "p99", "value": 1}\t\n',
    '- {"at": "2026-11-20", "id": "p99", "value": 1} # trailing comment\n',
    '- {"at": "2026-11-20",\n   "id": "p99", "value": 1}\n',
    '- {"at": "2026-11-20", "id": "p99", "value": 1, "id": "q"}\n',
    '- {"at": "2026-11-20", "id": "p99", "value": 1}\r\n# ok\r\n',
    '- {"at": "2026-11-20", "id": "p99", "value": 1, "note": "a\\tb \\"q\\" \\\\"}\n',
    '- {"at": "2026-11-20", "id": "p99", "value": 1, "note": "\\u001b[2J"}\n',
    '- {"at": "2026-11-20", "id": "p99", "value": 1, "note": "\x85"}\n',
    '- {"at": "2026-11-20", "id": "p99", "value": -0}\n',
    '- {"at": "2026-11-20", "id": "p99", "value": 1E5}\n',
]


@pytest.mark.parametrize("text", REPRODUCERS)
def test_reproducers(text):
    assert_agree(text)


def test_the_reproducers_exercise_the_fast_path():
    accepted = [t for t in REPRODUCERS if fast_journal(t) is not None]
    assert len(accepted) >= 5  # the agreement above is not vacuous


# --- generated files ----------------------------------------------------------------------

tricky_text = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=12),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=12),
    st.text(max_size=12),
    st.sampled_from(
        ["p99", "p99\n", "2026-Q4", "2026-Q4\n", "2026", "２０２６", "a b", "#", "\t", "\\", "é"]
    ),
)
plain_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=12)
good_times = st.sampled_from(
    ["2026-11-20", "2026-11-20T10:31:00+00:00", "2026-11-20T10:31:00Z", "2026-11-20 10:31"]
)
odd_times = st.sampled_from(
    [
        " 2026-11-20",
        "2026-11-20\n",
        "9999-12-31T23:00:00-05:00",
        "0001-01-01T00:00:00+01:00",
        "2026-02-30",
        "２０２６-11-20",
    ]
)
good_numbers = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
)
odd_numbers = st.sampled_from([-0.0, 1e308, 10**400, True, False, None])
fractions = st.floats(min_value=0, max_value=1)


@st.composite
def mostly(draw: st.DrawFn, good: st.SearchStrategy[Any], odd: st.SearchStrategy[Any]) -> Any:
    """Usually a valid value, sometimes an odd one."""
    return draw(odd if draw(st.integers(0, 9)) == 0 else good)


records = st.fixed_dictionaries(
    {
        "at": mostly(good_times, st.one_of(odd_times, tricky_text)),
        "id": mostly(
            st.sampled_from(["p99", "uptime", "a.b_c-1"]),
            st.sampled_from(["P99", "p99\n", "-x", "", "p 99", "ｐ99"]),
        ),
        "value": mostly(good_numbers, st.one_of(odd_numbers, tricky_text)),
    },
    optional={
        "period": mostly(st.sampled_from(["2026-Q4", "2026", 2026]), tricky_text),
        "confidence": mostly(fractions, st.one_of(odd_numbers, good_numbers)),
        "by": mostly(plain_text, st.one_of(tricky_text, good_numbers)),
        "note": mostly(plain_text, st.one_of(tricky_text, good_numbers)),
        "extra": tricky_text,  # an unknown key, mostly removed below
    },
)


@st.composite
def journal_texts(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["record", "record", "record", "comment", "blank"]))
        if kind == "record":
            record = draw(records)
            if "extra" in record and draw(st.integers(0, 9)):
                del record["extra"]
            body = json.dumps(record, ensure_ascii=draw(st.integers(0, 5)) == 0)
            if draw(st.booleans()):
                body = body.replace(", ", draw(st.sampled_from([",", ",  ", ",\t"])))
            parts.append("- " + body + draw(st.sampled_from(["", "", "", " ", "\t", "  # c"])))
        elif kind == "comment":
            indent = draw(st.sampled_from(["", "", " ", "  ", "\t"]))
            parts.append(indent + "# " + draw(tricky_text))
        else:
            parts.append(draw(st.sampled_from(["", "", " ", "\t"])))
        parts.append(draw(st.sampled_from(["\n"] * 6 + ["\r\n", "\r"])))
    return "".join(parts)


@given(journal_texts())
@example(LINE + "\r" + LINE + "\n")
def test_both_paths_agree_on_generated_files(text):
    assert_agree(text)


@given(journal_texts(), st.sampled_from([{"p99"}, {"uptime"}, {"p99", "a.b_c-1"}, {"nothing"}]))
@example(LINE + LINE.replace("p99", "uptime"), {"p99"})
def test_reading_one_ids_lines_by_search_is_reading_them_line_by_line(text, wanted):
    """``okr checkin`` and ``okr history`` find one id's lines by string search in a file of
    okr's records only; they get exactly what reading every line gives."""
    from okrcli import journal

    wanted = frozenset(wanted)
    quick = journal.split_journal(text, wanted)
    real = journal._lines_naming
    try:
        journal._lines_naming = lambda text, wanted: None  # every line, one by one
        slow = journal.split_journal(text, wanted)
    finally:
        journal._lines_naming = real
    assert quick == slow


@given(journal_texts())
def test_both_paths_agree_when_lines_are_decoded_in_small_chunks(text):
    """Large files are decoded a chunk of lines at a time; a chunk boundary changes
    nothing (here chunks of two lines, so that every boundary is crossed)."""
    from okrcli import journal

    size = journal._CHUNK
    journal._CHUNK = 2
    try:
        assert_agree(text)
    finally:
        journal._CHUNK = size
