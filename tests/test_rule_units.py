"""A rule is one unit: what a rule declares (`toolkit/rules/<rule>/__init__.py`, `RULE`) must reach every
surface, and each surface must come from a declaration. A new rule that lacks one fails here, naming what
is missing and where it belongs.

The surfaces: the Python exports of `toolkit`; the Excel functions (classic xlwings in `toolkit.udfs`, the
generated xlwings Lite file, docs/functies.md); the template (its spec, its formulas module beside the
rule, the committed workbook, example INPUTS for `zorginkoop demo`, seeded cases for the recalculation
proof); the parameter data of its topics, with a source; its section in docs/regels.md; and a test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import toolkit
from toolkit import udfs
from toolkit.parameters import load_topic
from toolkit.rules import RULES
from toolkit.rules.declaration import Rule
from toolkit.workbook.specs import SPECS

ROOT = Path(__file__).resolve().parents[1]
RULE_LIST = list(RULES.values())


def ids(rule: Rule) -> str:
    return f"{rule.number}-{rule.name}"


def test_the_rules_are_found_in_order() -> None:
    assert len(RULE_LIST) >= 6
    numbers = [r.number for r in RULE_LIST]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers), numbers
    packages = sorted(p.parent.name for p in (ROOT / "toolkit" / "rules").glob("*/__init__.py"))
    assert packages == sorted(r.name for r in RULE_LIST), "every package in toolkit/rules is a rule with a RULE"


@pytest.mark.parametrize("rule", RULE_LIST, ids=ids)
def test_its_python_functions_are_exported(rule: Rule) -> None:
    assert rule.exports, f"{rule.name}: RULE.exports names nothing"
    for name in rule.exports:
        assert name in toolkit.__all__, f"{name} (rule {rule.name}) is not in toolkit.__all__"
        assert getattr(toolkit, name) is getattr(__import__(f"toolkit.rules.{rule.name}", fromlist=[name]), name)


@pytest.mark.parametrize("rule", RULE_LIST, ids=ids)
def test_its_excel_functions_are_on_every_surface(rule: Rule) -> None:
    classic = {f.__name__ for f in udfs.FUNCTIONS}
    lite = (ROOT / "workbooks" / "lite" / "main.py").read_text(encoding="utf-8")
    reference = (ROOT / "docs" / "functies.md").read_text(encoding="utf-8")
    for function in rule.functions:
        assert function.name in classic, f"{function.name}: not in toolkit.udfs.FUNCTIONS"
        assert f"    {function.name},\n" in lite, (f"{function.name}: not in workbooks/lite/main.py "
                                                  "(run: python3 -m toolkit.workbook.lite)")
        assert f"\n## {function.name}\n" in reference, (f"{function.name}: not in docs/functies.md "
                                                        "(run: python3 -m toolkit.workbook.reference)")
        assert function.arguments and all(a.help for a in function.arguments), f"{function.name}: help per argument"


@pytest.mark.parametrize("rule", [r for r in RULE_LIST if r.template], ids=ids)
def test_its_template_is_built_proved_and_shown(rule: Rule) -> None:
    template = rule.template
    assert template is not None
    name = template.name
    assert name in SPECS
    formulas = ROOT / "toolkit" / "workbook" / "formulas" / f"{name}.py"
    assert formulas.is_file() and "def calculate(" in formulas.read_text(encoding="utf-8"), (
        f"{name}: its Excel formulas belong in toolkit/workbook/formulas/{name}.py (calculate)")
    assert (ROOT / "templates" / f"{name}.xlsx").is_file(), f"{name}: run python3 -m toolkit.workbook.build"
    assert (ROOT / "examples" / "invoer" / f"{name}.csv").is_file(), (
        f"{name}: example INPUTS for `zorginkoop demo` (examples/generate_inputs.py)")
    assert (ROOT / "tests" / "template_cases" / f"{name}.py").is_file(), (
        f"{name}: seeded cases for the recalculation proof in tests/template_cases/{name}.py")
    names = [i.name for i in template.inputs] + [o.name for o in template.outputs]
    assert len(names) == len(set(names))
    assert all(i.name.startswith("in_") for i in template.inputs)
    assert all(o.name.startswith("out_") for o in template.outputs)
    assert set(template.topics) <= set(rule.topics) | {t for r in RULE_LIST for t in r.topics}


@pytest.mark.parametrize("rule", RULE_LIST, ids=ids)
def test_its_parameters_are_data_with_a_source(rule: Rule) -> None:
    assert rule.topics, f"{rule.name}: RULE.topics names no parameter data"
    for insurer, name in rule.topics:
        topic = load_topic(insurer, name)  # a missing or broken file fails here, in Dutch
        assert topic.years, (insurer, name)
        for parameter in topic.parameters.values():
            for value in parameter.values.values():
                assert value.source.document and value.source.section, (name, parameter.name)


@pytest.mark.parametrize("rule", RULE_LIST, ids=ids)
def test_its_reading_is_explained_for_users(rule: Rule) -> None:
    regels = (ROOT / "docs" / "regels.md").read_text(encoding="utf-8")
    assert re.search(rf"^## {rule.number}\. ", regels, re.MULTILINE), (
        f"docs/regels.md has no section '## {rule.number}. …' for {rule.title}")


@pytest.mark.parametrize("rule", RULE_LIST, ids=ids)
def test_it_is_tested(rule: Rule) -> None:
    """Some test besides this one calls one of the rule's own functions."""
    sources = [p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("test_*.py")
               if p.name != Path(__file__).name]
    assert any(re.search(rf"\b{name}\b", text) for name in rule.exports for text in sources), (
        f"no test calls {', '.join(rule.exports)}")
