"""Preview an action: its projected effect on the end of this quarter, before it is applied.

The projection runs the real engine step twice with calm draws (no events, no regulator, average
noise, rounds and counters succeeding): once with this quarter's plan, once with the plan plus the
action. The difference is the action's effect, computed by the same code that will resolve it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from game.engine.outcome import dependency
from game.engine.step import COST_NAMES
from game.engine.valuation import close_chance
from game.session.actions import Action, OrderCapacity, RaiseRound, RespondDeal, SetSplit
from game.session.dashboard import cap_table, commitments, counter_chance
from game.session.describe import cheques
from game.session.views import Preview
from game.session.wording import capability, money, signed_pct

if TYPE_CHECKING:
    from game.session.core import GameCore


def _unserved(game: GameCore, train_share: float) -> tuple[float, float]:
    """Unserved demand and the compute run, projected with calm dice for this quarter's plan with
    `train_share` of compute training."""
    plan = [a for a in game.pending if not isinstance(a, SetSplit)]
    _, info = game.project([*plan, SetSplit(train_share=train_share)])
    return float(info.demand[0, 0] - info.served[0, 0]), float(info.compute[0, 0])


def serving_limit(game: GameCore) -> tuple[int, float]:
    """The largest training share, in whole percent, at which this quarter's plan still serves
    every customer in a calm quarter (demand as expected), and the compute it runs on. The same
    projection the quarter is resolved with, so what the form promises is what a calm quarter does."""
    low, high = 0, 100
    if _unserved(game, 0.0)[0] > 1e-9:
        return 0, _unserved(game, 0.0)[1]
    while low < high:  # the largest share with nothing unserved
        mid = (low + high + 1) // 2
        if _unserved(game, mid / 100)[0] > 1e-9:
            high = mid - 1
        else:
            low = mid
    return low, _unserved(game, low / 100)[1]


def preview(game: GameCore, action: Action) -> Preview:
    reason = game.check(action)
    if reason is not None:
        return Preview(legal=False, reason=reason)
    p = game.params
    base, base_info = game.project()
    after, info = game.project([*game.pending, action])
    chance: float | None = None
    lines: list[str] = []
    if isinstance(action, RaiseRound):
        plan = game.plan([*game.pending, action])
        s = game.state
        chance = float(
            close_chance(
                p,
                plan.raise_investor,
                plan.raise_amount,
                plan.raise_pre,
                s.fair,
                s.sentiment,
                s.confidence,
                s.info_left > 0,
                follow=plan.raise_follow,
            )[0, 0]
        )
        post = action.pre_money + action.amount
        lines.append(f"Post-money {money(post)}: new investors would own {action.amount / post:.2%}.")
        if action.followers:
            lines.append(
                "Syndicate: " + ", ".join(f"{n} {money(c)} ({c / post:.1%})" for n, c in cheques(game, action)) + "."
            )
        fair = float(s.fair[0, 0])
        lines.append(f"Your ask is {signed_pct(action.pre_money / fair - 1)} against fair value ({money(fair)}).")
        if action.pre_money < float(s.last_post[0, 0]):
            lines.append(f"Below the last round's {money(float(s.last_post[0, 0]))} post-money: a down round.")
    elif isinstance(action, RespondDeal) and action.response == "counter":
        chance = counter_chance(game, game.provider_index(action.provider))
        lines.append(f"If {game.provider_name(action.provider)} says no, the offer is withdrawn.")
    elif isinstance(action, SetSplit):
        lines.append(
            f"Capability at quarter end: {capability(float(base.capability[0, 0]))} → "
            f"{capability(float(after.capability[0, 0]))} (the strongest rival: {capability(float(after.capability[0, 1:].max()))})."
        )
        unserved = float(info.demand[0, 0] - info.served[0, 0])
        if unserved > 0.0005:
            lines.append(
                f"Customers turned away in a calm quarter: {money(unserved)} "
                f"({unserved / max(float(info.demand[0, 0]), 1e-9):.0%} of demand)."
            )
    elif isinstance(action, OrderCapacity) and action.provider is None:
        k = COST_NAMES.index("capex")
        now = float(info.cost_parts[0, 0, k] - base_info.cost_parts[0, 0, k])
        later = float(after.capex_due[0, 0].sum() - base.capex_due[0, 0].sum())
        if now > 0.0005 and later > 0.0005:
            lines.append(
                f"Capital spending: {money(now)} paid this quarter (the deposit and the first instalment), "
                f"{money(later)} over the quarters until it is online."
            )
        elif now > 0.0005:
            lines.append(f"Capital spending: {money(now)} paid this quarter, the whole price.")
    dep_before = float(dependency(p, base)[0, 0].max())
    dep_after = float(dependency(p, after)[0, 0].max())
    new_stake = 0.0
    if isinstance(action, RaiseRound):
        new_stake = action.amount / (action.pre_money + action.amount)
    return Preview(
        legal=True,
        reason=None,
        chance=chance,
        cash=(float(base.cash[0, 0]), float(after.cash[0, 0])),
        burn=(float(base.burn[0, 0]), float(after.burn[0, 0])),
        runway=(float(base.runway[0, 0]), float(after.runway[0, 0])),
        founders=(float(base.cap[0, 0, 0]), float(after.cap[0, 0, 0])),
        new_stake=new_stake,
        dependency=(dep_before, dep_after),
        scrutiny=(float(base.scrutiny[0, 0]), float(after.scrutiny[0, 0])),
        commitments=(commitments(base), commitments(after)),
        compute=(float(base_info.compute[0, 0]), float(info.compute[0, 0])),
        cap_table=cap_table(game, after),
        lines=tuple(lines),
    )
