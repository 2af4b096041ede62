"""Saves in the interface: autosave every quarter, a named save from the dashboard, Continue and
Load on the title screen, damaged files listed with their reason, failed writes that play on.

Every test writes real files in its own temporary folder; worlds have fixed seeds.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from game.analysis.policies import POLICIES
from game.content.models import Pack
from game.saves.digest import state_digest
from game.saves.load import read_save
from game.saves.store import SaveStore
from game.session.game import Game
from game.ui.app import FortressApp, make_app
from game.ui.screens.dashboard import DashboardScreen
from game.ui.screens.game_over import GameOverScreen
from game.ui.screens.save_dialog import SaveDialog
from game.ui.screens.saves import SavesScreen
from game.ui.screens.title import TitleScreen

from .conftest import SEED
from .helpers import end_quarter, settle, start_tutorial

SnapCompare = Callable[..., bool]


# ---- fixtures and helpers ---------------------------------------------------------------------


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Saves are stamped 09:00, 09:01, ... UTC on 1 March 2026, and shown in UTC."""
    import game.saves.store as store

    ticks = iter(range(10_000))

    class Clock(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Clock:  # type: ignore[override]
            moment = datetime(2026, 3, 1, 9, 0, tzinfo=UTC) + timedelta(minutes=next(ticks))
            return cls.fromtimestamp(moment.timestamp(), tz)

    monkeypatch.setattr(store, "datetime", Clock)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def played(pack: Pack, quarters: int, policy: Callable[[Game], object] = POLICIES["multicloud"], **kw: Any) -> Game:
    """A tutorial game (seed 1) with `quarters` played by a bot policy, and a fixed game id."""
    game = Game.new(pack, "tutorial", "normal", SEED, kw.pop("lab", None))
    game.game_id = kw.pop("game_id", "0000aaaa")
    for _ in range(quarters):
        if game.over:
            break
        policy(game)
        game.end_turn()
    return game


def notes(app: FortressApp) -> list[str]:
    """The notifications on screen now (title and message)."""
    return [f"{n.title}: {n.message}" for n in app._notifications]


async def press_keys(pilot: Pilot[None], *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


# ---- autosave, named save, continue ------------------------------------------------------------


async def test_save_quit_and_continue_restores_the_quarter_and_the_plan(pack: Pack, tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    app = make_app(pack, seed=SEED, saves=folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_tutorial(pilot)
        await end_quarter(pilot)
        await press_keys(pilot, "f", "enter", "enter")  # plan a funding round
        await press_keys(pilot, "d", "enter", "enter")  # and a cloud deal
        game = app.game
        assert game is not None and game.turn == 1 and len(game.pending) == 2
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SaveDialog)
        await pilot.press(*"Before the deal!")  # the suggestion is selected: typing replaces it
        await pilot.pause()
        assert "Before-the-deal.json" in str(app.screen.query_one("#save-file").render())
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert (folder / "Before-the-deal.json").exists()
        digest, pending, game_id = state_digest(game), list(game.pending), game.game_id
        await pilot.press("ctrl+q")  # quitting autosaves the plan as well

    named = read_save(folder / "Before-the-deal.json")
    assert named.pending == pending and len(named.turns) == 1

    again = make_app(pack, saves=folder)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, TitleScreen)
        assert again.screen.check_action("continue", ()) is True
        await pilot.press("c")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(again.screen, DashboardScreen)
        resumed = again.game
        assert resumed is not None
        assert (resumed.turn, resumed.game_id) == (1, game_id)
        assert state_digest(resumed) == digest
        assert resumed.pending == pending


async def test_an_autosave_lands_after_every_quarter_and_three_are_kept(pack: Pack, tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    app = make_app(pack, seed=SEED, saves=folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_tutorial(pilot)
        game = app.game
        assert game is not None
        for quarter in range(1, 5):
            await end_quarter(pilot)
            newest = max(folder.glob("autosave-*.json"), key=lambda p: p.name)
            assert newest.name.endswith(f"-{game.game_id}-q{quarter:02d}.json")
            assert state_digest(game) == read_save(newest).turns[-1].digest
        kept = sorted(p.name[-8:-5] for p in folder.glob("autosave-*.json"))
        assert kept == ["q02", "q03", "q04"]


async def test_saving_over_a_name_asks_first(pack: Pack, tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    app = make_app(pack, seed=SEED, saves=folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_tutorial(pilot)
        for _ in range(2):
            await press_keys(pilot, "s")
            await pilot.press(*"mine")
            await pilot.press("enter")
            await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SaveDialog) and dialog.armed == "mine.json"
        assert "A save with this name exists" in str(dialog.query_one("#save-file").render())
        await pilot.press("enter")  # the second Enter replaces it
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert [p.name for p in folder.glob("*.json") if not p.name.startswith("autosave")] == ["mine.json"]
        await press_keys(pilot, "s", "escape")  # Esc writes nothing
        assert isinstance(app.screen, DashboardScreen)


async def test_a_failed_write_is_shown_and_the_game_goes_on(pack: Pack, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the save folder should be")
    app = make_app(pack, seed=SEED, saves=blocker)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_tutorial(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert any(n.startswith("Autosave failed") and "not-a-folder" in n for n in notes(app))
        await pilot.press("enter")
        await pilot.pause()
        game = app.game
        assert game is not None and game.turn == 1
        await press_keys(pilot, "s", "enter")
        assert any(n.startswith("Not saved") for n in notes(app))
        assert isinstance(app.screen, DashboardScreen)
        await end_quarter(pilot)
        assert game.turn == 2


async def test_the_results_screen_opens_the_replay_of_the_game(pack: Pack, tmp_path: Path) -> None:
    from game.ui.screens.replay import ReplayScreen

    folder = tmp_path / "saves"
    app = make_app(pack, seed=SEED, saves=folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_tutorial(pilot)
        game = app.game
        assert game is not None
        while not game.over:
            await end_quarter(pilot)
        assert isinstance(app.screen, GameOverScreen)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ReplayScreen)
        assert app.screen.replayed is not None and len(app.screen.replayed.turns) == len(game.turns)


# ---- the title screen and the list --------------------------------------------------------------


async def test_title_keys_follow_the_save_folder(pack: Pack, tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    app = make_app(pack, saves=folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TitleScreen)
        assert [screen.check_action(a, ()) for a in ("continue", "load", "replay")] == [None, None, None]
        menu = screen.query_one("#menu", OptionList)
        assert menu.get_option("continue").disabled

    folder.mkdir()
    (folder / "junk.json").write_text("[1, 2, 3]")
    app = make_app(pack, saves=folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TitleScreen)
        # Only a damaged file: Load lists it (with its reason); Continue and Replay have nothing to open.
        assert [screen.check_action(a, ()) for a in ("continue", "load", "replay")] == [None, True, None]

    SaveStore(folder).save(played(pack, 2, lab="Northstar"), "two quarters in")
    app = make_app(pack, saves=folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TitleScreen)
        assert [screen.check_action(a, ()) for a in ("continue", "load", "replay")] == [True, True, True]
        prompt = str(screen.query_one("#menu", OptionList).get_option("continue").prompt)
        assert prompt.endswith("Northstar · Q3 2026 (quarter 3 of 8)")  # whole, not cut: the fullest line that fits


async def test_load_a_named_save_from_the_list_past_damaged_files(pack: Pack, tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    store = SaveStore(folder)
    early = played(pack, 2, lab="Early Lab", game_id="0000eeee")
    store.save(early, "early")
    store.save(played(pack, 5, POLICIES["loyalist"], lab="Late Lab"), "late")
    (folder / "cut.json").write_text('{"schema_version": 2, "name": ')
    (folder / "photo.json").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    app = make_app(pack, saves=folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SavesScreen)
        names = [e.path.name for e in screen.entries]
        assert names[:2] == ["late.json", "early.json"] and set(names[2:]) == {"cut.json", "photo.json"}
        reasons = {e.path.name: e.problem for e in screen.entries if not e.ok}
        assert "cut short" in (reasons["cut.json"] or "") and "not a text file" in (reasons["photo.json"] or "")

        # A damaged file is described, but Enter does not open it.
        await press_keys(pilot, "end", "enter")
        assert isinstance(app.screen, SavesScreen)
        assert "cannot be opened" in notes(app)[-1]

        await press_keys(pilot, "home", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        game = app.game
        assert game is not None and (game.lab_name, game.turn, game.game_id) == ("Early Lab", 2, "0000eeee")
        assert state_digest(game) == state_digest(early)


async def test_a_save_that_reads_but_does_not_replay_is_refused_in_the_list(pack: Pack, tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    path = SaveStore(folder).save(played(pack, 3), "edited")
    data = path.read_text().replace(read_save(path).turns[1].digest, "0" * 32)
    path.write_text(data)
    app = make_app(pack, saves=folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await press_keys(pilot, "l", "enter")
        screen = app.screen
        assert isinstance(screen, SavesScreen)
        assert not screen.entries[0].ok and "digest does not match" in (screen.entries[0].problem or "")
        assert app.game is None


# ---- the list, as a picture --------------------------------------------------------------------


def test_the_save_list_looks_as_accepted(
    snap_compare: SnapCompare, pack: Pack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, frozen_clock: None
) -> None:
    monkeypatch.chdir(tmp_path)
    store = SaveStore("saves")
    game = played(pack, 8)
    for quarter in range(1, 4):
        store.autosave(played(pack, quarter, game_id="0000bbbb", lab="Northstar"))
    store.save(played(pack, 3, POLICIES["loyalist"], lab="Northstar"), "before the deal")
    store.save(game, "the whole game")
    Path("saves/notes.json").write_text('{"team": "Northstar"}')

    async def open_list(pilot: Pilot[None]) -> None:
        await pilot.press("l")
        await settle(pilot)

    assert snap_compare(make_app(pack, seed=SEED, saves="saves"), terminal_size=(80, 24), run_before=open_list)
