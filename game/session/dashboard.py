"""Read a game's state into plain views: the dashboard, this quarter's offers, capacity choices."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine import contracts, deals, market, scrutiny
from game.engine.contracts import ending_after, quarters_left
from game.engine.events import METRICS, metrics
from game.engine.legality import loan_limit
from game.engine.outcome import business_value, classify, dependency, partner_stakes, score
from game.engine.params import SENTIMENT_NAMES, Params
from game.engine.state import State
from game.engine.valuation import others_max
from game.session.views import (
    CapacityChoice,
    Contract,
    Dashboard,
    Forecast,
    NoteView,
    Offer,
    PipelineItem,
    RivalView,
)

if TYPE_CHECKING:
    from game.session.core import GameCore


def metric(p: Params, s: State, name: str) -> float:
    """One named metric of the player's lab (the same names events use)."""
    return float(metrics(p, s)[0, METRICS.index(name)])


def serving_cost(p: Params, s: State) -> float:
    """What serving customers cost the player's lab a quarter: the inference share of its compute
    bills (reserved cloud at its contract prices, running and writing down owned capacity)."""
    cloud = float((s.reserved_gw[0, 0] * s.reserved_price[0, 0]).sum())
    owned = float((s.own[0, 0] * p.options.opex).sum()) + float(s.assets[0, 0]) * p.costs.depreciation
    return (1.0 - float(s.train_share[0, 0])) * (cloud + owned)


def gross_margin(p: Params, s: State) -> float:
    """The player's gross margin: revenue less its serving cost, over revenue (0 without revenue).
    The one definition the dashboard, the glossary and the calibration table use."""
    revenue = float(s.revenue[0, 0])
    return (revenue - serving_cost(p, s)) / revenue if revenue > 1e-9 else 0.0


def holder_label(game: GameCore, holder: str) -> str:
    if holder == "founders":
        return "Founders and staff"
    if holder == "others":
        return "Public and other holders"
    if holder in game.params.provider_names:
        return game.provider_name(holder)
    return game.investor_name(holder) + "s"


def cap_table(game: GameCore, s: State) -> tuple[tuple[str, float], ...]:
    names = game.params.holder_names()
    return tuple((holder_label(game, n), float(s.cap[0, 0, k])) for k, n in enumerate(names) if s.cap[0, 0, k] > 1e-9)


def notes(game: GameCore, s: State) -> tuple[NoteView, ...]:
    """The player's convertible notes outstanding, one per provider holding one."""
    p = game.params
    return tuple(
        NoteView(
            provider=pid,
            provider_name=game.provider_name(pid),
            principal=float(s.note_principal[0, 0, j]),
            owed=float(s.notes[0, 0, j]),
            cap=float(s.note_cap[0, 0, j]),
            discount=p.debt.note_discount,
            due=game.quarter_label(int(s.note_due[0, 0, j])),
            quarters_left=int(s.note_due[0, 0, j] - s.turn[0]),
        )
        for j, pid in enumerate(p.provider_names)
        if s.notes[0, 0, j] > 0
    )


def forecast(game: GameCore) -> Forecast | None:
    """This quarter in a calm market with the plan so far (None once the game is over)."""
    if game.over:
        return None
    s = game.state
    _, info = game.project()
    demand, per_gw = float(info.demand[0, 0]), float(s.revenue_per_gw[0])
    return Forecast(
        demand=demand,
        served=float(info.served[0, 0]),
        needed_gw=demand / per_gw,
        serving_gw=float(info.compute_infer[0, 0]),
    )


def dashboard(game: GameCore, s: State | None = None, *, with_forecast: bool = False) -> Dashboard:
    """The dashboard of `s` (by default the quarter being played); `with_forecast` adds this
    quarter's calm projection with the plan so far (the live dashboard's)."""
    p = game.params
    s = game.state if s is None else s
    dep = dependency(p, s)[0, 0]
    stakes = partner_stakes(p, s)[0, 0]
    rival_idx = int(np.argmax(s.valuation[0, 1:])) + 1 if p.n_labs > 1 else 0
    lead = market.own_lead(p, s)[0]
    kinds = p.options.kind
    cloud = market.cloud_price(p, s.scarcity)[0]
    reserved_left = quarters_left(s.reserved_ends, s.turn)
    commit_left = quarters_left(s.commit_ends, s.turn)
    reserved_ending = ending_after(s.reserved_ends, s.turn)
    if bool(s.done[0]):  # contracts that ran to the last quarter stay on the books, with no term left
        reserved_left[...], commit_left[...], reserved_ending[...] = 0, 0, 0.0
    contracts = []
    for j, pid in enumerate(p.provider_names):
        if (
            s.reserved_gw[0, 0, j] > 0
            or s.commit_q[0, 0, j] > 0
            or stakes[j] > 0
            or s.notes[0, 0, j] > 0
            or s.credits[0, 0, j] > 0
        ):
            contracts.append(
                Contract(
                    provider=pid,
                    provider_name=game.provider_name(pid),
                    gw=float(s.reserved_gw[0, 0, j]),
                    price=float(s.reserved_price[0, 0, j]),
                    quarters_left=int(reserved_left[0, 0, j]),
                    ending_next=float(reserved_ending[0, 0, j]),
                    commit=float(s.commit_q[0, 0, j]),
                    commit_left=int(commit_left[0, 0, j]),
                    credits=float(s.credits[0, 0, j]),
                    notes=float(s.notes[0, 0, j]),
                    stake=float(stakes[j]),
                    dependency=float(dep[j]),
                    exclusive=int(s.exclusive[0, 0]) == j,
                    board_seat=bool(s.board[0, 0, j]),
                )
            )
    rivals = tuple(
        RivalView(
            name=p.lab_names[li],
            valuation=float(s.valuation[0, li]),
            arr=float(s.arr_hist[0, li, -1]),
            capability=float(s.capability[0, li]),
            share=float(s.share[0, li]),
            gw=float(s.own[0, li].sum() + s.reserved_gw[0, li].sum()),
        )
        for li in range(1, p.n_labs)
    )
    pipeline = []
    for o, oid in enumerate(p.option_names):
        for h in range(p.market.max_lead):
            gw = float(s.pipe[0, 0, o, h])
            if gw > 1e-9:
                pipeline.append(PipelineItem(oid, gw, h, game.quarter_label(int(s.turn[0]) + h)))
    compute = float(s.own[0, 0].sum() + s.reserved_gw[0, 0].sum())
    demand = float(s.demand[0, 0])
    return Dashboard(
        lab=p.lab_names[0],
        quarter=game.quarter_label(int(s.turn[0])),
        turn=int(s.turn[0]),
        turns=p.n_turns,
        cash=float(s.cash[0, 0]),
        burn=float(s.burn[0, 0]),
        gross_margin=gross_margin(p, s),
        capex_due=float(s.capex_due[0, 0].sum()),
        runway=float(s.runway[0, 0]),
        revenue=float(s.revenue[0, 0]),
        arr=float(s.arr_hist[0, 0, -1]),
        growth=metric(p, s, "growth"),
        demand=demand,
        reliability=float(s.reliability[0, 0]),
        valuation=float(s.valuation[0, 0]),
        fair_value=float(s.fair[0, 0]),
        last_post=float(s.last_post[0, 0]),
        rival=p.lab_names[rival_idx],
        rival_valuation=float(others_max(s.valuation)[0, 0]),
        vs_rival=metric(p, s, "valuation_vs_rival"),
        business=float(business_value(s)[0, 0]),
        rival_business=float(others_max(business_value(s))[0, 0]),
        capability=float(s.capability[0, 0]),
        capability_rel=metric(p, s, "capability_rel"),
        share=float(s.share[0, 0]),
        own_gw=float(s.own[0, 0].sum()),
        reserved_gw=float(s.reserved_gw[0, 0].sum()),
        compute_gw=compute,
        train_share=float(s.train_share[0, 0]),
        inference_gw=compute * (1.0 - float(s.train_share[0, 0])),
        needed_gw=demand / float(s.revenue_per_gw[0]),
        scarcity=float(s.scarcity[0]),
        sentiment=SENTIMENT_NAMES[int(s.sentiment[0])],
        cloud_price=float(cloud.mean()),
        spot_price=float(market.spot_price(p, s.scarcity)[0]),
        chip_lead=int(lead[int(np.argmax(kinds == 1))]) if (kinds == 1).any() else 0,
        dc_lead=int(lead[int(np.argmax(kinds == 0))]) if (kinds == 0).any() else 0,
        scrutiny=float(s.scrutiny[0, 0]),
        hazard=float(scrutiny.hazard(p, s.scrutiny[0, :1])[0]),
        max_dependency=float(dep.max()) if dep.size else 0.0,
        dependent_at=p.outcomes.dependent_threshold,
        fortress_dependency=p.outcomes.fortress_max_dependency,
        debt=float(s.debt[0, 0]),
        loan_limit=float(loan_limit(p, s)[0]) if s is game.state else 0.0,
        commitments=commitments(s),
        confidence=float(s.confidence[0, 0]),
        morale=float(s.morale[0, 0]),
        compliance=float(s.compliance[0, 0]),
        info_request=int(s.info_left[0, 0]),
        investigation=int(s.invest_left[0, 0]),
        ipo_quarters=int(s.ipo_left[0, 0]),
        listed=bool(s.listed[0, 0]),
        cap_table=cap_table(game, s),
        notes=notes(game, s),
        contracts=tuple(contracts),
        rivals=rivals,
        pipeline=tuple(pipeline),
        score=float(score(p, s, np.where(s.outcome >= 0, s.outcome, classify(p, s)))[0]),
        forecast=forecast(game) if with_forecast and s is game.state else None,
    )


def commitments(s: State) -> float:
    """What the lab's cloud contracts bind it to pay a quarter: reserved capacity at its price,
    or the take-or-pay minimum where that is more."""
    reserved, extra = contracts.cloud_bills(s)
    return float((reserved + extra)[0, 0].sum())


def counter_chance(game: GameCore, provider_index: int) -> float:
    return float(deals.counter_chance(game.params, game.state.scarcity[:1])[0, 0, provider_index])


def offers(game: GameCore) -> list[Offer]:
    """The offers on the table this quarter."""
    p, s = game.params, game.state
    out = []
    for j, pid in enumerate(p.provider_names):
        if not bool(s.offer_on[0, 0, j]):
            continue
        invest = float(s.offer_invest[0, 0, j])
        pre = float(s.offer_pre[0, 0, j])
        conv = bool(s.offer_convertible[0, 0, j])
        out.append(
            Offer(
                provider=pid,
                provider_name=game.provider_name(pid),
                invest=invest,
                credits=invest * float(p.providers.credits_share[j]),
                stake=0.0 if conv else invest / (pre + invest),
                pre_money=pre,
                convertible=conv,
                gw=float(s.offer_gw[0, 0, j]),
                price=float(s.offer_price[0, 0, j]),
                term=int(s.offer_term[0, 0, j]),
                commit=float(s.offer_commit[0, 0, j]),
                exclusive=bool(s.offer_exclusive[0, 0, j]),
                board_seat=bool(s.offer_board[0, 0, j]),
                counter_chance=counter_chance(game, j),
            )
        )
    return out


def capacity_choices(game: GameCore) -> list[CapacityChoice]:
    """Every way to buy compute now, priced at today's scarcity (reserved: one per provider)."""
    p, s = game.params, game.state
    scar = s.scarcity
    lead = market.own_lead(p, s)[0]
    own_price = market.own_price(p, scar)[0]
    cloud = market.cloud_price(p, scar)[0]
    out = []
    for opt in game.pack.capacity:
        if opt.kind in ("own_dc", "chips"):
            o = p.option_names.index(opt.id)
            out.append(
                CapacityChoice(
                    opt.id,
                    opt.name,
                    opt.kind,
                    float(own_price[o]),
                    int(lead[o]),
                    1.0,
                    opt.min_order,
                    opt.max_order,
                    blurb=opt.blurb,
                    upfront=opt.upfront,
                    opex=opt.opex,
                )
            )
        elif opt.kind == "reserved":
            fill = float(market.reserved_fill(p, scar)[0])
            for j, pid in enumerate(p.provider_names):
                out.append(
                    CapacityChoice(
                        opt.id,
                        f"{opt.name}: {game.provider_name(pid)}",
                        opt.kind,
                        float(cloud[j]),
                        0,
                        fill,
                        opt.min_order,
                        opt.max_order,
                        tuple(opt.terms),
                        pid,
                        opt.blurb,
                        provider_name=game.provider_name(pid),
                    )
                )
        else:
            out.append(
                CapacityChoice(
                    opt.id,
                    opt.name,
                    opt.kind,
                    float(market.spot_price(p, scar)[0]),
                    0,
                    float(market.spot_fill(p, scar)[0]),
                    opt.min_order,
                    opt.max_order,
                    blurb=opt.blurb,
                )
            )
    return out
