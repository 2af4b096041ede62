"""Contract schedules agree with a plain list of contracts, each ending on its own."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine import contracts

HORIZON = 6

booking = st.tuples(
    st.floats(min_value=0.0, max_value=50.0, allow_nan=False),
    st.integers(min_value=1, max_value=HORIZON),
)
quarters = st.lists(st.lists(booking, max_size=3), min_size=1, max_size=20)


@settings(max_examples=200, deadline=None)
@given(history=quarters)
def test_schedule_matches_a_list_of_contracts(history: list[list[tuple[float, int]]]) -> None:
    ends = np.zeros((1, 1, 1, HORIZON))
    total = np.zeros((1, 1, 1))
    live: list[tuple[float, int]] = []  # (amount, last quarter it runs)
    for turn, signed in enumerate(history):
        now = np.array([turn])
        for amount, term in signed:
            contracts.book(ends, np.array([[[amount]]]), np.array([[[term]]]), now)
            total += amount
            live.append((amount, turn + term - 1))
        expected_total = sum(a for a, _ in live)
        assert abs(total[0, 0, 0] - expected_total) < 1e-9
        ending = sum(a for a, last in live if last == turn)
        assert abs(contracts.ending_after(ends, now)[0, 0, 0] - ending) < 1e-9
        lasts = [last - turn + 1 for a, last in live if a > 1e-12]
        assert contracts.quarters_left(ends, now)[0, 0, 0] == (max(lasts) if lasts else 0)
        gone = contracts.expire(ends, total, now)
        assert abs(gone[0, 0, 0] - ending) < 1e-9
        live = [(a, last) for a, last in live if last > turn]
        assert abs(total[0, 0, 0] - sum(a for a, _ in live)) < 1e-9
        assert total[0, 0, 0] >= 0.0


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
