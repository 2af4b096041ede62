"""What every Fortress screen shares: the app and game it belongs to, its glossary terms, styles.

`FortressScreen` is the base of the full screens and `FortressModal` of the overlays (glossary,
help). Each screen lists the glossary terms it uses in `GLOSSARY`, so the glossary can show
them first, and says in `HELP` how it works, for the help screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypeVar, cast

from textual.screen import ModalScreen, Screen

from game.ui.theme import Palette
from game.ui.widgets.panel import Panel

if TYPE_CHECKING:
    from game.session.game import Game
    from game.ui.host import Host

ResultT = TypeVar("ResultT")


class _Shared:
    """Mixed into both screen bases: typed access to the app, the game and the palette."""

    GLOSSARY: ClassVar[tuple[str, ...]] = ()
    """Glossary terms this screen uses, listed first in the glossary."""
    HELP: ClassVar[str | None] = None
    """Markdown: how this screen works, shown by the help screen."""

    @property
    def fortress(self) -> Host:
        return cast("Host", self.app)  # type: ignore[attr-defined]

    @property
    def game(self) -> Game:
        game = self.fortress.game
        assert game is not None, "no game in progress"
        return game

    @property
    def palette(self) -> Palette:
        return Palette.of(self.fortress.current_theme)

    @property
    def short_terminal(self) -> bool:
        """Whether the terminal is under the app's -tall breakpoint (read from the size, as the
        class may arrive after a screen's first draw)."""
        app = self.fortress
        tall = next((h for h, name in app.VERTICAL_BREAKPOINTS or [] if name == "-tall"), 34)
        return app.size.height < tall

    def focused_term(self) -> str | None:
        """The glossary term of the focused panel, if any."""
        focused = self.focused  # type: ignore[attr-defined]
        node = focused
        while node is not None:
            if isinstance(node, Panel) and node.term:
                return node.term
            node = node.parent
        return None


class FortressScreen(_Shared, Screen[ResultT]):
    """A full screen of the game."""


class FortressModal(_Shared, ModalScreen[ResultT]):
    """An overlay (glossary, help) above whatever screen was showing."""
