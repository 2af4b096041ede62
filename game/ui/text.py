"""Numbers and actions in words: every figure the interface shows gets its unit here.

Money is in billions of US dollars ($B), compute in gigawatts (GW), time in quarters. These
helpers are plain functions of numbers (and of the game for names), so the screens, the report
and the tests format figures the same way.
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
    from game.session.game import Game

COUNTER_LABELS = {
    "investment": "ask for more investment",
    "commitment": "ask for a smaller committed spend",
    "exclusivity": "refuse exclusivity",
    "board_seat": "refuse the board seat",
}
"""What countering each term of a cloud offer asks the provider for."""

TOPIC_LABELS = {
    "warning": "Warnings",
    "money": "Money",
    "round": "Funding",
    "deal": "Cloud deals",
    "capacity": "Capacity",
    "market": "Market",
    "rival": "Rivals",
    "regulator": "Regulator",
    "event": "Events",
}
"""Report topics in the order the quarter report shows them, with their headings."""


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


def price(x: float) -> str:
    """A price per GW-quarter of capacity."""
    return f"{money(x)} per GW-qtr"


def gw(x: float) -> str:
    """Compute capacity in gigawatts."""
    return f"{x:.2f} GW"


def pct(x: float, digits: int = 0) -> str:
    """A share as a percentage."""
    return f"{100 * x:.{digits}f}%"


def signed_pct(x: float) -> str:
    """A change as a signed percentage, e.g. `+300%`."""
    return f"{100 * x:+.0f}%"


def quarters(x: float, cap: float | None = None) -> str:
    """A duration in quarters; at or above `cap` (a runway with no burn) `20+ quarters`."""
    if cap is not None and x >= cap - 1e-9:
        return f"{cap:g}+ quarters"
    if abs(x - round(x)) < 1e-9:
        n = round(x)
        return f"{n} quarter" if n == 1 else f"{n} quarters"
    return f"{x:.1f} quarters"


def times(x: float) -> str:
    """A ratio such as valuation against the rival, e.g. `0.31x`."""
    return f"{x:.2f}x"


def level(x: float) -> str:
    """A 0-1 level (scrutiny, dependency) in words, for a student."""
    if x < 0.2:
        return "low"
    if x < 0.4:
        return "moderate"
    if x < 0.6:
        return "high"
    return "very high"


def short(name: str) -> str:
    """A company's name without its suffix (`Northwind Web Services` -> `Northwind`), for tight labels."""
    return name.split()[0] if name else name


def describe(game: Game, action: Action) -> str:
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
        what = game.option_name(action.option).lower()
        if action.provider is not None:
            return f"Reserve {gw(action.gw)} from {game.provider_name(action.provider)} for {action.term} quarters"
        return f"Order {gw(action.gw)} of {what}"
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
    return str(action)


def parse_number(text: str) -> float | None:
    """A number typed by the player (commas, `$`, `%` and `B` tolerated), or None."""
    cleaned = text.strip().replace(",", "").replace("$", "").rstrip("%").rstrip("Bb").strip()
    if not cleaned:
        return None
    try:
        value = float(cleaned)
    except ValueError:
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return value
