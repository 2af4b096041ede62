"""The game's figures and actions in words, shared by the reports, the interface and the analysis.

Money is in billions of US dollars ($B), compute in gigawatts (GW), time in quarters.
"""

from __future__ import annotations

import math

COUNTER_LABELS = {
    "investment": "ask for more investment",
    "commitment": "ask for a smaller committed spend",
    "exclusivity": "refuse exclusivity",
    "board_seat": "refuse the board seat",
}
"""What countering each term of a cloud offer asks the provider for."""


SCORE_FINAL = "Final score"
"""The score of a finished game."""
SCORE_NOW = "Score if it ended now"
"""The score of a game in progress, were it to end now (with the outcome it would end in)."""
SCORE_EXPECTED = "Expected final score"
"""The engine's average final score over its futures (a game in progress)."""


def score_scale(max_multiplier: float) -> str:
    """How the score is counted, in one sentence, for every screen that shows one."""
    return (
        "Score points: the five parts give up to 100, times the outcome's multiplier "
        f"(up to x{max_multiplier:.2f}), so at most {100 * max_multiplier:.0f}."
    )


def money(x: float) -> str:
    """`$6.0B`, `$0.54B`, `$0.004B`, `$852B`: billions of dollars with enough digits that a
    figure that is not zero never reads as zero (`$0B` is nothing at all)."""
    a = abs(x)
    if a < 0.0005:
        return "$0B"
    sign = "-" if x < 0 else ""
    if a >= 100:
        return f"{sign}${a:,.0f}B"
    if a >= 1:
        return f"{sign}${a:,.1f}B"
    if a >= 0.01:
        return f"{sign}${a:.2f}B"
    return f"{sign}${a:.3f}B"


def money_at_most(x: float) -> str:
    """A limit in money, rounded down so that it is never overstated (`$5.57B` for 5.574)."""
    cents = math.floor(max(x, 0.0) * 100 + 1e-9) / 100
    return money(cents) if cents >= 1 else f"${cents:.2f}B"


def per_quarter(x: float) -> str:
    """Money a quarter, e.g. `$0.54B/qtr`."""
    return f"{money(x)}/qtr"


def capability(x: float) -> str:
    """Capability in points, e.g. `95.9 points`: one decimal, as it moves a few points a quarter."""
    return f"{x:.1f} points"


def gw(x: float) -> str:
    """Compute capacity in gigawatts."""
    return f"{x:.2f} GW"


def _unsigned_zero(text: str) -> str:
    """`-0%` and `-0.0%` are zero: drop the sign a rounded-away negative leaves."""
    stripped = text.lstrip("+-")
    return stripped if stripped.strip("0.%") == "" else text


def pct(x: float, digits: int = 0) -> str:
    """A share as a percentage (never `-0%`)."""
    return _unsigned_zero(f"{100 * x:.{digits}f}%")


def signed_pct(x: float, digits: int = 0) -> str:
    """A change as a signed percentage, e.g. `+300%`, `-4%`; zero is `0%`."""
    return _unsigned_zero(f"{100 * x:+.{digits}f}%")


def signed(x: float, digits: int = 1) -> str:
    """A signed number such as a change in points, e.g. `+4.1`, `-2.7`; zero is `0.0`."""
    text = f"{x:+.{digits}f}"
    return text.lstrip("+-") if float(text) == 0 else text


def possessive(name: str) -> str:
    """`Stratus Cloud's`, `Northwind Web Services'`."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def plural(n: float, word: str, many: str | None = None) -> str:
    """`1 quarter`, `3 quarters`, `0 quarters` (`many` for an irregular plural)."""
    count = f"{n:g}"
    return f"{count} {word}" if count == "1" else f"{count} {many or word + 's'}"


NUMBER_WORDS = (
    "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
)  # fmt: skip


def game_length(n: int) -> str:
    """A game's length in words: `eight quarters (two years)`, `six quarters`, `four quarters (a year)`."""
    count = NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)
    text = f"{count} quarter" if n == 1 else f"{count} quarters"
    if n % 4 == 0 and n > 0:
        years = n // 4
        text += " (a year)" if years == 1 else f" ({NUMBER_WORDS[years]} years)"
    return text


def position(label: str, turn: int, turns: int, over: bool) -> str:
    """Where a game stands, counted one way everywhere: `Q3 2026 (quarter 3 of 8)` while it is
    played (the quarter being planned), `Q4 2027 (the last, 8 of 8 played)` once it is over
    (`label`: then the last quarter played)."""
    if over:
        return f"{label} (the last, {turn} of {turns} played)"
    return f"{label} (quarter {turn + 1} of {turns})"


def briefing(text: str, n: int) -> str:
    """A scenario's briefing for a game of `n` quarters, on one line."""
    return " ".join(text.format(length=game_length(n)).split())


def quarters(x: float, cap: float | None = None) -> str:
    """A duration in quarters; at or above `cap` (a runway with no burn) `20+ quarters`."""
    if cap is not None and x >= cap - 1e-9:
        return f"{cap:g}+ quarters"
    if abs(x - round(x)) < 1e-9:
        return plural(round(x), "quarter")
    return f"{x:.1f} quarters"
