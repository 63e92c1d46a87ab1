"""The undo log of journal appends: an interrupted ``okr checkin`` or ``okr import`` leaves
every journal file as it was before.

Before its first byte reaches a journal file, an append writes an *intent* next to the
journal: ``checkins/.okr-append-<random>.json``, created exclusively and flushed to disk,
holding for each file it will append to the size the file had and the exact bytes that
will follow.  Then the files are written; when every one of them is written and flushed,
the intent is deleted: that deletion is the moment the append happens, for all its files
at once.

An intent that is still there names an append that did not finish (the process was
killed, the machine stopped).  Its files may hold some or all of the new bytes:

* every reader (``visible``) sees such a file as it was before the append, and
* the next append (``recover``, under the locks of those files, so that the process that
  wrote the intent cannot still be writing) cuts the files back to their old sizes and
  deletes the intent.

So an append is all or nothing across its files, whenever it is interrupted.  An intent
is trusted only as far as it proves itself: it names journal files only, and a file is cut
back only when everything after the recorded size is a beginning of the recorded bytes;
an intent planted in a repository can hide or remove nothing but those very bytes.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

FOLDER = "checkins"
PREFIX = ".okr-append-"
SUFFIX = ".json"
MAX_INTENT_BYTES = 256 * 1024 * 1024  # an intent holds the bytes of one append
_EXCLUSIVE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


@dataclass(frozen=True)
class Intent:
    path: Path
    files: dict[str, tuple[int, bytes]]  # journal file -> (size before, bytes appended)


def _is_journal(rel: object) -> bool:
    if not isinstance(rel, str):
        return False
    parts = rel.split("/")
    return (
        len(parts) == 2
        and parts[0] == FOLDER
        and not parts[1].startswith(".")
        and parts[1].endswith((".yaml", ".yml"))
    )


def _load(path: Path) -> Intent | None:
    from okrcli.files import Refused, read_regular

    try:
        doc = json.loads(read_regular(path, MAX_INTENT_BYTES))
        files = {
            rel: (size, data.encode("utf-8"))
            for rel, (size, data) in doc["files"].items()
            if _is_journal(rel) and isinstance(size, int) and size >= 0 and isinstance(data, str)
        }
    except (Refused, ValueError, KeyError, TypeError, AttributeError, UnicodeError):
        return None
    return Intent(path, files)


def pending(root: Path) -> list[Intent]:
    """The intents of appends that have not finished (yet), in name order."""
    try:
        names = sorted(
            entry.name
            for entry in os.scandir(root / FOLDER)
            if entry.name.startswith(PREFIX) and entry.name.endswith(SUFFIX)
        )
    except OSError:  # no checkins folder
        return []
    found = (_load(root / FOLDER / name) for name in names)
    return [intent for intent in found if intent is not None]


def _unfinished(tail: bytes, appended: bytes) -> bool:
    """Whether ``tail`` (what follows the recorded size) is some or all of ``appended``."""
    return 0 < len(tail) <= len(appended) and appended.startswith(tail)


def visible(rel: str, data: bytes, intents: list[Intent]) -> bytes:
    """The bytes of journal file ``rel`` as readers see them: without what unfinished
    appends wrote to it."""
    for intent in intents:
        entry = intent.files.get(rel)
        if entry is None:
            continue
        size, appended = entry
        if _unfinished(data[size:], appended):
            data = data[:size]
    return data


def _sync_folder(folder: Path) -> None:
    """Make a new or deleted name in ``folder`` durable (POSIX; a no-op elsewhere)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def begin(root: Path, files: dict[str, tuple[int, bytes]]) -> Path:
    """Write the intent of an append (journal file -> (size now, bytes to append)) and
    flush it to disk; its path, for ``finish``."""
    folder = root / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{PREFIX}{secrets.token_hex(8)}{SUFFIX}"
    doc = {
        "about": "an okr append in progress; okr undoes it if it did not finish",
        "files": {rel: [size, data.decode("utf-8")] for rel, (size, data) in files.items()},
    }
    fd = os.open(path, _EXCLUSIVE | getattr(os, "O_BINARY", 0), 0o666)
    try:
        os.write(fd, json.dumps(doc, ensure_ascii=False).encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    _sync_folder(folder)
    return path


def finish(path: Path) -> None:
    """The append is complete (or fully undone): delete its intent, durably."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    _sync_folder(path.parent)


def recover(root: Path, locked: dict[str, int]) -> None:
    """Undo every unfinished append whose journal files are all in ``locked`` (journal
    file -> a descriptor open for writing, under its lock): cut each file back to its old
    size where it still holds a beginning of the appended bytes, then delete the intent.
    An intent naming a file that is not locked here may belong to a live append: it is
    left alone."""
    for intent in pending(root):
        if not set(intent.files) <= set(locked):
            continue
        for rel, (size, appended) in intent.files.items():
            fd = locked[rel]
            length = os.fstat(fd).st_size
            if length <= size:
                continue
            tail = os.pread(fd, length - size, size) if hasattr(os, "pread") else None
            if tail is None:  # pragma: no cover - Windows: read it through the path
                with open(root / rel, "rb") as f:
                    f.seek(size)
                    tail = f.read()
            if _unfinished(tail, appended):
                os.ftruncate(fd, size)
                os.fsync(fd)
        finish(intent.path)


def intent_files(intents: list[Intent]) -> set[str]:
    return {rel for intent in intents for rel in intent.files}
