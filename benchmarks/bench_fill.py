"""`zorginkoop fill`: 1,000 workbooks from one 1,000-row input, against merely copying the template.

Target (issue 4): at least 50 workbooks per second on a 2-core machine. The floor, measured in the
same run, is copying the template file 1,000 times (`shutil.copyfile`): no filling can beat it.
The fill is timed end to end as a process (`zorginkoop fill ... --out DIR`, start-up, reading and
validating the input, the Python engine for the summary, and writing summary.xlsx/csv included).

    python3 benchmarks/bench_fill.py [--workbooks 1000] [--template cz_ratio] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from toolkit.workbook import template_path

ROWS = {
    "cz_ratio": lambda rng, key: {"aanbieder": key, "jaar": 2027, "soort": "bestaand",
                                  "postcodes": str(rng.randrange(1000, 10000)), "clienten": rng.randrange(1, 9)},
    "staffel": lambda rng, key: {"aanbieder": key, "score_vorig_jaar": rng.choice("ABC"), "score_contractjaar": "",
                                 "kostenpunten": rng.randrange(0, 10), "plafondvrij": "nee", "productieafspraak": "",
                                 "aanvullend_budget": rng.randrange(1000, 500_000)},
}


def write_inputs(path: Path, template: str, count: int) -> Path:
    rng = random.Random(2027)
    rows = [ROWS[template](rng, f"aanbieder-{i:04d}") for i in range(count)]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    return path


def time_copy(template: Path, count: int, work: Path) -> float:
    out = work / "copies"
    out.mkdir()
    start = time.perf_counter()
    for i in range(count):
        shutil.copyfile(template, out / f"kopie-{i:04d}.xlsx")
    elapsed = time.perf_counter() - start
    shutil.rmtree(out)
    return elapsed


def time_fill(template: str, inputs: Path, work: Path) -> float:
    out = work / "filled"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "toolkit.cli", "fill", template, str(inputs), "--out", str(out)],
                   check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    shutil.rmtree(out)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workbooks", type=int, default=1000)
    parser.add_argument("--template", choices=sorted(ROWS), default="cz_ratio")
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        inputs = write_inputs(work / "invoer.csv", options.template, options.workbooks)
        copies, fills = [], []
        for _ in range(options.repeat):  # interleaved, so both see the same machine load
            copies.append(time_copy(template_path(options.template), options.workbooks, work))
            fills.append(time_fill(options.template, inputs, work))
    copy, filled = statistics.median(copies), statistics.median(fills)
    size = template_path(options.template).stat().st_size / 1024
    print(f"{options.workbooks} workbooks from {options.template}.xlsx ({size:.0f} KiB), median of {options.repeat}:")
    print(f"  copy template (floor): {copy:6.2f} s  {options.workbooks / copy:8.0f} per second")
    print(f"  zorginkoop fill:       {filled:6.2f} s  {options.workbooks / filled:8.0f} per second")
    print(f"  ratio fill / copy: {filled / copy:.1f}; target ≥ 50 per second: "
          f"{'met' if options.workbooks / filled >= 50 else 'NOT met'}")


if __name__ == "__main__":
    main()
