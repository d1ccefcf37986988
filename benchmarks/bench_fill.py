"""`zorginkoop fill`: 1,000 workbooks from one input file, against merely copying the template 1,000 times.

    python3 benchmarks/bench_fill.py [--workbooks 1000] [--shapes staffel,cz_ratio,cz_ratio_areas]
                                     [--repeat 5] [--baseline REV]

Target (issue 23): 1,000 workbooks in at most 3× the time of copying the template file 1,000 times
(`shutil.copyfile` in one process: no filling can beat it), whole process. The fill is timed end to end as
a process (`zorginkoop fill TEMPLATE INPUTS --out DIR`: start-up, reading and validating the input, the
Python engine for every key's cached results, the workbooks, summary.xlsx and summary.csv).

Input shapes (fixed seed):
- `staffel`: one row per key (staffel.xlsx, a small template);
- `cz_ratio`: one row per key, one postcode each (cz_ratio.xlsx, a large template with 14,000 formulas);
- `cz_ratio_areas`: 20 rows per key (20,000 rows), each key's postcodes and clients as a range.

`--baseline REV` times the fill of a git revision (benchmarks/baseline.py) as a third side, interleaved,
and checks that both write the same summary.csv.

Also timed, interleaved: this code's fill of one key (its fixed cost: start-up, the template, summary.xlsx
of one row), and from it the time per workbook beyond the first against the copy's time per file. The
copy floor of a small template has two modes on some disks (ext4 allocating inodes right after many were
deleted: 10× slower), and against the fast one the fixed cost alone is more than 3× the floor.
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
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from baseline import checkout, compile_toolkit, env  # noqa: E402

Row = Callable[[random.Random, str], list[dict[str, Any]]]


def _staffel(rng: random.Random, key: str) -> list[dict[str, Any]]:
    return [{"aanbieder": key, "score_vorig_jaar": rng.choice("ABC"), "score_contractjaar": "",
             "kostenpunten": rng.randrange(0, 10), "plafondvrij": "nee", "productieafspraak": "",
             "aanvullend_budget": rng.randrange(1000, 500_000)}]


def _cz_ratio(areas: int) -> Row:
    def rows(rng: random.Random, key: str) -> list[dict[str, Any]]:
        postcodes = rng.sample(range(1000, 10000), areas)
        return [{"aanbieder": key, "jaar": 2027, "soort": "bestaand", "postcodes": str(pc),
                 "clienten": rng.randrange(1, 40)} for pc in postcodes]
    return rows


SHAPES: dict[str, tuple[str, Row]] = {
    "staffel": ("staffel", _staffel),
    "cz_ratio": ("cz_ratio", _cz_ratio(1)),
    "cz_ratio_areas": ("cz_ratio", _cz_ratio(20)),
}


def write_inputs(path: Path, shape: str, count: int) -> Path:
    rng = random.Random(2027)
    rows = [row for i in range(count) for row in SHAPES[shape][1](rng, f"aanbieder-{i:04d}")]
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


def time_fill(template: str, inputs: Path, out: Path, environment: dict[str, str]) -> tuple[float, bytes]:
    """Seconds of one fill as a process, and the summary.csv it wrote."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "toolkit.cli", "fill", template, str(inputs), "--out", str(out)],
                   check=True, stdout=subprocess.DEVNULL, env=environment)
    elapsed = time.perf_counter() - start
    summary = (out / "summary.csv").read_bytes()
    shutil.rmtree(out)
    return elapsed, summary


def bench(shape: str, count: int, repeat: int, baseline: Path | None) -> None:
    template = SHAPES[shape][0]
    sides = {"this": env()}
    if baseline is not None:
        sides["baseline"] = env(baseline)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        inputs = write_inputs(work / "invoer.csv", shape, count)
        single = write_inputs(work / "een.csv", shape, 1)
        lines = sum(1 for _ in inputs.open(encoding="utf-8")) - 1
        template_file = HERE.parent / "templates" / f"{template}.xlsx"
        copies: list[float] = []
        fills: dict[str, list[float]] = {side: [] for side in sides}
        ones: list[float] = []
        summaries: dict[str, bytes] = {}
        for _ in range(repeat):  # interleaved, so every side sees the same machine load
            copies.append(time_copy(template_file, count, work))
            for side, environment in sides.items():
                seconds, summaries[side] = time_fill(template, inputs, work / f"out-{side}", environment)
                fills[side].append(seconds)
            ones.append(time_fill(template, single, work / "out-one", sides["this"])[0])
    copy = statistics.median(copies)
    size = template_file.stat().st_size / 1024
    print(f"{shape}: {count} workbooks from {template}.xlsx ({size:.0f} KiB), {lines:,} input rows; "
          f"median of {repeat} interleaved runs (min, max):")
    print(f"  copy template (floor)   {copy:6.2f} s ({min(copies):.2f}, {max(copies):.2f})")
    for side, values in fills.items():
        filled = statistics.median(values)
        verdict = "met" if filled <= 3 * copy else "NOT met"
        print(f"  fill ({side:8})         {filled:6.2f} s ({min(values):.2f}, {max(values):.2f})  "
              f"{count / filled:5.0f} per second  fill ÷ copy {filled / copy:5.1f} (target ≤ 3: {verdict})")
    one = statistics.median(ones)
    beyond = (statistics.median(fills["this"]) - one) / (count - 1)
    print(f"  fill of one key (fixed) {one:6.2f} s ({min(ones):.2f}, {max(ones):.2f})  {one / copy:.1f} copy floors")
    print(f"  per workbook beyond it  {beyond * 1000:6.2f} ms against {copy / count * 1000:.2f} ms per copied file "
          f"({beyond / (copy / count):.1f}x)")
    if baseline is not None:
        ratios = [a / b for a, b in zip(fills["this"], fills["baseline"], strict=True)]
        same = summaries["this"] == summaries["baseline"]
        print(f"  this ÷ baseline, pair by pair: median {statistics.median(ratios):.2f}; "
              f"summary.csv byte-equal: {same}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workbooks", type=int, default=1000)
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--baseline", metavar="REV", help="a git revision whose fill is timed alongside")
    options = parser.parse_args()
    compile_toolkit()
    baseline = checkout(options.baseline) if options.baseline else None
    for shape in options.shapes.split(","):
        if shape not in SHAPES:
            raise SystemExit(f"unknown shape {shape!r} (known: {', '.join(SHAPES)})")
        bench(shape, options.workbooks, options.repeat, baseline)


if __name__ == "__main__":
    main()
