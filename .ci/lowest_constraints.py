"""Print a pip constraints file pinning each dependency of pyproject.toml to its floor.

    python .ci/lowest_constraints.py [pyproject.toml] > lowest.txt
    pip install -c lowest.txt ...

Covers ``[project] dependencies`` and ``[build-system] requires``, so the floors live in
pyproject.toml alone: ``typer>=0.16.1`` becomes ``typer==0.16.1``.  Every one of them must
have a ``>=`` floor; one without is an error (exit 1), since its lowest version would be
untested.  The test extra is left out: its tools are taken at their newest.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import tomllib

FLOOR = re.compile(
    r"""^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*
    (?P<spec>[^;]*?)\s*(?:;\s*(?P<marker>.+?))?\s*$""",
    re.VERBOSE,
)


def floors(requirements: list[str]) -> list[str]:
    pins = []
    for requirement in requirements:
        match = FLOOR.match(requirement)
        lowest = None
        if match:
            for clause in match["spec"].split(","):
                operator, _, version = clause.strip().partition(">=")
                if not operator and version:
                    lowest = version.strip()
        if match is None or lowest is None:
            raise SystemExit(f"no '>=' floor in the requirement {requirement!r}")
        marker = f" ; {match['marker']}" if match["marker"] else ""
        pins.append(f"{match['name']}=={lowest}{marker}")
    return pins


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "pyproject.toml")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    requirements = data["project"]["dependencies"] + data["build-system"]["requires"]
    print("# the floors of " + path.name + ", written by .ci/lowest_constraints.py")
    print("\n".join(floors(requirements)))


if __name__ == "__main__":
    main()
