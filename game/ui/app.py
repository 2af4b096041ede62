"""`FortressApp`, the thin Textual shell of the game, and `make_app`, the one way to build it.

The app holds the content pack (loaded once), the game in progress and the settings it was
started with; the screens do the rest. `make_app` is shared by `fortress play` and the tests, so
what is tested is what a player runs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from game.content.models import Pack
from game.session.game import Game
from game.ui.commands import FortressCommands
from game.ui.screens.base import FortressScreen
from game.ui.screens.title import TitleScreen
from game.ui.theme import FORTRESS_THEME, HIGH_CONTRAST_THEME, THEMES


@dataclass(frozen=True)
class Settings:
    """How the player asked the game to start (from the command line or a test)."""

    scenario: str | None = None
    """Open the new-game screen on this scenario."""
    difficulty: str = "normal"
    seed: int | None = None
    """World seed; None picks one at random (shown, and editable, on the new-game screen)."""
    lab: str | None = None
    high_contrast: bool = False


class FortressApp(App[None]):
    """The game: title screen, new game, the dashboard and its action screens, the end."""

    CSS_PATH = "fortress.tcss"
    TITLE = "Fortress"
    SUB_TITLE = "run a frontier AI lab, quarter by quarter"
    COMMANDS = App.COMMANDS | {FortressCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012 (Textual declares it so)
    VERTICAL_BREAKPOINTS = [(0, "-short"), (34, "-tall")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", priority=True),
        Binding("f2", "glossary", "Glossary", priority=True),
        Binding("f3", "toggle_contrast", "Contrast", show=False, priority=True),
        Binding("question_mark", "help", "Help", show=False),
        Binding("g", "glossary", "Glossary", show=False),
    ]

    def __init__(self, pack: Pack, settings: Settings | None = None) -> None:
        super().__init__()
        self.pack = pack
        """The content pack, loaded once for the whole session."""
        self.settings = settings or Settings()
        self.game: Game | None = None
        """The game in progress, if any."""
        self.default_seed = self.settings.seed if self.settings.seed is not None else random.randrange(1, 1_000_000)
        """The seed the new-game screen offers."""
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = HIGH_CONTRAST_THEME.name if self.settings.high_contrast else FORTRESS_THEME.name

    def get_default_screen(self) -> Screen[None]:
        return TitleScreen()

    def on_mount(self) -> None:
        if self.settings.scenario is not None:
            self.action_new_game()

    # ---- the flow between screens ---------------------------------------------------------------

    async def _pop_to_title(self) -> None:
        while len(self.screen_stack) > 1:
            await self.pop_screen()

    def action_new_game(self) -> None:
        """Open the new-game screen (above the title)."""
        from game.ui.screens.new_game import NewGameScreen

        async def go() -> None:
            await self._pop_to_title()
            await self.push_screen(NewGameScreen())

        self.call_later(go)

    def start_game(self, scenario: str, difficulty: str, seed: int, lab: str | None) -> None:
        """Create the game and show its dashboard."""
        from game.ui.screens.dashboard import DashboardScreen

        self.game = Game.new(self.pack, scenario, difficulty, seed, lab)
        self.default_seed = seed

        async def go() -> None:
            await self._pop_to_title()
            await self.push_screen(DashboardScreen())

        self.call_later(go)

    def action_title(self) -> None:
        """Back to the title screen."""
        self.call_later(self._pop_to_title)

    def show_results(self) -> None:
        """The game-over screen, above the final dashboard."""
        from game.ui.screens.game_over import GameOverScreen

        self.push_screen(GameOverScreen())

    # ---- available everywhere -------------------------------------------------------------------

    def _screen_terms(self) -> tuple[tuple[str, ...], str | None]:
        screen = self.screen
        if isinstance(screen, FortressScreen):
            return screen.GLOSSARY, screen.focused_term()
        return (), None

    def action_glossary(self, term: str = "") -> None:
        """Open the glossary (or close it if it is open), on `term` or the focused panel's term."""
        from game.ui.screens.glossary import GlossaryScreen

        if isinstance(self.screen, GlossaryScreen):
            self.screen.dismiss(None)
            return
        first, focused = self._screen_terms()
        self.push_screen(GlossaryScreen(first=first, term=term or focused))

    def action_help(self) -> None:
        """Open the help (or close it if it is open), about the screen below it."""
        from game.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        self.push_screen(HelpScreen(self.screen))

    def action_toggle_contrast(self) -> None:
        """Switch between the default and the high-contrast theme."""
        high = self.theme != HIGH_CONTRAST_THEME.name
        self.theme = HIGH_CONTRAST_THEME.name if high else FORTRESS_THEME.name
        self.notify("High-contrast theme on." if high else "Default theme.", timeout=2)


def make_app(
    pack: Pack | None = None,
    *,
    scenario: str | None = None,
    difficulty: str = "normal",
    seed: int | None = None,
    lab: str | None = None,
    high_contrast: bool = False,
) -> FortressApp:
    """Build the app: loads the bundled content pack unless one is given."""
    if pack is None:
        from game.session.build import load_content

        pack = load_content()
    return FortressApp(pack, Settings(scenario, difficulty, seed, lab, high_contrast))
