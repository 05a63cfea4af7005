"""A measure's contribution kept on its rows reads as the full array, zeros elsewhere."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.policy.row_parts import RowParts


def test_a_contribution_is_spread_on_its_rows_when_first_read() -> None:
    # 6 rows; "a" adds 10% on rows 1 and 4, "b" reaches row 2 and adds 0 there.
    parts = RowParts(
        6, {"a": (np.array([1, 4]), np.array([0.10, 0.25])), "b": (np.array([2]), np.array([0.0]))}
    )
    assert list(parts) == ["a", "b"] and len(parts) == 2
    assert parts["a"].tolist() == [0.0, 0.10, 0.0, 0.0, 0.25, 0.0]
    assert parts["b"].tolist() == [0.0] * 6
    assert parts["a"] is parts["a"]  # spread once
    rows, values = parts.on_rows("a")
    assert rows.tolist() == [1, 4] and values.tolist() == [0.10, 0.25]
    assert dict(parts.items()).keys() == {"a", "b"}
    with pytest.raises(KeyError):
        parts["c"]


def test_rows_and_values_must_agree() -> None:
    with pytest.raises(ValueError, match="2 rows but 1 values"):
        RowParts(6, {"a": (np.array([1, 4]), np.array([0.10]))})


def test_the_nonzero_rows_leave_out_zeros_and_keep_nan() -> None:
    # Rows 1, 2, 3, 5 reached; row 2 adds 0, row 3 adds -0, row 5 NaN (kept: not 0).
    at = np.array([1, 2, 3, 5])
    parts = RowParts(6, {"a": (at, np.array([0.10, 0.0, -0.0, np.nan]))})
    rows, values = parts.nonzero("a")
    assert rows.tolist() == [1, 5]
    assert values[0] == 0.10 and np.isnan(values[1])
    assert parts.nonzero("a")[0] is rows  # taken once
