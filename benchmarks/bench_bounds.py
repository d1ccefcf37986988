"""Hostile and large workbooks (issue 19): time and peak memory of the commands that read them.

Each run is `zorginkoop …` as a process, under `/usr/bin/time -v` (its "Maximum resident set size");
the files are made by tests/attacks.py (seeded, streamed: megabytes on disk). Targets: every hostile
file refused with one Dutch line, peak RSS ≤ 1 GB; a 1,000,000-row INPUTS workbook read in ≤ 1 GB or
refused with the limit.

    python3 benchmarks/bench_bounds.py [--work DIR]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from attacks import (  # noqa: E402 - tests/ is put on the path above
    alias_bomb_overlay,
    big_inputs,
    filled,
    inputs_bomb,
    many_sheets,
    quoted_far_cell,
    spanning,
)


def measure(args: list[str], cwd: Path, limit: int) -> tuple[float, int, int, str]:
    """(seconds, peak RSS in MB, exit code, its Dutch line) of one `zorginkoop` run, stopped after `limit`
    seconds (exit 124). PYTHONPATH as set by the caller: run it against another checkout to compare."""
    timer = "/usr/bin/time" if Path("/usr/bin/time").exists() else (shutil.which("time") or "time")
    result = subprocess.run([timer, "-v", "timeout", str(limit), sys.executable, "-m", "toolkit.cli", *args],
                            capture_output=True, text=True, cwd=cwd,
                            env={**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", str(ROOT))})
    report = result.stderr
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", report).group(1)) // 1024  # type: ignore[union-attr]
    clock = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", report)
    assert clock is not None
    seconds = int(clock.group(1) or 0) * 3600 + int(clock.group(2)) * 60 + float(clock.group(3))
    code = int(re.search(r"Exit status: (\d+)", report).group(1))  # type: ignore[union-attr]
    message = next((line for line in report.splitlines() if line.startswith(("fout:", "interne fout"))), "")
    return seconds, peak, code, message[:110]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--timeout", type=int, default=120, help="seconds before a run is stopped (exit 124)")
    options = parser.parse_args()
    work = options.work or Path(tempfile.mkdtemp(prefix="zorginkoop-grenzen-"))
    work.mkdir(parents=True, exist_ok=True)
    inputs = work / "staffel.csv"
    inputs.write_text("naam;score_2026;aanvullend_budget\na;A;1000\n", encoding="utf-8")
    cases = {
        "check: filled cz_ratio (in orde)": ["check", str(filled(work, "cz_ratio"))],
        "check: r='XFD1048576'": ["check", str(quoted_far_cell(work, "ver_enkel.xlsx", "'"))],
        'describe: r = "XFD1048576"': ["describe", str(quoted_far_cell(work, "ver_spatie.xlsx", " "))],
        "check: 12 sheets x 499,900 cells": ["check", str(many_sheets(work))],
        "check: one mergeCell over a sheet": ["check", str(spanning(work, "samenvoegen"))],
        "fill: 1 MB xlsx of 1,000 MiB of spaces": ["fill", "staffel", str(inputs_bomb(work, 1000 / 1024, "mib.xlsx")),
                                                   "--out", str(work / "uit1")],
        "ratio: 1 MB xlsx of 1,000 MiB of spaces": ["ratio", str(work / "mib.xlsx"), "--year", "2027"],
        "fill: INPUTS xlsx of 1,000,000 rows": ["fill", "staffel", str(big_inputs(work, 1_000_000)), "--out",
                                                str(work / "uit2")],
        "fill: INPUTS xlsx of 199,999 rows (read)": ["fill", "staffel", str(big_inputs(work, 199_999)), "--out",
                                                     str(work / "uit3")],
        "parameters: YAML alias bomb": ["parameters", "--parameters", str(alias_bomb_overlay(work / "bom"))],
    }
    print("| case | seconds | peak RSS | exit | message |")
    print("|---|---|---|---|---|")
    for label, args in cases.items():
        seconds, peak, code, message = measure(args, work, options.timeout)
        print(f"| {label} | {seconds:.1f} | {peak} MB | {code} | {message} |", flush=True)


if __name__ == "__main__":
    main()
