"""Contract schedules: reserved capacity and committed spend, each contract ending on its own.

A schedule is a ring buffer (..., T) of amounts keyed by the quarter their contract ends in:
slot (turn % T) holds what ends once quarter `turn` has been played. Booking a contract of
`term` quarters signed in quarter `turn` adds to slot (turn + term - 1) % T. The totals
(`reserved_gw`, `commit_q`) are kept beside the schedule and `expire` takes what ends out of
them, so a quarter touches one slot per schedule instead of shifting all of it. T is at least
as long as any contract term.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

F = NDArray[np.float64]
I64 = NDArray[np.int64]


def _slot(ends: F, turn: I64, offset: I64 | int) -> I64:
    """Index array (..., 1) into a schedule for quarter `turn` + `offset`, world by world."""
    horizon = ends.shape[-1]
    per_world = turn.reshape(turn.shape + (1,) * (ends.ndim - 2))  # (W, 1, ...) against (W, L, P)
    return np.broadcast_to(((per_world + offset) % horizon)[..., None], (*ends.shape[:-1], 1))


def book(ends: F, amount: F, term: I64, turn: I64) -> None:
    """Add contracts of `amount`, signed in quarter `turn` for `term` quarters (in place).

    The caller adds `amount` to the total it keeps beside the schedule.
    """
    slot = _slot(ends, turn, np.clip(term, 1, ends.shape[-1]) - 1)
    current = np.take_along_axis(ends, slot, axis=-1)
    np.put_along_axis(ends, slot, current + amount[..., None], axis=-1)


def expire(ends: F, total: F, turn: I64) -> F:
    """Remove what ends once quarter `turn` is played; returns it (in place)."""
    slot = _slot(ends, turn, 0)
    ending = np.take_along_axis(ends, slot, axis=-1)[..., 0]
    np.put_along_axis(ends, slot, 0.0, axis=-1)
    total -= ending
    total[total < 1e-12] = 0.0  # rounding left over once every contract has ended
    return ending


def ending_after(ends: F, turn: I64) -> F:
    """What ends once quarter `turn` (the one being played) is over."""
    return np.take_along_axis(ends, _slot(ends, turn, 0), axis=-1)[..., 0]


def quarters_left(ends: F, turn: I64) -> I64:
    """Quarters until the last contract ends, counting the one being played (0: none)."""
    horizon = ends.shape[-1]
    ahead = (np.arange(horizon) - turn.reshape(turn.shape + (1,) * (ends.ndim - 1))) % horizon + 1
    return np.asarray(np.where(ends > 1e-12, ahead, 0).max(axis=-1), dtype=np.int64)
