"""The compute market: prices, lead times and rationing as functions of scarcity.

Scarcity is demand for compute (everyone's cloud contracts, spot requests and a share of the
capacity under construction) over supply (global cloud capacity, cut by shocks). Every price and
lead time below is a function of it, so the same scarcity the player sees on the dashboard is what
prices their next order.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from game.engine.params import KIND_CHIPS, KIND_DC, Params
from game.engine.small import sum_last
from game.engine.state import State

F = NDArray[np.float64]
I64 = NDArray[np.int64]


def cloud_price(p: Params, scarcity: F) -> F:
    """Reserved price per GW-quarter by provider: (W, P)."""
    return p.providers.base_price[None, :] * scarcity[:, None] ** p.market.cloud_price_elasticity


def spot_price(p: Params, scarcity: F) -> F:
    """Spot price per GW-quarter: (W,)."""
    base = float(np.mean(p.providers.base_price)) * p.market.spot_discount
    return base * scarcity**p.market.spot_price_elasticity


def reserved_fill(p: Params, scarcity: F) -> F:
    """Share of a reserved order the providers can deliver now: (W,)."""
    return np.minimum(1.0, p.market.reserved_fill_scarcity / scarcity)


def spot_fill(p: Params, scarcity: F) -> F:
    """Share of a spot request that is served: (W,)."""
    return np.minimum(1.0, (p.market.spot_fill_scarcity / scarcity) ** 2)


def own_price(p: Params, scarcity: F) -> F:
    """Capital cost per GW of each owned option: (W, O)."""
    return p.options.price[None, :] * scarcity[:, None] ** p.options.price_elasticity[None, :]


def own_lead(p: Params, state: State) -> I64:
    """Quarters from order to online for each owned option: (W, O)."""
    extra = np.where(
        p.options.kind[None, :] == KIND_CHIPS,
        state.chip_lead_extra[:, None],
        np.where(p.options.kind[None, :] == KIND_DC, state.dc_lead_extra[:, None], 0.0),
    )
    raw = p.options.lead[None, :] + p.options.lead_slope[None, :] * np.maximum(0.0, state.scarcity[:, None] - 1.0)
    return np.clip(np.rint(raw + extra), 1, p.market.max_lead).astype(np.int64)


def scarcity_index(p: Params, state: State, spot_requested: F) -> F:
    """Scarcity from the state's contracts and pipeline plus this quarter's spot requests: (W,)."""
    demand = (
        state.other_demand_gw
        + sum_last(state.reserved_gw.reshape(state.worlds, -1))
        + spot_requested
        + p.market.pipeline_weight * state.pipe.reshape(state.worlds, -1).sum(axis=-1)
    )
    supply = state.supply_gw * state.supply_shock
    return np.asarray(np.clip(demand / supply, p.market.scarcity_floor, p.market.scarcity_cap), dtype=np.float64)
