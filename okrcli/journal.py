"""The append-only check-in journal: ``checkins/<YYYY-MM>.yaml``, one record per line.

okr writes each record as a JSON-compatible flow mapping (valid YAML) on one line, keys in
a fixed order, so that appends are whole lines and the file stays easy to read and merge.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

RECORD_KEYS = ("at", "id", "period", "value", "confidence", "by", "note")


def format_at(moment: datetime) -> str:
    """ISO 8601 with an explicit offset, to the second."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.isoformat(timespec="seconds")


def format_record(record: dict[str, Any]) -> str:
    """One journal line (with its newline) for ``record``; absent keys are left out."""
    ordered = {k: record[k] for k in RECORD_KEYS if record.get(k) is not None}
    if isinstance(ordered.get("at"), datetime):
        ordered["at"] = format_at(ordered["at"])
    return "- " + json.dumps(ordered, ensure_ascii=False, allow_nan=False) + "\n"


def journal_file(moment: datetime) -> str:
    """The workspace-relative journal file of a record made at ``moment`` (its UTC month)."""
    return f"checkins/{moment.astimezone(timezone.utc):%Y-%m}.yaml"
