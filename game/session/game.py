"""A game as the interface plays it: the state and the actions (`GameCore`) with its views.

The views read the core and are imported only here, so the session is a line: the core, then
the views that read it, then this class that offers both to the interface, the saves and the
analysis.
"""

from __future__ import annotations

from game.session.actions import Action
from game.session.core import GameCore, IllegalAction, TurnRecord
from game.session.dashboard import capacity_choices, dashboard, offers
from game.session.describe import describe
from game.session.outcomes import outcome_now
from game.session.preview import preview
from game.session.report import game_over, quarter_report
from game.session.views import CapacityChoice, Dashboard, GameOver, Offer, OutcomeNow, Preview, QuarterReport

__all__ = ["Game", "IllegalAction", "TurnRecord"]


class Game(GameCore):
    """A single game in progress, with everything the interface shows of it."""

    def end_turn(self) -> QuarterReport:
        """Resolve the quarter with the pending actions and return its report."""
        before, info, actions = self.resolve()
        report = quarter_report(self, before, self.state, info, actions)
        self.turns.append(TurnRecord(actions, report, self.state, info))
        return report

    def replay_turn(self, actions: list[Action]) -> QuarterReport:
        """Apply a recorded quarter (checking each action) and end the turn."""
        for action in actions:
            self.apply(action)
        return self.end_turn()

    def describe(self, action: Action) -> str:
        """The action in a sentence, with the content's names."""
        return describe(self, action)

    def dashboard(self, *, forecast: bool = False) -> Dashboard:
        """Everything the dashboard shows, now; `forecast` adds this quarter's calm projection with
        the plan so far (a step of the engine: only the views that show it ask for it)."""
        return dashboard(self, with_forecast=forecast)

    def offers(self) -> list[Offer]:
        """The cloud offers on the table this quarter."""
        return offers(self)

    def capacity_choices(self) -> list[CapacityChoice]:
        """Every way to buy compute now, priced at today's scarcity."""
        return capacity_choices(self)

    def preview(self, action: Action) -> Preview:
        """The projected effect of `action` on the end of this quarter (or why it is illegal)."""
        return preview(self, action)

    def summary(self) -> GameOver:
        """The outcome and the score broken down (meaningful once the game is over)."""
        return game_over(self)

    def outcome_now(self) -> OutcomeNow:
        """The outcome the game would end in now, and what each outcome needs."""
        return outcome_now(self)

    def history(self) -> list[Dashboard]:
        """The dashboard at the start and after every finished quarter, for charts."""
        return [dashboard(self, self.start_state)] + [dashboard(self, t.state_after) for t in self.turns]
