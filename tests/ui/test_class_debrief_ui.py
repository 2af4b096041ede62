"""The class debrief screen over a folder of saves: leaderboard, paths, divergences, skipped files,
decision quality judged on request, and the exports written next to the saves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, TabbedContent
from textual_plotext import PlotextPlot

from game import cli
from game.analysis.debrief import ClassRoom, class_debrief
from game.analysis.policies import POLICIES, random_policy
from game.content.models import Pack
from game.saves.classroom import collect_games
from game.saves.load import read_save
from game.saves.replay import reopen
from game.saves.store import SaveStore
from game.session.game import Game
from game.ui.app import FortressApp, make_app
from game.ui.screens.class_debrief import EXPORTS, ClassDebriefScreen

from .helpers import panel_text, settle

PLAYERS = [random_policy, *POLICIES.values()]


def make_class(pack: Pack, folder: Path, teams: int, quarters: int = 6) -> Path:
    """`teams` bot-played games of one world, one game of another world and a damaged file."""
    store = SaveStore(folder)
    for i in range(teams):
        game = Game.new(pack, "fortress-2026", "normal", 4821, f"Team {i + 1:02d}", quarters)
        policy = PLAYERS[i % len(PLAYERS)]
        while not game.over:
            policy(game)
            game.end_turn()
            store.autosave(game)
    other = Game.new(pack, "fortress-2026", "normal", 999, "Other class", quarters)
    other.end_turn()
    store.save(other, "other class")
    (folder / "damaged.json").write_text('{"schema_version": 2, "name": ')
    return folder


def classroom(folder: Path, rollouts: int | None = None, judge_now: bool = False) -> ClassRoom:
    games, skipped = collect_games(folder)
    debrief = class_debrief([(g, p.name) for g, p in games], [(s.path.name, s.reason) for s in skipped], "Period 3")
    return ClassRoom(folder, debrief, {p.name: g for g, p in games}, rollouts, judge_now)


@pytest.fixture(scope="module")
def thirty(pack: Pack, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_class(pack, tmp_path_factory.mktemp("thirty"), 30)


@pytest.fixture(scope="module")
def four(pack: Pack, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_class(pack, tmp_path_factory.mktemp("four"), 4, quarters=3)


def debrief_app(pack: Pack, folder: Path, rollouts: int | None = None, judge_now: bool = False) -> FortressApp:
    return make_app(pack, saves=folder, classroom=classroom(folder, rollouts, judge_now))


async def test_the_screen_lists_thirty_teams_and_names_the_skipped_files(pack: Pack, thirty: Path) -> None:
    app = debrief_app(pack, thirty)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClassDebriefScreen)
        board = screen.query_one("#debrief-leaderboard", DataTable)
        assert board.row_count == 30
        teams = [str(board.get_row_at(i)[1]) for i in range(30)]
        assert sorted(teams) == [f"Team {i:02d}" for i in range(1, 31)]
        scores = [float(str(board.get_row_at(i)[3])) for i in range(30)]
        assert scores == sorted(scores, reverse=True)
        await pilot.press("5")
        await pilot.pause()
        skipped = panel_text(app, "#debrief-skipped")
        assert "damaged.json" in skipped and "cut short" in skipped
        assert "other-class.json" in skipped and "another workshop" in skipped
        await pilot.press("3")
        await pilot.pause()
        divergences = panel_text(app, "#debrief-divergences")
        assert "ahead" in divergences and "behind" in divergences
        await pilot.press("2")
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "paths"
        assert screen.query_one("#debrief-paths", PlotextPlot).display


async def test_picking_a_team_highlights_its_path(pack: Pack, thirty: Path) -> None:
    app = debrief_app(pack, thirty)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClassDebriefScreen)
        first = screen.selected
        await pilot.press("down", "down")
        await pilot.pause()
        assert screen.selected == screen.debrief.teams[2].file != first


async def test_judging_ranks_the_teams_by_their_decisions(pack: Pack, four: Path) -> None:
    app = debrief_app(pack, four, rollouts=24)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClassDebriefScreen)
        assert "Press j" in panel_text(app, "#debrief-team")
        await pilot.press("j")
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "decisions"
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert not screen.judging
        assert set(screen.judged) == {t.file for t in screen.debrief.teams}
        table = screen.query_one("#debrief-decisions", DataTable)
        assert table.row_count == 4
        added = [float(str(table.get_row_at(i)[5])) for i in range(4)]
        assert added == sorted(added, reverse=True)
        for result in screen.judged.values():
            assert result.final_score == pytest.approx(result.start + result.decisions_total + result.luck_total)
        board = screen.query_one("#debrief-leaderboard", DataTable)
        assert sorted(str(board.get_row_at(i)[5]) for i in range(4)) == ["1", "2", "3", "4"]
        detail = panel_text(app, "#debrief-team")
        assert "expected at the start" in detail and "dice" in detail
        # the report written now carries the ranking by decision quality
        await pilot.press("h")
        await pilot.pause()
    html = (four / EXPORTS["html"][0]).read_text()
    section = html.split("<h2>Decision quality</h2>")[1].split("<h2>")[0]
    assert section.count("<tr>") == 5 and "not been judged" not in section


async def test_judge_on_the_command_line_starts_judging_as_the_screen_opens(pack: Pack, four: Path) -> None:
    app = debrief_app(pack, four, rollouts=24, judge_now=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClassDebriefScreen)
        assert len(screen.judged) == 4


async def test_a_class_judged_before_is_read_back_not_judged_again(
    pack: Pack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_class(pack, tmp_path, 3, quarters=2)
    app = debrief_app(pack, folder, rollouts=24, judge_now=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        first = dict(app.screen.judged)  # type: ignore[attr-defined]
    assert len(first) == 3 and len(list((folder / ".judgements").glob("*.json"))) == 3

    def no_judging(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("judged again")

    monkeypatch.setattr("game.analysis.judged.judge_game", no_judging)
    app = debrief_app(pack, folder, rollouts=24, judge_now=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClassDebriefScreen)
        assert screen.judged == first
        assert "3 read back from their stored judgements" in str(screen.query_one("#judge-status").render())


async def test_teams_still_playing_are_judged_so_far_and_unplayed_ones_are_left_out(pack: Pack, tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    for name, quarters in (("Done", 3), ("Halfway", 1), ("Late", 0)):
        game = Game.new(pack, "fortress-2026", "normal", 4821, name, 3)
        store.autosave(game)
        while not game.over and len(game.turns) < quarters:
            POLICIES["frugal"](game)
            game.end_turn()
            store.autosave(game)
    app = debrief_app(pack, tmp_path, rollouts=24)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClassDebriefScreen)
        await pilot.press("3")
        await pilot.pause()
        assert "Late played 0 so far" in panel_text(app, "#debrief-divergences")
        await pilot.press("j")
        await app.workers.wait_for_complete()
        await pilot.pause()
        names = {t.file: t.team for t in screen.debrief.teams}
        assert sorted(names[f] for f in screen.judged) == ["Done", "Halfway"]
        halfway = next(r for f, r in screen.judged.items() if names[f] == "Halfway")
        assert not halfway.over
        table = screen.query_one("#debrief-decisions", DataTable)
        scores = {str(table.get_row_at(i)[1]): str(table.get_row_at(i)[3]) for i in range(table.row_count)}
        assert scores["Halfway"].startswith("~") and not scores["Done"].startswith("~")
        status = str(screen.query_one("#judge-status").render())
        assert "Not judged (no quarter played): Late" in status


@pytest.mark.parametrize("kind", list(EXPORTS))
async def test_an_export_key_writes_the_report_next_to_the_saves(pack: Pack, four: Path, kind: str) -> None:
    name, _ = EXPORTS[kind]
    (four / name).unlink(missing_ok=True)
    app = debrief_app(pack, four)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press({"html": "h", "markdown": "m", "csv": "c"}[kind])
        await pilot.pause()
        assert (four / name).stat().st_size > 200
        assert any(str(four / name) in n.message for n in app._notifications)
    assert "Team 01" in (four / name).read_text()


def test_debrief_on_a_terminal_opens_the_screen(
    monkeypatch: pytest.MonkeyPatch, four: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    started: list[FortressApp] = []
    monkeypatch.setattr(FortressApp, "run", lambda self, *a, **k: started.append(self))
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert cli.main(["debrief", str(four), "--judge", "--rollouts", "24"]) == 0
    (app,) = started
    room = app.settings.classroom
    assert room is not None and len(room.debrief.teams) == 4 and len(room.games) == 4
    assert room.judge_now and room.rollouts == 24
    assert sorted(name for name, _ in room.debrief.skipped) == ["damaged.json", "other-class.json"]


def test_debrief_without_a_terminal_prints_markdown(four: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["debrief", str(four)]) == 0
    assert capsys.readouterr().out.startswith("# Class debrief")


def test_debrief_of_an_empty_folder_is_refused_before_the_screen(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(FortressApp, "run", lambda self, *a, **k: pytest.fail("the screen opened"))
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    (tmp_path / "broken.json").write_text("{")
    assert cli.main(["debrief", str(tmp_path)]) == 2
    assert "broken.json" in capsys.readouterr().err


async def _leaderboard(pilot: Pilot[None]) -> None:
    await settle(pilot)


def test_debrief_snapshot(snap_compare: Any, pack: Pack, thirty: Path) -> None:
    """The leaderboard of thirty teams at 80x24 looks as accepted."""
    assert snap_compare(debrief_app(pack, thirty), terminal_size=(80, 24), run_before=_leaderboard)


async def test_a_team_that_reloaded_is_scored_by_its_first_line_with_its_reloads_shown(
    pack: Pack, tmp_path: Path
) -> None:
    """A team plays its game out, reloads its first quarter and plays it again: the leaderboard
    scores it by the first line and shows the reload and the saved line's score."""
    store = SaveStore(tmp_path)
    game = Game.new(pack, "fortress-2026", "normal", 4821, "Reloaders", 3)
    before = store.save(game, "start")
    while not game.over:
        game.end_turn()
        store.autosave(game)
    first = game.summary().score
    again = reopen(store, read_save(before), before, current=game)
    random_policy(again)
    while not again.over:
        again.end_turn()
        store.autosave(again)
    app = debrief_app(pack, tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClassDebriefScreen)
        board = screen.query_one("#debrief-leaderboard", DataTable)
        assert board.row_count == 1
        row = [str(c) for c in board.get_row_at(0)]
        assert row[1] == "Reloaders" and float(row[3]) == pytest.approx(first, abs=0.05)
        assert row[7] == f"1 (saved line {again.summary().score:.1f})"
