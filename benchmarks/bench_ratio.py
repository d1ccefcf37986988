"""Benchmark: claims -> ratio (and production per month) against DuckDB on the same files, per shape.

    pip install -e '.[bench]'
    python benchmarks/bench_ratio.py                                  # every shape, ratio, 5M lines, 5 runs
    python benchmarks/bench_ratio.py --what production --shapes regional
    python benchmarks/bench_ratio.py --shapes national --lines 50000000 --repeat 1
    python benchmarks/bench_ratio.py --baseline main                  # main's code timed alongside

Shapes (benchmarks/claim_shapes.py, fixed seeds): `project` (the project's own generator), `regional`
(a regional provider export), `national` (500 providers all over the country, every client in many
areas), and `regional5` and `national5` (the same lines in five columns: no care type, no amount; no
production). Each file is generated once under benchmarks/.data/.

Both sides run end to end as separate processes (interpreter start and imports included), interleaved
so both see the same machine load, on the same CSV:
- ratio: `zorginkoop ratio FILE --year 2027 --json` against a DuckDB query computing the same distinct
  CZ-group clients and PC4 areas per provider for claims year 2025 (kindzorg excluded);
- production: `production_from_claims(FILE, year=2025)` (no CLI command yet) against a DuckDB
  `sum(amount) group by provider, month` for the CZ-group lines of 2025.
Ours validates every line; DuckDB validates nothing. Prints the medians, the ratio ours ÷ DuckDB
(target <= 1.0), our peak memory (target <= 1 GB) and whether every provider's numbers agree.

`--baseline REV` runs the code of a git revision as a third side (benchmarks/baseline.py), interleaved
with the other two, and checks that this checkout's output is byte-equal to the baseline's.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
TIME = "/usr/bin/time"  # GNU time (Debian package `time`), for the peak memory of each run
sys.path.insert(0, str(HERE))

from baseline import checkout, compile_toolkit, env  # noqa: E402
from claim_shapes import SHAPES  # noqa: E402

DUCKDB = """
import json, sys
sys.path.insert(0, sys.argv[1])
import duckdb
from claim_shapes import SHAPES
shape, path, what = SHAPES[sys.argv[2]], sys.argv[3], sys.argv[4]
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")  # it would write to stdout on slow runs
query = shape.duckdb_ratio(path) if what == "ratio" else shape.duckdb_production(path)
json.dump([[str(v) for v in row] for row in con.sql(query).fetchall()], sys.stdout)
"""

PRODUCTION = """
import json, sys
from toolkit.claims import production_from_claims
report = production_from_claims(sys.argv[1], year=2025)
sys.stdout.write(json.dumps({p: [str(m) for m in r.monthly] for p, r in report.providers.items()}))
"""

GENERATE = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from claim_shapes import write
write(sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]))
"""


def run(command: list[str], environment: dict[str, str] | None = None) -> tuple[float, float, int, bytes]:
    """Wall time, CPU time (user + system), peak RSS in bytes and stdout of one child process.

    The peak comes from GNU time, which forks the command from its own small process: a child forked from
    this one counts this process's size at the fork in its own ru_maxrss (Linux keeps the high-water mark
    across exec), and after a run that parsed 180 MB of JSON that read 1.4 GB for a 550 MB run."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as report:
        start = time.perf_counter()
        process = subprocess.Popen([TIME, "-f", "%M", "-o", report.name, *command], stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, env=environment)
        assert process.stdout is not None
        output = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{command[:4]} failed with exit code {os.waitstatus_to_exitcode(status)}")
        peak_kib = int(report.read().split()[-1])
    return elapsed, usage.ru_utime + usage.ru_stime, peak_kib * 1024, output


def data_file(shape: str, lines: int) -> Path:
    path = HERE / ".data" / f"{shape}_{lines}.csv"
    if not path.exists():
        # In a child process: a large benchmark process would lend its size to the peak memory
        # reported for the children it forks.
        print(f"generating {lines:,} claim lines of shape {shape} -> {path}", flush=True)
        subprocess.run([sys.executable, "-c", GENERATE, str(HERE), shape, str(lines), str(path)], check=True)
    return path


def agree(what: str, ours: bytes, theirs: bytes) -> tuple[bool, int]:
    base = json.loads(theirs)
    if what == "ratio":
        mine = {r["provider"]: (r["clients"], r["areas"]) for r in json.loads(ours)}
        expected = {p: (int(c), int(a)) for p, c, a in base}
        # DuckDB has no rows for providers without countable lines (the kindzorg provider): ours says 0/0.
        same = all(mine.get(p) == v for p, v in expected.items()) and all(
            v == (0, 0) for p, v in mine.items() if p not in expected)
        return same, len(expected)
    monthly = {p: [Decimal(m) for m in months] for p, months in json.loads(ours).items()}
    expected_months: dict[str, list[Decimal]] = {}
    for provider, month, amount in base:
        expected_months.setdefault(provider, [Decimal("0.00")] * 12)[int(month) - 1] = Decimal(amount)
    same = all(monthly.get(p) == v for p, v in expected_months.items()) and all(
        sum(v) == 0 for p, v in monthly.items() if p not in expected_months)
    return same, len(expected_months)



def bench(shape: str, what: str, lines: int, repeat: int, baseline: Path | None = None) -> dict[str, object]:
    path = data_file(shape, lines)
    ours = ([sys.executable, "-m", "toolkit.cli", "ratio", str(path), "--year", "2027", "--json"]
            if what == "ratio" else [sys.executable, "-c", PRODUCTION, str(path)])
    sides: dict[str, tuple[list[str], dict[str, str]]] = {
        "ours": (ours, env()), "duckdb": ([sys.executable, "-c", DUCKDB, str(HERE), shape, str(path), what], env())}
    if baseline is not None:
        sides["before"] = (ours, env(baseline))
    times: dict[str, list[float]] = {side: [] for side in sides}
    cpus: dict[str, list[float]] = {side: [] for side in sides}
    peaks: dict[str, list[int]] = {side: [] for side in sides}
    outputs: dict[str, bytes] = {}
    for _ in range(repeat):  # interleaved, so every side sees the same machine load
        for side, (command, environment) in sides.items():
            t, cpu, peak, outputs[side] = run(command, environment)
            times[side].append(t)
            cpus[side].append(cpu)
            peaks[side].append(peak)
    same, providers = agree(what, outputs["ours"], outputs["duckdb"])
    wall = {side: statistics.median(values) for side, values in times.items()}
    cpu = {side: statistics.median(values) for side, values in cpus.items()}
    result: dict[str, object] = {
        "shape": shape, "what": what, "lines": lines, "mb": path.stat().st_size / 1e6,
        "ours": wall["ours"], "duckdb": wall["duckdb"], "ours_cpu": cpu["ours"], "duckdb_cpu": cpu["duckdb"],
        "peak_mib": max(peaks["ours"]) / 2**20, "agree": same, "providers": providers,
        "runs_ours": times["ours"], "runs_duckdb": times["duckdb"],
    }
    print(f"{shape:9} {what:10} {lines:>11,} lines {result['mb']:6.0f} MB | ours {wall['ours']:.2f} s "
          f"(cpu {cpu['ours']:.2f}) | duckdb {wall['duckdb']:.2f} s (cpu {cpu['duckdb']:.2f}) | "
          f"ratio {wall['ours'] / wall['duckdb']:.2f} | peak {result['peak_mib']:.0f} MiB | agree {same} "
          f"({providers} providers)", flush=True)
    if baseline is not None:
        equal = outputs["ours"] == outputs["before"]
        result.update(before=wall["before"], before_cpu=cpu["before"], runs_before=times["before"],
                      before_peak_mib=max(peaks["before"]) / 2**20, equal=equal)
        print(f"    before {wall['before']:.2f} s (cpu {cpu['before']:.2f}) | ratio "
              f"{wall['before'] / wall['duckdb']:.2f} | peak {max(peaks['before']) / 2**20:.0f} MiB | "
              f"ours ÷ before {wall['ours'] / wall['before']:.2f} | output byte-equal: {equal}", flush=True)
    for side, values in times.items():
        print(f"    runs {side:6} {', '.join(f'{t:.2f}' for t in values)}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--what", choices=["ratio", "production", "both"], default="ratio")
    parser.add_argument("--lines", type=int, default=5_000_000)
    parser.add_argument("--repeat", type=int, default=5)  # this machine is noisy: ±15 % between runs
    parser.add_argument("--baseline", metavar="REV", help="a git revision whose code is timed alongside")
    args = parser.parse_args()
    whats = ["ratio", "production"] if args.what == "both" else [args.what]
    compile_toolkit()
    baseline = checkout(args.baseline) if args.baseline else None
    failed = []
    for shape in args.shapes.split(","):
        if shape not in SHAPES:
            raise SystemExit(f"unknown shape {shape!r} (known: {', '.join(SHAPES)})")
        for what in whats:
            if what == "production" and not SHAPES[shape].has_amounts:
                continue  # no amounts, no production
            result = bench(shape, what, args.lines, args.repeat, baseline)
            if not result["agree"]:
                failed.append(f"{shape} {what}: the numbers differ from DuckDB's")
            if result.get("equal") is False:
                failed.append(f"{shape} {what}: the output differs from the baseline's")
    if failed:
        raise SystemExit("\n".join(failed))


if __name__ == "__main__":
    main()
