"""workbooks/lite/main.py in real Pyodide, the runtime of xlwings Lite, with the real xlwings wheel for it.

The npm package `pyodide` (pinned in tests/pyodide/package-lock.json) and the xlwings wheel built for its
platform (pinned with its hash in tests/pyodide/requirements.txt) are installed through npm and pip into a
cache (~/.cache/zorginkoop-pyodide, one folder per version), once. Node.js then runs tests/pyodide/run.mjs:
Pyodide is loaded once, main.py is loaded as xlwings Lite loads it (tests/pyodide/lite_runtime.py) and every
call is made in one go, through xlwings' own call path, with the arguments shaped as Office.js sends them:
2-D ranges, empty cells as null or "", error cells as error objects, Dutch number texts. Each answer must
equal CPython's `toolkit.udfs` on the arguments the function received, to the last digit.

Without Node.js (or npm) the tests skip with that reason; under CI=true they fail (.ci/run installs Node.js).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any, NoReturn

import pytest
from lite_calls import QUARTERS, RANGES, is_range, plain, value

from toolkit import udfs
from toolkit.dates import excel_serial

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "tests" / "pyodide"
MAIN = ROOT / "workbooks" / "lite" / "main.py"
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "zorginkoop-pyodide"
CALLS_PER_FUNCTION = 30
# The xlwings release pinned (with its hash) in tests/pyodide/requirements.txt.
XLWINGS = re.findall(r"^xlwings==(\S+)", (HERE / "requirements.txt").read_text(encoding="utf-8"), re.MULTILINE)[0]


def _unavailable(reason: str) -> NoReturn:
    """Missing Node.js is a failure under CI=true and a skip (with the reason) elsewhere, like LibreOffice."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; .ci/run installeert nodejs en npm")
    pytest.skip(f"{reason}; deze test draait main.py in Pyodide, de runtime van xlwings Lite")


def _lock() -> dict[str, Any]:
    lock: dict[str, Any] = json.loads((HERE / "package-lock.json").read_text(encoding="utf-8"))
    return lock


def _node() -> str:
    """The node binary, when it is as new as the pinned Pyodide asks (its package's `engines`)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        _unavailable("Node.js (node en npm) is niet geïnstalleerd")
    wanted = _lock()["packages"]["node_modules/pyodide"]["engines"]["node"]  # ">=18.0.0"
    found = subprocess.run([node, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    if _version(found) < _version(wanted):
        _unavailable(f"Node.js {found} is ouder dan Pyodide vraagt ({wanted})")
    return node


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def _run(command: list[str], cwd: Path, what: str) -> None:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        pytest.fail(f"{what} failed ({' '.join(command)}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")


def _cached(name: str, fill: Any) -> Path:
    """CACHE/name, made once by `fill(folder)` in a temporary folder renamed into place (so that a run that
    stops half-way, or two runs at once, never leave half a folder behind)."""
    target = CACHE / name
    if target.is_dir():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=CACHE, prefix=f".{name}-"))
    try:
        fill(work)
        try:
            work.rename(target)
        except OSError:  # another run got there first
            if not target.is_dir():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def _pyodide() -> Path:
    """node_modules/pyodide as `npm ci` installs it from the committed lock (integrity hashes checked)."""
    version = _lock()["packages"]["node_modules/pyodide"]["version"]
    digest = hashlib.sha256((HERE / "package-lock.json").read_bytes()).hexdigest()[:12]

    def install(folder: Path) -> None:
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(HERE / name, folder / name)
        _run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"], folder, "npm ci (Pyodide)")

    return _cached(f"pyodide-{version}-{digest}", install) / "node_modules" / "pyodide"


def _xlwings_wheel(pyodide: Path) -> Path:
    """The xlwings wheel for this Pyodide's platform, downloaded with pip (hash checked), as Lite installs it."""
    info = json.loads((pyodide / "pyodide-lock.json").read_text(encoding="utf-8"))["info"]
    platform = f"pyemscripten_{info['abi_version']}_{info['arch']}"  # pyemscripten_2026_0_wasm32
    python = ".".join(info["python"].split(".")[:2])  # 3.14

    def download(folder: Path) -> None:
        _run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--platform", platform,
              "--python-version", python, "--implementation", "cp", "--abi", f"cp{python.replace('.', '')}",
              "--require-hashes", "-r", str(HERE / "requirements.txt"), "-d", str(folder),
              "--disable-pip-version-check", "--no-input"], folder, f"pip download of the xlwings wheel for {platform}")

    (wheel,) = _cached(f"xlwings-{XLWINGS}-{platform}", download).glob("xlwings-*.whl")
    return wheel


# --- the calls, shaped as Office.js hands them to xlwings --------------------------------------------------

ERROR_CELLS = [{"type": "Error", "basicValue": shown, "errorType": kind}
               for shown, kind in (("#N/A", "NotAvailable"), ("#DIV/0!", "Div0"), ("#VALUE!", "Value"))]
# Numbers typed as text the Dutch way (SPEC "Numbers as typed"), mixed into every argument now and then.
DUTCH_TEXTS = ["1.000", "12,5", "€ 1.234,56", "85%", "0,85", "2.080", "1.200.000", " 3 ", "3,1%", "2027", "-1,5"]


def _cell(rng: random.Random, plain: Any, messy: bool) -> Any:
    """One cell: an empty one is null or ""; in a messy call one in thirty is an error or a Dutch number text."""
    if messy and rng.random() < 0.035:
        return rng.choice(ERROR_CELLS + DUTCH_TEXTS)
    if plain is None:
        return rng.choice([None, ""])
    return plain


def _matrix(rng: random.Random, values: Any, shape: str, messy: bool) -> list[list[Any]]:
    """A range of cells: a column, a row or a block two cells wide (read row by row); one value is one cell."""
    cells = [_cell(rng, plain, messy) for plain in (values if isinstance(values, list) else [values])]
    if shape == "row":
        return [cells]
    if shape == "block":
        cells += [None] * (len(cells) % 2)
        return [cells[i:i + 2] for i in range(0, len(cells), 2)]
    return [[cell] for cell in cells]


def _paired_rows(rng: random.Random) -> tuple[list[Any], list[Any]]:
    """Postcodes and their client counts row by row, as a sheet that is in order has them (some rows empty)."""
    codes = [c for c in RANGES["postcodes"] if c is not None]
    counts = [c for c in RANGES["clienten"] if c is not None]
    rows = [(None, None) if rng.random() < 0.15 else (rng.choice(codes), rng.choice(counts))
            for _ in range(rng.randrange(1, 9))]
    return [code for code, _ in rows], [count for _, count in rows]


def excel_calls() -> list[dict[str, Any]]:
    """CALLS_PER_FUNCTION calls of every function: most of them messy (junk, error cells, Dutch texts, ranges of
    unequal length), the others as a sheet in order gives them, so that every function also gives answers."""
    rng = random.Random(2027)
    calls = []
    for function in udfs.FUNCTIONS:
        names = list(function.__arg_docs__)  # type: ignore[attr-defined]
        required = function.__code__.co_argcount - len(function.__defaults__ or ())
        for _ in range(CALLS_PER_FUNCTION):
            messy = rng.random() < 0.6
            shape = rng.choice(["column", "column", "row", "block"])
            junk = 0.08 if messy else 0.0
            values: dict[str, Any] = {}
            for name in names:
                if name in QUARTERS and rng.random() < 0.4:
                    values[name] = [value(rng, name, False, junk) for _ in range(4)]
                else:
                    values[name] = value(rng, name, is_range(function.__name__, name), junk)
            if not messy and "postcodes" in values:
                values["postcodes"], values["clienten"] = _paired_rows(rng)
            args = [_matrix(rng, values[name], shape, messy) if isinstance(values[name], list)
                    else [[_cell(rng, values[name], messy)]] for name in names]
            if rng.random() < 0.25:  # optional arguments left out at the end, as Excel allows
                args = args[:rng.randrange(required, len(args) + 1)]
            calls.append({"func_name": function.__name__, "args": args, "version": XLWINGS, "client": "Office.js",
                          "runtime": "1.5", "culture_info_name": "nl-NL", "date_format": "d-M-yyyy",
                          "caller_address": "Blad1!B2"})
    return calls


@pytest.fixture(scope="session")
def pyodide_run() -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Pyodide loaded once; main.py registered and every call made in one run of the runner."""
    node = _node()
    pyodide = _pyodide()
    wheel = _xlwings_wheel(pyodide)
    calls = excel_calls()
    done = subprocess.run([node, str(HERE / "run.mjs"), str(pyodide), str(wheel), str(HERE / "lite_runtime.py"),
                           str(MAIN)], input=json.dumps(calls), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return calls, json.loads(done.stdout)


def test_pyodide_has_nothing_but_the_standard_library_and_xlwings(pyodide_run: Any) -> None:
    _, output = pyodide_run
    environment = output["environment"]
    assert environment["python"].startswith("3.14") and environment["pyodide"] == "314.0.8"
    assert environment["distributions"] == ["xlwings"]
    # Pyodide's own modules, xlwings, and main.py with the toolkit it serves itself: no NumPy, nothing else.
    assert set(environment["modules"]) <= {"__main__", "_pyodide", "_pyodide_core", "pyodide", "pyodide_js", "js",
                                           "xlwings", "xlwingslib", "main", "toolkit"}, environment["modules"]


def test_every_function_registers_with_its_dutch_help(pyodide_run: Any) -> None:
    _, output = pyodide_run
    registered = {f["id"]: f for f in output["meta"]["functions"]}
    assert sorted(registered) == sorted(f.__name__ for f in udfs.FUNCTIONS)
    for function in udfs.FUNCTIONS:
        meta = registered[function.__name__]
        assert meta["name"] == function.__name__
        assert meta["description"] == function.__doc__  # the Dutch help, placeholders filled from the data
        docs = function.__arg_docs__  # type: ignore[attr-defined]
        assert [p["name"] for p in meta["parameters"]] == list(docs)
        assert [p["description"] for p in meta["parameters"]] == list(docs.values())
        optional = list(docs)[function.__code__.co_argcount - len(function.__defaults__ or ()):]
        assert [p["name"] for p in meta["parameters"] if p.get("optional")] == optional, function.__name__


def test_every_call_answers_as_cpython_to_the_last_digit(pyodide_run: Any) -> None:
    calls, output = pyodide_run
    results = output["results"]
    assert len(calls) == len(results) >= 400
    answers: Counter[str] = Counter()
    for data, result in zip(calls, results, strict=True):
        name = data["func_name"]
        assert "error" not in result, (name, data["args"], result)
        assert "not_json" not in json.dumps(result), (name, result)  # e.g. a JsNull the function was handed
        answer = getattr(udfs, name)(*result["args"], **result["kwargs"])
        expected, found = plain(answer), result["value"]
        assert type(found) is type(expected) and found == expected, (name, result["args"], found, expected)
        if isinstance(found, float):
            assert math.isfinite(found) and found.hex() == expected.hex()
        if isinstance(answer, dt.date):
            # xlwings sends a date as its serial number with the workbook's short date format: Excel shows a date.
            shown = {"type": "FormattedNumber", "basicValue": float(excel_serial(answer)),
                     "numberFormat": data["date_format"]}
            assert result["excel"] == [[shown]], (name, result)
        else:
            assert result["excel"] == [[found]], (name, result)  # what reaches the cell is the value itself
        if not (isinstance(found, str) and found.startswith("#")):
            answers[name] += 1
    # The calls reached real answers for every function, not only error texts.
    for function in udfs.FUNCTIONS:
        assert answers[function.__name__] >= CALLS_PER_FUNCTION // 6, (function.__name__, answers)
    assert sum(answers.values()) >= len(calls) // 3, answers
