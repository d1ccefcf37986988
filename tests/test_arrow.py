"""toolkit._arrow: Arrow values built from raw buffers must equal what pyarrow itself builds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import _arrow as arrow

ROOT = Path(__file__).resolve().parents[1]
# The first pyarrow conversion in a process imports pandas (~0.4 s): no deadline for these.
INT_TYPES = [(pa.int8(), 7), (pa.int16(), 15), (pa.int32(), 31), (pa.int64(), 63)]


@pytest.mark.parametrize(("arrow_type", "bits"), INT_TYPES)
@settings(deadline=None)
@given(data=st.data())
def test_integer_arrays_equal_pyarrow(arrow_type: pa.DataType, bits: int, data: st.DataObject) -> None:
    values = data.draw(st.lists(st.none() | st.integers(-(2**bits), 2**bits - 1), max_size=40))
    built = arrow.array(values, arrow_type)
    built.validate(full=True)
    assert built.equals(pa.array(values, arrow_type))


@settings(deadline=None)
@given(st.lists(st.none() | st.text(max_size=12), max_size=40))
def test_string_arrays_equal_pyarrow(values: list[str | None]) -> None:
    built = arrow.array(values, pa.string())
    built.validate(full=True)
    assert built.equals(pa.array(values, pa.string()))


@settings(deadline=None)
@given(st.lists(st.none() | st.booleans(), max_size=70), st.integers(0, 20))
def test_bool_arrays_and_numpy_views(values: list[bool | None], start: int) -> None:
    built = arrow.array(values, pa.bool_())
    built.validate(full=True)
    assert built.equals(pa.array(values, pa.bool_()))
    filled = [bool(v) for v in values]
    sliced = arrow.array(filled, pa.bool_()).slice(start)  # an offset that is no multiple of 8
    assert arrow.to_numpy(sliced).tolist() == filled[start:]


@settings(deadline=None)
@given(st.lists(st.integers(-(2**31), 2**31 - 1), max_size=40), st.integers(0, 10))
def test_numbers_round_trip_through_numpy(values: list[int], start: int) -> None:
    array = arrow.from_numpy(np.array(values, np.int64)).slice(start)
    assert array.equals(pa.array(values[start:], pa.int64()))
    assert arrow.to_numpy(array).tolist() == values[start:]
    assert arrow.to_numpy(pa.array(values, pa.int32()).slice(start)).tolist() == values[start:]


def test_scalars_and_refusals() -> None:
    assert arrow.scalar(-1, pa.int16()).equals(pa.scalar(-1, pa.int16()))
    assert arrow.TRUE.as_py() is True and arrow.FALSE.as_py() is False and arrow.EMPTY.as_py() == ""
    with pytest.raises(ValueError):
        arrow.to_numpy(pa.array([1, None]))
    with pytest.raises(TypeError):
        arrow.array([1.5], pa.float32())
    with pytest.raises(TypeError):
        arrow.from_numpy(np.array(["x"]))


def test_reading_a_csv_does_not_import_pandas() -> None:
    # pandas costs ~0.3 s of start-up that `zorginkoop ratio` on a CSV never needs (toolkit/_arrow.py).
    code = ("import sys; from toolkit.claims import ratio_from_claims; "
            "r = ratio_from_claims(sys.argv[1], year=2027, skip_invalid=True); "
            "assert r.providers and r.to_dict(); print('pandas' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, str(ROOT / "examples" / "declaraties_2025.csv")],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip() == "False"
