"""How fast <TAB> answers: shell completion against ``okr validate`` on the same workspace.

    python benchmarks/completion.py [--runs 7] [--keep DIR]

Target (issue "fits the hand"): completing a KR id for ``okr checkin`` at scale 1 takes at
most a third of ``okr validate``'s time there.  Both run as fresh processes with a warm
parse cache (a warm-up run of each first), each figure the median of the runs, the two
commands taking turns so that a busy machine slows both alike.
"""

from __future__ import annotations

import argparse
import os
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
TARGET = 1 / 3


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per figure (median)")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="okr-bench-"))
    try:
        ws = base / "scale1"
        if not (ws / "okr.yaml").exists():
            print(f"generating scale 1 in {ws} ...", flush=True)
            generate(ws, 1)
        # the installed okr executable, as a shell runs it (its name picks _OKR_COMPLETE)
        okr = [shutil.which("okr", path=str(Path(sys.executable).parent)) or "okr"]
        validate = [*okr, "--root", str(ws), "validate", "--as-of", AS_OF]
        env = dict(os.environ)
        complete_env = dict(
            env,
            _OKR_COMPLETE="complete_bash",
            COMP_WORDS=f"okr --root {ws} checkin company-o1-kr",
            COMP_CWORD="4",
        )
        validate_times, complete_times = [], []
        offered = ""
        for i in range(args.runs + 1):
            v, _ = run(validate, env)
            c, offered = run(okr, complete_env)
            if i:  # the first run of each warms the parse cache
                validate_times.append(v)
                complete_times.append(c)
        v, c = statistics.median(validate_times), statistics.median(complete_times)
        ratio = c / v
        print(f"offered: {' '.join(offered.split())}")
        print(f"okr validate (scale 1): {v * 1000:.0f} ms (median of {args.runs})")
        print(f"okr checkin <TAB>     : {c * 1000:.0f} ms (median of {args.runs})")
        verdict = "yes" if ratio <= TARGET else "NO"
        print(f"completion / validate : {ratio:.3f}  (target <= {TARGET:.3f})  {verdict}")
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus")
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
