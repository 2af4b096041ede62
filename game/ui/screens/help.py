"""The help screen: how a quarter works, the keys of the screen below and the keys that work everywhere."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown, Static

from game.ui.screens.base import FortressModal

HOW_TO_PLAY = """\
## How a quarter works
1. Read the **dashboard**: cash and runway, valuation against your top rival, compute against
   demand, partners and the regulator.
2. **Plan** moves: a funding round (f), an answer to a cloud offer (d), a capacity order (c),
   operations (o). Each screen shows the projected effect before you confirm.
3. **Undo** (u) takes back the last planned move. Nothing happens until the quarter ends.
4. **End the quarter** (e): the market moves, rounds close or fail, events happen, and the
   quarter report explains what happened and why.

The game ends after the scenario's last quarter, or sooner if you run out of cash, with an
outcome (forced sale, dependent, survivor, fortress, IPO) and a score.

## Keys everywhere
- **F1** or **?**: this help; **F2** or **g**: the glossary (F2 works while typing)
- **F3**: high-contrast theme; **Ctrl+P**: command palette (every action by name)
- **Tab** / **Shift+Tab**: next / previous field; **Esc**: back; **Ctrl+Q**: quit
- Money is in billions of dollars ($B), compute in gigawatts (GW), time in quarters (qtr).
"""


def screen_keys(screen: Screen[object]) -> str:
    """The key bindings of `screen` as a Markdown list."""
    lines = []
    for binding in getattr(screen, "BINDINGS", []):
        if isinstance(binding, Binding) and binding.description:
            lines.append(f"- **{binding.key_display or binding.key}**: {binding.description}")
    return "\n".join(lines)


class HelpScreen(FortressModal[None]):
    """Help about the screen below."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def __init__(self, below: Screen[object]) -> None:
        super().__init__()
        self.below = below

    def compose(self) -> ComposeResult:
        about = getattr(self.below, "HELP", "")
        keys = screen_keys(self.below)
        parts = []
        if about:
            parts.append("## This screen\n" + about)
        if keys:
            parts.append("## Keys on this screen\n" + keys)
        parts.append(HOW_TO_PLAY)
        with Vertical(id="help-box"):
            yield Static("Help", classes="screen-title")
            with VerticalScroll(id="help-scroll"):
                yield Markdown("\n\n".join(parts))
            yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)
