"""'Did you mean …?': one wording for every unknown name okr meets."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(name: str, known: Iterable[str], n: int = 3) -> list[str]:
    """The known names closest to ``name``, best first (none when nothing is close)."""
    return difflib.get_close_matches(name, list(known), n=n, cutoff=0.6)


def suggest(name: str, known: Iterable[str]) -> str:
    """``; did you mean 'platform'?`` (or two or three names), or nothing."""
    found = closest(name, known)
    if not found:
        return ""
    return "; did you mean " + " or ".join(f"'{c}'" for c in found) + "?"
