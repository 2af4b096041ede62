"""The reference policy: the player the evaluation imagines for the rest of the game.

A steady multi-cloud builder written on the engine's arrays, so that thousands of rollouts run as
one batch: it keeps enough capacity to serve the demand it expects (reserved from its two least
relied-on providers), builds its own campus while its runway is long, raises at fair value from
the deepest non-cloud investor pool when its runway runs short (under it when nearly out), keeps its training split, and
borrows a bridge against its campus when its runway is short and repays it when
the runway is long, and declines partner deals (taking a deal is a decision the judgement weighs, not a habit). Its
habits are content (`[judgement.reference]` in `model.toml`).
"""

from __future__ import annotations

import numpy as np

from game.content.models import ReferencePolicy
from game.engine import contracts, market
from game.engine.actions import Actions
from game.engine.funding import readiness
from game.engine.legality import MONEY_SLACK, Plan, loan_limit
from game.engine.outcome import player_dependency
from game.engine.params import KIND_DC, Params
from game.engine.state import State


def reference_actions(p: Params, s: State, ref: ReferencePolicy) -> Actions:
    """The reference player's decisions for lab 0 in every world (rivals are left to the engine)."""
    return reference_plan(p, s, ref).actions


def reference_plan(p: Params, s: State, ref: ReferencePolicy) -> Plan:
    """The reference player's quarter as a plan, for a player that starts from it and adds more."""
    plan = Plan(p, s)
    if ref.train_share is not None:
        plan.add_split(plan.playing, ref.train_share)
    share = plan.actions.train_share[:, 0]
    serving = np.maximum(1.0 - share, ref.serving_floor)
    need_infer = s.demand[:, 0] * (1.0 + ref.demand_growth) * (1.0 + ref.capacity_buffer) / s.revenue_per_gw
    lasting = (
        s.reserved_gw[:, 0] - contracts.ending_after(s.reserved_ends, contracts.running_clock(s.turn, s.done))[:, 0]
    ).sum(-1)
    arriving = s.pipe[:, 0, :, 0].sum(-1)
    have = s.own[:, 0].sum(-1) + lasting + arriving
    # in the game's last quarter a new contract only adds dependency to the final balance sheet
    last = (p.n_turns - s.turn) <= 1
    gap = np.maximum(need_infer / serving - have, 0.0)

    # reserve from the two providers it depends on least
    dep = player_dependency(p, s)  # (W, P)
    allowed = np.stack(
        [plan.check_reserve(p.cloud.reserve_min, j, ref.reserve_term).legal for j in range(p.n_providers)], axis=-1
    )
    ranked = np.argsort(np.where(allowed, dep, np.inf), axis=-1, kind="stable")
    picks = ranked[:, : min(2, p.n_providers)]
    # with runway to spare it also grows its compute, for training better models: at least the
    # smallest order each provider takes, so that a small lab grows too
    if ref.train_growth > 0:
        grow = np.maximum(ref.train_growth * have, p.cloud.reserve_min * picks.shape[1])
        gap += np.where(s.runway[:, 0] > ref.build_runway, grow, 0.0)
    gap = np.where(last, 0.0, gap)
    each = gap / picks.shape[1]
    for k in range(picks.shape[1]):  # nothing below the smallest contract
        plan.add_reserve(each >= p.cloud.reserve_min, each, picks[:, k], ref.reserve_term)

    dc = int(np.argmax(p.options.kind == KIND_DC))
    compute = s.own[:, 0].sum(-1) + s.reserved_gw[:, 0].sum(-1)
    owned = s.own[:, 0].sum(-1) + s.pipe[:, 0].sum(axis=(-1, -2))
    build = np.clip(ref.build_share * compute - owned, 0.0, p.options.max_order[dc])
    price = market.own_price(p, s.scarcity)[:, dc]
    scheduled = s.capex_due[:, 0].sum(-1)
    # it builds only what it could pay in full while keeping `build_runway` quarters of burn
    affordable = (s.runway[:, 0] > ref.build_runway) & (
        s.cash[:, 0] - scheduled - s.burn[:, 0] * ref.build_runway > build * price
    )
    plan.add_own(affordable & (build >= p.options.min_order[dc]) & ~last, dc, build)

    candidates = [i for i in range(p.n_investors) if not p.investors.is_cloud[i]] or [0]
    investor = max(candidates, key=lambda i: float(p.investors.pool[i]))
    urgent = s.runway[:, 0] < ref.bridge_runway
    pre = np.maximum(s.fair[:, 0] * np.where(urgent, 1.0 - ref.urgent_discount, 1.0), 1e-6)
    ceiling = pre * p.rounds.max_new_money / (1.0 - p.rounds.max_new_money) * ref.round_margin
    amount = np.minimum(
        np.maximum(s.burn[:, 0] * ref.raise_quarters + scheduled - s.cash[:, 0], p.investors.min_amount[investor]),
        np.minimum(ref.raise_pool_share * p.investors.pool[investor], ceiling),
    )
    raising = (s.runway[:, 0] < ref.raise_runway) & (amount >= p.investors.min_amount[investor])
    plan.add_round(raising, investor, amount, pre)
    # a bridge loan when the runway is short (the round may fail), repaid once the runway is long
    limit = loan_limit(p, s)
    plan.add_borrow(urgent & (limit > MONEY_SLACK), limit)
    spare = s.cash[:, 0] - s.burn[:, 0] * ref.repay_runway - scheduled
    repay = np.minimum(s.debt[:, 0], spare)
    plan.add_repay((s.runway[:, 0] > ref.repay_runway) & (repay > MONEY_SLACK), repay)
    # it lists for capital beyond what private rounds give: when it is short of runway and
    # the public market would take it as ready, with the time left to list
    time_to_list = (p.n_turns - s.turn) > p.ipo.quarters_to_list
    short = s.runway[:, 0] < ref.raise_runway
    plan.add_ipo(time_to_list & short & (readiness(p, s)[:, 0] >= ref.ipo_readiness))
    return plan
