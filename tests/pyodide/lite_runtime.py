"""Runs inside Pyodide (tests/pyodide/run.mjs): what xlwings Lite sets up, then main.py loaded and called as it does.

Modelled on xlwings' own runtime for Pyodide (xlwings Server's `wasm/config.py` and `wasm/wasm_runtime.py`,
the open part of what the Lite add-in runs):
- `XLWINGS_ON_SERVER=true` before xlwings is imported: only then are `xlwings.func` / `xlwings.arg` the
  decorators that register custom functions (otherwise they are no-ops, as on Linux);
- a licence key in `XLWINGS_LICENSE_KEY` (the add-in carries its own; "noncommercial" is the key xlwings'
  own Pyodide tests use), without which `xlwings.server` does not import;
- main.py's text executed as a new module `main` (`importlib.util.spec_from_loader("main", loader=None)`,
  `exec`, `sys.modules["main"]`), `xlwings.server.custom_functions_meta(module)` for the registration, and
  every call through `xlwings.server.custom_functions_call(data.to_py(), module=...)` with the data as
  Office.js hands it over (every argument a 2-D array, empty cells null or "", error cells as objects).

Each call also records what the function itself received and returned, so that the test can call
CPython's `toolkit.udfs` with exactly those arguments. Everything goes back to Node as JSON text.
"""

import os

os.environ["XLWINGS_ON_SERVER"] = "true"
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import datetime
import functools
import importlib.metadata
import importlib.util
import json
import sys
import types

import xlwings
import xlwings.server

_module: types.ModuleType | None = None


def _plain(value: object) -> object:
    # A date (what CZ_TERMIJN returns before xlwings converts it) as tests/lite_calls.py `plain` writes it;
    # anything else that is not plain JSON (a JsNull that leaked through, a Decimal) is shown, not hidden.
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    return {"not_json": f"{type(value).__module__}.{type(value).__name__}: {value!r}"}


def _json(value: object) -> str:
    return json.dumps(value, default=_plain)


def load_main(source: str) -> str:
    """main.py as xlwings Lite loads it; the functions it registers, as Excel receives them."""
    global _module
    spec = importlib.util.spec_from_loader("main", loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    exec(source, module.__dict__)
    sys.modules["main"] = module
    _module = module
    return _json(xlwings.server.custom_functions_meta(module))


async def call(data_from_js: object) -> str:
    """One call as xlwings Lite makes it: {"args", "value", "excel"} or {"error"} when xlwings itself failed."""
    assert _module is not None
    data = data_from_js.to_py()  # type: ignore[attr-defined]
    function = getattr(_module, data["func_name"])
    seen: dict[str, object] = {}

    @functools.wraps(function)
    def recording(*args: object, **kwargs: object) -> object:
        seen["args"], seen["kwargs"] = list(args), kwargs
        seen["value"] = function(*args, **kwargs)
        return seen["value"]

    recording.__xlfunc__ = function.__xlfunc__  # type: ignore[attr-defined]
    try:
        excel = await xlwings.server.custom_functions_call(data, module=types.SimpleNamespace(
            **{data["func_name"]: recording}))
    except Exception as err:  # reported per call: the test names the call
        return _json({"error": f"{type(err).__name__}: {err}"})
    return _json({**seen, "excel": excel})


def environment() -> str:
    """Versions, the installed distributions and every non-standard module loaded: only xlwings and main.py."""
    loaded = sorted({name.partition(".")[0] for name in sys.modules} - set(sys.stdlib_module_names))
    return _json({
        "python": sys.version.split()[0],
        "xlwings": xlwings.__version__,
        "distributions": sorted(d.metadata["Name"] for d in importlib.metadata.distributions()),
        "modules": loaded,
    })
