"""Bot policies: simple strategies that play through the session's actions, like a player.

Each policy looks at the game through the same views the interface uses (dashboard, offers,
capacity choices), decides this quarter's actions and applies those the rules allow. They exist to
show a designer that no single strategy dominates, and to give the analysis a reference player.
"""

from __future__ import annotations

from collections.abc import Callable

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


def _try(game: Game, actions: list[Action]) -> list[Action]:
    """Apply each action the rules allow; return those applied."""
    done = []
    for action in actions:
        if game.check(action) is None:
            game.apply(action)
            done.append(action)
    return done


def _serving_gap(game: Game, growth: float, buffer: float) -> float:
    """GW of compute to add now so that this quarter's inference covers expected demand."""
    _, info = game.project()
    d = dashboard(game)
    per_gw = float(game.state.revenue_per_gw[0])
    share = float(game.plan().train_share[0, 0])
    need_infer = d.demand * (1.0 + growth) * (1.0 + buffer) / per_gw
    return max(0.0, (need_infer - float(info.compute_infer[0, 0])) / max(1.0 - share, 0.05))


def _fund(
    game: Game, d: Dashboard, investors: list[str], premium: float, quarters: float, pool_share: float
) -> list[Action]:
    """A round at fair value x (1 + premium) sized to cover `quarters` of burn, within the pool."""
    p = game.params
    for inv_id in investors:
        if inv_id not in p.investor_names:
            continue
        i = p.investor_names.index(inv_id)
        pre = max(d.fair_value * (1.0 + premium), 1.0)
        wanted = max(d.burn * quarters + d.capex_due - d.cash, float(p.inv_min[i]), 0.02 * d.fair_value)
        amount = min(wanted, pool_share * float(p.inv_pool[i]), pre * p.max_new_money / (1.0 - p.max_new_money) * 0.99)
        provider = None
        if bool(p.inv_is_cloud[i]):
            provider = max(d.contracts, key=lambda c: c.stake).provider if d.contracts else p.provider_names[0]
        action = RaiseRound(investor=inv_id, amount=max(amount, float(p.inv_min[i])), pre_money=pre, provider=provider)
        if game.check(action) is None:
            return [action]
    return []


def _reserve(game: Game, gw: float, providers: list[str], term: int) -> list[Action]:
    """Reserved orders for `gw` spread evenly over `providers`."""
    if gw <= 0 or not providers:
        return []
    each = gw / len(providers)
    return [OrderCapacity(option="reserved", gw=max(each, 0.05), provider=pid, term=term) for pid in providers]


def passive(game: Game) -> list[Action]:
    """Does nothing at all: keeps its contracts, never raises, never buys."""
    return []


def reckless(game: Game) -> list[Action]:
    """Raises every quarter at a steep premium, signs every offer, buys compute with both hands."""
    d = dashboard(game)
    done = _try(game, [SetSplit(train_share=0.65)])
    done += _try(
        game, _fund(game, d, ["sovereign", "crossover", "chipmaker", "vc"], premium=0.15, quarters=12, pool_share=1.0)
    )
    done += _try(game, [RespondDeal(provider=o.provider, response="accept") for o in offers(game)])
    gap = _serving_gap(game, 0.25, 0.4)
    done += _try(game, _reserve(game, gap, list(game.params.provider_names), 12))
    campus = next(c for c in capacity_choices(game) if c.kind == "own_dc")
    if d.cash > 0.5 * campus.price:
        done += _try(
            game,
            [
                OrderCapacity(
                    option=campus.option, gw=min(campus.max_order, 0.5 * d.cash / campus.price / campus_upfront(game))
                )
            ],
        )
    return done


def campus_upfront(game: Game) -> float:
    return next(o.upfront for o in game.pack.capacity if o.kind == "own_dc") + 0.2


def cloud_loyalist(game: Game) -> list[Action]:
    """Stays with its biggest partner: takes all its offers, exclusivity included, buys only from it."""
    d = dashboard(game)
    home = max(d.contracts, key=lambda c: (c.stake, c.gw)).provider if d.contracts else game.params.provider_names[0]
    done = _try(
        game,
        [
            RespondDeal(provider=o.provider, response="accept" if o.provider == home else "decline")
            for o in offers(game)
        ],
    )
    done += _try(game, _reserve(game, _serving_gap(game, 0.15, 0.1), [home], 12))
    if d.runway < 6:
        done += _try(game, _fund(game, d, ["cloud", "crossover"], premium=0.0, quarters=8, pool_share=0.8))
    return done


def multi_cloud(game: Game) -> list[Action]:
    """Spreads compute across providers, builds its own campus, refuses exclusivity, raises at fair value."""
    d = dashboard(game)
    done = _try(game, [SetCompliance(spend=0.1)])
    wanted = _serving_gap(game, 0.15, 0.3)
    for o in offers(game):
        if o.exclusive:
            answer = RespondDeal(provider=o.provider, response="counter", term="exclusivity")
        elif o.board_seat:
            answer = RespondDeal(provider=o.provider, response="counter", term="board_seat")
        else:
            answer = RespondDeal(provider=o.provider, response="accept")
            view = preview(game, answer)
            affordable = o.commit <= 0.2 * max(d.revenue, 1e-9) and o.gw <= wanted
            if not (view.legal and view.dependency[1] < 0.4 and affordable):
                answer = RespondDeal(provider=o.provider, response="decline")
        done += _try(game, [answer])
    gap = _serving_gap(game, 0.15, 0.1)
    by_dependency = sorted(
        game.params.provider_names, key=lambda pid: next((c.dependency for c in d.contracts if c.provider == pid), 0.0)
    )
    done += _try(game, _reserve(game, gap, by_dependency[:2], 8))
    campus = next(c for c in capacity_choices(game) if c.kind == "own_dc")
    owned = d.own_gw + sum(item.gw for item in d.pipeline)
    build = min(max(0.3 * d.compute_gw - owned, 0.0), campus.max_order)
    if build >= campus.min_order and d.runway > 6 and d.cash - d.capex_due - 6 * d.burn > build * campus.price:
        done += _try(game, [OrderCapacity(option=campus.option, gw=build)])
    if d.runway < 8:
        done += _try(game, _fund(game, d, ["crossover", "sovereign", "vc"], premium=0.0, quarters=10, pool_share=0.7))
    return done


def frugal(game: Game) -> list[Action]:
    """Buys only what it must, declines every partner deal and raises only when runway is short."""
    d = dashboard(game)
    done = _try(game, [SetSplit(train_share=0.45)])
    done += _try(game, [RespondDeal(provider=o.provider, response="decline") for o in offers(game)])
    cheapest = min((c for c in capacity_choices(game) if c.kind == "reserved"), key=lambda c: c.price)
    assert cheapest.provider is not None
    done += _try(game, _reserve(game, _serving_gap(game, 0.05, -0.1), [cheapest.provider], 4))
    if d.runway < 4:
        done += _try(game, _fund(game, d, ["crossover", "vc"], premium=-0.05, quarters=6, pool_share=0.5))
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
