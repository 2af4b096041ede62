"""The title screen: new game, continue, load, replay, glossary, help and quit, one key each.

Saved games do not exist yet, so Continue, Load and Replay are shown disabled with the reason.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from game.ui.screens.base import FortressScreen

LOGO = r"""
 ___         _
| __|__ _ _ | |_ _ _ ___ ______
| _/ _ \ '_||  _| '_/ -_|_-<_-<
|_|\___/_|   \__|_| \___/__/__/
"""

NO_SAVES = "No saved games yet"

MENU: tuple[tuple[str, str, str, str | None], ...] = (
    ("new_game", "n", "New game", None),
    ("continue", "c", "Continue", NO_SAVES),
    ("load", "l", "Load a saved game", NO_SAVES),
    ("replay", "r", "Replay a finished game", NO_SAVES),
    ("glossary", "g", "Glossary", None),
    ("help", "h", "Help: how to play", None),
    ("quit", "q", "Quit", None),
)
"""Action, key, label and the reason it is disabled (None when it works)."""


class TitleScreen(FortressScreen[None]):
    """The first screen."""

    GLOSSARY = ("Fortress balance sheet", "Outcome", "Score", "Runway", "Dependency")
    HELP = (
        "Choose **New game** (n) to pick a scenario. Each turn is one quarter: plan your moves on the "
        "dashboard, then end the quarter to see what happened. The game ends with a scored outcome."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_game", "New game"),
        Binding("c", "continue", "Continue"),
        Binding("l", "load", "Load"),
        Binding("r", "replay", "Replay"),
        Binding("h", "app.help", "Help", show=False),
        Binding("q", "quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="title-box"):
            with Center():
                yield Static(LOGO.strip("\n"), id="logo")
            yield Static("Run a frontier AI lab, one quarter at a time.", id="tagline")
            with Center():
                yield OptionList(
                    *(
                        Option(
                            f"{key}  {label}" + (f"  ({reason})" if reason else ""),
                            id=action,
                            disabled=reason is not None,
                        )
                        for action, key, label, reason in MENU
                    ),
                    id="menu",
                )
            yield Static(
                "Raise money, sign (or refuse) cloud deals, buy compute and stay independent.\n"
                "F1 help   F2 glossary   F3 high contrast   Ctrl+P commands",
                id="title-hint",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#menu", OptionList).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("continue", "load", "replay"):
            return None
        return True

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        action = event.option.id
        if action == "glossary":
            self.fortress.action_glossary()
        elif action == "help":
            self.fortress.action_help()
        elif action is not None:
            await self.run_action(action)

    def action_new_game(self) -> None:
        self.fortress.action_new_game()

    def action_continue(self) -> None:
        self.notify(NO_SAVES, severity="warning")

    def action_load(self) -> None:
        self.notify(NO_SAVES, severity="warning")

    def action_replay(self) -> None:
        self.notify(NO_SAVES, severity="warning")

    async def action_quit(self) -> None:
        self.app.exit()
