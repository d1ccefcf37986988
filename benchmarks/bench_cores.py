"""How busy the cores are over a run of `zorginkoop ratio`, from its start to its end (issue 23: "both cores
busy from the first batch").

    python3 benchmarks/bench_cores.py --shapes regional5,national5 --lines 5000000

Runs the command as a process and reads its CPU time (all threads, user + system, /proc/PID/stat) every
50 ms; prints, per tenth of the run, how many cores it kept busy, and the time until the first line is read
(the start-up: interpreter, imports, parameters; single-threaded by nature) against the time spent reading.
The files are bench_ratio.py's (benchmarks/.data/, generated once, fixed seeds).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from baseline import compile_toolkit, env  # noqa: E402
from bench_ratio import data_file  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime (fields 14 and 15 of stat)


def timeline(path: Path, interval: float = 0.05) -> list[tuple[float, float]]:
    """(seconds since start, CPU seconds used so far) of one run."""
    command = [sys.executable, "-m", "toolkit.cli", "ratio", str(path), "--year", "2027", "--json"]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env())
    samples = [(0.0, 0.0)]
    while process.poll() is None:
        used = cpu_seconds(process.pid)
        if used is not None:
            samples.append((time.perf_counter() - start, used))
        time.sleep(interval)
    return samples


def report(shape: str, lines: int, samples: list[tuple[float, float]]) -> None:
    total_time, total_cpu = samples[-1]
    print(f"{shape} {lines:,} lines: {total_time:.2f} s, {total_cpu:.2f} CPU-s, {total_cpu / total_time:.2f} cores "
          "on average; cores busy per tenth of the run:")
    tenths = []
    for k in range(10):
        a, b = total_time * k / 10, total_time * (k + 1) / 10
        inside = [(t, c) for t, c in samples if a <= t <= b]
        if len(inside) >= 2:
            tenths.append((inside[-1][1] - inside[0][1]) / (inside[-1][0] - inside[0][0]))
    print("  " + " ".join(f"{v:4.2f}" for v in tenths))
    # The start-up: until the process first uses more than one core over a 100 ms window.
    for (t0, c0), (t1, c1) in zip(samples, samples[2:], strict=False):
        if t1 > t0 and (c1 - c0) / (t1 - t0) > 1.3:
            print(f"  one core until {t0:.2f} s (start-up); from then on {(total_cpu - c0) / (total_time - t0):.2f} "
                  f"cores on average over the remaining {total_time - t0:.2f} s")
            break


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shapes", default="regional5,national5")
    parser.add_argument("--lines", type=int, default=5_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    compile_toolkit()
    for shape in args.shapes.split(","):
        path = data_file(shape, args.lines)
        runs = [timeline(path) for _ in range(args.repeat)]
        report(shape, args.lines, sorted(runs, key=lambda r: r[-1][0])[len(runs) // 2])  # the median run


if __name__ == "__main__":
    main()
