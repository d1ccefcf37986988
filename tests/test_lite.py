"""The xlwings Lite file (workbooks/lite/main.py): generated, not drifted, and working on its own.

A finance team pastes one file into xlwings Lite; nothing of the toolkit is installed in the browser, and
nothing but the standard library and xlwings. So the file is run here in a fresh interpreter where the
installed `toolkit`, NumPy and every other installed package cannot be imported, and every function is
compared with `toolkit.udfs` on a few hundred generated calls. tests/test_pyodide.py does the same in real
Pyodide with the real xlwings wheel for it.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

from toolkit import udfs
from toolkit.workbook import lite

ROOT = Path(__file__).resolve().parents[1]
MAIN = ROOT / "workbooks" / "lite" / "main.py"

RUNNER = r'''
import importlib.abc, importlib.machinery, json, sys

refused = set()

class OnlyStandardLibrary(importlib.abc.MetaPathFinder):
    """What xlwings Lite has: the standard library and xlwings. Not the installed toolkit (only what main.py
    carries), not NumPy or anything else installed here."""
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top in sys.stdlib_module_names or top in {"xlwings", "xlwingslib"}:
            return None
        if top == "toolkit" or importlib.machinery.PathFinder.find_spec(top) is not None:  # here, not there
            refused.add(top)
            raise ModuleNotFoundError("not in xlwings Lite: " + name, name=name)
        return None

sys.meta_path.insert(0, OnlyStandardLibrary())
import xlwings  # xlwings Lite loads it before main.py (without its optional packages, NumPy and pandas among them)
refused.clear()
namespace = {"__name__": "main"}
exec(compile(open(sys.argv[1], encoding="utf-8").read(), "main.py", "exec"), namespace)
import toolkit
assert not hasattr(toolkit, "__file__"), "main.py must serve toolkit itself"
calls = json.load(sys.stdin)
results = [namespace[name](*args) for name, args in calls]
json.dump({"results": results, "refused": sorted(refused)}, sys.stdout)
'''


def test_committed_lite_file_matches_the_generator() -> None:
    assert MAIN.read_text(encoding="utf-8") == lite.render(), "run: python3 -m toolkit.workbook.lite"


JUNK = [None, "", "#N/A", "abc", "1e5", -1, "12,5.3", True]
# Plausible values per argument name (mostly), so that most calls reach a real answer; junk now and then.
POOLS: dict[str, list[Any]] = {
    "jaar": [None, None, 2027, 2027.0, "2027", 2025, 2026, 2031],
    "soort": [None, "bestaand", "nieuw", "new", "Bestaand"],
    "score_2026": [None, "", "A", "B", "C", "a"], "score_2027": [None, "", "A", "B", "C"],
    "kostenpunten": [None, 4, 5, 6, 4.99, "5", "7,5"], "plafondvrij": [None, "ja", "nee", True, False, 1],
    "budget": [0, 1000, 50_000.5, "50.000", "€ 1.234,56", 0.1], "clienten": [0, 55, 110, 111.0, "1.000"],
    "fte": [0, 1, 1.5, "2,5", 0.999999999995], "uurtarief": [62.5, "58,33", 0.005],
    "nacht": [None, "ja", "nee"], "personeel": [0.031, 0.0474, -0.01, "3,1%", 3],
    "materieel": [0.02, 0, "0,02"], "voorlopig_t": [0.03, 0.0474, "3%"], "voorlopig_t1": [0.025, 0],
    "definitief_t1": [0.032, 0.0053], "methode": [None, "multiplicatief", "additief", "lineair", "seizoen"],
    "begroting": [1_000_000, "1.000.000", 0.01], "zvw_aandeel": [None, 0.85, "85%", 1],
    "plafond": [1_200_000, "1.200.000", 900_000.5], "eigen": [5200, "5.200", 0], "volle_dochter": [300, 0],
    "zzp": [2500, 2600, "2.500"], "onderaannemers": [3000, 0],
}
RANGES = {
    "postcodes": ["5611", "5612 AB", 5613.0, "1234", None, "5611ab"], "clienten": [4, 1, 2.0, "3", 0, None],
    "uren": [3000, 2080, 100.25, None, "1.000"], "productie": [110_000, "100.000", 95_000.5],
    "vorig_jaar": [90_000, 100_000, "120.000"],
}


def _value(rng: random.Random, name: str, ranged: bool) -> Any:
    if rng.random() < 0.08:
        return rng.choice(JUNK)
    if ranged:
        size = 12 if name in {"productie", "vorig_jaar"} else rng.randrange(1, 9)
        known = rng.randrange(1, 13) if name == "productie" else size
        pool = RANGES.get(name) or POOLS[name]
        return [rng.choice(pool) if i < known else None for i in range(size)]
    return rng.choice(POOLS[name])


def _calls(count: int) -> list[tuple[str, list[Any]]]:
    rng = random.Random(12)
    calls: list[tuple[str, list[Any]]] = []
    for i in range(count):
        function = udfs.FUNCTIONS[i % len(udfs.FUNCTIONS)]
        args = []
        for name in function.__arg_docs__:  # type: ignore[attr-defined]
            ranged = name in RANGES and (name != "clienten" or function.__name__.startswith("CZ_"))
            quarters = name in {"eigen", "volle_dochter", "zzp", "onderaannemers"} and rng.random() < 0.4
            args.append([_value(rng, name, False) for _ in range(4)] if quarters else _value(rng, name, ranged))
        calls.append((function.__name__, args))
    return calls


def test_lite_file_works_without_the_toolkit_installed() -> None:
    calls = _calls(400)
    run = subprocess.run([sys.executable, "-c", RUNNER, str(MAIN)], input=json.dumps(calls), capture_output=True,
                         text=True, timeout=120, cwd=ROOT / "workbooks" / "lite")
    assert run.returncode == 0, run.stderr[-2000:]
    found = json.loads(run.stdout)
    assert found["refused"] == [], f"main.py imports what xlwings Lite does not have: {found['refused']}"
    results = found["results"]
    assert len(results) == len(calls)
    for (name, args), found in zip(calls, results, strict=True):
        expected = getattr(udfs, name)(*args)
        assert found == expected, (name, args, found, expected)
    # The calls reached real answers, not only error texts.
    answers = [r for r in results if not (isinstance(r, str) and r.startswith("#"))]
    assert len(answers) >= len(calls) // 4, f"only {len(answers)} of {len(calls)} calls gave an answer"
