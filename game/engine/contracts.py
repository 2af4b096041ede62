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

from game.engine.state import State

F = NDArray[np.float64]
I64 = NDArray[np.int64]
B = NDArray[np.bool_]


def _index(ends: F, turn: I64, offset: I64 | int) -> I64:
    """Flat indices into `ends` of the slot for quarter `turn` + `offset`, one per contract row.

    Flat indexing of a C-contiguous schedule touches one element per row; it is several times
    faster than `take_along_axis`, which builds an index array for every axis.
    """
    horizon, rows = ends.shape[-1], ends.shape[:-1]
    per_world = turn.reshape(turn.shape + (1,) * (len(rows) - 1))  # (W, 1, ...) against (W, L, P)
    slot = np.broadcast_to((per_world + offset) % horizon, rows)
    return np.asarray(np.arange(slot.size) * horizon + slot.ravel(), dtype=np.int64)


def _flat(ends: F) -> F:
    if not ends.flags.c_contiguous:
        raise ValueError("a contract schedule must be a C-contiguous array to be written in place")
    return ends.reshape(-1)


def _common_slot(ends: F, turn: I64) -> int | None:
    """The slot of quarter `turn` when every world is at the same quarter (the usual case)."""
    first = int(turn.flat[0]) if turn.size else 0
    return first % ends.shape[-1] if bool((turn == first).all()) else None


def book(ends: F, amount: F, term: I64, turn: I64) -> None:
    """Add contracts of `amount`, signed in quarter `turn` for `term` quarters (in place).

    Only the rows with something to book are touched. The caller adds `amount` to the total it
    keeps beside the schedule.
    """
    flat, rows_shape, horizon = _flat(ends), ends.shape[:-1], ends.shape[-1]
    amount_r = np.broadcast_to(amount, rows_shape).ravel()
    rows = np.flatnonzero(amount_r)
    if rows.size == 0:
        return
    per_world = turn.reshape(turn.shape + (1,) * (len(rows_shape) - 1))
    turn_r = np.broadcast_to(per_world, rows_shape).ravel()[rows]
    term_r = np.broadcast_to(term, rows_shape).ravel()[rows]
    slot = (turn_r + np.clip(term_r, 1, horizon) - 1) % horizon
    flat[rows * horizon + slot] += amount_r[rows]  # one index per row: no repeats


def running_clock(turn: I64, done: B) -> I64:
    """`turn` for schedule lookups, with finished worlds put at the quarter of the running ones
    when those all share one (as in a batch of games started together).

    A finished world passes through a quarter unchanged (the step restores it afterwards), so
    what a schedule gives or does for it does not matter; with one quarter for every world, the
    schedules read and write a single slot instead of one per row.
    """
    running = turn[~done]
    if done.any() and running.size and bool((running == running[0]).all()):
        return np.full_like(turn, running[0])
    return turn


def expire(ends: F, total: F, turn: I64, keep: B | None = None) -> F:
    """Remove what ends once quarter `turn` is played; returns it (in place).

    Worlds flagged in `keep` (W,) keep those contracts on the books: a game that ends with this
    quarter is judged on the lab as it stood in it, with the contracts it ran on.
    """
    k = _common_slot(ends, turn)
    if k is not None:
        ending = ends[..., k].copy()
        if keep is not None:
            ending[keep] = 0.0
        ends[..., k] -= ending  # x - x is exactly 0: an expired slot is empty again
    else:
        flat, idx = _flat(ends), _index(ends, turn, 0)
        ending = flat[idx].reshape(ends.shape[:-1])
        if keep is not None:
            ending[keep] = 0.0
        flat[idx] -= ending.ravel()
    total -= ending
    total[total < 1e-12] = 0.0  # rounding left over once every contract has ended
    return ending


def ending_after(ends: F, turn: I64) -> F:
    """What ends once quarter `turn` (the one being played) is over."""
    k = _common_slot(ends, turn)
    if k is not None:
        return ends[..., k].copy()
    return ends.reshape(-1)[_index(ends, turn, 0)].reshape(ends.shape[:-1])


def quarters_left(ends: F, turn: I64) -> I64:
    """Quarters until the last contract ends, counting the one being played (0: none)."""
    horizon = ends.shape[-1]
    ahead = (np.arange(horizon) - turn.reshape(turn.shape + (1,) * (ends.ndim - 1))) % horizon + 1
    return np.asarray(np.where(ends > 1e-12, ahead, 0).max(axis=-1), dtype=np.int64)


def add_reserved(s: State, gw: F, price: F) -> None:
    """Add reserved capacity `gw` bought at `price` to the books (in place): the lab pays the
    average price of its contracts with each provider. The contracts' schedules are the caller's."""
    merged = s.reserved_gw + gw
    s.reserved_price[...] = np.where(
        gw > 0,
        (s.reserved_gw * s.reserved_price + gw * price) / np.maximum(merged, 1e-12),
        s.reserved_price,
    )
    s.reserved_gw[...] = merged


def cloud_bills(s: State) -> tuple[F, F]:
    """Each provider's bill for a quarter (W, L, P) under the contracts in force: its reserved
    capacity at its price (under any cost shock), and what a take-or-pay commitment adds above
    that. Their sum is what the contracts bind the lab to pay each quarter while they last."""
    reserved = s.reserved_gw * s.reserved_price * s.cost_shock[:, None, None]
    return reserved, np.maximum(0.0, s.commit_q - reserved)
