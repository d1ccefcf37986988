"""Benchmark: claims -> ratio (and production per month) against DuckDB on the same files, per shape.

    pip install -e '.[bench]'
    python benchmarks/bench_ratio.py                                  # three shapes, ratio, 5M lines, 5 runs
    python benchmarks/bench_ratio.py --what production --shapes regional
    python benchmarks/bench_ratio.py --shapes national --lines 50000000 --repeat 1

Shapes (benchmarks/claim_shapes.py, fixed seeds): `project` (the project's own generator), `regional`
(a regional provider export) and `national` (500 providers all over the country, every client in
many areas). Each file is generated once under benchmarks/.data/.

Both sides run end to end as separate processes (interpreter start and imports included), interleaved
so both see the same machine load, on the same CSV:
- ratio: `zorginkoop ratio FILE --year 2027 --json` against a DuckDB query computing the same distinct
  CZ-group clients and PC4 areas per provider for claims year 2025 (kindzorg excluded);
- production: `production_from_claims(FILE, year=2025)` (no CLI command yet) against a DuckDB
  `sum(amount) group by provider, month` for the CZ-group lines of 2025.
Ours validates every line; DuckDB validates nothing. Prints the medians, the ratio ours ÷ DuckDB
(target <= 1.0), our peak memory (target <= 1 GB) and whether every provider's numbers agree.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

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


def run(command: list[str]) -> tuple[float, float, int, bytes]:
    """Wall time, CPU time (user + system), peak RSS in bytes and stdout of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command[:4]} failed with exit code {os.waitstatus_to_exitcode(status)}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, output


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


def bench(shape: str, what: str, lines: int, repeat: int) -> dict[str, object]:
    path = data_file(shape, lines)
    ours_command = ([sys.executable, "-m", "toolkit.cli", "ratio", str(path), "--year", "2027", "--json"]
                    if what == "ratio" else [sys.executable, "-c", PRODUCTION, str(path)])
    duckdb = [sys.executable, "-c", DUCKDB, str(HERE), shape, str(path), what]
    ours, ours_cpu, theirs, theirs_cpu, peaks = [], [], [], [], []
    out_ours = out_duck = b""
    for _ in range(repeat):  # interleaved, so both see the same machine load
        t, cpu, peak, out_ours = run(ours_command)
        ours.append(t)
        ours_cpu.append(cpu)
        peaks.append(peak)
        t, cpu, _, out_duck = run(duckdb)
        theirs.append(t)
        theirs_cpu.append(cpu)
    same, providers = agree(what, out_ours, out_duck)
    result = {
        "shape": shape, "what": what, "lines": lines, "mb": path.stat().st_size / 1e6,
        "ours": statistics.median(ours), "duckdb": statistics.median(theirs),
        "ours_cpu": statistics.median(ours_cpu), "duckdb_cpu": statistics.median(theirs_cpu),
        "peak_mib": max(peaks) / 2**20, "agree": same, "providers": providers,
        "runs_ours": ours, "runs_duckdb": theirs,
    }
    ratio = result["ours"] / result["duckdb"]  # type: ignore[operator]
    print(f"{shape:9} {what:10} {lines:>11,} lines {result['mb']:6.0f} MB | ours {result['ours']:.2f} s "
          f"(cpu {result['ours_cpu']:.2f}) | duckdb {result['duckdb']:.2f} s (cpu {result['duckdb_cpu']:.2f}) | "
          f"ratio {ratio:.2f} | peak {result['peak_mib']:.0f} MiB | agree {same} ({providers} providers)", flush=True)
    print(f"    runs ours {', '.join(f'{t:.2f}' for t in ours)}; duckdb {', '.join(f'{t:.2f}' for t in theirs)}")
    return result


def compile_toolkit() -> None:
    """Write the toolkit's bytecode first, as installing a wheel does: with PYTHONDONTWRITEBYTECODE set (as
    on these machines) every run would otherwise compile each module again (about 0.05 s of start-up)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "toolkit")], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shapes", default="project,regional,national")
    parser.add_argument("--what", choices=["ratio", "production", "both"], default="ratio")
    parser.add_argument("--lines", type=int, default=5_000_000)
    parser.add_argument("--repeat", type=int, default=5)  # this machine is noisy: ±15 % between runs
    args = parser.parse_args()
    whats = ["ratio", "production"] if args.what == "both" else [args.what]
    compile_toolkit()
    failed = False
    for shape in args.shapes.split(","):
        if shape not in SHAPES:
            raise SystemExit(f"unknown shape {shape!r} (known: {', '.join(SHAPES)})")
        for what in whats:
            result = bench(shape, what, args.lines, args.repeat)
            failed |= not result["agree"]
    if failed:
        raise SystemExit("results differ from DuckDB")


if __name__ == "__main__":
    main()
