"""The first state of a game: starting figures per lab, broadcast over W worlds.

`Start` holds what a scenario says (per lab, per provider); `initial_state` adds what follows
from it: the ARR history implied by the stated growth, fair values, the brand constants that make
the starting market shares hold, the scarcity, the first quarter's cost estimate and the first
round of cloud offers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from game.engine import market, outcome, rng
from game.engine.deals import draw_offers
from game.engine.draws import N_OFFER_TERMS
from game.engine.params import PLAYING, Params
from game.engine.state import State
from game.engine.valuation import multiple, others_max

F = NDArray[np.float64]
S = TypeVar("S", bound=np.generic)
I64 = NDArray[np.int64]
B = NDArray[np.bool_]


@dataclass(frozen=True)
class Start:
    """Starting figures of one world (no worlds axis)."""

    sentiment: int
    market_arr: float
    market_growth: float
    supply_gw: float
    other_demand_gw: float
    revenue_per_gw: float
    cash: F  # (L,)
    arr: F
    growth: F
    capability: F
    train_share: F
    opex: F
    valuation: F
    debt: F
    scrutiny: F
    own: F  # (L, O)
    reserved_gw: F  # (L, P)
    reserved_price: F
    reserved_left: I64
    commit_q: F
    commit_left: I64
    cap: F  # (L, K)
    board: B  # (L, P)
    exclusive: I64  # (L,)


def _tile(x: NDArray[S], w: int) -> NDArray[S]:
    return np.repeat(np.asarray(x)[None], w, axis=0).copy()


def _schedule(amount: F, quarters: I64, horizon: int) -> F:
    """Contracts of `amount` ending after `quarters` quarters, as a schedule at quarter 0 (engine.contracts)."""
    ends = np.zeros((*amount.shape, horizon))
    slot = np.clip(quarters, 1, horizon) - 1
    np.put_along_axis(ends, slot[..., None], np.where(quarters > 0, amount, 0.0)[..., None], axis=-1)
    return ends


def initial_state(p: Params, start: Start, keys: NDArray[np.uint64]) -> State:
    """The state before the first quarter, for every world key in `keys`."""
    w = keys.shape[0]
    n_l, n_p = p.n_labs, p.n_providers
    n_o, n_e, h = len(p.option_names), len(p.event_ids), p.market.max_lead
    turn = np.zeros(w, dtype=np.int64)

    lags = np.arange(4, -1, -1, dtype=np.float64) / 4.0  # 1, 0.75, ..., 0 years ago
    hist = start.arr[:, None] / (1.0 + start.growth[:, None]) ** lags[None, :]
    shares = start.arr / start.market_arr
    others = max(1.0 - float(shares.sum()), p.demand.others_share_floor)
    rel = start.capability / start.capability.max()
    vs = start.valuation / others_max(start.valuation[None])[0]
    brand = shares / (rel**p.demand.share_alpha * vs**p.demand.perception_weight)

    sentiment = np.full(w, start.sentiment, dtype=np.int64)
    business = start.arr[None] * multiple(
        p,
        sentiment,
        np.broadcast_to((hist[:, -1] / hist[:, 0] - 1.0), (w, n_l)),
        np.broadcast_to(rel, (w, n_l)),
        np.broadcast_to(vs, (w, n_l)),
        np.broadcast_to(start.scrutiny, (w, n_l)),
    )
    fair = outcome.equity_value(business, start.cash[None], start.debt[None])
    revenue = start.arr / 4.0
    reserved_pay = start.reserved_gw * start.reserved_price
    shortfall = np.where(start.commit_left > 0, np.maximum(0.0, start.commit_q - reserved_pay), 0.0)
    costs = (
        reserved_pay.sum(-1)
        + shortfall.sum(-1)
        + (start.own * p.options.opex[None, :]).sum(-1)
        + start.opex
        + p.costs.opex_share_of_revenue * revenue
        + start.debt * p.debt.interest
        + revenue * (((start.commit_left > 0) & (start.commit_q > 0)) * p.providers.revenue_share).sum(-1)
    )
    burn = np.maximum(costs - revenue, 0.0)
    cash = _tile(start.cash, w)

    s = State(
        key=keys.astype(np.uint64).copy(),
        turn=turn,
        done=np.zeros(w, dtype=bool),
        outcome=np.full(w, PLAYING, dtype=np.int64),
        sentiment=sentiment,
        market_arr=np.full(w, start.market_arr),
        market_growth=np.full(w, start.market_growth),
        others_attr=np.full(w, others),
        supply_gw=np.full(w, start.supply_gw),
        other_demand_gw=np.full(w, start.other_demand_gw),
        supply_shock=np.ones(w),
        chip_lead_extra=np.zeros(w),
        dc_lead_extra=np.zeros(w),
        scarcity=np.ones(w),
        revenue_per_gw=np.full(w, start.revenue_per_gw),
        cost_shock=np.ones(w),
        fired=np.zeros((w, n_e), dtype=np.int64),
        cash=cash,
        revenue=_tile(revenue, w),
        costs=_tile(costs, w),
        burn=_tile(burn, w),
        runway=outcome.runway(p, cash, _tile(burn, w), debt=_tile(start.debt, w)),
        demand=_tile(revenue, w),
        arr_hist=_tile(hist, w),
        capability=_tile(start.capability, w),
        morale=np.ones((w, n_l)),
        confidence=np.ones((w, n_l)),
        share=_tile(shares, w),
        brand=_tile(brand, w),
        reliability=np.ones((w, n_l)),
        own=_tile(start.own, w),
        pipe=np.zeros((w, n_l, n_o, h)),
        capex_due=np.zeros((w, n_l, h)),
        assets=_tile((start.own * p.options.price[None, :]).sum(-1), w),
        reserved_gw=_tile(start.reserved_gw, w),
        reserved_price=_tile(start.reserved_price, w),
        reserved_ends=_tile(_schedule(start.reserved_gw, start.reserved_left, p.cloud.contract_horizon), w),
        commit_q=_tile(start.commit_q, w),
        commit_ends=_tile(_schedule(start.commit_q, start.commit_left, p.cloud.contract_horizon), w),
        credits=np.zeros((w, n_l, n_p)),
        board=_tile(start.board, w),
        exclusive=_tile(start.exclusive, w),
        cap=_tile(start.cap, w),
        valuation=_tile(start.valuation, w),
        last_post=_tile(start.valuation, w),
        fair=fair,
        debt=_tile(start.debt, w),
        notes=np.zeros((w, n_l, n_p)),
        note_principal=np.zeros((w, n_l, n_p)),
        note_cap=np.zeros((w, n_l, n_p)),
        note_due=np.full((w, n_l, n_p), -1, dtype=np.int64),
        scrutiny=_tile(start.scrutiny, w),
        info_left=np.zeros((w, n_l), dtype=np.int64),
        invest_left=np.zeros((w, n_l), dtype=np.int64),
        ipo_left=np.full((w, n_l), -1, dtype=np.int64),
        listed=np.zeros((w, n_l), dtype=bool),
        train_share=_tile(start.train_share, w),
        compliance=np.zeros((w, n_l)),
        opex_fixed=_tile(start.opex, w),
        founders_start=_tile(start.cap[:, 0], w),
        offer_on=np.zeros((w, n_l, n_p), dtype=bool),
        offer_invest=np.zeros((w, n_l, n_p)),
        offer_pre=np.zeros((w, n_l, n_p)),
        offer_gw=np.zeros((w, n_l, n_p)),
        offer_price=np.zeros((w, n_l, n_p)),
        offer_term=np.ones((w, n_l, n_p), dtype=np.int64),
        offer_commit=np.zeros((w, n_l, n_p)),
        offer_exclusive=np.zeros((w, n_l, n_p), dtype=bool),
        offer_board=np.zeros((w, n_l, n_p), dtype=bool),
        offer_convertible=np.zeros((w, n_l, n_p), dtype=bool),
    )
    s.scarcity[...] = market.scarcity_index(p, s, np.zeros(w))
    # the first offers are keyed to the quarter before the game, as every later turn's offers are
    # drawn at the end of the quarter before it
    u = rng.uniform_by_last(s.key, turn - 1, "offers", (n_l, n_p, N_OFFER_TERMS))
    draw_offers(p, s, u)
    return s
