"""Two saves of the same world side by side, quarter by quarter, and their paths against the rival.

Only two games of the same scenario and seed share their market, so only those are compared
(`same_world` says why two saves are not). A timeline steps through the quarters as in the
replay (←/→, Home/End, a click). At each stop both teams' key figures stand next to each other,
the better of each pair marked, above the decisions each team took that quarter; the second tab
draws both valuations against the rival on one chart, the quarter shown marked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Static, TabbedContent, TabPane
from textual_plotext import PlotextPlot

from game.content.names import for_markup, plain
from game.saves.errors import SaveError
from game.saves.format import SaveFile
from game.session.game import Game
from game.session.views import Dashboard
from game.ui import text as t
from game.ui.render.tables import heading, stack
from game.ui.screens.base import FortressScreen
from game.ui.screens.saves import outcome_name, save_label, scenario_name
from game.ui.theme import Palette
from game.ui.widgets.panel import Panel
from game.ui.widgets.timeline import Stop, Timeline, TimelineNavigation, load, short_quarter


def same_world(a: SaveFile, b: SaveFile) -> str | None:
    """Why two saves cannot be compared (another scenario or seed), or None if they can."""
    sa, sb = a.settings, b.settings
    if (sa.scenario, sa.seed) == (sb.scenario, sb.seed):
        return None
    return (
        f"These saves are from different worlds: “{a.name}” is {scenario_name(a)} with seed {sa.seed}, "
        f"“{b.name}” is {scenario_name(b)} with seed {sb.seed}. Only two games of the same scenario and "
        "seed face the same market, so only those can be compared (a workshop's teams, or a game and its branch)."
    )


@dataclass(frozen=True)
class Figure:
    """One key figure compared between the two teams."""

    label: str
    value: Callable[[Dashboard], float]
    shown: Callable[[Dashboard], str]
    higher_is_better: bool = True


FIGURES: tuple[Figure, ...] = (
    Figure("Cash", lambda d: d.cash, lambda d: t.money(d.cash)),
    Figure("Runway", lambda d: d.runway, lambda d: t.quarters(d.runway, 20)),
    Figure("ARR", lambda d: d.arr, lambda d: t.money(d.arr)),
    Figure("Valuation", lambda d: d.valuation, lambda d: t.money(d.valuation)),
    Figure("Against rival", lambda d: d.vs_rival, lambda d: t.times(d.vs_rival)),
    Figure("Compute", lambda d: d.compute_gw, lambda d: t.gw(d.compute_gw)),
    Figure("Demand served", lambda d: d.reliability, lambda d: t.pct(d.reliability)),
    Figure("Top dependency", lambda d: d.max_dependency, lambda d: t.pct(d.max_dependency), False),
    Figure("Scrutiny", lambda d: d.scrutiny, lambda d: t.pct(d.scrutiny), False),
    Figure(
        "Founders' stake",
        lambda d: d.cap_table[0][1] if d.cap_table else 0.0,
        lambda d: t.pct(d.cap_table[0][1], 1) if d.cap_table else "-",
    ),
)


def figures_table(mine: Dashboard, other: Dashboard | None, pal: Palette) -> Table:
    """Key figures of one team, each marked when it beats the other team's."""
    table = Table.grid(expand=True, padding=(0, 1))
    table.add_column(style=pal.muted, ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column(justify="right", no_wrap=True)
    for figure in FIGURES:
        style = ""
        if other is not None:
            a, b = figure.value(mine), figure.value(other)
            if abs(a - b) > 1e-9 and (a > b) == figure.higher_is_better:
                style = pal.good
        table.add_row(figure.label, Text(figure.shown(mine), style=style))
    return table


class Side:
    """One of the two games being compared."""

    def __init__(self, path: Path, save: SaveFile, game: Game) -> None:
        self.path = path
        self.save = save
        self.game = game
        self.history = game.history()

    @property
    def name(self) -> str:
        return plain(f"{self.game.lab_name} ({save_label(self.save)})")

    def at(self, k: int) -> Dashboard:
        return self.history[min(k, len(self.history) - 1)]

    def story(self, k: int, other: Side, pal: Palette) -> RenderableType:
        """Key figures and decisions at stop k."""
        game = self.game
        n = len(game.turns)
        parts: list[RenderableType] = []
        if k > n:
            ended = f"ended after {n} quarters: {outcome_name(game.outcome)}" if game.over else "stops earlier"
            parts.append(Text(f"This game {ended}; its last figures:", style=pal.warn))
        parts.append(figures_table(self.at(k), other.at(k) if k < len(other.history) else None, pal))
        parts.append(Text(""))
        if k < n:
            record = game.turns[k]
            parts.append(heading(f"Decisions in {record.report.quarter}", pal))
            if record.actions:
                parts.extend(Text(f"• {game.describe(a)}") for a in record.actions)
            else:
                parts.append(Text("None", style=pal.muted))
            events = [item.title for item in record.report.items if item.topic in ("event", "regulator", "warning")]
            if events:
                parts.append(Text.assemble(("What happened: ", pal.muted), "; ".join(events)))
        elif k == n:
            if game.over:
                summary = game.summary()
                parts.append(heading(f"Outcome: {summary.title}, final score {summary.score:.1f}", pal))
            else:
                parts.append(Text(f"The save stops here, in {game.quarter_label()}.", style=pal.muted))
        return stack(*parts)


class CompareScreen(TimelineNavigation, FortressScreen[None]):
    """Two games of one world, side by side."""

    GLOSSARY = ("Valuation against rival", "Runway", "Dependency", "Scrutiny", "ARR", "Outcome")
    HELP = (
        "Two saves of the same world (scenario and seed), side by side. **←/→** step through the "
        "quarters, **Home/End** jump, a click on the timeline goes to a quarter. **1** shows both "
        "teams' key figures (the better of each pair in green) and their decisions; **2** both "
        "valuations against the rival on one chart. **Esc** goes back."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "step(-1)", "Prev", key_display="←", priority=True),
        Binding("right", "step(1)", "Next", key_display="→", priority=True),
        Binding("home", "go(0)", "Start", show=False, priority=True),
        Binding("end", "go(-1)", "End", show=False, priority=True),
        Binding("1", "tab('compare-sides')", "Side by side", show=False),
        Binding("2", "tab('compare-chart-tab')", "Chart", show=False),
        Binding("escape", "back", "Back"),
    ]

    def __init__(
        self,
        first: Path,
        second: Path,
        loaded: tuple[tuple[SaveFile, Game], tuple[SaveFile, Game]] | None = None,
        start: int = 0,
    ) -> None:
        super().__init__()
        self.paths = (Path(first), Path(second))
        self.problem: str | None = None
        """Why the two cannot be compared, if they cannot."""
        self.sides: tuple[Side, Side] | None = None
        self.position = 0
        """The stop shown: the start of quarter `position + 1` (the end when it is the last)."""
        try:
            pair = loaded or (load(self.paths[0]), load(self.paths[1]))
        except SaveError as exc:
            self.problem = str(exc)
            return
        (sa, ga), (sb, gb) = pair
        self.problem = same_world(sa, sb)
        if self.problem is None:
            self.sides = (Side(self.paths[0], sa, ga), Side(self.paths[1], sb, gb))
            self.position = min(max(start, 0), self.last)

    @property
    def last(self) -> int:
        assert self.sides is not None
        return max(len(side.history) for side in self.sides) - 1

    def compose(self) -> ComposeResult:
        if self.sides is None:
            yield Static("Compare two saves", classes="screen-title")
            yield Panel("These saves cannot be compared", id="compare-error")
            yield Footer(compact=True, show_command_palette=False)
            return
        a, b = self.sides
        yield Static(
            f"Compare: {for_markup(scenario_name(a.save))}, seed {a.game.seed} · A {for_markup(a.name)} · B {for_markup(b.name)}",
            classes="screen-title",
        )
        longer = max(self.sides, key=lambda s: len(s.history)).game
        marks = [
            Stop(
                str(k + 1),
                short_quarter(longer.quarter_label(k)),
                busy=any(k < len(s.game.turns) and bool(s.game.turns[k].actions) for s in self.sides),
            )
            for k in range(self.last)
        ]
        marks.append(Stop("End", "End"))
        yield Timeline(marks, id="compare-timeline")
        yield Static(id="compare-context", classes="context")
        with TabbedContent(initial="compare-sides", id="compare-tabs"):
            with TabPane("1 Side by side", id="compare-sides"), Vertical(id="compare-page"):
                with Horizontal(id="compare-body"):
                    yield Panel(f"A: {for_markup(a.name)}", id="compare-a", term="Valuation against rival")
                    yield Panel(f"B: {for_markup(b.name)}", id="compare-b", term="Valuation against rival")
                yield self._chart("compare-chart-inline")  # shown on tall screens only
            with TabPane("2 Chart", id="compare-chart-tab"):
                yield self._chart("compare-chart")
        yield Footer(compact=True, show_command_palette=False)

    @staticmethod
    def _chart(id: str) -> PlotextPlot:
        plot = PlotextPlot(id=id, classes="compare-chart")
        plot.border_title = "Valuation against the top rival (1.00x = level with it)"
        return plot

    def on_mount(self) -> None:
        if self.sides is None:
            self.query_one("#compare-error", Panel).show(
                stack(
                    Text(self.problem or "", style=self.palette.bad),
                    Text(""),
                    Text("Esc goes back.", style=self.palette.muted),
                )
            )
            return
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.refresh_view())
        self.refresh_view()
        self.query_one("#compare-a", Panel).focus()

    def _colour(self, variable: str) -> tuple[int, int, int]:
        color = Color.parse(self.app.theme_variables.get(variable, "white"))
        return (color.r, color.g, color.b)

    def refresh_view(self) -> None:
        """Redraw both sides and the chart for the stop at `position`."""
        if self.sides is None:
            return
        a, b = self.sides
        k = self.position
        pal = self.palette
        self.query_one(Timeline).position = k
        longer = max(self.sides, key=lambda s: len(s.history)).game
        when = "The end" if k == self.last else f"Going into {longer.quarter_label(k)} (quarter {k + 1} of {self.last})"
        self.query_one("#compare-context", Static).update(Text(when, style=pal.strong))
        self.query_one("#compare-a", Panel).show(a.story(k, b, pal))
        self.query_one("#compare-b", Panel).show(b.story(k, a, pal))

        ticks = [short_quarter(longer.quarter_label(i)) for i in range(self.last + 1)]
        step = max(1, len(ticks) // 6)
        for plot in self.query(".compare-chart").results(PlotextPlot):
            plt = plot.plt
            plt.clear_data()
            for side, colour, tag in ((a, "primary", "A"), (b, "error", "B")):
                x = [float(i) for i in range(len(side.history))]
                plt.plot(
                    x,
                    [d.vs_rival for d in side.history],
                    label=f"{tag}: {side.name}",
                    color=self._colour(colour),
                    marker="hd",
                )
            plt.xticks([float(i) for i in range(0, len(ticks), step)], ticks[::step])
            plt.vline(float(k), color=self._colour("accent"))
            plot.refresh()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return True
        if self.sides is None:
            return False
        if action == "step":
            step = parameters[0] if parameters else 0
            if (step == -1 and self.position == 0) or (step == 1 and self.position == self.last):
                return None
        return True

    def action_back(self) -> None:
        self.dismiss(None)
