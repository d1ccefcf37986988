"""Start-up of the `zorginkoop` command: how long `--help` and a small `ratio` take, and where it goes.

    python benchmarks/bench_startup.py [--repeat 15] [--baseline DIR]

Runs each command `--repeat` times as a fresh process (bytecode compiled first, as an installed wheel
has it) and prints the medians: the bare interpreter, `import toolkit`, `zorginkoop --help` and
`zorginkoop ratio examples/declaraties_2025.csv --year 2027 --json` (20,000 lines), with DuckDB on
the same file for reference. `--baseline DIR` times the same commands with the toolkit of another
checkout (e.g. a `git worktree` of an older commit) in the same run; `--baseline-python` runs that
checkout with another interpreter (a virtualenv with the libraries it had, e.g. typer 0.29).

Then one `-X importtime` run of the `ratio` command, summed per top-level package: which imports the
start-up consists of.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SMALL = ROOT / "examples" / "declaraties_2025.csv"
DUCKDB = """
import sys, duckdb
con = duckdb.connect()
con.sql('''select zorgaanbieder, count(distinct clientnummer), count(distinct left(postcode, 4))
    from read_csv(?, delim=';', header=true, all_varchar=true)
    where lower(trim(verzekeraar)) in ('cz', 'ohra', 'nationale-nederlanden', '9664')
      and left(prestatiedatum, 4) = '2025' and lower(prestatie) not like '%kindzorg%'
    group by zorgaanbieder'''.replace('?', repr(sys.argv[1]))).fetchall()
"""


def commands(python: str) -> dict[str, list[str]]:
    return {
        "python -c pass": [python, "-c", "pass"],
        "import toolkit": [python, "-c", "import toolkit"],
        "zorginkoop --help": [python, "-m", "toolkit.cli", "--help"],
        "zorginkoop ratio (20,000 lines) --json": [python, "-m", "toolkit.cli", "ratio", str(SMALL), "--year", "2027",
                                                   "--json"],
    }


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env, cwd=ROOT)
    return time.perf_counter() - start


def import_profile(env: dict[str, str]) -> dict[str, float]:
    """Cumulative import time (s) per top-level package for one `ratio` run."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "toolkit.cli", "ratio", str(SMALL), "--year",
                           "2027", "--json"], capture_output=True, text=True, env=env, cwd=ROOT)
    totals: dict[str, float] = defaultdict(float)
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        parts = line.split("|")
        try:
            own = int(parts[0].split(":")[1])
        except ValueError:
            continue  # the header line
        name = parts[2].strip().split(".")[0]
        totals[name] += own / 1e6
    return dict(totals)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--baseline", type=Path, help="another checkout's root, timed alongside")
    parser.add_argument("--baseline-python", default=sys.executable, help="the interpreter for the baseline")
    args = parser.parse_args()
    pythons = {"this": sys.executable, "baseline": args.baseline_python}
    trees = {"this": ROOT}
    if args.baseline:
        trees["baseline"] = args.baseline.resolve()
    for name, tree in trees.items():
        subprocess.run([pythons[name], "-m", "compileall", "-q", str(tree / "toolkit")], check=True)
    envs = {name: {**os.environ, "PYTHONPATH": str(tree)} for name, tree in trees.items()}
    runs: dict[tuple[str, str], list[float]] = defaultdict(list)
    duck = [sys.executable, "-c", DUCKDB, str(SMALL)]
    for _ in range(args.repeat):  # interleaved
        for name, env in envs.items():
            for label, command in commands(pythons[name]).items():
                runs[name, label].append(timed(command, env))
        runs["duckdb", "duckdb (same query, 20,000 lines)"].append(timed(duck, envs["this"]))
    print(f"median of {args.repeat} runs (s):")
    for (name, label), values in runs.items():
        print(f"  {name:8} {label:40} {statistics.median(values):.3f}  (min {min(values):.3f})")
    print("imports of one `ratio` run, by top-level package (s, cumulative own time):")
    profile = import_profile(envs["this"])
    for name, seconds in sorted(profile.items(), key=lambda item: -item[1])[:14]:
        print(f"  {name:24} {seconds:.3f}")
    print(f"  {'(all)':24} {sum(profile.values()):.3f}")


if __name__ == "__main__":
    main()
