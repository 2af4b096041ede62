"""Rival labs' decisions: a simple stochastic policy per rival, written into rows 1.. of Actions.

Each rival estimates next quarter's demand, orders the capacity it lacks (mostly reserved from
its home provider, some owned builds in proportion to its aggression), keeps its training split,
and raises a round when its runway runs short or, in a boom, on a whim scaled by aggression. It
asks for enough to cover some quarters of burn, no more than its investors' pool can bear, and
cuts its orders when its runway is short.
Rivals never answer cloud offers. Their orders move scarcity; their rounds move the benchmark.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from game.engine import contracts
from game.engine.actions import Actions
from game.engine.draws import Draws
from game.engine.params import BOOM, KIND_DC, Params
from game.engine.small import sum_last
from game.engine.state import State


def policy(p: Params, s: State, a: Actions, d: Draws) -> Actions:
    """Fill the rivals' rows of `a` (a copy is returned)."""
    if p.n_labs < 2:
        return a
    written = (
        "order_own",
        "reserve_gw",
        "reserve_term",
        "spot_gw",
        "deal",
        "train_share",
        "raise_investor",
        "raise_amount",
        "raise_pre",
        "raise_provider",
        "raise_follow",
    )
    out = replace(a, **{name: getattr(a, name).copy() for name in written})
    r = slice(1, None)
    aggr = p.rivals.aggression[None, r]
    demand_next = s.market_arr[:, None] / 4.0 * s.share[:, r] * (1.0 + s.market_growth[:, None])
    need_infer = demand_next / s.revenue_per_gw[:, None]
    serve = np.maximum(1.0 - s.train_share[:, r], p.rivals.min_inference)
    need = need_infer / serve * (1.0 + p.rivals.overbuild * (aggr - 1.0))
    lasting = (
        s.reserved_gw[:, r] - contracts.ending_after(s.reserved_ends, contracts.running_clock(s.turn, s.done))[:, r]
    )  # runs past this quarter
    have = sum_last(s.own[:, r]) + sum_last(lasting) + s.pipe[:, r].reshape(*lasting.shape[:2], -1).sum(axis=-1)
    # a rival short of runway only replaces what it must
    budget = np.clip(s.runway[:, r] / np.maximum(p.rivals.raise_below_runway[None, r], 1e-9), 0.0, 1.0)
    gap = np.maximum(0.0, need - have) * budget

    # owned builds: a share of the gap in proportion to aggression, into the first data-centre option
    dc = int(np.argmax(p.options.kind == KIND_DC))
    own_share = np.clip(p.rivals.own_share * aggr, 0.0, p.rivals.own_max)
    out.order_own[:, r, :] = 0.0
    # each order within the option's size: at most its largest, nothing below its smallest
    build = np.clip(gap * own_share, 0.0, p.options.max_order[dc])
    out.order_own[:, r, dc] = np.where(build >= p.options.min_order[dc], build, 0.0)

    home = p.rivals.home[r]
    onehot = np.arange(p.n_providers)[None, None, :] == home[None, :, None]
    out.reserve_gw[:, r, :] = onehot * np.clip(gap * (1.0 - own_share), 0.0, p.cloud.reserve_max)[..., None]
    out.reserve_term[:, r, :] = p.rivals.reserve_term
    out.spot_gw[:, r] = 0.0
    out.deal[:, r, :] = 0
    out.train_share[:, r] = s.train_share[:, r]

    short = s.runway[:, r] < p.rivals.raise_below_runway[None, r]
    whim = (s.sentiment[:, None] == BOOM) & (d.rival[:, r, 0] < p.rivals.whim * aggr)
    raising = short | whim
    out.raise_investor[:, r] = np.where(raising, p.rivals.investor, -1)
    pool = p.investors.pool[p.rivals.investor] * p.rivals.raise_pool_share
    wanted = (
        np.maximum(s.burn[:, r], s.costs[:, r] * p.rivals.raise_floor)
        * p.rivals.raise_quarters
        * np.maximum(aggr, p.rivals.raise_min_aggression)
    )
    out.raise_amount[:, r] = np.where(raising, np.minimum(wanted, pool), 0.0)
    out.raise_pre[:, r] = np.where(raising, s.fair[:, r] * (1.0 + p.rivals.ask_premium * aggr), 0.0)
    out.raise_provider[:, r] = -1
    out.raise_follow[:, r] = 0.0  # a rival's round comes from one investor type
    return out
