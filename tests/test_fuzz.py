"""Junk in, a Dutch refusal out: the number reading, the Excel functions and the whole public Python API,
fed arbitrary values by hypothesis. Nothing raises anything but a `ToolkitError` (the Excel functions
nothing at all), nothing takes longer than a second."""

from __future__ import annotations

import contextlib
import inspect
import math
import time
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import toolkit
from toolkit import udfs

NUMBERLIKE = st.one_of(
    st.from_regex(r"\A[-+€ ]{0,3}[0-9.,  ]{0,14}(e[-+]?[0-9]{1,7})?[ %€]{0,2}\Z", fullmatch=True),
    st.sampled_from(["1e999999", "1e5000", "9" * 400, "NaN", "inf", "-0", "١٢٣", "0x10", "1_000", "٫5"]),
)
JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True), st.text(max_size=40), NUMBERLIKE,
    st.sampled_from(["#N/A", "#DIV/0!", "ja", "nee", "A", "B", "C", "5611", "5611 AB", "85%", "2027", "lineair",
                     "seizoen", "additief", "nieuw", "", "   "]),
)
RANGE = st.one_of(JUNK, st.lists(JUNK, max_size=14), st.lists(st.lists(JUNK, min_size=1, max_size=3), max_size=6))
SECOND = 1.0


def timed(call: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    result = call(*args, **kwargs)
    return result, time.perf_counter() - start


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(NUMBERLIKE, st.text(max_size=80)), st.sampled_from(["money", "count", "fraction", "number"]))
def test_the_number_reading_reads_or_refuses(text: str, kind: str) -> None:
    start = time.perf_counter()
    try:
        value = toolkit.parse_number(text, kind=kind)
    except toolkit.InputError as err:
        assert str(err) and len(str(err)) < 300
    else:
        assert isinstance(value, int if kind == "count" else Decimal)
        assert value.is_finite() if isinstance(value, Decimal) else True
        assert abs(Decimal(value)) < Decimal(10) ** 16
    assert time.perf_counter() - start < SECOND


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_excel_functions_never_raise_and_answer_within_a_second(data: st.DataObject) -> None:
    for function in udfs.FUNCTIONS:
        parameters = inspect.signature(function).parameters.values()
        required = sum(1 for p in parameters if p.default is inspect.Parameter.empty)
        args = [data.draw(RANGE) for _ in range(data.draw(st.integers(required, len(parameters))))]
        result, seconds = timed(function, *args)
        assert seconds < SECOND, (function.__name__, args)
        assert isinstance(result, bool | int | float | str), (function.__name__, args, result)
        if isinstance(result, float):
            assert math.isfinite(result)
        if isinstance(result, str):
            assert "interne fout" not in result, (function.__name__, args, result)


def _public_functions() -> list[Any]:
    functions = []
    for name in toolkit.__all__:
        if name in {"ratio_from_claims", "production_from_claims", "core_area_share_from_claims"}:
            continue  # read files: the claims tests and the attack corpus feed them junk files
        value = getattr(toolkit, name)
        if inspect.isfunction(value):
            functions.append(value)
    return functions


PUBLIC = _public_functions()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_every_public_function_refuses_junk_with_a_toolkit_error(data: st.DataObject) -> None:
    function = data.draw(st.sampled_from(PUBLIC))
    signature = inspect.signature(function)
    args, kwargs = [], {}
    for parameter in signature.parameters.values():
        if parameter.default is inspect.Parameter.empty or data.draw(st.booleans()):
            value = data.draw(RANGE)
            if parameter.kind is inspect.Parameter.KEYWORD_ONLY:
                kwargs[parameter.name] = value
            else:
                args.append(value)
        elif parameter.kind is not inspect.Parameter.KEYWORD_ONLY:
            break  # leave the rest to their defaults
    start = time.perf_counter()
    with contextlib.suppress(toolkit.ToolkitError):  # anything else fails the test
        function(*args, **kwargs)
    assert time.perf_counter() - start < SECOND, (function.__name__, args, kwargs)


def test_every_public_function_is_exercised() -> None:
    names = {f.__name__ for f in PUBLIC}
    for expected in ("check_working_time", "assess_cooperative", "forecast_ceiling", "assess_own_delivery",
                     "staffel_reimbursement", "index_nachtzorg_budget", "assess_client_area_ratio", "parse_number",
                     "assess_additional_purchase", "cooperative_max_turnover", "weighted_index"):
        assert expected in names, expected
    assert toolkit.check_working_time([]) == ()
