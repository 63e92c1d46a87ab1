"""The journal's platform code: the lock (POSIX and Windows), the flush, the last-byte read.

The POSIX lock is tested for real, with two processes.  The Windows lock cannot be taken on
this machine, so its branch runs against ``FakeMsvcrt``, which records the calls that
``msvcrt.locking`` would get, each with the file position it would lock from.  That shows
which region is locked and unlocked, that a lock still held elsewhere is waited for, and
that an append stays correct with the position moved; it does not show that Windows itself
excludes a second writer: only a run on Windows can show that.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import types
from pathlib import Path
from typing import Any

import pytest
from helpers import write_tree

from okrcli import journal
from okrcli.journal import append_files, append_lines, format_record

JOURNAL = "checkins/2026-11.yaml"


def line(n: int) -> str:
    return format_record({"at": f"2026-11-{n:02d}", "id": "load", "value": n})


def open_journal(path: Path) -> int:
    return os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o666)


# --- POSIX: flock, for real ----------------------------------------------------------------

posix_only = pytest.mark.skipif(journal._fcntl is None, reason="POSIX only (fcntl)")


def _holder(path: str, held: Any, release: Any) -> None:
    fd = open_journal(Path(path))
    journal._lock(fd)
    held.set()
    release.wait(30)
    journal._unlock(fd)
    os.close(fd)


def _appender(root: str, trying: Any, done: Any) -> None:
    trying.set()
    append_lines(Path(root), JOURNAL, [line(2)])
    done.set()


@posix_only
def test_posix_a_second_writer_waits_until_the_first_releases_the_lock(tmp_path):
    path = write_tree(tmp_path, {JOURNAL: line(1)}) / JOURNAL
    ctx = multiprocessing.get_context("fork")
    held, release, trying, done = (ctx.Event() for _ in range(4))
    holder = ctx.Process(target=_holder, args=(str(path), held, release))
    holder.start()
    try:
        assert held.wait(10)
        appender = ctx.Process(target=_appender, args=(str(tmp_path), trying, done))
        appender.start()
        assert trying.wait(10)
        # the appender is blocked on the lock: nothing is written while the holder has it
        assert not done.wait(0.5)
        assert path.read_text() == line(1)
        release.set()
        assert done.wait(10)
        appender.join(10)
        assert appender.exitcode == 0
    finally:
        release.set()
        holder.join(10)
    assert holder.exitcode == 0
    assert path.read_text() == line(1) + line(2)


@posix_only
def test_posix_lock_is_flock_and_is_released_before_close(tmp_path):
    import fcntl

    assert journal._fcntl is fcntl
    path = tmp_path / "j.yaml"
    fd = open_journal(path)
    other = open_journal(path)  # a second open file description: flock excludes it too
    try:
        journal._lock(fd)
        with pytest.raises(BlockingIOError):
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        journal._unlock(fd)
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free while fd is still open
    finally:
        os.close(fd)
        os.close(other)


# --- Windows: msvcrt.locking, against a recording fake --------------------------------------


class FakeMsvcrt:
    """Records ``locking(fd, mode, nbytes)`` with the position it locks from (as the C
    runtime's _locking does); fails the first ``busy`` LK_LOCK calls with EDEADLOCK, as
    LK_LOCK does after about 10 seconds of another process holding the region."""

    LK_UNLCK = 0  # the values of <sys/locking.h>
    LK_LOCK = 1
    LK_NBLCK = 2

    def __init__(self, busy: int = 0, error: int | None = None) -> None:
        self.busy = busy
        self.error = error
        self.calls: list[tuple[str, int, int]] = []

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        name = {0: "unlock", 1: "lock", 2: "try"}[mode]
        self.calls.append((name, os.lseek(fd, 0, os.SEEK_CUR), nbytes))
        if self.error is not None:
            raise OSError(self.error, os.strerror(self.error))
        if mode == self.LK_LOCK and self.busy:
            self.busy -= 1
            raise OSError(errno.EDEADLOCK, "Resource deadlock avoided")


REGION = (journal._WINDOWS_LOCK_OFFSET, journal._WINDOWS_LOCK_BYTES)


def test_windows_lock_region_is_one_byte_past_any_journal_okr_reads():
    from okrcli.yamlsource import MAX_FILE_BYTES

    # readers are never blocked by the (mandatory) Windows lock: it is beyond their data
    assert journal._WINDOWS_LOCK_BYTES == 1
    assert MAX_FILE_BYTES < journal._WINDOWS_LOCK_OFFSET < 2**31


def test_windows_lock_and_unlock_the_same_region(tmp_path):
    fake = FakeMsvcrt()
    fd = open_journal(tmp_path / "j.yaml")
    try:
        journal._lock_windows(fd, fake)
        journal._unlock_windows(fd, fake)
    finally:
        os.close(fd)
    assert fake.calls == [("lock", *REGION), ("unlock", *REGION)]


def test_windows_lock_keeps_trying_while_another_process_holds_it(tmp_path):
    fake = FakeMsvcrt(busy=3)
    fd = open_journal(tmp_path / "j.yaml")
    try:
        journal._lock_windows(fd, fake)
    finally:
        os.close(fd)
    assert fake.calls == [("lock", *REGION)] * 4  # three give-ups, then the lock


def test_windows_lock_other_errors_are_raised(tmp_path):
    fake = FakeMsvcrt(error=errno.EBADF)
    fd = open_journal(tmp_path / "j.yaml")
    try:
        with pytest.raises(OSError) as caught:
            journal._lock_windows(fd, fake)
    finally:
        os.close(fd)
    assert caught.value.errno == errno.EBADF
    assert fake.calls == [("lock", *REGION)]


def test_windows_append_files_locks_in_name_order_and_writes_at_the_end(tmp_path, monkeypatch):
    fake = FakeMsvcrt()
    monkeypatch.setattr(journal, "_fcntl", None)
    monkeypatch.setattr(journal, "_msvcrt", fake)
    write_tree(tmp_path, {"checkins/2026-10.yaml": "# unfinished", JOURNAL: line(1)})
    append_files(tmp_path, {JOURNAL: [line(3)], "checkins/2026-10.yaml": [line(2)]})
    assert fake.calls == [("lock", *REGION)] * 2 + [("unlock", *REGION)] * 2
    # the position moved to the lock byte, yet the lines went to the end, the missing
    # newline was seen, and the file did not grow to the lock offset
    october = (tmp_path / "checkins/2026-10.yaml").read_bytes()
    assert october == ("# unfinished\n" + line(2)).encode()
    assert (tmp_path / JOURNAL).read_bytes() == (line(1) + line(3)).encode()


def test_windows_a_failed_lock_still_closes_every_file(tmp_path, monkeypatch):
    fake = FakeMsvcrt(error=errno.EACCES)
    monkeypatch.setattr(journal, "_fcntl", None)
    monkeypatch.setattr(journal, "_msvcrt", fake)
    closed: list[int] = []
    real_close = os.close
    monkeypatch.setattr(journal.os, "close", lambda fd: (closed.append(fd), real_close(fd)))
    with pytest.raises(PermissionError):
        append_lines(tmp_path, JOURNAL, [line(1)])
    assert len(closed) == 1
    assert (tmp_path / JOURNAL).read_bytes() == b""


# --- the flush: F_FULLFSYNC where fcntl has it, else os.fsync --------------------------------


class FakeFcntl:
    """An fcntl module with (or without) F_FULLFSYNC that records ``fcntl()`` calls."""

    def __init__(self, full: bool, refuse: bool = False) -> None:
        if full:
            self.F_FULLFSYNC = 51  # macOS's value
        self.refuse = refuse
        self.calls: list[tuple[int, int]] = []

    def fcntl(self, fd: int, cmd: int) -> int:
        self.calls.append((fd, cmd))
        if self.refuse:
            raise OSError(errno.ENOTSUP, "Operation not supported")
        return 0


@pytest.fixture
def fsyncs(monkeypatch) -> list[int]:
    calls: list[int] = []
    monkeypatch.setattr(journal.os, "fsync", calls.append)
    return calls


def test_fsync_uses_f_fullfsync_when_fcntl_has_it(fsyncs):
    fake = FakeFcntl(full=True)
    journal._fsync(7, fake)
    assert fake.calls == [(7, 51)]
    assert fsyncs == []


@pytest.mark.parametrize("fake", [FakeFcntl(full=False), None], ids=["no-F_FULLFSYNC", "no-fcntl"])
def test_fsync_is_os_fsync_otherwise(fsyncs, fake):
    journal._fsync(7, fake)
    assert fsyncs == [7]
    assert fake is None or fake.calls == []


def test_fsync_falls_back_when_the_file_system_refuses_f_fullfsync(fsyncs):
    fake = FakeFcntl(full=True, refuse=True)
    journal._fsync(7, fake)
    assert fake.calls == [(7, 51)]
    assert fsyncs == [7]


@posix_only
def test_append_files_flushes_each_file_with_f_fullfsync_when_available(
    tmp_path, monkeypatch, fsyncs
):
    import fcntl

    fake = FakeFcntl(full=True)
    mac = types.SimpleNamespace(
        flock=fcntl.flock,
        LOCK_EX=fcntl.LOCK_EX,
        LOCK_UN=fcntl.LOCK_UN,
        F_FULLFSYNC=fake.F_FULLFSYNC,
        fcntl=fake.fcntl,
    )
    monkeypatch.setattr(journal, "_fcntl", mac)
    append_files(tmp_path, {JOURNAL: [line(1)], "checkins/2026-10.yaml": [line(2)]})
    assert [cmd for _, cmd in fake.calls] == [51, 51]
    assert fsyncs == []


# --- the last byte, without os.pread (Windows has none) -------------------------------------


def test_last_byte_is_read_with_lseek_and_appends_still_go_to_the_end(tmp_path):
    path = tmp_path / "j.yaml"
    path.write_bytes(b"abc")
    fd = open_journal(path)
    try:
        assert journal._last_byte(fd, 3) == b"c"
        os.write(fd, b"d")
    finally:
        os.close(fd)
    assert path.read_bytes() == b"abcd"


def test_append_needs_no_pread(tmp_path, monkeypatch):
    monkeypatch.delattr(os, "pread", raising=False)
    write_tree(tmp_path, {JOURNAL: "# no final newline"})
    append_lines(tmp_path, JOURNAL, [line(1)])
    assert (tmp_path / JOURNAL).read_text() == "# no final newline\n" + line(1)
