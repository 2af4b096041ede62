"""Workshop play through the interface: `fortress play --workshop CODE` asks only for the team
name, starts exactly the workshop's world and records the join code in every save."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from game import cli
from game.content.models import Pack
from game.content.workshop import Workshop, join_code, parse_code
from game.saves.digest import state_digest
from game.saves.load import read_save
from game.ui.app import FortressApp, make_app
from game.ui.screens.dashboard import DashboardScreen
from game.ui.screens.team_name import TeamNameScreen
from game.ui.screens.title import TitleScreen

from .helpers import end_quarter, settle

WORKSHOP = Workshop(title="Period 3", scenario="fortress-2026", difficulty="normal", seed=4821, quarters=6)
CODE = join_code(WORKSHOP)


def workshop_app(pack: Pack, saves: Path) -> FortressApp:
    return make_app(pack, workshop=parse_code(CODE, pack), saves=saves)


async def join(pilot: Pilot[None], team: str) -> None:
    """Type the team name and press Enter."""
    await pilot.pause()
    for key in team:
        await pilot.press("space" if key == " " else key)
    await pilot.press("enter")
    await pilot.pause()


async def test_a_code_asks_only_for_the_team_name_and_starts_that_world(pack: Pack, tmp_path: Path) -> None:
    app = workshop_app(pack, tmp_path / "class")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TeamNameScreen)
        assert [i.id for i in screen.query(Input)] == ["team-name"]
        assert not list(screen.query(OptionList))
        assert app.focused is screen.query_one("#team-name", Input)
        await join(pilot, "Table 4")
        assert isinstance(app.screen, DashboardScreen)
        game = app.game
        assert game is not None
        assert (game.scenario.id, game.difficulty_id, game.seed) == ("fortress-2026", "normal", 4821)
        assert game.params.n_turns == 6 and game.quarters == 6
        assert game.lab_name == "Table 4"
        assert game.workshop == CODE
        await end_quarter(pilot)
    saves = sorted((tmp_path / "class").glob("*.json"))
    assert saves, "the team's game was not saved"
    latest = read_save(saves[-1])
    assert latest.settings.workshop == CODE
    assert latest.settings.lab_name == "Table 4"


async def test_an_empty_team_name_is_refused(pack: Pack, tmp_path: Path) -> None:
    app = workshop_app(pack, tmp_path / "class")
    async with app.run_test(size=(80, 24)) as pilot:
        await join(pilot, "   ")
        assert isinstance(app.screen, TeamNameScreen)
        assert app.game is None
        assert any("team's name" in n.message for n in app._notifications)


async def test_new_game_from_the_title_returns_to_the_workshop(pack: Pack, tmp_path: Path) -> None:
    app = workshop_app(pack, tmp_path / "class")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, TeamNameScreen)


async def _play(pack: Pack, saves: Path, team: str) -> list[str]:
    """Join as `team`, plan the same moves and end three quarters; the state digests."""
    app = workshop_app(pack, saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await join(pilot, team)
        digests = []
        for _ in range(3):
            await pilot.press("f", "enter", "enter")  # the funding screen's default round
            await pilot.pause()
            await end_quarter(pilot)
            assert app.game is not None
            digests.append(state_digest(app.game))
        assert app.game is not None and len(app.game.turns) == 3
        return digests


async def test_two_teams_with_the_same_code_and_moves_play_the_same_game(pack: Pack, tmp_path: Path) -> None:
    first = await _play(pack, tmp_path / "class", "Red")
    second = await _play(pack, tmp_path / "class", "Red")
    assert first == second
    # both games are kept: the same team name twice never overwrites a save
    ids = {read_save(p).game_id for p in (tmp_path / "class").glob("*.json")}
    assert len(ids) == 2


def test_play_with_a_mistyped_code_exits_2_without_starting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def never(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the game started")

    monkeypatch.setattr(FortressApp, "run", never)
    bad = CODE[:-1] + ("0" if CODE[-1] != "0" else "1")
    assert cli.main(["play", "--workshop", bad]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "typing mistake" in err[0]


def test_play_with_a_code_builds_the_workshop_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    started: list[FortressApp] = []
    monkeypatch.setattr(FortressApp, "run", lambda self, *a, **k: started.append(self))
    assert cli.main(["play", "--workshop", CODE.lower(), "--saves", str(tmp_path / "class")]) == 0
    (app,) = started
    assert app.settings.workshop is not None
    assert (app.settings.workshop.scenario, app.settings.workshop.seed, app.settings.workshop.quarters) == (
        "fortress-2026",
        4821,
        6,
    )
    assert app.store.folder == tmp_path / "class"


def test_play_refuses_a_workshop_with_its_own_world(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["play", "--workshop", CODE, "--seed", "3"]) == 2
    assert "--workshop fixes" in capsys.readouterr().err


async def _team_name(pilot: Pilot[None]) -> None:
    await settle(pilot)


def test_team_name_screen_snapshot(snap_compare: Any, pack: Pack, tmp_path: Path) -> None:
    """The team-name screen at 80x24 looks as accepted."""
    assert snap_compare(workshop_app(pack, tmp_path / "class"), terminal_size=(80, 24), run_before=_team_name)


def test_the_browser_server_stays_in_the_interface_layer() -> None:
    """textual-serve is interface code: only game/ui/serve.py imports it, and the command line
    loads it only for `fortress serve`."""
    import ast
    import subprocess
    import sys

    game_dir = Path(cli.__file__).parent
    importers = set()
    for path in game_dir.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(n.split(".")[0] in ("textual_serve", "aiohttp") for n in names):
                importers.add(path.relative_to(game_dir).as_posix())
    assert importers == {"ui/serve.py"}
    code = "import sys, game.cli; assert 'textual_serve' not in sys.modules and 'aiohttp' not in sys.modules"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


async def test_continue_is_off_in_a_workshop_so_no_team_takes_over_another(pack: Pack, tmp_path: Path) -> None:
    from game.saves.store import SaveStore
    from game.session.game import Game

    other = Game.new(pack, "fortress-2026", "normal", 4821, "Another team", 6)
    other.workshop = CODE
    SaveStore(tmp_path / "class").autosave(other)
    app = workshop_app(pack, tmp_path / "class")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        title = app.screen
        assert isinstance(title, TitleScreen)
        menu = title.query_one("#menu", OptionList)
        assert menu.get_option("continue").disabled
        assert not menu.get_option("load").disabled
        await pilot.press("c")
        await pilot.pause()
        assert app.game is None
