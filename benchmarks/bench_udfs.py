"""The Excel range functions on a 100,000-row range, as Excel hands it over (a list of one-cell rows).

Target (issue 5): ≤ 0.2 s of Python time per call. Printed next to a baseline measured in the same run:
the least any such function must do, one plain-Python pass that sums the counts per postcode
(`collections.Counter`), without validating anything.

    python3 benchmarks/bench_udfs.py [--rows 100000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from toolkit import udfs

TARGET_SECONDS = 0.2


def excel_ranges(rows: int, seed: int = 2027) -> dict[str, list[list[Any]]]:
    """Synthetic ranges shaped like xlwings' values: floats for numbers, a few empty rows."""
    rng = random.Random(seed)
    pc4 = [rng.randrange(1000, 10_000) for _ in range(3_000)]
    postcodes: list[list[Any]] = []
    clients: list[list[Any]] = []
    hours: list[list[Any]] = []
    for i in range(rows):
        if i % 997 == 0:  # empty rows in both ranges are skipped, as in a sheet with gaps
            postcodes.append([None])
            clients.append([None])
        else:
            code = rng.choice(pc4)
            # Most cells as Excel numbers, some as full postcodes typed as text.
            postcodes.append([f"{code} AB" if i % 10 == 0 else float(code)])
            clients.append([float(rng.randrange(1, 9))])
        hours.append([float(rng.randrange(0, 3_200))])
    return {"postcodes": postcodes, "clients": clients, "hours": hours}


def baseline(ranges: dict[str, list[list[Any]]]) -> object:
    totals: Counter[Any] = Counter()
    for (code,), (count,) in zip(ranges["postcodes"], ranges["clients"], strict=True):
        if code is not None:
            totals[code] += count
    return len(totals)


def best_and_median(call: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.process_time()  # Python (CPU) time of this process, as the target says
        result = call()
        times.append(time.process_time() - start)
    return min(times), statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    r = excel_ranges(options.rows)
    calls: dict[str, Callable[[], object]] = {
        "CZ_RATIO": lambda: udfs.CZ_RATIO(r["postcodes"], r["clients"]),
        "CZ_RATIO_VOLDOET": lambda: udfs.CZ_RATIO_VOLDOET(r["postcodes"], r["clients"], 2027.0, "bestaand"),
        "CZ_EXTRA_CLIENTEN": lambda: udfs.CZ_EXTRA_CLIENTEN(r["postcodes"], r["clients"], 2027.0, "bestaand"),
        "COOP_MAX_OMZET": lambda: udfs.COOP_MAX_OMZET(r["hours"], 62.5, "nee"),
    }
    _, base, _ = best_and_median(lambda: baseline(r), options.repeat)
    print(f"{options.rows:,} rows; baseline (Counter pass, no validation): median {base * 1000:.1f} ms")
    print(f"{'function':<20} {'best':>9} {'median':>9} {'vs baseline':>12} {'vs 0.2 s':>9}  result")
    for name, call in calls.items():
        call()  # warm-up: parameter files are read and cached on first use
        best, median, result = best_and_median(call, options.repeat)
        assert not (isinstance(result, str) and result.startswith("#")), result
        print(f"{name:<20} {best * 1000:7.1f}ms {median * 1000:7.1f}ms {median / base:11.1f}× "
              f"{median / TARGET_SECONDS:8.2f}  {result!r:.30}")


if __name__ == "__main__":
    main()
