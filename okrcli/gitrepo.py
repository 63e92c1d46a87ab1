"""Everything that touches git, through gitpython (imported only when a command needs it)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from okrcli.errors import GitError, UsageError
from okrcli.layout import DEFINITION_FOLDERS, FOLDERS, is_goal_file

T = TypeVar("T")


def not_a_repository(root: Path, purpose: str) -> GitError:
    return GitError(
        f"{purpose} needs git, and {root} is not inside a git repository "
        "(run 'git init' there first)"
    )


def open_repo(root: Path, *, purpose: str) -> Any:
    """The git repository containing ``root``; ``GitError`` naming ``purpose`` if none."""
    try:
        import git
    except ImportError as e:  # pragma: no cover - gitpython is a dependency
        raise GitError(f"{purpose} needs gitpython: {e}") from None
    try:
        return git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise not_a_repository(root, purpose) from None
    except git.GitCommandNotFound:
        raise GitError(f"{purpose} needs the git program, which is not installed") from None


# --- reading revisions and history (okr diff, okr history) ---------------------------------
# Every function below takes a Repo from ``open_repo``; gitpython is imported only inside.


@dataclass(frozen=True)
class CommitInfo:
    """One commit as okr shows it: which, when (committer date, UTC), who (author)."""

    sha: str
    when: datetime
    author: str
    summary: str

    @property
    def short(self) -> str:
        return self.sha[:10]

    @property
    def day(self) -> date:
        return self.when.astimezone(timezone.utc).date()


def commit_info(commit: Any) -> CommitInfo:
    summary = commit.summary
    if isinstance(summary, bytes):  # pragma: no cover - undecodable message
        summary = summary.decode("utf-8", "replace")
    return CommitInfo(
        sha=commit.hexsha,
        when=_commit_time(commit),
        author=str(commit.author.name or commit.author.email or "unknown"),
        summary=str(summary),
    )


def _commit_time(commit: Any) -> datetime:
    """The commit's time in UTC, within the years okr handles (a commit can claim any
    date, even one Python cannot represent)."""
    from okrcli.timeutil import FIRST_YEAR, LAST_YEAR

    first = datetime(FIRST_YEAR, 1, 1, tzinfo=timezone.utc)
    last = datetime(LAST_YEAR, 12, 31, 23, 59, 59, tzinfo=timezone.utc)
    try:
        when = datetime.fromtimestamp(int(commit.committed_date), timezone.utc)
    except (ValueError, OverflowError, OSError):
        return first if int(commit.committed_date) < 0 else last
    return min(max(when, first), last)


def has_commits(repo: Any) -> bool:
    """False on an unborn branch (a repository with no commit yet)."""
    try:
        return bool(repo.head.is_valid())
    except Exception:  # pragma: no cover - a corrupt HEAD
        return False


def is_shallow(repo: Any) -> bool:
    """Whether the repository is a shallow clone (history before its graft is missing)."""
    return (Path(repo.git_dir) / "shallow").is_file()


def prefix_in_repository(root: Path) -> str:
    """The workspace's folder inside its git repository ('' or ending in '/'); '' when it
    is in none (or git cannot tell): paths then stay workspace-relative."""
    try:
        return workspace_prefix(open_repo(root, purpose="--format github"), root)
    except Exception:  # no repository, no git program, a bare one: no prefix
        return ""


def workspace_prefix(repo: Any, root: Path) -> str:
    """The workspace root's path inside the repository, POSIX, '' or ending in '/'."""
    top = repo.working_tree_dir
    if top is None:
        raise GitError("okr needs a repository with a working tree, not a bare one")
    try:
        rel = Path(root).resolve().relative_to(Path(top).resolve())
    except ValueError:
        raise GitError(f"{root} is not inside the git working tree {top}") from None
    text = rel.as_posix()
    return "" if text in ("", ".") else text + "/"


def resolve_commit(repo: Any, rev: str) -> Any:
    """The commit named by ``rev``, which may be anything ``git rev-parse`` understands
    (``HEAD~3``, ``main@{yesterday}``, ``HEAD@{1 week ago}``, a tag): git itself resolves
    it, run without a shell.  ``UsageError`` for an unknown revision and ``GitError`` when
    the repository has no commit yet."""
    import git

    if not rev or rev.startswith("-") or "\0" in rev:  # never an option for git
        raise UsageError(f"{rev!r} is not a revision")
    if not has_commits(repo):
        if rev == "HEAD" or rev == _branch_name(repo):
            raise GitError(
                "the repository has no commits yet, so there is no revision "
                f"{rev!r} to read; commit the goal files first"
            )
        raise UsageError(f"unknown revision {rev!r} (the repository has no commits yet)")
    try:
        sha = repo.git.rev_parse("--verify", "--quiet", f"{rev}^{{commit}}").strip()
        commit = repo.commit(sha)
    except (git.BadName, git.BadObject, ValueError, IndexError, git.GitCommandError):
        if is_shallow(repo):
            raise UsageError(
                f"unknown revision {rev!r}: no commit, branch or tag of that name in this "
                "shallow clone (fetch more history with 'git fetch --deepen' or "
                "'git fetch --unshallow')"
            ) from None
        raise UsageError(
            f"unknown revision {rev!r}: no commit, branch or tag of that name"
        ) from None
    try:
        commit.tree  # noqa: B018 - a name can resolve to a commit the clone does not hold
    except (ValueError, git.BadObject, git.BadName):
        where = "this shallow clone" if is_shallow(repo) else "this repository"
        raise UsageError(
            f"the revision {rev!r} is not in {where} (fetch more history with "
            "'git fetch --deepen' or 'git fetch --unshallow')"
        ) from None
    return commit


def _branch_name(repo: Any) -> str | None:
    try:
        return str(repo.head.ref.name)
    except (TypeError, ValueError):  # detached
        return None


def _blobs_under(tree: Any) -> Iterator[tuple[str, Any]]:
    """(repository path, blob) of every file under ``tree``."""
    for item in tree.traverse():
        if item.type == "blob" and item.mode & 0o170000 == 0o100000:  # regular files only:
            yield item.path, item  # a committed link is not followed, nor its target shown


def _subtree(commit: Any, path: str) -> Any:
    try:
        node = commit.tree / path if path else commit.tree
    except KeyError:
        return None
    return node if node.type == "tree" else None


def _blob(commit: Any, path: str) -> Any:
    try:
        node = commit.tree / path
    except KeyError:
        return None
    return node if node.type == "blob" else None


def commit_files(repo: Any, commit: Any, prefix: str, *, journal: bool = False) -> dict[str, bytes]:
    """``okr.yaml`` and every plan and KPI file (with ``journal``, every check-in file too)
    of the workspace at ``prefix`` in ``commit``, as workspace-relative path -> bytes (an
    absent workspace gives {})."""
    files: dict[str, bytes] = {}
    settings = _blob(commit, prefix + "okr.yaml")
    if settings is not None:
        files["okr.yaml"] = settings.data_stream.read()
    for folder in FOLDERS if journal else DEFINITION_FOLDERS:
        tree = _subtree(commit, prefix + folder)
        if tree is None:
            continue
        for path, blob in _blobs_under(tree):
            rel = path[len(prefix) :]
            if is_goal_file(rel):
                files[rel] = blob.data_stream.read()
    return files


def walk_files(
    repo: Any,
    prefix: str,
    folder: str,
    parse: Callable[[str, bytes], T],
    rev: str = "HEAD",
) -> Iterator[tuple[CommitInfo, dict[str, T]]]:
    """Oldest first, every commit reachable from ``rev`` that touched ``prefix + folder``,
    with each goal file under that folder parsed by ``parse(rel, data)``.

    Only commits that touch the folder are visited, and each blob is read and parsed once
    (files that did not change between commits share one parsed value).  Nothing is
    yielded on an unborn branch; a shallow clone yields what it has.
    """
    if not has_commits(repo):
        return
    cache: dict[str, T] = {}
    target = (prefix + folder).rstrip("/")
    for commit in repo.iter_commits(rev, paths=target, reverse=True):
        parsed: dict[str, T] = {}
        tree = _subtree(commit, target)
        if tree is not None:
            for path, blob in _blobs_under(tree):
                rel = path[len(prefix) :]
                if not is_goal_file(rel):
                    continue
                if blob.hexsha not in cache:
                    cache[blob.hexsha] = parse(rel, blob.data_stream.read())
                parsed[rel] = cache[blob.hexsha]
        yield commit_info(commit), parsed


def uncommitted(repo: Any, prefix: str, folders: Iterable[str]) -> list[str]:
    """Workspace-relative paths under ``folders`` that differ from HEAD: modified, staged,
    deleted or untracked (ignored files aside)."""
    import git

    paths = [f"{prefix}{folder}" for folder in folders]
    try:
        text = repo.git.status("--porcelain", "--untracked-files=all", "--", *paths)
    except git.GitCommandError as e:
        raise GitError(f"git status failed: {_git_message(e)}") from None
    found = []
    for line in str(text).splitlines():
        path = line[3:].split(" -> ")[-1].strip('"')
        found.append(path[len(prefix) :] if path.startswith(prefix) else path)
    return found


def hidden_from_status(repo: Any, prefix: str, folders: Iterable[str]) -> bool:
    """Whether a tracked file under ``folders`` is marked assume-unchanged or skip-worktree:
    git status does not see its edits."""
    import git

    paths = [f"{prefix}{folder}" for folder in folders]
    try:
        text = repo.git.ls_files("-v", "--", *paths)
    except git.GitCommandError as e:
        raise GitError(f"git ls-files failed: {_git_message(e)}") from None
    # ls-files -v: a lower-case tag is assume-unchanged, S is skip-worktree
    return any(line[:1].islower() or line[:1] == "S" for line in str(text).splitlines())


def tag_exists(repo: Any, name: str) -> bool:
    return any(t.name == name for t in repo.tags)


def create_tag(repo: Any, name: str, message: str) -> str:
    """Create the annotated tag ``name`` on HEAD; its commit's sha.  ``GitError`` if the
    tag exists, the branch has no commit yet, or git refuses."""
    import git

    if not has_commits(repo):
        raise GitError(f"cannot tag {name}: the repository has no commits yet")
    if tag_exists(repo, name):
        raise GitError(f"the tag {name} already exists; okr never moves a tag")
    try:
        tag = repo.create_tag(name, ref="HEAD", message=message)
    except git.GitCommandError as e:
        detail = (e.stderr or "").strip().splitlines()
        reason = detail[-1] if detail else str(e)
        raise GitError(f"git could not create the tag {name}: {reason}") from None
    return str(tag.commit.hexsha)


# --- committing check-ins (okr checkin --commit, okr import --commit) ------------------


def git_dir(root: Path) -> Path | None:
    """The ``.git`` (folder, or file of a linked worktree) of the repository holding
    ``root``, found without git or gitpython; None outside a repository."""
    here = Path(root).resolve()
    for folder in (here, *here.parents):
        candidate = folder / ".git"
        if candidate.exists():
            return candidate
    return None


def user_name(root: Path) -> str | None:
    """git's ``user.name`` for the repository holding ``root``; None outside a repository,
    when it is not set, or without the git program.  Asked of ``git config`` (which knows
    every config file, include and condition) rather than gitpython, which would cost more
    to import than the rest of a check-in."""
    import subprocess

    if git_dir(root) is None:
        return None
    try:
        done = subprocess.run(
            ["git", "config", "--get", "user.name"],
            cwd=root,
            capture_output=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    text = done.stdout.decode("utf-8", "replace").strip()
    return text or None


def prepare_commit(root: Path, *, purpose: str = "--commit") -> Any:
    """The repository that ``commit_paths`` will commit in, checked before anything is
    written: a working tree holding ``root``, no merge or cherry-pick under way, and an
    author identity git can use.  ``GitError`` saying what is missing otherwise."""
    import git

    repo = open_repo(root, purpose=purpose)
    workspace_prefix(repo, root)  # bare repository, or root outside the working tree
    git_dir = Path(repo.git_dir)
    for name, what in (
        ("MERGE_HEAD", "a merge"),
        ("CHERRY_PICK_HEAD", "a cherry-pick"),
        ("REVERT_HEAD", "a revert"),
    ):
        if (git_dir / name).exists():
            raise GitError(
                f"{purpose} cannot commit while {what} is under way in {repo.working_tree_dir}; "
                "finish it first, or leave out --commit"
            )
    try:
        repo.git.var("GIT_AUTHOR_IDENT")
        repo.git.var("GIT_COMMITTER_IDENT")
    except git.GitCommandError:
        raise GitError(
            f"{purpose} needs to know who you are: set git config user.name and user.email"
        ) from None
    return repo


def _git_message(e: Any) -> str:
    """What git said, without gitpython's "stderr: '...'" wrapping."""
    text = str(e.stderr or e.stdout or e).strip()
    for prefix in ("stderr:", "stdout:"):
        if text.startswith(prefix):
            text = text[len(prefix) :].strip()
    if len(text) >= 2 and text[0] == text[-1] == "'":
        text = text[1:-1].strip()
    return text or f"git exited with {e.status}"


def commit_paths(root: Path, paths: list[str], message: str) -> str:
    """Commit exactly the workspace-relative ``paths`` (as they are in the working tree),
    leaving whatever else is staged staged and everything else untouched; return the new
    commit's id.  A path git does not track yet is added first."""
    import contextlib
    import os

    import git

    repo = prepare_commit(root)
    top = Path(repo.working_tree_dir).resolve()
    rels = [os.path.relpath((Path(root) / p).resolve(), top) for p in paths]
    added: list[str] = []
    try:
        for rel in rels:
            if not repo.git.ls_files("--", rel):
                repo.git.add("--", rel)
                added.append(rel)
        repo.git.commit("--only", "--quiet", "-m", message, "--", *rels)
    except git.GitCommandError as e:
        for rel in added:  # leave the index as it was
            with contextlib.suppress(git.GitCommandError):
                repo.git.rm("--cached", "--quiet", "--", rel)
        detail = _git_message(e)
        raise GitError(f"git could not commit {', '.join(paths)}: {detail}") from None
    return str(repo.head.commit.hexsha)
