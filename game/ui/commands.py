"""The command palette's game commands (Ctrl+P): the dashboard's actions, themes, glossary terms.

Game actions are offered only on the dashboard and only while they can be taken, so the palette
tells the same truth as the footer. Every glossary term can be searched for and opened directly.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from game.ui.host import Host

Command = tuple[str, Callable[[], object], str]
"""Name, callback and a line of help."""


class FortressCommands(Provider):
    """Commands for the screen the palette was opened from."""

    def _commands(self) -> list[Command]:
        from game.ui.screens.dashboard import DashboardScreen

        app = cast("Host", self.app)
        screen = self.screen
        commands: list[Command] = [
            ("New game", app.action_new_game, "Choose a scenario, difficulty, seed and lab name"),
            ("Title screen", app.action_title, "Back to the title screen"),
            ("Glossary", app.action_glossary, "Every term the game uses, searchable"),
            ("Help", app.action_help, "Keys and how a quarter works"),
            ("Toggle high-contrast theme", app.action_toggle_contrast, "Black and white with strong colours (F3)"),
        ]
        if isinstance(screen, DashboardScreen):
            for action, name, help_text in DashboardScreen.PALETTE:
                if screen.check_action(action, ()) is True:
                    commands.append((name, partial(screen.run_action, action), help_text))
        return commands

    def _terms(self, app: Host) -> list[Command]:
        return [
            (f"Glossary: {term.term}", partial(app.action_glossary, term.term), term.definition[:80])
            for term in app.pack.glossary
        ]

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        app = cast("Host", self.app)
        matcher = self.matcher(query)
        for name, callback, help_text in [*self._commands(), *self._terms(app)]:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
