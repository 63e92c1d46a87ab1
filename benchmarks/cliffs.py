"""Workspaces of the shapes that used to crash or blow up, generated on demand.

    python benchmarks/cliffs.py OUT_DIR KIND [N]

KIND is one of:

* ``chain N``: one team, N objectives each aligned to the one before (the last has a KR
  and a check-in);
* ``teams-deep N``: N teams each the parent of the next, a plan for the deepest;
* ``teams-wide N``: N teams under one company, plans for three of them;
* ``orphans``: a copy of a scale-1 workspace (``--from``) where one team's 20 KRs were
  renamed, leaving their 180 check-ins without a KR;
* ``big-file N``: the definitions of a scale-1 workspace and one journal file of N lines
  (KPI values of one month); ``big-file-diag N`` is the same with one line naming an
  unknown id in its middle.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from okrcli.journal import format_record


def _write(out: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def chain(out: Path, n: int) -> None:
    lines = ["team: company", "objectives:"]
    for i in range(n):
        lines += [f"  - id: o{i}", f"    title: Level {i}"]
        if i:
            lines.append(f"    aligns_to: o{i - 1}")
    lines += ["    key_results:", "      - {id: leaf, title: Leaf, start: 0, target: 10}"]
    _write(
        out,
        {
            "okr.yaml": "version: 1\norg: Deep\nteams:\n  company: {name: Deep}\n",
            "okrs/2026-Q4/company.yaml": "\n".join(lines) + "\n",
            "checkins/2026-11.yaml": format_record(
                {"at": "2026-11-20T10:00:00+00:00", "id": "leaf", "value": 4}
            ),
        },
    )


def teams_deep(out: Path, n: int) -> None:
    lines = ["version: 1", "org: Deep", "teams:"]
    for i in range(n):
        parent = f", parent: t{i - 1:05d}" if i else ""
        lines.append(f"  t{i:05d}: {{name: Team {i}{parent}}}")
    bottom = f"t{n - 1:05d}"
    _write(
        out,
        {
            "okr.yaml": "\n".join(lines) + "\n",
            f"okrs/2026-Q4/{bottom}.yaml": (
                f"team: {bottom}\nobjectives:\n  - id: deep\n    title: Deep\n"
                "    key_results:\n      - {id: k, title: K, type: milestone}\n"
            ),
        },
    )


def teams_wide(out: Path, n: int) -> None:
    lines = ["version: 1", "org: Wide", "teams:", "  company: {name: Wide}"]
    lines += [f"  w{i:05d}: {{name: W{i}, parent: company}}" for i in range(n)]
    files = {"okr.yaml": "\n".join(lines) + "\n"}
    for team in (f"w{n - 1:05d}", "w00000", "company"):
        aligned = "    aligns_to: o-company\n" if team != "company" else ""
        files[f"okrs/2026-Q4/{team}.yaml"] = (
            f"team: {team}\nobjectives:\n  - id: o-{team}\n    title: O\n{aligned}"
            f"    key_results:\n      - {{id: k-{team}, title: K, type: milestone}}\n"
        )
    _write(out, files)


ORPHANED = tuple(f"team-000-00-o{o}-kr{k}" for o in range(5) for k in range(4))


def orphans(out: Path, source: Path) -> None:
    """``source`` with the KRs of team-000-00 renamed (their check-ins left behind)."""
    shutil.copytree(source, out, ignore=shutil.ignore_patterns(".git"))
    plan = out / "okrs" / "2026-Q4" / "team-000-00.yaml"
    text = plan.read_text()
    for old in ORPHANED:
        text = text.replace(f"id: {old}\n", f"id: {old}-v2\n")
    plan.write_text(text)


def orphaned_records(source: Path) -> int:
    """How many check-ins of ``source`` ``orphans`` leaves without a KR."""
    wanted = set(ORPHANED)
    total = 0
    for path in (source / "checkins").glob("*.yaml"):
        for line in path.read_text().splitlines():
            if line.startswith("- {"):
                total += json.loads(line[2:]).get("id") in wanted
    return total


def big_file(out: Path, source: Path, n: int, *, diagnostic: bool = False) -> None:
    """The definitions of ``source`` and one November journal of ``n`` KPI values."""
    out.mkdir(parents=True)
    shutil.copy(source / "okr.yaml", out / "okr.yaml")
    shutil.copytree(source / "okrs", out / "okrs")
    shutil.copytree(source / "kpis", out / "kpis")
    kpis = sorted(
        line.split()[-1]
        for path in (source / "kpis").glob("*.yaml")
        for line in path.read_text().splitlines()
        if line.startswith("  - id:")
    )
    rng = random.Random(5)
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    span = 20 * 86400
    lines = []
    for i in range(n):
        at = start + timedelta(seconds=span * i // n)
        kid = kpis[i % len(kpis)]
        if diagnostic and i == n // 2:
            kid = "kpi-no-such-id"
        lines.append(format_record({"at": at, "id": kid, "value": round(rng.uniform(50, 150), 2)}))
    (out / "checkins").mkdir()
    (out / "checkins" / "2026-11.yaml").write_text("".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument(
        "kind",
        choices=["chain", "teams-deep", "teams-wide", "orphans", "big-file", "big-file-diag"],
    )
    parser.add_argument("n", type=int, nargs="?", default=5000)
    parser.add_argument("--from", dest="source", type=Path, help="a scale-1 workspace")
    args = parser.parse_args()
    if args.kind == "chain":
        chain(args.out, args.n)
    elif args.kind == "teams-deep":
        teams_deep(args.out, args.n)
    elif args.kind == "teams-wide":
        teams_wide(args.out, args.n)
    else:
        if args.source is None:
            parser.error(f"{args.kind} needs --from SCALE1_WORKSPACE")
        if args.kind == "orphans":
            orphans(args.out, args.source)
        else:
            big_file(args.out, args.source, args.n, diagnostic=args.kind == "big-file-diag")


if __name__ == "__main__":
    main()
