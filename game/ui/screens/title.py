"""The title screen: new game, continue, load, replay, glossary, help and quit, one key each.

Continue opens the latest readable save (described under it); Load and Replay list the save
folder. Each is shown disabled, with the reason, when there is nothing to open. The menu is read
again whenever the screen comes back, so a save made during play shows at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from game.content.names import for_markup
from game.saves.errors import SaveError
from game.saves.folder import save_files
from game.ui.screens.base import FortressScreen

if TYPE_CHECKING:  # the save models and the engine load once there is a save to show (not before the title)
    from game.saves.format import SaveFile
    from game.saves.load import SaveEntry
    from game.ui.screens.saves import Chosen

CONTINUE_WIDTH = 50
"""Room for the line under Continue in the title's menu."""


def continue_line(save: SaveFile) -> str:
    """The latest save in a line that fits the menu whole: the fullest that fits."""
    from game.ui.screens.saves import describe_save, outcome_name, where

    m = save.summary
    stands = where(save) if m.outcome is None else f"ended: {outcome_name(m.outcome)}"
    for line in (describe_save(save), f"{save.settings.lab_name} · {stands}", stands):
        if len(line) <= CONTINUE_WIDTH:
            return line
    return stands


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
    ("replay", "r", "Replay and debrief a game", NO_SAVES),
    ("glossary", "g", "Glossary", None),
    ("help", "h", "Help: how to play", None),
    ("quit", "q", "Quit", None),
)
"""Action, key, label and the reason it is disabled when there is no save (None: it always works)."""


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
                yield OptionList(*self._options(), id="menu")
            yield Static(
                "Raise money, sign (or refuse) cloud deals, buy compute and stay independent.\n"
                "F1 help   F2 glossary   F3 high contrast   Ctrl+P commands",
                id="title-hint",
            )
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#menu", OptionList).focus()

    # ---- the saves behind Continue, Load and Replay ----------------------------------------------

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[SaveEntry] = []
        """Every file in the save folder, newest first (damaged ones with their problem)."""

    def _unavailable(self, action: str) -> str | None:
        """Why Continue, Load or Replay cannot be used now (None: it can)."""
        if action not in ("continue", "load", "replay"):
            return None
        if not self.entries:
            return NO_SAVES
        if action == "continue" and self.fortress.settings.workshop is not None:
            # a workshop's folder holds every team's saves: the latest may be another team's
            return "in a workshop, use Load and pick your team"
        if action != "load" and not any(e.ok for e in self.entries):
            return "No readable save: see Load"
        return None

    def _options(self) -> list[Option]:
        # an empty folder is told without opening the store (and loading what reads saves)
        self.entries = self.fortress.store.entries() if save_files(self.fortress.save_folder) else []
        latest = next((e.save for e in self.entries if e.save is not None), None)
        options = []
        for action, key, label, _ in MENU:
            reason = self._unavailable(action)
            prompt: str | Text = f"{key}  {label}" + (f"  ({reason})" if reason else "")
            if action == "continue" and latest is not None:
                about = continue_line(latest)
                prompt = Text.assemble(prompt, ("\n   " + about, "dim"))
            options.append(Option(prompt, id=action, disabled=reason is not None))
        return options

    def on_screen_resume(self) -> None:
        menu = self.query_one("#menu", OptionList)
        highlighted = menu.highlighted
        menu.clear_options()
        menu.add_options(self._options())
        menu.highlighted = highlighted
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("continue", "load", "replay"):
            return None if self._unavailable(action) else True
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
        """Play on from the latest readable save."""
        from game.saves.replay import load_game
        from game.ui.screens.saves import describe_save

        entry = self.fortress.store.latest()
        if entry is None or entry.save is None:
            self.notify(NO_SAVES, severity="warning")
            return
        try:
            game = load_game(entry.path)
        except SaveError as exc:
            self.notify(
                f"{for_markup(exc)} Choose another save with Load (l).",
                title="Cannot continue",
                severity="error",
                timeout=10,
            )
            return
        game = self.fortress.loaded(game, entry.save)
        self.fortress.resume_game(game, note=f"Continuing: {for_markup(describe_save(entry.save))}.")

    def action_load(self) -> None:
        from game.ui.screens.saves import SavesScreen

        self.app.push_screen(SavesScreen("load"), self._loaded)

    def _loaded(self, chosen: Chosen | None) -> None:
        from game.ui.screens.saves import describe_save

        if chosen is not None:
            game = self.fortress.loaded(chosen.game, chosen.save)
            self.fortress.resume_game(game, note=f"Loaded: {for_markup(describe_save(chosen.save))}.")

    def action_replay(self) -> None:
        from game.ui.screens.saves import SavesScreen

        self.app.push_screen(SavesScreen("replay"), self._replay)

    def _replay(self, chosen: Chosen | None) -> None:
        from game.ui.screens.replay import ReplayScreen

        if chosen is not None:
            self.app.push_screen(ReplayScreen(chosen.path, loaded=(chosen.save, chosen.game)))

    async def action_quit(self) -> None:
        await self.app.action_quit()
