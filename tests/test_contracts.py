"""Contract schedules agree with a plain list of contracts, each ending on its own."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine import contracts

HORIZON = 6

booking = st.tuples(
    # nothing, or a real contract (the schedule treats dust below 1e-12 GW as nothing)
    st.one_of(st.just(0.0), st.floats(min_value=1e-3, max_value=50.0)),
    st.integers(min_value=1, max_value=HORIZON),
)
quarters = st.lists(st.lists(booking, max_size=3), min_size=1, max_size=20)


@settings(max_examples=200, deadline=None)
@given(history=quarters)
@pytest.mark.parametrize("lag", [0, 4])
def test_schedule_matches_a_list_of_contracts(history: list[list[tuple[float, int]]], lag: int) -> None:
    """Two worlds sign the same contracts; the second is `lag` quarters later in its game."""
    ends = np.zeros((2, 1, 1, HORIZON))
    total = np.zeros((2, 1, 1))
    live: list[tuple[float, int]] = []  # (amount, last quarter it runs)
    for turn, signed in enumerate(history):
        now = np.array([turn, turn + lag])
        for amount, term in signed:
            contracts.book(ends, np.full((2, 1, 1), amount), np.full((2, 1, 1), term), now)
            total += amount
            live.append((amount, turn + term - 1))
        ending = sum(a for a, last in live if last == turn)
        lasts = [last - turn + 1 for a, last in live if a > 1e-12]
        assert np.allclose(total, sum(a for a, _ in live), atol=1e-9)
        assert np.allclose(contracts.ending_after(ends, now), ending, atol=1e-9)
        assert (contracts.quarters_left(ends, now) == (max(lasts) if lasts else 0)).all()
        gone = contracts.expire(ends, total, now)
        assert np.allclose(gone, ending, atol=1e-9)
        live = [(a, last) for a, last in live if last > turn]
        assert np.allclose(total, sum(a for a, _ in live), atol=1e-9)
        assert (total >= 0.0).all()


def test_worlds_keep_their_own_quarter() -> None:
    """Worlds at different quarters (a batch of branches) book and expire in their own slots."""
    ends = np.zeros((2, 1, 1, HORIZON))
    total = np.zeros((2, 1, 1))
    turn = np.array([0, 4])
    amount = np.array([[[1.0]], [[2.0]]])
    contracts.book(ends, amount, np.array([[[3]], [[3]]]), turn)
    total += amount
    assert contracts.quarters_left(ends, turn).ravel().tolist() == [3, 3]
    for _ in range(2):
        contracts.expire(ends, total, turn)
        turn += 1
    assert contracts.ending_after(ends, turn).ravel().tolist() == [1.0, 2.0]
    contracts.expire(ends, total, turn)
    assert total.ravel().tolist() == [0.0, 0.0]
    assert contracts.quarters_left(ends, turn + 1).ravel().tolist() == [0, 0]
