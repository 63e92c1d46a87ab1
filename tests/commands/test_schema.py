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


def _properties(schema: dict):
    """(where, name, property schema) of every property of every object in ``schema``."""
    objects = [("file", schema), *((name, d) for name, d in schema.get("$defs", {}).items())]
    for where, obj in objects:
        for name, prop in obj.get("properties", {}).items():
            yield where, name, prop


def _types(prop: dict) -> set[str]:
    found = {prop["type"]} if isinstance(prop.get("type"), str) else set()
    for option in prop.get("anyOf", []):
        found |= _types(option)
    return found


def _bounded(prop: dict) -> bool:
    keys = {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum", "const"}
    return bool(keys & set(prop)) or any(_bounded(o) for o in prop.get("anyOf", []))


@pytest.mark.parametrize("kind", ["settings", "plan", "kpi", "journal"])
def test_every_field_teaches_its_meaning_an_example_and_its_range(schemas, kind):
    schema = schemas[kind]
    assert schema.get("description"), kind
    seen = 0
    for where, name, prop in _properties(schema):
        seen += 1
        assert len(prop.get("description", "")) > 10, f"{kind} {where}.{name}: no description"
        examples = prop.get("examples")
        assert examples, f"{kind} {where}.{name}: no example"
        alone = {k: v for k, v in prop.items() if k != "examples"}
        for example in examples:
            # every example is a valid value of its field
            jsonschema.validate(example, {**alone, "$defs": schema.get("$defs", {})})
        if _types(prop) & {"number", "integer"} and not _bounded(prop):
            assert "any finite number" in prop["description"].lower(), f"{where}.{name}"
    assert seen >= 4
    for name, definition in schema.get("$defs", {}).items():
        assert definition.get("description"), f"{kind} {name}: no description"
