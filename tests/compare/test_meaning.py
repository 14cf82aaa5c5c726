"""How many texts the encoder is given at a time."""

from __future__ import annotations

from generator.compare.meaning import _call_size


def test_calls_are_of_256_texts_unless_the_forked_worker_needs_more_of_them() -> None:
    assert [_call_size(n, one_core=True) for n in (10, 5000, 100_000)] == [256, 256, 256]
    # map_on_cores forks from 64 calls: from 64 calls of 64 texts, as many calls.
    assert [_call_size(n, one_core=False) for n in (4095, 4096, 6254, 16384, 100_000)] == [
        256,
        64,
        97,
        256,
        256,
    ]
