"""An action in a sentence, with the content's names rather than ids: how the quarter report,
the saves and the analysis say what the player did."""

from __future__ import annotations

from typing import TYPE_CHECKING

from game.session.wording import COUNTER_LABELS, gw, money, pct, per_quarter, possessive

if TYPE_CHECKING:
    from game.session.actions import Action, RaiseRound
    from game.session.core import GameCore


def cheques(game: GameCore, action: RaiseRound) -> list[tuple[str, float]]:
    """A round's cheques by who writes them, the lead first (it writes what the followers do not);
    a cloud partner's cheque is named for its provider."""

    def name(kind: str) -> str:
        cloud = next(i.kind for i in game.pack.investors if i.id == kind) == "cloud"
        return game.provider_name(action.provider) if cloud and action.provider else game.investor_name(kind)

    lead = action.amount - sum(c for _, c in action.followers)
    return [(name(action.investor), lead), *((name(k), c) for k, c in action.followers)]


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
        (who, _), *followers = cheques(game, action)
        if followers:
            who += " leading, with " + ", ".join(f"{n} {money(c)}" for n, c in followers)
        elif action.provider is None:
            who += "s"
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
