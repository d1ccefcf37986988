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

from lite_calls import QUARTERS, is_range, plain, value

from toolkit import udfs
from toolkit.workbook import lite

ROOT = Path(__file__).resolve().parents[1]
MAIN = ROOT / "workbooks" / "lite" / "main.py"

RUNNER = r'''
import datetime, importlib.abc, importlib.machinery, json, sys

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
def plain(result):  # a date as tests/lite_calls.py `plain` writes it; anything else that is not JSON fails
    if isinstance(result, datetime.date):
        return {"date": result.isoformat()}
    raise TypeError(f"not JSON: {result!r}")
json.dump({"results": results, "refused": sorted(refused)}, sys.stdout, default=plain)
'''


def test_committed_lite_file_matches_the_generator() -> None:
    assert MAIN.read_text(encoding="utf-8") == lite.render(), "run: python3 -m toolkit.workbook.lite"


def _calls(count: int) -> list[tuple[str, list[Any]]]:
    rng = random.Random(12)
    calls: list[tuple[str, list[Any]]] = []
    for i in range(count):
        function = udfs.FUNCTIONS[i % len(udfs.FUNCTIONS)]
        args = []
        for name in function.__arg_docs__:  # type: ignore[attr-defined]
            quarters = name in QUARTERS and rng.random() < 0.4
            args.append([value(rng, name, False) for _ in range(4)] if quarters
                        else value(rng, name, is_range(function.__name__, name)))
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
        expected = plain(getattr(udfs, name)(*args))
        assert found == expected, (name, args, found, expected)
    # The calls reached real answers, not only error texts.
    answers = [r for r in results if not (isinstance(r, str) and r.startswith("#"))]
    assert len(answers) >= len(calls) // 4, f"only {len(answers)} of {len(calls)} calls gave an answer"
