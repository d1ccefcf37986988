"""Start-up of the `zorginkoop` command: how long `-h` and a small `ratio` take, and where it goes.

    python benchmarks/bench_startup.py [--repeat 15] [--baseline REV]

Runs each command `--repeat` times as a fresh process (bytecode compiled first, as an installed wheel
has it) and prints the medians: the bare interpreter, `import toolkit`, `zorginkoop -h` and
`zorginkoop ratio FILE --year 2027 --json` on 1,000 claim lines (benchmarks/.data/claims_1000.csv, made by
examples/generate_claims.py with its fixed seed) and on the 20,000 lines of examples/declaraties_2025.csv,
with DuckDB on the 1,000 lines for reference. Targets (issue 23): `ratio` on 1,000 lines <= 0.35 s,
`-h` <= 0.3 s.

`--baseline REV` times the same commands with the toolkit of a git revision (e.g. `main`, extracted by
benchmarks/baseline.py) in the same run, interleaved; a directory holding a `toolkit` package (another
checkout) will do too. `--baseline-python` runs the baseline with another interpreter (a virtualenv with
the libraries it had, e.g. typer 0.29).

Then, for `-h` and the 1,000-line `ratio` of this checkout: the libraries each imports (a command must
not import what it does not use), and one `-X importtime` run of the `ratio` summed per top-level package.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from baseline import checkout, compile_toolkit, env  # noqa: E402

ROOT = HERE.parent
SMALL = HERE / ".data" / "claims_1000.csv"
EXAMPLE = ROOT / "examples" / "declaraties_2025.csv"
DUCKDB = """
import sys, duckdb
con = duckdb.connect()
con.sql('''select zorgaanbieder, count(distinct clientnummer), count(distinct left(postcode, 4))
    from read_csv(?, delim=';', header=true, all_varchar=true)
    where lower(trim(verzekeraar)) in ('cz', 'ohra', 'nationale-nederlanden', '9664')
      and left(prestatiedatum, 4) = '2025' and lower(prestatie) not like '%kindzorg%'
    group by zorgaanbieder'''.replace('?', repr(sys.argv[1]))).fetchall()
"""
# Libraries worth naming when a command imports them.
HEAVY = ("numpy", "pyarrow", "pandas", "yaml", "rich", "openpyxl", "python_calamine", "pydantic", "xlwings")


def ratio(python: str, path: Path) -> list[str]:
    return [python, "-m", "toolkit.cli", "ratio", str(path), "--year", "2027", "--json"]


def commands(python: str) -> dict[str, list[str]]:
    return {
        "python -c pass": [python, "-c", "pass"],
        "import toolkit": [python, "-c", "import toolkit"],
        "zorginkoop -h": [python, "-m", "toolkit.cli", "-h"],
        "zorginkoop ratio (1,000 lines) --json": ratio(python, SMALL),
        "zorginkoop ratio (20,000 lines) --json": ratio(python, EXAMPLE),
    }


def timed(command: list[str], environment: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=environment,
                   cwd=ROOT)
    return time.perf_counter() - start


def import_times(command: list[str], environment: dict[str, str]) -> dict[str, float]:
    """Import time (s, each module's own) per top-level package for one run of `command`."""
    done = subprocess.run([command[0], "-X", "importtime", *command[1:]], capture_output=True, text=True,
                          env=environment, cwd=ROOT)
    totals: dict[str, float] = defaultdict(float)
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        parts = line.split("|")
        try:
            own = int(parts[0].split(":")[1])
        except ValueError:
            continue  # the header line
        totals[parts[2].strip().split(".")[0]] += own / 1e6
    return dict(totals)


def small_file() -> Path:
    if not SMALL.exists():
        SMALL.parent.mkdir(exist_ok=True)
        subprocess.run([sys.executable, str(ROOT / "examples" / "generate_claims.py"), "--lines", "1000",
                        "--providers", "10", "--out", str(SMALL)], check=True, stdout=subprocess.DEVNULL)
    return SMALL


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--baseline", metavar="REV", help="a git revision (or a checkout's root) timed alongside")
    parser.add_argument("--baseline-python", default=sys.executable, help="the interpreter for the baseline")
    args = parser.parse_args()
    small_file()
    compile_toolkit()
    sides = {"this": (sys.executable, env())}
    if args.baseline:
        tree = Path(args.baseline)
        if (tree / "toolkit" / "__init__.py").is_file():
            compile_toolkit(tree)
        else:
            tree = checkout(args.baseline)
        sides["baseline"] = (args.baseline_python, env(tree))
    runs: dict[tuple[str, str], list[float]] = defaultdict(list)
    duck = [sys.executable, "-c", DUCKDB, str(SMALL)]
    for _ in range(args.repeat):  # interleaved
        for label in commands(sys.executable):
            for side, (python, environment) in sides.items():
                runs[label, side].append(timed(commands(python)[label], environment))
        runs["duckdb, the same query (1,000 lines)", "this"].append(timed(duck, sides["this"][1]))
    print(f"median of {args.repeat} interleaved runs, s (min, max)" + (f"; baseline {args.baseline}"
                                                                       if args.baseline else ""))
    for label in [*commands(sys.executable), "duckdb, the same query (1,000 lines)"]:
        shown = []
        for side in sides:
            values = runs.get((label, side))
            if values:
                shown.append(f"{side} {statistics.median(values):.3f} ({min(values):.3f}, {max(values):.3f})")
        ratio_text = ""
        if (label, "baseline") in runs:
            factor = statistics.median(runs[label, "this"]) / statistics.median(runs[label, "baseline"])
            ratio_text = f"  this ÷ baseline {factor:.2f}"
        print(f"  {label:40} {' | '.join(shown)}{ratio_text}")
    environment = env()
    for label in ("zorginkoop -h", "zorginkoop ratio (1,000 lines) --json"):
        profile = import_times(commands(sys.executable)[label], environment)
        heavy = [name for name in HEAVY if name in profile]
        print(f"{label}: imports {', '.join(heavy) or 'none'} of {', '.join(HEAVY)}; "
              f"{len(profile)} top-level packages, {sum(profile.values()):.3f} s of imports (-X importtime)")
        if "ratio" in label:
            for name, seconds in sorted(profile.items(), key=lambda item: -item[1])[:14]:
                print(f"    {name:24} {seconds:.3f}")


if __name__ == "__main__":
    main()
