"""okr's benchmark: every figure a ratio to a baseline measured in the same run.

The floor is the time a bare Python process needs to read every YAML file of the scale-1
workspace with libyaml's C loader, validating nothing.  Commands are timed in rounds
(one run of each per round, interleaved; a command timed warm gets an untimed run first)
and each figure is a median, so that a machine shared with other work shifts them alike.

    python benchmarks/run.py [--runs 3] [--runs-large 2] [--keep DIR] [--report-out DIR]
                             [--peers] [--scale16] [--no-cliffs] [--cycles 50]
    python benchmarks/run.py --scale 0.05 --runs 1 --runs-large 1 --cycles 3   # smoke run

``--peers`` adds what a user would otherwise run (check-jsonschema with ``okr schema``,
yamllint: slow, timed once); ``--scale16`` adds a 1.6-million-record workspace (memory).
Every figure prints what was measured, its target and whether it is met; a figure that
could not be measured says why and counts as missed.  See README.md for each figure.
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cliffs  # noqa: E402
from generate import generate  # noqa: E402

AS_OF = "2026-11-22"
CHECKIN_AT = "2026-11-21T12:00:00+00:00"
KPI = "kpi-00007"  # checked in by the timed runs
KR = "team-000-00-o0-kr0"  # whose history is timed
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
# okr as the installed ``okr`` executable starts it (its name picks _OKR_COMPLETE), but
# importing okrcli the way ``python -m okrcli`` does, so both measure the same code
AS_OKR = "import sys; sys.argv[0] = 'okr'; from okrcli.launch import main; main()"
# Bytes the loaded workspace keeps per journal record: what a workspace read with its
# journal retains, less what the same definitions without a journal retain, over the
# number of records.  It uses nothing of the record class, only the loader's entry point
# (load_workspace, else read_workspace), so it measures whatever records okr makes.
RETAINED = """
import gc, sys, tracemalloc
from datetime import date
from pathlib import Path
try:
    from okrcli.loader import load_workspace
    def load(root):
        return load_workspace(root, today=date(2026, 11, 22))
except ImportError:
    from okrcli.reader import read_workspace as load
full, bare, records = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
load(full), load(bare)  # imports, module caches and the parse cache, outside the count
def retained(root):
    gc.collect()
    tracemalloc.start()
    ws = load(root)
    gc.collect()
    kept = tracemalloc.get_traced_memory()[0]
    del ws
    tracemalloc.stop()
    return kept
with_journal, without = retained(full), retained(bare)
print((with_journal - without) / records)
"""


def okr(*args: str) -> list[str]:
    return [sys.executable, "-m", "okrcli", *args]


@dataclass
class Job:
    cmd: list[str]
    env: dict[str, str] = field(default_factory=dict)
    ok: tuple[int, ...] = (0,)
    warm: bool = False  # an untimed run first (fills okr's caches)
    before: Callable[[], None] | None = None  # untimed, before each run


@dataclass
class Timing:
    wall: float  # seconds, median
    cpu: float  # user + system seconds of the process and what it waited for, median


class Failed(Exception):
    pass


def run_once(job: Job, base_env: dict[str, str]) -> tuple[float, float, bytes]:
    if job.before is not None:
        job.before()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(job.cmd, capture_output=True, env={**base_env, **job.env})
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in job.ok:
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
        raise Failed(f"exit {done.returncode}: {tail[0][:160]}")
    cpu = after.ru_utime - usage.ru_utime + after.ru_stime - usage.ru_stime
    return elapsed, cpu, done.stdout


def measure(jobs: dict[str, Job], runs: int, base_env: dict[str, str]) -> dict[str, Timing | str]:
    """The median wall and CPU time of each job over ``runs`` interleaved rounds (a job
    that is timed warm runs once untimed first); a job that failed: why, as text."""
    walls: dict[str, list[float]] = {name: [] for name in jobs}
    cpus: dict[str, list[float]] = {name: [] for name in jobs}
    failed: dict[str, str] = {}
    for name, job in jobs.items():
        if job.warm:
            try:
                run_once(job, base_env)
            except Failed as e:
                failed[name] = str(e)
    for _ in range(runs):
        for name, job in jobs.items():
            if name in failed:
                continue
            try:
                wall, cpu, _ = run_once(job, base_env)
            except Failed as e:
                failed[name] = str(e)
                continue
            walls[name].append(wall)
            cpus[name].append(cpu)
    found: dict[str, Timing | str] = dict(failed)
    for name in jobs:
        if name not in failed:
            found[name] = Timing(statistics.median(walls[name]), statistics.median(cpus[name]))
    return found


def peak_memory_mb(cmd: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)) -> float:
    """Peak resident memory of ``cmd`` in MB (Linux: ru_maxrss is in KiB)."""
    code = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True)\n"
        "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *cmd], capture_output=True, text=True, env=env
    )
    try:
        code_, kib = (int(x) for x in done.stdout.split())
    except ValueError:
        raise Failed(f"could not run the memory probe: {done.stderr.strip()[-160:]}") from None
    if code_ not in ok:
        raise Failed(f"exit {code_}")
    return kib / 1024


def heavy_imports(arg: str, env: dict[str, str]) -> str | None:
    """Which of gitpython and pydantic ``okr ARG`` imports ('' for neither; None: unknown)."""
    done = subprocess.run(
        [sys.executable, "-c", IMPORTS.format(arg=arg)], capture_output=True, text=True, env=env
    )
    marked = [line for line in done.stdout.splitlines() if line.startswith("HEAVY:")]
    return marked[-1][len("HEAVY:") :] if marked else None


def git_commit_all(root: Path) -> None:
    if (root / ".git").exists():
        return
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "b@example.com",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "b@example.com"}  # fmt: skip
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "generated"]):
        subprocess.run(["git", *args], cwd=root, check=True, env=env, capture_output=True)


def records_in(root: Path) -> int:
    """Journal records of a generated workspace (one a line)."""
    total = 0
    for path in (root / "checkins").rglob("*.yaml"):
        with open(path, encoding="utf-8") as f:
            total += sum(1 for line in f if line.startswith("- "))
    return total


def goal_files(root: Path) -> int:
    return sum(
        1 for folder in ("okrs", "kpis", "checkins") for _ in (root / folder).rglob("*.yaml")
    )


class Journal:
    """Check-ins for the timed runs; puts the journal file back as it was at the end."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / "checkins" / "2026-11.yaml"
        self.saved = self.path.read_bytes()
        self.n = 0

    def value(self) -> str:
        self.n += 1
        return f"{100 + self.n / 100:.2f}"

    def checkin_job(self, env: dict[str, str] | None = None) -> Job:
        """``okr checkin KPI VALUE --at ...``, a new value each run."""
        job = Job(okr("--root", str(self.root), "checkin", KPI, "0", "--at", CHECKIN_AT), env or {})

        def next_value() -> None:
            job.cmd[-3] = self.value()

        job.before = next_value
        return job

    def checkin(self, base_env: dict[str, str]) -> Callable[[], None]:
        """An untimed ``okr checkin`` (of another KPI), for what is timed after one."""

        def run() -> None:
            cmd = okr("--root", str(self.root), "checkin", "kpi-00011", self.value(), "--at",
                      CHECKIN_AT)  # fmt: skip
            subprocess.run(cmd, capture_output=True, env=base_env, check=True)

        return run

    def restore(self) -> None:
        self.path.write_bytes(self.saved)


@dataclass
class Row:
    name: str
    value: float | None  # None: not measured (``why`` says why)
    unit: str
    target: float | None  # None: reported, not a target
    why: str = ""
    cpu: float | None = None  # the same ratio in CPU time, where it is a ratio of times
    skipped: bool = False  # left out on purpose (an opt-in figure): neither met nor missed

    @property
    def ok(self) -> bool | None:
        if self.target is None or self.skipped:
            return None
        return self.value is not None and self.value <= self.target


class Figures:
    """The rows of the table, made from timings that may be missing."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.notes: list[str] = []

    def ratio(
        self,
        name: str,
        top: Timing | str | None,
        bottom: Timing | str | None,
        target: float | None,
        unit: str = "x",
    ) -> None:
        for part in (top, bottom):
            if not isinstance(part, Timing):
                why = part if isinstance(part, str) else "not run"
                self.rows.append(Row(name, None, unit, target, why))
                return
        assert isinstance(top, Timing) and isinstance(bottom, Timing)
        cpu = top.cpu / bottom.cpu if bottom.cpu > 0 else None
        self.rows.append(Row(name, top.wall / bottom.wall, unit, target, cpu=cpu))

    def value(self, name: str, get: Callable[[], float], target: float | None, unit: str) -> None:
        try:
            self.rows.append(Row(name, get(), unit, target))
        except (Failed, subprocess.CalledProcessError, ValueError, OSError) as e:
            why = str(e)
            if isinstance(e, subprocess.CalledProcessError):
                err = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else ""
                why = f"exit {e.returncode}: {(err.strip().splitlines() or [''])[-1][:160]}"
            self.rows.append(Row(name, None, unit, target, why))

    def missing(
        self, name: str, unit: str, target: float | None, why: str, *, skipped: bool = False
    ) -> None:
        self.rows.append(Row(name, None, unit, target, why, skipped=skipped))


def timed_jobs(
    root: Path, journal: Journal, env: dict[str, str], full: bool
) -> tuple[dict[str, Job], dict[str, Job]]:
    """What is timed on one workspace: (reading it unchanged, changing it)."""
    r, py = str(root), sys.executable
    cold = {"OKR_NO_CACHE": "1"}
    v = ("validate", "--as-of", AS_OF)
    sj = ("scorecard", "--format", "json", "--as-of", AS_OF)
    st = ("scorecard", "--as-of", AS_OF)
    tree = ("tree", "--as-of", AS_OF)
    hist = ("history", KR, "--as-of", AS_OF)
    same = {
        "validate warm": Job(okr("--root", r, *v), warm=True),
        "validate cold": Job(okr("--root", r, *v), cold),
        "scorecard json warm": Job(okr("--root", r, *sj), warm=True),
        "scorecard json cold": Job(okr("--root", r, *sj), cold),
        "scorecard table warm": Job(okr("--root", r, *st), warm=True),
        "scorecard table cold": Job(okr("--root", r, *st), cold),
        "tree warm": Job(okr("--root", r, *tree), warm=True),
        "tree cold": Job(okr("--root", r, *tree), cold),
        "history warm": Job(okr("--root", r, *hist), warm=True),
        "history cold": Job(okr("--root", r, *hist), cold),
    }
    changing = {
        "checkin warm": journal.checkin_job(),
        "checkin cold": journal.checkin_job(cold),
        "validate after checkin": Job(okr("--root", r, *v), warm=True, before=journal.checkin(env)),
    }
    if full:  # what only the scale-1 figures need
        same["floor"] = Job([py, "-c", FLOOR, r])
        same["own-dependency floor"] = Job([py, "-c", OWN_FLOOR, r])
        same["json.loads of every journal line"] = Job([py, "-c", JSON_LINES, r])
        same["complete id"] = Job(
            [py, "-c", AS_OKR],
            {
                "_OKR_COMPLETE": "complete_bash",
                "COMP_WORDS": f"okr --root {r} checkin company-o1-kr",
                "COMP_CWORD": "4",
            },
            warm=True,
        )
    return same, changing


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed rounds at scale 1 (median)")
    parser.add_argument(
        "--runs-large",
        type=int,
        default=2,
        help="timed rounds at scale 4 and of the cliff cases (median)",
    )
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument(
        "--report-out",
        type=Path,
        help="write okr report's site here (default: beside the workspaces), e.g. on a "
        "memory file system to leave out the disk's cost of creating files",
    )
    parser.add_argument("--peers", action="store_true", help="time check-jsonschema, yamllint")
    parser.add_argument("--scale16", action="store_true", help="also a scale-16 workspace")
    parser.add_argument("--no-cliffs", action="store_true", help="skip the cliff cases")
    parser.add_argument("--cycles", type=int, default=50, help="check-in cycles for the cache")
    parser.add_argument(
        "--scale",
        type=float,
        default=1,
        help="the small workspace's scale (the large: 4x; the cliff cases shrink below 1)",
    )
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="okr-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="okr-bench-cache-"))
    cache_dir = scratch / "cache"
    # a fresh cache folder and signing key: nothing of the user's own caches is read
    env = {**os.environ, "OKR_CACHE_DIR": str(cache_dir), "XDG_CONFIG_HOME": str(scratch),
           "NO_COLOR": "1", "COLUMNS": "100"}  # fmt: skip
    env.pop("OKR_NO_CACHE", None)
    env.pop("OKR_ROOT", None)
    out = Figures()
    started = time.time()
    load_before = os.getloadavg()
    journals: dict[int, Journal] = {}

    def phase(text: str) -> None:
        print(f"[{(time.time() - started) / 60:4.1f} min] {text}", flush=True)

    try:
        print(describe_okr(env), flush=True)
        ws = {s: base / f"scale{s * args.scale:g}" for s in (1, 4)}
        for scale, root in ws.items():
            if not (root / "okr.yaml").exists():
                phase(f"generating scale {scale * args.scale:g} in {root} ...")
                counts = generate(root, scale * args.scale)
                print("  " + ", ".join(f"{v} {k}" for k, v in counts.items()), flush=True)
            git_commit_all(root)
        journals = {s: Journal(root) for s, root in ws.items()}
        t: dict[int, dict[str, Timing | str]] = {}
        for scale, root in ws.items():
            runs = args.runs if scale == 1 else args.runs_large
            same, changing = timed_jobs(root, journals[scale], env, scale == 1)
            if scale == 1:
                site = args.report_out or base / "site"
                same["report warm"] = Job(
                    okr("--root", str(root), "report", "--as-of", AS_OF, "--out", str(site)),
                    warm=True,
                )
                # as CI builds it: into a folder that does not exist yet
                fresh = site.parent / (site.name + "-fresh")
                same["report fresh"] = Job(
                    okr("--root", str(root), "report", "--as-of", AS_OF, "--out", str(fresh)),
                    warm=True,
                    before=functools.partial(shutil.rmtree, fresh, ignore_errors=True),
                )
            # what reads an unchanged workspace in rounds of its own, then what changes it
            # (each run appends a line), then the journal file is put back
            phase(f"timing scale {scale * args.scale:g}: {len(same) + len(changing)} "
                  f"commands, {runs} rounds ...")  # fmt: skip
            t[scale] = measure(same, runs, env)
            t[scale].update(measure(changing, runs, env))
            journals[scale].restore()
        t1, t4 = t[1], t[4]
        floor = t1["floor"]
        small = measure(
            {
                "import typer": Job([sys.executable, "-c", "import typer"], warm=True),
                "--version": Job(okr("--version"), warm=True),
                "--help": Job(okr("--help"), warm=True),
            },
            max(args.runs, 5),
            env,
        )

        fl = "x floor"
        out.ratio("validate, nothing changed", t1["validate warm"], floor, 0.02, fl)
        out.ratio("validate after one okr checkin", t1["validate after checkin"], floor, 0.05, fl)
        out.ratio("validate cold (OKR_NO_CACHE=1)", t1["validate cold"], floor, 0.12, fl)
        out.ratio("validate cold / own-dependency floor", t1["validate cold"],
                  t1["own-dependency floor"], 1.3)  # fmt: skip
        out.ratio("scorecard --format json, warm", t1["scorecard json warm"], floor, 0.08, fl)
        out.ratio("scorecard --format json, cold", t1["scorecard json cold"], floor, 0.15, fl)
        for temp in ("warm", "cold"):
            out.ratio(f"scorecard table / json, {temp}", t1[f"scorecard table {temp}"],
                      t1[f"scorecard json {temp}"], 1.2)  # fmt: skip
            out.ratio(f"tree / scorecard json, {temp}", t1[f"tree {temp}"],
                      t1[f"scorecard json {temp}"], 1.2)  # fmt: skip
        out.ratio("checkin ID VALUE", t1["checkin warm"], floor, 0.03, fl)
        out.ratio("checkin ID VALUE, cold", t1["checkin cold"], floor, None, fl)
        out.ratio("history ID, warm (in git)", t1["history warm"], floor, 0.06, fl)
        out.ratio("history ID, cold (in git)", t1["history cold"], floor, None, fl)
        for name in ("validate warm", "validate after checkin", "validate cold",
                     "scorecard json warm", "scorecard json cold", "scorecard table warm",
                     "scorecard table cold", "tree warm", "tree cold", "checkin warm",
                     "checkin cold", "history warm", "history cold"):  # fmt: skip
            out.ratio(f"growth scale 4 / 1: {name}", t4.get(name), t1.get(name), 4.1)
        out.ratio("completion of ids / validate (warm)", t1["complete id"], t1["validate warm"],
                  0.3)  # fmt: skip
        # a warm validate now answers from one hashing pass: against a full check too
        out.ratio("completion of ids / validate (cold)", t1["complete id"], t1["validate cold"],
                  0.3)  # fmt: skip
        out.ratio("report over its last site / scorecard json", t1["report warm"],
                  t1["scorecard json warm"], 2.0)  # fmt: skip
        out.ratio("report into a new folder / scorecard json", t1["report fresh"],
                  t1["scorecard json warm"], 2.0)  # fmt: skip
        out.ratio("okr --version / import typer", small["--version"], small["import typer"], 1.3)
        out.ratio("okr --help / import typer", small["--help"], small["import typer"], 1.3)
        out.ratio("json.loads of every journal line (peer)",
                  t1["json.loads of every journal line"], floor, None, fl)  # fmt: skip
        out.ratio("own-dependency floor (peer)", t1["own-dependency floor"], floor, None, fl)
        for arg in ("--version", "--help"):
            heavy = heavy_imports(arg, env)
            if heavy is None:
                out.missing(f"okr {arg}: gitpython/pydantic imported", "", 0, "could not tell")
            else:
                out.rows.append(
                    Row(
                        f"okr {arg}: imports of gitpython, pydantic",
                        len(heavy.split(",")) if heavy else 0,
                        "modules",
                        0,
                        why=heavy,
                    )
                )
        notes_for(out, t1, ws[1], args, base, env)

        phase("memory ...")
        bare = base / f"bare{args.scale:g}"
        if not (bare / "okr.yaml").exists():
            bare.mkdir()
            shutil.copy(ws[1] / "okr.yaml", bare / "okr.yaml")
            shutil.copytree(ws[1] / "okrs", bare / "okrs")
            shutil.copytree(ws[1] / "kpis", bare / "kpis")
        records = records_in(ws[1])

        def retained() -> float:
            done = subprocess.run(
                [sys.executable, "-c", RETAINED, str(ws[1]), str(bare), str(records)],
                capture_output=True, env=env, check=True,
            )  # fmt: skip
            return float(done.stdout.strip())

        out.value("memory retained per check-in", retained, 250, "B")
        cold_env = {**env, "OKR_NO_CACHE": "1"}
        for cmd in (["validate"], ["scorecard", "--format", "json"]):
            peak = okr("--root", str(ws[4]), *cmd, "--as-of", AS_OF)
            out.value(
                f"peak memory, {cmd[0]} cold, scale {4 * args.scale:g}",
                partial(peak_memory_mb, peak, cold_env),
                250,
                "MB",
            )
        if args.scale16:
            root16 = base / f"scale{16 * args.scale:g}"
            if not (root16 / "okr.yaml").exists():
                phase(f"generating scale {16 * args.scale:g} ...")
                counts = generate(root16, 16 * args.scale)
                print("  " + ", ".join(f"{v} {k}" for k, v in counts.items()), flush=True)
            out.value(
                f"peak memory, validate cold, scale {16 * args.scale:g}",
                lambda: peak_memory_mb(
                    okr("--root", str(root16), "validate", "--as-of", AS_OF), cold_env
                ),
                2000,
                "MB",
            )
        else:
            out.missing(
                "peak memory, validate cold, scale 16", "MB", 2000, "not run: --scale16",
                skipped=True,
            )  # fmt: skip

        phase(f"cache folder over {args.cycles} check-in cycles ...")
        try:
            cache_rows(out, ws[1], env, args.cycles)
        except (Failed, subprocess.CalledProcessError) as e:
            out.missing(f"cache entries after {args.cycles} cycles / after 2", "x", 1.0, str(e))

        if not args.no_cliffs:
            phase("cliff cases ...")
            cliff_rows(out, base, ws[1], args.runs_large, env, floor, args.scale)
        else:
            out.missing("cliff cases", "", None, "not run: --no-cliffs", skipped=True)
        if args.peers:
            phase("peers (one run each) ...")
            peer_rows(out, ws[1], env, floor)

        print()
        print("medians (s): " + timings(t1))
        print(f"scale {4 * args.scale:g} (s): " + timings(t4))
        print("small (s): " + timings(small))
        print()
        report(out)
        load_after = os.getloadavg()
        print(
            f"python {platform.python_version()} ({platform.python_implementation()}), "
            f"{os.cpu_count()} cpus, {platform.machine()}, load average "
            f"{load_before[0]:.1f} at the start, {load_after[0]:.1f} at the end; "
            f"{args.runs} rounds at scale 1, {args.runs_large} at scale 4 and of the cliffs; "
            f"{(time.time() - started) / 60:.1f} min"
        )
    finally:
        for j in journals.values():
            j.restore()
        shutil.rmtree(scratch, ignore_errors=True)
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


def describe_okr(env: dict[str, str]) -> str:
    """Which okrcli the commands import, at which commit."""
    done = subprocess.run(
        [sys.executable, "-c", "import okrcli; print(okrcli.__file__)"],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    where = Path(done.stdout.strip()).parent.parent if done.returncode == 0 else None
    if where is None:
        return "okrcli: cannot be imported"
    git = subprocess.run(  # the last commit that changed okrcli/, and HEAD
        ["git", "-C", str(where), "log", "-1", "--format=%h %s", "--", "okrcli"],
        capture_output=True, text=True,
    )  # fmt: skip
    head = subprocess.run(
        ["git", "-C", str(where), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(where), "status", "--porcelain", "--", "okrcli"],
        capture_output=True, text=True,
    )  # fmt: skip
    commit = git.stdout.strip()[:90] if git.returncode == 0 else "(not in git)"
    changed = " (okrcli/ has uncommitted changes)" if dirty.stdout.strip() else ""
    return f"okrcli from {where} (HEAD {head or '?'}), okrcli/ last changed in {commit}{changed}"


def timings(found: dict[str, Timing | str]) -> str:
    return ", ".join(
        f"{k} {v.wall:.2f}" if isinstance(v, Timing) else f"{k} FAILED ({v})"
        for k, v in found.items()
    )


def notes_for(
    out: Figures,
    t1: dict[str, Timing | str],
    root: Path,
    args: argparse.Namespace,
    base: Path,
    env: dict[str, str],
) -> None:
    floor = t1["floor"]
    if isinstance(floor, Timing):
        out.notes.append(f"floor (CSafeLoader, scale {args.scale:g}): {floor.wall:.2f} s")
    site = args.report_out or base / "site"
    files = [f for f in site.rglob("*") if f.is_file()] if site.exists() else []
    size = sum(f.stat().st_size for f in files) / 1e6
    out.notes.append(f"report: {len(files)} files, {size:.1f} MB in {site}")
    probe = subprocess.run(
        [sys.executable, "-c", AS_OKR],
        capture_output=True, text=True,
        env={**env, "_OKR_COMPLETE": "complete_bash", "COMP_CWORD": "4",
             "COMP_WORDS": f"okr --root {root} checkin company-o1-kr"},
    )  # fmt: skip
    offered = probe.stdout.split()
    out.notes.append(
        f"completion of 'okr checkin company-o1-kr<TAB>' offered {len(offered)} words"
        + (
            f" ({', '.join(offered[:4])}{', ...' if len(offered) > 4 else ''})"
            if offered
            else " (nothing: check the figure)"
        )
    )


def cache_rows(out: Figures, ws: Path, env: dict[str, str], cycles: int) -> None:
    """Files in a fresh cache folder after the first cycle of each kind and after
    ``cycles`` check-in cycles (``okr checkin``, then ``okr validate``; every other cycle
    ``okr scorecard --format json`` instead of validate, which keeps its view in a slot of
    its own: so the first count is taken after two cycles)."""
    folder = Path(tempfile.mkdtemp(prefix="okr-cache-cycles-"))
    local = {**env, "OKR_CACHE_DIR": str(folder)}
    journal = Journal(ws)
    sizes = []
    try:
        for n in range(cycles):
            reading = ("validate",) if n % 2 == 0 else ("scorecard", "--format", "json")
            for cmd in (
                okr("--root", str(ws), "checkin", "kpi-00013", journal.value(), "--at",
                    CHECKIN_AT),
                okr("--root", str(ws), *reading, "--as-of", AS_OF),
            ):  # fmt: skip
                subprocess.run(cmd, capture_output=True, env=local, check=True)
            if n in (min(1, cycles - 1), cycles - 1):
                found = [p for p in folder.rglob("*") if p.is_file()]
                sizes.append((len(found), sum(p.stat().st_size for p in found)))
    finally:
        journal.restore()
        shutil.rmtree(folder, ignore_errors=True)
    (n1, b1), (nn, bn) = sizes[0], sizes[-1]
    files = goal_files(ws)
    out.rows.append(Row(f"cache entries after {cycles} cycles / after 2", nn / n1, "x", 1.0))
    out.rows.append(Row(f"cache entries per goal file after {cycles} cycles", nn / files,
                        "x", None))  # fmt: skip
    out.notes.append(
        f"cache folder: {n1} files, {b1 / 1e6:.1f} MB after 2 check-in cycles; {nn} files, "
        f"{bn / 1e6:.1f} MB after {cycles}; {files} goal files"
    )


def cliff_rows(
    out: Figures,
    base: Path,
    scale1: Path,
    runs: int,
    env: dict[str, str],
    floor: Timing | str,
    scale: float,
) -> None:
    cold = {"OKR_NO_CACHE": "1"}
    made = base / f"cliffs{scale:g}"
    made.mkdir(exist_ok=True)
    shrink = min(1.0, scale)

    def size(n: int) -> int:
        return max(10, round(n * shrink))

    def ws(name: str, build: Callable[[Path], None]) -> str:
        root = made / name
        if not (root / "okr.yaml").exists():
            shutil.rmtree(root, ignore_errors=True)
            build(root)
        return str(root)

    lines, deep_n, wide_n = size(400_000), size(5000), size(20_000)
    orphans = ws("orphans", lambda p: cliffs.orphans(p, scale1))
    orphaned = cliffs.orphaned_records(scale1)
    big = ws(f"big-{lines}", lambda p: cliffs.big_file(p, scale1, lines))
    big_diag = ws(f"big-{lines}-diag",
                  lambda p: cliffs.big_file(p, scale1, lines, diagnostic=True))  # fmt: skip
    halves = (deep_n // 2, deep_n)
    chains = {n: ws(f"chain-{n}", partial(cliffs.chain, n=n)) for n in halves}
    deep = {n: ws(f"teams-deep-{n}", partial(cliffs.teams_deep, n=n)) for n in halves}
    wide = {n: ws(f"teams-wide-{n}", partial(cliffs.teams_wide, n=n))
            for n in (wide_n // 2, wide_n)}  # fmt: skip
    v = ("validate", "--as-of", AS_OF)
    sj = ("scorecard", "--format", "json", "--as-of", AS_OF)
    diag = (0, 1)  # a diagnostic may be an error (exit 1); a crash is neither
    jobs = {
        "clean cold": Job(okr("--root", str(scale1), *v), cold),
        "orphans cold": Job(okr("--root", orphans, *v), cold, ok=diag),
        "clean warm": Job(okr("--root", str(scale1), *v), warm=True),
        "orphans warm": Job(okr("--root", orphans, *v), ok=diag, warm=True),
        "big cold": Job(okr("--root", big, *v), cold),
        "big diag cold": Job(okr("--root", big_diag, *v), cold, ok=diag),
        "big warm": Job(okr("--root", big, *v), warm=True),
        "big diag warm": Job(okr("--root", big_diag, *v), ok=diag, warm=True),
    }
    for n in halves:
        for cmd in (v, sj, ("tree", "--format", "json", "--as-of", AS_OF)):
            jobs[f"chain {n} {cmd[0]}"] = Job(okr("--root", chains[n], *cmd), cold)
        jobs[f"deep {n} validate"] = Job(okr("--root", deep[n], *v), cold)
        jobs[f"deep {n} scorecard"] = Job(okr("--root", deep[n], *sj), cold)
    for n in (wide_n // 2, wide_n):
        jobs[f"wide {n} validate"] = Job(okr("--root", wide[n], *v), cold)
        jobs[f"wide {n} scorecard"] = Job(okr("--root", wide[n], *sj), cold)
    t = measure(jobs, runs, env)
    for temp in ("cold", "warm"):
        out.ratio(f"{orphaned} orphaned check-ins / clean, {temp}", t[f"orphans {temp}"],
                  t[f"clean {temp}"], 1.2)  # fmt: skip
    for temp in ("cold", "warm"):
        out.ratio(f"one diagnostic in a {lines:,}-line file / clean, {temp}",
                  t[f"big diag {temp}"], t[f"big {temp}"], 1.2)  # fmt: skip
    # linear: twice the size in at most 2.5 times the time (and no crash)
    a, b = halves
    for name in ("validate", "scorecard", "tree"):
        out.ratio(f"alignment chain {b:,} / {a:,}, {name}", t[f"chain {b} {name}"],
                  t[f"chain {a} {name}"], 2.5)  # fmt: skip
    for name in ("validate", "scorecard"):
        out.ratio(f"team depth {b:,} / {a:,}, {name}", t[f"deep {b} {name}"],
                  t[f"deep {a} {name}"], 2.5)  # fmt: skip
    for name in ("validate", "scorecard"):
        out.ratio(f"{wide_n:,} / {wide_n // 2:,} teams, {name}", t[f"wide {wide_n} {name}"],
                  t[f"wide {wide_n // 2} {name}"], 2.5)  # fmt: skip
    out.notes.append("cliff cases (s): " + timings(t))
    wide_t = t[f"wide {wide_n} scorecard"]
    if isinstance(wide_t, Timing) and isinstance(floor, Timing):
        out.notes.append(f"{wide_n:,} teams scorecard = {wide_t.wall / floor.wall:.3f} x floor")


def peer_rows(out: Figures, scale1: Path, env: dict[str, str], floor: Timing | str) -> None:
    schemas = Path(tempfile.mkdtemp(prefix="okr-schemas-"))
    try:
        for kind in ("plan", "kpi", "journal"):
            done = subprocess.run(okr("schema", kind), capture_output=True, env=env)
            if done.returncode != 0:
                out.missing("check-jsonschema with okr schema (peer)", "x floor", None,
                            f"okr schema {kind}: exit {done.returncode}")  # fmt: skip
                return
            (schemas / f"{kind}.json").write_bytes(done.stdout)
        files = {
            "plan": sorted(str(p) for p in (scale1 / "okrs").rglob("*.yaml")),
            "kpi": sorted(str(p) for p in (scale1 / "kpis").rglob("*.yaml")),
            "journal": sorted(str(p) for p in (scale1 / "checkins").rglob("*.yaml")),
        }
        checker = shutil.which("check-jsonschema")
        if checker and isinstance(floor, Timing):
            wall = cpu = 0.0
            for kind, paths in files.items():
                job = Job([checker, "--schemafile", str(schemas / f"{kind}.json"), *paths],
                          ok=(0, 1))  # fmt: skip
                w, c, _ = run_once(job, env)
                wall, cpu = wall + w, cpu + c
            out.ratio("check-jsonschema with okr schema (peer)", Timing(wall, cpu), floor, None,
                      "x floor")  # fmt: skip
        else:
            out.missing("check-jsonschema with okr schema (peer)", "x floor", None,
                        "check-jsonschema is not installed")  # fmt: skip
        linter = shutil.which("yamllint")
        if linter and isinstance(floor, Timing):
            job = Job([linter, "-d", "relaxed", str(scale1 / "okrs"), str(scale1 / "kpis"),
                       str(scale1 / "checkins")], ok=(0, 1, 2))  # fmt: skip
            w, c, _ = run_once(job, env)
            out.ratio("yamllint, relaxed (peer)", Timing(w, c), floor, None, "x floor")
        else:
            out.missing("yamllint, relaxed (peer)", "x floor", None, "yamllint is not installed")
    finally:
        shutil.rmtree(schemas, ignore_errors=True)


def report(out: Figures) -> None:
    width = max(len(r.name) for r in out.rows) + 1
    print(f"{'figure':<{width}} {'measured':>10}  {'target':<16} {'ok':<4} cpu ratio")
    for row in out.rows:
        target = "" if row.target is None else f"<= {row.target:g}"
        verdict = "skip" if row.skipped else "" if row.ok is None else ("yes" if row.ok else "NO")
        measured = "not measured" if row.value is None else f"{row.value:>10.3f}"
        cpu = "" if row.cpu is None else f"{row.cpu:.3f}"
        line = f"{row.name:<{width}} {measured:>10}  {target:<7} {row.unit:<8} {verdict:<4} {cpu}"
        if row.why:
            line += f"  ({row.why})"
        print(line.rstrip())
    for note in out.notes:
        print(note)
    missed = [r.name for r in out.rows if r.ok is False]
    print()
    print("all targets met" if not missed else f"missed ({len(missed)}): {'; '.join(missed)}")


if __name__ == "__main__":
    main()
