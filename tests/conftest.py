"""Shared fixtures: workspaces built from dicts, the CLI runner and real git repositories."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import EXAMPLE, SETTINGS, commit, git_init, write_tree
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from okrcli.cli import app

# Property-based tests: a quick profile for every run (CI), a long one for local hunting:
#   HYPOTHESIS_PROFILE=long python -m pytest tests/test_journal_paths.py tests/test_fuzz.py
_SLOW_OK = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
settings.register_profile("ci", max_examples=200, deadline=None, suppress_health_check=_SLOW_OK)
settings.register_profile("long", max_examples=5000, deadline=None, suppress_health_check=_SLOW_OK)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True, scope="session")
def _private_parse_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep okr's parse cache, and the secret that signs its entries, out of the user's
    home during tests."""
    os.environ["OKR_CACHE_DIR"] = str(tmp_path_factory.mktemp("okr-cache"))
    os.environ["XDG_CONFIG_HOME"] = str(tmp_path_factory.mktemp("config"))


@pytest.fixture
def make_workspace(tmp_path: Path) -> Callable[..., Path]:
    """Build a workspace from a dict; ``okr.yaml`` defaults to a two-team org."""

    def make(files: dict[str, str] | None = None, *, settings: str | None = SETTINGS) -> Path:
        tree = dict(files or {})
        if settings is not None:
            tree.setdefault("okr.yaml", settings)
        root = tmp_path / "ws"
        root.mkdir(exist_ok=True)
        return write_tree(root, tree)

    return make


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A private copy of the bundled example organisation."""
    dest = tmp_path / "acme"
    shutil.copytree(EXAMPLE, dest)
    return dest


class Result:
    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code, self.stdout, self.stderr = exit_code, stdout, stderr

    def __repr__(self) -> str:
        return f"Result(exit={self.exit_code}, stdout={self.stdout!r}, stderr={self.stderr!r})"


@pytest.fixture
def okr(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run the real CLI in-process: ``okr("validate", "--root", str(path))``."""
    monkeypatch.delenv("OKR_ROOT", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        runner = CliRunner()
        result = runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)
        return Result(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def git_repo(tmp_path: Path) -> Callable[[Path], Path]:
    """Turn a folder into a real git repository with one commit of everything in it."""

    def init(root: Path) -> Path:
        git_init(root)
        commit(root, "initial")
        return root

    return init
