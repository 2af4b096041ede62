"""One quarter for W worlds: `step(params, state, actions, draws) -> (state, info)`.

The quarter happens in this order, one phase each (`step` reads as the list):
  1. the rules drop what the player may not do (`legality.enforce`); rivals decide;
  2. cloud deals are signed, countered or restructured (`deals`); loans are drawn or repaid, a
     priced round closes or fails, a listing files or lists (`funding`);
  3. the pipeline delivers; owned orders, reserved contracts and spot capacity are placed at the
     prices set by the scarcity the quarter began with (`capacity`);
  4. compute is split between training and inference; capability grows; the market grows and is
     shared by attractiveness; revenue is the demand served (`_serve`);
  5. the bills are paid, credits first (`_bills`); scrutiny moves and may draw a regulatory
     action (`scrutiny`); the loan covenant is tested and rivals in trouble are rescued (`_settle`);
  6. cash is booked; sentiment moves; fair value and valuations follow; content events fire
     (`_value_and_events`); supply, demand, shocks and contracts move (`_markets_move`);
  7. the game may end; next quarter's cloud offers are drawn (`_end`).
Worlds that were already finished pass through unchanged. Cash always obeys
cash = previous cash + revenue - costs + raised - repaid (loans and matured notes), with `info`
holding each flow.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from game.engine import capacity, contracts, deals, funding, legality, market, notes, outcome, rivals, scrutiny
from game.engine import events as ev
from game.engine.actions import Actions
from game.engine.draws import Draws
from game.engine.params import FORCED_SALE, PLAYING, Params
from game.engine.small import any_last, max_last, sum_last
from game.engine.state import State, put_rows, rows
from game.engine.valuation import dilute, growth_yoy, multiple

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
    "revenue_share",
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
    repaid: F  # (W, L) loans and matured notes repaid
    notes_repaid: F  # (W, L) matured notes repaid with their interest
    notes_defaulted: B  # (W, L, P) notes that matured unpaid and converted at the punitive price
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
    consent_cost: F  # (W, L) a consent order's remedies, legal costs and monitor, booked as legal costs
    consent_credits: F  # (W, L) the partner's credits a consent order cancelled
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


def step(
    p: Params, state: State, actions: Actions, d: Draws, *, in_place: bool = False, vetted: bool = False
) -> tuple[State, Info]:
    """Resolve one quarter. `actions` is not changed, and `state` is not either unless `in_place`
    (for a caller that owns the state and will not look at it again: it saves a copy a quarter).
    `vetted`: the caller built `actions` through `legality.Plan` on this very state and left them
    as the plan made them (the reference player's quarters in a rollout), so the rules' guard
    would return them unchanged and is not run again. Finished worlds come out as they went in."""
    finished = np.flatnonzero(state.done)
    frozen = rows(state, finished) if finished.size else None
    s = state if in_place else state.copy()
    business = outcome.business_value(s)  # the business's mark before the quarter's cash moves
    clock = contracts.running_clock(s.turn, s.done)  # finished worlds are restored at the end
    # the player's lab: only what the rules allow
    checked, refusals = (actions, {}) if vetted else legality.enforce(p, state, actions)
    a = rivals.policy(p, state, checked, d)
    scar = state.scarcity.copy()  # the scarcity that priced this quarter (`s.scarcity` moves on)
    regime = s.sentiment.copy()  # the regime the quarter runs in (`s.sentiment` moves on)

    signed = deals.resolve(p, s, a, d, scar)
    drawn, repaid = funding.loans(s, a)
    rnd = funding.close_round(p, s, a, d)
    listing = funding.list_shares(p, s, a, d)
    raised = rnd.raised + signed.raised + drawn + listing.raised
    matured = notes.mature(p, s, s.cash + raised - repaid)  # notes due and not converted: repaid or in default
    repaid = repaid + matured.repaid
    cap = capacity.place(p, s, a, scar, clock)
    served = _serve(p, s, a, d, cap.spot_got)
    cost_parts, credits_used = _bills(p, s, a, served.revenue, cap, signed.fees + listing.fees)
    regulation = scrutiny.regulate(p, s, a.compliance, d.hazard, d.reg_kind)
    cost_parts[..., COST_NAMES.index("fines")] = regulation.fine
    cost_parts[..., COST_NAMES.index("legal")] += regulation.remedy  # a consent order's remedies and monitor
    settled = _settle(p, s, s.cash + served.revenue - sum_last(cost_parts) + raised - repaid)
    moved = rnd.closed | listing.listed | settled.rescued  # marked by a price this quarter
    fired = _value_and_events(p, s, d, settled.cash, cost_parts, cap.capex, served, moved, business, credits_used)
    _markets_move(p, s, d, clock, sum_last(cap.spot_asked), regulation.action)
    _end(p, s, d, settled.defaulted)

    info = Info(
        revenue=served.revenue,
        costs=s.costs.copy(),
        cost_parts=cost_parts,
        raised=raised + settled.rescue,
        raised_round=rnd.raised + settled.rescue,
        raised_deals=signed.raised,
        raised_loans=drawn,
        raised_ipo=listing.raised,
        repaid=repaid + settled.called_back,
        notes_repaid=matured.repaid,
        notes_defaulted=matured.notes_defaulted,
        credits_used=credits_used,
        demand=served.demand,
        served=served.revenue,
        compute=served.compute,
        compute_train=served.train,
        compute_infer=served.infer,
        spot_got=cap.spot_got,
        reserved_added=cap.reserved + signed.gw,
        delivered=cap.delivered,
        ordered=cap.ordered,
        order_lead=cap.lead,
        round_chance=rnd.chance,
        round_closed=rnd.closed,
        round_down=rnd.down,
        round_amount=rnd.amount,
        round_pre=rnd.pre,
        deal_signed=signed.signed,
        counter_made=signed.counter_made,
        counter_accepted=signed.counter_accepted,
        restructured=signed.restructured,
        reg_action=regulation.action,
        fine=regulation.fine,
        consent_cost=regulation.remedy,
        consent_credits=regulation.forfeited,
        fired=fired,
        covenant_called=settled.called,
        defaulted=settled.defaulted,
        ipo_filed=listing.filed,
        ipo_listed=listing.listed,
        ipo_pulled=listing.pulled,
        rescued=settled.rescued,
        scarcity=scar,
        sentiment=regime,
        refused=refusals,
    )
    if frozen is not None:
        put_rows(s, finished, frozen)
    return s, info


@dataclass(frozen=True)
class _Served:
    """The quarter's compute and market, (W, L): GW used (for training and inference), demand,
    revenue (the demand served) and capability against the leader."""

    compute: F
    train: F
    infer: F
    demand: F
    revenue: F
    rel: F


def _vs_rival(p: Params, s: State) -> F:
    """Each lab's business value against the highest other's (`outcome.valuation_vs_rival`),
    capped both ways: how customers and talent perceive it, (W, L)."""
    cap = p.demand.perception_cap
    return np.clip(outcome.valuation_vs_rival(s), 1.0 / cap, cap)


def _serve(p: Params, s: State, a: Actions, d: Draws, spot_got: F) -> _Served:
    """Split compute between training and inference, grow capability (morale and talent, with
    diffusion from the leader), grow the market and share it by attractiveness, and serve the
    demand inference can carry (in place on `s`)."""
    s.train_share[...] = a.train_share
    compute = sum_last(s.own) + sum_last(s.reserved_gw) + spot_got
    train = compute * a.train_share
    infer = compute - train
    vs_rival = _vs_rival(p, s)
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
    revenue = np.minimum(demand, infer * s.revenue_per_gw[:, None])
    s.reliability[...] = np.where(demand > 0, revenue / np.maximum(demand, 1e-12), 1.0)
    s.revenue[...] = revenue
    s.demand[...] = demand
    s.arr_hist[..., :-1] = s.arr_hist[..., 1:]
    s.arr_hist[..., -1] = 4.0 * revenue
    s.revenue_per_gw[...] *= 1.0 + p.demand.revenue_per_gw_growth
    return _Served(compute, train, infer, demand, revenue, rel)


def _bills(p: Params, s: State, a: Actions, revenue: F, cap: capacity.Capacity, fees: F) -> tuple[F, F]:
    """The quarter's costs by part (W, L, len(COST_NAMES)) and the credits they used (W, L), in
    place on `s`: a provider's bills are paid from its credits first, take-or-pay commitments
    are paid in full, staff costs grow, loans and notes accrue interest. Fines and events are
    booked later in the quarter."""
    reserved_pay, shortfall = contracts.cloud_bills(s)
    used = np.minimum(s.credits, reserved_pay + shortfall)
    s.credits[...] -= used
    credits_used = sum_last(used)
    staff = s.opex_fixed + p.costs.opex_share_of_revenue * revenue
    s.opex_fixed[...] *= 1.0 + p.costs.opex_growth
    s.notes[...] *= 1.0 + p.debt.note_interest
    s.compliance[...] = a.compliance
    pay_total = sum_last(reserved_pay)
    # a deal lasts while its committed spend runs: the provider takes its share of the revenue then
    revenue_share = revenue * sum_last(p.providers.revenue_share * (s.commit_q > 1e-12))
    zeros = np.zeros_like(revenue)
    parts = {
        "reserved": pay_total - np.minimum(credits_used, pay_total),
        "spot": cap.spot_cost,
        "shortfall": sum_last(shortfall) - np.maximum(credits_used - pay_total, 0.0),
        "own_opex": sum_last(s.own * p.options.opex[None, None, :]),
        "staff": staff,
        "interest": s.debt * p.debt.interest,
        "compliance": a.compliance,
        "legal": np.where(s.invest_left > 0, p.scrutiny.legal_cost, 0.0),
        "capex": cap.capex,
        "fees": fees,
        "revenue_share": revenue_share,
        "fines": zeros,
        "events": zeros,
    }
    return np.stack([parts[name] for name in COST_NAMES], axis=-1), credits_used


@dataclass(frozen=True)
class _Settled:
    """Cash at the quarter's end before events, (W, L), with the loans called under the covenant
    (what they took back, and the defaults where cash could not cover them) and the rivals
    rescued by an emergency round (and what it raised)."""

    cash: F
    called: B
    called_back: F
    defaulted: B
    rescued: B
    rescue: F


def _settle(p: Params, s: State, cash: F) -> _Settled:
    """Test the covenant and rescue rivals (in place on `s`): a loan is called when cash falls
    below its share of the debt; rivals are never wound up, an emergency round at a discount
    fills any hole."""
    called = (s.debt > 0) & (cash < p.debt.covenant_cash_ratio * s.debt)
    pay_back = np.where(called, np.minimum(s.debt, np.maximum(cash, 0.0)), 0.0)
    cash = cash - pay_back
    s.debt[...] -= pay_back
    defaulted = called & (s.debt > 1e-9)

    rescued = np.zeros_like(called)
    rescued[:, 1:] = (cash[:, 1:] < 0) | defaulted[:, 1:]
    need = np.where(rescued, np.maximum(-cash, 0.0) + s.debt + s.opex_fixed, 0.0)
    rescue_pre = np.maximum(s.fair * (1.0 - p.rivals.rescue_discount), need)
    dilute(s.cap, p.investor_holder(p.rivals.investor), need, rescue_pre, rescued)
    s.valuation[...] = np.where(rescued, rescue_pre + need, s.valuation)
    s.last_post[...] = np.where(rescued, rescue_pre + need, s.last_post)
    defaulted[:, 1:] = False
    return _Settled(cash + need, called, pay_back, defaulted, rescued, need)


def _value_and_events(
    p: Params,
    s: State,
    d: Draws,
    cash: F,
    cost_parts: F,
    capex: F,
    served: _Served,
    moved: B,
    business: F,
    served_credits: F,
) -> B:
    """Book the cash, move sentiment, mark fair value and drift valuations toward it (where no
    price marked them this quarter), and fire the content's events (in place on `s` and
    `cost_parts`); returns the events fired (W, E). `business` is each lab's business value at
    the start of the quarter: its mark drifts toward the market's price of the business, and the
    valuation is that mark plus the net cash now, so cash spent or earned moves the valuation by
    as much and never the business against its rival."""
    cdf_rows = p.sentiment.transition_cdf[s.sentiment]  # (W, 3)
    s.sentiment[...] = np.minimum(sum_last((d.sentiment[:, None] >= cdf_rows).astype(np.int64)), 2)

    costs = sum_last(cost_parts)
    burn = np.maximum(costs - capex - served.revenue, 0.0)  # operating burn: capital spending is scheduled apart
    s.cash[...] = cash
    s.costs[...] = costs
    s.burn[...] = burn
    scheduled = _scheduled(s)
    s.runway[...] = outcome.runway(p, cash, burn, scheduled, s.debt, sum_last(s.credits), served_credits)

    mult = multiple(p, s.sentiment, growth_yoy(s.arr_hist), served.rel, _vs_rival(p, s), s.scrutiny)
    # the market prices the business on its revenue; its shareholders also own its net cash
    priced = s.arr_hist[..., -1] * mult
    s.fair[...] = outcome.equity_value(priced, s.cash, s.debt)
    drifted = outcome.equity_value(business + p.valuation.drift * (priced - business), s.cash, s.debt)
    s.valuation[...] = np.where(moved, s.valuation, drifted)

    fired = ev.fire(p, s, ev.metrics(p, s, ev.used_metrics(p)), d.events) & ~s.done[:, None]
    s.fired[...] += fired
    s.cost_shock[...] = 1.0  # a compute-cost shock applies to the next quarter's bills only
    hit = np.flatnonzero(any_last(fired))
    if hit.size:  # only an event's cash moves the player's runway again
        _apply_events(p, s, hit, fired[hit], cost_parts)
        s.costs[...] = sum_last(cost_parts)
        s.runway[hit, 0] = outcome.runway(
            p,
            s.cash[hit, 0],
            s.burn[hit, 0],
            scheduled[hit, 0],
            s.debt[hit, 0],
            sum_last(s.credits[hit, 0]),
            served_credits[hit, 0],
        )
    return fired


def _scheduled(s: State) -> F:
    """The payments already scheduled after the quarter just played, (W, L, H): capital payments
    and the notes that fall due (slot h: h + 1 quarters from now)."""
    return s.capex_due + notes.due_schedule(s, s.capex_due.shape[-1], s.turn + 1)


def _markets_move(p: Params, s: State, d: Draws, clock: I64, spot_asked: F, reg_action: I64) -> None:
    """Supply, the outside market's demand and investors' confidence move; supply and lead-time
    shocks recover; contracts end on their own schedules (each tranche is its own contract; in the
    game's last quarter they stay on the books, so that the lab is judged on the compute it ran
    on); the regulator's clocks run; scarcity is measured anew (in place on `s`)."""
    s.supply_gw[...] *= 1.0 + p.market.supply_growth + p.market.supply_noise_sd * d.supply
    s.other_demand_gw[...] *= 1.0 + p.market.other_demand_growth
    s.supply_shock[...] += p.market.shock_recovery * (1.0 - s.supply_shock)
    s.chip_lead_extra[...] *= 1.0 - p.market.shock_recovery
    s.dc_lead_extra[...] *= 1.0 - p.market.shock_recovery
    s.confidence[...] += p.rounds.confidence_recovery * (1.0 - s.confidence)
    last_quarter = s.turn + 1 >= p.n_turns
    contracts.expire(s.reserved_ends, s.reserved_gw, clock, last_quarter)
    contracts.expire(s.commit_ends, s.commit_q, clock, last_quarter)
    scrutiny.tick(s, reg_action)
    s.scarcity[...] = market.scarcity_index(p, s, spot_asked)


def _end(p: Params, s: State, d: Draws, defaulted: B) -> None:
    """The quarter is over (in place on `s`): a lab out of cash or in default is sold, a listed
    one ends in its IPO, and at the last quarter every game is classified; next quarter's cloud
    offers are drawn."""
    s.turn[...] += 1
    bankrupt = (s.cash[:, 0] < 0) | defaulted[:, 0]
    ends = bankrupt | (s.turn >= p.n_turns)  # a listing does not end the game: its position does
    if ends.any():
        final = np.where(bankrupt, FORCED_SALE, outcome.classify(p, s))
        s.outcome[...] = np.where(ends, final, PLAYING)
    s.done[...] = ends
    if d.offers is not None:
        deals.draw_offers(p, s, d.offers)
    else:
        s.offer_on[...] = False


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
