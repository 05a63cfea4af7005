"""Line-engine steps computed once per distinct input inside ``shared_steps``, else every time."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.policy.line_steps import remembered, shared_steps


def test_outside_the_block_every_call_computes() -> None:
    calls: list[int] = []
    for _ in range(3):
        remembered(("k",), (), lambda: calls.append(1))
    assert len(calls) == 3


def test_inside_the_block_a_key_is_computed_once_and_forgotten_after() -> None:
    calls: list[int] = []

    def compute() -> np.ndarray:
        calls.append(1)
        return np.arange(3.0)

    with shared_steps():
        first = remembered(("k",), (), compute)
        again = remembered(("k",), (), compute)
        other = remembered(("other",), (), compute)
    assert again is first and other is not first
    assert len(calls) == 2
    with shared_steps():
        remembered(("k",), (), compute)
    assert len(calls) == 3  # a new block remembers nothing of the last


def test_shared_arrays_are_read_only() -> None:
    # A caller writing into a shared array would change every later regime's: it must fail.
    with shared_steps():
        rows, scope = remembered(("k",), (), lambda: (np.arange(3), np.ones(3)))
        with pytest.raises(ValueError, match="read-only"):
            scope[0] = 2.0
        with pytest.raises(ValueError, match="read-only"):
            rows[0] = 1
