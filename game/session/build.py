"""Turn content (a pack, a scenario and a difficulty) into engine parameters and a start.

This is the one place where names from content become indices in the engine's arrays: providers,
investor types, capacity options and events in the scenario's order, event conditions and
effects compiled into tables. It also loads the default pack with the engine's vocabulary, so
that an event testing an unknown metric is a content error.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from pydantic import BaseModel

from game.content.loader import Vocabulary, load_pack
from game.content.models import OUTCOMES, SENTIMENTS, Difficulty, LabStart, Pack, Rival, Scenario
from game.engine.events import METRICS, TARGET_NAMES, TARGETS
from game.engine.init import Start
from game.engine.outcome import SCORE_PARTS, VALUE_FLOOR
from game.engine.params import (
    EFFECT_OPS,
    KIND_CHIPS,
    KIND_DC,
    OPS,
    OUTCOME_NAMES,
    REG_NAMES,
    Capability,
    Cloud,
    Costs,
    Deals,
    Debt,
    Demand,
    Events,
    Investors,
    Ipo,
    Market,
    Options,
    Outcomes,
    Params,
    Providers,
    Rivals,
    Rounds,
    Score,
    Scrutiny,
    Sentiment,
    Valuation,
)

R = TypeVar("R")

VOCABULARY = Vocabulary(metrics=frozenset(METRICS), targets=dict(TARGETS))
assert OUTCOME_NAMES == OUTCOMES


def _metric(name: str) -> int:
    """The engine's index of a metric named in content; a name the engine lacks (a save's own
    content edited by hand) is a KeyError naming it, as any other unknown name."""
    if name not in METRICS:
        raise KeyError(name)
    return METRICS.index(name)


def _business(lab: LabStart | Rival) -> float:
    """A lab's starting valuation less its net cash (`game.engine.outcome.business_value`)."""
    return max(lab.valuation - lab.cash + getattr(lab, "debt", 0.0), VALUE_FLOOR * lab.valuation)


def load_content(folder: Path | str | None = None) -> Pack:
    """Load a content pack, checking event metrics and targets against the engine's names."""
    return load_pack(folder, VOCABULARY)


def _record(cls: type[R], *sources: BaseModel, **given: Any) -> R:
    """A params record of `cls` whose fields come from `given`, else from the first content model
    in `sources` that has a field of the same name (engine records carry the content's names)."""
    values = dict(given)
    for f in fields(cls):  # type: ignore[arg-type]
        if f.name not in values:
            source = next(src for src in sources if f.name in type(src).model_fields)
            values[f.name] = getattr(source, f.name)
    return cls(**values)


def _stack(cls: type[R], items: list[Any], **given: Any) -> R:
    """A params record of `cls` with one array entry per content item (providers, investors,
    options), each field read from the item's field of the same name unless `given`."""
    values = dict(given)
    for f in fields(cls):  # type: ignore[arg-type]
        if f.name not in values:
            column = [getattr(item, f.name) for item in items]
            values[f.name] = np.array(column, dtype=np.int64 if isinstance(column[0], int) else np.float64)
    return cls(**values)


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
    for objective in scenario.objectives:  # marked from the engine's metrics after each quarter
        for check in (objective.check, objective.also):
            if check is not None:
                _metric(check.metric)
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
            cond_metric[i, j] = _metric(c.metric)
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
    sm = r.sentiment
    sc = r.scrutiny
    weights = scenario.score

    params = Params(
        n_turns=scenario.quarters if quarters is None else max(1, min(quarters, scenario.quarters)),
        lab_names=(lab_name or scenario.lab_name, *[rv.name for rv in rivals]),
        provider_names=tuple(p.id for p in providers),
        investor_names=tuple(i.id for i in investors),
        option_names=tuple(o.id for o in own_opts),
        event_ids=tuple(e.id for e in events),
        market=_record(Market, r.market, scenario.market),
        demand=_record(Demand, r.demand),
        capability=_record(Capability, r.capability),
        costs=_record(Costs, r.costs),
        sentiment=Sentiment(
            transition_cdf=np.cumsum(np.array(sm.transition), axis=1),
            market_growth_mult=np.array(sm.market_growth_mult),
            multiple=np.array(sm.multiple),
            base_close=np.array(sm.base_close),
        ),
        valuation=_record(Valuation, r.valuation),
        rounds=_record(Rounds, r.rounds, close_mult=difficulty.close_chance),
        deals=_record(Deals, r.deals),
        debt=_record(Debt, r.debt),
        scrutiny=_record(
            Scrutiny,
            sc,
            hazard_mult=difficulty.hazard,
            weight_low=np.array([getattr(sc, kind).weight_low for kind in REG_NAMES[1:]]),
            weight_high=np.array([getattr(sc, kind).weight_high for kind in REG_NAMES[1:]]),
        ),
        outcomes=_record(
            Outcomes,
            r.outcomes,
            fortress_min_valuation=(
                weights.fortress_valuation
                if weights.fortress_valuation is not None
                else r.outcomes.fortress_min_valuation
            ),
            # against the rival as `outcome.valuation_vs_rival` measures it: the business, net of cash
            start_vs_rival=_business(scenario.lab) / max(_business(rv) for rv in rivals),
            multiplier=np.array([r.outcomes.multiplier[o] for o in OUTCOMES]),
        ),
        score=Score(
            weights=np.array([getattr(weights, part) for part in SCORE_PARTS]),
            valuation_target=weights.valuation_target,
            runway_target=weights.runway_target,
        ),
        ipo=_record(Ipo, r.ipo, min_arr=scenario.ipo_min_arr),
        rivals=_record(
            Rivals,
            r.rivals,
            aggression=np.array([0.0] + [rv.aggression * difficulty.rival_aggression for rv in rivals]),
            raise_below_runway=np.array([0.0] + [rv.raise_below_runway for rv in rivals]),
            home=np.array([0] + [pidx[rv.home_provider] for rv in rivals], dtype=np.int64),
            investor=rival_investor,
        ),
        providers=_stack(Providers, providers),
        investors=_stack(Investors, investors, is_cloud=np.array([i.kind == "cloud" for i in investors])),
        options=_stack(
            Options,
            own_opts,
            kind=np.array([KIND_DC if o.kind == "own_dc" else KIND_CHIPS for o in own_opts], dtype=np.int64),
            lead=np.array([float(o.lead) for o in own_opts]),
        ),
        cloud=Cloud(
            reserve_min=reserved_opt.min_order,
            reserve_max=reserved_opt.max_order,
            reserve_terms=np.array(reserved_opt.terms, dtype=np.int64),
            spot_min=spot_opt.min_order,
            spot_max=spot_opt.max_order,
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
        ),
        events=Events(
            chance=np.clip(chance, 0.0, 1.0),
            once=np.array([e.once for e in events], dtype=bool),
            cond_metric=cond_metric,
            cond_op=cond_op,
            cond_value=cond_value,
            add=ev_add,
            mul=ev_mul,
            set=ev_set,
            has_set=ev_has_set,
        ),
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
    cap[1:, 0] = r.rivals.founders_share
    cap[1:, params.investor_holder(rival_investor)] = 1.0 - r.rivals.founders_share
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
        # the difficulty's extra (or missing) cash is the lab's own: the business is the same
        valuation=per_lab(lab.valuation + lab.cash * (difficulty.cash - 1.0), "valuation"),
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
