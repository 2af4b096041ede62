"""Bot policies: simple strategies that play through the session's actions, like a player.

Each policy looks at the game through the same views the interface uses (dashboard, offers,
capacity choices), decides this quarter's actions and applies those the rules allow. They exist to
show a designer that no single strategy dominates, and to give the analysis a reference player.
"""

from __future__ import annotations

from collections.abc import Callable

from game.session.actions import (
    Action,
    OrderCapacity,
    RaiseRound,
    RespondDeal,
    SetCompliance,
    SetSplit,
)
from game.session.dashboard import capacity_choices, dashboard, offers
from game.session.game import Game
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


def _need_gw(d: Dashboard, growth: float, buffer: float) -> float:
    """Total compute needed next quarter to serve expected demand at the current split."""
    serving = max(1.0 - d.train_share, 0.05)
    return d.needed_gw * (1.0 + growth) / serving * (1.0 + buffer)


def _lasting_gw(game: Game) -> float:
    """Compute that will still be there next quarter: owned, pipeline due, lasting contracts."""
    s = game.state
    lasting = float((s.reserved_gw[0, 0] * (s.reserved_left[0, 0] > 1)).sum())
    return float(s.own[0, 0].sum()) + float(s.pipe[0, 0, :, :2].sum()) + lasting


def _raise(game: Game, d: Dashboard, investors: list[str], premium: float, size: float, pool_share: float) -> list[Action]:
    """A round at fair value x (1 + premium) for `size` of fair value, capped at a share of the pool."""
    for inv_id in investors:
        if inv_id not in game.params.investor_names:
            continue
        i = game.params.investor_names.index(inv_id)
        pool = float(game.params.inv_pool[i])
        pre = d.fair_value * (1.0 + premium)
        amount = min(size * d.fair_value, pool_share * pool)
        amount = min(amount, pre * game.params.max_new_money / (1 - game.params.max_new_money) * 0.99)
        provider = None
        if bool(game.params.inv_is_cloud[i]):
            provider = max(d.contracts, key=lambda c: c.stake).provider if d.contracts else game.params.provider_names[0]
        action = RaiseRound(investor=inv_id, amount=max(amount, 0.1), pre_money=max(pre, 1.0), provider=provider)
        if game.check(action) is None:
            return [action]
    return []


def passive(game: Game) -> list[Action]:
    """Does nothing at all: keeps its contracts, never raises, never buys."""
    return []


def reckless(game: Game) -> list[Action]:
    """Raises every quarter at a steep premium, signs every offer, buys compute with both hands."""
    d = dashboard(game)
    plan: list[Action] = [SetSplit(train_share=0.7)]
    plan += _raise(game, d, ["sovereign", "crossover", "chipmaker", "vc"], premium=0.5, size=0.12, pool_share=1.3)
    plan += [RespondDeal(provider=o.provider, response="accept") for o in offers(game)]
    need = _need_gw(d, 0.25, 0.5) - _lasting_gw(game)
    if need > 0:
        choices = [c for c in capacity_choices(game) if c.kind == "reserved"]
        for c in choices:
            plan.append(OrderCapacity(option=c.option, gw=max(need / len(choices), c.min_order), provider=c.provider, term=max(c.terms)))
        plan.append(OrderCapacity(option="spot", gw=min(need * 0.5, 3.0)))
    campus = next(c for c in capacity_choices(game) if c.kind == "own_dc")
    if d.cash > campus.price:
        plan.append(OrderCapacity(option=campus.option, gw=min(campus.max_order, d.cash / campus.price)))
    return _try(game, plan)


def cloud_loyalist(game: Game) -> list[Action]:
    """Stays with its biggest partner: takes all its offers, exclusivity included, buys only from it."""
    d = dashboard(game)
    home = max(d.contracts, key=lambda c: (c.stake, c.gw)).provider if d.contracts else game.params.provider_names[0]
    plan: list[Action] = []
    for o in offers(game):
        plan.append(RespondDeal(provider=o.provider, response="accept" if o.provider == home else "decline"))
    need = _need_gw(d, 0.2, 0.1) - _lasting_gw(game)
    if need > 0:
        plan.append(OrderCapacity(option="reserved", gw=max(need, 0.05), provider=home, term=12))
    if d.runway < 6:
        plan += _raise(game, d, ["cloud", "crossover"], premium=0.0, size=0.05, pool_share=0.8)
    return _try(game, plan)


def multi_cloud(game: Game) -> list[Action]:
    """Spreads compute across providers, builds its own campus, refuses exclusivity, raises at fair value."""
    d = dashboard(game)
    plan: list[Action] = [SetCompliance(spend=0.1)]
    for o in offers(game):
        dep = next((c.dependency for c in d.contracts if c.provider == o.provider), 0.0)
        if o.exclusive:
            plan.append(RespondDeal(provider=o.provider, response="counter", term="exclusivity"))
        elif o.board_seat:
            plan.append(RespondDeal(provider=o.provider, response="counter", term="board_seat"))
        elif dep < 0.3 and o.stake < 0.05:
            plan.append(RespondDeal(provider=o.provider, response="accept"))
        else:
            plan.append(RespondDeal(provider=o.provider, response="decline"))
    need = _need_gw(d, 0.2, 0.15) - _lasting_gw(game)
    if need > 0:
        reserved = sorted(
            (c for c in capacity_choices(game) if c.kind == "reserved"),
            key=lambda c: next((k.dependency for k in d.contracts if k.provider == c.provider), 0.0),
        )
        for c in reserved[:2]:
            plan.append(OrderCapacity(option=c.option, gw=max(need * 0.4, c.min_order), provider=c.provider, term=8))
    campus = next(c for c in capacity_choices(game) if c.kind == "own_dc")
    build = max(0.25 * d.compute_gw, campus.min_order)
    if d.runway > 8 and d.cash > 2 * build * campus.price * 0.2:
        plan.append(OrderCapacity(option=campus.option, gw=min(build, campus.max_order)))
    if d.runway < 10 or d.cash < 0.15 * d.arr:
        plan += _raise(game, d, ["crossover", "sovereign", "vc"], premium=0.02, size=0.06, pool_share=0.7)
    return _try(game, plan)


def frugal(game: Game) -> list[Action]:
    """Buys only what it must, declines every partner deal and raises only when runway is short."""
    d = dashboard(game)
    plan: list[Action] = [SetSplit(train_share=0.45)]
    plan += [RespondDeal(provider=o.provider, response="decline") for o in offers(game)]
    need = _need_gw(d, 0.1, -0.1) - _lasting_gw(game)
    if need > 0:
        cheapest = min((c for c in capacity_choices(game) if c.kind == "reserved"), key=lambda c: c.price)
        plan.append(OrderCapacity(option=cheapest.option, gw=max(need, cheapest.min_order), provider=cheapest.provider, term=4))
    if d.runway < 4:
        plan += _raise(game, d, ["crossover", "vc"], premium=-0.05, size=0.03, pool_share=0.5)
    return _try(game, plan)


POLICIES: dict[str, Policy] = {
    "passive": passive,
    "reckless": reckless,
    "loyalist": cloud_loyalist,
    "multicloud": multi_cloud,
    "frugal": frugal,
}
"""Every bot by the name `fortress simulate --policy` uses."""


def play(game: Game, policy: Policy) -> Game:
    """Play `game` to the end with `policy`."""
    while not game.over:
        policy(game)
        game.end_turn()
    return game

