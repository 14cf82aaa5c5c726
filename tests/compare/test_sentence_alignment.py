"""The sentence alignment's length prior: whole arrays give a single cell's floats exactly."""

from __future__ import annotations

import math

import numpy as np
import pytest

from generator.compare.sentence_alignment import deviation, length_costs


def _one_cell(left: int, right: int, ratio: float) -> float:
    """Gale–Church's cost as the alignment computed it a cell at a time."""
    if left == 0 and right == 0:
        return 0.0
    tail = math.erfc(abs(deviation(left, right, ratio)) / math.sqrt(2))
    return -math.log(max(tail, 1e-12))


@pytest.mark.parametrize("ratio", [0.5, 0.93, 1.0, 1.17, 3.0])
def test_every_pair_costs_what_a_single_cell_does_to_the_last_bit(ratio: float) -> None:
    lengths = [0, 1, 2, 7, 40, 41, 99, 100, 250, 399, 2000]  # gaps, one-letter lines, long ones
    costs = length_costs(
        np.array(lengths, dtype=np.float64)[:, None],
        np.array(lengths, dtype=np.float64)[None, :],
        ratio,
    )
    assert costs.tolist() == [[_one_cell(a, b, ratio) for b in lengths] for a in lengths]


def test_two_gaps_cost_nothing_and_a_far_pair_is_capped() -> None:
    costs = length_costs(np.array([[0.0], [1.0]]), np.array([[0.0, 100000.0]]), 1.0)
    assert costs.tolist() == [[0.0, -math.log(1e-12)], [_one_cell(1, 0, 1.0), -math.log(1e-12)]]
