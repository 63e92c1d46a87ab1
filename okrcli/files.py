"""Files okr creates: always new, never through an existing path or a planted link.

``okr init``, ``okr plan`` and ``okr close --write`` create files only through here.  A
file is written whole under a fresh temporary name (opened with ``O_EXCL``, so a link
planted at that name is never followed) and then linked into place, which fails when the
name exists: the file appears complete or not at all, and nothing is ever replaced.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

_EXCLUSIVE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def _write_exclusive(path: Path, text: str) -> None:
    """Create ``path`` with ``text``; ``FileExistsError`` if anything is there already."""
    fd = os.open(path, _EXCLUSIVE | getattr(os, "O_BINARY", 0), 0o666)
    with os.fdopen(fd, "wb") as f:
        f.write(text.encode("utf-8"))


def create_new(path: Path, text: str) -> bool:
    """Create ``path`` with ``text``, atomically, never replacing a file; False if it exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() or path.is_symlink():
        return False
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    _write_exclusive(tmp, text)
    try:
        os.link(tmp, path)  # fails if path exists; the file appears complete or not at all
    except FileExistsError:
        return False
    except OSError:  # a filesystem without hard links
        try:
            _write_exclusive(path, text)
        except FileExistsError:
            return False
    finally:
        tmp.unlink(missing_ok=True)
    return True


def create_files(directory: Path, files: dict[str, str]) -> tuple[list[str], list[str]]:
    """Create each file (relative path -> text) that does not exist yet; (created, kept)."""
    created, kept = [], []
    for rel, text in files.items():
        if create_new(directory / rel, text):
            created.append(rel)
        else:
            kept.append(rel)
    return created, kept
