"""Compute capacity in a quarter: the pipeline delivers owned capacity, new owned orders are
placed and paid for in instalments, reserved contracts are signed and spot capacity bought, all
at prices and fills set by the scarcity the quarter began with.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from game.engine import contracts, market
from game.engine.actions import Actions
from game.engine.params import Params
from game.engine.small import sum_last
from game.engine.state import State

F = NDArray[np.float64]
I64 = NDArray[np.int64]


@dataclass(frozen=True)
class Capacity:
    """The quarter's capacity: owned GW delivered and ordered (W, L, O) with the lead times that
    applied (W, O), reserved GW contracted (W, L, P), spot GW asked for and got and its cost, and
    the capital spending due (W, L)."""

    delivered: F
    ordered: F
    lead: I64
    reserved: F
    spot_asked: F
    spot_got: F
    spot_cost: F
    capex: F


def place(p: Params, s: State, a: Actions, scarcity: F, clock: I64) -> Capacity:
    """Deliver the pipeline and place the quarter's orders (in place on `s`)."""
    delivered = s.pipe[..., 0].copy()
    s.own[...] += delivered
    shift(s.pipe)
    capex = s.capex_due[..., 0].copy()
    shift(s.capex_due)

    lead = market.own_lead(p, s)  # (W, O)
    order = a.order_own
    cost = order * market.own_price(p, scarcity)[:, None, :]
    upfront = cost * p.options.upfront[None, None, :]
    if (order > 0).any():
        # the order comes online `lead` quarters on; the rest of its price is paid in equal
        # instalments this quarter and the following lead - 1 quarters
        instalment = (cost - upfront) / lead[:, None, :]
        capex = capex + sum_last(upfront) + sum_last(instalment)
        later = np.arange(p.market.max_lead - 1)
        for o in range(order.shape[-1]):  # only the labs that ordered: the others add nothing
            w_i, l_i = np.nonzero(order[..., o] > 0)
            lead_i = lead[w_i, o]
            s.pipe[w_i, l_i, o, lead_i - 1] += order[w_i, l_i, o]
            due = later[None, :] < (lead_i - 1)[:, None]  # instalments due in h + 1 quarters
            s.capex_due[w_i, l_i, :-1] += instalment[w_i, l_i, o, None] * due
    s.assets[...] = s.assets * (1.0 - p.costs.depreciation) + capex

    reserved = a.reserve_gw * market.reserved_fill(p, scarcity)[:, None, None]
    if (reserved > 0).any():
        contracts.add_reserved(s, reserved, market.cloud_price(p, scarcity)[:, None, :])
        contracts.book(s.reserved_ends, reserved, a.reserve_term, clock)
    spot_got = a.spot_gw * market.spot_fill(p, scarcity)[:, None]
    spot_cost = spot_got * market.spot_price(p, scarcity)[:, None] * s.cost_shock[:, None]
    return Capacity(delivered, order, lead, reserved, a.spot_gw, spot_got, spot_cost, capex)


def shift(schedule: F) -> None:
    """Move a schedule by one quarter along its last axis (in place): slot h + 1 becomes slot h,
    the last slot empties. One move over the whole array, as a flat buffer, instead of one per
    row; the slot that arrives from the next row is the last one, and it is emptied."""
    if schedule.flags.c_contiguous and schedule.size:
        flat = schedule.reshape(-1)  # a view: the array is contiguous
        flat[:-1] = flat[1:]
    else:
        schedule[..., :-1] = schedule[..., 1:]
    schedule[..., -1] = 0.0
