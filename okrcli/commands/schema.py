"""``okr schema``: JSON Schema of okr's files, for editors and third-party validators."""

from __future__ import annotations

import json
from typing import Any

from okrcli.output import out

TITLES = {
    "settings": "okr settings (okr.yaml)",
    "plan": "okr plan (okrs/<period>/<team>.yaml)",
    "kpi": "okr KPI definitions (kpis/*.yaml)",
    "journal": "okr check-in journal (checkins/<YYYY-MM>.yaml)",
}


def schema_for(kind: str) -> dict[str, Any]:
    from pydantic import TypeAdapter

    from okrcli.models import FILE_MODELS

    model = FILE_MODELS[kind]
    result: dict[str, Any] = TypeAdapter(model).json_schema()
    result = {"$schema": "https://json-schema.org/draft/2020-12/schema", **result}
    result["title"] = TITLES[kind]
    if kind == "journal":  # a list, not a model: the records' fields are described
        result["description"] = (
            "The check-in journal: a list of records, one per line, newest last."
        )
    return result


def schema(kind: str | None) -> int:
    if kind is not None:
        doc: dict[str, Any] = schema_for(kind)
    else:
        doc = {name: schema_for(name) for name in TITLES}
    out(json.dumps(doc, indent=2))
    return 0
