"""Files okr reads and creates, safely.

**Reading** (``read_goal_file``, ``read_regular``): every file okr reads from a workspace
(goal files, ``okr.yaml``, the journal before an append) and the CSV of ``okr import`` is
read here.  Only a regular file is read, and from a workspace only one inside it: a
symbolic link (or a linked folder) that leads outside the workspace, a FIFO, a socket or a
device is refused *before it is opened* (``lstat``/``stat`` first; then opened with
``O_NONBLOCK | O_NOFOLLOW`` where the system has them, and checked again on the open
descriptor), so a FIFO cannot hang okr, ``/dev/zero`` cannot fill its memory, and nothing
of a file outside the workspace (a credential, say) can reach a message.  Sizes are
checked before reading, and the read stops one byte past the limit whatever the file
claims.  A refusal is a ``Refused`` with a diagnostic code and a message that names the
kind of file, never its content.

**Creating** (``create_new``, ``create_files``): ``okr init``, ``okr plan`` and ``okr
close --write`` create files only through here.  A file is written whole under a fresh
temporary name (opened with ``O_EXCL``, so a link planted at that name is never followed)
and then linked into place, which fails when the name exists: the file appears complete
or not at all, and nothing is ever replaced.
"""

from __future__ import annotations

import functools
import os
import secrets
import stat
from pathlib import Path

from okrcli.diagnostics import Diagnostic

MAX_FILE_BYTES = 64 * 1024 * 1024

_READ = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO swapped in after the check still cannot hang
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_CHUNK = 1 << 20


class Refused(Exception):
    """A file okr does not read: ``code`` is a diagnostic code, ``message`` says why
    (never anything of the file's content)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _unreadable(e: OSError) -> Refused:
    return Refused("file-unreadable", f"cannot read the file: {e.strerror or e}")


def _within(base: str, real: str) -> bool:
    try:
        return os.path.commonpath([real, base]) == base
    except ValueError:  # Windows: another drive
        return False


def inside(root: Path | str, path: Path | str) -> bool:
    """Whether ``path``, every link resolved, is inside the folder ``root`` (and not it)."""
    return _inside_real(os.path.realpath(root), os.path.realpath(path))


def _inside_real(base: str, real: str) -> bool:
    return real != base and _within(base, real)


@functools.lru_cache(maxsize=8)
def _real_root(root: str) -> str:
    """The workspace root's real path, worked out once per run (every file read asks)."""
    return os.path.realpath(root)


LINK_OUTSIDE = (
    "a symbolic link that leads outside the workspace; okr reads and writes only files "
    "inside it (replace the link with the file itself)"
)


def read_regular(path: Path | str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file at ``path`` (links followed); ``Refused`` for
    anything else, for a file larger than ``limit`` bytes, or when it cannot be read."""
    try:
        before = os.stat(path)
    except OSError as e:
        raise _unreadable(e) from None
    return _read_checked(path, before, limit)


def read_goal_file(root: Path | str, full: Path | str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the file ``full`` inside the workspace ``root``: only a regular file
    whose real path (every link resolved) is inside the workspace's real path."""
    real = os.path.realpath(full)
    if not _inside_real(_real_root(os.fspath(root)), real):
        raise Refused("file-unreadable", LINK_OUTSIDE)
    try:
        before = os.lstat(real)
    except OSError as e:
        raise _unreadable(e) from None
    return _read_checked(real, before, limit)


def _read_checked(path: Path | str, before: os.stat_result, limit: int) -> bytes:
    if not stat.S_ISREG(before.st_mode):
        raise Refused(
            "file-unreadable",
            f"{_kind(before.st_mode)}, not a regular file; okr reads only regular files",
        )
    if before.st_size > limit:
        raise Refused("file-too-large", f"the file is larger than {limit} bytes")
    try:
        fd = os.open(path, _READ)
    except OSError as e:
        raise _unreadable(e) from None
    try:
        now = os.fstat(fd)
        if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (
            before.st_dev,
            before.st_ino,
        ):
            raise Refused("file-unreadable", "the file changed while okr was reading it")
        # one read of the size the file claims, plus one byte to tell a file that grew
        # (no copies: a large journal costs its size once); more reads only if it did
        want = min(now.st_size, limit) + 1
        data = os.read(fd, want)
        if len(data) == want or 0 < len(data) < now.st_size:
            chunks = [data]
            left = limit + 1 - len(data)
            while left > 0:
                chunk = os.read(fd, min(left, _CHUNK))
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
            data = b"".join(chunks)
    except OSError as e:
        raise _unreadable(e) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise Refused("file-too-large", f"the file is larger than {limit} bytes")
    return data


_EXCLUSIVE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def _write_exclusive(path: Path, text: str) -> None:
    """Create ``path`` with ``text``; ``FileExistsError`` if anything is there already."""
    fd = os.open(path, _EXCLUSIVE | getattr(os, "O_BINARY", 0), 0o666)
    with os.fdopen(fd, "wb") as f:
        f.write(text.encode("utf-8"))


def create_new(path: Path, text: str, *, root: Path | None = None) -> bool:
    """Create ``path`` with ``text``, atomically, never replacing a file; False if it
    exists.  With ``root``, refuse (``InputError``) a path whose folder, links resolved,
    is outside ``root`` (a planted link to a folder elsewhere): nothing is created there,
    not even a folder."""
    if root is not None and not _within(os.path.realpath(root), os.path.realpath(path.parent)):
        from okrcli.errors import InputError

        raise InputError(f"{path}: {LINK_OUTSIDE}")
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
    """Create each file (relative path -> text) that does not exist yet, inside
    ``directory``; (created, kept)."""
    created, kept = [], []
    for rel, text in files.items():
        if create_new(directory / rel, text, root=directory):
            created.append(rel)
        else:
            kept.append(rel)
    return created, kept


def read_bytes(root: Path, rel: str) -> tuple[bytes | None, Diagnostic | None]:
    """The bytes of the workspace file ``rel`` (``read_goal_file``), or why it is not
    read, as a diagnostic."""
    try:
        return read_goal_file(root, root / rel, MAX_FILE_BYTES), None
    except Refused as r:
        return None, Diagnostic(r.code, rel, 1, 1, r.message)
