"""Play the tutorial from the title screen to the scored end with key presses only, at 80x24."""

from __future__ import annotations

from game.session.actions import OrderCapacity, RaiseRound, RespondDeal
from game.ui.app import FortressApp
from game.ui.screens.capacity import CapacityScreen
from game.ui.screens.dashboard import DashboardScreen
from game.ui.screens.deals import DealsScreen
from game.ui.screens.funding import FundingScreen
from game.ui.screens.game_over import GameOverScreen
from game.ui.screens.new_game import NewGameScreen
from game.ui.screens.operations import OperationsScreen
from game.ui.screens.report import ReportScreen
from game.ui.screens.title import TitleScreen

from .helpers import panel_text, start_tutorial


async def test_a_whole_tutorial_at_80x24(app: FortressApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("n")
        assert isinstance(app.screen, NewGameScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        game = app.game
        assert game is not None
        assert (game.scenario.id, game.difficulty_id, game.seed, game.turn) == ("tutorial", "normal", 1, 0)

        # A funding round: f, Enter (the form as it stands, with the first investor, goes to the plan).
        await pilot.press("f")
        assert isinstance(app.screen, FundingScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert len(game.pending) == 1 and isinstance(game.pending[0], RaiseRound)
        assert game.pending[0].investor == "vc"

        # A cloud deal: d, Enter (offer chosen, on to the responses), Enter (accept).
        await pilot.press("d")
        assert isinstance(app.screen, DealsScreen)
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        deal = game.pending[-1]
        assert isinstance(deal, RespondDeal) and (deal.provider, deal.response) == ("stratus", "accept")

        # A capacity order: c, down (chips), Tab (on to the gigawatts), type 0.05, Enter.
        await pilot.press("c")
        assert isinstance(app.screen, CapacityScreen)
        await pilot.press("down", "tab", "0", ".", "0", "5", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        order = game.pending[-1]
        assert isinstance(order, OrderCapacity) and (order.option, order.gw) == ("chips", 0.05)
        assert len(game.pending) == 3

        # Undo takes back the order and says so in the plan.
        await pilot.press("u")
        await pilot.pause()
        assert len(game.pending) == 2
        assert "Undone: Order 0.05 GW of chips" in panel_text(app, ".role-plan")

        # End the quarter: the report, then back to the dashboard in the next quarter.
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        assert game.turn == 1 and game.pending == []
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)

        for _ in range(game.scenario.quarters):
            if game.over:
                break
            await pilot.press("e")
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
        assert game.over
        assert isinstance(app.screen, GameOverScreen)
        assert game.summary().title in panel_text(app, "#result-body")

        # After the end, the dashboard offers no more moves.
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert app.screen.check_action("end_turn", ()) is False
        assert app.screen.check_action("funding", ()) is False
        await pilot.press("e")
        assert game.turn == game.scenario.quarters
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, GameOverScreen)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)


async def test_last_report_reopens_from_the_dashboard(app: FortressApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await start_tutorial(pilot)
        assert app.screen.check_action("report", ()) is False
        await pilot.press("e", "enter")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        assert app.screen.report.quarter == "Q1 2026"


async def test_the_split_form_counts_the_compute_planned_this_quarter(app: FortressApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await start_tutorial(pilot)
        game = app.game
        assert game is not None
        game.apply(OrderCapacity(option="reserved", gw=0.5, provider="northwind", term=8))
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, OperationsScreen)
        blurb = " ".join(str(s.render()) for s in app.screen.query(".blurb"))
        assert "on the 0.85 GW you run this quarter" in blurb  # 0.35 GW held + 0.5 GW planned
