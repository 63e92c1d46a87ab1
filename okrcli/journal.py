"""The append-only check-in journal: ``checkins/<YYYY-MM>.yaml``, one record per line.

okr writes each record as a JSON-compatible flow mapping (valid YAML) on one line, keys in
a fixed order, so that appends are whole lines and the file stays easy to read and merge.

Appending is the only way okr changes a journal file, and it is built so that nothing is
lost and every file stays parseable:

* the new lines are written with ONE ``os.write()`` on a file opened with ``O_APPEND``,
  under an exclusive ``flock`` on that file: two ``okr checkin`` running at the same time
  take turns, and each one's lines land whole, after everything already there;
* existing bytes are never rewritten, reordered or reformatted (comments and hand-written
  records stay as they are); a file whose last line lacks its newline gets one in front of
  the new text, decided under the lock, so a record is never glued onto that line;
* a short write (a full disk) is undone under the same lock, by cutting the file back to
  the size it had, so the file is exactly as before; the error is reported;
* when several files are written at once (``okr import``), all of them are locked first
  (in name order, so two writers cannot deadlock) and a failure on any file cuts every
  file written so far back to its old size: all or nothing;
* the data is ``fsync``-ed before okr reports success.

What remains: a machine that loses power in the middle of the single write may keep only
a prefix of the new text.  Earlier lines are untouched, and the damage is confined to the
last line of that file, which ``okr validate`` then reports with its line number; deleting
that partial line restores the file.
"""

from __future__ import annotations

import contextlib
import errno
import json
import math
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from okrcli.periods import parse_period
from okrcli.timeutil import EPOCH_ORDINAL, parse_instant

RECORD_KEYS = ("at", "id", "period", "value", "confidence", "by", "note")

# Characters JSON leaves raw (with ensure_ascii=False) that YAML reads as line breaks or
# refuses as non-printable: they are written as \uXXXX escapes, which YAML understands.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def format_at(moment: datetime) -> str:
    """ISO 8601 with an explicit offset, to the second."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.isoformat(timespec="seconds")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def format_record(record: dict[str, Any]) -> str:
    """One journal line (with its newline) for ``record``; absent keys are left out."""
    ordered = {k: record[k] for k in RECORD_KEYS if record.get(k) is not None}
    if isinstance(ordered.get("at"), datetime):
        ordered["at"] = format_at(ordered["at"])
    text = json.dumps(ordered, ensure_ascii=False, allow_nan=False)
    return "- " + _YAML_UNSAFE.sub(_escape, text) + "\n"


def journal_file(moment: datetime) -> str:
    """The workspace-relative journal file of a record made at ``moment`` (its UTC month)."""
    return f"checkins/{moment.astimezone(timezone.utc):%Y-%m}.yaml"


# --- appending ---------------------------------------------------------------------------


def _check_lines(lines: Sequence[str]) -> bytes:
    for line in lines:
        if not line.endswith("\n") or "\n" in line[:-1] or "\r" in line:
            raise ValueError(f"not one whole line: {line!r}")
    return "".join(lines).encode("utf-8")


def _lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: O_APPEND alone
        return
    fcntl.flock(fd, fcntl.LOCK_EX)


def append_files(root: Path, batches: Mapping[str, Sequence[str]]) -> list[str]:
    """Append ``lines`` to each workspace-relative file of ``batches``: all or nothing.

    Each file gets exactly one ``os.write()`` of its whole lines, on an ``O_APPEND``
    descriptor, while every file of the batch is held under an exclusive ``flock``.
    Folders and files are created when missing.  Returns the paths written, sorted.
    """
    names = sorted(rel for rel, lines in batches.items() if lines)
    payloads = {rel: _check_lines(batches[rel]) for rel in names}
    flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
    fds: list[int] = []
    try:
        for rel in names:  # lock in name order: two writers never wait on each other
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, flags, 0o666)
            fds.append(fd)
            _lock(fd)
        plan: list[tuple[int, int, bytes]] = []
        for rel, fd in zip(names, fds, strict=True):
            size = os.fstat(fd).st_size
            data = payloads[rel]
            if size and os.pread(fd, 1, size - 1) != b"\n":
                data = b"\n" + data  # do not glue the record onto an unfinished last line
            plan.append((fd, size, data))
        _write_all(plan)
    finally:
        for fd in fds:
            os.close(fd)  # releases the lock
    return names


def _write_all(plan: list[tuple[int, int, bytes]]) -> None:
    started: list[tuple[int, int]] = []
    try:
        for fd, size, data in plan:
            started.append((fd, size))
            written = os.write(fd, data)
            if written != len(data):
                raise OSError(errno.ENOSPC, "the disk took only part of the check-in")
        for fd, _, _ in plan:
            os.fsync(fd)
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


def group_records(records: Iterable[dict[str, Any]]) -> dict[str, list[str]]:
    """Formatted lines by journal file (the UTC month of each record's ``at``), in order."""
    batches: dict[str, list[str]] = {}
    for record in records:
        at = record["at"]
        moment = at if isinstance(at, datetime) else datetime.fromisoformat(at)
        batches.setdefault(journal_file(moment), []).append(format_record(record))
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
    from okrcli.yamlsource import parse, read_text

    path = root / rel_path
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raw = b""
    except OSError as e:
        return f"cannot read {rel_path}: {e.strerror}"
    old, problem = read_text(raw, rel_path)
    if old is None:
        return problem.message if problem is not None else f"cannot read {rel_path}"
    if _appendable(old) and fast_journal("".join(lines)) is not None:
        return None
    before = parse(old, rel_path)
    if before.diagnostics:
        d = before.diagnostics[0]
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

# models.ID_PATTERN, repeated so that reading the journal does not load the models (a test
# keeps the two equal)
ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
_RECORD_KEYS = frozenset(RECORD_KEYS)
_REQUIRED = ("at", "id", "value")
_ID = re.compile(ID_PATTERN)
# escapes YAML and JSON read alike, and raw characters YAML refuses or folds
_RISKY = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_ESCAPE = re.compile(r"\\(.)")
_SAFE_ESCAPES = frozenset('"\\ntr')


_TWO_OBJECTS = re.compile(r"\}\s*,\s*\{")


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
    kind = value.__class__
    if kind is float:
        return bool(-math.inf < value < math.inf)
    return kind is int and abs(value) < 1e308


# (line, index, ts, offset, id, period, value, confidence, by, note): one record, with its
# time as integers (``timeutil.instant``); what the readers and the result cache hold
Row = tuple[int, int, int, int, str, str | None, Any, Any, str | None, str | None]

_PERIODS: dict[Any, str | None] = {}  # a record's period as written -> its text, or None


def _fast_row(record: Any, line: int, index: int) -> Row:
    """A record the YAML path would accept unchanged, built without pydantic; else _NotFast."""
    if not _RECORD_KEYS.issuperset(record):
        raise _NotFast
    get = record.get
    at, id_, value = get("at"), get("id"), get("value")
    period, confidence = get("period"), get("confidence")
    by, note = get("by"), get("note")
    if at.__class__ is not str or id_.__class__ is not str or not _ID.match(id_):
        raise _NotFast
    if value.__class__ is not bool and not _number_ok(value):
        raise _NotFast
    if confidence is not None and not (_number_ok(confidence) and 0 <= confidence <= 1):
        raise _NotFast
    if period is not None:
        if period.__class__ is not str and period.__class__ is not int:
            raise _NotFast
        text = _PERIODS.get(period, "")
        if text == "":
            ok = parse_period(period) is not None
            text = _PERIODS[period] = str(period) if ok else None
        if text is None:
            raise _NotFast
        period = text
    if (by is not None and by.__class__ is not str) or (
        note is not None and note.__class__ is not str
    ):
        raise _NotFast
    try:
        ts, offset = parse_instant(at)
    except ValueError:
        raise _NotFast from None
    return (line, index, ts, offset, id_, period, value, confidence, by, note)


def plain_row(record: Any, line: int, index: int) -> Row | None:
    """``record`` (a mapping of plain values, however it was written) as a row, when the
    YAML path would accept it unchanged; else None."""
    if not isinstance(record, dict):
        return None
    try:
        return _fast_row(record, line, index)
    except (_NotFast, TypeError, AttributeError):
        return None


Segment = tuple[int, int, str]  # (first line, index, text) of a record the YAML path reads

# a CR that does not end a line: YAML counts a line there, and JSON reads a space
_BARE_CR = re.compile("\r(?!\n)")


def fast_journal(text: str, wanted: frozenset[str] | None = None) -> list[Row] | None:
    """A row for each record of a file in okr's one-line format; None if
    the file is not entirely in that format (then the YAML path reads it).  With
    ``wanted``, only records of those ids are read (lines not naming one are skipped)."""
    split = split_journal(text, wanted)
    if split is None or split[1]:
        return None
    return split[0]


def split_journal(
    text: str, wanted: frozenset[str] | None = None
) -> tuple[list[Row], list[Segment]] | None:
    """A journal file read line by line: a row for each record in okr's
    one-line format, and (first line, index, text) for each other record (a hand-written
    one, or a line the fast path steps aside for), which the YAML path reads on its own.

    None when the file cannot be read in parts: a character that YAML and JSON count
    lines by differently, or anything but a block list of records, comments and blank
    lines at the top level.  Then the YAML path reads the whole file.  With ``wanted``,
    only lines in okr's format naming one of those ids are read (other such lines are
    skipped); the other records are all given, for the caller to filter."""
    if _has_risky(text) or _BARE_CR.search(text):
        return None
    places: list[tuple[int, int]] = []
    bodies: list[str] = []
    found: list[Row] = []
    failed: list[tuple[int, int, str]] = []
    segments: list[list[Any]] = []  # [first line, index, lines]
    current: list[Any] | None = None  # the segment that indented lines continue
    index = 0
    # the per-line checks, only where the whole text holds what they look for
    two = _TWO_OBJECTS.search(text) is not None
    escapes = "\\" in text
    if wanted is not None and not two and not escapes and _only_records(text):
        # every line is one of okr's records, blank or a comment: find the lines naming
        # a wanted id with the string search alone
        places, bodies = _wanted_lines(text, wanted)
        _decode(places, bodies, found, failed)
        found = [f for f in found if f[4] in wanted]
        return found, [(n, i, line) for n, i, line in failed]
    for number, line in enumerate(_lines(text), 1):
        if (
            line.startswith("- {")
            and not (two and _TWO_OBJECTS.search(line))
            and not (escapes and _odd_escape(line))
        ):
            current = None
            if wanted is None or any(w in line for w in wanted):
                places.append((number, index))
                bodies.append(line[2:].rstrip(" \r"))
                if len(bodies) == _CHUNK:  # decoded as they come: a large file stays lean
                    _decode(places, bodies, found, failed)
                    places, bodies = [], []
            index += 1
        elif line.startswith(("- ", "-\t")) or line.rstrip(" \r") == "-":
            current = [number, index, [line]]
            segments.append(current)
            index += 1
        elif not line.strip() or line.lstrip().startswith("#"):
            if current is not None:
                current[2].append(line)
        elif line[0] in " \t" and current is not None:
            current[2].append(line)
        else:
            return None  # not a block list of records: the YAML path reads the file
    _decode(places, bodies, found, failed)
    if wanted is not None:  # a line may name a wanted id in its note only
        found = [f for f in found if f[4] in wanted]
    extra: list[list[Any]] = [[n, i, [body_line]] for n, i, body_line in failed]
    if extra:
        segments = sorted(segments + extra, key=lambda s: s[1])
    return found, [(n, i, "\n".join(lines)) for n, i, lines in segments]


_ASCII_RISKY = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def _has_risky(text: str) -> bool:
    """``_RISKY.search(text)``, several times quicker for ASCII text."""
    if text.isascii():
        data = text.encode("ascii")
        return len(data.translate(None, _ASCII_RISKY)) != len(data)
    return _RISKY.search(text) is not None


def _only_records(text: str) -> bool:
    """Whether every line of ``text`` is one of okr's records, blank or a comment."""
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if text.count("\n- {") + text.startswith("- {") == lines:
        return True  # every line a record: no need to look at them one by one
    return _ODD_LINE.search(text) is None


# a line that is neither one of okr's records nor blank nor a comment
_ODD_LINE = re.compile(r"^(?!- \{)[ \t]*[^ \t#\r\n]", re.MULTILINE)


def _wanted_lines(text: str, wanted: frozenset[str]) -> tuple[list[tuple[int, int]], list[str]]:
    """(line, index) and body of each line of ``text`` (all okr records, blank lines and
    comments) that names one of ``wanted``, found by string search; lines and record
    indices counted between the hits."""
    starts: set[int] = set()
    for w in wanted:
        at = text.find(w)
        while at >= 0:
            starts.add(text.rfind("\n", 0, at) + 1)
            at = text.find(w, at + len(w))
    places: list[tuple[int, int]] = []
    bodies: list[str] = []
    line, index, last = 1, 0, 0
    for start in sorted(starts):
        line += text.count("\n", last, start)
        index += text.count("\n- {", last - 1 if last else 0, start - 1 if start else 0)
        if last == 0 and start > 0 and text.startswith("- {"):
            index += 1
        last = start
        if not text.startswith("- {", start):
            continue  # a comment naming the id
        end = text.find("\n", start)
        body = text[start + 2 : end if end >= 0 else len(text)]
        places.append((line, index))
        bodies.append(body.rstrip(" \r"))
    return places, bodies


def _odd_escape(line: str) -> bool:
    """Whether ``line`` holds an escape that YAML and JSON may read apart."""
    return "\\" in line and any(m.group(1) not in _SAFE_ESCAPES for m in _ESCAPE.finditer(line))


_CHUNK = 4096  # lines decoded in one call: large enough to be quick, small enough to be lean


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` one by one (``text.split('\\n')`` without the list)."""
    start = 0
    find = text.find
    while True:
        end = find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end]
        start = end + 1


def _decode(
    places: list[tuple[int, int]],
    bodies: list[str],
    found: list[Row],
    failed: list[tuple[int, int, str]],
) -> None:
    """Add to ``found`` the rows of the records of ``bodies`` the fast path accepts, and to
    ``failed`` (line, index, line text) of those it steps aside for."""
    decoder = _DECODER
    try:
        # One parse of many lines.  No line holds two objects (_TWO_OBJECTS), so a body
        # that is not one whole object makes the count come out short.
        records = decoder.decode("[" + ",".join(bodies) + "]")
        if len(records) == len(bodies):
            found += [_fast_row(r, n, i) for (n, i), r in zip(places, records, strict=True)]
            return
    except (_NotFast, ValueError, AttributeError):
        pass
    # something is off: line by line, so that only the odd lines take the YAML path
    for (n, i), body in zip(places, bodies, strict=True):
        try:
            found.append(_fast_row(decoder.decode(body), n, i))
        except (_NotFast, ValueError, AttributeError):
            failed.append((n, i, "- " + body))


_DECODER = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_no_constant)


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


def month_days(path: str) -> tuple[int, int] | None:
    """The first and last day (days since 1970) of the month a journal file's name
    promises; None if the name is not YYYY-MM (an impossible month has no day)."""
    name = path.rsplit("/", 1)[-1].split(".", 1)[0]
    if not is_month(name):
        return None
    year, month = int(name[:4]), int(name[5:])
    if not (1 <= month <= 12 and 1 <= year <= 9999):
        return (1, 0)
    first = date(year, month, 1).toordinal() - EPOCH_ORDINAL
    if year == 9999 and month == 12:
        return first, date(9999, 12, 31).toordinal() - EPOCH_ORDINAL
    after = date(year + month // 12, month % 12 + 1, 1).toordinal() - EPOCH_ORDINAL
    return first, after - 1


def is_month(name: str) -> bool:
    return len(name) == 7 and name[4] == "-" and name[:4].isdigit() and name[5:].isdigit()
