"""Write a synthetic okr workspace at organisation scale, deterministically from a seed.

Scale 1: about 420 teams in a three-level hierarchy (1 company, 20 divisions, 400 teams),
5 objectives x 4 key results per team (2,105 objectives, 8,420 KRs, every objective aligned
upwards), 500 KPIs, and about 100,000 journal records over a year: a weekly value for every
KPI and about nine check-ins per KR in the current quarter, in the one-line format
``okr checkin`` writes.  Scale N multiplies teams, KPIs and records by N (a fraction such as
0.05 gives a small workspace, for tests).

    python benchmarks/generate.py OUT_DIR [--scale N] [--seed S]
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from okrcli.journal import format_record, journal_file

AS_OF = datetime(2026, 11, 22, tzinfo=timezone.utc)
QUARTER = "2026-Q4"
QUARTER_START = datetime(2026, 10, 1, tzinfo=timezone.utc)
DIVISIONS = 20
TEAMS_PER_DIVISION = 20
KPIS = 500
CHECKINS_PER_KR = 9


def generate(out: Path, scale: float = 1, seed: int = 1) -> dict[str, int]:
    """Write the workspace into ``out`` (which must not hold one yet); return counts."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    divisions = [f"div-{d:03d}" for d in range(max(1, round(DIVISIONS * scale)))]
    teams = [
        f"team-{d:03d}-{t:02d}" for d in range(len(divisions)) for t in range(TEAMS_PER_DIVISION)
    ]
    lines = ["version: 1", "org: Synthetic Corp", "teams:", "  company: {name: Synthetic Corp}"]
    lines += [f"  {d}: {{name: Division {d[4:]}, parent: company}}" for d in divisions]
    lines += [f"  {t}: {{name: Team {t[5:]}, parent: div-{t[5:8]}}}" for t in teams]
    lines += ["lint:", "  ignore: [stale-kpi]"]
    (out / "okr.yaml").write_text("\n".join(lines) + "\n")

    kpi_ids = [f"kpi-{k:05d}" for k in range(max(1, round(KPIS * scale)))]
    (out / "kpis").mkdir(exist_ok=True)
    for chunk in range(0, len(kpi_ids), 50):
        body = ["kpis:"]
        for kid in kpi_ids[chunk : chunk + 50]:
            up = rng.random() < 0.5
            target = rng.randint(50, 150)
            red = target - 20 if up else target + 20
            body += [
                f"  - id: {kid}",
                f"    title: Synthetic metric {kid[4:]}",
                f"    owner: {rng.choice(teams)}",
                f"    direction: {'up' if up else 'down'}",
                "    cadence: weekly",
                f"    target: {target}",
                f"    red: {red}",
            ]
        (out / "kpis" / f"kpis-{chunk // 50:03d}.yaml").write_text("\n".join(body) + "\n")

    plans = out / "okrs" / QUARTER
    plans.mkdir(parents=True, exist_ok=True)
    krs: list[tuple[str, float, float]] = []
    objectives = 0

    def plan(team: str, parent_objectives: list[str]) -> list[str]:
        nonlocal objectives
        body = [f"team: {team}", "objectives:"]
        own = []
        for o in range(5):
            oid = f"{team}-o{o}"
            own.append(oid)
            objectives += 1
            body += [f"  - id: {oid}", f"    title: Objective {o} of {team}", "    owner: someone"]
            if parent_objectives:
                body.append(f"    aligns_to: {rng.choice(parent_objectives)}")
            body.append("    key_results:")
            for k in range(4):
                kid = f"{oid}-kr{k}"
                start = float(rng.randint(0, 100))
                target = start + rng.randint(10, 100) * (1 if rng.random() < 0.7 else -1)
                krs.append((kid, start, target))
                body += [
                    f"      - id: {kid}",
                    f"        title: Key result {k} of {oid}",
                    f"        start: {start:g}",
                    f"        target: {target:g}",
                    "        unit: units",
                    f"        weight: {rng.choice([1, 1, 2])}",
                ]
        (plans / f"{team}.yaml").write_text("\n".join(body) + "\n")
        return own

    company = plan("company", [])
    division_objectives: dict[str, list[str]] = {d: plan(d, company) for d in divisions}
    for t in teams:
        plan(t, division_objectives[f"div-{t[5:8]}"])

    records: dict[str, list[tuple[datetime, str]]] = {}

    def add(at: datetime, **fields: object) -> None:
        fields["at"] = at
        records.setdefault(journal_file(at), []).append((at, format_record(fields)))

    first_week = AS_OF - timedelta(weeks=52)
    for kid in kpi_ids:
        value = rng.uniform(50, 150)
        for week in range(52):
            value += rng.uniform(-3, 3)
            at = first_week + timedelta(weeks=week, minutes=rng.randint(0, 600))
            add(at, id=kid, value=round(value, 2), by="bot")
    span = (AS_OF - QUARTER_START).total_seconds()
    for kid, start, target in krs:
        for i in range(CHECKINS_PER_KR):
            share = (i + 1) / (CHECKINS_PER_KR + 1)
            at = QUARTER_START + timedelta(seconds=int(span * share) - rng.randint(0, 3600))
            value = round(start + (target - start) * share * rng.uniform(0.5, 1.1), 1)
            add(
                at,
                id=kid,
                value=value,
                confidence=round(rng.uniform(0.3, 0.9), 2),
                by="owner",
                note="weekly update" if i % 3 == 0 else None,
            )
    (out / "checkins").mkdir(exist_ok=True)
    total = 0
    for rel, rows in records.items():
        rows.sort(key=lambda r: r[0])
        (out / rel).write_text("".join(text for _, text in rows))
        total += len(rows)
    return {
        "teams": 1 + len(divisions) + len(teams),
        "objectives": objectives,
        "key_results": len(krs),
        "kpis": len(kpi_ids),
        "records": total,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=float, default=1, help="1 is ~100,000 records")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if (args.out / "okr.yaml").exists():
        parser.error(f"{args.out} already holds a workspace")
    counts = generate(args.out, args.scale, args.seed)
    print(", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
