"""What the screens and the command palette may ask of the app they run in.

The app (`game.ui.app.FortressApp`) pushes the screens, and the screens call back into the app
(start a game, save it, open the glossary); `Host` names those calls, so the screens read this
module instead of importing the app back and the interface's imports point one way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from textual.geometry import Size
from textual.theme import Theme

if TYPE_CHECKING:  # types only: the first screen is drawn before these modules load
    from game.analysis.debrief import ClassRoom
    from game.content.models import Pack
    from game.content.workshop import Workshop
    from game.saves.format import SaveFile
    from game.saves.store import SaveStore
    from game.session.game import Game


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
    saves: str | None = None
    """The save folder (`--saves`); None: $FORTRESS_SAVES, else `saves/` in the current folder."""
    replay: tuple[str, ...] = ()
    """Open the replay of this save (one path) or the comparison of two saves (two paths)."""
    evaluation: str = "auto"
    """The engine's live evaluation: `live` (in a worker), `wait` (at once: deterministic
    screenshots), `off`, or `auto` (live, but `wait` when the app runs headless, as in tests)."""
    workshop: Workshop | None = None
    """A classroom workshop (`--workshop`): new games are in its world; only the team name is asked."""
    classroom: ClassRoom | None = None
    """Open the class debrief of this folder of saves (`fortress debrief` without `--out`)."""


class Host(Protocol):
    """The app as its screens see it."""

    settings: Settings
    save_folder: Path
    game: Game | None
    default_seed: int

    @property
    def pack(self) -> Pack: ...  # loaded when first asked for

    @property
    def store(self) -> SaveStore: ...  # opened when first asked for

    @property
    def VERTICAL_BREAKPOINTS(self) -> list[tuple[int, str]] | None: ...  # the app's own, read-only here

    @property
    def current_theme(self) -> Theme: ...

    @property
    def size(self) -> Size: ...

    def action_new_game(self) -> None: ...
    def action_title(self) -> None: ...
    def action_help(self) -> None: ...
    def action_glossary(self, term: str = "") -> None: ...
    def action_toggle_contrast(self) -> None: ...
    def start_game(
        self, scenario: str, difficulty: str, seed: int, lab: str | None, quarters: int | None = None
    ) -> None: ...
    def start_workshop(self, team: str) -> None: ...
    def show_results(self) -> None: ...
    def loaded(self, game: Game, save: SaveFile) -> Game: ...

    def resume_game(self, game: Game, note: str | None = None) -> None: ...
    def autosave(self) -> Path | None: ...
    def save_named(self, name: str) -> Path | None: ...
    def open_replay(self, first: Path, second: Path | None = None) -> None: ...
    def open_analysis(self, game: Game | None = None) -> None: ...
