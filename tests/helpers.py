"""Helpers shared by the tests: the example, workspaces written from dicts, real git."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "acme"
AS_OF = "2026-11-22"  # the date the bundled example is written for

SETTINGS = """\
version: 1
org: Test Org
teams:
  company: {name: Test Org}
  platform: {name: Platform, parent: company}
"""


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (relative path -> text) under ``root``; return ``root``."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        # surrogate escapes let a test write bytes that are not UTF-8
        path.write_bytes(text.encode("utf-8", "surrogateescape"))
    return root


def git(cwd: Path, *args: str) -> str:
    """Run real git in ``cwd`` and return its stdout."""
    done = subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)
    return done.stdout


def git_init(root: Path) -> Path:
    """Make ``root`` a real git repository (branch main, a test identity, no signing)."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Test User")
    git(root, "config", "user.email", "test@example.com")
    git(root, "config", "commit.gpgsign", "false")
    git(root, "config", "tag.gpgsign", "false")
    return root


def commit(root: Path, message: str, when: str | None = None, author: str = "Ann") -> str:
    """Commit everything in ``root`` (dated ``when``, ISO 8601, if given) by ``author``;
    the new commit's full sha.  An empty commit is allowed."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": author,
        "GIT_AUTHOR_EMAIL": f"{author.lower()}@example.com",
        "GIT_COMMITTER_NAME": author,
        "GIT_COMMITTER_EMAIL": f"{author.lower()}@example.com",
    }
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
    subprocess.run(
        ["git", "commit", "-q", "--allow-empty", "-m", message], cwd=root, check=True, env=env
    )
    return git(root, "rev-parse", "HEAD").strip()


class Terminal:
    """``python -m okrcli ARGS`` with a pseudo-terminal as its controlling terminal (and
    stdin, stdout and stderr), ``rows`` × ``columns`` large; ``env`` adds to the
    environment (``NO_COLOR`` is set unless ``env`` gives it as None)."""

    def __init__(
        self,
        *args: str,
        env: dict[str, str | None] | None = None,
        rows: int = 24,
        columns: int = 100,
        cwd: Path | None = None,
    ) -> None:
        import fcntl
        import struct
        import sys
        import termios

        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))

        def controlling_terminal() -> None:
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        full = dict(os.environ, NO_COLOR="1", COLUMNS=str(columns), PYTHONPATH=str(REPO))
        full.pop("OKR_ROOT", None)
        for name, value in (env or {}).items():
            if value is None:
                full.pop(name, None)
            else:
                full[name] = value
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "okrcli", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            preexec_fn=controlling_terminal,
            env=full,
            cwd=cwd,
        )
        os.close(slave)
        self.seen = b""

    def _read(self, timeout: float) -> bytes:
        import select

        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return b""
        try:
            return os.read(self.master, 4096)
        except OSError:  # the other end closed
            return b""

    def expect(self, text: str, timeout: float = 20) -> None:
        import time

        end = time.monotonic() + timeout
        while text.encode() not in self.seen:
            chunk = self._read(max(0.0, end - time.monotonic()))
            if not chunk:
                raise AssertionError(f"never saw {text!r} in {self.seen.decode()!r}")
            self.seen += chunk
        self.seen = self.seen.split(text.encode(), 1)[1]

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def finish(self) -> tuple[int, str]:
        rest = b""
        while True:
            chunk = self._read(20)
            if not chunk:
                break
            rest += chunk
        code = self.proc.wait(20)
        os.close(self.master)
        return code, (self.seen + rest).decode(errors="replace")
