"""One quarter for W worlds: `step(params, state, actions, draws) -> (state, info)`.

The order of a quarter:
  1. rivals decide; cloud deals are signed, countered or restructured; loans drawn or repaid;
  2. funding rounds close or fail (notes convert first); an IPO files or lists;
  3. the pipeline delivers; new owned orders, reserved contracts and spot requests are placed at
     prices set by the scarcity the quarter began with;
  4. compute is split between training (capability) and inference (serves demand); the market
     grows and is shared by attractiveness; revenue is the demand served;
  5. costs are paid (credits first for a provider's bills), scrutiny moves and may draw a
     regulatory action, the loan covenant is tested, cash is updated;
  6. sentiment moves; content events fire; supply, demand and scarcity move; valuations follow;
     contracts tick; the game may end; next quarter's cloud offers are drawn.
Worlds that were already finished pass through unchanged. Cash always obeys
cash = previous cash + revenue - costs + raised - repaid, with `info` holding each flow.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from game.engine import contracts, legality, market, outcome, rivals
from game.engine import events as ev
from game.engine.actions import Actions
from game.engine.draws import N_OFFER_TERMS, Draws
from game.engine.params import (
    ACCEPT,
    BUST,
    COUNTER,
    FORCED_SALE,
    IPO,
    PLAYING,
    REG_CONSENT,
    REG_FINE,
    REG_INFO,
    REG_INVESTIGATION,
    REG_NONE,
    Params,
)
from game.engine.small import any_last, argmax_last, max_last, sum_last
from game.engine.state import State, put_rows, rows
from game.engine.valuation import close_chance, convert_notes, dilute, growth_yoy, multiple, others_max

F = NDArray[np.float64]
I64 = NDArray[np.int64]
B = NDArray[np.bool_]

COST_NAMES = (
    "reserved",
    "spot",
    "shortfall",
    "own_opex",
    "staff",
    "interest",
    "compliance",
    "legal",
    "capex",
    "fees",
    "fines",
    "events",
)
"""The parts of `Info.cost_parts`, in order."""


@dataclass(frozen=True)
class Info:
    """What happened in the quarter, for reports and tests."""

    revenue: F  # (W, L)
    costs: F  # (W, L) the sum of cost_parts
    cost_parts: F  # (W, L, len(COST_NAMES))
    raised: F  # (W, L) rounds, deals (cash part), loans, IPO
    raised_round: F
    raised_deals: F
    raised_loans: F
    raised_ipo: F
    repaid: F  # (W, L) loans repaid
    credits_used: F  # (W, L)
    demand: F  # (W, L)
    served: F  # (W, L)
    compute: F  # (W, L) GW used this quarter
    compute_train: F
    compute_infer: F
    spot_got: F  # (W, L)
    reserved_added: F  # (W, L, P) GW contracted this quarter
    delivered: F  # (W, L, O) GW that came online
    ordered: F  # (W, L, O) GW ordered
    order_lead: I64  # (W, O) lead times that applied to this quarter's orders
    round_chance: F  # (W, L)
    round_closed: B
    round_down: B
    round_amount: F
    round_pre: F
    deal_signed: B  # (W, L, P)
    counter_made: B
    counter_accepted: B
    restructured: B
    reg_action: I64  # (W, L)
    fine: F  # (W, L)
    fired: B  # (W, E)
    covenant_called: B  # (W, L)
    defaulted: B  # (W, L)
    ipo_filed: B
    ipo_listed: B
    ipo_pulled: B
    rescued: B  # (W, L) a rival saved by an emergency round
    scarcity: F  # (W,) the scarcity that priced this quarter
    sentiment: I64  # (W,) the regime this quarter ran in
    refused: dict[str, I64]
    """The player's decisions the rules dropped, by kind (`legality.enforce`): a reason code per
    world (0 where nothing was dropped); empty when every decision was legal."""


def _onehot(index: I64, n: int) -> B:
    return np.asarray(index[..., None] == np.arange(n), dtype=bool)


def step(p: Params, state: State, actions: Actions, d: Draws, *, in_place: bool = False) -> tuple[State, Info]:
    """Resolve one quarter. `actions` is not changed, and `state` is not either unless `in_place`
    (for a caller that owns the state and will not look at it again: it saves a copy a quarter).
    Finished worlds come out as they went in."""
    finished = np.flatnonzero(state.done)
    frozen = rows(state, finished) if finished.size else None
    s = state if in_place else state.copy()
    n_w, n_l, n_p = s.worlds, p.n_labs, p.n_providers
    clock = contracts.running_clock(s.turn, s.done)  # finished worlds are restored at the end
    checked, refusals = legality.enforce(p, state, actions)  # the player's lab: only what the rules allow
    a = rivals.policy(p, state, checked, d)
    zeros = np.zeros((n_w, n_l))
    raised_deals = zeros.copy()
    fees = zeros.copy()
    scar = state.scarcity.copy()  # the scarcity that priced this quarter (`s.scarcity` moves on)

    # ---- 1. cloud deals ---------------------------------------------------------------------
    accept = a.deal == ACCEPT
    counter = a.deal == COUNTER
    if (accept | counter).any():
        signed, counter_ok, new_gw = _sign_deals(p, s, a, d, accept, counter, scar, raised_deals)
    else:  # nobody answers an offer (rollouts, most quarters): the same as signing nothing
        signed = counter_ok = np.zeros((n_w, n_l, n_p), dtype=bool)
        new_gw = np.zeros((n_w, n_l, n_p))

    restructure = a.restructure
    if restructure.any():
        fees += sum_last(restructure * p.deals.restructure_fee * s.commit_q)
        s.exclusive[...] = np.where(any_last(restructure & _onehot(s.exclusive, n_p)), -1, s.exclusive)
        s.board[...] &= ~restructure

    # ---- 1b. loans -----------------------------------------------------------------------------
    if (a.loan_draw > 0).any() or (a.loan_repay > 0).any():
        loan_draw, loan_repay = a.loan_draw.copy(), a.loan_repay.copy()
        s.debt[...] += loan_draw - loan_repay
    else:
        loan_draw, loan_repay = zeros.copy(), zeros.copy()

    # ---- 2. funding round ----------------------------------------------------------------------
    inv = a.raise_investor
    amount = np.maximum(a.raise_amount, 0.0)
    pre = np.maximum(a.raise_pre, 0.0)
    asking = inv >= 0
    chance = zeros.copy()
    if asking.any():  # the chance of the rounds asked for, row by row: (n, 1) against (n,) worlds
        w_i, l_i = np.nonzero(asking)
        chance[w_i, l_i] = close_chance(
            p,
            inv[w_i, l_i, None],
            amount[w_i, l_i, None],
            pre[w_i, l_i, None],
            s.fair[w_i, l_i, None],
            s.sentiment[w_i],
            s.confidence[w_i, l_i, None],
            s.info_left[w_i, l_i, None] > 0,
        )[:, 0]
    closes = asking & (d.round < chance) if asking.any() else asking.copy()
    prov_holders = np.array([p.provider_holder(j) for j in range(n_p)], dtype=np.int64)
    if (closes & (sum_last(s.notes) > 0)).any():
        s.cap[...] = convert_notes(s.cap, s.notes, pre, p.debt.note_discount, closes, prov_holders)
    s.notes[...] = np.where(closes[..., None], 0.0, s.notes)
    inv_safe = np.maximum(inv, 0)
    is_cloud = p.investors.is_cloud[inv_safe] & (a.raise_provider >= 0)
    holder = np.where(is_cloud, 1 + p.n_investors + np.maximum(a.raise_provider, 0), 1 + inv_safe)
    dilute(s.cap, holder, amount, pre, closes)
    raised_round = np.where(closes, amount, 0.0)
    down = closes & (pre < s.last_post)
    failed = (inv >= 0) & ~closes
    s.valuation[...] = np.where(closes, pre + amount, s.valuation)
    s.last_post[...] = np.where(closes, pre + amount, s.last_post)
    s.confidence[...] += np.where(down, p.rounds.confidence_down_round, 0.0)
    s.confidence[...] += np.where(closes & ~down, p.rounds.confidence_closed, 0.0)
    s.confidence[...] += np.where(failed, p.rounds.confidence_failed, 0.0)
    s.morale[...] -= np.where(down, p.rounds.down_round_morale, 0.0)

    # ---- 2b. IPO -------------------------------------------------------------------------------
    if a.ipo_file.any() or (s.ipo_left > 0).any():
        filed, listing, pulled, raised_ipo = _ipo(p, s, a, d)
    else:  # no lab files and none is counting down to its listing
        filed = listing = pulled = np.zeros((n_w, n_l), dtype=bool)
        raised_ipo = zeros.copy()

    # ---- 3. capacity ---------------------------------------------------------------------------
    delivered = s.pipe[..., 0].copy()
    s.own[...] += delivered
    _shift(s.pipe)
    capex = s.capex_due[..., 0].copy()
    _shift(s.capex_due)

    lead = market.own_lead(p, state)  # (W, O)
    price_own = market.own_price(p, scar)  # (W, O)
    order = a.order_own
    cost = order * price_own[:, None, :]
    upfront = cost * p.options.upfront[None, None, :]
    rest = cost - upfront
    if (order > 0).any():
        # the order comes online `lead` quarters on; the rest of its price is paid in equal
        # instalments this quarter and the following lead - 1 quarters
        instalment = rest / lead[:, None, :]
        capex = capex + sum_last(upfront) + sum_last(instalment)
        later = np.arange(p.market.max_lead - 1)
        for o in range(order.shape[-1]):  # only the labs that ordered: the others add nothing
            w_i, l_i = np.nonzero(order[..., o] > 0)
            lead_i = lead[w_i, o]
            s.pipe[w_i, l_i, o, lead_i - 1] += order[w_i, l_i, o]
            due = later[None, :] < (lead_i - 1)[:, None]  # instalments due in h + 1 quarters
            s.capex_due[w_i, l_i, :-1] += instalment[w_i, l_i, o, None] * due
    s.assets[...] = s.assets * (1.0 - p.costs.depreciation) + capex

    price_res = market.cloud_price(p, scar)[:, None, :]  # (W, 1, P)
    res_got = a.reserve_gw * market.reserved_fill(p, scar)[:, None, None]
    if (res_got > 0).any():
        _add_reserved(s, res_got, price_res)
        contracts.book(s.reserved_ends, res_got, a.reserve_term, clock)
    spot_req = a.spot_gw
    spot_got = spot_req * market.spot_fill(p, scar)[:, None]
    spot_cost = spot_got * market.spot_price(p, scar)[:, None] * s.cost_shock[:, None]

    # ---- 4. compute, capability, demand, revenue ----------------------------------------------
    ts = a.train_share
    s.train_share[...] = ts
    compute = sum_last(s.own) + sum_last(s.reserved_gw) + spot_got
    train = compute * ts
    infer = compute - train
    vs_rival = np.clip(
        s.valuation / np.maximum(others_max(s.valuation), 1e-9), 1.0 / p.demand.perception_cap, p.demand.perception_cap
    )
    talent = np.maximum(1.0 + p.capability.talent_weight * np.log(np.maximum(vs_rival, 1e-9)), 0.0)
    leader = max_last(s.capability, keepdims=True)
    s.capability[...] += (
        p.capability.gain * train** p.capability.exponent * s.morale * talent
        + p.capability.diffusion * (leader - s.capability)
    )
    s.morale[...] += p.capability.morale_recovery * (1.0 - s.morale)

    growth = s.market_growth * p.sentiment.market_growth_mult[s.sentiment] + p.demand.market_noise_sd * d.market
    s.market_arr[...] *= np.maximum(1.0 + growth, 0.0)
    s.market_growth[...] *= p.market.growth_decay
    rel = s.capability / np.maximum(max_last(s.capability, keepdims=True), 1e-9)
    attract = (
        s.brand
        * rel**p.demand.share_alpha
        * (1.0 - p.demand.reliability_weight * (1.0 - s.reliability))
        * np.maximum(vs_rival, 1e-9) ** p.demand.perception_weight
    )
    target = attract / (sum_last(attract, keepdims=True) + s.others_attr[:, None])
    s.share[...] = p.demand.share_inertia * s.share + (1.0 - p.demand.share_inertia) * target
    demand = s.market_arr[:, None] / 4.0 * s.share
    served = np.minimum(demand, infer * s.revenue_per_gw[:, None])
    s.reliability[...] = np.where(demand > 0, served / np.maximum(demand, 1e-12), 1.0)
    revenue = served
    s.revenue[...] = revenue
    s.demand[...] = demand
    s.arr_hist[..., :-1] = s.arr_hist[..., 1:]
    s.arr_hist[..., -1] = 4.0 * revenue
    s.revenue_per_gw[...] *= 1.0 + p.demand.revenue_per_gw_growth

    # ---- 5. costs, scrutiny, covenant, cash ----------------------------------------------------
    reserved_pay = s.reserved_gw * s.reserved_price * s.cost_shock[:, None, None]
    shortfall = np.maximum(0.0, s.commit_q - reserved_pay)
    bill = reserved_pay + shortfall
    used = np.minimum(s.credits, bill)
    s.credits[...] -= used
    credits_used = sum_last(used)
    own_opex = sum_last(s.own * p.options.opex[None, None, :])
    staff = s.opex_fixed + p.costs.opex_share_of_revenue * revenue
    s.opex_fixed[...] *= 1.0 + p.costs.opex_growth
    interest = s.debt * p.debt.interest
    s.notes[...] *= 1.0 + p.debt.note_interest
    compliance = a.compliance
    s.compliance[...] = compliance
    legal = np.where(s.invest_left > 0, p.scrutiny.legal_cost, 0.0)

    stakes = outcome.partner_stakes(p, s)
    inv_stakes = s.cap[..., 1 : 1 + p.n_investors]
    inflow = (
        p.scrutiny.stake_weight * max_last(stakes)
        + sum_last(inv_stakes * p.investors.scrutiny_weight[None, None, :])
        + p.scrutiny.exclusive_weight * (s.exclusive >= 0)
        + p.scrutiny.board_weight * sum_last(s.board.astype(np.float64))
        + p.scrutiny.share_weight * np.maximum(0.0, s.share - p.scrutiny.share_threshold)
        - p.scrutiny.compliance_effect * np.sqrt(compliance)
    )
    s.scrutiny[...] = np.clip(s.scrutiny * (1.0 - p.scrutiny.decay) + inflow, 0.0, 1.0)
    hazard = (p.scrutiny.hazard_base + p.scrutiny.hazard_slope * s.scrutiny**2) * p.scrutiny.hazard_mult
    hit = d.hazard < hazard
    reg = np.full((n_w, n_l), REG_NONE, dtype=np.int64)
    if hit.any():  # which action, for the labs hit only
        w_i, l_i = np.nonzero(hit)
        high = s.scrutiny[w_i, l_i] >= p.scrutiny.band_split
        weights = np.where(high[:, None], p.scrutiny.weight_high, p.scrutiny.weight_low)  # (n, 4)
        cdf = np.cumsum(weights, axis=-1) / np.maximum(sum_last(weights, keepdims=True), 1e-12)
        kind = 1 + sum_last((d.reg_kind[w_i, l_i, None] >= cdf).astype(np.int64))
        reg[w_i, l_i] = np.minimum(kind, REG_FINE)
    s.info_left[...] = np.where(reg == REG_INFO, p.scrutiny.info_request_quarters, s.info_left)
    s.invest_left[...] = np.where(reg == REG_INVESTIGATION, p.scrutiny.investigation_quarters, s.invest_left)
    consent = reg == REG_CONSENT
    biggest = argmax_last(stakes)
    divest = np.where(
        consent, np.take_along_axis(stakes, biggest[..., None], -1)[..., 0] * p.scrutiny.consent_divest, 0.0
    )
    if consent.any():
        big_holder = 1 + p.n_investors + biggest
        s.cap[...] -= _onehot(big_holder, s.cap.shape[-1]) * divest[..., None]
        s.cap[..., p.other_holder] += divest
    s.exclusive[...] = np.where(consent, -1, s.exclusive)
    s.board[...] &= ~consent[..., None]
    fine = np.where(reg == REG_FINE, p.scrutiny.fine_share_of_arr * s.arr_hist[..., -1], 0.0)
    s.scrutiny[...] *= np.where(hit, 1.0 - p.scrutiny.action_scrutiny_relief, 1.0)

    pay_total = sum_last(reserved_pay)
    cost_parts = np.stack(
        [
            pay_total - np.minimum(credits_used, pay_total),
            spot_cost,
            sum_last(shortfall) - np.maximum(credits_used - pay_total, 0.0),
            own_opex,
            staff,
            interest,
            compliance,
            legal,
            capex,
            fees,
            fine,
            zeros,
        ],
        axis=-1,
    )
    raised = raised_round + raised_deals + loan_draw + raised_ipo
    cash = s.cash + revenue - sum_last(cost_parts) + raised - loan_repay

    # the covenant: a loan is called when cash falls below its share of the debt
    called = (s.debt > 0) & (cash < p.debt.covenant_cash_ratio * s.debt)
    pay_back = np.where(called, np.minimum(s.debt, np.maximum(cash, 0.0)), 0.0)
    cash = cash - pay_back
    s.debt[...] -= pay_back
    repaid = loan_repay + pay_back
    defaulted = called & (s.debt > 1e-9)

    # rivals are never wound up: an emergency round at a discount fills any hole
    rescued = np.zeros((n_w, n_l), dtype=bool)
    rescued[:, 1:] = (cash[:, 1:] < 0) | defaulted[:, 1:]
    need = np.where(rescued, np.maximum(-cash, 0.0) + s.debt + s.opex_fixed, 0.0)
    rescue_pre = np.maximum(s.fair * (1.0 - p.rivals.rescue_discount), need)
    dilute(s.cap, p.investor_holder(p.rivals.investor), need, rescue_pre, rescued)
    s.valuation[...] = np.where(rescued, rescue_pre + need, s.valuation)
    s.last_post[...] = np.where(rescued, rescue_pre + need, s.last_post)
    raised = raised + need
    raised_round = raised_round + need
    cash = cash + need
    defaulted[:, 1:] = False

    # ---- 6. sentiment, events, market, valuation, contracts ------------------------------------
    regime_before = s.sentiment.copy()
    cdf_rows = p.sentiment.transition_cdf[s.sentiment]  # (W, 3)
    s.sentiment[...] = np.minimum(sum_last((d.sentiment[:, None] >= cdf_rows).astype(np.int64)), 2)

    costs_pre = sum_last(cost_parts)
    burn = np.maximum(costs_pre - capex - revenue, 0.0)  # operating burn: capital spending is scheduled apart
    s.cash[...] = cash
    s.costs[...] = costs_pre
    s.burn[...] = burn
    s.runway[...] = outcome.runway(p, cash, burn, s.capex_due)

    arr = s.arr_hist[..., -1]
    vs_now = np.clip(
        s.valuation / np.maximum(others_max(s.valuation), 1e-9), 1.0 / p.demand.perception_cap, p.demand.perception_cap
    )
    mult = multiple(p, s.sentiment, growth_yoy(s.arr_hist), rel, vs_now, s.scrutiny)
    s.fair[...] = arr * mult
    moved = closes | listing | rescued
    s.valuation[...] = np.where(moved, s.valuation, s.valuation + p.valuation.drift * (s.fair - s.valuation))

    m = ev.metrics(p, s, ev.used_metrics(p))
    fired = ev.fire(p, s, m, d.events) & ~s.done[:, None]
    s.fired[...] += fired
    s.cost_shock[...] = 1.0  # a compute-cost shock applies to the next quarter's bills only
    hit_worlds = np.flatnonzero(any_last(fired))
    if hit_worlds.size:
        _apply_events(p, s, hit_worlds, fired[hit_worlds], cost_parts)
    costs = sum_last(cost_parts)
    s.costs[...] = costs
    if hit_worlds.size:  # only an event's cash moves the player's runway again
        w = hit_worlds
        s.runway[w, 0] = outcome.runway(p, s.cash[w, 0], s.burn[w, 0], s.capex_due[w, 0])

    s.supply_gw[...] *= 1.0 + p.market.supply_growth + p.market.supply_noise_sd * d.supply
    s.other_demand_gw[...] *= 1.0 + p.market.other_demand_growth
    s.supply_shock[...] += p.market.shock_recovery * (1.0 - s.supply_shock)
    s.chip_lead_extra[...] *= 1.0 - p.market.shock_recovery
    s.dc_lead_extra[...] *= 1.0 - p.market.shock_recovery
    s.confidence[...] += p.rounds.confidence_recovery * (1.0 - s.confidence)

    # contracts end on their own schedules: each tranche is its own contract; in the game's last
    # quarter they stay on the books, so that the lab is judged on the compute it ran on
    last_quarter = s.turn + 1 >= p.n_turns
    contracts.expire(s.reserved_ends, s.reserved_gw, clock, last_quarter)
    contracts.expire(s.commit_ends, s.commit_q, clock, last_quarter)
    s.info_left[...] = np.maximum(s.info_left - 1, 0)
    s.invest_left[...] = np.maximum(s.invest_left - np.where(reg == REG_INVESTIGATION, 0, 1), 0)
    s.scarcity[...] = market.scarcity_index(p, s, sum_last(spot_req))

    # ---- the end of the game -------------------------------------------------------------------
    s.turn[...] += 1
    bankrupt = (s.cash[:, 0] < 0) | defaulted[:, 0]
    listed = s.listed[:, 0]
    over = s.turn >= p.n_turns
    ends = bankrupt | listed | over
    if ends.any():
        final = np.where(bankrupt, FORCED_SALE, np.where(listed, IPO, outcome.classify(p, s)))
        s.outcome[...] = np.where(ends, final, PLAYING)
    s.done[...] = ends

    if d.offers is not None:
        draw_offers(p, s, d.offers)
    else:
        s.offer_on[...] = False

    info = Info(
        revenue=revenue,
        costs=costs,
        cost_parts=cost_parts,
        raised=raised,
        raised_round=raised_round,
        raised_deals=raised_deals,
        raised_loans=loan_draw,
        raised_ipo=raised_ipo,
        repaid=repaid,
        credits_used=credits_used,
        demand=demand,
        served=served,
        compute=compute,
        compute_train=train,
        compute_infer=infer,
        spot_got=spot_got,
        reserved_added=res_got + new_gw,
        delivered=delivered,
        ordered=order,
        order_lead=lead,
        round_chance=chance,
        round_closed=closes,
        round_down=down,
        round_amount=amount,
        round_pre=pre,
        deal_signed=signed,
        counter_made=counter,
        counter_accepted=counter_ok,
        restructured=restructure,
        reg_action=reg,
        fine=fine,
        fired=fired,
        covenant_called=called,
        defaulted=defaulted,
        ipo_filed=filed,
        ipo_listed=listing,
        ipo_pulled=pulled,
        rescued=rescued,
        scarcity=scar,
        sentiment=regime_before,
        refused=refusals,
    )
    if frozen is not None:
        put_rows(s, finished, frozen)
    return s, info


def _apply_events(p: Params, s: State, w: I64, fired: B, cost_parts: F) -> None:
    """Apply the effects of the events `fired` (n, E) in worlds `w` (in place on `s` and the
    quarter's `cost_parts`): the other worlds have nothing to apply."""
    add, mul, set_val, has_set = ev.effect_totals(p, fired)
    t = {name: i for i, name in enumerate(ev.TARGET_NAMES)}
    event_cash = add[:, t["cash"]]
    s.cash[w, 0] += event_cash
    cost_parts[w, 0, -1] = -event_cash
    s.capability[w, 0] = s.capability[w, 0] * mul[:, t["capability"]] + add[:, t["capability"]]
    s.capability[w, 1:] = (
        s.capability[w, 1:] * mul[:, t["rival_capability"], None] + add[:, t["rival_capability"], None]
    )
    s.scrutiny[w, 0] = np.clip(s.scrutiny[w, 0] + add[:, t["scrutiny"]], 0.0, 1.0)
    sent = np.where(has_set[:, t["sentiment"]], set_val[:, t["sentiment"]], s.sentiment[w] + add[:, t["sentiment"]])
    s.sentiment[w] = np.clip(np.rint(sent), 0, 2).astype(np.int64)
    s.supply_shock[w] *= mul[:, t["supply"]]
    s.chip_lead_extra[w] += add[:, t["chip_lead"]]
    s.dc_lead_extra[w] += add[:, t["dc_lead"]]
    s.market_arr[w] *= mul[:, t["market_arr"]]
    s.share[w, 0] *= mul[:, t["share"]]
    s.morale[w, 0] = np.clip(s.morale[w, 0] + add[:, t["morale"]], 0.0, p.capability.morale_max)
    s.own[w, 0] *= mul[:, t["own_gw"], None]
    s.cost_shock[w] = mul[:, t["compute_cost"]]
    s.revenue_per_gw[w] *= mul[:, t["revenue_per_gw"]]
    s.confidence[w, 0] += add[:, t["confidence"]]
    s.other_demand_gw[w] *= mul[:, t["other_demand"]]
    s.invest_left[w, 0] = np.where(
        has_set[:, t["investigation"]], np.rint(set_val[:, t["investigation"]]), s.invest_left[w, 0]
    ).astype(np.int64)
    s.info_left[w, 0] = np.where(
        has_set[:, t["info_request"]], np.rint(set_val[:, t["info_request"]]), s.info_left[w, 0]
    ).astype(np.int64)


def _ipo(p: Params, s: State, a: Actions, d: Draws) -> tuple[B, B, B, F]:
    """File for listings, count down, and list or pull the ones due (in place on `s`); returns
    which labs filed, listed and were pulled, and what the listings raised."""
    filed = a.ipo_file  # the rules (`legality`) let only an eligible lab file
    s.ipo_left[...] = np.where(filed, p.ipo.quarters_to_list, s.ipo_left)
    counting = s.ipo_left > 0
    s.ipo_left[...] = np.where(counting, s.ipo_left - 1, s.ipo_left)
    due = counting & (s.ipo_left == 0)
    pulled = due & (s.sentiment[:, None] == BUST)
    listing = due & ~pulled
    ipo_pre = s.fair * (1.0 - d.ipo * p.ipo.discount_max)
    ipo_amount = ipo_pre * p.ipo.float_fraction / (1.0 - p.ipo.float_fraction)
    dilute(s.cap, p.other_holder, ipo_amount, ipo_pre, listing)
    raised_ipo = np.where(listing, ipo_amount, 0.0)
    s.valuation[...] = np.where(listing, ipo_pre + ipo_amount, s.valuation)
    s.last_post[...] = np.where(listing, ipo_pre + ipo_amount, s.last_post)
    s.listed[...] |= listing
    s.ipo_left[...] = np.where(due, -1, s.ipo_left)
    return filed, listing, pulled, raised_ipo


def _shift(schedule: F) -> None:
    """Move a schedule by one quarter along its last axis (in place): slot h + 1 becomes slot h,
    the last slot empties. One move over the whole array, as a flat buffer, instead of one per
    row; the slot that arrives from the next row is the last one, and it is emptied."""
    if schedule.flags.c_contiguous and schedule.size:
        flat = schedule.reshape(-1)  # a view: the array is contiguous
        flat[:-1] = flat[1:]
    else:
        schedule[..., :-1] = schedule[..., 1:]
    schedule[..., -1] = 0.0


def _sign_deals(
    p: Params, s: State, a: Actions, d: Draws, accept: B, counter: B, scar: F, raised_deals: F
) -> tuple[B, B, F]:
    """Sign the offers accepted and the counter-offers the providers take (in place on `s` and
    `raised_deals`); returns which deals were signed, which counters were taken, and the GW added."""
    n_p = p.n_providers
    p_counter = np.clip(
        p.deals.counter_base
        + p.providers.counter_flex[None, None, :]
        - p.deals.counter_scarcity_slope * (scar[:, None, None] - 1.0),
        0.0,
        1.0,
    )
    counter_ok = counter & (d.counter < p_counter)
    term = a.counter_term
    invest = s.offer_invest * np.where(counter_ok & (term == 3), 1.0 + p.deals.counter_invest_raise, 1.0)
    commit = s.offer_commit * np.where(counter_ok & (term == 2), 1.0 - p.deals.counter_commit_cut, 1.0)
    excl_term = s.offer_exclusive & ~(counter_ok & (term == 0))
    board_term = s.offer_board & ~(counter_ok & (term == 1))
    signed = accept | counter_ok
    credits_in = np.where(signed, invest * p.providers.credits_share[None, None, :], 0.0)
    cash_in = np.where(signed, invest, 0.0) - credits_in
    raised_deals += sum_last(cash_in)
    s.credits[...] += credits_in
    conv = signed & s.offer_convertible
    s.notes[...] += np.where(conv, invest, 0.0)
    for j in range(n_p):
        equity = signed[..., j] & ~s.offer_convertible[..., j]
        dilute(s.cap, p.provider_holder(j), invest[..., j], s.offer_pre[..., j], equity)
    new_gw = np.where(signed, s.offer_gw, 0.0)
    _add_reserved(s, new_gw, s.offer_price)
    contracts.book(s.reserved_ends, new_gw, s.offer_term, s.turn)
    contracts.book(s.commit_ends, np.where(signed, commit, 0.0), s.offer_term, s.turn)
    s.commit_q[...] += np.where(signed, commit, 0.0)
    new_excl = any_last(signed & excl_term)
    s.exclusive[...] = np.where(new_excl, argmax_last(signed & excl_term), s.exclusive)
    s.board[...] |= signed & board_term
    return signed, counter_ok, new_gw


def _add_reserved(s: State, gw: F, price: F) -> None:
    """Add reserved capacity `gw` bought at `price` to the books (in place): the lab pays the
    average price of its contracts with each provider. The contracts' schedules are the caller's."""
    merged = s.reserved_gw + gw
    s.reserved_price[...] = np.where(
        gw > 0,
        (s.reserved_gw * s.reserved_price + gw * price) / np.maximum(merged, 1e-12),
        s.reserved_price,
    )
    s.reserved_gw[...] = merged


def draw_offers(p: Params, s: State, u: F) -> None:
    """Next quarter's offers from each provider to each lab (in place); u is (N_OFFER_TERMS, W, L, P)."""
    assert u.shape[0] == N_OFFER_TERMS
    scale = np.maximum(s.arr_hist[..., -1] / p.deals.reference_arr, p.deals.min_offer_scale)[..., None]
    lo, hi = p.providers.invest_min[None, None, :], p.providers.invest_max[None, None, :]
    invest = scale * (lo + (hi - lo) * u[1])
    span = (p.providers.term_max - p.providers.term_min + 1)[None, None, :]
    term = p.providers.term_min[None, None, :] + np.minimum(np.floor(u[2] * span), span - 1).astype(np.int64)
    price = market.cloud_price(p, s.scarcity)[:, None, :] * (1.0 - p.deals.price_discount)
    commit = invest * p.providers.commit_per_invest[None, None, :] / term
    gw = commit / p.deals.commit_over_reserved / np.maximum(price, 1e-9)
    pre = np.maximum(s.fair, 1e-9)[..., None] * (
        p.deals.offer_pre_low + (p.deals.offer_pre_high - p.deals.offer_pre_low) * u[3]
    )
    # a provider never takes a stake above its cap: the investment shrinks to fit
    stake_now = outcome.partner_stakes(p, s)
    room = np.maximum(p.providers.stake_cap[None, None, :] - stake_now, 0.0)
    max_invest = room * pre / np.maximum(1.0 - room, 1e-9)
    convertible = u[6] < p.providers.convertible_chance[None, None, :]
    invest = np.where(convertible, invest, np.minimum(invest, max_invest))
    excl_ok = (s.exclusive[..., None] < 0) | (s.exclusive[..., None] == np.arange(p.n_providers))
    on = (
        (u[0] < p.providers.offer_chance[None, None, :])
        & (s.invest_left[..., None] == 0)
        & excl_ok
        & ~s.listed[..., None]
    )
    on &= invest > 1e-6
    s.offer_on[...] = on
    s.offer_invest[...] = invest
    s.offer_pre[...] = pre
    s.offer_gw[...] = gw
    s.offer_price[...] = price
    s.offer_term[...] = term
    s.offer_commit[...] = commit
    s.offer_exclusive[...] = u[4] < p.providers.exclusive_chance[None, None, :]
    s.offer_board[...] = u[5] < p.providers.board_chance[None, None, :]
    s.offer_convertible[...] = convertible
