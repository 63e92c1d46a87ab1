"""The workspace's layout on disk: where its root is and which files are goal files.

One rule for every reader (the loader, ``okr diff``'s working tree, git revisions):
a goal file is a ``*.yaml``/``*.yml`` under ``kpis/``, ``okrs/`` or ``checkins/``, with no
part of its path starting with a dot.  Nothing else in the repository is read.
"""

from __future__ import annotations

import os
from pathlib import Path

from okrcli.errors import WorkspaceNotFound

MARKER = "okr.yaml"
FOLDERS = ("kpis", "okrs", "checkins")
DEFINITION_FOLDERS = ("okrs", "kpis")  # what plans and KPIs are defined in (not the journal)


def is_goal_file(rel: str) -> bool:
    """Whether the workspace-relative POSIX path ``rel`` names a goal file."""
    parts = rel.split("/")
    if len(parts) < 2 or parts[0] not in FOLDERS:
        return False
    if any(not p or p.startswith(".") for p in parts):
        return False
    return rel.endswith((".yaml", ".yml"))


def find_root(start: Path | None = None, explicit: str | Path | None = None) -> Path:
    """The workspace root: ``explicit`` (``--root``), ``$OKR_ROOT``, or the nearest parent
    of ``start`` holding ``okr.yaml``."""
    given = explicit if explicit is not None else os.environ.get("OKR_ROOT") or None
    if given is not None:
        root = Path(given).expanduser()
        if not (root / MARKER).is_file():
            source = "--root" if explicit is not None else "OKR_ROOT"
            raise WorkspaceNotFound(
                f"no {MARKER} in {root} (given by {source}); run 'okr init {root}' to create one"
            )
        return root.resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file():
            return folder
    raise WorkspaceNotFound(
        f"no {MARKER} found in {here} or any folder above it; run 'okr init' to create a "
        "workspace, or point to one with --root DIR or OKR_ROOT"
    )


def goal_files(root: Path) -> list[tuple[str, Path]]:
    """Every ``*.yaml``/``*.yml`` under kpis/, okrs/ and checkins/, as (relative, absolute)."""
    found = []
    for folder in FOLDERS:
        base = root / folder
        if not base.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                full = Path(dirpath) / name
                rel = full.relative_to(root).as_posix()
                if is_goal_file(rel):
                    found.append((rel, full))
    return found


def journal_month(path: str) -> tuple[int, int] | None:
    """The (year, month) a journal file's name promises (``checkins/2026-11.yaml``); None
    when its name is not ``YYYY-MM``."""
    name = path.rsplit("/", 1)[-1].split(".", 1)[0]
    digits = name[:4] + name[5:]
    if len(name) == 7 and name[4] == "-" and digits.isascii() and digits.isdigit():
        return int(name[:4]), int(name[5:])
    return None
