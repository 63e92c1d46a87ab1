"""Results kept between runs, on top of the parse cache's folder (``okrcli.cache``).

What okr derives from files it has read and checked (a journal file's records, the
diagnostics of a whole workspace, a report) is kept so that the next run over the same
bytes does not derive it again.  The rules that keep this safe:

* **One slot per question.**  An entry lives under a name made of what it answers (a
  journal file of one workspace; the diagnostics of one workspace), not of the content:
  a changed file *replaces* its entry, so the folder holds one entry per file and per
  question however many check-ins are made (the cache is bounded).
* **Keyed by everything it depends on.**  Each entry records a digest of the content it
  was derived from, okr's version and code, and Python's implementation and version.  It
  is used only when that digest equals the one computed now from the bytes just read:
  a stale entry is never used.
* **Only what okr wrote.**  Entries are signed with a key private to the cache folder
  (created by okr, readable by its owner only); an entry that does not carry the right
  signature (written by someone else, copied from another machine or committed to a
  repository) is ignored.  An entry okr cannot read is ignored.  So the cache can make
  okr faster, never make it accept a file it would refuse.
* ``OKR_NO_CACHE=1`` turns it off, like the parse cache; deleting the folder is safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import marshal
import os
import platform
import stat
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from okrcli import cache

_MAGIC = b"okr-result-1"
_KEY_NAME = "result-key"
MAX_ENTRY_BYTES = 256 * 1024 * 1024  # a result larger than this is not kept


def enabled() -> bool:
    return cache.folder() is not None


@lru_cache(maxsize=1)
def versions() -> bytes:
    """okr's version and code, Python's implementation and version: part of every key."""
    from okrcli._version import __version__

    h = hashlib.blake2b(digest_size=20)
    h.update(f"{__version__}\0{platform.python_implementation()}\0{sys.version}\0".encode())
    here = Path(__file__).resolve().parent
    for path in sorted(here.rglob("*.py")):
        if "templates" in path.parts:
            continue
        try:
            h.update(path.relative_to(here).as_posix().encode() + b"\0" + path.read_bytes())
        except OSError:
            h.update(b"?")
    return h.digest()


def digest(*parts: bytes | str) -> bytes:
    """A digest of ``parts`` and ``versions()``."""
    h = hashlib.blake2b(versions(), digest_size=20)
    for part in parts:
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.digest()


def content_digest(data: bytes) -> bytes:
    """The digest of one file's bytes."""
    return hashlib.blake2b(data, digest_size=20).digest()


def slot(kind: str, *names: str) -> str:
    """The entry name for ``kind`` of ``names`` (a workspace root, a file, a question)."""
    return cache.key(f"result:{kind}", "\0".join(names), b"")


def get(name: str, key: bytes) -> Any | None:
    """The value kept under ``name`` for ``key``; None when there is none, it was kept for
    another key, or it is not okr's own."""
    secret = _secret(create=False)
    if secret is None:
        return None
    entry = cache.get(name)
    if not (isinstance(entry, tuple) and len(entry) == 4 and entry[0] == _MAGIC):
        return None
    _, mac, kept_key, body = entry
    if not (isinstance(mac, bytes) and isinstance(kept_key, bytes) and isinstance(body, bytes)):
        return None
    if not hmac.compare_digest(kept_key, key):
        return None  # stale: derived from other content
    if not hmac.compare_digest(mac, _sign(secret, name, key, body)):
        return None  # not written by okr with this folder's key
    try:
        return marshal.loads(body)
    except (ValueError, EOFError, TypeError):
        return None


def peek(name: str) -> Any | None:
    """The value kept under ``name`` whatever it was kept for, when it is okr's own (for
    a result that can be carried forward, such as a journal file's before an append)."""
    secret = _secret(create=False)
    entry = cache.get(name) if secret is not None else None
    if not (isinstance(entry, tuple) and len(entry) == 4 and entry[0] == _MAGIC):
        return None
    _, mac, kept_key, body = entry
    if not (isinstance(mac, bytes) and isinstance(kept_key, bytes) and isinstance(body, bytes)):
        return None
    assert secret is not None
    if not hmac.compare_digest(mac, _sign(secret, name, kept_key, body)):
        return None
    try:
        return marshal.loads(body)
    except (ValueError, EOFError, TypeError):
        return None


def put(name: str, key: bytes, value: Any) -> None:
    """Keep ``value`` under ``name`` for ``key`` (replacing what was there)."""
    secret = _secret(create=True)
    if secret is None:
        return
    try:
        body = marshal.dumps(value)
    except ValueError:
        return  # not plain data: not kept
    if len(body) > MAX_ENTRY_BYTES:
        return
    cache.put(name, (_MAGIC, _sign(secret, name, key, body), key, body))


def _sign(secret: bytes, name: str, key: bytes, body: bytes) -> bytes:
    mac = hmac.new(secret, digestmod=hashlib.blake2b)
    mac.update(name.encode() + b"\0" + key)
    mac.update(body)
    return mac.digest()


_secrets: dict[str, tuple[tuple[int, int, int], bytes]] = {}  # path -> (stat, key)


def _secret(*, create: bool) -> bytes | None:
    """The cache folder's signing key: a file okr creates, private to its owner.  A key
    file that others could read or write, or that is not the user's own, is replaced."""
    base = cache.folder()
    if base is None:
        return None
    path = base / _KEY_NAME
    try:
        info = os.stat(path)
        seen = (info.st_ino, info.st_mtime_ns, info.st_size)
    except OSError:
        seen = (0, 0, 0)
    known = _secrets.get(str(path))
    if known is not None and known[0] == seen:
        return known[1]
    found = _read_key(path)
    if found is None and create:
        found = _write_key(path)
        try:
            info = os.stat(path)
            seen = (info.st_ino, info.st_mtime_ns, info.st_size)
        except OSError:
            found = None
    if found is not None:
        _secrets[str(path)] = (seen, found)
    return found


def _read_key(path: Path) -> bytes | None:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size != 32:
            return None
        if os.name == "posix" and (
            info.st_mode & 0o077 or info.st_uid != os.getuid()  # type: ignore[attr-defined,unused-ignore]
        ):
            return None
        data = os.read(fd, 33)
    except OSError:
        return None
    finally:
        os.close(fd)
    return data if len(data) == 32 else None


def _write_key(path: Path) -> bytes | None:
    key = os.urandom(32)
    tmp = path.with_name(f".{_KEY_NAME}-{os.getpid()}-{key[:4].hex()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(tmp, flags | getattr(os, "O_BINARY", 0), 0o600)
        try:
            os.write(fd, key)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return None
    return key
