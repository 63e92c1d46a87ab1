"""A parse cache for plan and KPI files, keyed on content.

Reading and validating a file gives the same result for the same bytes, path and okr code,
so that result is kept under a key made of exactly those.  A changed file has a new key and
is read again: the cache cannot go stale.  Entries live in the user's cache folder
(``$OKR_CACHE_DIR``, else ``$XDG_CACHE_HOME/okr``, else ``~/.cache/okr``), never in the
workspace or in git.  ``OKR_NO_CACHE=1`` turns it off.  Entries are written atomically;
an unreadable entry is ignored and rewritten.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

# the modules whose code decides what reading a file gives
_CODE = ("yamlsource.py", "models.py", "sourcemap.py", "loader.py", "diagnostics.py")


def folder() -> Path | None:
    if os.environ.get("OKR_NO_CACHE"):
        return None
    explicit = os.environ.get("OKR_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "okr"


@lru_cache(maxsize=1)
def _code_key() -> bytes:
    from okrcli._version import __version__

    h = hashlib.blake2b(__version__.encode(), digest_size=16)
    here = Path(__file__).parent
    for name in _CODE:
        h.update((here / name).read_bytes())
    return h.digest()


def key(kind: str, path: str, content: bytes) -> str:
    h = hashlib.blake2b(_code_key(), digest_size=20)
    h.update(f"{kind}\0{path}\0".encode())
    h.update(content)
    return h.hexdigest()


def get(entry: str) -> Any | None:
    base = folder()
    if base is None:
        return None
    try:
        return marshal.loads((base / entry[:2] / entry).read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None


def put(entry: str, value: Any) -> None:
    base = folder()
    if base is None:
        return
    target = base / entry[:2] / entry
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(marshal.dumps(value))
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise
    except (OSError, ValueError):
        pass  # a cache that cannot be written only costs time
