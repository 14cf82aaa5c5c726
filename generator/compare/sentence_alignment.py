"""Align the sentences of a text and its translation: 1–1, 1–2, 2–1 and gaps, in order.

A dynamic programme over the two texts' sentences, as in Gale and Church
(1993), scores each bead by a length prior (a sentence and its translation
have lengths in proportion, with a variance that grows with the length) and,
unlike Gale–Church, by what the sentences mean: the cosine of their
multilingual vectors (`meaning.py`). Words are never compared across
languages.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from generator.compare.meaning import merged

# Gale–Church's variance of a translation's length per character.
_VARIANCE = 6.8
# Costs (lower is better). A sentence left without counterpart costs SKIP, so
# two sentences are paired 1–1 only when that beats leaving both out: when
# their similarity is above 1 - 2 * SKIP (0.4; unrelated sentences score under
# 0.4, translations 0.6–0.95 on the fixtures).
SKIP = 0.3
# A 1–2 or 2–1 bead must beat the 1–1 and the gap it replaces by this much:
# Gale and Church found them ten times rarer than 1–1 beads.
_MERGE = 0.15
# Weight of the length prior against meaning: a sentence twice its expected
# length costs about 0.3 more.
_LENGTH = 0.05
# Sentences within this many places of the proportional diagonal are compared:
# enough for every split and gap of a real translation, and linear time.
_BAND = 12


class Bead(NamedTuple):
    """Sentences of each text that translate each other (one side empty: a gap)."""

    left: tuple[int, ...]  # 0-based sentence indices into the left text
    right: tuple[int, ...]
    similarity: float  # cosine of their meanings; 0.0 for a gap


def deviation(left: int, right: int, ratio: float) -> float:
    """Gale–Church's delta: how many deviations `right` characters are over `left`'s share."""
    mean = (left + right / ratio) / 2
    return (right - left * ratio) / math.sqrt(max(mean, 1.0) * _VARIANCE)


_ERFC = np.frompyfunc(math.erfc, 1, 1)
_LOG = np.frompyfunc(math.log, 1, 1)


def length_costs(lefts: np.ndarray, rights: np.ndarray, ratio: float) -> np.ndarray:
    """Gale–Church's cost of every pair of `lefts` (a column) and `rights` (a row): -log
    of the two-sided chance that `right` characters translate `left` ones (0 for two gaps).

    Whole arrays at once, with `deviation`'s arithmetic in the same order (+, -,
    *, / and the square root are exactly rounded in numpy as in Python); erfc
    and log are the C library's, called from numpy's loop. Called a cell at a
    time, the prior was most of an alignment's time.
    (tests/compare/test_sentence_alignment.py checks the floats against a cell's.)
    """
    mean = (lefts + rights / ratio) / 2
    deviations = (rights - lefts * ratio) / np.sqrt(np.maximum(mean, 1.0) * _VARIANCE)
    tails = _ERFC(np.abs(deviations) / math.sqrt(2)).astype(np.float64)
    costs = -_LOG(np.maximum(tails, 1e-12)).astype(np.float64)
    return np.where((lefts == 0) & (rights == 0), 0.0, costs)


def _priors(
    left_lengths: list[int], right_lengths: list[int], ratio: float
) -> tuple[list[list[float]], list[list[float]], list[list[float]]]:
    """The length prior of the 1–1, 1–2 and 2–1 beads from each cell, as nested lists."""
    left = np.array(left_lengths, dtype=np.float64)
    right = np.array(right_lengths, dtype=np.float64)
    # Two neighbours read as one, with the space between them.
    left_two, right_two = left[:-1] + left[1:] + 1, right[:-1] + right[1:] + 1
    one = length_costs(left[:, None], right[None, :], ratio)
    right_merged = length_costs(left[:, None], right_two[None, :], ratio)
    left_merged = length_costs(left_two[:, None], right[None, :], ratio)
    return one.tolist(), right_merged.tolist(), left_merged.tolist()


def align_sentences(
    left_lengths: list[int],
    right_lengths: list[int],
    left_vectors: np.ndarray,
    right_vectors: np.ndarray,
) -> list[Bead]:
    """The cheapest in-order alignment of two texts' sentences, as beads in reading order."""
    n, m = len(left_lengths), len(right_lengths)
    ratio = (sum(right_lengths) or 1) / (sum(left_lengths) or 1)
    # Every bead's similarity at once: sentence against sentence, and against two
    # neighbours read as one (the 1–2 and 2–1 beads).
    one = left_vectors @ right_vectors.T if n and m else np.zeros((n, m))
    right_two = (left_vectors @ merged(right_vectors).T) if n and m > 1 else np.zeros((n, 0))
    left_two = (merged(left_vectors) @ right_vectors.T) if n > 1 and m else np.zeros((0, m))
    # Plain lists of Python floats: indexing a numpy array cell by cell cost more
    # than the rest of the loop (the same float32 values, read as floats).
    one_s, right_two_s, left_two_s = one.tolist(), right_two.tolist(), left_two.tolist()
    inf = math.inf
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, float] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    band = max(_BAND, abs(n - m) + 2)
    one_prior, right_two_prior, left_two_prior = _priors(left_lengths, right_lengths, ratio)
    # Each bead extends the path from (i, j): steps forward, never back. A cell
    # takes a step only if strictly cheaper: of two equal paths the first tried
    # (gaps before pairs) wins, the same on every machine. Written out inline:
    # a call per step was most of the alignments' time.
    for i in range(n + 1):
        centre = i * m / n if n else 0
        low, high = max(0, int(centre) - band), min(m, int(centre) + band + 1)
        row, below = cost[i], cost[i + 1] if i < n else None
        back_row, back_below = back[i], back[i + 1] if i < n else None
        for j in range(low, high + 1):
            here = row[j]
            if here == inf:
                continue
            if below is not None:
                value = here + SKIP
                if value < below[j]:
                    below[j] = value
                    back_below[j] = (1, 0, 0.0)
            if j < m:
                value = here + SKIP
                if value < row[j + 1]:
                    row[j + 1] = value
                    back_row[j + 1] = (0, 1, 0.0)
            if below is not None and j < m:
                s = one_s[i][j]
                c = 1 - s + _LENGTH * one_prior[i][j]
                value = here + c
                if value < below[j + 1]:
                    below[j + 1] = value
                    back_below[j + 1] = (1, 1, s)
            if below is not None and j + 1 < m:
                s = right_two_s[i][j]
                c = 1 - s + _MERGE + _LENGTH * right_two_prior[i][j]
                value = here + c
                if value < below[j + 2]:
                    below[j + 2] = value
                    back_below[j + 2] = (1, 2, s)
            if i + 1 < n and j < m:
                s = left_two_s[i][j]
                c = 1 - s + _MERGE + _LENGTH * left_two_prior[i][j]
                value = here + c
                further = cost[i + 2]
                if value < further[j + 1]:
                    further[j + 1] = value
                    back[i + 2][j + 1] = (2, 1, s)
    beads: list[Bead] = []
    i, j = n, m
    while i or j:
        step = back[i][j]
        assert step is not None  # the band always holds a path to the corner
        di, dj, s = step
        i, j = i - di, j - dj
        beads.append(Bead(tuple(range(i, i + di)), tuple(range(j, j + dj)), round(s, 4)))
    beads.reverse()
    return beads
