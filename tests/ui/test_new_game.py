"""The new-game screen: scenario, difficulty, seed and lab name, and the command-line settings."""

from __future__ import annotations

from game.cli import build_parser
from game.content.models import Pack
from game.ui.app import FortressApp, make_app
from game.ui.screens.dashboard import DashboardScreen
from game.ui.screens.new_game import NewGameScreen

from .helpers import panel_text


async def test_seed_and_lab_name_are_editable(app: FortressApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NewGameScreen)
        assert "First Steps" in panel_text(app, "#briefing")
        await pilot.press("down")  # the next scenario: the briefing and the default lab name follow
        await pilot.pause()
        assert app.screen.scenario.id != "tutorial"
        assert app.screen.scenario.name in panel_text(app, "#briefing")
        await pilot.press("up", "tab", "down", "tab", *"42", "tab", *"Acme AI", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        game = app.game
        assert game is not None
        assert (game.scenario.id, game.difficulty_id, game.seed, game.lab_name) == ("tutorial", "hard", 42, "Acme AI")


async def test_scenario_option_opens_the_new_game_screen_prefilled(pack: Pack) -> None:
    app = make_app(pack, scenario="fortress-2026", difficulty="easy", seed=7, lab="Team 3")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NewGameScreen)
        await pilot.press("enter")
        await pilot.pause()
        game = app.game
        assert game is not None
        assert (game.scenario.id, game.difficulty_id, game.seed, game.lab_name) == (
            "fortress-2026",
            "easy",
            7,
            "Team 3",
        )


async def test_a_bad_seed_is_explained(app: FortressApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "tab", "tab")
        await pilot.press("ctrl+a")
        app.screen.query_one("#seed").value = ""  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NewGameScreen) and app.game is None


def test_play_options() -> None:
    args = build_parser().parse_args(
        ["play", "--scenario", "tutorial", "--difficulty", "hard", "--seed", "3", "--lab", "X", "--high-contrast"]
    )
    assert (args.scenario, args.difficulty, args.seed, args.lab, args.high_contrast) == (
        "tutorial",
        "hard",
        3,
        "X",
        True,
    )


def test_bare_fortress_opens_the_game(monkeypatch: object) -> None:
    import pytest

    from game import cli

    ran: list[FortressApp] = []
    mp = monkeypatch
    assert isinstance(mp, pytest.MonkeyPatch)
    mp.setattr(FortressApp, "run", lambda self, *a, **k: ran.append(self))
    assert cli.main([]) == 0
    assert cli.main(["play", "--seed", "5"]) == 0
    assert len(ran) == 2 and ran[1].default_seed == 5
    assert cli.main(["play", "--scenario", "nope"]) == 2
