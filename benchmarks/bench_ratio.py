"""Benchmark: `zorginkoop ratio FILE --year 2027 --json` against DuckDB on the same 5,000,000 claim lines.

    pip install -e '.[bench]' && python benchmarks/bench_ratio.py [--lines 5000000] [--repeat 7]

Both sides run end to end as a separate process (interpreter start and imports included), on the same
CSV, computing distinct CZ-group clients and distinct PC4 areas per provider for claims year 2025.
Ours validates every line (postcodes, dates, insurers, ids); DuckDB validates nothing. Prints the
median times, the ratio ours ÷ DuckDB (target <= 1.0) and our peak memory (target <= 1 GB).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

DUCKDB_QUERY = """
import duckdb, json, sys
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")  # it would write to stdout on slow runs
rows = con.sql('''
    select zorgaanbieder, count(distinct clientnummer) as clients, count(distinct left(postcode, 4)) as areas
    from read_csv(?, delim=';', header=true, all_varchar=true)
    where lower(trim(verzekeraar)) in ('cz', 'ohra', 'nationale-nederlanden', '9664')
      and left(prestatiedatum, 4) = '2025'
      and lower(prestatie) not like '%kindzorg%'
    group by zorgaanbieder
''' .replace('?', repr(sys.argv[1]))).fetchall()
json.dump([{"provider": p, "clients": c, "areas": a} for p, c, a in rows], sys.stdout)
"""


GENERATE = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from generate_claims import generate, write_csv
write_csv(generate(int(sys.argv[2]), int(sys.argv[3]), seed=5_000_000), Path(sys.argv[4]))
"""


def run(command: list[str]) -> tuple[float, int, bytes]:
    """Wall time, peak RSS in bytes and stdout of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{command[:3]} failed with exit code {process.returncode}")
    return elapsed, usage.ru_maxrss * 1024, output


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=5_000_000)
    parser.add_argument("--providers", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=7)  # this machine is noisy: ±15 % between runs
    args = parser.parse_args()

    data = HERE / ".data" / f"claims_{args.lines}.csv"
    if not data.exists():
        # In a child process: the generator holds the whole table in memory, and a benchmark process
        # that large would lend its size to the peak memory reported for the children it forks.
        print(f"generating {args.lines:,} claim lines -> {data}")
        subprocess.run([sys.executable, "-c", GENERATE, str(HERE.parent / "examples"), str(args.lines),
                        str(args.providers), str(data)], check=True)
    print(f"file: {data} ({data.stat().st_size / 1e6:.0f} MB)")

    zorginkoop = [sys.executable, "-m", "toolkit.cli", "ratio", str(data), "--year", "2027", "--json"]
    duckdb = [sys.executable, "-c", DUCKDB_QUERY, str(data)]
    ours, theirs, peaks = [], [], []
    for _ in range(args.repeat):  # interleaved, so both see the same machine load
        t, peak, out_ours = run(zorginkoop)
        ours.append(t)
        peaks.append(peak)
        t, _, out_duck = run(duckdb)
        theirs.append(t)

    import json

    mine = {r["provider"]: (r["clients"], r["areas"]) for r in json.loads(out_ours)}
    base = {r["provider"]: (r["clients"], r["areas"]) for r in json.loads(out_duck)}
    # DuckDB has no rows for providers without countable lines (the kindzorg provider): ours says 0/0.
    agree = all(mine.get(p) == v for p, v in base.items()) and all(
        v == (0, 0) for p, v in mine.items() if p not in base)
    ours_median, duck_median = statistics.median(ours), statistics.median(theirs)
    print(f"zorginkoop ratio --json : median {ours_median:.2f} s  (runs: {', '.join(f'{t:.2f}' for t in ours)})")
    print(f"duckdb count distinct   : median {duck_median:.2f} s  (runs: {', '.join(f'{t:.2f}' for t in theirs)})")
    print(f"ratio ours / duckdb     : {ours_median / duck_median:.2f}  (target <= 1.0)")
    print(f"peak memory (ours)      : {max(peaks) / 2**20:.0f} MiB  (target <= 1024 MiB)")
    print(f"results agree with duckdb for {len(base)} providers: {agree}")
    if not agree:
        raise SystemExit("results differ from DuckDB")


if __name__ == "__main__":
    main()
