"""The engine's analysis screen and the learn-from-your-mistakes mode, on real short games.

The games are three-quarter tutorials played by bots with fixed seeds: `reference` (the engine's own player: it
agrees with every quarter) and `reckless` (a blunder in its last quarter).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, ProgressBar

import game.ui.widgets.evaluation as live
from game.analysis.judge import LABELS, judge_game, judge_turn
from game.analysis.policies import POLICIES, Policy, play
from game.content.models import Pack
from game.saves.replay import load_game
from game.saves.store import SaveStore
from game.session.actions import SetSplit
from game.session.game import Game
from game.session.wording import signed
from game.ui.app import make_app
from game.ui.render.evaluation import preferred_text
from game.ui.screens import analysis
from game.ui.screens.analysis import AnalysisScreen
from game.ui.screens.dashboard import DashboardScreen
from game.ui.screens.game_over import GameOverScreen
from game.ui.screens.mistakes import MistakesScreen, branch_at
from game.ui.screens.operations import OperationsScreen
from game.ui.widgets.evaluation import EngineComparison
from game.ui.widgets.panel import Panel

from .conftest import SEED
from .helpers import end_quarter, settle, start_tutorial

SnapCompare = Callable[..., bool]


@pytest.fixture(autouse=True)
def empty_caches() -> Iterator[None]:
    analysis.clear_cache()
    live.clear_cache()
    yield
    analysis.clear_cache()


def short_game(pack: Pack, policy: Policy = POLICIES["reference"], seed: int = 1) -> Game:
    """A three-quarter tutorial played to the end by a bot."""
    return play(Game.new(pack, "tutorial", "normal", seed, quarters=3), policy)


def text_of(screen: object, selector: str) -> str:
    panel = next(iter(screen.query(selector).results(Panel)))  # type: ignore[attr-defined]
    return " ".join(panel.text.split())


async def test_the_analysis_screen_judges_a_short_game(pack: Pack) -> None:
    game = short_game(pack)
    rules = pack.rules.judgement
    app = make_app(pack, seed=SEED, evaluation="live")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(AnalysisScreen(game))
        screen = app.screen
        assert isinstance(screen, AnalysisScreen)
        assert screen.query_one("#analysis-progress").display
        assert "Judging" in str(screen.query_one("#analysis-status").render())
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.analysis is not None
        assert not screen.query_one("#analysis-progress").display
        assert screen.query_one(ProgressBar).progress == 3

        direct = judge_game(game, rules, rules.analyse_rollouts, 0)
        judged = screen.analysis.judgement
        assert [t.label for t in judged.turns] == [t.label for t in direct.turns]
        assert judged.decisions_total == pytest.approx(direct.decisions_total)
        assert judged.luck_total == pytest.approx(direct.luck_total)
        split = text_of(screen, "#analysis-split")
        assert f"Your decisions: {signed(direct.decisions_total)}" in split
        assert f"the dice: {direct.luck_total:+.1f}" in split
        assert f"Final score {direct.final_score:.1f}" in split

        # Every quarter with its label.
        await pilot.press("2")
        table = screen.query_one("#analysis-table", DataTable)
        assert table.has_focus and table.row_count == 3
        for i, turn in enumerate(direct.turns):
            row = table.get_row_at(i)
            assert row[0] == turn.quarter
            assert row[1].plain.split()[0] == turn.label and turn.label in LABELS
        await pilot.press("down")
        assert direct.turns[1].quarter in str(screen.query_one("#analysis-detail", Panel).border_title)
        assert "You decided:" in text_of(screen, "#analysis-detail")

        # The worst decisions, with the engine's view.
        await pilot.press("3")
        worst = text_of(screen, "#analysis-worst-list")
        assert "agrees with every quarter" in worst or "gave up" in worst

        # The engine agreed with every quarter here: nothing to learn from.
        assert all(t.label in ("best", "good") for t in judged.turns)
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, AnalysisScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, AnalysisScreen)


async def test_the_analysis_is_reachable_from_the_dashboard_and_the_game_over_screen(pack: Pack) -> None:
    app = make_app(pack, seed=SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_tutorial(pilot)
        assert app.screen.check_action("analyse", ()) is False  # nothing played yet
        await end_quarter(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AnalysisScreen)
        assert app.screen.analysis is not None and len(app.screen.analysis.judgement.turns) == 1
        assert "not over" in text_of(app.screen, "#analysis-split")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert app.game is not None
        while not app.game.over:
            await end_quarter(pilot)
        assert isinstance(app.screen, GameOverScreen)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AnalysisScreen)
        assert app.screen.analysis is not None
        assert len(app.screen.analysis.judgement.turns) == len(app.game.turns)  # every quarter played


async def test_learning_from_a_saved_games_worst_quarter(pack: Pack, tmp_path: Path) -> None:
    played = short_game(pack, POLICIES["reckless"])
    loaded = load_game(SaveStore(tmp_path).save(played, "reckless"))
    app = make_app(pack, seed=SEED, evaluation="live")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(AnalysisScreen(loaded))
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AnalysisScreen) and screen.analysis is not None
        worst = screen.analysis.judgement.worst_first()[0]
        assert worst.label in ("inaccuracy", "mistake", "blunder")

        # l: back to the worst quarter, on a branch of the same world.
        await pilot.press("l")
        await pilot.pause()
        learn = app.screen
        assert isinstance(learn, MistakesScreen)
        branch = learn.branch
        assert branch is not loaded and branch.turn == worst.turn and branch.quarter_label() == worst.quarter
        assert len(loaded.turns) == 3, "the analysed game was changed"
        verdict = text_of(learn, "#mistakes-verdict")
        assert "The engine prefers" not in verdict and worst.preferred not in verdict
        assert learn.check_action("reveal", ()) is None  # nothing to reveal before judging

        # Choose again with the ordinary operations screen (no engine hints there): train 20%.
        await pilot.press("o")
        await pilot.pause()
        ops = app.screen
        assert isinstance(ops, OperationsScreen) and ops.game is branch
        assert not ops.query(EngineComparison)
        await pilot.press("enter")  # the split, on to its field
        field = ops.query_one("#split", Input)
        assert field.has_focus
        field.value = ""
        await pilot.press("2", "0", "enter")
        await pilot.pause()
        assert app.screen is learn
        assert branch.pending == [SetSplit(train_share=0.2)]
        assert branch.describe(SetSplit(train_share=0.2)) in text_of(learn, "#mistakes-plan")

        # j: the engine judges the new plan, and says nothing yet about its own choice.
        await pilot.press("j")
        await pilot.pause()
        assert learn.judging or learn.new is not None
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert learn.new is not None
        verdict = text_of(learn, "#mistakes-verdict")
        assert "Your new plan:" in verdict and learn.new.label.upper() in verdict
        assert "The engine prefers" not in verdict and "Your first plan:" not in verdict

        again = branch_at(loaded, worst.turn)
        again.apply(SetSplit(train_share=0.2))
        direct, _ = judge_turn(again, again.pending, pack.rules.judgement, pack.rules.judgement.analyse_rollouts, 0)
        assert learn.new.after_decisions == pytest.approx(direct.after_decisions)
        assert learn.new.label == direct.label

        # r: only now the engine's preferred alternative and the first plan's result.
        await pilot.press("r")
        await pilot.pause()
        verdict = text_of(learn, "#mistakes-verdict")
        assert " ".join(preferred_text(worst).split()) in verdict
        assert f"Your first plan: {worst.after_decisions:.1f}" in verdict
        assert f"Your new plan: {direct.after_decisions:.1f}" in verdict
        # n: on to the next of the worst quarters, and from the last back to the analysis
        assert learn.quarters == screen.mistakes()
        for _ in learn.quarters[1:]:
            await pilot.press("n")
            await pilot.pause()
            assert app.screen is learn and learn.branch.turn == learn.quarters[learn.step]
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen


async def _analysis_of_a_short_game(pilot: Pilot[None]) -> None:
    app = pilot.app
    await app.push_screen(AnalysisScreen(short_game(app.pack)))  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()
    await settle(pilot)


@pytest.mark.parametrize("size", [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")])
def test_the_analysis_screen_looks_as_accepted(snap_compare: SnapCompare, pack: Pack, size: tuple[int, int]) -> None:
    """The summary tab of a judged three-quarter game (judged at once: the app runs headless)."""
    assert snap_compare(make_app(pack, seed=SEED), terminal_size=size, run_before=_analysis_of_a_short_game)
