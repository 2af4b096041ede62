"""The team-name screen of a workshop game: the only question a team is asked before it plays.

`fortress play --workshop FILE|CODE` (and every browser tab of `fortress serve`) opens here. The
world is fixed by the workshop (scenario, difficulty, seed, length), so the screen shows it and
its briefing and asks for one thing: the team's name, which labels the team's saves and its row
in the class debrief.
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Input, Label, Static

from game.content.names import BadName, check_name, for_markup
from game.content.workshop import Workshop, join_code
from game.session.wording import briefing
from game.ui.render.report import objective_texts
from game.ui.render.tables import grid, heading, stack
from game.ui.screens.base import FortressScreen
from game.ui.widgets.panel import Panel

MAX_TEAM_NAME = 40
"""Longest team name accepted (it must fit the debrief's leaderboard)."""


class TeamNameScreen(FortressScreen[None]):
    """Join a workshop: the shared world, its briefing and the team-name field."""

    GLOSSARY = ("Outcome", "Score", "Runway", "Fortress balance sheet", "Valuation against rival")
    HELP = (
        "Your facilitator chose this world: every team plays the same market, so results compare "
        "fairly. Type your **team name** and press **Enter** to start; the name labels your saves "
        "and your row in the class debrief. The briefing on the right says what the scenario is about."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "start", "Start"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, workshop: Workshop) -> None:
        super().__init__()
        self.workshop = workshop
        """The world every team of the workshop plays."""

    def compose(self) -> ComposeResult:
        w = self.workshop
        scenario = self.fortress.pack.scenario(w.scenario)
        yield Static(f"Join the workshop: {for_markup(w.title)}", classes="screen-title")
        with Horizontal(id="team-body"):
            with Vertical(id="team-form"):
                yield Static(self._world(), id="team-world")
                yield Label("Team name", classes="section")
                yield Input(
                    self.fortress.settings.lab or "",
                    placeholder="e.g. Table 4",
                    id="team-name",
                    max_length=MAX_TEAM_NAME,
                )
                yield Static("Enter starts the game.", classes="hint", id="team-hint")
            yield Panel(scenario.name, term="Outcome", id="team-briefing")
        yield Footer()

    def _world(self) -> RenderableType:
        w = self.workshop
        pack = self.fortress.pack
        scenario = pack.scenario(w.scenario)
        quarters = w.quarters or scenario.quarters
        return grid(
            [
                ("Scenario", scenario.name),
                ("Difficulty", pack.difficulty(w.difficulty).name),
                ("Length", f"{quarters} quarters from {scenario.start_label}"),
                ("World (seed)", str(w.seed)),
                ("Join code", join_code(w)),
            ],
            self.palette,
        )

    def on_mount(self) -> None:
        scenario = self.fortress.pack.scenario(self.workshop.scenario)
        pal = self.palette
        body: list[RenderableType] = [
            Text(briefing(scenario.briefing, self.workshop.quarters or scenario.quarters)),
            Text(""),
            heading("Objectives", pal),
            *objective_texts(scenario.objectives, pal),
        ]
        self.query_one("#team-briefing", Panel).show(stack(*body))
        self.query_one("#team-name", Input).focus()

    @property
    def team_name(self) -> str:
        """The name as typed, spaces trimmed."""
        return " ".join(self.query_one("#team-name", Input).value.split())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_start()

    def action_start(self) -> None:
        name = self.team_name
        if not name:
            self.notify(
                "Type your team's name first: it labels your saves and your row in the debrief.", severity="error"
            )
            self.query_one("#team-name", Input).focus()
            return
        try:
            name = check_name(name, "team name", MAX_TEAM_NAME)
        except BadName as exc:
            self.notify(str(exc), severity="error")
            self.query_one("#team-name", Input).focus()
            return
        self.fortress.start_workshop(name)

    def action_back(self) -> None:
        self.dismiss(None)
