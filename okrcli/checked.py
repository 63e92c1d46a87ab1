"""A workspace's validation kept between runs.

``okr validate`` on a workspace whose every file is, byte for byte, what it was at the
last run, on the same day, with the same okr and Python, gives the same diagnostics: they
are kept in the parse cache's folder (``okrcli.cache``: signed, private to the user,
``OKR_NO_CACHE=1`` turns it off) and the next such run answers from one pass that reads
and hashes the files, without parsing or checking anything.

What the answer depends on, and so what the *fingerprint* covers:

* every file okr reads: ``okr.yaml`` and every goal file (its path and its bytes, or why
  the safe reader refuses it: a link out of the workspace, a FIFO, a file too large);
* the day the lint rules judge against (stale KPIs, check-ins in the future): ``--as-of``,
  or today in the organisation's time zone, checked again on every answer;
* okr's code (every module, not only the readers) and Python's version.

While an append is unfinished (an intent file is present) nothing is answered or kept,
and an answer is kept only when the files did not change while they were checked.  The
workspace has one slot: a new answer replaces the old one.
"""

from __future__ import annotations

import hashlib
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from okrcli import cache, timeutil, undo
from okrcli.diagnostics import Diagnostic
from okrcli.layout import MARKER, goal_files
from okrcli.yamlsource import read_bytes

_KIND = "validate"


@lru_cache(maxsize=1)
def _code() -> bytes:
    """A digest of every module of okr (a rule changed is an answer changed)."""
    h = hashlib.blake2b(digest_size=20)
    here = Path(__file__).resolve().parent
    for path in sorted(here.rglob("*.py")):
        h.update(path.relative_to(here).as_posix().encode() + b"\0")
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"\xff")
    return h.digest()


def fingerprint(root: Path) -> str | None:
    """What the diagnostics of the workspace at ``root`` are made from, as one digest;
    None while an append is unfinished."""
    if cache.folder() is None or undo.pending(root):
        return None
    h = hashlib.blake2b(_code(), digest_size=20)
    for rel in (MARKER, *(rel for rel, _ in goal_files(root))):
        raw, problem = read_bytes(root, rel)
        if raw is None:
            raw = b"\xffnot read: " + (problem.message.encode() if problem else b"")
        h.update(f"{rel}\0{len(raw)}\0".encode("utf-8", "surrogateescape"))
        h.update(raw)
    return h.hexdigest()


def _slot(root: Path) -> str:
    return cache.slot(_KIND, root, "")


def recall(root: Path, print_: str, as_of: date | None) -> list[Diagnostic] | None:
    """The diagnostics kept for files with fingerprint ``print_``, if they were judged on
    the day this run judges on; else None."""
    hit = cache.recall(_slot(root), print_)
    if not isinstance(hit, dict):
        return None
    try:
        day = date.fromisoformat(hit["day"])
        if day != (as_of or timeutil.today(_zone(hit["zone"]))):
            return None
        return [Diagnostic(code, f, int(line), int(column), message)
                for code, f, line, column, message in hit["diagnostics"]]  # fmt: skip
    except (KeyError, TypeError, ValueError):
        return None  # an entry of another shape: check the files


def keep(root: Path, print_: str, day: date, zone: str | None, found: list[Diagnostic]) -> None:
    """Keep ``found``, the diagnostics of files with fingerprint ``print_`` judged on
    ``day``, unless the files changed meanwhile."""
    if fingerprint(root) != print_:
        return
    value: dict[str, Any] = {
        "day": day.isoformat(),
        "zone": zone,
        "diagnostics": [[d.code, d.file, d.line, d.column, d.message] for d in found],
    }
    cache.keep(_slot(root), print_, value)


def _zone(name: Any) -> Any:
    if not isinstance(name, str):
        return timeutil.UTC
    try:
        return timeutil.zone_named(name)
    except ValueError:
        return timeutil.UTC
