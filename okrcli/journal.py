"""The append-only check-in journal: ``checkins/<YYYY-MM>.yaml``, one record per line.

okr writes each record as a JSON-compatible flow mapping (valid YAML) on one line, keys in
a fixed order, so that appends are whole lines and the file stays easy to read and merge.

Appending is the only way okr changes a journal file, and it is built so that nothing is
lost and every file stays parseable:

* the new lines are written with ONE ``os.write()`` on a file opened with ``O_APPEND``,
  under an exclusive lock on that file (``flock``; a byte-range lock on Windows): two
  ``okr checkin`` running at the same time take turns, and each one's lines land whole,
  after everything already there;
* existing bytes are never rewritten, reordered or reformatted (comments and hand-written
  records stay as they are); a file whose last line lacks its newline gets one in front of
  the new text, decided under the lock, so a record is never glued onto that line;
* a short write (a full disk) is undone under the same lock, by cutting the file back to
  the size it had, so the file is exactly as before; the error is reported;
* when several files are written at once (``okr import``), all of them are locked first
  (in name order, so two writers cannot deadlock) and a failure on any file cuts every
  file written so far back to its old size: all or nothing;
* the data is ``fsync``-ed (``F_FULLFSYNC`` on macOS) before okr reports success.

* an append that is interrupted (the process killed, the machine stopped) is undone: an
  intent written first (``okrcli.undo``) lets every reader see the files as they were, and
  the next append cut them back; so an ``okr import`` is all or nothing across files even
  then.

What remains: a torn last line that comes without its intent (a copy of the file taken in
the middle of a write) is reported by ``okr validate`` with its line number, and an append
to that file is refused with the same place; deleting that partial line restores the
file.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import json
import math
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timezone, tzinfo
from pathlib import Path
from typing import Any

from okrcli import undo
from okrcli.models import ID_RE
from okrcli.periods import parse_period
from okrcli.timeutil import parse_timestamp

RECORD_KEYS = ("at", "id", "period", "value", "confidence", "health", "by", "note")
HEALTH = ("green", "yellow", "red")

# Characters JSON leaves raw (with ensure_ascii=False) that YAML reads as line breaks or
# refuses as non-printable, and the bidirectional controls that make a file read
# differently in an editor or a terminal ("Trojan Source"): they are written as \uXXXX
# escapes, which YAML understands.
_YAML_UNSAFE = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ufeff\ufffe\uffff\ud800-\udfff]"
)


def format_at(moment: datetime) -> str:
    """ISO 8601 with an explicit offset, to the second."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.isoformat(timespec="seconds")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def yaml_json(value: Any) -> str:
    """``value`` as JSON that every YAML reader reads back the same (a flow mapping or a
    double-quoted scalar): characters YAML folds or refuses are written as escapes."""
    return _YAML_UNSAFE.sub(_escape, json.dumps(value, ensure_ascii=False, allow_nan=False))


def format_record(record: dict[str, Any]) -> str:
    """One journal line (with its newline) for ``record``; absent keys are left out."""
    ordered = {k: record[k] for k in RECORD_KEYS if record.get(k) is not None}
    if isinstance(ordered.get("at"), datetime):
        ordered["at"] = format_at(ordered["at"])
    return "- " + yaml_json(ordered) + "\n"


def journal_file(moment: datetime, zone: tzinfo = timezone.utc) -> str:
    """The workspace-relative journal file of a record made at ``moment``: its month in
    the organisation's time ``zone`` (years written with four digits)."""
    local = moment.astimezone(zone)
    return f"checkins/{local.year:04d}-{local.month:02d}.yaml"


# --- appending ---------------------------------------------------------------------------


def _check_lines(lines: Sequence[str]) -> bytes:
    for line in lines:
        if not line.endswith("\n") or "\n" in line[:-1] or "\r" in line:
            raise ValueError(f"not one whole line: {line!r}")
    return "".join(lines).encode("utf-8")


# --- the lock and the flush, per platform ------------------------------------------------
#
# Each branch takes its platform module as an argument, so that both can be exercised on
# any machine (tests/test_journal_platform.py); ``_lock``, ``_unlock`` and ``_write_all``
# pass the real ones.


def _platform_module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


_fcntl: Any = _platform_module("fcntl")  # POSIX: Linux, macOS, the BSDs
_msvcrt: Any = _platform_module("msvcrt")  # Windows

# Windows byte-range locks are mandatory: other processes can neither read nor write a
# locked byte.  So every writer locks the same single byte far past the end of any journal
# okr reads (it refuses files over 64 MiB), as SQLite does with its lock bytes: writers
# exclude each other while readers (okr, git, an editor) are never blocked.  Locking past
# the end of a file is allowed, and the offset fits in 31 bits for any C runtime.
_WINDOWS_LOCK_OFFSET = 1 << 30
_WINDOWS_LOCK_BYTES = 1


def _lock_posix(fd: int, fcntl: Any) -> None:
    fcntl.flock(fd, fcntl.LOCK_EX)  # waits for as long as another writer holds it


def _lock_windows(fd: int, msvcrt: Any) -> None:
    # msvcrt.locking() locks from the current position: move it to the lock byte (appends
    # still go to the end, since the file is opened with O_APPEND).  LK_LOCK tries for
    # about 10 seconds, then fails with EDEADLOCK: keep trying until the lock is ours.
    while True:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_LOCK, _WINDOWS_LOCK_BYTES)
        except OSError as e:
            if e.errno != errno.EDEADLOCK:
                raise
        else:
            return


def _unlock_windows(fd: int, msvcrt: Any) -> None:
    # Windows releases the locks of a closed file only "eventually": unlock first.
    os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
    msvcrt.locking(fd, msvcrt.LK_UNLCK, _WINDOWS_LOCK_BYTES)


def _lock(fd: int) -> None:
    """Hold an exclusive lock on the open journal file ``fd``, waiting until it is free."""
    if _fcntl is not None:
        _lock_posix(fd, _fcntl)
    elif _msvcrt is not None:
        _lock_windows(fd, _msvcrt)
    # a platform with neither is not supported; O_APPEND alone still keeps lines whole


def _unlock(fd: int) -> None:
    """Release ``_lock`` before ``fd`` is closed."""
    if _fcntl is not None:
        _fcntl.flock(fd, _fcntl.LOCK_UN)
    elif _msvcrt is not None:
        _unlock_windows(fd, _msvcrt)


def _fsync(fd: int, fcntl: Any) -> None:
    """Flush ``fd`` to stable storage.  On macOS fsync() only hands the data to the drive,
    whose cache can still lose it when the power goes; ``F_FULLFSYNC`` flushes that cache
    too.  Where it is missing, or refused (some network file systems), plain fsync()."""
    full = getattr(fcntl, "F_FULLFSYNC", None)
    if full is not None:
        try:
            fcntl.fcntl(fd, full)
        except OSError:
            pass
        else:
            return
    os.fsync(fd)


def _last_byte(fd: int, size: int) -> bytes:
    """The last byte of a file of ``size`` > 0 bytes (os.pread does not exist on Windows)."""
    os.lseek(fd, size - 1, os.SEEK_SET)
    return os.read(fd, 1)


def append_files(root: Path, batches: Mapping[str, Sequence[str]]) -> list[str]:
    """Append ``lines`` to each workspace-relative file of ``batches``: all or nothing.

    Each file gets exactly one ``os.write()`` of its whole lines, on an ``O_APPEND``
    descriptor, while every file of the batch is held under an exclusive lock.
    Folders and files are created when missing.  Returns the paths written, sorted.
    """
    names = sorted(rel for rel, lines in batches.items() if lines)
    payloads = {rel: _check_lines(batches[rel]) for rel in names}
    flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_BINARY", 0)  # Windows: no \n -> \r\n on write, exact reads
    # the files of unfinished appends (okrcli.undo) are locked too, to be undone first
    stale = undo.intent_files(undo.pending(root)) - set(names)
    fds: list[int] = []
    locked: dict[str, int] = {}
    try:
        for rel in sorted({*names, *stale}):  # lock in name order: no two writers deadlock
            path = root / rel
            if rel in stale:
                try:
                    fd = os.open(path, flags & ~os.O_CREAT)
                except FileNotFoundError:
                    continue
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(path, flags, 0o666)
            fds.append(fd)
            locked[rel] = fd
            _lock(fd)
        undo.recover(root, locked)
        plan: list[tuple[int, int, bytes]] = []
        for rel in names:
            fd = locked[rel]
            size = os.fstat(fd).st_size
            data = payloads[rel]
            if size and _last_byte(fd, size) != b"\n":
                data = b"\n" + data  # do not glue the record onto an unfinished last line
            plan.append((fd, size, data))
        sizes = {rel: (size, data) for rel, (_, size, data) in zip(names, plan, strict=True)}
        intent = undo.begin(root, sizes)
        _test_kill("intent-written")
        try:
            _write_all(plan)
        except BaseException:
            undo.finish(intent)  # _write_all cut every file back: nothing to undo
            raise
        _test_kill("before-finish")
        undo.finish(intent)  # the moment the append happens, in every file at once
    finally:
        for fd in fds:
            with contextlib.suppress(OSError):  # a lock never taken (interrupted)
                _unlock(fd)
            os.close(fd)
    return names


def _test_kill(point: str) -> None:
    """For tests only: ``OKR_TEST_KILL_AT=<point>`` kills okr with SIGKILL at that point of
    an append (``intent-written``, ``mid-write``, ``first-file-written``,
    ``before-finish``), to prove that an interrupted append is undone."""
    if os.environ.get("OKR_TEST_KILL_AT") == point:
        import signal

        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


def _write_all(plan: list[tuple[int, int, bytes]]) -> None:
    started: list[tuple[int, int]] = []
    try:
        for fd, size, data in plan:
            started.append((fd, size))
            if os.environ.get("OKR_TEST_KILL_AT") == "mid-write":  # a torn write, for tests
                os.write(fd, data[: len(data) // 2])
                _test_kill("mid-write")
            written = os.write(fd, data)
            if written != len(data):
                raise OSError(errno.ENOSPC, "the disk took only part of the check-in")
            _test_kill("first-file-written")
        for fd, _, _ in plan:
            _fsync(fd, _fcntl)
    except BaseException:
        # still under the lock: nobody appended since, so cutting back loses nothing
        for fd, size in started:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)
        raise


def append_lines(root: Path, rel_path: str, lines: Sequence[str]) -> str:
    """Append whole ``lines`` to the journal file ``rel_path`` (see ``append_files``)."""
    append_files(root, {rel_path: lines})
    return rel_path


def group_records(
    records: Iterable[dict[str, Any]], zone: tzinfo = timezone.utc
) -> dict[str, list[str]]:
    """Formatted lines by journal file (the month, in ``zone``, of each record's ``at``),
    in order."""
    batches: dict[str, list[str]] = {}
    for record in records:
        at = record["at"]
        moment = at if isinstance(at, datetime) else datetime.fromisoformat(at)
        batches.setdefault(journal_file(moment, zone), []).append(format_record(record))
    return batches


def _appendable(old: str) -> bool:
    """Whether ``old`` is in okr's one-line layout (every line a ``- {...}`` record, a
    comment or blank) and its last record is a whole JSON object: then lines in the same
    layout append as records of their own.  Only the last record is parsed, so this stays
    quick on a large file; ``okr validate`` checks the others."""
    if fast_journal(old, frozenset()) is None:  # the layout alone: no record is parsed
        return False
    last = next((line for line in reversed(old.splitlines()) if line.startswith("- {")), None)
    return last is None or fast_journal(last) is not None


def append_problem(root: Path, rel_path: str, lines: Sequence[str]) -> str | None:
    """Why appending ``lines`` to ``rel_path`` would not add exactly those records, or None.

    A journal file okr can append to is a YAML block list (``- ...`` items, comments
    allowed) or empty; a file written as a flow list (``[...]``) or a mapping is not, and
    okr refuses rather than break it.  Checked by parsing the would-be result.
    """
    from okrcli.files import LINK_OUTSIDE, inside, read_bytes
    from okrcli.yamlsource import parse, read_text

    path = root / rel_path
    if not inside(root, path.parent):
        return f"{rel_path}: {LINK_OUTSIDE}"
    raw = b""
    if path.exists() or path.is_symlink():
        existing, refused = read_bytes(root, rel_path)
        if existing is None:
            return f"{rel_path}: {refused.message if refused else 'cannot be read'}"
        raw = undo.visible(rel_path, existing, undo.pending(root))  # undone before appending
    old, problem = read_text(raw, rel_path)
    if old is None:
        return problem.message if problem is not None else f"cannot read {rel_path}"
    if _appendable(old) and fast_journal("".join(lines)) is not None:
        return None
    before = parse(old, rel_path)
    if before.diagnostics:
        d = before.diagnostics[0]
        last = old.count("\n") + 1
        if old and not old.endswith("\n") and d.line >= last:
            return (
                f"{rel_path}:{last}: the last line is incomplete (cut off by an interrupted "
                "write?); finish or delete that line, then try again"
            )
        return f"{rel_path}:{d.line}: {d.message}; fix the file first"
    joiner = "\n" if raw and not raw.endswith(b"\n") else ""
    after = parse(old + joiner + "".join(lines), rel_path)
    count = len(before.data) if isinstance(before.data, list) else 0
    if (
        after.diagnostics
        or not isinstance(after.data, list)
        or (before.data is not None and not isinstance(before.data, list))
        or len(after.data) != count + len(lines)
    ):
        return (
            f"{rel_path} is not a list of '- ...' lines that okr can append to; "
            "write its records one per line as '- {at: ..., id: ..., value: ...}'"
        )
    return None


# --- reading okr's own lines quickly -------------------------------------------------------
#
# ``okr checkin`` writes one JSON-compatible flow mapping per line.  Such a file is read with
# the standard library's JSON parser and checked by hand, ~35x faster than YAML.  The fast
# path only ever *accepts*: a file with anything unusual (another layout, an escape or a
# character where YAML and JSON could disagree, a duplicate key, a value that would fail
# validation) is read by the YAML path, which alone produces diagnostics.  Both paths give
# the same records (tested on the same inputs).

_RECORD_KEYS = frozenset(RECORD_KEYS)
# escapes YAML and JSON read alike, and raw characters YAML refuses or folds
_RISKY = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_ESCAPE = re.compile(r"\\(.)")
_SAFE_ESCAPES = frozenset('"\\ntr')


_TWO_OBJECTS = re.compile(r"\}\s*,\s*\{")


_ASCII_FINE = b"\t\n\r" + bytes(range(0x20, 0x7F))


def _risky(text: str) -> bool:
    """Whether ``text`` holds a character YAML refuses or folds (``_RISKY``); ASCII text
    is checked as bytes, several times quicker."""
    if text.isascii():
        return bool(text.encode("ascii").translate(None, _ASCII_FINE))
    return _RISKY.search(text) is not None


class _NotFast(Exception):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    record = dict(pairs)
    if len(record) != len(pairs):
        raise _NotFast
    return record


def _no_constant(name: str) -> Any:
    raise _NotFast


def _number_ok(value: Any) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(float(value) if abs(value) < 1e308 else math.inf)
    )


# at, id, period, value (None for a status update), confidence, by, note, health
Fields = tuple[Any, str, str | None, Any, Any, str | None, str | None, str | None]


def _fast_record(record: Any) -> Fields:
    """A record the YAML path would accept unchanged, built without pydantic; else _NotFast."""
    if not isinstance(record, dict) or not _RECORD_KEYS.issuperset(record):
        raise _NotFast
    at, id_, value = record.get("at"), record.get("id"), record.get("value")
    period, confidence = record.get("period"), record.get("confidence")
    by, note, health = record.get("by"), record.get("note"), record.get("health")
    if not (isinstance(at, str) and isinstance(id_, str) and ID_RE.fullmatch(id_)):
        raise _NotFast
    if value is None:  # a status update: it must say something
        if confidence is None and note is None and health is None:
            raise _NotFast
    elif not (isinstance(value, bool) or _number_ok(value)):
        raise _NotFast
    if health is not None and health not in HEALTH:
        raise _NotFast
    if confidence is not None and not (_number_ok(confidence) and 0 <= confidence <= 1):
        raise _NotFast
    if period is not None and parse_period(period) is None:
        raise _NotFast
    if (by is not None and not isinstance(by, str)) or (
        note is not None and not isinstance(note, str)
    ):
        raise _NotFast
    try:
        moment = parse_timestamp(at)
    except ValueError:
        raise _NotFast from None
    period_text = None if period is None else str(period)
    return (moment, id_, period_text, value, confidence, by, note, health)


_BLANK_OR_COMMENT = re.compile(r" *(?:#[^\r]*)?\r?", re.ASCII)  # what YAML skips, tabs not

Segment = tuple[int, int, str]  # (first line, index, text) of a record the YAML path reads

# a CR that does not end a line: YAML counts a line there, and JSON reads a space
_BARE_CR = re.compile("\r(?!\n)")


def fast_journal(
    text: str, wanted: frozenset[str] | None = None
) -> list[tuple[int, int, Fields]] | None:
    """(line, index, record) for each record of a file in okr's one-line format; None if
    the file is not entirely in that format (then the YAML path reads it).  With
    ``wanted``, only records of those ids are read (lines not naming one are skipped)."""
    split = split_journal(text, wanted)
    if split is None or split[1]:
        return None
    return split[0]


def split_journal(
    text: str,
    wanted: frozenset[str] | None = None,
    take: Callable[[list[tuple[int, int, Fields]]], None] | None = None,
) -> tuple[list[tuple[int, int, Fields]], list[Segment]] | None:
    """A journal file read line by line: (line, index, record) for each record in okr's
    one-line format, and (first line, index, text) for each other record (a hand-written
    one, or a line the fast path steps aside for), which the YAML path reads on its own.

    None when the file cannot be read in parts: a character that YAML and JSON count
    lines by differently, or anything but a block list of records, comments and blank
    lines at the top level.  Then the YAML path reads the whole file.  With ``wanted``,
    only lines in okr's format naming one of those ids are read (other such lines are
    skipped); the other records are all given, for the caller to filter.  With ``take``
    (and no ``wanted``), the records in okr's format are handed to it a few thousand at a
    time as they are read, in order, and none are returned: a file read into memory costs
    little more than what ``take`` keeps of it (what it was given stands even when the
    answer is None)."""
    if _risky(text) or _BARE_CR.search(text):
        return None
    places: list[tuple[int, int]] = []
    bodies: list[str] = []
    segments: list[list[Any]] = []  # [first line, index, lines]
    current: list[Any] | None = None  # the segment that indented lines continue
    index = 0
    found: list[tuple[int, int, Fields]] = []
    failed: list[tuple[int, int, str]] = []
    keep = found.extend if take is None else take
    quick = None if wanted is None else _lines_naming(text, wanted)
    if quick is not None:
        places, bodies = quick
    for number, line in enumerate(() if quick is not None else _lines(text), 1):
        if line.startswith("- {") and not _TWO_OBJECTS.search(line) and not _odd_escape(line):
            current = None
            if wanted is None or any(w in line for w in wanted):
                places.append((number, index))
                bodies.append(line[2:].rstrip(" \r"))
                if len(bodies) == _CHUNK:  # decoded as they come: few lines alive at once
                    failed += _decode_into(places, bodies, keep)
                    places, bodies = [], []
            index += 1
        elif line.startswith(("- ", "-\t")) or line.rstrip(" \r") == "-":
            current = [number, index, [line]]
            segments.append(current)
            index += 1
        elif current is not None and (not line.strip() or line[0] in " \t#"):
            current[2].append(line)  # the YAML path reads it with its record
        elif _BLANK_OR_COMMENT.fullmatch(line):
            pass
        else:
            return None  # not a block list of records: the YAML path reads the file
    failed += _decode_into(places, bodies, keep)
    if wanted is not None:  # a line may name a wanted id in its note only
        found = [f for f in found if f[2][1] in wanted]
    extra: list[list[Any]] = [[n, i, [body_line]] for n, i, body_line in failed]
    if extra:
        segments = sorted(segments + extra, key=lambda s: s[1])
    return found, [(n, i, "\n".join(lines)) for n, i, lines in segments]


# a line that is not one of okr's records (the final newline's empty "line" aside)
_NOT_A_RECORD_LINE = re.compile(r"\n(?!- \{)")
# a backslash not (obviously) one of the escapes YAML and JSON read alike
_MAYBE_ODD_ESCAPE = re.compile(r'\\[^"\\ntr]')


def only_records(text: str) -> bool:
    """Whether every line of ``text`` is one of okr's one-line records (no comment, no
    blank line, nothing written by hand); an empty text is."""
    if not text:
        return True
    end = len(text) - 1 if text.endswith("\n") else len(text)
    return text.startswith("- {") and not _NOT_A_RECORD_LINE.search(text, 0, end)


def _lines(text: str) -> Iterator[str]:
    """``text.split("\\n")``, one line at a time."""
    start, size = 0, len(text)
    while True:
        end = text.find("\n", start)
        if end < 0:
            yield text[start:size]
            return
        yield text[start:end]
        start = end + 1


def _lines_naming(
    text: str, wanted: frozenset[str]
) -> tuple[list[tuple[int, int]], list[str]] | None:
    """``split_journal``'s places and bodies of the lines naming a ``wanted`` id, found by
    string search, when every line of ``text`` is one of okr's records (so a record's
    index is its line number less one); else None (the file is read line by line)."""
    if not text or not only_records(text):
        return None
    if _TWO_OBJECTS.search(text) or ("\\" in text and _MAYBE_ODD_ESCAPE.search(text)):
        return None  # a line the YAML path reads: an escape may spell any id
    starts: set[int] = set()
    for w in wanted:
        at = text.find(w)
        while at >= 0:
            start = text.rfind("\n", 0, at) + 1
            starts.add(start)
            stop = text.find("\n", at)
            at = -1 if stop < 0 else text.find(w, stop)
    places: list[tuple[int, int]] = []
    bodies: list[str] = []
    number, counted = 1, 0
    for start in sorted(starts):
        number += text.count("\n", counted, start)
        counted = start
        stop = text.find("\n", start)
        line = text[start : stop if stop >= 0 else len(text)]
        places.append((number, number - 1))
        bodies.append(line[2:].rstrip(" \r"))
    return places, bodies


def _odd_escape(line: str) -> bool:
    """Whether ``line`` holds an escape that YAML and JSON may read apart."""
    return "\\" in line and any(m.group(1) not in _SAFE_ESCAPES for m in _ESCAPE.finditer(line))


_CHUNK = 4096  # lines decoded at once: one parse each, and few decoded objects alive


def _decode_into(
    places: list[tuple[int, int]],
    bodies: list[str],
    keep: Callable[[list[tuple[int, int, Fields]]], Any],
) -> list[tuple[int, int, str]]:
    """``_decode``: the records it accepts handed to ``keep``, the lines it does not
    returned."""
    done, odd = _decode(places, bodies)
    keep(done)
    return odd


def _decode(
    places: list[tuple[int, int]], bodies: list[str]
) -> tuple[list[tuple[int, int, Fields]], list[tuple[int, int, str]]]:
    """The records of ``bodies`` the fast path accepts, and (line, index, line text) of
    those it steps aside for."""
    decoder = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_no_constant)
    found: list[tuple[int, int, Fields]] = []
    failed: list[tuple[int, int, str]] = []
    for start in range(0, len(bodies), _CHUNK):
        chunk = bodies[start : start + _CHUNK]
        where = places[start : start + _CHUNK]
        try:
            # One parse of the chunk's lines.  No line holds two objects (_TWO_OBJECTS),
            # so a body that is not one whole object makes the count come out short.
            records = decoder.decode("[" + ",".join(chunk) + "]")
            if len(records) == len(chunk):
                found += [(n, i, _fast_record(r)) for (n, i), r in zip(where, records, strict=True)]
                continue
        except (_NotFast, ValueError):
            pass
        # something is off: line by line, so that only the odd lines take the YAML path
        for (n, i), body in zip(where, chunk, strict=True):
            try:
                found.append((n, i, _fast_record(decoder.decode(body))))
            except (_NotFast, ValueError):
                failed.append((n, i, "- " + body))
    return found, failed


def value_column(line: str, key: str | None) -> int | None:
    """The 1-based column where ``key``'s value starts in one of okr's one-line records
    (``- {"at": ..., ...}``), as the YAML path would place it: the record's ``{`` when
    ``key`` is None or absent.  None when ``line`` is not such a record."""
    if not line.startswith("- {"):
        return None
    if key is None:
        return 3
    i, n = 3, len(line)
    try:
        while i < n:
            while i < n and line[i] in " \t,":
                i += 1
            if i >= n or line[i] == "}":
                break
            end = _string_end(line, i)
            name = json.loads(line[i:end])
            i = end
            while line[i] in " \t":
                i += 1
            if line[i] != ":":
                return None
            i += 1
            while line[i] in " \t":
                i += 1
            if name == key:
                return i + 1
            if line[i] == '"':
                i = _string_end(line, i)
            else:
                while i < n and line[i] not in ",} \t":
                    i += 1
    except (IndexError, ValueError):
        return None
    return 3


def _string_end(line: str, i: int) -> int:
    """The index just after the JSON string that starts at ``line[i]``."""
    if line[i] != '"':
        raise ValueError("not a string")
    j = i + 1
    while line[j] != '"':
        j += 2 if line[j] == "\\" else 1
    return j + 1
