"""``okr init``: scaffold a workspace, or write the worked example organisation.

Existing files are never overwritten: they are kept and reported.
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

from okrcli import timeutil
from okrcli.errors import InputError
from okrcli.files import create_files
from okrcli.output import err
from okrcli.periods import quarter_of

GITATTRIBUTES = (
    "# check-ins made on different branches merge without conflicts\ncheckins/*.yaml merge=union\n"
)
GITIGNORE = "# okr's parse cache\n.okr-cache/\n"
UNION_LINE = "checkins/*.yaml merge=union"


def _template(*parts: str) -> str:
    node = resources.files("okrcli").joinpath("templates")
    for part in parts:
        node = node.joinpath(part)
    return node.read_text(encoding="utf-8")


def starter_files(today: date) -> dict[str, str]:
    """The files of a new workspace, with a plan for the quarter containing ``today``."""
    period = str(quarter_of(today))
    return {
        "okr.yaml": _template("starter", "okr.yaml"),
        "kpis/product.yaml": _template("starter", "kpis.yaml"),
        f"okrs/{period}/company.yaml": _template("starter", "company.yaml").replace(
            "{period}", period
        ),
        f"okrs/{period}/product.yaml": _template("starter", "product.yaml").replace(
            "{period}", period
        ),
        "checkins/.gitkeep": "",
        ".gitattributes": GITATTRIBUTES,
        ".gitignore": GITIGNORE,
    }


def example_files() -> dict[str, str]:
    """The worked example organisation (the same as examples/acme in okr's repository)."""
    base = resources.files("okrcli").joinpath("templates").joinpath("acme")
    files: dict[str, str] = {}
    todo = [(base, "")]
    while todo:
        folder, prefix = todo.pop()
        for entry in folder.iterdir():
            rel = f"{prefix}{entry.name}"
            if entry.is_dir():
                todo.append((entry, rel + "/"))
            elif not entry.name.startswith("__"):
                files[rel] = entry.read_text(encoding="utf-8")
    files.setdefault(".gitattributes", GITATTRIBUTES)
    files.setdefault(".gitignore", GITIGNORE)
    return dict(sorted(files.items()))


def init(directory: Path, *, example: bool = False, today: date | None = None) -> int:
    if directory.exists() and not directory.is_dir():
        raise InputError(f"{directory} exists and is not a folder")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        files = (
            example_files() if example else starter_files(today or timeutil.today())
        )  # a new workspace's zone is UTC
        created, kept = create_files(directory, files)
    except OSError as e:
        raise InputError(f"cannot write in {directory}: {e.strerror}") from None
    for rel in created:
        err(f"created {rel}")
    for rel in kept:
        err(f"kept existing {rel} (not overwritten)")
    attributes = directory / ".gitattributes"
    if ".gitattributes" in kept and UNION_LINE not in attributes.read_text(errors="replace"):
        err(f"note: add '{UNION_LINE}' to .gitattributes so check-ins merge without conflicts")
    where = "" if directory.resolve() == Path.cwd().resolve() else f" --root {directory}"
    err(f"next: okr{where} validate, then okr{where} scorecard")
    return 0
