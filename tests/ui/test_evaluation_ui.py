"""The engine's live evaluation: the dashboard's panel and line, and each action screen's comparison.

The evaluation runs in a worker, so these tests hold the engine back (each evaluation waits for
a gate the test opens) to press keys while it works and check they took effect at once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from textual.widgets import Input, TabbedContent

import game.ui.widgets.evaluation as live
from game.analysis import parallel
from game.analysis.evaluate import Evaluation, evaluate
from game.content.models import Pack
from game.session.actions import RaiseRound
from game.ui.app import FortressApp, make_app
from game.ui.screens.dashboard import DashboardScreen
from game.ui.screens.funding import FundingScreen
from game.ui.widgets.evaluation import DashboardEvaluation, EngineComparison, EvaluationLine, EvaluationPanel

from .conftest import SEED
from .helpers import panel_text, start_tutorial


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    live.clear_cache()
    yield
    live.clear_cache()


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """While the gate is shut, every evaluation waits in its worker's thread; `set()` opens it."""
    gate = threading.Event()

    def held(*args: Any, **kwargs: Any) -> Evaluation:
        gate.wait(timeout=60)
        return evaluate(*args, **kwargs)

    monkeypatch.setattr(live, "evaluate", held)
    yield gate
    gate.set()


def line_text(app: FortressApp) -> str:
    return str(app.screen.query_one(EvaluationLine).render())


def engine_tab_text(app: FortressApp) -> str:
    return panel_text(app, "#engine EvaluationPanel")


async def test_the_dashboard_evaluation_fills_in_without_blocking_keys(pack: Pack, gate: threading.Event) -> None:
    app = make_app(pack, seed=SEED, evaluation="live")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_tutorial(pilot)
        assert isinstance(app.screen, DashboardScreen)
        evaluator = app.screen.query_one(DashboardEvaluation)
        tabs = app.screen.query_one(TabbedContent)
        assert evaluator.view is not None and evaluator.view.status == "working"
        assert "evaluating 1,000 futures" in line_text(app)

        # Keys work while the engine works: switch tabs twice, at once.
        await pilot.press("2")
        assert tabs.active == "market"
        await pilot.press("6")
        assert tabs.active == "engine"
        assert "Evaluating 1,000 futures" in engine_tab_text(app)
        assert evaluator.view.status == "working"

        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert evaluator.view.status == "ready"
        first = evaluator.view.evaluation
        assert first is not None and first.rollouts == 1000
        text = engine_tab_text(app)
        assert f"Expected final score {first.expected_score:.1f} ± {first.score_se:.1f}" in text
        assert "Forced sale" in text and "Survivor" in text and "How the engine knows" in text
        assert f"expected final score {first.expected_score:.1f}" in line_text(app)
        assert "forced sale" in line_text(app)

        # A planned action: the engine evaluates the new plan.
        gate.clear()
        await pilot.press("f", "enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen) and len(app.game.pending) == 1  # type: ignore[union-attr]
        assert evaluator.view.status == "working"
        assert f"(was {first.expected_score:.1f})" in line_text(app)
        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        funded = evaluator.view.evaluation
        assert evaluator.view.status == "ready" and funded is not None
        assert funded.expected_score != pytest.approx(first.expected_score)

        # Undo: the plan is the first one again, and its evaluation is remembered.
        await pilot.press("u")
        await pilot.pause()
        assert evaluator.view.status == "ready"
        assert evaluator.view.evaluation is first


async def test_a_superseded_evaluation_is_dropped(pack: Pack, gate: threading.Event) -> None:
    app = make_app(pack, seed=SEED, evaluation="live")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_tutorial(pilot)
        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        evaluator = app.screen.query_one(DashboardEvaluation)
        first = evaluator.view.evaluation if evaluator.view else None
        assert first is not None
        # Plan a round and take it back before its evaluation finishes.
        gate.clear()
        await pilot.press("f", "enter", "enter")
        await pilot.pause()
        assert evaluator.view is not None and evaluator.view.status == "working"
        await pilot.press("u")
        await pilot.pause()
        assert evaluator.view.evaluation is first
        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert evaluator.view.status == "ready"
        assert evaluator.view.evaluation is first, "the result for the undone plan replaced the current one"


async def test_an_action_screen_compares_the_plan_with_and_without_the_action(
    pack: Pack, gate: threading.Event
) -> None:
    app = make_app(pack, seed=SEED, evaluation="live")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_tutorial(pilot)
        gate.set()
        await app.workers.wait_for_complete()
        dashboard_eval = app.screen.query_one(DashboardEvaluation).view
        assert dashboard_eval is not None and dashboard_eval.evaluation is not None
        gate.clear()
        await pilot.press("f")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FundingScreen)
        comparison = screen.query_one(EngineComparison)
        assert "Evaluating 1,000 futures with and without this action" in " ".join(comparison.text.split())

        # Typing is never held up by the engine: the field changes at once.
        await pilot.pause(EngineComparison.DEBOUNCE + 0.1)  # the evaluation of the first form is under way
        assert app.workers._workers, "no evaluation started"
        amount = screen.query_one("#amount", Input)
        amount.focus()
        await pilot.press("5")
        assert amount.value == "5"
        await pilot.press("backspace", "6")
        assert amount.value == "6"
        assert comparison.after is None
        gate.set()
        await pilot.pause(EngineComparison.DEBOUNCE + 0.1)
        await app.workers.wait_for_complete()
        await pilot.pause()

        game = screen.game
        action = screen.build_action()
        assert isinstance(action, RaiseRound) and action.amount == 6
        assert comparison.before is not None and comparison.after is not None
        # The plan as it is reads as on the dashboard (the same seed and futures) ...
        assert comparison.before.expected_score == dashboard_eval.evaluation.expected_score
        # ... and the plan with the round is the engine's own evaluation of it.
        direct = evaluate(
            game.params,
            game.state,
            game.pack.rules.judgement.reference,
            1000,
            0,
            game.plan([*game.pending, action]),
        )
        assert comparison.after.expected_score == pytest.approx(direct.expected_score)
        assert comparison.after.good_odds == pytest.approx(direct.good_odds)
        text = " ".join(comparison.text.split())
        assert f"Expected final score {comparison.before.expected_score:.1f} → {direct.expected_score:.1f}" in text
        assert "Good outcome" in text and "the same 1,000 futures for both" in text


async def test_an_illegal_action_is_not_evaluated(pack: Pack) -> None:
    app = make_app(pack, seed=SEED, evaluation="wait")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_tutorial(pilot)
        await pilot.press("f")
        await pilot.pause()
        screen = app.screen
        amount = screen.query_one("#amount", Input)
        amount.value = "900"
        await pilot.pause()
        assert screen.game.check(screen.build_action()) is not None  # type: ignore[arg-type]
        comparison = screen.query_one(EngineComparison)
        assert comparison.after is None
        assert "Once the form describes an allowed action" in " ".join(comparison.text.split())


async def test_waiting_for_the_evaluation_gives_the_same_panel_every_time(pack: Pack) -> None:
    texts = []
    for _ in range(2):
        live.clear_cache()
        app = make_app(pack, seed=SEED, evaluation="wait")
        async with app.run_test(size=(120, 40)) as pilot:
            await start_tutorial(pilot)
            panel = app.screen.query_one("#overview EvaluationPanel", EvaluationPanel)
            assert panel.display
            texts.append(" ".join(panel.text.split()))
    assert texts[0] == texts[1]
    assert "Expected final score" in texts[0] and "evaluating" not in texts[0].lower()


async def test_the_evaluation_can_be_switched_off(pack: Pack) -> None:
    app = make_app(pack, seed=SEED, evaluation="off")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_tutorial(pilot)
        assert "evaluation off" in line_text(app)
        await pilot.press("f")
        await pilot.pause()
        assert "switched off" in app.screen.query_one(EngineComparison).text
        assert not app.workers._workers  # nothing ran


async def test_the_panel_evaluates_in_helper_processes_inside_the_interface(
    pack: Pack, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the interface replaces stderr with an object that has no file descriptor: helpers must
    # start anyway, and give the numbers one process gives
    monkeypatch.setenv(parallel.ENV, "2")
    parallel.shutdown()
    app = make_app(pack, seed=SEED, evaluation="live")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_tutorial(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        view = app.screen.query_one(DashboardEvaluation).view
        assert view is not None and view.status == "ready" and view.evaluation is not None
        assert parallel._pool is not None and not parallel._broken  # the helpers are running
        shown = view.evaluation
        game = app.screen.game  # type: ignore[attr-defined]
    parallel.shutdown()
    monkeypatch.setenv(parallel.ENV, "1")
    job = live.plan_job(game, [])
    alone = evaluate(job.params, job.state, job.reference, job.rollouts, job.seed, job.first, job.salt)
    assert alone.expected_score == shown.expected_score and (alone.scores == shown.scores).all()
