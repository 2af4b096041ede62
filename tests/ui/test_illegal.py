"""An illegal action shows the session's reason on the screen and changes nothing."""

from __future__ import annotations

from game.ui.app import FortressApp
from game.ui.screens.capacity import CapacityScreen
from game.ui.screens.funding import FundingScreen

from .helpers import panel_text, start_tutorial


async def test_a_round_selling_too_much_is_refused_with_the_reason(app: FortressApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await start_tutorial(pilot)
        game = app.game
        assert game is not None
        state = game.state
        await pilot.press("f")
        # Tab to the amount (its text is selected, so typing replaces it), then the pre-money.
        await pilot.press("tab", "4", "0", "tab", "5", "5")
        await pilot.pause()
        assert "Not allowed now" in panel_text(app, "#preview")
        assert "one round may sell at most 30%" in panel_text(app, "#preview")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FundingScreen), "the screen stays open"
        assert game.pending == [] and game.state is state
        assert "one round may sell at most 30%" in panel_text(app, "#preview")
        # Fixing the ask makes it legal again.
        await pilot.press("shift+tab", "4")
        await pilot.pause()
        assert "Chance it succeeds" in panel_text(app, "#preview")


async def test_a_capacity_order_above_the_maximum_is_refused(app: FortressApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await start_tutorial(pilot)
        game = app.game
        assert game is not None
        await pilot.press("c")
        assert isinstance(app.screen, CapacityScreen)
        # The last option is spot capacity (at most 3 GW a quarter).
        await pilot.press("end", "tab", "5", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CapacityScreen)
        assert game.pending == []
        assert "You can order at most 3 GW of spot capacity a quarter." in panel_text(app, "#preview")


async def test_nothing_to_undo_is_said_not_done(app: FortressApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await start_tutorial(pilot)
        assert app.screen.check_action("undo", ()) is None
        await pilot.press("u")
        await pilot.pause()
        assert app.game is not None and app.game.pending == []


async def test_escape_leaves_an_action_screen_without_planning(app: FortressApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await start_tutorial(pilot)
        for key in ("f", "d", "c", "o"):
            await pilot.press(key)
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
        assert app.game is not None and app.game.pending == []
