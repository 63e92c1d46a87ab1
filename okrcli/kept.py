"""A report's view kept between runs: the scorecard and the alignment tree.

``okr scorecard`` and ``okr tree`` on a workspace whose every file is, byte for byte, what
it was at the last such run, asking the same question (period, team, owner, statuses,
``--as-of``) on the same day with the same okr and Python, build the same view.  So the
view is kept, in its exact plain form (``okrcli.viewdata.encode``), in the parse cache's
folder (``okrcli.cache``: signed, private to the user, ``OKR_NO_CACHE=1`` turns it off),
and the next such run shows it after one pass that reads and hashes the files
(``okrcli.checked.scan``), without loading or evaluating anything.  Every output format is
drawn from the view, so a table, Markdown, CSV or JSON of a kept view is the one a fresh
run would print.

What is kept is only what a clean run made: a workspace with errors in its files (whose
report says so and exits 1) is worked out afresh every time, and a view is kept only if
the files did not change while it was built.  The notes such a run writes on stderr (the
period chosen for you) are kept with it and written again.  Each report has one slot per
workspace: a new question replaces the last answer.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from okrcli import cache, checked, timeutil
from okrcli.viewdata import View, decode, encode

_KIND = "report"


@dataclass
class Question:
    """A report asked of the workspace at ``root``, and the scan of its files."""

    root: Path
    report: str  # "scorecard" or "tree"
    options: dict[str, Any]
    as_of: date | None
    scan: checked.Scan | None

    @property
    def _slot(self) -> str:
        return cache.slot(_KIND, self.root, self.report)

    @property
    def _content(self) -> str:
        assert self.scan is not None
        asked = json.dumps(
            [self.report, self.options, self.as_of and self.as_of.isoformat()], sort_keys=True
        )
        h = hashlib.blake2b(self.scan.fingerprint.encode(), digest_size=20)
        h.update(b"\0" + asked.encode("utf-8", "surrogateescape"))
        return h.hexdigest()


def ask(root: Path, report: str, options: dict[str, Any], as_of: date | None) -> Question:
    """The question, with the files as they are now (unscanned when the cache is off or an
    append is unfinished: nothing is then recalled or kept)."""
    return Question(root, report, options, as_of, checked.scan(root))


def recall(question: Question) -> tuple[View, list[str]] | None:
    """The view kept for ``question`` and the notes its run wrote, if the files, the
    question and the day are the same; else None."""
    if question.scan is None:
        return None
    kept = cache.recall(question._slot, question._content)
    if not isinstance(kept, dict):
        return None
    try:
        day = date.fromisoformat(kept["day"])
        if day != (question.as_of or timeutil.today(timeutil.zone_or_utc(kept["zone"]))):
            return None
        notes = [str(n) for n in kept["notes"]]
        return decode(kept["view"]), notes
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        return None  # an entry of another shape: work the report out


def keep(question: Question, view: View, notes: list[str], zone: str | None, day: date) -> None:
    """Keep ``view`` (built on ``day`` from a workspace without errors, in the time zone
    named ``zone``) and its ``notes`` for ``question``; unless the files changed since they
    were scanned."""
    if question.scan is None or checked.scan(question.root) != question.scan:
        return
    value = {"day": day.isoformat(), "zone": zone, "notes": notes, "view": encode(view)}
    cache.keep(question._slot, question._content, value)
