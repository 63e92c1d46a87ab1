"""The house stays in order: imports only run downward, and there are no import circles.

Floors as in docs/architecture.md; a module may import its own floor or lower ones.  Every
import is read from the source with ``ast``, function-level and TYPE_CHECKING ones too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import okrcli

# the package as imported (the sdist's tests run against the installed one)
PACKAGE = Path(okrcli.__file__).resolve().parent

FLOORS = {
    7: ("okrcli.__main__", "okrcli.launch"),
    6: ("okrcli.cli",),
    5: ("okrcli.commands",),
    4: ("okrcli.render",),
    3: (
        "okrcli.views",
        "okrcli.grading",
        "okrcli.history",
        "okrcli.planning",
        "okrcli.recording",
        "okrcli.importing",
        "okrcli.revisions",
        "okrcli.plandiff",
        "okrcli.review",
        "okrcli.dashboard",
    ),
    2: (
        "okrcli.loader",
        "okrcli.reader",
        "okrcli.link",
        "okrcli.rules",
        "okrcli.evaluate",
        "okrcli.definitions",
        "okrcli.workspace",
        "okrcli.checked",
        "okrcli.kept",
    ),
}


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def floor_of(module: str) -> int:
    for floor, prefixes in FLOORS.items():
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return floor
    return 1  # the primitives


def imports() -> dict[str, set[str]]:
    paths = [p for p in sorted(PACKAGE.rglob("*.py")) if "templates" not in p.parts]
    modules = {module_name(p) for p in paths}
    found: dict[str, set[str]] = {}
    for path in paths:
        name = module_name(path)
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module != "okrcli" and not node.module.startswith("okrcli."):
                    continue
                for alias in node.names:  # 'from package import module' names the module
                    sub = f"{node.module}.{alias.name}"
                    targets.add(sub if sub in modules else node.module)
            elif isinstance(node, ast.Import):
                targets.update(a.name for a in node.names if a.name.startswith("okrcli."))
        targets.discard(name)
        found[name] = targets
    return found


def test_every_module_has_a_floor_and_imports_only_downward():
    graph = imports()
    assert "okrcli.scoring" in graph and "okrcli.cli.app" in graph
    upward = [
        f"{src} (floor {floor_of(src)}) imports {dst} (floor {floor_of(dst)})"
        for src, targets in graph.items()
        if src != "okrcli"  # the package's face re-exports the library, lazily
        for dst in targets
        if floor_of(dst) > floor_of(src)
    ]
    assert upward == []


def test_scoring_knows_nothing_of_files_terminals_or_git():
    text = (PACKAGE / "scoring.py").read_text(encoding="utf-8")
    tree = ast.parse(text)
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not names & {"os", "pathlib", "rich", "typer", "git", "okrcli.workspace"}


def test_no_import_circles():
    found = imports()
    graph = {k: {t for t in v if t in found} for k, v in found.items()}
    graph.pop("okrcli", None)
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert cycles == []
