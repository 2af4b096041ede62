"""Numbers and actions in words: every figure the interface shows gets its unit here.

Money is in billions of US dollars ($B), compute in gigawatts (GW), time in quarters. These
helpers are plain functions of numbers (and of the game for names), so the screens, the report
and the tests format figures the same way.
"""

from __future__ import annotations

from game.session.describe import describe
from game.session.wording import (
    COUNTER_LABELS,
    briefing,
    capability,
    gw,
    money,
    pct,
    per_quarter,
    plural,
    quarters,
    signed,
    signed_pct,
)

__all__ = [
    "COUNTER_LABELS",
    "TOPIC_LABELS",
    "briefing",
    "capability",
    "describe",
    "gw",
    "money",
    "pct",
    "per_quarter",
    "plural",
    "quarters",
    "signed",
    "signed_pct",
]

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


def price(x: float) -> str:
    """A price per GW-quarter of capacity."""
    return f"{money(x)} per GW-qtr"


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
