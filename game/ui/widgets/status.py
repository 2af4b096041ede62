"""`StatusBar`: one line across the top of the dashboard with the figures that matter every turn."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from game.session.views import Dashboard
from game.ui import text as t
from game.ui.theme import Palette


class StatusBar(Static):
    """Quarter, turns left, cash, runway and the lab's name."""

    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        background: $panel;
        padding: 0 1;
    }
    """

    def show(self, d: Dashboard, runway_cap: float, palette: Palette, over: bool) -> None:
        runway_style = palette.bad if d.runway < 4 else palette.strong
        if over:
            when = f"{d.quarter}  game over"
        else:
            left = d.turns - d.turn
            when = f"{d.quarter}  quarter {d.turn + 1} of {d.turns}, {left} to play"
        self.update(
            Text.assemble(
                (when, palette.strong),
                "  cash ",
                (t.money(d.cash), palette.strong),
                "  runway ",
                (t.quarters(d.runway, runway_cap), runway_style),
                "  ",
                (d.lab, palette.accent),
                overflow="ellipsis",
                no_wrap=True,
            )
        )
