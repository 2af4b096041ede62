"""The engine's live evaluation: run in a worker, cached, and shown by small widgets.

`Evaluator` is an invisible widget that evaluates one or more plans of the current quarter
(`game.analysis.evaluate.evaluate`, a fixed seed, so the same plan always shows the same numbers)
in a thread worker: exclusive, so a new request supersedes the last, and reporting back by a
message, so key presses are never blocked. Results are cached by the game's state and the plan,
so going back and forth between screens costs nothing. Subclasses say what to do with the
results: `DashboardEvaluation` fills the dashboard's `EvaluationPanel`s and `EvaluationLine`, and
`EngineComparison` (an action screen's panel) compares the plan with and without one action.

How evaluations run is the app's `Settings.evaluation`: `live` (a worker; what a player gets),
`wait` (at once, in the interface's thread: deterministic screenshots), `off`, or `auto` (live,
except `wait` when the app runs headless, as under tests).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from textual import work
from textual.app import ComposeResult
from textual.color import Color
from textual.containers import Container
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import get_current_worker
from textual_plotext import PlotextPlot

from game.analysis.evaluate import Evaluation, evaluate
from game.analysis.judge import GameJudgement
from game.session.actions import Action
from game.ui.render.evaluation import EvaluationView, comparison, evaluation_line, evaluation_panel
from game.ui.theme import Palette
from game.ui.widgets.panel import Panel

if TYPE_CHECKING:
    from game.session.game import Game

Mode = Literal["live", "wait", "off"]

SEED = 0
"""The evaluation's own seed: fixed, so the same position and plan always read the same."""
CACHE_SIZE = 64
"""Evaluations kept (each holds one score per future: a few kB)."""

_cache: OrderedDict[Hashable, Evaluation] = OrderedDict()
_lock = threading.Lock()


def clear_cache() -> None:
    """Forget every evaluation kept (tests that time the worker start from an empty cache)."""
    with _lock:
        _cache.clear()


def evaluation_mode(app: object) -> Mode:
    """How this app runs evaluations (see the module's docstring)."""
    settings = getattr(app, "settings", None)
    mode = str(getattr(settings, "evaluation", "auto"))
    if mode in ("live", "wait", "off"):
        return mode  # type: ignore[return-value]
    return "wait" if bool(getattr(app, "is_headless", False)) else "live"


def live_rollouts(game: Game) -> int:
    return int(game.pack.rules.judgement.live_rollouts)


def fingerprint(game: Game) -> str:
    """A digest of the game's world now (its scenario, difficulty and state), for the cache."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{game.scenario.id}|{game.difficulty_id}|{game.quarters}|{game.lab_name}".encode())
    for name, array in sorted(game.state_arrays().items()):
        h.update(name.encode())
        h.update(array.tobytes())
    return h.hexdigest()


@dataclass(frozen=True)
class Job:
    """One evaluation to run: the engine inputs, passed straight through from the session."""

    key: Hashable
    params: Any
    state: Any
    first: Any
    reference: Any
    rollouts: int
    seed: int
    salt: str

    def cached(self) -> Evaluation | None:
        with _lock:
            found = _cache.get(self.key)
            if found is not None:
                _cache.move_to_end(self.key)
            return found

    def run(self) -> Evaluation:
        """The evaluation (from the cache when it was run before)."""
        found = self.cached()
        if found is not None:
            return found
        result = evaluate(self.params, self.state, self.reference, self.rollouts, self.seed, self.first, self.salt)
        with _lock:
            result = _cache.setdefault(self.key, result)  # another worker may have finished it first
            _cache.move_to_end(self.key)
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
        return result


def plan_job(
    game: Game, actions: Sequence[Action], *, rollouts: int | None = None, seed: int = SEED, salt: str = "evaluation"
) -> Job:
    """The evaluation of `actions` as this quarter's decisions in `game`."""
    n = rollouts or live_rollouts(game)
    key = (fingerprint(game), tuple(actions), n, seed, salt)
    return Job(
        key=key,
        params=game.params,
        state=game.state,
        first=game.plan(list(actions)),
        reference=game.pack.rules.judgement.reference,
        rollouts=n,
        seed=seed,
        salt=salt,
    )


class Evaluator(Widget):
    """Invisible: evaluates plans in a worker and hands the results to `deliver` (a hook)."""

    DEFAULT_CSS = """
    Evaluator {
        display: none;
    }
    """

    class Ready(Message):
        """A worker finished: the evaluations of request `ticket`, in the order asked."""

        def __init__(self, ticket: int, evaluations: list[Evaluation], seconds: float) -> None:
            super().__init__()
            self.ticket = ticket
            self.evaluations = evaluations
            self.seconds = seconds

    class Failed(Message):
        """A worker failed: what went wrong, in a sentence."""

        def __init__(self, ticket: int, error: str) -> None:
            super().__init__()
            self.ticket = ticket
            self.error = error

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ticket = 0
        """The number of the latest request; results of older ones are dropped."""
        self.last_seconds = 0.0
        """How long the latest evaluation took (0 when it came from the cache)."""
        self._timer: Timer | None = None
        self._in_flight: list[Hashable] = []
        """The keys of the evaluations under way for the latest request."""

    @property
    def mode(self) -> Mode:
        return evaluation_mode(self.app)

    def request(self, jobs: list[Job], delay: float = 0.0) -> None:
        """Evaluate `jobs` (after `delay` seconds without a newer request, when live)."""
        keys = [job.key for job in jobs]
        if keys == self._in_flight:
            return  # already under way
        self._in_flight = []
        self.ticket += 1
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        found = [job.cached() for job in jobs]
        if all(e is not None for e in found):
            self.last_seconds = 0.0
            self.deliver([e for e in found if e is not None], 0.0)
            return
        if self.mode == "wait":
            start = time.perf_counter()
            try:
                results = [job.run() for job in jobs]
            except Exception as exc:  # shown on screen, never a crash
                self.failed(f"{type(exc).__name__}: {exc}")
                return
            self.last_seconds = time.perf_counter() - start
            self.deliver(results, self.last_seconds)
            return
        self.working()
        self._in_flight = keys
        ticket = self.ticket
        if delay > 0:
            self._timer = self.set_timer(delay, lambda: self._run(ticket, jobs))
        else:
            self._run(ticket, jobs)

    def cancel(self) -> None:
        """Forget any evaluation under way (its result will be dropped)."""
        self.ticket += 1
        self._in_flight = []
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.workers.cancel_node(self)

    @work(exclusive=True, thread=True, group="evaluation", exit_on_error=False)
    def _run(self, ticket: int, jobs: list[Job]) -> None:
        worker = get_current_worker()
        start = time.perf_counter()
        results: list[Evaluation] = []
        try:
            for job in jobs:
                if worker.is_cancelled:
                    return
                results.append(job.run())
        except Exception as exc:  # reported by message, never a crash
            if not worker.is_cancelled:
                self.post_message(self.Failed(ticket, f"{type(exc).__name__}: {exc}"))
            return
        if not worker.is_cancelled:
            self.post_message(self.Ready(ticket, results, time.perf_counter() - start))

    def on_evaluator_ready(self, message: Ready) -> None:
        if message.ticket == self.ticket:
            self._in_flight = []
            self.last_seconds = message.seconds
            self.deliver(message.evaluations, message.seconds)

    def on_evaluator_failed(self, message: Failed) -> None:
        if message.ticket == self.ticket:
            self._in_flight = []
            self.failed(message.error)

    # ---- hooks ------------------------------------------------------------------------------------

    def working(self) -> None:
        """An evaluation started in a worker."""

    def deliver(self, evaluations: list[Evaluation], seconds: float) -> None:
        """The evaluations asked for, in order."""

    def failed(self, error: str) -> None:
        """The evaluation raised `error`."""


# ---- the dashboard ------------------------------------------------------------------------------


class EvaluationPanel(Panel):
    """The evaluation of this quarter's plan: expected score, outcome odds, risks."""

    def __init__(self, *, full: bool = False, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("Engine evaluation", term="Expected score", id=id, classes=classes)
        self.full = full
        """Also say what the numbers mean (the Engine tab)."""

    def show_view(self, view: EvaluationView, palette: Palette) -> None:
        title = "Engine evaluation"
        if view.status == "working":
            title += ": evaluating..."
        self.border_title = title
        shown = view.evaluation.rollouts if view.evaluation is not None else view.rollouts
        self.border_subtitle = f"{shown:,} futures" if view.status in ("working", "ready") else ""
        self.show(evaluation_panel(view, palette, full=self.full))


class EvaluationLine(Static):
    """The evaluation in one line (a narrow dashboard)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple[EvaluationView, Palette] | None = None

    def show_view(self, view: EvaluationView, palette: Palette) -> None:
        self._shown = (view, palette)
        self.update(evaluation_line(view, palette, self.content_size.width or 78))

    def on_resize(self) -> None:
        if self._shown is not None:
            self.show_view(*self._shown)


class DashboardEvaluation(Evaluator):
    """Keeps the dashboard's evaluation displays showing this quarter's plan."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view: EvaluationView | None = None
        """What the displays show now."""
        self.rollouts = 0
        self._previous: Evaluation | None = None

    def _palette(self) -> Palette:
        return Palette.of(self.app.current_theme)

    def _show(self, view: EvaluationView) -> None:
        self.view = view
        pal = self._palette()
        for panel in self.screen.query(EvaluationPanel):
            panel.show_view(view, pal)
        for line in self.screen.query(EvaluationLine):
            line.show_view(view, pal)

    def refresh_for(self, game: Game) -> None:
        """Evaluate `game`'s plan for this quarter (or show the result, once the game is over)."""
        n = self.rollouts = live_rollouts(game)
        if game.over:
            self.cancel()
            result = game.summary()
            self._show(EvaluationView("over", n, note=f"Game over: {result.title}, final score {result.score:.1f}."))
            return
        if self.mode == "off":
            self._show(EvaluationView("off", n))
            return
        self.request([plan_job(game, game.pending)])

    def working(self) -> None:
        self._show(EvaluationView("working", self.rollouts, self._previous))

    def deliver(self, evaluations: list[Evaluation], seconds: float) -> None:
        self._previous = evaluations[0]
        self._show(EvaluationView("ready", evaluations[0].rollouts, evaluations[0], seconds))

    def failed(self, error: str) -> None:
        self._show(EvaluationView("failed", self.rollouts, note=error))


# ---- an action screen ---------------------------------------------------------------------------


class EngineComparison(Panel):
    """The plan as it is against the plan plus the action on the form, evaluated on the same futures."""

    DEBOUNCE = 0.3
    """Seconds the form must stay unchanged before the evaluation starts."""

    class _Worker(Evaluator):
        def deliver(self, evaluations: list[Evaluation], seconds: float) -> None:
            parent = self.parent
            if isinstance(parent, EngineComparison):
                parent._delivered(evaluations)

        def working(self) -> None:
            parent = self.parent
            if isinstance(parent, EngineComparison):
                parent._working()

        def failed(self, error: str) -> None:
            parent = self.parent
            if isinstance(parent, EngineComparison):
                parent._note(f"The engine could not evaluate this: {error}")

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("Engine: without → with this", term="Expected score", id=id, classes=classes)
        self.before: Evaluation | None = None
        self.after: Evaluation | None = None
        self.note = ""
        self.rollouts = 0

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield self._Worker()

    @property
    def evaluator(self) -> Evaluator:
        return self.query_one(self._Worker)

    def _palette(self) -> Palette:
        return Palette.of(self.app.current_theme)

    def _draw(self, working: bool = False) -> None:
        self.show(
            comparison(
                self.before, self.after, self._palette(), rollouts=self.rollouts, working=working, note=self.note
            )
        )

    def _note(self, note: str) -> None:
        self.note = note
        self.before = self.after = None
        self._draw()

    def _working(self) -> None:
        self._draw(working=True)

    def _delivered(self, evaluations: list[Evaluation]) -> None:
        self.note = ""
        self.before, self.after = evaluations
        self._draw()

    def refresh_for(self, game: Game, action: Action | None, why_not: str | None = None) -> None:
        """Compare this quarter's plan with and without `action` (None: nothing to compare)."""
        self.rollouts = live_rollouts(game)
        mode = self.evaluator.mode
        if mode == "off":
            self.evaluator.cancel()
            self._note("The engine's evaluation is switched off.")
            return
        if action is None or why_not is not None:
            self.evaluator.cancel()
            self._note("Once the form describes an allowed action, the engine compares the plan with and without it.")
            return
        self.note = ""
        jobs = [plan_job(game, game.pending), plan_job(game, [*game.pending, action])]
        self.evaluator.request(jobs, delay=self.DEBOUNCE)


# ---- the judgement of a game, as charts ---------------------------------------------------------


def _short(quarter: str) -> str:
    """`Q3 2026` as `Q3'26` so that tick labels fit."""
    q, _, year = quarter.partition(" ")
    return f"{q}'{year[-2:]}" if year else quarter


class JudgementCharts(Container):
    """The expected score through a game (a step for the decisions, a step for the dice, each
    quarter) and each quarter's skill and luck as bars."""

    DEFAULT_CSS = """
    JudgementCharts {
        height: auto;
    }
    JudgementCharts > PlotextPlot {
        height: 13;
        border: round $primary 40%;
        border-title-color: $text;
    }
    """

    def compose(self) -> ComposeResult:
        path = PlotextPlot(id="chart-expected")
        path.border_title = "Expected final score, quarter by quarter"
        yield path
        split = PlotextPlot(id="chart-split")
        split.border_title = "What each quarter's decisions and dice changed"
        yield split

    def _colour(self, variable: str) -> tuple[int, int, int]:
        color = Color.parse(self.app.theme_variables.get(variable, "white"))
        return (color.r, color.g, color.b)

    def show(self, judgement: GameJudgement) -> None:
        turns = judgement.turns
        if not turns:
            return
        mine, dice = self._colour("primary"), self._colour("error")
        plt = self.query_one("#chart-expected", PlotextPlot).plt
        plt.clear_data()
        for i, turn in enumerate(turns):
            plt.plot(
                [i, i + 0.5],
                [turn.before, turn.after_decisions],
                color=mine,
                marker="hd",
                label="your decisions" if i == 0 else None,
            )
            plt.plot(
                [i + 0.5, i + 1],
                [turn.after_decisions, turn.after_dice],
                color=dice,
                marker="hd",
                label="the dice" if i == 0 else None,
            )
        step = max(1, len(turns) // 6)
        ticks = list(range(0, len(turns), step))
        plt.xticks([float(i) for i in ticks], [_short(turns[i].quarter) for i in ticks])

        plt = self.query_one("#chart-split", PlotextPlot).plt
        plt.clear_data()
        xs = [float(i) for i in range(len(turns))]
        plt.bar([x - 0.2 for x in xs], [t.skill for t in turns], width=0.4, color=mine, label="your decisions")
        plt.bar([x + 0.2 for x in xs], [t.luck for t in turns], width=0.4, color=dice, label="the dice")
        plt.xticks([xs[i] for i in ticks], [_short(turns[i].quarter) for i in ticks])
        for plot in self.query(PlotextPlot):
            plot.refresh()


@dataclass(frozen=True)
class Analysis:
    """A judged game and what the screen says about how it was judged."""

    judgement: GameJudgement
    rollouts: int
    seed: int
    seconds: float
    finished: bool
    """The game is over (else the last quarter's dice are measured against the expectation now)."""
