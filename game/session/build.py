"""Turn content (a pack, a scenario and a difficulty) into engine parameters and a start.

This is the one place where names from content become indices in the engine's arrays: providers,
investor types, capacity options and events in the scenario's order, event conditions and
effects compiled into tables. It also loads the default pack with the engine's vocabulary, so
that an event testing an unknown metric is a content error.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from game.content.loader import Vocabulary, load_pack
from game.content.models import OUTCOMES, SENTIMENTS, Difficulty, Pack, Scenario
from game.engine.events import METRICS, TARGET_NAMES, TARGETS
from game.engine.init import Start
from game.engine.outcome import SCORE_PARTS
from game.engine.params import EFFECT_OPS, KIND_CHIPS, KIND_DC, OPS, OUTCOME_NAMES, Params

VOCABULARY = Vocabulary(metrics=frozenset(METRICS), targets=dict(TARGETS))
assert OUTCOME_NAMES == OUTCOMES


def load_content(folder: Path | str | None = None) -> Pack:
    """Load a content pack, checking event metrics and targets against the engine's names."""
    return load_pack(folder, VOCABULARY)


def build(
    pack: Pack, scenario: Scenario, difficulty: Difficulty, lab_name: str | None = None, quarters: int | None = None
) -> tuple[Params, Start]:
    """Parameters and starting figures for one game (`quarters` may shorten the scenario)."""
    r = pack.rules
    providers = [next(p for p in pack.providers if p.id == pid) for pid in scenario.providers]
    investors = [next(i for i in pack.investors if i.id == iid) for iid in scenario.investors]
    own_opts = [o for o in pack.capacity if o.kind in ("own_dc", "chips")]
    reserved_opt = next(o for o in pack.capacity if o.kind == "reserved")
    spot_opt = next(o for o in pack.capacity if o.kind == "spot")
    if scenario.events == "all":
        events = list(pack.events)
    else:
        events = [next(e for e in pack.events if e.id == eid) for eid in scenario.events]
    rivals = scenario.rivals
    n_l = 1 + len(rivals)
    pidx = {p.id: j for j, p in enumerate(providers)}

    # event tables
    n_e = len(events)
    n_c = max([len(e.when) for e in events] + [1])
    n_t = len(TARGET_NAMES)
    cond_metric = np.full((n_e, n_c), -1, dtype=np.int64)
    cond_op = np.zeros((n_e, n_c), dtype=np.int64)
    cond_value = np.zeros((n_e, n_c))
    ev_add = np.zeros((n_e, n_t))
    ev_mul = np.ones((n_e, n_t))
    ev_set = np.zeros((n_e, n_t))
    ev_has_set = np.zeros((n_e, n_t), dtype=bool)
    for i, e in enumerate(events):
        for j, c in enumerate(e.when):
            cond_metric[i, j] = METRICS.index(c.metric)
            cond_op[i, j] = OPS.index(c.op)
            cond_value[i, j] = c.value
        for eff in e.effects:
            t = TARGET_NAMES.index(eff.target)
            assert eff.op in EFFECT_OPS
            if eff.op == "add":
                ev_add[i, t] += eff.value
            elif eff.op == "mul":
                ev_mul[i, t] *= eff.value
            else:
                ev_set[i, t] = eff.value
                ev_has_set[i, t] = True
    chance = np.array([e.chance * (difficulty.event_chance if e.adverse else 1.0) for e in events])

    non_cloud = [k for k, i in enumerate(investors) if i.kind != "cloud"] or [0]
    rival_investor = max(non_cloud, key=lambda k: investors[k].pool)
    aggression = np.array([0.0] + [rv.aggression * difficulty.rival_aggression for rv in rivals])
    sm = r.sentiment
    sc = r.scrutiny
    reg_low = np.array(
        [sc.info_request.weight_low, sc.investigation.weight_low, sc.consent_order.weight_low, sc.fine.weight_low]
    )
    reg_high = np.array(
        [sc.info_request.weight_high, sc.investigation.weight_high, sc.consent_order.weight_high, sc.fine.weight_high]
    )
    weights = scenario.score

    params = Params(
        n_turns=scenario.quarters if quarters is None else max(1, min(quarters, scenario.quarters)),
        lab_names=(lab_name or scenario.lab_name, *[rv.name for rv in rivals]),
        provider_names=tuple(p.id for p in providers),
        investor_names=tuple(i.id for i in investors),
        option_names=tuple(o.id for o in own_opts),
        event_ids=tuple(e.id for e in events),
        scarcity_floor=r.market.scarcity_floor,
        scarcity_cap=r.market.scarcity_cap,
        pipeline_weight=r.market.pipeline_weight,
        cloud_price_elasticity=r.market.cloud_price_elasticity,
        spot_price_elasticity=r.market.spot_price_elasticity,
        spot_discount=r.market.spot_discount,
        reserved_fill_scarcity=r.market.reserved_fill_scarcity,
        spot_fill_scarcity=r.market.spot_fill_scarcity,
        supply_noise_sd=r.market.supply_noise_sd,
        shock_recovery=r.market.shock_recovery,
        max_lead=r.market.max_lead,
        supply_growth=scenario.market.supply_growth,
        other_demand_growth=scenario.market.other_demand_growth,
        market_growth_decay=scenario.market.growth_decay,
        market_noise_sd=r.demand.market_noise_sd,
        market_growth_mult=np.array(sm.market_growth_mult),
        transition_cdf=np.cumsum(np.array(sm.transition), axis=1),
        revenue_per_gw_growth=r.demand.revenue_per_gw_growth,
        share_alpha=r.demand.share_alpha,
        share_inertia=r.demand.share_inertia,
        reliability_weight=r.demand.reliability_weight,
        perception_weight=r.demand.perception_weight,
        perception_cap=r.demand.perception_cap,
        capability_gain=r.capability.gain,
        capability_exponent=r.capability.exponent,
        diffusion=r.capability.diffusion,
        morale_recovery=r.capability.morale_recovery,
        talent_weight=r.capability.talent_weight,
        opex_share=r.costs.opex_share_of_revenue,
        opex_growth=r.costs.opex_growth,
        depreciation=r.costs.depreciation,
        multiple=np.array(sm.multiple),
        base_close=np.array(sm.base_close),
        growth_reference=r.valuation.growth_reference,
        growth_weight=r.valuation.growth_weight,
        growth_factor_min=r.valuation.growth_factor_min,
        growth_factor_max=r.valuation.growth_factor_max,
        capability_val_exponent=r.valuation.capability_exponent,
        perception_exponent=r.valuation.perception_exponent,
        scrutiny_discount=r.valuation.scrutiny_discount,
        valuation_drift=r.valuation.drift,
        min_multiple=r.valuation.min_multiple,
        ask_slope=r.rounds.ask_slope,
        size_exponent=r.rounds.size_exponent,
        info_request_penalty=r.rounds.info_request_penalty,
        max_new_money=r.rounds.max_new_money,
        max_close=r.rounds.max_close,
        confidence_down_round=r.rounds.confidence_down_round,
        confidence_failed=r.rounds.confidence_failed,
        confidence_closed=r.rounds.confidence_closed,
        confidence_recovery=r.rounds.confidence_recovery,
        down_round_morale=r.rounds.down_round_morale,
        close_mult=difficulty.close_chance,
        inv_pool=np.array([i.pool for i in investors]),
        inv_tolerance=np.array([i.premium_tolerance for i in investors]),
        inv_sensitivity=np.array([i.sentiment_sensitivity for i in investors]),
        inv_min=np.array([i.min_amount for i in investors]),
        inv_is_cloud=np.array([i.kind == "cloud" for i in investors]),
        inv_scrutiny=np.array([i.scrutiny_weight for i in investors]),
        prov_base_price=np.array([p.base_price for p in providers]),
        prov_offer_chance=np.array([p.offer_chance for p in providers]),
        prov_invest_min=np.array([p.invest_min for p in providers]),
        prov_invest_max=np.array([p.invest_max for p in providers]),
        prov_credits_share=np.array([p.credits_share for p in providers]),
        prov_term_min=np.array([p.term_min for p in providers], dtype=np.int64),
        prov_term_max=np.array([p.term_max for p in providers], dtype=np.int64),
        prov_exclusive_chance=np.array([p.exclusive_chance for p in providers]),
        prov_board_chance=np.array([p.board_chance for p in providers]),
        prov_convertible_chance=np.array([p.convertible_chance for p in providers]),
        prov_stake_cap=np.array([p.stake_cap for p in providers]),
        prov_counter_flex=np.array([p.counter_flex for p in providers]),
        prov_commit_per_invest=np.array([p.commit_per_invest for p in providers]),
        deal_reference_arr=r.deals.reference_arr,
        commit_over_reserved=r.deals.commit_over_reserved,
        deal_price_discount=r.deals.price_discount,
        counter_base=r.deals.counter_base,
        counter_scarcity_slope=r.deals.counter_scarcity_slope,
        counter_commit_cut=r.deals.counter_commit_cut,
        counter_invest_raise=r.deals.counter_invest_raise,
        restructure_fee=r.deals.restructure_fee,
        offer_pre_low=r.deals.offer_pre_low,
        offer_pre_high=r.deals.offer_pre_high,
        opt_kind=np.array([KIND_DC if o.kind == "own_dc" else KIND_CHIPS for o in own_opts], dtype=np.int64),
        opt_price=np.array([o.price for o in own_opts]),
        opt_upfront=np.array([o.upfront for o in own_opts]),
        opt_lead=np.array([float(o.lead) for o in own_opts]),
        opt_lead_slope=np.array([o.lead_slope for o in own_opts]),
        opt_elasticity=np.array([o.price_elasticity for o in own_opts]),
        opt_opex=np.array([o.opex for o in own_opts]),
        opt_min=np.array([o.min_order for o in own_opts]),
        opt_max=np.array([o.max_order for o in own_opts]),
        reserve_max=reserved_opt.max_order,
        contract_horizon=max(
            [
                *reserved_opt.terms,
                *(pv.term_max for pv in providers),
                r.rivals.reserve_term,
                r.judgement.reference.reserve_term,
            ]
            + [res.quarters for res in scenario.lab.reserved]
            + [c.quarters for c in scenario.lab.commitments]
        ),
        reserve_min=reserved_opt.min_order,
        spot_max=spot_opt.max_order,
        loan_to_value=r.debt.loan_to_value,
        loan_interest=r.debt.interest,
        covenant_ratio=r.debt.covenant_cash_ratio,
        note_interest=r.debt.note_interest,
        note_discount=r.debt.note_discount,
        scr_decay=sc.decay,
        scr_stake_weight=sc.stake_weight,
        scr_exclusive_weight=sc.exclusive_weight,
        scr_board_weight=sc.board_weight,
        scr_share_weight=sc.share_weight,
        scr_share_threshold=sc.share_threshold,
        scr_compliance=sc.compliance_effect,
        hazard_base=sc.hazard_base,
        hazard_slope=sc.hazard_slope,
        hazard_mult=difficulty.hazard,
        band_split=sc.band_split,
        reg_weight_low=reg_low,
        reg_weight_high=reg_high,
        info_quarters=sc.info_request_quarters,
        investigation_quarters=sc.investigation_quarters,
        legal_cost=sc.legal_cost,
        consent_divest=sc.consent_divest,
        fine_share=sc.fine_share_of_arr,
        action_relief=sc.action_scrutiny_relief,
        dependent_threshold=r.outcomes.dependent_threshold,
        fortress_max_dependency=r.outcomes.fortress_max_dependency,
        fortress_min_runway=r.outcomes.fortress_min_runway,
        fortress_min_valuation=(
            weights.fortress_valuation if weights.fortress_valuation is not None else r.outcomes.fortress_min_valuation
        ),
        runway_cap=r.outcomes.runway_cap,
        absorbed_valuation=r.outcomes.absorbed_valuation,
        start_vs_rival=scenario.lab.valuation / max(rv.valuation for rv in rivals),
        dep_compute_weight=r.outcomes.dependency_compute_weight,
        dep_stake_weight=r.outcomes.dependency_stake_weight,
        dep_stake_reference=r.outcomes.dependency_stake_reference,
        dep_exclusive=r.outcomes.dependency_exclusive,
        dep_board=r.outcomes.dependency_board,
        outcome_multiplier=np.array([r.outcomes.multiplier[o] for o in OUTCOMES]),
        score_weights=np.array([getattr(weights, part) for part in SCORE_PARTS]),
        valuation_target=weights.valuation_target,
        runway_target=weights.runway_target,
        ipo_quarters=r.ipo.quarters_to_list,
        ipo_float=r.ipo.float_fraction,
        ipo_discount_max=r.ipo.discount_max,
        ipo_max_scrutiny=r.ipo.max_scrutiny,
        ipo_min_runway=r.ipo.min_runway,
        ipo_min_arr=scenario.ipo_min_arr,
        rival_aggression=aggression,
        rival_raise_runway=np.array([0.0] + [rv.raise_below_runway for rv in rivals]),
        rival_home=np.array([0] + [pidx[rv.home_provider] for rv in rivals], dtype=np.int64),
        rival_investor=rival_investor,
        rv_min_inference=r.rivals.min_inference,
        rv_overbuild=r.rivals.overbuild,
        rv_own_share=r.rivals.own_share,
        rv_own_max=r.rivals.own_max,
        rv_reserve_term=r.rivals.reserve_term,
        rv_whim=r.rivals.whim,
        rv_raise_quarters=r.rivals.raise_quarters,
        rv_raise_floor=r.rivals.raise_floor,
        rv_raise_pool_share=r.rivals.raise_pool_share,
        rv_raise_min_aggression=r.rivals.raise_min_aggression,
        rv_ask_premium=r.rivals.ask_premium,
        rv_rescue_discount=r.rivals.rescue_discount,
        ev_chance=np.clip(chance, 0.0, 1.0),
        ev_once=np.array([e.once for e in events], dtype=bool),
        ev_cond_metric=cond_metric,
        ev_cond_op=cond_op,
        ev_cond_value=cond_value,
        ev_add=ev_add,
        ev_mul=ev_mul,
        ev_set=ev_set,
        ev_has_set=ev_has_set,
    )

    # starting figures
    lab = scenario.lab
    n_p, n_o = len(providers), len(own_opts)
    n_k = params.n_holders
    own = np.zeros((n_l, n_o))
    for oid, gw in lab.own_gw.items():
        own[0, [o.id for o in own_opts].index(oid)] = gw
    reserved_gw = np.zeros((n_l, n_p))
    reserved_price = np.zeros((n_l, n_p))
    reserved_left = np.zeros((n_l, n_p), dtype=np.int64)
    for res in lab.reserved:
        j = pidx[res.provider]
        reserved_gw[0, j] += res.gw
        reserved_price[0, j] = res.price
        reserved_left[0, j] = max(reserved_left[0, j], res.quarters)
    for li, rv in enumerate(rivals, start=1):
        j = pidx[rv.home_provider]
        reserved_gw[li, j] = rv.gw
        reserved_price[li, j] = providers[j].base_price
        reserved_left[li, j] = r.rivals.reserve_term
    commit_q = np.zeros((n_l, n_p))
    commit_left = np.zeros((n_l, n_p), dtype=np.int64)
    for commitment in lab.commitments:
        j = pidx[commitment.provider]
        commit_q[0, j] += commitment.per_quarter
        commit_left[0, j] = max(commit_left[0, j], commitment.quarters)
    cap = np.zeros((n_l, n_k))
    holder_ids = ["founders", *params.investor_names, *params.provider_names, "others"]
    for holder, frac in lab.cap_table.items():
        cap[0, holder_ids.index(holder)] += frac
    cap[1:, 0] = 0.5
    cap[1:, params.investor_holder(rival_investor)] = 0.5
    board = np.zeros((n_l, n_p), dtype=bool)
    for pid in lab.board_seats:
        board[0, pidx[pid]] = True
    exclusive = np.full(n_l, -1, dtype=np.int64)
    if lab.exclusive is not None:
        exclusive[0] = pidx[lab.exclusive]

    def per_lab(player: float, attr: str) -> np.ndarray:
        return np.array([player] + [float(getattr(rv, attr)) for rv in rivals])

    start = Start(
        sentiment=SENTIMENTS.index(scenario.market.sentiment),
        market_arr=scenario.market.arr,
        market_growth=scenario.market.growth * difficulty.market_growth,
        supply_gw=scenario.market.supply_gw,
        other_demand_gw=scenario.market.other_demand_gw,
        revenue_per_gw=r.demand.revenue_per_gw,
        cash=per_lab(lab.cash * difficulty.cash, "cash"),
        arr=per_lab(lab.arr, "arr"),
        growth=per_lab(lab.growth, "growth"),
        capability=per_lab(lab.capability, "capability"),
        train_share=per_lab(lab.train_share, "train_share"),
        opex=per_lab(lab.opex, "opex"),
        valuation=per_lab(lab.valuation, "valuation"),
        debt=np.array([lab.debt] + [0.0] * len(rivals)),
        scrutiny=np.full(n_l, scenario.scrutiny),
        own=own,
        reserved_gw=reserved_gw,
        reserved_price=reserved_price,
        reserved_left=reserved_left,
        commit_q=commit_q,
        commit_left=commit_left,
        cap=cap,
        board=board,
        exclusive=exclusive,
    )
    return params, start
