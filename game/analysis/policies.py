"""Bot policies: simple strategies that play through the session's actions, like a player.

Each policy looks at the game through the same views the interface uses (dashboard, offers,
capacity choices), decides this quarter's actions and applies those the rules allow. They exist to
show a designer that no single strategy dominates, and to give the analysis a reference player.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from game.session.actions import (
    Action,
    Borrow,
    FileIpo,
    OrderCapacity,
    RaiseRound,
    Repay,
    RespondDeal,
    Restructure,
    SetCompliance,
    SetSplit,
)
from game.session.dashboard import capacity_choices, dashboard, offers
from game.session.game import Game
from game.session.preview import preview
from game.session.views import Dashboard

Policy = Callable[[Game], list[Action]]


# ---- the bots' habits ------------------------------------------------------------------------------
# One table per bot, read by the session bots below and by their vector forms on the engine's arrays
# (`game.analysis.vector_bots`), so that the two play the same games and cannot drift apart.

RESERVED_OPTION = "reserved"
"""The capacity option id the bots contract reserved cloud capacity with."""
SERVING_FLOOR = 0.05
"""`_serving_gap` sizes compute as if at least this share of it served customers."""
ORDER_FLOOR = 0.05
"""`_reserve` never places a reserved order of less than this many GW with one provider."""
ROUND_FLOOR_SHARE = 0.02
"""`_fund` asks for at least this share of fair value."""
PRE_MONEY_FLOOR = 1.0
"""`_fund` never asks a pre-money below this ($B)."""
CEILING_MARGIN = 0.99
"""`_fund` stays this far inside the most new money one round may sell."""
REVENUE_FLOOR = 1e-9
"""multi-cloud measures a deal's commitment against at least this much revenue ($B)."""


@dataclass(frozen=True)
class Funding:
    """How a bot raises: the investor types it asks in turn, and the round it asks each for."""

    investors: tuple[str, ...]
    premium: float
    """The ask: fair value x (1 + premium)."""
    quarters: float
    """Enough to cover this many quarters of burn plus the scheduled CapEx."""
    pool_share: float
    """At most this share of the investor type's pool."""


@dataclass(frozen=True)
class Serving:
    """How much compute a bot wants serving customers: last quarter's demand grown and buffered."""

    demand_growth: float
    buffer: float


@dataclass(frozen=True)
class RecklessHabits:
    train_share: float
    funding: Funding
    serving: Serving
    reserve_term: int
    campus_min_gw: float
    """It builds when its cash would pay for this many GW of campus outright."""
    campus_cash_share: float
    """The share of its cash it spends on a campus order..."""
    campus_upfront_margin: float
    """...sized as if the deposit were the campus's up-front share plus this margin."""


@dataclass(frozen=True)
class LoyalistHabits:
    serving: Serving
    reserve_term: int
    raise_below_runway: float
    funding: Funding


@dataclass(frozen=True)
class MultiCloudHabits:
    compliance: float
    wanted: Serving
    """The capacity a deal may bring at most."""
    max_dependency: float
    """A deal is declined if the projected dependency on one provider reaches this."""
    max_commit_share: float
    """A deal is declined if its committed spend per quarter exceeds this share of revenue."""
    serving: Serving
    reserve_providers: int
    """It reserves from this many providers, those it depends on least."""
    reserve_term: int
    own_share: float
    """It builds its own campus up to this share of its compute (owned and on order)."""
    build_runway: float
    """It builds only with more runway than this, and keeps this many quarters of burn after."""
    raise_below_runway: float
    funding: Funding


@dataclass(frozen=True)
class FrugalHabits:
    train_share: float
    serving: Serving
    reserve_term: int
    raise_below_runway: float
    funding: Funding


RECKLESS = RecklessHabits(
    train_share=0.65,
    funding=Funding(("sovereign", "crossover", "chipmaker", "vc"), premium=0.15, quarters=12.0, pool_share=1.0),
    serving=Serving(demand_growth=0.25, buffer=0.4),
    reserve_term=12,
    campus_min_gw=0.5,
    campus_cash_share=0.5,
    campus_upfront_margin=0.2,
)
LOYALIST = LoyalistHabits(
    serving=Serving(demand_growth=0.15, buffer=0.1),
    reserve_term=12,
    raise_below_runway=6.0,
    funding=Funding(("cloud", "crossover"), premium=0.0, quarters=8.0, pool_share=0.8),
)
MULTI_CLOUD = MultiCloudHabits(
    compliance=0.1,
    wanted=Serving(demand_growth=0.15, buffer=0.3),
    max_dependency=0.4,
    max_commit_share=0.2,
    serving=Serving(demand_growth=0.15, buffer=0.1),
    reserve_providers=2,
    reserve_term=8,
    own_share=0.3,
    build_runway=6.0,
    raise_below_runway=8.0,
    funding=Funding(("crossover", "sovereign", "vc"), premium=0.0, quarters=10.0, pool_share=0.7),
)
FRUGAL = FrugalHabits(
    train_share=0.45,
    serving=Serving(demand_growth=0.05, buffer=-0.1),
    reserve_term=4,
    raise_below_runway=4.0,
    funding=Funding(("crossover", "vc"), premium=-0.05, quarters=6.0, pool_share=0.5),
)


def _try(game: Game, actions: list[Action]) -> list[Action]:
    """Apply each action the rules allow; return those applied."""
    done = []
    for action in actions:
        if game.check(action) is None:
            game.apply(action)
            done.append(action)
    return done


def _serving_gap(game: Game, serving: Serving) -> float:
    """GW of compute to add now so that this quarter's inference covers expected demand."""
    _, info = game.project()
    d = dashboard(game)
    per_gw = float(game.state.revenue_per_gw[0])
    share = float(game.plan().train_share[0, 0])
    need_infer = d.demand * (1.0 + serving.demand_growth) * (1.0 + serving.buffer) / per_gw
    return max(0.0, (need_infer - float(info.compute_infer[0, 0])) / max(1.0 - share, SERVING_FLOOR))


def _fund(game: Game, d: Dashboard, funding: Funding) -> list[Action]:
    """A round at fair value x (1 + premium) sized to cover `quarters` of burn, within the pool."""
    p = game.params
    for inv_id in funding.investors:
        if inv_id not in p.investor_names:
            continue
        i = p.investor_names.index(inv_id)
        pre = max(d.fair_value * (1.0 + funding.premium), PRE_MONEY_FLOOR)
        wanted = max(
            d.burn * funding.quarters + d.capex_due - d.cash,
            float(p.investors.min_amount[i]),
            ROUND_FLOOR_SHARE * d.fair_value,
        )
        amount = min(
            wanted,
            funding.pool_share * float(p.investors.pool[i]),
            pre * p.rounds.max_new_money / (1.0 - p.rounds.max_new_money) * CEILING_MARGIN,
        )
        provider = None
        if bool(p.investors.is_cloud[i]):
            provider = max(d.contracts, key=lambda c: c.stake).provider if d.contracts else p.provider_names[0]
        action = RaiseRound(
            investor=inv_id, amount=max(amount, float(p.investors.min_amount[i])), pre_money=pre, provider=provider
        )
        if game.check(action) is None:
            return [action]
    return []


def _reserve(game: Game, gw: float, providers: list[str], term: int) -> list[Action]:
    """Reserved orders for `gw` spread evenly over `providers`."""
    if gw <= 0 or not providers:
        return []
    each = gw / len(providers)
    return [
        OrderCapacity(option=RESERVED_OPTION, gw=max(each, ORDER_FLOOR), provider=pid, term=term) for pid in providers
    ]


def passive(game: Game) -> list[Action]:
    """Does nothing at all: keeps its contracts, never raises, never buys."""
    return []


def reckless(game: Game) -> list[Action]:
    """Raises every quarter at a steep premium, signs every offer, buys compute with both hands."""
    h = RECKLESS
    d = dashboard(game)
    done = _try(game, [SetSplit(train_share=h.train_share)])
    done += _try(game, _fund(game, d, h.funding))
    done += _try(game, [RespondDeal(provider=o.provider, response="accept") for o in offers(game)])
    gap = _serving_gap(game, h.serving)
    done += _try(game, _reserve(game, gap, list(game.params.provider_names), h.reserve_term))
    campus = next(c for c in capacity_choices(game) if c.kind == "own_dc")
    if d.cash > h.campus_min_gw * campus.price:
        done += _try(
            game,
            [
                OrderCapacity(
                    option=campus.option,
                    gw=min(campus.max_order, h.campus_cash_share * d.cash / campus.price / campus_upfront(game)),
                )
            ],
        )
    return done


def campus_upfront(game: Game) -> float:
    """The share of a campus's price reckless sizes its order by: the deposit plus a margin."""
    return next(o.upfront for o in game.pack.capacity if o.kind == "own_dc") + RECKLESS.campus_upfront_margin


def cloud_loyalist(game: Game) -> list[Action]:
    """Stays with its biggest partner: takes all its offers, exclusivity included, buys only from it."""
    h = LOYALIST
    d = dashboard(game)
    home = max(d.contracts, key=lambda c: (c.stake, c.gw)).provider if d.contracts else game.params.provider_names[0]
    done = _try(
        game,
        [
            RespondDeal(provider=o.provider, response="accept" if o.provider == home else "decline")
            for o in offers(game)
        ],
    )
    done += _try(game, _reserve(game, _serving_gap(game, h.serving), [home], h.reserve_term))
    if d.runway < h.raise_below_runway:
        done += _try(game, _fund(game, d, h.funding))
    return done


def multi_cloud(game: Game) -> list[Action]:
    """Spreads compute across providers, builds its own campus, refuses exclusivity, raises at fair value."""
    h = MULTI_CLOUD
    d = dashboard(game)
    done = _try(game, [SetCompliance(spend=h.compliance)])
    wanted = _serving_gap(game, h.wanted)
    for o in offers(game):
        if o.exclusive:
            answer = RespondDeal(provider=o.provider, response="counter", term="exclusivity")
        elif o.board_seat:
            answer = RespondDeal(provider=o.provider, response="counter", term="board_seat")
        else:
            answer = RespondDeal(provider=o.provider, response="accept")
            view = preview(game, answer)
            affordable = o.commit <= h.max_commit_share * max(d.revenue, REVENUE_FLOOR) and o.gw <= wanted
            if not (view.legal and view.dependency[1] < h.max_dependency and affordable):
                answer = RespondDeal(provider=o.provider, response="decline")
        done += _try(game, [answer])
    gap = _serving_gap(game, h.serving)
    by_dependency = sorted(
        game.params.provider_names, key=lambda pid: next((c.dependency for c in d.contracts if c.provider == pid), 0.0)
    )
    done += _try(game, _reserve(game, gap, by_dependency[: h.reserve_providers], h.reserve_term))
    campus = next(c for c in capacity_choices(game) if c.kind == "own_dc")
    owned = d.own_gw + sum(item.gw for item in d.pipeline)
    build = min(max(h.own_share * d.compute_gw - owned, 0.0), campus.max_order)
    if (
        build >= campus.min_order
        and d.runway > h.build_runway
        and d.cash - d.capex_due - h.build_runway * d.burn > build * campus.price
    ):
        done += _try(game, [OrderCapacity(option=campus.option, gw=build)])
    if d.runway < h.raise_below_runway:
        done += _try(game, _fund(game, d, h.funding))
    return done


def frugal(game: Game) -> list[Action]:
    """Buys only what it must, declines every partner deal and raises only when runway is short."""
    h = FRUGAL
    d = dashboard(game)
    done = _try(game, [SetSplit(train_share=h.train_share)])
    done += _try(game, [RespondDeal(provider=o.provider, response="decline") for o in offers(game)])
    cheapest = min((c for c in capacity_choices(game) if c.kind == "reserved"), key=lambda c: c.price)
    assert cheapest.provider is not None
    done += _try(game, _reserve(game, _serving_gap(game, h.serving), [cheapest.provider], h.reserve_term))
    if d.runway < h.raise_below_runway:
        done += _try(game, _fund(game, d, h.funding))
    return done


def random_policy(game: Game) -> list[Action]:
    """Random legal actions, for tests: a keyed generator makes the same game give the same moves."""
    gen = np.random.default_rng([game.seed, game.turn, 11])
    d = dashboard(game)
    p = game.params
    candidates: list[Action] = [SetSplit(train_share=float(gen.uniform(0.0, 1.0)))]
    if gen.random() < 0.4:
        inv = str(gen.choice(list(p.investor_names)))
        pre = max(d.fair_value * float(gen.uniform(0.6, 1.6)), 1.0)
        provider = str(gen.choice(list(p.provider_names)))
        candidates.append(
            RaiseRound(investor=inv, amount=pre * float(gen.uniform(0.001, 0.5)), pre_money=pre, provider=provider)
        )
    for o in offers(game):
        answer = RespondDeal.model_validate(
            {
                "provider": o.provider,
                "response": str(gen.choice(["accept", "decline", "counter"])),
                "term": str(gen.choice(["exclusivity", "board_seat", "commitment", "investment"])),
            }
        )
        if answer.response != "counter":
            answer = answer.model_copy(update={"term": None})
        candidates.append(answer)
    for c in capacity_choices(game):
        if gen.random() < 0.25:
            months = int(gen.choice(list(c.terms))) if c.terms else None
            candidates.append(
                OrderCapacity(
                    option=c.option, gw=float(gen.uniform(0.0, 1.2)) * c.max_order, provider=c.provider, term=months
                )
            )
    if gen.random() < 0.2:
        candidates.append(SetCompliance(spend=float(gen.uniform(0.0, 1.0))))
    if gen.random() < 0.2:
        candidates.append(Borrow(amount=float(gen.uniform(0.1, 20.0))))
    if gen.random() < 0.2:
        candidates.append(Repay(amount=float(gen.uniform(0.1, 20.0))))
    if gen.random() < 0.1:
        candidates.append(FileIpo())
    if gen.random() < 0.1:
        candidates.append(Restructure(provider=str(gen.choice(list(p.provider_names)))))
    done = _try(game, candidates)
    if done and gen.random() < 0.2:
        game.undo()
        done.pop()
    return done


def reference(game: Game) -> list[Action]:
    """The evaluation's reference player, as session actions (see `game.analysis.reference`)."""
    from game.analysis.reference import reference_actions

    p = game.params
    a = reference_actions(p, game.state, game.pack.rules.judgement.reference)
    plan: list[Action] = []
    for j, pid in enumerate(p.provider_names):
        gw = float(a.reserve_gw[0, 0, j])
        if gw > 0:
            plan.append(OrderCapacity(option="reserved", gw=gw, provider=pid, term=int(a.reserve_term[0, 0, j])))
    for o, oid in enumerate(p.option_names):
        gw = float(a.order_own[0, 0, o])
        if gw > 0:
            plan.append(OrderCapacity(option=oid, gw=gw))
    if int(a.raise_investor[0, 0]) >= 0:
        inv = p.investor_names[int(a.raise_investor[0, 0])]
        plan.append(RaiseRound(investor=inv, amount=float(a.raise_amount[0, 0]), pre_money=float(a.raise_pre[0, 0])))
    return _try(game, plan)


POLICIES: dict[str, Policy] = {
    "passive": passive,
    "reckless": reckless,
    "loyalist": cloud_loyalist,
    "multicloud": multi_cloud,
    "frugal": frugal,
    "reference": reference,
}
"""Every bot by the name `fortress simulate --policy` uses."""


def play(game: Game, policy: Policy) -> Game:
    """Play `game` to the end with `policy`."""
    while not game.over:
        policy(game)
        game.end_turn()
    return game
