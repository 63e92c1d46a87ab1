"""okr's benchmark: every figure a ratio to a baseline measured in the same run.

The floor is the time a bare Python process needs to read every YAML file of the scale-1
workspace with libyaml's C loader, validating nothing.  Commands are timed in rounds
(one run of each per round, interleaved, after a warm-up round) and each figure is a
median, so that a machine shared with other work shifts them alike.

    python benchmarks/run.py [--runs 3] [--keep DIR] [--peers] [--scale16] [--no-cliffs]

``--peers`` adds what a user would otherwise run (check-jsonschema with ``okr schema``,
yamllint: slow, timed once); ``--scale16`` adds a 1.6-million-record workspace (memory).
The targets are those of the issue "Fast at ten times the size"; see README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cliffs  # noqa: E402
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
# okr's own dependencies doing the least okr must do: the imports, every plan and KPI
# file through okr's YAML reader and pydantic models, every journal line through json.
OWN_FLOOR = """
import json, os, sys
import typer
from okrcli.models import KPIFile, Plan
from okrcli.yamlsource import parse_bytes
root = sys.argv[1]
for folder, model in (("okrs", Plan), ("kpis", KPIFile)):
    for dirpath, _, names in os.walk(os.path.join(root, folder)):
        for name in names:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                model.model_validate(parse_bytes(f.read(), path).data)
for name in os.listdir(os.path.join(root, "checkins")):
    with open(os.path.join(root, "checkins", name), encoding="utf-8") as f:
        [json.loads(line[2:]) for line in f if line.startswith("- {")]
"""
JSON_LINES = """
import json, os, sys
root = sys.argv[1]
for name in os.listdir(os.path.join(root, "checkins")):
    with open(os.path.join(root, "checkins", name), encoding="utf-8") as f:
        [json.loads(line[2:]) for line in f if line.startswith("- {")]
"""
IMPORTS = (
    "import sys, runpy; sys.argv = ['okr', '{arg}']\n"
    "try:\n    runpy.run_module('okrcli', run_name='__main__')\n"
    "except SystemExit:\n    pass\n"
    "bad = [m for m in ('git', 'pydantic') if m in sys.modules]\n"
    "print('HEAVY:' + ','.join(bad))\n"
)
RETAINED = """
import gc, sys, tracemalloc
from datetime import date
from pathlib import Path
from okrcli.loader import load_workspace
root = Path(sys.argv[1])
load_workspace(root, today=date(2026, 11, 22))
gc.collect()
tracemalloc.start()
ws = load_workspace(root, today=date(2026, 11, 22))
gc.collect()
before = tracemalloc.get_traced_memory()[0]
n = len(ws.checkins)
ws.checkins.clear()
gc.collect()
print((before - tracemalloc.get_traced_memory()[0]) / n)
"""


def okr(*args: str) -> list[str]:
    return [sys.executable, "-m", "okrcli", *args]


@dataclass
class Job:
    cmd: list[str]
    env: dict[str, str] = field(default_factory=dict)
    ok: tuple[int, ...] = (0,)
    before: Callable[[], None] | None = None  # untimed, before each run


def run_once(job: Job, base_env: dict[str, str]) -> float:
    if job.before is not None:
        job.before()
    started = time.perf_counter()
    done = subprocess.run(job.cmd, capture_output=True, env={**base_env, **job.env})
    elapsed = time.perf_counter() - started
    if done.returncode not in job.ok:
        raise SystemExit(
            f"{' '.join(job.cmd)} failed ({done.returncode}):\n"
            f"{done.stderr.decode(errors='replace')[-2000:]}"
        )
    return elapsed


def measure(jobs: dict[str, Job], runs: int, base_env: dict[str, str]) -> dict[str, float]:
    """Median wall time of each job: a warm-up round, then ``runs`` interleaved rounds."""
    times: dict[str, list[float]] = {name: [] for name in jobs}
    for round_ in range(runs + 1):
        for name, job in jobs.items():
            elapsed = run_once(job, base_env)
            if round_:
                times[name].append(elapsed)
    return {name: statistics.median(t) for name, t in times.items()}


def peak_memory_mb(cmd: list[str], env: dict[str, str]) -> float:
    """Peak resident memory of ``cmd`` in MB (Linux: ru_maxrss is in KiB)."""
    code = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], capture_output=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *cmd], capture_output=True, text=True, env=env
    )
    return int(done.stdout.strip()) / 1024


def heavy_imports(arg: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", IMPORTS.format(arg=arg)], capture_output=True, text=True
    )
    marked = [line for line in done.stdout.splitlines() if line.startswith("HEAVY:")]
    return marked[-1][len("HEAVY:") :] if marked else "(could not tell)"


def git_commit_all(root: Path) -> None:
    if (root / ".git").exists():
        return
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "b@example.com",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "b@example.com"}  # fmt: skip
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "generated"]):
        subprocess.run(["git", *args], cwd=root, check=True, env=env, capture_output=True)


class Journal:
    """Appends check-ins for the timed runs and puts the file back as it was at the end."""

    def __init__(self, root: Path) -> None:
        self.path = root / "checkins" / "2026-11.yaml"
        self.saved = self.path.read_bytes()
        self.n = 0

    def checkin_job(self) -> Job:
        """``okr checkin kpi-00007 VALUE``, a new value each run."""
        root = str(self.path.parent.parent)
        at = "2026-11-21T12:00:00+00:00"
        job = Job(okr("--root", root, "checkin", "kpi-00007", "100.00", "--at", at))

        def next_value() -> None:
            self.n += 1
            job.cmd[-3] = f"{100 + self.n / 100:.2f}"

        job.before = next_value
        return job

    def append(self) -> None:
        self.n += 1
        line = json.dumps(
            {"at": "2026-11-21T13:00:00+00:00", "id": "kpi-00011", "value": 100 + self.n / 100}
        )
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(f"- {line}\n")

    def restore(self) -> None:
        self.path.write_bytes(self.saved)


@dataclass
class Row:
    name: str
    value: float
    unit: str
    target: float | None  # None: reported, not a target

    @property
    def ok(self) -> bool | None:
        return None if self.target is None else self.value <= self.target


def cache_cycles(ws: Path, env: dict[str, str], cycles: int) -> tuple[int, int, int, int]:
    """Files and bytes in a fresh cache folder after one and after ``cycles`` check-in
    cycles (checkin, validate, scorecard --format json)."""
    folder = Path(tempfile.mkdtemp(prefix="okr-cache-cycles-"))
    local = {**env, "OKR_CACHE_DIR": str(folder)}
    journal = Journal(ws)
    sizes = []
    try:
        for n in range(cycles):
            value = f"{100 + n / 100:.2f}"
            for cmd in (
                okr("--root", str(ws), "checkin", "kpi-00013", value, "--at", "2026-11-21"),
                okr("--root", str(ws), "validate", "--as-of", AS_OF),
                okr("--root", str(ws), "scorecard", "--format", "json", "--as-of", AS_OF),
            ):
                subprocess.run(cmd, capture_output=True, env=local, check=True)
            if n in (0, cycles - 1):
                found = [p for p in folder.rglob("*") if p.is_file()]
                sizes.append((len(found), sum(p.stat().st_size for p in found)))
    finally:
        journal.restore()
        shutil.rmtree(folder, ignore_errors=True)
    return sizes[0][0], sizes[0][1], sizes[-1][0], sizes[-1][1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed rounds (median)")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--peers", action="store_true", help="time check-jsonschema, yamllint")
    parser.add_argument("--scale16", action="store_true", help="also a scale-16 workspace")
    parser.add_argument("--no-cliffs", action="store_true", help="skip the cliff cases")
    parser.add_argument("--cycles", type=int, default=50, help="check-in cycles for the cache")
    parser.add_argument(
        "--scale", type=float, default=1, help="the small workspace's scale (the large: 4x)"
    )
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="okr-bench-"))
    cache_dir = Path(tempfile.mkdtemp(prefix="okr-bench-cache-"))
    env = {**os.environ, "OKR_CACHE_DIR": str(cache_dir), "NO_COLOR": "1", "COLUMNS": "100"}
    cold = {"OKR_NO_CACHE": "1"}
    rows: list[Row] = []
    notes: list[str] = []
    started = time.time()
    try:
        ws = {s: base / f"scale{s * args.scale:g}" for s in (1, 4)}
        for scale, root in ws.items():
            if not (root / "okr.yaml").exists():
                print(f"generating scale {scale * args.scale:g} in {root} ...", flush=True)
                counts = generate(root, scale * args.scale)
                print("  " + ", ".join(f"{v} {k}" for k, v in counts.items()))
            git_commit_all(root)
        py = sys.executable
        figures: dict[str, dict[str, float]] = {}
        journals = {s: Journal(root) for s, root in ws.items()}
        for scale, root in ws.items():
            r = str(root)
            j = journals[scale]
            jobs = {
                "floor": Job([py, "-c", FLOOR, r]),
                "validate warm": Job(okr("--root", r, "validate", "--as-of", AS_OF)),
                "validate after checkin": Job(
                    okr("--root", r, "validate", "--as-of", AS_OF), before=j.append
                ),
                "validate cold": Job(okr("--root", r, "validate", "--as-of", AS_OF), cold),
                "scorecard json warm": Job(
                    okr("--root", r, "scorecard", "--format", "json", "--as-of", AS_OF)
                ),
                "scorecard json cold": Job(
                    okr("--root", r, "scorecard", "--format", "json", "--as-of", AS_OF), cold
                ),
                "scorecard table warm": Job(okr("--root", r, "scorecard", "--as-of", AS_OF)),
                "scorecard table cold": Job(okr("--root", r, "scorecard", "--as-of", AS_OF), cold),
                "tree cold": Job(okr("--root", r, "tree", "--as-of", AS_OF), cold),
                "checkin": j.checkin_job(),
                "history warm": Job(
                    okr("--root", r, "history", "team-000-00-o0-kr0", "--as-of", AS_OF)
                ),
                "history cold": Job(
                    okr("--root", r, "history", "team-000-00-o0-kr0", "--as-of", AS_OF), cold
                ),
                "own-dependency floor": Job([py, "-c", OWN_FLOOR, r]),
                "json.loads of every journal line": Job([py, "-c", JSON_LINES, r]),
            }
            if scale != 1:  # at scale 4 only what the growth figures need
                for name in list(jobs):
                    if name.startswith(("floor", "own", "json", "scorecard table", "tree")):
                        jobs.pop(name)
            # what reads an unchanged workspace in rounds of its own, then the check-in and
            # the validate after one (which grow the journal by a line each run)
            changing = ("checkin", "validate after checkin")
            print(f"timing scale {scale} ({args.runs} rounds) ...", flush=True)
            same = {n: job for n, job in jobs.items() if n not in changing}
            figures[str(scale)] = measure(same, args.runs, env)
            figures[str(scale)].update(measure({n: jobs[n] for n in changing}, args.runs, env))
            j.restore()
        f1, f4 = figures["1"], figures["4"]
        floor = f1["floor"]
        typer_import = measure({"t": Job([py, "-c", "import typer"])}, args.runs, env)["t"]
        small = measure(
            {"--version": Job(okr("--version")), "--help": Job(okr("--help"))}, args.runs, env
        )

        def ratio(name: str, value: float, target: float | None, unit: str = "x floor") -> None:
            rows.append(Row(name, value, unit, target))

        ratio("validate, nothing changed", f1["validate warm"] / floor, 0.02)
        ratio("validate after one okr checkin", f1["validate after checkin"] / floor, 0.05)
        ratio("validate cold (OKR_NO_CACHE=1)", f1["validate cold"] / floor, 0.12)
        ratio("validate cold / own-dependency floor",
              f1["validate cold"] / f1["own-dependency floor"], 1.3, "x")  # fmt: skip
        ratio("scorecard --format json, warm", f1["scorecard json warm"] / floor, 0.08)
        ratio("scorecard --format json, cold", f1["scorecard json cold"] / floor, 0.15)
        ratio("scorecard table / json, cold",
              f1["scorecard table cold"] / f1["scorecard json cold"], 1.2, "x")  # fmt: skip
        ratio("tree / scorecard json, cold", f1["tree cold"] / f1["scorecard json cold"], 1.2, "x")
        ratio("scorecard table / json, warm",
              f1["scorecard table warm"] / f1["scorecard json warm"], None, "x")  # fmt: skip
        ratio("checkin ID VALUE", f1["checkin"] / floor, 0.03)
        ratio("history ID, warm (in git)", f1["history warm"] / floor, 0.06)
        ratio("history ID, cold (in git)", f1["history cold"] / floor, None)
        for name in ("validate warm", "validate after checkin", "validate cold",
                     "scorecard json warm", "scorecard json cold", "checkin",
                     "history warm", "history cold"):  # fmt: skip
            ratio(f"growth scale 4 / 1: {name}", f4[name] / f1[name], 4.1, "x")
        ratio("okr --version / import typer", small["--version"] / typer_import, 1.3, "x")
        ratio("okr --help / import typer", small["--help"] / typer_import, 1.3, "x")
        ratio("json.loads of every journal line",
              f1["json.loads of every journal line"] / floor, None)  # fmt: skip
        ratio("own-dependency floor", f1["own-dependency floor"] / floor, None)

        retained = subprocess.run(
            [py, "-c", RETAINED, str(ws[1])], capture_output=True, text=True, env=env, check=True
        )
        ratio("memory retained per check-in", float(retained.stdout.strip()), 250, "B")
        for cmd in ("validate", "scorecard"):
            peak = peak_memory_mb(okr("--root", str(ws[4]), cmd, "--as-of", AS_OF), {**env, **cold})
            ratio(f"peak memory, {cmd} cold, scale 4", peak, 250, "MB")

        print(f"cache folder over {args.cycles} check-in cycles ...", flush=True)
        n1, b1, n50, b50 = cache_cycles(ws[1], env, args.cycles)
        ratio(f"cache files after {args.cycles} cycles / after 1", n50 / n1, 1.0, "x")
        notes.append(
            f"cache folder: {n1} files, {b1 / 1e6:.1f} MB after 1 check-in cycle; "
            f"{n50} files, {b50 / 1e6:.1f} MB after {args.cycles}"
        )

        if not args.no_cliffs:
            print("cliff cases ...", flush=True)
            rows.extend(cliff_rows(base, ws[1], args.runs, env, floor, notes))
        if args.peers:
            print("peers (one run each) ...", flush=True)
            peer_rows(ws[1], env, floor, notes)
        if args.scale16:
            root16 = base / "scale16"
            if not (root16 / "okr.yaml").exists():
                print("generating scale 16 ...", flush=True)
                print("  " + ", ".join(f"{v} {k}" for k, v in generate(root16, 16).items()))
            peak = peak_memory_mb(okr("--root", str(root16), "validate", "--as-of", AS_OF),
                                  {**env, **cold})  # fmt: skip
            ratio("peak memory, validate cold, scale 16", peak, 2000, "MB")

        heavy = {arg: heavy_imports(arg) for arg in ("--version", "--help")}
        print()
        print(f"floor (CSafeLoader, scale 1): {floor:.2f} s; import typer {typer_import:.3f} s")
        print("medians (s): " + ", ".join(f"{k} {v:.2f}" for k, v in f1.items()))
        print("scale 4 (s): " + ", ".join(f"{k} {v:.2f}" for k, v in f4.items()))
        print()
        print(f"{'figure':<52} {'measured':>10}  {'target':<16} ok")
        for row in rows:
            target = "" if row.target is None else f"<= {row.target:g}"
            verdict = "" if row.ok is None else ("yes" if row.ok else "NO")
            print(f"{row.name:<52} {row.value:>10.3f}  {target:<7} {row.unit:<8} {verdict}")
        for arg, imported in heavy.items():
            verdict = (
                f"imports {imported}" if imported else "imports neither gitpython nor pydantic"
            )
            print(f"okr {arg}: {verdict}")
        for note in notes:
            print(note)
        missed = [r.name for r in rows if r.ok is False] + [a for a, b in heavy.items() if b]
        print()
        print("all targets met" if not missed else f"missed: {'; '.join(missed)}")
        print(
            f"python {platform.python_version()} ({platform.python_implementation()}), "
            f"{os.cpu_count()} cpus, {platform.machine()}, load average "
            f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}, "
            f"{(time.time() - started) / 60:.0f} min"
        )
    finally:
        for j in locals().get("journals", {}).values():
            j.restore()
        shutil.rmtree(cache_dir, ignore_errors=True)
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


def cliff_rows(
    base: Path, scale1: Path, runs: int, env: dict[str, str], floor: float, notes: list[str]
) -> list[Row]:
    cold = {"OKR_NO_CACHE": "1"}
    made = base / "cliffs"
    made.mkdir(exist_ok=True)

    def ws(name: str, build: Callable[[Path], None]) -> str:
        root = made / name
        if not (root / "okr.yaml").exists():
            shutil.rmtree(root, ignore_errors=True)
            build(root)
        return str(root)

    orphans = ws("orphans", lambda p: cliffs.orphans(p, scale1))
    big = ws("big-400k", lambda p: cliffs.big_file(p, scale1, 400_000))
    big_diag = ws("big-400k-diag", lambda p: cliffs.big_file(p, scale1, 400_000, diagnostic=True))
    chains = {n: ws(f"chain-{n}", lambda p, n=n: cliffs.chain(p, n)) for n in (2500, 5000)}
    deep = {n: ws(f"teams-deep-{n}", lambda p, n=n: cliffs.teams_deep(p, n)) for n in (2500, 5000)}
    wide = {n: ws(f"teams-wide-{n}", lambda p, n=n: cliffs.teams_wide(p, n))
            for n in (10_000, 20_000)}  # fmt: skip
    v = ("validate", "--as-of", AS_OF)
    jobs = {
        "clean cold": Job(okr("--root", str(scale1), *v), cold),
        "orphans cold": Job(okr("--root", orphans, *v), cold, ok=(1,)),
        "clean warm": Job(okr("--root", str(scale1), *v)),
        "orphans warm": Job(okr("--root", orphans, *v), ok=(1,)),
        "big cold": Job(okr("--root", big, *v), cold),
        "big diag cold": Job(okr("--root", big_diag, *v), cold, ok=(1,)),
        "big warm": Job(okr("--root", big, *v)),
        "big diag warm": Job(okr("--root", big_diag, *v), ok=(1,)),
    }
    for n in (2500, 5000):
        for cmd in (v, ("scorecard", "--format", "json", "--as-of", AS_OF),
                    ("tree", "--format", "json", "--as-of", AS_OF)):  # fmt: skip
            jobs[f"chain {n} {cmd[0]}"] = Job(okr("--root", chains[n], *cmd), cold)
        jobs[f"deep {n} validate"] = Job(okr("--root", deep[n], *v), cold)
        jobs[f"deep {n} scorecard"] = Job(
            okr("--root", deep[n], "scorecard", "--format", "json", "--as-of", AS_OF), cold
        )
    for n in (10_000, 20_000):
        jobs[f"wide {n} scorecard"] = Job(
            okr("--root", wide[n], "scorecard", "--format", "json", "--as-of", AS_OF), cold
        )
    t = measure(jobs, runs, env)
    rows = [
        Row("180 orphaned check-ins / clean, cold", t["orphans cold"] / t["clean cold"], "x", 1.2),
        Row("180 orphaned check-ins / clean, warm", t["orphans warm"] / t["clean warm"], "x", 1.2),
        Row("one diagnostic in a 400k-line file / clean, cold",
            t["big diag cold"] / t["big cold"], "x", 1.2),
        Row("one diagnostic in a 400k-line file / clean, warm",
            t["big diag warm"] / t["big warm"], "x", 1.2),
    ]  # fmt: skip
    for cmd in ("validate", "scorecard", "tree"):
        rows.append(Row(f"alignment chain 5000 / 2500, {cmd}",
                        t[f"chain 5000 {cmd}"] / t[f"chain 2500 {cmd}"], "x", 2.5))  # fmt: skip
    for cmd in ("validate", "scorecard"):
        rows.append(Row(f"team depth 5000 / 2500, {cmd}",
                        t[f"deep 5000 {cmd}"] / t[f"deep 2500 {cmd}"], "x", 2.5))  # fmt: skip
    rows.append(Row("20,000 / 10,000 teams, scorecard",
                    t["wide 20000 scorecard"] / t["wide 10000 scorecard"], "x", 2.5))  # fmt: skip
    notes.append(
        "cliff cases (s): "
        + ", ".join(f"{k} {v:.2f}" for k, v in t.items())
        + f"; 20,000 teams scorecard = {t['wide 20000 scorecard'] / floor:.3f} x floor"
    )
    return rows


def peer_rows(scale1: Path, env: dict[str, str], floor: float, notes: list[str]) -> None:
    schemas = Path(tempfile.mkdtemp(prefix="okr-schemas-"))
    try:
        for kind in ("plan", "kpi", "journal"):
            done = subprocess.run(okr("schema", kind), capture_output=True, check=True, env=env)
            (schemas / f"{kind}.json").write_bytes(done.stdout)
        files = {
            "plan": sorted(str(p) for p in (scale1 / "okrs").rglob("*.yaml")),
            "kpi": sorted(str(p) for p in (scale1 / "kpis").rglob("*.yaml")),
            "journal": sorted(str(p) for p in (scale1 / "checkins").rglob("*.yaml")),
        }
        checker = shutil.which("check-jsonschema")
        if checker:
            total = 0.0
            for kind, paths in files.items():
                job = Job([checker, "--schemafile", str(schemas / f"{kind}.json"), *paths],
                          ok=(0, 1))  # fmt: skip
                total += run_once(job, env)
            notes.append(f"peer: check-jsonschema with okr schema {total / floor:.2f} x floor")
        else:
            notes.append("peer: check-jsonschema not installed")
        linter = shutil.which("yamllint")
        if linter:
            job = Job([linter, "-d", "relaxed", str(scale1 / "okrs"), str(scale1 / "kpis"),
                       str(scale1 / "checkins")], ok=(0, 1, 2))  # fmt: skip
            notes.append(f"peer: yamllint (relaxed) {run_once(job, env) / floor:.2f} x floor")
        else:
            notes.append("peer: yamllint not installed")
    finally:
        shutil.rmtree(schemas, ignore_errors=True)


if __name__ == "__main__":
    main()
