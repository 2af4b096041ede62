"""The game-over screen: the outcome, the score part by part, the multiplier and the objectives.

From here: a new game, the title screen, or quit; Esc shows the final dashboard (r comes back);
d replays the game just finished, quarter by quarter, for a debrief.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Static

from game.content.names import for_markup
from game.ui.render.report import game_over_body
from game.ui.screens.base import FortressScreen
from game.ui.widgets.panel import Panel


class GameOverScreen(FortressScreen[None]):
    """The end of the game."""

    GLOSSARY = (
        "Outcome",
        "Score",
        "Fortress balance sheet",
        "Forced sale",
        "Dependency",
        "Runway",
        "Valuation against rival",
        "Scrutiny",
        "IPO",
        "Dilution",
    )
    HELP = (
        "The **outcome** (forced sale, dependent, survivor, fortress or IPO) sets a multiplier on "
        "your score; *What each outcome needs* lists every test with your own figure. The score adds five parts, each a value from 0 to 1 times the scenario's "
        "weight. Press **d** to replay the game quarter by quarter (and branch from any quarter), "
        "**n** for a new game, **t** for the title screen, **Esc** to look at the final dashboard, "
        "**q** to quit."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "debrief", "Replay"),
        Binding("n", "new_game", "New game"),
        Binding("t", "title", "Title"),
        Binding("escape", "back", "Dashboard"),
        Binding("q", "quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        game = self.game
        yield Static(
            f"Game over: {for_markup(game.lab_name)}, {for_markup(game.scenario.name)}, seed {game.seed}",
            classes="screen-title",
        )
        yield Panel("Your result", id="result-body", term="Outcome")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        body = self.query_one("#result-body", Panel)
        game = self.game
        cap = game.pack.rules.outcomes.runway_cap
        body.show(game_over_body(game.summary(), self.palette, game.dashboard(), cap, game.outcome_now()))
        body.focus()

    def action_debrief(self) -> None:
        """Replay the game just finished from its autosave (written again here, to be sure it exists)."""
        path = self.fortress.autosave()
        if path is not None:
            self.fortress.open_replay(path)

    def action_new_game(self) -> None:
        self.fortress.action_new_game()

    def action_title(self) -> None:
        self.fortress.action_title()

    def action_back(self) -> None:
        self.dismiss(None)

    async def action_quit(self) -> None:
        self.app.exit()
