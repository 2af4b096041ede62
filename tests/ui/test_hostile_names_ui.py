"""Names that are markup or terminal escapes show as typed on every screen that lists them: the
title screen, the Load screen and the class debrief, with other teams' saves in the folder."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from textual.widgets import DataTable

from game.analysis.debrief import ClassRoom, class_debrief
from game.analysis.policies import POLICIES
from game.content.models import Pack
from game.saves.classroom import collect_games
from game.saves.store import SaveStore
from game.session.game import Game
from game.ui.app import make_app
from game.ui.screens.class_debrief import ClassDebriefScreen
from game.ui.screens.saves import SavesScreen, entry_prompt

from .helpers import end_quarter, settle

HOSTILE = ["Team [/] Zed [b]x", "[@click=app.quit]Quit[/]", "Bell\x07\x1b]0;owned\x07 [red]", "Back\\"]


def hostile_folder(pack: Pack, folder: Path) -> Path:
    store = SaveStore(folder)
    for i, name in enumerate(["Plain Team", *HOSTILE[::-1]]):  # the markup name is the newest
        game = Game.new(pack, "tutorial", "normal", 11, name, 3)
        while not game.over:
            POLICIES["frugal" if i % 2 else "multicloud"](game)
            game.end_turn()
        store.save(game, name)
    return folder


async def test_markup_names_show_as_typed_on_the_load_screen(pack: Pack, tmp_path: Path) -> None:
    folder = hostile_folder(pack, tmp_path / "saves")
    app = make_app(pack, saves=folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SavesScreen)
        assert sum(e.ok for e in screen.entries) == len(HOSTILE) + 1
        console = Console(width=200, record=True, file=io.StringIO())
        for entry in screen.entries:
            console.print(entry_prompt(entry, screen.palette))
        listed = console.export_text()
        for name in ("Team [/] Zed [b]x", "[@click=app.quit]Quit[/]", "Bell??]0;owned? [red]", "Back\\"):
            assert name in listed, name
        assert "\x1b" not in listed and "\x07" not in listed
        for _ in screen.entries:
            await pilot.press("down")
            await pilot.pause()
        assert app.screen is screen and app.is_running
        await pilot.press("home", "enter")  # open the newest: the game goes on under its hostile name
        await pilot.pause()
        assert app.game is not None and app.game.lab_name == HOSTILE[0]


async def test_markup_names_show_as_typed_in_the_class_debrief(pack: Pack, tmp_path: Path) -> None:
    folder = hostile_folder(pack, tmp_path / "class")
    games, skipped = collect_games(folder)
    assert len(games) == len(HOSTILE) + 1 and not skipped
    debrief = class_debrief([(g, p.name) for g, p in games], [], "Period [/] 3")
    app = make_app(pack, saves=folder, classroom=ClassRoom(folder, debrief, {p.name: g for g, p in games}, None))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClassDebriefScreen)
        board = screen.query_one("#debrief-leaderboard", DataTable)
        shown = {str(board.get_row_at(i)[1]) for i in range(board.row_count)}
        assert "Team [/] Zed [b]x" in shown and "[@click=app.quit]Quit[/]" in shown
        for key in ("2", "3", "4", "5", "1"):
            await pilot.press(key)
            await pilot.pause()
        await pilot.press("down", "down", "down")
        await pilot.pause()
        assert app.screen is screen and app.is_running


async def test_a_markup_lab_name_plays_through_dashboard_report_and_save(pack: Pack, tmp_path: Path) -> None:
    app = make_app(pack, saves=tmp_path / "saves", scenario="tutorial", seed=3, lab=HOSTILE[0])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.game is not None and app.game.lab_name == HOSTILE[0]
        for _ in range(2):
            await end_quarter(pilot)
            await settle(pilot)
        await pilot.press("s")  # the save dialog suggests a name made of the lab's
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        named = [p for p in (tmp_path / "saves").glob("*.json") if not p.name.startswith("autosave-")]
        assert app.is_running and len(named) == 1 and "[" not in named[0].name
