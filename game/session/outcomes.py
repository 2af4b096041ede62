"""What each outcome takes, measured against the lab as it stands.

A player sees the outcome the game would end in if it ended now and, test by test, what a
fortress needs and what keeps a lab out of a forced sale or a partner's orbit, with this
scenario's thresholds and the lab's own figures. The thresholds come from the content
(`outcomes` in the model, and a scenario's own fortress valuation where it sets one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from game.engine.outcome import classify
from game.engine.params import OUTCOME_NAMES

if TYPE_CHECKING:
    from game.session.core import GameCore
from game.session.dashboard import dashboard
from game.session.report import OUTCOME_TEXT
from game.session.views import OutcomeNow, OutcomeTest
from game.session.wording import money


def outcome_now(game: GameCore) -> OutcomeNow:
    """The outcome now and the tests behind it, for the player's lab."""
    p = game.params
    d = dashboard(game)
    if game.over and game.outcome is not None:
        outcome, final = game.outcome, True
    else:
        outcome, final = OUTCOME_NAMES[int(classify(p, game.state)[0])], False
    runway_cap = p.outcomes.runway_cap
    runway = f"{runway_cap:g}+ quarters" if d.runway >= runway_cap else f"{d.runway:.1f} quarters"
    absorbed = p.outcomes.absorbed_valuation * p.outcomes.start_vs_rival
    fortress = (
        OutcomeTest(
            "You ÷ rival (net of cash)",
            "valuation",
            f"at least {p.outcomes.fortress_min_valuation:.2f}x",
            f"{d.vs_rival:.2f}x",
            d.vs_rival >= p.outcomes.fortress_min_valuation,
        ),
        OutcomeTest(
            "Runway",
            "runway",
            f"at least {p.outcomes.fortress_min_runway:g} quarters",
            runway,
            d.runway >= p.outcomes.fortress_min_runway,
        ),
        OutcomeTest(
            "Largest dependency",
            "dependency",
            f"below {p.outcomes.fortress_max_dependency:.0%}",
            f"{d.max_dependency:.0%}",
            d.max_dependency < p.outcomes.fortress_max_dependency,
        ),
    )
    safety = (
        OutcomeTest("Cash", "cash", "never below zero", money(d.cash), d.cash >= 0.0),
        OutcomeTest(
            "Runway",
            "runway",
            f"at least {p.outcomes.survivor_min_runway:g} quarter{'' if p.outcomes.survivor_min_runway == 1 else 's'}",
            runway,
            d.runway >= p.outcomes.survivor_min_runway,
        ),
        OutcomeTest(
            "You ÷ rival (net of cash)",
            "valuation",
            f"at least {absorbed:.2f}x ({p.outcomes.absorbed_valuation:.0%} of start)",
            f"{d.vs_rival:.2f}x",
            d.vs_rival >= absorbed,
        ),
        OutcomeTest(
            "Largest dependency",
            "dependency",
            f"below {p.outcomes.dependent_threshold:.0%}",
            f"{d.max_dependency:.0%}",
            d.max_dependency < p.outcomes.dependent_threshold,
        ),
    )
    return OutcomeNow(outcome=outcome, title=OUTCOME_TEXT[outcome][0], final=final, fortress=fortress, safety=safety)
