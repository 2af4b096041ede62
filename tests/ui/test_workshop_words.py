"""Workshop screens say what the workshop is: its title when joined by code, a briefing that
follows the game's length, one way of counting quarters."""

from __future__ import annotations

from pathlib import Path

import pytest

from game import cli
from game.analysis.policies import POLICIES
from game.content.models import Pack
from game.content.workshop import Workshop, join_code, workshop_toml
from game.saves.classroom import class_status, status_table
from game.saves.store import SaveStore
from game.session.game import Game
from game.ui.app import FortressApp, make_app
from game.ui.screens.team_name import TeamNameScreen
from game.ui.widgets.status import StatusBar

WORKSHOP = Workshop(title="Economics 101, Tuesday", scenario="fortress-2026", seed=4821, quarters=8)


def test_joining_by_code_takes_the_title_of_the_workshop_file_in_the_save_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "workshop.toml").write_text(workshop_toml(WORKSHOP))
    monkeypatch.chdir(tmp_path)
    started: list[FortressApp] = []
    monkeypatch.setattr(FortressApp, "run", lambda self, *a, **k: started.append(self))
    assert cli.main(["play", "--workshop", join_code(WORKSHOP), "--saves", str(folder)]) == 0
    (app,) = started
    assert app.settings.workshop is not None and app.settings.workshop.title == WORKSHOP.title
    alone = tmp_path / "elsewhere"
    assert cli.main(["play", "--workshop", join_code(WORKSHOP), "--saves", str(alone)]) == 0
    workshop = started[-1].settings.workshop
    assert workshop is not None and workshop.title == "The $900B Question workshop"


async def test_the_briefing_follows_the_workshops_length(pack: Pack, tmp_path: Path) -> None:
    app = make_app(pack, workshop=WORKSHOP, saves=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TeamNameScreen)
        text = " ".join(screen.query_one("#team-briefing").text.split())  # type: ignore[attr-defined]
        assert "Over eight quarters (two years)" in text and "four years" not in text
        assert WORKSHOP.title in str(screen.query_one(".screen-title").render())


async def test_the_live_view_counts_quarters_as_the_game_does(pack: Pack, tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    playing = Game.new(pack, "tutorial", "normal", 5, "Table 1", quarters=4)
    done = Game.new(pack, "tutorial", "normal", 5, "Table 2", quarters=4)
    for _ in range(2):
        POLICIES["frugal"](playing)
        playing.end_turn()
    while not done.over:
        POLICIES["frugal"](done)
        done.end_turn()
    store.autosave(playing)
    store.autosave(done)
    text = status_table(*class_status(tmp_path))
    assert "Q3 2026 (quarter 3 of 4)" in text
    assert f"{done.turns[-1].report.quarter} (the last, 4 of 4 played)" in text
    app = make_app(pack, saves=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        app.resume_game(playing)
        await pilot.pause()
        bar = str(app.screen.query_one(StatusBar).render())
        assert "Q3 2026  quarter 3 of 4" in bar
