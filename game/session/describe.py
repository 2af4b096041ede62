"""An action in a sentence, with the content's names rather than ids: how the quarter report,
the saves and the analysis say what the player did."""

from __future__ import annotations

from typing import TYPE_CHECKING

from game.session.wording import COUNTER_LABELS, gw, money, pct, per_quarter, possessive

if TYPE_CHECKING:
    from game.session.actions import Action
    from game.session.core import GameCore


def describe(game: GameCore, action: Action) -> str:
    """The action in a sentence, with the content's names rather than ids."""
    from game.session.actions import (
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

    if isinstance(action, RaiseRound):
        who = game.investor_name(action.investor) + "s"
        if action.provider is not None and not action.followers:
            who = game.provider_name(action.provider)
        if action.followers:
            names = ", ".join(f"{game.investor_name(k)}s {money(c)}" for k, c in action.followers)
            who += f" leading, with {names}"
        return f"Raise {money(action.amount)} at {money(action.pre_money)} pre-money from {who}"
    if isinstance(action, RespondDeal):
        name = game.provider_name(action.provider)
        if action.response == "counter" and action.term is not None:
            return f"Counter {possessive(name)} offer: {COUNTER_LABELS[action.term]}"
        return f"{action.response.capitalize()} {possessive(name)} offer"
    if isinstance(action, OrderCapacity):
        if action.provider is not None:
            return f"Reserve {gw(action.gw)} from {game.provider_name(action.provider)} for {action.term} quarters"
        return f"Order {gw(action.gw)} of {game.option_name(action.option).lower()}"
    if isinstance(action, SetSplit):
        return f"Split compute: {pct(action.train_share)} training, {pct(1 - action.train_share)} serving"
    if isinstance(action, SetCompliance):
        return f"Spend {per_quarter(action.spend)} on compliance"
    if isinstance(action, Borrow):
        return f"Borrow {money(action.amount)} against owned capacity"
    if isinstance(action, Repay):
        return f"Repay {money(action.amount)} of debt"
    if isinstance(action, FileIpo):
        return "File for an IPO"
    if isinstance(action, Restructure):
        return f"Restructure the {game.provider_name(action.provider)} partnership"
    return action.describe()
