"""`FortressApp`, the thin Textual shell of the game, and `make_app`, the one way to build it.

The app holds the content pack (loaded once), the game in progress and the settings it was
started with; the screens do the rest. `make_app` is shared by `fortress play` and the tests, so
what is tested is what a player runs.
"""

from __future__ import annotations

import random
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from game.content.names import for_markup
from game.saves.errors import SaveError
from game.saves.folder import default_folder
from game.ui.commands import FortressCommands
from game.ui.host import Host, Settings
from game.ui.screens.base import FortressScreen
from game.ui.screens.title import TitleScreen
from game.ui.theme import FORTRESS_THEME, HIGH_CONTRAST_THEME, THEMES

if TYPE_CHECKING:  # the engine, the content models and the save store load after the first screen
    from game.analysis.debrief import ClassRoom
    from game.content.models import Pack
    from game.content.workshop import Workshop
    from game.saves.format import SaveFile
    from game.saves.store import SaveStore
    from game.session.game import Game


WARM_UP_AFTER = 0.25
"""Seconds after the first screen's first refresh before the warm-up starts: time for it to settle (a thread started at once holds the interpreter while the first screen is being
built, and delays it by half)."""


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
        Binding("a", "analyse", "Analyse"),
    ]

    def __init__(self, pack: Pack | None, settings: Settings | None = None) -> None:
        super().__init__()
        self._pack = pack
        self._store: SaveStore | None = None
        self._loading = threading.Lock()  # the pack and the store are loaded once, by whichever thread asks first
        self.settings = settings or Settings()
        self.game: Game | None = None
        """The game in progress, if any."""
        self.default_seed = self.settings.seed if self.settings.seed is not None else random.randrange(1, 1_000_000)
        """The seed the new-game screen offers."""
        self.save_folder = default_folder(self.settings.saves)
        """The folder of `store`: the title screen looks into it before the store is opened."""
        self._autosaved = False
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = HIGH_CONTRAST_THEME.name if self.settings.high_contrast else FORTRESS_THEME.name

    @property
    def pack(self) -> Pack:
        """The content pack, loaded once for the whole session (the bundled one unless the app was
        given one), when first needed: the title screen is drawn without it."""
        with self._loading:
            if self._pack is None:
                from game.session.build import load_content

                self._pack = load_content()
            return self._pack

    @property
    def store(self) -> SaveStore:
        """The save folder: autosaves, named saves, the lists of the title screen (opened when
        first needed, with the modules that read and write saves)."""
        with self._loading:
            if self._store is None:
                from game.saves.store import SaveStore

                self._store = SaveStore(self.save_folder)
            return self._store

    def get_default_screen(self) -> Screen[None]:
        return TitleScreen()

    def on_mount(self) -> None:
        if self.settings.classroom is not None:
            from game.ui.screens.class_debrief import ClassDebriefScreen

            self.push_screen(ClassDebriefScreen(self.settings.classroom))
        elif self.settings.workshop is not None or self.settings.scenario is not None:
            self.action_new_game()
        elif self.settings.replay:
            self.open_replay(*(Path(p) for p in self.settings.replay))
        # counted from the first screen's first refresh, so a slow machine does not start it early
        self.call_after_refresh(self.set_timer, WARM_UP_AFTER, self._warm_up)

    def _warm_up(self) -> None:
        """Once the first screen has settled, load what the next ones need (the content pack, the
        engine, the save store, the new-game and dashboard screens) in a background thread, so
        that the player's first key does not wait on it. It changes nothing on screen; whatever
        it has not finished loads when first needed, as without it."""

        def load() -> None:
            import importlib

            for name in ("game.session.game", "game.saves.store", "game.ui.screens.new_game"):
                importlib.import_module(name)
            self.pack  # noqa: B018 (loads it)
            self.store  # noqa: B018
            importlib.import_module("game.ui.screens.dashboard")

        threading.Thread(target=load, name="fortress-warm-up", daemon=True).start()

    # ---- the flow between screens ---------------------------------------------------------------

    async def _pop_to_title(self) -> None:
        while len(self.screen_stack) > 1:
            await self.pop_screen()

    def action_new_game(self) -> None:
        """Open the new-game screen (above the title); in a workshop, the team-name screen."""
        from game.ui.screens.new_game import NewGameScreen
        from game.ui.screens.team_name import TeamNameScreen

        workshop = self.settings.workshop

        async def go() -> None:
            await self._pop_to_title()
            await self.push_screen(NewGameScreen() if workshop is None else TeamNameScreen(workshop))

        self.call_later(go)

    def start_game(
        self, scenario: str, difficulty: str, seed: int, lab: str | None, quarters: int | None = None
    ) -> None:
        """Create the game and show its dashboard."""
        from game.session.game import Game
        from game.ui.screens.dashboard import DashboardScreen

        self.game = Game.new(self.pack, scenario, difficulty, seed, lab, quarters)
        self.default_seed = seed

        async def go() -> None:
            await self._pop_to_title()
            await self.push_screen(DashboardScreen())

        self.call_later(go)

    def start_workshop(self, team: str) -> None:
        """Start `team`'s game in the workshop's world. Its join code goes into every save, and a
        first autosave lets the facilitator's live view list the team at once."""
        from game.content.workshop import join_code

        w = self.settings.workshop
        assert w is not None, "not a workshop game"
        self.start_game(w.scenario, w.difficulty, w.seed, team, w.quarters)
        assert self.game is not None
        self.game.workshop = join_code(w)
        self.autosave()

    def action_title(self) -> None:
        """Back to the title screen."""
        self.call_later(self._pop_to_title)

    def show_results(self) -> None:
        """The game-over screen, above the final dashboard."""
        from game.ui.screens.game_over import GameOverScreen

        self.push_screen(GameOverScreen())

    # ---- saved games -----------------------------------------------------------------------------

    def loaded(self, game: Game, save: SaveFile) -> Game:
        """`game`, just restored from `save` to play on, with the load recorded in its history
        (and the line it leaves: the game in play, or the newest save of the same game)."""
        from game.saves.replay import record_load

        record_load(game, save, self.store.line_left(save, self.game))
        return game

    def resume_game(self, game: Game, note: str | None = None) -> None:
        """Play on with `game` (continued, loaded or branched from a replay) on its dashboard."""
        from game.ui.screens.dashboard import DashboardScreen

        if self.game is not None and self.game is not game and self.game.pending and not self.game.over:
            self.autosave()  # the plan of the game being left is kept
        self.game = game
        self.default_seed = game.seed

        async def go() -> None:
            await self._pop_to_title()
            await self.push_screen(DashboardScreen())
            if game.over:
                self.show_results()
            if note:
                self.notify(note, timeout=8)

        self.call_later(go)

    def autosave(self) -> Path | None:
        """Write this quarter's autosave of the game in progress. A failed write is shown and
        play goes on."""
        if self.game is None:
            return None
        try:
            path = self.store.autosave(self.game)
        except SaveError as exc:
            self.notify(
                f"{for_markup(exc)} (Save folder: {for_markup(self.store.folder)}.)",
                title="Autosave failed",
                severity="error",
                timeout=10,
            )
            return None
        if not self._autosaved:
            self._autosaved = True
            self.notify(
                f"Autosaved in {self.store.folder}: the game saves itself after every quarter, and Continue on "
                "the title screen resumes it.",
                title="Saved",
            )
        return path

    def save_named(self, name: str) -> Path | None:
        """Write a named save of the game in progress (planned actions included), and say where.
        A failed write is shown and play goes on."""
        if self.game is None:
            return None
        try:
            path = self.store.save(self.game, name)
        except SaveError as exc:
            self.notify(
                f"{for_markup(exc)} (Save folder: {for_markup(self.store.folder)}.)",
                title="Not saved",
                severity="error",
                timeout=10,
            )
            return None
        self.notify(f"Saved as {for_markup(path.name)} in {for_markup(path.parent)}.", title="Game saved", timeout=5)
        return path

    def open_replay(self, first: Path, second: Path | None = None) -> None:
        """The replay of one save, or the comparison of two, above the current screen."""
        from game.ui.screens.compare import CompareScreen
        from game.ui.screens.replay import ReplayScreen

        self.push_screen(ReplayScreen(first) if second is None else CompareScreen(first, second))

    async def action_quit(self) -> None:
        """Quit; a game in progress is autosaved first, so a plan made this quarter is kept."""
        if self.game is not None and not self.game.over:
            self.autosave()
        await super().action_quit()

    # ---- the engine's analysis ------------------------------------------------------------------

    def open_analysis(self, game: Game | None = None) -> None:
        """The engine's judgement of every quarter played so far (default: the game in progress)."""
        from game.ui.screens.analysis import AnalysisScreen

        game = game or self.game
        if game is None or not game.turns:
            self.notify("Play a quarter first: the analysis judges the quarters played.", severity="warning")
            return
        self.push_screen(AnalysisScreen(game))

    def action_analyse(self) -> None:
        self.open_analysis()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "analyse":  # the game-over screen's key (the dashboard has its own)
            over = sys.modules.get("game.ui.screens.game_over")  # not loaded: no game-over screen yet
            return (
                over is not None
                and isinstance(self.screen, over.GameOverScreen)
                and self.game is not None
                and bool(self.game.turns)
            )
        return True

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
    saves: str | Path | None = None,
    replay: tuple[str | Path, ...] = (),
    evaluation: str = "auto",
    workshop: Workshop | None = None,
    classroom: ClassRoom | None = None,
) -> FortressApp:
    """Build the app; without a pack, the bundled content pack is loaded when first needed."""
    return FortressApp(
        pack,
        Settings(
            scenario,
            difficulty,
            seed,
            lab,
            high_contrast,
            saves=None if saves is None else str(saves),
            replay=tuple(str(p) for p in replay),
            evaluation=evaluation,
            workshop=workshop,
            classroom=classroom,
        ),
    )


if TYPE_CHECKING:  # the app is what its screens take it for (mypy checks the match)
    _HOST: type[Host] = FortressApp
