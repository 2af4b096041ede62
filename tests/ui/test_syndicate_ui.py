"""The round screen builds a syndicate with the keyboard at 80x24: the lead, the whole round, the
pre-money and each follower's cheque, with the chance of the whole syndicate in the preview; the
article's round goes into the plan as typed, and a broken rule is named."""

from __future__ import annotations

from game.session.actions import RaiseRound
from game.ui.app import FortressApp
from game.ui.screens.funding import FundingScreen

from .helpers import panel_text


async def test_the_round_screen_builds_the_articles_syndicate(app: FortressApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_game("fortress-2026", "normal", 1, None)
        await pilot.pause()
        await pilot.pause()
        game = app.game
        assert game is not None
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FundingScreen)
        # lead: crossover funds (second in the list); the whole round and the pre-money
        await pilot.press("down", "tab", "6", "5", "tab", "9", "0", "0")
        await pilot.pause()
        # crossover funds alone cannot write $65B
        assert "write at most $40.0B" in panel_text(app, "#preview")
        # followers: VC syndicate $5B, (the lead's row is hidden), sovereign $25B, chip maker $10B
        await pilot.press("tab", "5", "tab", "2", "5", "tab", "1", "0")
        await pilot.pause()
        text = panel_text(app, "#preview")
        assert "Chance it succeeds" in text, text
        assert "Crossover fund $25.0B" in text and "Sovereign wealth fund $25.0B" in text
        expected = game.preview(
            RaiseRound(
                investor="crossover",
                amount=65.0,
                pre_money=900.0,
                followers=(("vc", 5.0), ("sovereign", 25.0), ("chipmaker", 10.0)),
            )
        )
        assert expected.chance is not None and f"{expected.chance:.0%}" in text
        # a follower under its type's minimum is refused by name
        await pilot.press("shift+tab", "end", "backspace", "backspace", "0", ".", "5")
        await pilot.pause()
        assert "Sovereign wealth funds write no cheque under $2.0B" in panel_text(app, "#preview")
        await pilot.press("end", "backspace", "backspace", "backspace", "2", "5", "enter")
        await pilot.pause()
        assert game.pending == [
            RaiseRound(
                investor="crossover",
                amount=65.0,
                pre_money=900.0,
                followers=(("vc", 5.0), ("sovereign", 25.0), ("chipmaker", 10.0)),
            )
        ]
