"""The replay and debrief of one saved game: step through it quarter by quarter, and branch.

The save is read and replayed with every digest checked (a `SaveError` is shown on the screen,
never as a traceback). A timeline runs across the top, one stop per quarter plus the end; the
left and right arrows, Home and End, or a click move along it. At each stop the screen shows:

- **1 Quarter**: the decisions taken that quarter, then its report (money, events with their
  lessons), beside the lab's money and valuation going into it;
- **2 Dashboard**: the rest of the dashboard as it was then (compute, market, partners,
  regulator, cap table, rivals), drawn by the dashboard's own renderers;
- **3 Charts**: the whole game's charts with the quarter shown marked.

Stop k is the start of quarter k+1: the state after k quarters (`game.history()[k]`), the
decisions of `game.turns[k]` and what they led to. **b** branches: a new live game replays the
save's decisions up to stop k and goes on on the dashboard, under a new game id so that its
autosaves never replace the original's. **c** compares with another save of the same world; **a**
opens the engine's analysis of the game (a screen built separately; see `action_analysis`).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.widgets import Footer, Static, TabbedContent, TabPane
from textual_plotext import PlotextPlot

from game.saves.errors import SaveError
from game.saves.format import SaveFile
from game.saves.load import read_save
from game.saves.replay import reopen, restore
from game.session.game import Game
from game.session.views import Dashboard
from game.ui.render import dashboard as render
from game.ui.render.report import game_over_body, report_body
from game.ui.render.tables import heading, stack
from game.ui.screens.base import FortressScreen
from game.ui.screens.saves import Chosen, SavesScreen, outcome_name, scenario_name
from game.ui.widgets.charts import HistoryCharts
from game.ui.widgets.panel import Panel
from game.ui.widgets.timeline import Stop, Timeline, TimelineNavigation


def short_quarter(label: str) -> str:
    """`Q3 2026` as `Q3'26`."""
    q, _, year = label.partition(" ")
    return f"{q}'{year[-2:]}" if year else label


def stops(game: Game) -> list[Stop]:
    """The timeline of a replayed game: one stop per quarter played, then the end (or now)."""
    out = [
        Stop(str(k + 1), short_quarter(game.quarter_label(k)), busy=bool(record.actions))
        for k, record in enumerate(game.turns)
    ]
    last = "End" if game.over else "Now"
    out.append(Stop(last, last, busy=not game.over and bool(game.pending)))
    return out


def load(path: Path) -> tuple[SaveFile, Game]:
    """Read a save and replay it, checking every digest (raises `SaveError`)."""
    save = read_save(path)
    return save, restore(save, path)


class ReplayCharts(HistoryCharts):
    """The history charts of a whole game with one quarter marked by a vertical line."""

    def show_at(self, history: list[Dashboard], position: int) -> None:
        self.show(history)
        marker = self._colour("accent")
        for plot in self.query(PlotextPlot):
            plot.plt.vline(float(position), color=marker)
            plot.refresh()


class ReplayScreen(TimelineNavigation, FortressScreen[None]):
    """One saved game, quarter by quarter."""

    GLOSSARY = (
        "Valuation against rival",
        "Runway",
        "Burn",
        "ARR",
        "Dependency",
        "Scrutiny",
        "Outcome",
        "Score",
    )
    HELP = (
        "A saved game, replayed exactly (every quarter's digest is checked). The timeline at the "
        "top has one stop per quarter and one for the end: **←/→** step through it, **Home/End** "
        "jump to the start or the end, a click on a quarter goes there.\n\n"
        "At each quarter: **1** your decisions and the quarter's report, beside the lab's money "
        "going into it; **2** the dashboard as it was; **3** the whole game's charts, this "
        "quarter marked.\n\n"
        "**b** branches: a new game replays your decisions up to the quarter shown, and you play "
        'on from there ("what if I had not signed that deal?"). The branch is a new game: its '
        "autosaves never replace this save. **c** compares this game with another save of the same "
        "world; **a** opens the engine's analysis of the game."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "step(-1)", "Prev", key_display="←", priority=True),
        Binding("right", "step(1)", "Next", key_display="→", priority=True),
        Binding("home", "go(0)", "Start", show=False, priority=True),
        Binding("end", "go(-1)", "End", show=False, priority=True),
        Binding("b", "branch", "Branch"),
        Binding("c", "compare", "Compare"),
        Binding("a", "analysis", "Analyse"),
        Binding("1", "tab('replay-quarter')", "Quarter", show=False),
        Binding("2", "tab('replay-dashboard')", "Dashboard", show=False),
        Binding("3", "tab('replay-charts')", "Charts", show=False),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, path: Path, loaded: tuple[SaveFile, Game] | None = None) -> None:
        super().__init__()
        self.path = Path(path)
        self.error: SaveError | None = None
        """Why the save could not be replayed, if it could not."""
        self.save: SaveFile | None = None
        self.replayed: Game | None = None
        """The game of the save, replayed to its end (not the app's game in progress)."""
        if loaded is None:
            try:
                loaded = load(self.path)
            except SaveError as exc:
                self.error = exc
        if loaded is not None:
            self.save, self.replayed = loaded
        self.history: list[Dashboard] = self.replayed.history() if self.replayed else []
        self.position = len(self.history) - 1 if self.replayed and self.replayed.over else 0
        """The stop shown: the start of quarter `position + 1` (the end when it is the last)."""

    # ---- layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        game = self.replayed
        if game is None or self.save is None:
            yield Static(f"Replay: {self.path.name}", classes="screen-title")
            yield Panel("This save cannot be replayed", id="replay-error")
            yield Footer(compact=True, show_command_palette=False)
            return
        yield Static(self._title(game), classes="screen-title", id="replay-title")
        yield Timeline(stops(game), id="replay-timeline")
        yield Static(id="replay-context", classes="context")
        with TabbedContent(initial="replay-quarter", id="replay-tabs"):
            with TabPane("1 Quarter", id="replay-quarter"), Horizontal(id="replay-quarter-body"):
                yield Panel("Decisions and what happened", id="replay-story", term="Outcome")
                yield Panel("The lab", id="replay-position", term="Runway")
            with TabPane("2 Dashboard", id="replay-dashboard"), Grid(id="replay-grid"):
                for role, title, term in (
                    ("compute", "Compute", "Inference"),
                    ("partners", "Cloud partners", "Dependency"),
                    ("regulator", "Regulator", "Scrutiny"),
                    ("market", "Compute market", "Scarcity index"),
                    ("captable", "Cap table", "Cap table"),
                    ("rivals", "Rivals", "Valuation against rival"),
                ):
                    yield Panel(title, term=term, id=f"replay-{role}", classes="replay-panel")
            with TabPane("3 Charts", id="replay-charts"), VerticalScroll(id="replay-charts-scroll"):
                yield ReplayCharts(id="replay-history")
        yield Footer(compact=True, show_command_palette=False)

    def _title(self, game: Game) -> str:
        assert self.save is not None
        end = f"{outcome_name(game.outcome)}, final score {game.summary().score:.1f}" if game.over else "in progress"
        return f"Replay: {game.lab_name}, {scenario_name(self.save)}, seed {game.seed} · {end}"

    def on_mount(self) -> None:
        if self.replayed is None:
            assert self.error is not None
            pal = self.palette
            self.query_one("#replay-error", Panel).show(
                stack(
                    Text(f"{self.error.path.name} {self.error.problem}", style=pal.bad),
                    Text(""),
                    Text(self.error.advice),
                    Text(""),
                    Text("Esc goes back.", style=pal.muted),
                )
            )
            return
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.refresh_view())
        self.refresh_view()
        self.query_one("#replay-story", Panel).focus()

    # ---- what the screen shows at the current stop --------------------------------------------

    @property
    def last(self) -> int:
        return len(self.history) - 1

    def refresh_view(self) -> None:
        """Redraw everything for the stop at `position`."""
        game = self.replayed
        if game is None:
            return
        k = self.position
        d = self.history[k]
        pal = self.palette
        self.query_one(Timeline).position = k
        self.query_one("#replay-context", Static).update(self._stop_summary(game, k))
        position = self.query_one("#replay-position", Panel)
        position.border_title = f"The lab going into {d.quarter}" if k < self.last else f"The lab in {d.quarter}"
        position.show(stack(render.money_panel(d, game, pal), Text(""), render.valuation_panel(d, pal)))
        story = self.query_one("#replay-story", Panel)
        if k < self.last:
            story.border_title = f"Decisions and report, {d.quarter}"
        else:
            story.border_title = "Where it ended" if game.over else "Where the save stops"
        story.show(self._story(game, k))
        story.scroll_home(animate=False)
        for role, renderable in (
            ("compute", render.compute_panel(d, game, pal)),
            ("partners", render.partners_panel(d, pal)),
            ("regulator", render.regulator_panel(d, game, pal)),
            ("market", render.market_panel(d, pal)),
            ("captable", render.cap_table_panel(d, pal)),
            ("rivals", render.rivals_panel(d, pal)),
        ):
            self.query_one(f"#replay-{role}", Panel).show(renderable)
        self.query_one(ReplayCharts).show_at(self.history, k)
        self.refresh_bindings()

    def _stop_summary(self, game: Game, k: int) -> Text:
        pal = self.palette
        n = len(game.turns)
        if k < n:
            record = game.turns[k]
            decided = len(record.actions)
            events = sum(1 for item in record.report.items if item.topic == "event")
            return Text.assemble(
                (f"{record.report.quarter}, quarter {k + 1} of {self.history[k].turns}", pal.strong),
                f" · {decided or 'no'} decision{'s' if decided != 1 else ''}",
                f" · {events} event{'s' if events != 1 else ''}" if events else "",
                ("  b: branch from here", pal.muted),
            )
        if game.over:
            summary = game.summary()
            return Text.assemble(
                ("The end", pal.strong),
                f" · {summary.title}, final score {summary.score:.1f}",
                ("  ← steps back through the game", pal.muted),
            )
        planned = len(game.pending)
        return Text.assemble(
            (f"Where the save stops: {game.quarter_label()}", pal.strong),
            f" · {planned} action{'s' if planned != 1 else ''} planned" if planned else "",
            ("  b: play on from here", pal.muted),
        )

    def _story(self, game: Game, k: int) -> RenderableType:
        pal = self.palette
        if k < len(game.turns):
            record = game.turns[k]
            parts: list[RenderableType] = [heading(f"Your decisions in {record.report.quarter}", pal)]
            if record.actions:
                parts.extend(Text(f"{n}. {game.describe(a)}") for n, a in enumerate(record.actions, start=1))
            else:
                parts.append(Text("None: the quarter ran on the standing plan.", style=pal.muted))
            parts.append(Text(""))
            parts.append(report_body(record.report, pal))
            return stack(*parts)
        if game.over:
            return game_over_body(game.summary(), pal, self.history[k], render.runway_cap(game), game.outcome_now())
        parts = [heading(f"{game.quarter_label()}: not played yet", pal)]
        if game.pending:
            parts.append(Text("Planned when the game was saved:"))
            parts.extend(Text(f"{n}. {game.describe(a)}") for n, a in enumerate(game.pending, start=1))
        else:
            parts.append(Text("Nothing was planned yet when the game was saved.", style=pal.muted))
        parts.append(Text(""))
        parts.append(Text("Press b to play on from here as a new game.", style=pal.muted))
        return stack(*parts)

    # ---- keys -----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return True
        if self.replayed is None:
            return False
        if action == "branch":
            return None if (self.replayed.over and self.position == self.last) else True
        if action == "step":
            step = parameters[0] if parameters else 0
            if (step == -1 and self.position == 0) or (step == 1 and self.position == self.last):
                return None
        return True

    def action_branch(self) -> None:
        """Play on from the stop shown, as a new game with the save's decisions up to there."""
        game, save = self.replayed, self.save
        if game is None or save is None:
            return
        k = self.position
        if game.over and k == self.last:
            self.notify("The game ended here. Step back (←) to the quarter to play differently.", severity="warning")
            return
        try:
            branch = reopen(
                self.fortress.store, save, self.path, upto=k if k < len(game.turns) else None, branch=True
            )  # a new game id, the branch recorded
        except SaveError as exc:
            self.notify(str(exc), title="Cannot branch", severity="error", timeout=10)
            return
        label = branch.quarter_label()
        kept = f"the {k} quarter{'s' if k != 1 else ''} before it replayed as saved" if k else "from the very start"
        self.fortress.resume_game(
            branch,
            note=f"A new game branched from “{save.name}” at {label} ({kept}). "
            "Play it differently; the original save is untouched.",
        )

    def action_compare(self) -> None:
        """Pick another save of the same world and compare the two side by side."""
        game = self.replayed
        if game is None or self.save is None:
            return
        context = (
            f"Pick a save of the same world ({scenario_name(self.save)}, seed {game.seed}) to compare "
            f"with {game.lab_name}"
        )
        self.app.push_screen(SavesScreen("compare", exclude=self.path, context=context), self._compare_with)

    def _compare_with(self, chosen: Chosen | None) -> None:
        from game.ui.screens.compare import CompareScreen, same_world

        if chosen is None or self.save is None or self.replayed is None:
            return
        problem = same_world(self.save, chosen.save)
        if problem:
            self.notify(problem, title="Cannot compare", severity="error", timeout=10)
            return
        self.app.push_screen(
            CompareScreen(
                self.path,
                chosen.path,
                loaded=((self.save, self.replayed), (chosen.save, chosen.game)),
                start=self.position,
            )
        )

    def action_analysis(self) -> None:
        """HOOK: the engine's analysis of the replayed game (every decision judged, skill and luck).

        The analysis screen (`game/ui/screens/analysis.py`) is built separately; it is imported
        here, when asked for, so that the replay works (and says so) without it.
        """
        game = self.replayed
        if game is None:
            return
        try:
            from game.ui.screens.analysis import AnalysisScreen
        except ImportError:
            self.notify("The analysis screen is not part of this version.", severity="warning")
            return
        if not game.turns:
            self.notify("No quarter was played in this save: there is nothing to analyse yet.", severity="warning")
            return
        self.app.push_screen(AnalysisScreen(game))

    def action_back(self) -> None:
        self.dismiss(None)
