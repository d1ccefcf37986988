"""Readable YAML cases (tests/cases/*.yaml) run against the rules."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from toolkit import assess_cooperative, index_nachtzorg_budget, staffel_reimbursement

CASES = Path(__file__).parent / "cases"


def load(name: str) -> list[Any]:
    cases = yaml.safe_load((CASES / name).read_text(encoding="utf-8"))
    return [pytest.param(case["args"], case["expect"], id=case["name"]) for case in cases]


def dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@pytest.mark.parametrize(("args", "expect"), load("staffel.yaml"))
def test_staffel_cases(args: dict[str, Any], expect: dict[str, Any]) -> None:
    args = dict(args)
    budget = args.pop("granted_budget")
    outcome = staffel_reimbursement(budget, args.pop("score_previous"), args.pop("score_current", None), **args)
    assert outcome.percentage == dec(expect["percentage"])
    assert outcome.eligible is expect["eligible"]
    assert outcome.amount == dec(expect["amount"])
    assert outcome.reason


@pytest.mark.parametrize(("args", "expect"), load("nachtzorg.yaml"))
def test_nachtzorg_cases(args: dict[str, Any], expect: dict[str, Any]) -> None:
    args = dict(args)
    result = index_nachtzorg_budget(args.pop("budget"), **args)
    assert result.indexed_budget == dec(expect["indexed_budget"])
    assert result.reimbursed == dec(expect["reimbursed"])
    assert str(result.factor).startswith(expect["factor_prefix"])


@pytest.mark.parametrize(("args", "expect"), load("cooperatie.yaml"))
def test_cooperative_cases(args: dict[str, Any], expect: dict[str, Any]) -> None:
    result = assess_cooperative(**args)
    assert result.meets is expect["meets"]
    assert result.max_clients == expect["max_clients"]
    if "required_fte" in expect:
        assert result.required_fte == dec(expect["required_fte"])
    if "required_fte_prefix" in expect:
        assert str(result.required_fte).startswith(expect["required_fte_prefix"])
    if "shortfall_fte" in expect:
        assert result.shortfall_fte == dec(expect["shortfall_fte"])
