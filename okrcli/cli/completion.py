"""Shell completion: what okr offers when <TAB> is pressed, from the workspace.

typer answers the shell's completion protocol (``_OKR_COMPLETE=complete_bash`` with
``COMP_WORDS``/``COMP_CWORD``, and its zsh, fish and PowerShell siblings); the functions
here give the values: KR and KPI ids (titles as descriptions), team ids, planned periods,
owners, git revisions, and the choices of an option.

Completion must answer while the person waits, so it reads definitions only, never the
journal, and reads them from the parse cache (``okrcli.cache``, filled by every other
command): a plan or KPI file whose entry is there costs one file read and one cache read,
without pydantic models.  A file that is not in the cache yet is read the ordinary way
(``okrcli.reader``), which fills the cache for the next time.  Anything that goes wrong
offers nothing: completion never prints an error.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

import typer

Item = tuple[str, str]  # (value, description)


@dataclass
class KeyResultInfo:
    id: str
    title: str
    period: str
    type: str | None
    linked: bool  # takes its values from a KPI
    dropped: bool


@dataclass
class Definitions:
    """What completion offers, read from the workspace's definitions."""

    fiscal_start: int = 1
    teams: dict[str, str] = field(default_factory=dict)  # id -> name
    periods: set[str] = field(default_factory=set)
    key_results: list[KeyResultInfo] = field(default_factory=list)
    kpis: dict[str, str] = field(default_factory=dict)  # id -> title
    owners: set[str] = field(default_factory=set)


# --- reading the definitions ------------------------------------------------------------------


def workspace_root(ctx: Any) -> Path | None:
    """The workspace the command line being completed names (``--root`` on the command or
    before it, ``OKR_ROOT``, else the nearest ``okr.yaml``); None when there is none."""
    from okrcli.errors import OkrError
    from okrcli.layout import find_root

    explicit = None
    while ctx is not None:
        given = ctx.params.get("root")
        if isinstance(given, str) and explicit is None:
            explicit = given
        ctx = ctx.parent
    try:
        return find_root(explicit=explicit)
    except (OkrError, OSError):
        return None


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _cached_items(root: Path, kind: str, rel: str, raw: bytes) -> list[Any] | None:
    """The valid items (objectives or KPIs, as dicts) of a file from its parse-cache entry
    (``reader.FileRead.to_cache``), or None when the entry is missing or of another shape."""
    from okrcli import cache

    entry = cache.recall(cache.slot(kind, root, rel), cache.content_id(raw))
    try:
        return [item for _, item in entry[0]] if entry is not None else None
    except (TypeError, ValueError, IndexError):
        return None


def _read_items(root: Path, kind: str, rel: str, full: Path) -> list[Any]:
    """The valid items of a file the cache does not hold: read it the ordinary way (which
    puts it in the cache for the next completion)."""
    from okrcli import reader
    from okrcli.workspace import Workspace

    ws = Workspace(root=root)
    if kind == "plan":
        reader.read_plan(ws, rel)
        return [o.model_dump() for pf in ws.plans for o in pf.plan.objectives]
    reader.read_kpis(ws, rel)
    return [k.kpi.model_dump() for k in ws.kpis.values()]


def _definition_files(root: Path) -> Iterator[tuple[str, str, Path]]:
    """(kind, relative path, path) of every plan and KPI file: the layout's rule."""
    from okrcli.layout import DEFINITION_FOLDERS, is_goal_file

    for folder in DEFINITION_FOLDERS:
        base = root / folder
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                full = Path(dirpath) / name
                rel = full.relative_to(root).as_posix()
                if is_goal_file(rel):
                    yield ("plan" if folder == "okrs" else "kpi"), rel, full


def read_definitions(root: Path) -> Definitions:
    """Teams, planned periods, KRs, KPIs and owners of the workspace at ``root``.

    What they are depends on okr.yaml and the plan and KPI files alone, so the answer is
    kept in the parse cache under the hash of exactly those bytes: a second completion in
    an unchanged workspace reads the files and one cache entry."""
    import hashlib

    from okrcli import cache
    from okrcli.layout import MARKER

    files = []
    digest = hashlib.blake2b(digest_size=20)
    digest.update((root / MARKER).read_bytes())
    for kind, rel, full in _definition_files(root):
        try:
            raw = full.read_bytes()
        except OSError:
            continue
        files.append((kind, rel, full, raw))
        digest.update(f"\0{kind}\0{rel}\0{len(raw)}\0".encode())
        digest.update(raw)
    entry, content = cache.slot(_SUMMARY, root, ""), digest.hexdigest()
    hit = cache.recall(entry, content)
    if hit is not None:
        try:
            return _from_data(hit)
        except (TypeError, ValueError, KeyError, IndexError):
            pass  # an entry of another shape: read the files again
    found = _collect(root, files)
    cache.keep(entry, content, _to_data(found))
    return found


_SUMMARY = "completion-1"  # the shape of the summary entry; a new shape takes a new name


def _to_data(d: Definitions) -> tuple[Any, ...]:
    krs = [(k.id, k.title, k.period, k.type, k.linked, k.dropped) for k in d.key_results]
    return (d.fiscal_start, d.teams, sorted(d.periods), krs, d.kpis, sorted(d.owners))


def _from_data(data: tuple[Any, ...]) -> Definitions:
    fiscal_start, teams, periods, krs, kpis, owners = data
    return Definitions(
        fiscal_start, dict(teams), set(periods), [KeyResultInfo(*k) for k in krs],
        dict(kpis), set(owners),
    )  # fmt: skip


def _collect(root: Path, files: list[tuple[str, str, Path, bytes]]) -> Definitions:
    from okrcli.layout import MARKER
    from okrcli.periods import parse_period
    from okrcli.yamlsource import read_document

    found = Definitions()
    settings = read_document(root, MARKER).data
    if isinstance(settings, dict):
        start = settings.get("fiscal_year_start")
        if isinstance(start, int) and 1 <= start <= 12:
            found.fiscal_start = start
        teams = settings.get("teams")
        if isinstance(teams, dict):
            for team_id, team in teams.items():
                name = team.get("name") if isinstance(team, dict) else None
                found.teams[str(team_id)] = name if isinstance(name, str) else ""
    for kind, rel, full, raw in files:
        items = _cached_items(root, kind, rel, raw)
        if items is None:
            items = _read_items(root, kind, rel, full)
        if kind == "kpi":
            for kpi in items:
                found.kpis.setdefault(kpi["id"], kpi.get("title") or "")
            continue
        parts = rel.split("/")
        if len(parts) < 3 or parse_period(parts[1]) is None:
            continue
        period = parts[1]
        found.periods.add(period)
        for objective in items:
            found.owners.update(_names(objective.get("owner")))
            for kr in objective.get("key_results") or []:
                found.owners.update(_names(kr.get("owner")))
                found.key_results.append(
                    KeyResultInfo(
                        kr["id"],
                        kr.get("title") or "",
                        period,
                        kr.get("type"),
                        kr.get("kpi") is not None,
                        bool(kr.get("dropped")) or bool(objective.get("dropped")),
                    )
                )
    return found


def _definitions(ctx: typer.Context) -> Definitions | None:
    root = workspace_root(ctx)
    return read_definitions(root) if root is not None else None


# --- matching -----------------------------------------------------------------------------


def matching(items: Iterable[Item], incomplete: str) -> list[Item]:
    """The items whose value starts with ``incomplete`` (typer keeps only those), once each."""
    return [i for i in dict.fromkeys(items) if i[0].startswith(incomplete)]


def _safe(offer: Callable[..., list[Item]]) -> Callable[..., list[Item]]:
    """Completion never fails loudly: a broken workspace offers nothing."""

    def run(ctx: typer.Context, incomplete: str) -> list[Item]:
        try:
            return offer(ctx, incomplete)
        except Exception:  # a half-written file, an unreadable folder: offer nothing
            if os.environ.get("OKR_DEBUG"):
                raise
            return []

    run.__name__ = offer.__name__
    return run


def _today(defs: Definitions) -> date:
    from okrcli import timeutil

    return timeutil.today()


def _current_periods(defs: Definitions, ctx: typer.Context) -> set[str]:
    """The period named by ``--period`` on the command line, else the planned periods
    containing today."""
    from okrcli.periods import parse_period

    named = ctx.params.get("period")
    if isinstance(named, str) and named.strip():
        return {named.strip().upper()}
    today = _today(defs)
    current = set()
    for text in defs.periods:
        period = parse_period(text, defs.fiscal_start)
        if period is not None and period.contains(today):
            current.add(text)
    return current


def _kr_item(kr: KeyResultInfo) -> Item:
    return kr.id, f"{kr.title} · KR {kr.period}"


def _kpi_items(defs: Definitions) -> list[Item]:
    return [(kpi_id, f"{title} · KPI") for kpi_id, title in defs.kpis.items()]


# --- what each parameter offers ------------------------------------------------------------------


@_safe
def checkin_ids(ctx: typer.Context, incomplete: str) -> list[Item]:
    """``okr checkin ID``: the KRs of the current periods (of ``--period`` if given) that take
    check-ins (not dropped, not linked to a KPI), then the KPIs."""
    defs = _definitions(ctx)
    if defs is None:
        return []
    current = _current_periods(defs, ctx)
    open_krs = [kr for kr in defs.key_results if not kr.linked and not kr.dropped]
    krs = [kr for kr in open_krs if kr.period in current] or open_krs
    newest_first = sorted(krs, key=lambda kr: kr.period, reverse=True)
    return matching([*map(_kr_item, newest_first), *_kpi_items(defs)], incomplete)


@_safe
def history_ids(ctx: typer.Context, incomplete: str) -> list[Item]:
    """``okr history ID``: every KR of every period (the newest first) and every KPI."""
    defs = _definitions(ctx)
    if defs is None:
        return []
    krs = sorted(defs.key_results, key=lambda kr: kr.period, reverse=True)
    seen: dict[str, Item] = {}
    for kr in krs:
        seen.setdefault(kr.id, _kr_item(kr))
    return matching([*seen.values(), *_kpi_items(defs)], incomplete)


@_safe
def checkin_values(ctx: typer.Context, incomplete: str) -> list[Item]:
    """``okr checkin ID VALUE``: the words a milestone takes; a number is the person's."""
    defs = _definitions(ctx)
    id_ = ctx.params.get("id_")
    if defs is None or not isinstance(id_, str):
        return []
    if any(kr.id == id_ and (kr.type or "milestone") == "milestone" for kr in defs.key_results):
        return matching([("done", "the milestone is done"), ("false", "not done")], incomplete)
    return []


@_safe
def teams(ctx: typer.Context, incomplete: str) -> list[Item]:
    defs = _definitions(ctx)
    return matching(defs.teams.items(), incomplete) if defs else []


@_safe
def periods(ctx: typer.Context, incomplete: str) -> list[Item]:
    """The periods that have plans, the newest first."""
    defs = _definitions(ctx)
    if defs is None:
        return []
    return matching([(p, "planned") for p in sorted(defs.periods, reverse=True)], incomplete)


@_safe
def new_periods(ctx: typer.Context, incomplete: str) -> list[Item]:
    """``okr plan PERIOD``: the quarter after the latest planned one, then the planned ones."""
    from okrcli.periods import parse_period

    defs = _definitions(ctx)
    if defs is None:
        return []
    quarters = [
        q for q in (parse_period(p, defs.fiscal_start) for p in defs.periods) if q and q.quarter
    ]
    offered: list[Item] = []
    if quarters:
        latest = max(quarters)
        assert latest.quarter is not None
        year, quarter = (
            (latest.year + 1, 1) if latest.quarter == 4 else (latest.year, latest.quarter + 1)
        )
        offered.append((f"{year}-Q{quarter}", "next, after the latest planned quarter"))
    offered += [(p, "planned") for p in sorted(defs.periods, reverse=True)]
    return matching(offered, incomplete)


@_safe
def owners(ctx: typer.Context, incomplete: str) -> list[Item]:
    defs = _definitions(ctx)
    return matching([(o, "owner") for o in sorted(defs.owners)], incomplete) if defs else []


@_safe
def revisions(ctx: typer.Context, incomplete: str) -> list[Item]:
    """``okr diff REV``: HEAD, its parent, and the branches and tags, read with one cheap
    ``git for-each-ref`` (no gitpython)."""
    root = workspace_root(ctx)
    offered: list[Item] = [("HEAD", "the latest commit"), ("HEAD~1", "the commit before it")]
    try:
        done = subprocess.run(
            ["git", "for-each-ref", "--format=%(refname:short)\t%(refname)",
             "refs/heads", "refs/tags", "refs/remotes"],
            cwd=root or Path.cwd(), capture_output=True, text=True, timeout=3, check=False,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return matching(offered, incomplete)
    kinds = {"refs/heads/": "branch", "refs/tags/": "tag", "refs/remotes/": "remote branch"}
    for line in done.stdout.splitlines():
        short, _, full = line.partition("\t")
        kind = next((k for prefix, k in kinds.items() if full.startswith(prefix)), "ref")
        if short and not short.endswith("/HEAD"):
            offered.append((short, kind))
    return matching(offered, incomplete)


def choices(kind: type[Enum], described: dict[str, str] | None = None) -> Callable[..., list[Item]]:
    """The values of an option with fixed choices (``--format``), with descriptions."""
    shown = described or {}

    def offer(incomplete: str) -> list[Item]:
        return matching([(str(m.value), shown.get(str(m.value), "")) for m in kind], incomplete)

    return offer
