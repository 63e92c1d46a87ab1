"""okr's benchmark: times against the floor, measured in the same run.

The floor is the time a bare Python process needs to read every YAML file of the same
workspace with libyaml's C loader, validating nothing.  Every target is a ratio to a
baseline measured here and now, so the figures mean the same on a slower or faster machine.

    python benchmarks/run.py [--runs 5] [--keep DIR] [--report-out DIR]

Targets (issue "performance at organisation scale"):

    validate, scale 1            <= 0.3 x floor
    scorecard --format json      <= 0.3 x floor
    checkin ID VALUE             <= 0.1 x floor
    validate, scale 4            <= 4.6 x validate at scale 1
    okr --version / okr --help   <= 1.3 x `python -c "import typer"`, importing neither
                                    gitpython nor pydantic
    peak memory of validate      <= 250 MB

Target of issue "okr report writes a static HTML site":

    report (the whole site)      <= 2 x scorecard --format json (each report run paired
                                    with a scorecard run; the median of the ratios)
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

AS_OF = "2026-11-22"
FLOOR = """
import os, sys, yaml
root = sys.argv[1]
for folder in ("kpis", "okrs", "checkins"):
    for dirpath, _, names in os.walk(os.path.join(root, folder)):
        for name in names:
            if name.endswith((".yaml", ".yml")):
                with open(os.path.join(dirpath, name), "rb") as f:
                    yaml.load(f, Loader=yaml.CSafeLoader)
with open(os.path.join(root, "okr.yaml"), "rb") as f:
    yaml.load(f, Loader=yaml.CSafeLoader)
"""
IMPORTS = (
    "import sys, runpy; sys.argv = ['okr', '{arg}']\n"
    "try:\n    runpy.run_module('okrcli', run_name='__main__')\n"
    "except SystemExit:\n    pass\n"
    "bad = [m for m in ('git', 'pydantic') if m in sys.modules]\n"
    "print('HEAVY:' + ','.join(bad))\n"
)


def timed(cmd: list[str], runs: int, env: dict[str, str] | None = None) -> float:
    """The median wall time of ``runs`` runs of ``cmd`` (after one warm-up run)."""
    times = []
    for i in range(runs + 1):
        started = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, env=env)
        elapsed = time.perf_counter() - started
        if done.returncode not in (0,):
            raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
        if i:
            times.append(elapsed)
    return statistics.median(times)


def timed_against(cmd: list[str], baseline: list[str], runs: int) -> tuple[float, float]:
    """The median wall time of ``cmd`` and the median of its ratios to ``baseline``, the two
    run in turn (after a warm-up run of each), so that each pair meets the same load."""
    times, ratios = [], []
    for i in range(runs + 1):
        pair = []
        for one in (cmd, baseline):
            started = time.perf_counter()
            done = subprocess.run(one, capture_output=True, text=True)
            pair.append(time.perf_counter() - started)
            if done.returncode != 0:
                tail = done.stderr[-2000:]
                raise SystemExit(f"{' '.join(one)} failed ({done.returncode}):\n{tail}")
        if i:
            times.append(pair[0])
            ratios.append(pair[0] / pair[1])
    return statistics.median(times), statistics.median(ratios)


def _heavy_imports(arg: str) -> str:
    """Which of gitpython and pydantic ``okr ARG`` imports (comma-separated; '' for none)."""
    done = subprocess.run(
        [sys.executable, "-c", IMPORTS.format(arg=arg)], capture_output=True, text=True
    )
    marked = [line for line in done.stdout.splitlines() if line.startswith("HEAVY:")]
    return marked[-1][len("HEAVY:") :] if marked else "(could not tell)"


def peak_memory_mb(cmd: list[str]) -> float:
    """Peak resident memory of ``cmd`` in MB (Linux: ru_maxrss is in KiB)."""
    code = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], capture_output=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, *cmd], capture_output=True, text=True)
    return int(done.stdout.strip()) / 1024


def okr(*args: str) -> list[str]:
    return [sys.executable, "-m", "okrcli", *args]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per figure (median)")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument(
        "--report-out",
        type=Path,
        help="write okr report's site here (default: beside the workspaces), e.g. on a "
        "memory file system to leave out the disk's cost of creating files",
    )
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="okr-bench-"))
    rows: list[tuple[str, float, str, float, bool]] = []
    try:
        ws1, ws4 = base / "scale1", base / "scale4"
        for ws, scale in ((ws1, 1), (ws4, 4)):
            if not (ws / "okr.yaml").exists():
                print(f"generating scale {scale} in {ws} ...", flush=True)
                print("  " + ", ".join(f"{v} {k}" for k, v in generate(ws, scale).items()))
        floor = timed([sys.executable, "-c", FLOOR, str(ws1)], args.runs)
        typer_import = timed([sys.executable, "-c", "import typer"], args.runs)
        validate1 = timed(okr("--root", str(ws1), "validate", "--as-of", AS_OF), args.runs)
        scorecard = timed(
            okr("--root", str(ws1), "scorecard", "--format", "json", "--as-of", AS_OF), args.runs
        )
        journal = ws1 / "checkins" / "2026-11.yaml"
        before = journal.read_bytes()
        checkin = timed(
            okr("--root", str(ws1), "checkin", "kpi-00007", "101.5", "--at", "2026-11-21"),
            args.runs,
        )
        journal.write_bytes(before)  # leave the workspace as generated
        validate4 = timed(okr("--root", str(ws4), "validate", "--as-of", AS_OF), args.runs)
        version = timed(okr("--version"), args.runs)
        help_ = timed(okr("--help"), args.runs)
        site = args.report_out or base / "site"
        report, report_ratio = timed_against(
            okr("--root", str(ws1), "report", "--as-of", AS_OF, "--out", str(site)),
            okr("--root", str(ws1), "scorecard", "--format", "json", "--as-of", AS_OF),
            args.runs,
        )
        site_files = [f for f in site.rglob("*") if f.is_file()]
        site_mb = sum(f.stat().st_size for f in site_files) / 1e6
        memory = peak_memory_mb(okr("--root", str(ws1), "validate", "--as-of", AS_OF))
        heavy = {arg: _heavy_imports(arg) for arg in ("--version", "--help")}
        rows = [
            ("validate (scale 1)", validate1 / floor, "x floor", 0.3, validate1 / floor <= 0.3),
            (
                "scorecard --format json",
                scorecard / floor,
                "x floor",
                0.3,
                scorecard / floor <= 0.3,
            ),
            ("checkin ID VALUE", checkin / floor, "x floor", 0.1, checkin / floor <= 0.1),
            (
                "validate scale 4 / scale 1",
                validate4 / validate1,
                "x",
                4.6,
                validate4 / validate1 <= 4.6,
            ),
            (
                "okr --version",
                version / typer_import,
                "x import typer",
                1.3,
                version / typer_import <= 1.3,
            ),
            (
                "okr --help",
                help_ / typer_import,
                "x import typer",
                1.3,
                help_ / typer_import <= 1.3,
            ),
            ("validate peak memory", memory, "MB", 250, memory <= 250),
            (
                "report / scorecard json",
                report_ratio,
                "x",
                2.0,
                report_ratio <= 2.0,
            ),
        ]
        print()
        print(f"floor (CSafeLoader, scale 1): {floor:.2f} s; ", end="")
        print(f"import typer: {typer_import * 1000:.0f} ms")
        print(
            f"validate {validate1:.2f} s, scorecard {scorecard:.2f} s, checkin {checkin:.2f} s, "
            f"validate at scale 4 {validate4:.2f} s, --version {version * 1000:.0f} ms, "
            f"--help {help_ * 1000:.0f} ms"
        )
        print(
            f"report {report:.2f} s ({report_ratio:.2f} x scorecard json, run in turn): "
            f"{len(site_files)} files, {site_mb:.1f} MB in {site}"
        )
        print()
        print(f"{'figure':<30} {'measured':>10}  {'target':<18} ok")
        for name, value, unit, target, ok in rows:
            print(f"{name:<30} {value:>10.3f}  <= {target:<5} {unit:<10} {'yes' if ok else 'NO'}")
        for arg, imported in heavy.items():
            verdict = (
                f"imports {imported}" if imported else "imports neither gitpython nor pydantic"
            )
            print(f"okr {arg}: {verdict}")
        failed = [r[0] for r in rows if not r[4]] + [a for a, b in heavy.items() if b]
        print()
        print("all targets met" if not failed else f"missed: {', '.join(failed)}")
        print(
            f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, maxrss self "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB"
        )
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
