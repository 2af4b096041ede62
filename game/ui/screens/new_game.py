"""The new-game screen: scenario (with its briefing and objectives), difficulty, seed, lab name.

The seed is random by default but shown and editable, so a class can share one world. Enter
starts the game from any field.
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from game.content.models import Difficulty, Scenario
from game.content.names import MAX_NAME, BadName, check_name
from game.session.wording import briefing
from game.ui.render.report import objective_texts
from game.ui.render.tables import heading, stack
from game.ui.screens.base import FortressScreen
from game.ui.widgets.panel import Panel


class NewGameScreen(FortressScreen[None]):
    """Set up a game."""

    GLOSSARY = ("Outcome", "Score", "Runway", "Fortress balance sheet", "ARR", "FTC")
    HELP = (
        "Pick a **scenario** and a **difficulty** with the arrow keys (Tab moves between fields). "
        "The **seed** fixes the world's dice: teams that share a seed face the same market. "
        "Press **Enter** to start."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "start", "Start"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._lab_edited = False
        self.scenarios: list[Scenario] = []
        """The pack's scenarios, shortest first (the tutorial leads)."""

    def compose(self) -> ComposeResult:
        pack = self.fortress.pack
        settings = self.fortress.settings
        self.scenarios = sorted(pack.scenarios, key=lambda s: (s.quarters, s.name))
        yield Static("New game", classes="screen-title")
        with Horizontal(id="new-game-body"):
            with Vertical(id="new-game-form"):
                yield Label("Scenario")
                yield OptionList(
                    *(Option(f"{s.name} ({s.quarters} quarters)", id=s.id) for s in self.scenarios),
                    id="scenarios",
                )
                yield Label("Difficulty", classes="section")
                yield OptionList(*(Option(d.name, id=d.id) for d in pack.difficulties), id="difficulties")
                with Horizontal(classes="field"):
                    yield Label("Seed")
                    yield Input(str(self.fortress.default_seed), id="seed", type="integer")
                yield Static("Share the seed: the same seed is the same world.", classes="blurb")
                with Horizontal(classes="field"):
                    yield Label("Lab name")
                    yield Input(settings.lab or "", id="lab", max_length=40)
                yield Static("Enter starts the game; Tab moves between fields.", classes="hint")
            yield Panel("Briefing", term="Outcome", id="briefing")
        yield Footer()

    def on_mount(self) -> None:
        pack = self.fortress.pack
        settings = self.fortress.settings
        scenarios = self.query_one("#scenarios", OptionList)
        ids = [s.id for s in self.scenarios]
        scenarios.highlighted = ids.index(settings.scenario) if settings.scenario in ids else 0
        levels = [d.id for d in pack.difficulties]
        self.query_one("#difficulties", OptionList).highlighted = (
            levels.index(settings.difficulty) if settings.difficulty in levels else 0
        )
        if not settings.lab:
            self.query_one("#lab", Input).value = self.scenario.lab_name
        self._lab_edited = bool(settings.lab)
        scenarios.focus()
        self._show_briefing()

    @property
    def scenario(self) -> Scenario:
        index = self.query_one("#scenarios", OptionList).highlighted or 0
        return self.scenarios[index]

    @property
    def difficulty(self) -> Difficulty:
        index = self.query_one("#difficulties", OptionList).highlighted or 0
        return self.fortress.pack.difficulties[index]

    def _show_briefing(self) -> None:
        s, d = self.scenario, self.difficulty
        pal = self.palette
        body: list[RenderableType] = [
            heading(s.name, pal),
            Text(
                f"{s.quarters} quarters from {s.start_label}. You run {s.lab_name}; "
                f"the regulator is the {s.regulator}.",
                style=pal.muted,
            ),
            Text(briefing(s.briefing, s.quarters)),
            Text(""),
            heading("Objectives", pal),
            *objective_texts(s.objectives, pal),
            Text(""),
            heading(f"Difficulty: {d.name}", pal),
            Text(d.blurb),
        ]
        self.query_one("#briefing", Panel).show(stack(*body))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "scenarios" and not self._lab_edited:
            self.query_one("#lab", Input).value = self.scenario.lab_name
            self._lab_edited = False
        self._show_briefing()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "lab" and event.value != self.scenario.lab_name:
            self._lab_edited = True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_start()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_start()

    def action_start(self) -> None:
        seed_text = self.query_one("#seed", Input).value.strip()
        try:
            seed = int(seed_text)
        except ValueError:
            self.notify("The seed must be a whole number, e.g. 42.", severity="error")
            self.query_one("#seed", Input).focus()
            return
        if seed < 0:
            self.notify("The seed must be zero or more.", severity="error")
            return
        lab = self.query_one("#lab", Input).value.strip() or None
        if lab is not None:
            try:
                lab = check_name(lab, "lab name", MAX_NAME)
            except BadName as exc:
                self.notify(str(exc), severity="error")
                self.query_one("#lab", Input).focus()
                return
        self.fortress.start_game(self.scenario.id, self.difficulty.id, seed, lab)

    def action_back(self) -> None:
        self.dismiss(None)
