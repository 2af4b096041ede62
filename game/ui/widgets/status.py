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
        """The line, shortened until it fits the width, so that the lab's name is always whole."""
        runway_style = palette.bad if d.runway < 4 else palette.strong
        width = max(self.size.width - 2, 0) or 78
        runway = t.quarters(d.runway, runway_cap)
        short_runway = runway.replace(" quarters", " qtrs").replace(" quarter", " qtr")
        if over:
            whens = [f"{d.quarter}  game over"]
        else:
            here = f"{d.quarter}  quarter {d.turn + 1} of {d.turns}"
            whens = [f"{here}, {d.turns - d.turn} to play", here]
        candidates = [(when, gap, r) for when in whens for gap, r in (("  ", runway), (" · ", short_runway))]
        text = Text()
        for when, gap, r in candidates:
            text = Text.assemble(
                (when, palette.strong),
                f"{gap}cash ",
                (t.money(d.cash), palette.strong),
                f"{gap}runway ",
                (r, runway_style),
                gap,
                (d.lab, palette.accent),
                no_wrap=True,
                overflow="ellipsis",
            )
            if text.cell_len <= width:
                break
        self.update(text)
