"""A parse cache for plan, KPI and journal files, keyed on content.

Reading and validating a file gives the same result for the same bytes, path, okr code and
Python, so that result is kept under a key made of exactly those.  A changed file has a new
key and is read again: the cache cannot go stale.  Entries live in the user's cache folder
(``$OKR_CACHE_DIR``, else ``$XDG_CACHE_HOME/okr``, else ``~/.cache/okr``), never in the
workspace or in git.  ``OKR_NO_CACHE=1`` turns it off.  The API is three functions:
``key``, ``get``, ``put``.

An entry is never trusted for being there.  It is plain JSON (never pickle or marshal: no
entry can run code or crash the interpreter), and it carries its own key and a signature
(HMAC-SHA256) made with a secret that lives outside the cache folder
(``$XDG_CONFIG_HOME/okr/cache-key``, else ``~/.config/okr/cache-key``, created on first
use, readable by its owner only).  An entry whose key or signature does not match, or a
file that is a link, is not a regular file, or is not the user's own (POSIX), is ignored
and rewritten: a cache folder shared with others, restored from another machine's CI run
or planted in a repository cannot make okr accept a bad file.  Without a usable secret
there is no cache.

Entries are written under a fresh name opened with ``O_EXCL | O_NOFOLLOW`` and renamed into
place.  The folder is bounded: past ``MAX_ENTRIES`` entries or ``MAX_BYTES`` bytes the
oldest are removed (checked now and then, on writes).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import random
import secrets
import stat
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

_MAGIC = b"okr-cache 2\n"
MAX_ENTRY_BYTES = 64 * 1024 * 1024
MAX_ENTRIES = 20_000
MAX_BYTES = 512 * 1024 * 1024
EVICT_CHANCE = 1 / 64  # a full scan of the folder on one write in this many
_WRITE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
_READ = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def folder() -> Path | None:
    if os.environ.get("OKR_NO_CACHE"):
        return None
    explicit = os.environ.get("OKR_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "okr"


def _key_file() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "okr" / "cache-key"


def _own(info: os.stat_result) -> bool:
    """A regular file of this user, that nobody else may write (POSIX)."""
    if not stat.S_ISREG(info.st_mode):
        return False
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # pragma: no cover - Windows: no owners to compare
        return True
    return info.st_uid == getuid() and not info.st_mode & 0o022


@lru_cache(maxsize=4)
def _secret(path: Path) -> bytes | None:
    """This user's signing secret (created on first use); None if it cannot be had."""
    try:
        fd = os.open(path, _READ)
        try:
            if not _own(os.fstat(fd)):
                return None
            data = os.read(fd, 256)
        finally:
            os.close(fd)
        return data if len(data) >= 32 else None
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, _WRITE, 0o600)
        try:
            os.write(fd, secrets.token_bytes(32))
        finally:
            os.close(fd)
    except FileExistsError:  # made by another okr just now
        pass
    except OSError:
        return None
    _secret.cache_clear()
    return _secret(path)


@lru_cache(maxsize=1)
def _code_key() -> bytes:
    from okrcli._version import __version__

    h = hashlib.blake2b(__version__.encode(), digest_size=16)
    # the interpreter too: another Python may read numbers or text differently
    h.update(f"\0{sys.implementation.name}\0{sys.version}\0".encode())
    # every module: what a kept answer holds is decided by readers and rules alike
    here = Path(__file__).resolve().parent
    for path in sorted(here.rglob("*.py")):
        h.update(path.relative_to(here).as_posix().encode() + b"\0")
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"\xff")
    return h.digest()


def code_key() -> bytes:
    """A digest of okr's version and every module, and of the Python running it: part of
    every entry's name, so that another okr or Python never reads this one's entries."""
    return _code_key()


def key(kind: str, path: str, content: bytes) -> str:
    h = hashlib.blake2b(_code_key(), digest_size=20)
    h.update(f"{kind}\0{path}\0".encode())
    h.update(content)
    return h.hexdigest()


# --- one slot per file ---------------------------------------------------------------------
#
# A file that changes often (a journal month, every check-in) would leave one entry per
# version behind under ``key``.  A *slot* is named after the question instead (what kind of
# result, of which file of which workspace) and holds one answer with the digest of the
# bytes it was derived from: a changed file replaces its entry, so the folder holds one
# entry per file however many check-ins are made, and an answer is used only for the
# very bytes it was made from.


def slot(kind: str, root: Path | str, rel: str) -> str:
    """The entry name for ``kind`` of file ``rel`` of the workspace at ``root``."""
    h = hashlib.blake2b(_code_key(), digest_size=20)
    h.update(f"slot\0{kind}\0{root}\0{rel}\0".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def content_id(content: bytes) -> str:
    """The digest an answer in a slot is checked against."""
    return hashlib.blake2b(content, digest_size=20).hexdigest()


def recall(entry: str, content: str) -> Any | None:
    """The answer in slot ``entry`` if it was made from the bytes whose ``content_id`` is
    ``content``; else None."""
    hit = get(entry)
    if isinstance(hit, dict) and hit.get("of") == content:
        return hit.get("value")
    return None


def keep(entry: str, content: str, value: Any) -> None:
    """Put ``value``, made from the bytes whose ``content_id`` is ``content``, in slot
    ``entry`` (replacing what was there)."""
    put(entry, {"of": content, "value": value})


def _signature(secret: bytes, entry: str, payload: bytes) -> bytes:
    return hmac.new(secret, entry.encode() + b"\n" + payload, hashlib.sha256).hexdigest().encode()


def get(entry: str) -> Any | None:
    """The value kept under ``entry``, if a genuine entry is there."""
    base = folder()
    secret = _secret(_key_file()) if base is not None else None
    if base is None or secret is None:
        return None
    try:
        fd = os.open(base / entry[:2] / entry, _READ)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not _own(info) or info.st_size > MAX_ENTRY_BYTES:
            return None
        data = os.read(fd, info.st_size + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    head, _, payload = data.partition(b"\n{")  # the header ends where the JSON starts
    lines = head.split(b"\n")
    if len(lines) != 3 or lines[0] + b"\n" != _MAGIC or lines[1] != entry.encode():
        return None
    payload = b"{" + payload
    if not hmac.compare_digest(lines[2], _signature(secret, entry, payload)):
        return None
    try:
        return json.loads(payload)["value"]
    except (ValueError, KeyError, TypeError):
        return None


def put(entry: str, value: Any) -> None:
    base = folder()
    secret = _secret(_key_file()) if base is not None else None
    if base is None or secret is None:
        return
    target = base / entry[:2] / entry
    try:
        payload = json.dumps({"value": value}, separators=(",", ":"), allow_nan=False).encode()
        data = _MAGIC + entry.encode() + b"\n" + _signature(secret, entry, payload) + b"\n"
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = target.parent / f".{entry}.{secrets.token_hex(8)}.tmp"
        fd = os.open(tmp, _WRITE | getattr(os, "O_BINARY", 0), 0o600)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data + payload)
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except (OSError, ValueError, TypeError):
        return  # a cache that cannot be written only costs time
    if random.random() < EVICT_CHANCE:
        evict(base)


def evict(base: Path, max_entries: int | None = None, max_bytes: int | None = None) -> int:
    """Remove the oldest entries until the folder holds at most ``max_entries`` entries
    and ``max_bytes`` bytes (default ``MAX_ENTRIES``, ``MAX_BYTES``), and leftover
    temporary files; how many were removed."""
    max_entries = MAX_ENTRIES if max_entries is None else max_entries
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    found: list[tuple[float, int, Path]] = []
    removed = 0
    try:
        shards = [p for p in base.iterdir() if len(p.name) == 2 and p.is_dir()]
    except OSError:
        return 0
    for shard in shards:
        try:
            entries = list(os.scandir(shard))
        except OSError:
            continue
        for item in entries:
            try:
                info = item.stat(follow_symlinks=False)
            except OSError:
                continue
            if item.name.endswith(".tmp"):
                if info.st_mtime < _now() - 3600:  # left by a killed okr
                    with contextlib.suppress(OSError):
                        os.unlink(item.path)
                        removed += 1
                continue
            found.append((info.st_mtime, info.st_size, Path(item.path)))
    found.sort()
    count, size = len(found), sum(s for _, s, _ in found)
    for _, entry_size, path in found:
        if count <= max_entries and size <= max_bytes:
            break
        with contextlib.suppress(OSError):
            path.unlink()
            removed += 1
        count -= 1
        size -= entry_size
    return removed


def _now() -> float:
    import time

    return time.time()
