"""The journal's fast path reads exactly what the YAML path reads, or steps aside."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest
from helpers import AS_OF, EXAMPLE

from okrcli import reader as loader
from okrcli.journal import fast_journal, format_record
from okrcli.yamlsource import parse

LINES = [
    format_record({"at": "2026-11-20T10:31:00+00:00", "id": "p99", "value": 620}),
    format_record(
        {
            "at": "2026-11-20T10:31:00+01:00",
            "id": "p99",
            "period": "2026-Q4",
            "value": 1.5e3,
            "confidence": 0.7,
            "by": "Zoë",
            "note": 'said "ok" \\ done\tthen\nnext',
        }
    ),
    format_record({"at": "2026-11-20", "id": "ship", "value": True}),
    format_record({"at": "2026-11-21T00:00:00Z", "id": "k", "value": -0.0, "period": 2026}),
    # status updates: no value, a note, a confidence or a health instead
    format_record(
        {"at": "2026-11-22T09:00:00Z", "id": "p99", "note": "blocked", "confidence": 0.4}
    ),
    format_record({"at": "2026-11-22T09:00:00Z", "id": "k", "health": "red", "note": "outage"}),
    "# a comment line\n",
    "\n",
]


def _slow(text):
    doc = parse(text, "checkins/2026-11.yaml")
    assert doc.ok
    out = []
    for i, item in enumerate(doc.data):
        rec = loader._record().validate_python(item)
        fields = (
            rec.at, rec.id, rec.period, rec.value, rec.confidence, rec.by, rec.note, rec.health
        )  # fmt: skip
        out.append((doc.data.items_at[i][0], i, fields))
    return out


def test_fast_path_equals_yaml_path_on_okr_lines():
    text = "".join(LINES)
    fast = fast_journal(text)
    assert fast is not None
    assert fast == _slow(text)
    assert [type(f[2][3]) for f in fast] == [type(f[2][3]) for f in _slow(text)]


@pytest.mark.parametrize(
    "text",
    [
        '- {"at": "2026-11-20", "id": "a", "value": 1, "value": 2}\n',  # duplicate key
        '- {"at": "2026-11-20", "id": "a", "value": NaN}\n',  # not finite
        '- {"at": "2026-11-20", "id": "a", "value": 1e999}\n',  # overflows
        '- {"at": "2026-11-20", "id": "a", "value": "1"}\n',  # text, not a number
        '- {"at": "2026-11-20", "id": "A", "value": 1}\n',  # invalid id
        '- {"at": "2026-11-20", "id": "a", "value": 1, "extra": 1}\n',  # unknown key
        '- {"at": "2026-11-20", "id": "a", "value": 1, "note": "\\u00e9"}\n',  # \\u escape
        '- {"at": "2026-11-20", "id": "a", "value": 1, "note": "a\\/b"}\n',  # \\/ escape
        '- {"at": "2026-11-20", "id": "a", "value": 1, "note": "x\x85y"}\n',  # NEL
        '- {"at": "2026-11-20", "id": "a", "value": 1}, {"at": "2026-11-20", "id": "b", '
        '"value": 2}\n',  # two records on one line
        '- {"at": "2026-11-20", "id": "a", "value": 1, "note": "x}\n- {y"}\n',  # split
        "- at: 2026-11-20\n  id: a\n  value: 1\n",  # block style
        '- {"at": "2026-11-20", "id": "a", "value": 1}  # trailing comment\n',
        '- {"at": "yesterday", "id": "a", "value": 1}\n',
        '- {"at": "2026-11-20", "id": "a"}\n',  # no value and nothing instead
        '- {"at": "2026-11-20", "id": "a", "health": "purple"}\n',
    ],
)
def test_fast_path_steps_aside_for_anything_unusual(text):
    assert fast_journal(text) is None


def _validate_json(okr, root):
    result = okr("validate", "--root", str(root), "--as-of", AS_OF, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def test_same_diagnostics_with_and_without_the_fast_path(okr, tmp_path, monkeypatch):
    root = tmp_path / "acme"
    shutil.copytree(EXAMPLE, root)
    nov = len((root / "checkins" / "2026-11.yaml").read_text().splitlines())
    oct_ = len((root / "checkins" / "2026-10.yaml").read_text().splitlines())
    with open(root / "checkins" / "2026-11.yaml", "a") as f:
        f.write(format_record({"at": "2026-11-21T09:00:00+00:00", "id": "p99-latncy", "value": 1}))
        f.write(format_record({"at": "2026-12-02T09:00:00+00:00", "id": "api-uptime", "value": 1}))
    with open(root / "checkins" / "2026-10.yaml", "a") as f:
        f.write(format_record({"at": "2026-10-21T09:00:00+00:00", "id": "runbooks", "value": 3}))
    fast = _validate_json(okr, root)
    monkeypatch.setattr(loader, "split_journal", lambda text, wanted=None, take=None: None)
    slow = _validate_json(okr, root)
    assert fast == slow
    places = {(d["code"], d["file"], d["line"], d["column"]) for d in fast[1]["diagnostics"]}
    assert places == {
        ("checkin-unknown-id", "checkins/2026-11.yaml", nov + 1, 45),
        ("checkin-file", "checkins/2026-11.yaml", nov + 2, 10),
        ("future-checkin", "checkins/2026-11.yaml", nov + 2, 10),
        ("checkin-value", "checkins/2026-10.yaml", oct_ + 1, 66),
    }


def test_reading_only_one_id_keeps_true_places(tmp_path):
    from okrcli.loader import load_workspace

    root = tmp_path / "acme"
    shutil.copytree(EXAMPLE, root)
    full = load_workspace(root)
    part = load_workspace(root, only="p99-latency")
    expected = [(c.path, c.line, c.index, c.value) for c in full.checkins if c.id == "p99-latency"]
    assert [(c.path, c.line, c.index, c.value) for c in part.checkins] == expected
    assert len(expected) == 4
    # a KR linked to a KPI brings the KPI's values along
    linked = load_workspace(root, only="uptime-held")
    assert {c.id for c in linked.checkins} == {"api-uptime"}


def test_a_lean_checkin_keeps_its_place_and_target():
    from datetime import date, datetime, timezone

    from okrcli.periods import parse_period
    from okrcli.workspace import Checkin, target_of

    at = datetime(2026, 11, 20, 10, tzinfo=timezone.utc)
    far = Checkin(
        at, "p99", None, 1, None, None, None, "checkins/x.yaml", 400_001, 399_999, at.date()
    )
    assert (far.line, far.index, far.kind, far.target_id) == (400_001, 399_999, None, None)
    new = Checkin(
        at, "p99", None, 1, None, None, None, "checkins/x.yaml", 0, -1, date(2026, 11, 20)
    )
    assert (new.line, new.index) == (0, -1)
    near = Checkin(at, "p99", "2026-Q4", 1, None, None, None, "x", 32_767, 32_766, at.date(), "red")
    assert (near.line, near.index, near.period, near.health) == (32_767, 32_766, "2026-Q4", "red")
    plain = Checkin(at, "p99", None, 1, None, None, None, "x", 12, 11, at.date())
    assert (plain.line, plain.index, plain.period, plain.health) == (12, 11, None, None)
    q4 = parse_period("2026-Q4")
    new.target = target_of("kr", q4, "p99-latency")
    assert (new.kind, new.target_period, new.target_id) == ("kr", q4, "p99-latency")
    assert new.target is target_of("kr", parse_period("2026-Q4"), "p99-latency")  # shared


def test_rebuild_gives_the_model_that_was_validated():
    """The parse cache's copy of a model (``rebuild``) is the validated model, field for
    field: equal, hashed alike, dumped alike; a partial copy takes the defaults."""
    from okrcli.models import KPI, KeyResult, rebuild

    kr = KeyResult.model_validate(
        {"id": "p99", "title": "Cut p99", "start": 850, "target": 300, "unit": "ms"}
    )
    again = rebuild(KeyResult, kr.model_dump())
    assert type(again) is KeyResult and again == kr and hash(again) == hash(kr)
    assert again.model_dump() == kr.model_dump()
    assert again.model_fields_set == set(KeyResult.model_fields)
    kpi = KPI.model_validate({"id": "up", "title": "Uptime", "target": 99.9})
    partial = rebuild(KPI, {"id": "up", "title": "Uptime", "target": 99.9})
    assert partial == kpi.model_construct(**kpi.model_dump(exclude_unset=True))
    assert partial.model_dump() == kpi.model_dump()


@pytest.mark.parametrize(
    "tail",
    [
        "",  # every line okr's own: read straight into the workspace
        "- at: 2026-11-21T09:00:00+00:00\n  id: p99-latency\n  value: 500\n",  # by hand
        "late: true\n",  # not a list of records: the whole file is YAML's (and an error)
    ],
    ids=["okr-lines", "hand-written", "not-a-list"],
)
def test_without_a_cache_the_journal_is_read_as_with_one(tmp_path, monkeypatch, tail):
    """With no cache to keep records in, a journal file in okr's format goes into the
    workspace a chunk at a time; a file that turns out to need another way, after many
    chunks were taken, leaves none of them behind."""
    from okrcli.loader import load_workspace

    root = tmp_path / "acme"
    shutil.copytree(EXAMPLE, root)
    lines = [
        format_record({"at": f"2026-11-{1 + i % 20:02d}T09:00:00+00:00", "id": "p99-latency",
                       "value": 500 + i % 97})
        for i in range(3 * 4096 + 5)
    ]  # fmt: skip
    (root / "checkins" / "2026-11.yaml").write_text("".join(lines) + tail)

    def seen(ws):
        return (
            [(c.path, c.line, c.index, c.id, c.at, c.value) for c in ws.checkins],
            [str(d) for d in ws.diagnostics],
        )

    monkeypatch.setenv("OKR_CACHE_DIR", str(tmp_path / "cache"))
    kept = seen(load_workspace(root, today=date(2026, 11, 22)))
    monkeypatch.setenv("OKR_NO_CACHE", "1")
    streamed = seen(load_workspace(root, today=date(2026, 11, 22)))
    assert streamed == kept
    november = [c for c in streamed[0] if c[0] == "checkins/2026-11.yaml"]
    assert len(november) == (0 if tail.startswith("late") else len(lines) + bool(tail))
