"""What classic xlwings' "Import Functions" makes of `toolkit.udfs`, proven on Linux.

On Linux `xlwings.func/arg` are no-ops. The Windows decorators live in `xlwings.udfs`, which imports
only on Windows; with stub COM modules (pythoncom, pywintypes, win32com) it imports here too
(../shared/NOTES.md, "xlwings 0.37"). We put those decorators in place, reload `toolkit.udfs`, and run
xlwings' own `import_udfs` against a fake workbook that records the VBA module it imports and the
`MacroOptions` calls (function and argument help) it makes.
"""

from __future__ import annotations

import importlib
import inspect
import re
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import xlwings

import toolkit.udfs

EXPECTED = {  # INTERFACES.md, "Excel functions"
    "CZ_RATIO": ["postcodes", "clienten"],
    "CZ_RATIO_DREMPEL": ["jaar", "soort"],
    "CZ_RATIO_VOLDOET": ["postcodes", "clienten", "jaar", "soort"],
    "CZ_EXTRA_CLIENTEN": ["postcodes", "clienten", "jaar", "soort"],
    # Functions that depend on the policy year and had no `jaar` take it as an optional last argument.
    "CZ_STAFFEL_PCT": ["score_vorig_jaar", "score_contractjaar", "kostenpunten", "plafondvrij", "jaar"],
    "CZ_STAFFEL_VERGOEDING": ["budget", "score_vorig_jaar", "score_contractjaar", "kostenpunten", "plafondvrij",
                              "jaar"],
    "COOP_FTE_NODIG": ["clienten", "jaar"],
    "COOP_MAX_CLIENTEN": ["fte", "jaar"],
    "COOP_MAX_OMZET": ["uren", "uurtarief", "nacht", "jaar"],
    "NZ_GEWOGEN_INDEX": ["personeel", "materieel", "jaar"],
    "NZ_INDEXFACTOR": ["voorlopig_t", "voorlopig_t1", "definitief_t1", "methode", "jaar"],
    "NZ_BUDGET": ["begroting", "voorlopig_t", "voorlopig_t1", "definitief_t1", "zvw_aandeel", "methode", "jaar"],
    "CZ_PLAFOND_PROGNOSE": ["productie", "vorig_jaar", "methode", "jaar"],
    "CZ_PLAFOND_TEKORT": ["plafond", "productie", "vorig_jaar", "methode", "jaar"],
    "CZ_BIJCONTRACTERING": ["plafond", "productie", "score_vorig_jaar", "score_contractjaar", "kostenpunten",
                            "plafondvrij",
                            "vorig_jaar", "methode", "jaar"],
    "CZ_EIGEN_LEVERING": ["eigen", "volle_dochter", "zzp", "onderaannemers"],
    "CZ_TERMIJN": ["naam", "jaar"],
    "WERKDAGEN_NA": ["datum", "n"],
}


class _Recorder:
    """Stands in for the COM objects import_udfs touches: workbook, VBProject, Application."""

    def __init__(self) -> None:
        self.Name = "zorginkoop.xlsm"
        self.imported: list[str] = []
        self.macro_options: list[dict[str, Any]] = []
        self.VBProject = types.SimpleNamespace(VBComponents=self)
        self.Application = types.SimpleNamespace(Version="16.0", MacroOptions=self._macro_options)

    def __call__(self, name: str) -> str:  # VBComponents("xlwings_udfs")
        return name

    def Remove(self, component: object) -> None:
        pass

    def Import(self, path: str) -> None:
        self.imported.append(Path(path).read_text())

    def _macro_options(self, name: str, **options: Any) -> None:
        self.macro_options.append({"name": name, **options})


@pytest.fixture(scope="module")
def windows_udfs() -> Iterator[types.ModuleType]:
    stubs = {
        "pythoncom": types.SimpleNamespace(CoInitialize=lambda: None),
        "pywintypes": types.SimpleNamespace(com_error=OSError),
        "win32com": types.ModuleType("win32com"),
        "win32com.client": types.SimpleNamespace(Dispatch=lambda *a, **k: None),
    }
    saved_modules = {name: sys.modules.get(name) for name in [*stubs, "xlwings.udfs"]}
    saved_decorators = (xlwings.func, xlwings.arg, xlwings.ret)
    sys.modules.update(stubs)  # type: ignore[arg-type]
    try:
        xl_udfs = importlib.import_module("xlwings.udfs")
        xlwings.func, xlwings.arg, xlwings.ret = xl_udfs.xlfunc, xl_udfs.xlarg, xl_udfs.xlret
        module = importlib.reload(toolkit.udfs)
        xl_udfs.udf_modules["toolkit.udfs"] = {"module": module, "filetime": None, "filename": module.__file__}
        yield xl_udfs
    finally:
        xlwings.func, xlwings.arg, xlwings.ret = saved_decorators
        for name, mod in saved_modules.items():
            if mod is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = mod
        importlib.reload(toolkit.udfs)  # back to plain functions for the other tests


@pytest.fixture(scope="module")
def imported(windows_udfs: types.ModuleType) -> _Recorder:
    workbook = _Recorder()
    windows_udfs.import_udfs("toolkit.udfs", workbook)
    return workbook


def test_every_function_gets_a_vba_wrapper_with_its_arguments(imported: _Recorder) -> None:
    (vba,) = imported.imported
    for name, args in EXPECTED.items():
        signature = re.search(rf"^Function {name}\((.*)\)$", vba, re.MULTILINE)
        assert signature, f"{name} missing from the generated VBA"
        assert [a.replace("Optional ", "") for a in signature.group(1).split(", ")] == args
        assert f'XLPy.CallUDF("toolkit.udfs", "{name}", Array({", ".join(args)})' in vba
    assert len(re.findall(r"^Function ", vba, re.MULTILINE)) == len(EXPECTED)


def test_optional_arguments_are_optional_in_excel(imported: _Recorder) -> None:
    (vba,) = imported.imported
    assert ("Function CZ_STAFFEL_PCT(score_vorig_jaar, Optional score_contractjaar, Optional kostenpunten, "
            "Optional plafondvrij, Optional jaar)") in vba
    assert "Function CZ_RATIO_DREMPEL(Optional jaar, Optional soort)" in vba
    assert "Function NZ_BUDGET(begroting, voorlopig_t, voorlopig_t1, definitief_t1, Optional zvw_aandeel, " \
           "Optional methode, Optional jaar)" in vba


def test_function_wizard_help_is_dutch_and_fits(imported: _Recorder) -> None:
    options = {o["name"].split("!")[1]: o for o in imported.macro_options}
    assert set(options) == set(EXPECTED)
    for name, option in options.items():
        description = option["Description"]
        docstring = inspect.getdoc(getattr(toolkit.udfs, name))
        assert description == docstring and len(docstring) <= 255, name
        arg_docs = option["ArgumentDescriptions"]
        assert len(arg_docs) == len(EXPECTED[name])
        for doc in arg_docs:
            # xlwings' fallback text means an argument has no @arg(doc=...).
            assert not doc.startswith("Positional argument") and 0 < len(doc) <= 255, (name, doc)


def test_errors_arrive_as_text_not_as_empty_cells(windows_udfs: types.ModuleType) -> None:
    for name in EXPECTED:
        for arg in getattr(toolkit.udfs, name).__xlfunc__["args"]:
            assert arg["options"].get("err_to_str") is True, (name, arg["name"])
