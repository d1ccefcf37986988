"""The toolkit's layering, read from its source: every import of `toolkit/` goes down the floors (or stays
inside its own package), none makes a cycle, none reaches for a private name of another package, and an
import inside a function says why it is there (start-up cost).

The floors, lowest first: the base modules (numbers, errors, dates, …) < `parameters` < `rules` < `claims`
and `udfs` (side by side: neither imports the other) < `workbook` (which builds the Excel-function files from
`udfs`) < `cli`. A new module that breaks this fails here with the import that does.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "toolkit"
# The floor of each top-level part of the toolkit; anything not named is a base module (floor 0).
FLOORS = {"parameters": 1, "rules": 2, "claims": 3, "udfs": 3, "workbook": 4, "cli": 5}
# Marks a module whose imports inside functions all have the reason given at the top of the module.
LAZY_MARK = "# Imports inside functions:"


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported toolkit module
    names: tuple[str, ...]
    line: int
    in_function: bool
    commented: bool


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(name: str) -> bool:
    relative = Path(*name.split(".")[1:]) if "." in name else Path()
    return (PACKAGE / relative / "__init__.py").is_file() or (PACKAGE / relative.with_suffix(".py")).is_file() \
        if name != "toolkit" else True


def _imports() -> list[Import]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        tree = ast.parse(text)
        lazy_module = any(line.startswith(LAZY_MARK) for line in lines)
        in_function = {id(n) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
                       for n in ast.walk(f)}
        type_checking = {id(n) for node in ast.walk(tree)
                         if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
                         for n in ast.walk(node)}
        for node in ast.walk(tree):
            if id(node) in type_checking or not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            commented = lazy_module or _commented(lines, node.lineno)
            if isinstance(node, ast.Import):
                targets = [(alias.name, ()) for alias in node.names if alias.name.split(".")[0] == "toolkit"]
            elif node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
                names = tuple(alias.name for alias in node.names)
                submodules = [f"{target}.{n}" for n in names if _is_module(f"{target}.{n}")]
                targets = [(s, ()) for s in submodules] + [(target, tuple(n for n in names
                                                                             if f"{target}.{n}" not in submodules))]
            elif node.module and node.module.split(".")[0] == "toolkit":
                targets = [(node.module, tuple(alias.name for alias in node.names))]
            else:
                continue
            for target, names in targets:
                found.append(Import(module, target, names, node.lineno, id(node) in in_function, commented))
    return found


def _commented(lines: list[str], lineno: int) -> bool:
    """A comment on the import's line, or above it (above the block of imports it belongs to)."""
    if "#" in lines[lineno - 1]:
        return True
    for line in reversed(lines[: lineno - 1]):
        text = line.strip()
        if text.startswith("#"):
            return True
        if text and not text.startswith(("from ", "import ", ")")) and not text.endswith(","):
            return False
    return False


IMPORTS = _imports()


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _floor(module: str) -> int:
    return FLOORS.get(_part(module), 0)


def test_the_imports_are_read() -> None:
    # The walk must see the toolkit's real structure, or every test below passes on nothing.
    assert len(IMPORTS) > 150
    assert any(i.source.startswith("toolkit.cli.") and i.target.startswith("toolkit.claims") for i in IMPORTS)
    assert any(i.source.startswith("toolkit.rules.ratio") and i.target == "toolkit.parameters" for i in IMPORTS)


def test_every_import_goes_down_a_floor_or_stays_in_its_package() -> None:
    wrong = [f"{i.source}:{i.line} imports {i.target}" for i in IMPORTS
             if i.source != "toolkit" and _part(i.source) != _part(i.target) and _floor(i.target) >= _floor(i.source)
             and _floor(i.target) > 0]
    assert not wrong, "\n".join(wrong)


def test_no_module_imports_a_private_name_of_another_package() -> None:
    wrong = [f"{i.source}:{i.line} imports {name} from {i.target}" for i in IMPORTS for name in i.names
             if name.startswith("_") and not name.startswith("__") and _part(i.source) != _part(i.target)]
    assert not wrong, "\n".join(wrong)


def test_no_import_cycle() -> None:
    """Cycles among the modules' own imports (a package importing its submodules is how Python works and is
    left out; a submodule importing its package back is a cycle)."""
    graph: dict[str, set[str]] = {}
    for i in IMPORTS:
        if i.target != i.source and not i.target.startswith(f"{i.source}."):
            graph.setdefault(i.source, set()).add(i.target)
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt):], nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)


def test_an_import_inside_a_function_says_why() -> None:
    wrong = [f"{i.source}:{i.line} imports {i.target}" for i in IMPORTS if i.in_function and not i.commented]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("module", sorted({i.source for i in IMPORTS if i.source.startswith("toolkit.rules")}))
def test_a_rule_imports_no_heavy_library(module: str) -> None:
    """Rules are pure and run in xlwings Lite: the standard library and the toolkit's base only."""
    path = next(p for p in PACKAGE.rglob("*.py") if _module_name(p) == module)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    heavy = {"numpy", "pyarrow", "openpyxl", "yaml", "python_calamine", "typer", "rich", "pandas", "polars"}
    used = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    used |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
             and node.module and not node.level}
    assert not used & heavy, (module, used & heavy)
