"""Everything that touches git, through gitpython (imported only when a command needs it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from okrcli.errors import GitError


def open_repo(root: Path, *, purpose: str) -> Any:
    """The git repository containing ``root``; ``GitError`` naming ``purpose`` if none."""
    try:
        import git
    except ImportError as e:  # pragma: no cover - gitpython is a dependency
        raise GitError(f"{purpose} needs gitpython: {e}") from None
    try:
        return git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise GitError(
            f"{purpose} needs git, and {root} is not inside a git repository "
            "(run 'git init' there first)"
        ) from None
    except git.GitCommandNotFound:
        raise GitError(f"{purpose} needs the git program, which is not installed") from None
