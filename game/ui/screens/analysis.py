"""The engine's analysis of a game: every quarter's decisions judged, and skill split from luck.

`AnalysisScreen(game)` judges the finished quarters of `game` (over or still in progress) with
`judge_game` in a thread worker, showing a progress bar, then shows three tabs: a summary (the
score as the starting expectation + your decisions + the dice, with charts), every quarter with
its label (best, good, inaccuracy, mistake, blunder) and its details, and the worst decisions,
costliest first, with the reasons and the engine's preferred alternative. `l` starts the
learn-from-your-mistakes mode on the worst quarters.

The judgement uses the content's `analyse_rollouts` futures per evaluation (2,000: about 2.5 s
for an 8-quarter game and 14-17 s for a 16-quarter one on a two-core machine, with the screen
answering keys throughout) and seed 0, so the same game is always judged alike; it is kept for
the session, so coming back is instant.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Footer, ProgressBar, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from game.analysis.judge import judge_game
from game.content.names import for_markup
from game.session.game import Game
from game.session.wording import SCORE_EXPECTED, SCORE_FINAL
from game.ui.render import evaluation as render
from game.ui.screens.base import FortressScreen
from game.ui.widgets.evaluation import Analysis, JudgementCharts, evaluation_mode, fingerprint
from game.ui.widgets.panel import Panel

SEED = 0
"""The judgement's own seed (the learn-from-your-mistakes mode judges with the same one)."""


_done: dict[Hashable, Analysis] = {}
_lock = threading.Lock()


def clear_cache() -> None:
    """Forget every judgement kept for this session."""
    with _lock:
        _done.clear()


def analysis_key(game: Game, rollouts: int, seed: int) -> Hashable:
    return (fingerprint(game), tuple(tuple(turn.actions) for turn in game.turns), rollouts, seed)


def judge(game: Game, rollouts: int, seed: int = SEED, progress: Callable[[int, int], None] | None = None) -> Analysis:
    """Judge every finished quarter of `game` (the game is not changed).

    For a game still in progress, the last quarter's dice are measured against the engine's
    expectation now (what the next quarter's "before" will be), not against a final score."""
    key = analysis_key(game, rollouts, seed)
    with _lock:
        if key in _done:
            return _done[key]
    rules = game.pack.rules.judgement
    start = time.perf_counter()
    result = judge_game(game, rules, rollouts, seed, progress)
    analysis = Analysis(result, rollouts, seed, time.perf_counter() - start, game.over)
    with _lock:
        _done[key] = analysis
    return analysis


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


class _Cancelled(Exception):
    """The screen went away while it was judging."""


class AnalysisScreen(FortressScreen[None]):
    """The engine's judgement of a game, quarter by quarter."""

    GLOSSARY = (
        "Expected score",
        "Decision label",
        "Skill and luck",
        "Reference player",
        "Score",
        "Outcome",
        "Runway",
        "Dependency",
        "Scrutiny",
        "Dilution",
    )
    HELP = (
        "The engine replays your game and, for every quarter, plays thousands of futures three "
        "times: before your decisions (a reference player choosing), after your decisions, and "
        "after the quarter's dice. It also tries alternatives: the reference player's choice, doing "
        "nothing, and your decisions with one left out. A decision's **cost** is how far its "
        "expected score fell behind the best alternative; the **label** follows the cost (best, "
        "good, inaccuracy ?!, mistake ?, blunder ??).\n\n"
        "Your score = the expectation at the start + what your decisions added + what the dice "
        "added: **skill** and **luck** as numbers.\n\n"
        "- **1** summary and charts, **2** every quarter (up/down to choose one), **3** the worst "
        "decisions\n"
        "- **l** learn from your mistakes: go back to your worst quarters and choose again\n"
        "- **Esc** back"
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("l", "learn", "Learn from mistakes"),
        Binding("1", "tab('analysis-summary')", "Summary", show=False),
        Binding("2", "tab('analysis-quarters')", "Quarters", show=False),
        Binding("3", "tab('analysis-worst')", "Worst", show=False),
    ]

    class Progress(Message):
        """Quarters judged so far."""

        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done = done
            self.total = total

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, AnalysisScreen.Progress)

    class Done(Message):
        """The judgement is ready."""

        def __init__(self, analysis: Analysis) -> None:
            super().__init__()
            self.analysis = analysis

    class Failed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self, game: Game) -> None:
        super().__init__()
        self._game = game
        self.rollouts = int(game.pack.rules.judgement.analyse_rollouts)
        """Futures per evaluation."""
        self.analysis: Analysis | None = None
        """The judgement, once it is ready."""
        self._started = time.perf_counter()

    @property
    def game(self) -> Game:
        """The game analysed (a replayed one, or the game in progress)."""
        return self._game

    def compose(self) -> ComposeResult:
        game = self.game
        yield Static(
            f"Engine analysis: {for_markup(game.lab_name)}, {for_markup(game.scenario.name)}, seed {game.seed}",
            classes="screen-title",
        )
        with Vertical(id="analysis-progress"):
            yield Static(id="analysis-status")
            yield ProgressBar(total=len(game.turns), show_eta=False, id="analysis-bar")
            yield Static(id="analysis-about", classes="blurb")
        with TabbedContent(initial="analysis-summary", id="analysis-tabs"):
            with TabPane("1 Summary", id="analysis-summary"), VerticalScroll(id="analysis-summary-scroll"):
                yield Panel(
                    "Your score: the start, your decisions and the dice", id="analysis-split", term="Skill and luck"
                )
                yield JudgementCharts()
            with TabPane("2 Quarters", id="analysis-quarters"), Vertical():
                yield DataTable(id="analysis-table", cursor_type="row", zebra_stripes=True)
                yield Panel("The quarter", id="analysis-detail", term="Decision label")
            with TabPane("3 Worst decisions", id="analysis-worst"):
                yield Panel("Worst decisions, costliest first", id="analysis-worst-list", term="Decision label")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        game = self.game
        n = len(game.turns)
        self.query_one("#analysis-tabs").display = False
        self.query_one("#analysis-status", Static).update(
            f"Judging {n} quarter{'s' if n != 1 else ''} with {self.rollouts:,} futures per evaluation..."
        )
        self.query_one("#analysis-about", Static).update(
            "For every quarter the engine plays thousands of futures before your decisions, after "
            "them and after the dice, and tries the alternatives: the reference player's choice, "
            "doing nothing, and your decisions with one left out. Keys still work: Esc goes back."
        )
        self._started = time.perf_counter()
        table = self.query_one("#analysis-table", DataTable)
        table.add_columns("Quarter", "Verdict", "Decisions", "Dice", "Gave up", "What you decided")
        if not game.turns:
            self.query_one("#analysis-status", Static).update(
                "Nothing to judge yet: no quarter of this game has been played."
            )
            self.query_one("#analysis-bar").display = False
            return
        if evaluation_mode(self.app) == "wait":
            self._show(judge(game, self.rollouts))
        else:
            self._judge(game, self.rollouts)

    @work(exclusive=True, thread=True, group="analysis", exit_on_error=False)
    def _judge(self, game: Game, rollouts: int) -> None:
        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            if worker.is_cancelled:
                raise _Cancelled
            self.post_message(self.Progress(done, total))

        try:
            analysis = judge(game, rollouts, SEED, progress)
        except _Cancelled:
            return
        except Exception as exc:  # reported on screen, never a crash
            if not worker.is_cancelled:
                self.post_message(self.Failed(f"{type(exc).__name__}: {exc}"))
            return
        if not worker.is_cancelled:
            self.post_message(self.Done(analysis))

    def on_analysis_screen_progress(self, message: Progress) -> None:
        bar = self.query_one("#analysis-bar", ProgressBar)
        bar.update(total=message.total, progress=message.done)
        if message.done < message.total:
            quarter = self.game.quarter_label(message.done)
            left = ""
            if message.done > 0:
                elapsed = time.perf_counter() - self._started
                left = f" About {max(1, round(elapsed / message.done * (message.total - message.done)))} s left."
            self.query_one("#analysis-status", Static).update(
                f"Judging {quarter} ({message.done + 1} of {message.total}) with {self.rollouts:,} futures "
                f"per evaluation...{left}"
            )

    def on_analysis_screen_done(self, message: Done) -> None:
        self._show(message.analysis)

    def on_analysis_screen_failed(self, message: Failed) -> None:
        self.query_one("#analysis-status", Static).update(
            Text(f"The engine could not judge this game: {message.error}", style=self.palette.bad)
        )

    # ---- the result ------------------------------------------------------------------------------

    def _show(self, analysis: Analysis) -> None:
        self.analysis = analysis
        j = analysis.judgement
        pal = self.palette
        self.query_one("#analysis-progress").display = False
        self.query_one("#analysis-tabs").display = True
        note = (
            ""
            if analysis.finished
            else "The game is not over: the last quarter's dice are measured against the engine's expectation now."
        )
        final = SCORE_FINAL if analysis.finished else f"{SCORE_EXPECTED} now"
        split = self.query_one("#analysis-split", Panel)
        split.show(render.summary(j, pal, final_label=final, note=note))
        split.border_subtitle = f"{analysis.rollouts:,} futures per evaluation, seed {analysis.seed}"
        self.query_one(JudgementCharts).show(j)
        table = self.query_one("#analysis-table", DataTable)
        table.clear()
        budget = max(16, self.app.size.width - 62)
        for i, turn in enumerate(j.turns):
            table.add_row(
                turn.quarter,
                render.label_text(turn.label, pal),
                Text(render.points(turn.skill), style=pal.good if turn.skill >= 0 else pal.bad),
                Text(render.points(turn.luck), style=pal.good if turn.luck >= 0 else pal.bad),
                f"{turn.cost:.1f}",
                _clip("; ".join(turn.actions) or "nothing new", budget),
                key=str(i),
            )
        self._detail(0)
        self.query_one("#analysis-worst-list", Panel).show(render.worst_list(j, pal))
        self.query_one("#analysis-summary-scroll").focus()
        self.refresh_bindings()

    def _detail(self, index: int) -> None:
        if self.analysis is None or not self.analysis.judgement.turns:
            return
        turns = self.analysis.judgement.turns
        turn = turns[max(0, min(index, len(turns) - 1))]
        panel = self.query_one("#analysis-detail", Panel)
        cost = f", {turn.cost:.1f} points given up" if turn.cost >= 0.05 else ""
        panel.border_title = f"{turn.quarter}: {turn.label}{cost}"
        panel.show(render.turn_detail(turn, self.palette, heading_line=False))

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """Focus what the keys should move on the tab just shown."""
        target = {
            "analysis-summary": "#analysis-summary-scroll",
            "analysis-quarters": "#analysis-table",
            "analysis-worst": "#analysis-worst-list",
        }.get(event.pane.id or "")
        if target is not None and self.analysis is not None:
            self.query_one(target).focus()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self._detail(int(event.row_key.value))

    # ---- keys --------------------------------------------------------------------------------------

    def mistakes(self) -> list[int]:
        """Indices of the quarters worth learning from (not the engine's best), costliest first."""
        if self.analysis is None:
            return []
        turns = self.analysis.judgement.turns
        order = sorted(range(len(turns)), key=lambda i: (-turns[i].cost, i))
        return [i for i in order if turns[i].label not in ("best", "good")][:5]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "learn":
            return True if self.analysis is not None else None
        if action == "tab":
            return self.analysis is not None
        return True

    def action_tab(self, tab: str) -> None:
        self.query_one("#analysis-tabs", TabbedContent).active = tab

    def action_learn(self) -> None:
        from game.ui.screens.mistakes import MistakesScreen

        if self.analysis is None:
            return
        quarters = self.mistakes()
        if not quarters:
            self.notify(
                "The engine marked no quarter an inaccuracy, a mistake or a blunder: nothing to learn "
                "from here. Look at tab 2 for the quarters it would have played differently.",
                title="No mistakes",
                timeout=6,
            )
            return
        self.app.push_screen(MistakesScreen(self.game, self.analysis, quarters))

    def action_back(self) -> None:
        self.dismiss(None)
