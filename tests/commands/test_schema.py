"""``okr schema``: JSON Schema that third-party validators accept."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from helpers import EXAMPLE


@pytest.fixture
def schemas(okr):
    result = okr("schema")
    assert result.exit_code == 0
    return json.loads(result.stdout)


def test_all_four_kinds(schemas):
    assert sorted(schemas) == ["journal", "kpi", "plan", "settings"]
    for schema in schemas.values():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_one_kind(okr, schemas):
    result = okr("schema", "plan")
    assert json.loads(result.stdout) == schemas["plan"]
    assert okr("schema", "nonsense").exit_code == 2


def _files(pattern):
    return sorted(EXAMPLE.glob(pattern))


@pytest.mark.parametrize(
    ("kind", "pattern"),
    [
        ("settings", "okr.yaml"),
        ("plan", "okrs/*/*.yaml"),
        ("kpi", "kpis/*.yaml"),
        ("journal", "checkins/*.yaml"),
    ],
)
def test_the_example_files_satisfy_the_schema(schemas, kind, pattern):
    files = _files(pattern)
    assert files
    for path in files:
        jsonschema.validate(yaml.safe_load(path.read_text()), schemas[kind])


@pytest.mark.parametrize(
    ("kind", "document"),
    [
        ("plan", {"team": "x", "objectives": [{"id": "o", "title": "O", "tagret": 1}]}),
        ("plan", {"team": "Bad Id"}),
        (
            "kpi",
            {"kpis": [{"id": "k", "title": "K", "direction": "sideways", "cadence": "weekly"}]},
        ),
        ("journal", [{"at": "2026-11-20", "id": "k", "value": 1, "confidence": 2}]),
        ("settings", {"version": 1, "org": "X", "teams": {}, "fiscal_year_start": 13}),
    ],
)
def test_the_schema_rejects_what_okr_rejects(schemas, kind, document):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schemas[kind])
