"""The game's figures and actions in words, shared by the reports, the interface and the analysis.

Money is in billions of US dollars ($B), compute in gigawatts (GW), time in quarters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from game.session.core import GameCore

COUNTER_LABELS = {
    "investment": "ask for more investment",
    "commitment": "ask for a smaller committed spend",
    "exclusivity": "refuse exclusivity",
    "board_seat": "refuse the board seat",
}
"""What countering each term of a cloud offer asks the provider for."""


def money(x: float) -> str:
    """`$6.0B`, `$0.54B`, `$852B`: billions of dollars with sensible precision."""
    a = abs(x)
    sign = "-" if x < 0 else ""
    if a >= 100:
        return f"{sign}${a:,.0f}B"
    if a >= 1 or a < 0.005:
        return f"{sign}${a:,.1f}B"
    return f"{sign}${a:.2f}B"


def per_quarter(x: float) -> str:
    """Money a quarter, e.g. `$0.54B/qtr`."""
    return f"{money(x)}/qtr"


def gw(x: float) -> str:
    """Compute capacity in gigawatts."""
    return f"{x:.2f} GW"


def pct(x: float, digits: int = 0) -> str:
    """A share as a percentage."""
    return f"{100 * x:.{digits}f}%"


def describe(game: GameCore, action: Action) -> str:
    """The action in a sentence, with the content's names rather than ids."""
    if isinstance(action, RaiseRound):
        who = game.investor_name(action.investor) + "s"
        if action.provider is not None:
            who = game.provider_name(action.provider)
        return f"Raise {money(action.amount)} at {money(action.pre_money)} pre-money from {who}"
    if isinstance(action, RespondDeal):
        name = game.provider_name(action.provider)
        if action.response == "counter" and action.term is not None:
            return f"Counter {name}'s offer: {COUNTER_LABELS[action.term]}"
        return f"{action.response.capitalize()} {name}'s offer"
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
