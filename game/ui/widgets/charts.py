"""`HistoryCharts`: the game so far as three line charts, drawn with textual-plotext.

One chart each for valuation against the top rival, cash and runway, and compute against what
demand needs: the trends a table of this quarter's figures cannot show. The data is the session's
`history()` (the dashboard at the start and after every quarter).
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.color import Color
from textual.containers import Container
from textual_plotext import PlotextPlot

from game.session.views import Dashboard


def _short(label: str) -> str:
    """`Q3 2026` as `Q3'26` so that tick labels fit."""
    q, _, year = label.partition(" ")
    return f"{q}'{year[-2:]}" if year else label


class HistoryCharts(Container):
    """Three charts of the history, redrawn by `show`."""

    DEFAULT_CSS = """
    HistoryCharts {
        height: auto;
    }
    HistoryCharts > PlotextPlot {
        height: 14;
        border: round $primary 40%;
        border-title-color: $text;
    }
    """

    def compose(self) -> ComposeResult:
        for key, title in (
            ("valuation", "Valuation ($B): you against the top rival"),
            ("cash", "Cash ($B, left axis) and runway (quarters, right)"),
            ("compute", "Compute (GW): serving capacity against demand"),
        ):
            plot = PlotextPlot(id=f"chart-{key}")
            plot.border_title = title
            yield plot

    def _colour(self, variable: str) -> tuple[int, int, int]:
        color = Color.parse(self.app.theme_variables.get(variable, "white"))
        return (color.r, color.g, color.b)

    def show(self, history: Sequence[Dashboard]) -> None:
        """Redraw every chart from the history."""
        if not history:
            return
        x: list[float] = [float(k) for k in range(len(history))]
        ticks = [_short(d.quarter) for d in history]
        step = max(1, len(ticks) // 6)
        tick_x, tick_labels = x[::step], ticks[::step]
        you, rival, third = self._colour("primary"), self._colour("error"), self._colour("success")

        plt = self.query_one("#chart-valuation", PlotextPlot).plt
        plt.clear_data()
        plt.plot(x, [d.valuation for d in history], label="You", color=you, marker="hd")
        plt.plot(x, [d.rival_valuation for d in history], label="Top rival", color=rival, marker="hd")
        plt.plot(x, [d.fair_value for d in history], label="Your fair value", color=third, marker="hd")
        plt.xticks(tick_x, tick_labels)

        plt = self.query_one("#chart-cash", PlotextPlot).plt
        plt.clear_data()
        plt.plot(x, [d.cash for d in history], label="Cash $B", color=you, marker="hd")
        plt.plot(x, [d.runway for d in history], label="Runway (quarters)", color=rival, marker="hd", yside="right")
        plt.xticks(tick_x, tick_labels)

        plt = self.query_one("#chart-compute", PlotextPlot).plt
        plt.clear_data()
        plt.plot(x, [d.compute_gw for d in history], label="All compute", color=third, marker="hd")
        plt.plot(x, [d.inference_gw for d in history], label="Serving", color=you, marker="hd")
        plt.plot(x, [d.needed_gw for d in history], label="Needed by demand", color=rival, marker="hd")
        plt.xticks(tick_x, tick_labels)

        for plot in self.query(PlotextPlot):
            plot.refresh()
