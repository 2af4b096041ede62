"""The replay and debrief screen: step through a saved game, branch from a quarter and play on,
compare two saves of one world; and `fortress replay` on the command line.

Saves are real files in a temporary folder, played by bot policies in the tutorial world, seed 1.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import TabbedContent

from game.analysis.policies import POLICIES
from game.content.models import Pack
from game.saves.digest import state_digest
from game.saves.load import read_save
from game.saves.store import SaveStore
from game.session.game import Game
from game.ui.app import make_app
from game.ui.screens.compare import CompareScreen
from game.ui.screens.dashboard import DashboardScreen
from game.ui.screens.replay import ReplayScreen
from game.ui.screens.saves import SavesScreen
from game.ui.widgets.panel import Panel
from game.ui.widgets.timeline import Timeline

from .conftest import SEED
from .helpers import end_quarter, settle

SnapCompare = Callable[..., bool]


def save_game(
    folder: Path,
    pack: Pack,
    name: str,
    policy: Callable[[Game], object] = POLICIES["multicloud"],
    quarters: int = 99,
    scenario: str = "tutorial",
    lab: str = "Northstar",
) -> Path:
    """Play `quarters` (default: to the end) with a bot policy and save the game as `name`."""
    game = Game.new(pack, scenario, "normal", SEED, lab)
    game.game_id = "0000cccc"
    for _ in range(quarters):
        if game.over:
            break
        policy(game)
        game.end_turn()
    return SaveStore(folder).save(game, name)


def panel_text(screen: object, selector: str) -> str:
    panel = next(iter(screen.query(selector).results(Panel)))  # type: ignore[attr-defined]
    return " ".join(panel.text.split())


async def test_step_through_a_replay_with_keys_and_the_mouse(pack: Pack, tmp_path: Path) -> None:
    path = save_game(tmp_path, pack, "whole game")
    app = make_app(pack, saves=tmp_path, replay=(path,))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        game = screen.replayed
        assert game is not None and game.over
        last = len(game.turns)
        assert screen.position == last  # a finished game opens on its end
        assert "Outcome:" in panel_text(screen, "#replay-story")

        await pilot.press("home")
        assert screen.position == 0
        assert screen.check_action("step", (-1,)) is None  # nothing before the start
        await pilot.press("right", "right")
        assert screen.position == 2
        for action in game.turns[2].actions:
            assert game.describe(action) in panel_text(screen, "#replay-story")
        assert f"The lab going into {game.quarter_label(2)}" == screen.query_one("#replay-position", Panel).border_title
        assert "$" in panel_text(screen, "#replay-position")
        await pilot.press("left")
        assert screen.position == 1
        await pilot.press("end")
        assert screen.position == last

        # A click on a quarter of the timeline goes there.
        timeline = screen.query_one(Timeline)
        start, _, index = next(span for span in timeline._spans if span[2] == 4 and span[0] > 1)
        await pilot.click(Timeline, offset=(start + 1 + timeline.styles.padding.left, 0))
        await pilot.pause()
        assert screen.position == index == 4
        assert timeline.position == 4

        # The tabs: the dashboard as it was, and the charts with this quarter marked.
        await pilot.press("2")
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "replay-dashboard"
        assert "Scarcity index" in panel_text(screen, "#replay-market")
        await pilot.press("3")
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "replay-charts"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReplayScreen)


async def test_branch_at_a_quarter_and_play_on(pack: Pack, tmp_path: Path) -> None:
    path = save_game(tmp_path, pack, "original", POLICIES["multicloud"])
    original = path.read_bytes()
    save = read_save(path)
    k = 3
    app = make_app(pack, saves=tmp_path, replay=(path,))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("home", *(["right"] * k))
        await pilot.press("b")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        branch = app.game
        assert branch is not None
        assert branch.turn == k and not branch.pending and not branch.over
        assert branch.game_id != save.game_id
        assert state_digest(branch) == save.turns[k - 1].digest  # exactly where the save was
        await pilot.press("c", "down", "tab", *"0.05", "enter")  # play on, differently: buy chips
        await pilot.pause()
        assert len(branch.pending) == 1
        await end_quarter(pilot)
        assert branch.turn == k + 1
        assert state_digest(branch) != save.turns[k].digest
        autosaves = list(tmp_path.glob(f"autosave-*-{branch.game_id}-q{k + 1:02d}.json"))
        assert len(autosaves) == 1
    assert path.read_bytes() == original  # the original save is untouched


async def test_no_branch_from_the_end_of_a_finished_game(pack: Pack, tmp_path: Path) -> None:
    path = save_game(tmp_path, pack, "done")
    app = make_app(pack, saves=tmp_path, replay=(path,))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        assert screen.check_action("branch", ()) is None
        await pilot.press("left")
        assert screen.check_action("branch", ()) is True


async def test_a_game_in_progress_replays_to_its_plan_and_branches_from_there(pack: Pack, tmp_path: Path) -> None:
    game = Game.new(pack, "tutorial", "normal", SEED, "Northstar")
    POLICIES["multicloud"](game)
    game.end_turn()
    POLICIES["multicloud"](game)  # planned, not played
    planned = [game.describe(a) for a in game.pending]
    path = SaveStore(tmp_path).save(game, "midway")
    app = make_app(pack, saves=tmp_path, replay=(path,))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReplayScreen) and screen.position == 0
        await pilot.press("end")
        story = panel_text(screen, "#replay-story")
        assert all(p in story for p in planned)
        await pilot.press("b")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert app.game is not None and [app.game.describe(a) for a in app.game.pending] == planned


async def test_a_damaged_save_is_a_message_not_a_traceback(pack: Pack, tmp_path: Path) -> None:
    path = save_game(tmp_path, pack, "edited", quarters=3)
    path.write_text(path.read_text().replace(read_save(path).turns[0].digest, "f" * 32))
    app = make_app(pack, saves=tmp_path, replay=(path,))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReplayScreen) and screen.error is not None
        assert "digest does not match" in panel_text(screen, "#replay-error")
        await pilot.press("right", "b", "c")  # nothing to step, branch or compare; nothing breaks
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReplayScreen)


async def test_the_analysis_key_says_so_when_the_analysis_screen_is_missing(
    pack: Pack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = save_game(tmp_path, pack, "game", quarters=2)
    monkeypatch.setitem(sys.modules, "game.ui.screens.analysis", None)  # import fails
    app = make_app(pack, saves=tmp_path, replay=(path,))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ReplayScreen)
        assert any("analysis screen is not part" in n.message for n in app._notifications)


# ---- comparing two saves ------------------------------------------------------------------------


async def test_compare_two_saves_of_one_world(pack: Pack, tmp_path: Path) -> None:
    a = save_game(tmp_path, pack, "multi cloud", POLICIES["multicloud"], lab="Team A")
    b = save_game(tmp_path, pack, "loyalist", POLICIES["loyalist"], quarters=5, lab="Team B")
    app = make_app(pack, saves=tmp_path, replay=(a, b))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen) and screen.sides is not None
        side_a, side_b = screen.sides
        assert screen.last == len(side_a.game.turns)  # the longer game sets the timeline
        await pilot.press("right")
        assert screen.position == 1
        left, right = panel_text(screen, "#compare-a"), panel_text(screen, "#compare-b")
        assert "Against rival" in left and "Against rival" in right
        for action in side_a.game.turns[1].actions:
            assert side_a.game.describe(action) in left
        for action in side_b.game.turns[1].actions:
            assert side_b.game.describe(action) in right
        await pilot.press("end")
        assert "stops earlier" in panel_text(screen, "#compare-b")
        await pilot.press("2")
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "compare-chart-tab"


async def test_compare_refuses_two_worlds_with_a_clear_message(pack: Pack, tmp_path: Path) -> None:
    a = save_game(tmp_path, pack, "tutorial game", quarters=2)
    b = save_game(tmp_path, pack, "chip game", quarters=2, scenario="chip-shock")
    app = make_app(pack, saves=tmp_path, replay=(a, b))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen) and screen.sides is None
        assert "different worlds" in panel_text(screen, "#compare-error")


async def test_compare_from_the_replay_screen(pack: Pack, tmp_path: Path) -> None:
    a = save_game(tmp_path, pack, "a", POLICIES["multicloud"], lab="Team A")
    save_game(tmp_path, pack, "b", POLICIES["loyalist"], lab="Team B")
    save_game(tmp_path, pack, "elsewhere", quarters=1, scenario="chip-shock", lab="Team C")
    app = make_app(pack, saves=tmp_path, replay=(a,))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("home", "right", "c")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, SavesScreen)
        assert a.name not in [e.path.name for e in picker.entries]  # not itself
        names = [e.path.name for e in picker.entries]
        # Another world: refused with the reason, and the list stays.
        await pilot.press(*(["down"] * names.index("elsewhere.json")), "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReplayScreen)
        assert any("different worlds" in n.message for n in app._notifications)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*(["down"] * names.index("b.json")), "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen) and screen.sides is not None
        assert screen.position == 1  # opens on the quarter the replay showed
        assert [s.game.lab_name for s in screen.sides] == ["Team A", "Team B"]


# ---- the command line ---------------------------------------------------------------------------


def fortress(*args: str) -> subprocess.CompletedProcess[str]:
    beside = Path(sys.executable).with_name("fortress")  # not another install's on PATH
    exe = str(beside) if beside.exists() else shutil.which("fortress") or "fortress"
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=120)


def test_replay_text_still_prints_the_replay(pack: Pack, tmp_path: Path) -> None:
    path = save_game(tmp_path, pack, "printed", quarters=3)
    out = fortress("replay", "--text", str(path))
    assert out.returncode == 0, out.stderr
    assert "Northstar: First Steps (tutorial)" in out.stdout and "== Q1 2026 ==" in out.stdout
    assert "In progress at Q4 2026." in out.stdout
    # Not on a terminal, plain `replay` prints the same text.
    assert fortress("replay", str(path)).stdout == out.stdout
    out = fortress("replay", "--text", str(path), str(path))
    assert out.returncode == 2 and "Give one save to replay" in out.stderr


# ---- the screen, as a picture --------------------------------------------------------------------


def test_the_replay_screen_looks_as_accepted(snap_compare: SnapCompare, pack: Pack, tmp_path: Path) -> None:
    path = save_game(tmp_path, pack, "pictured", POLICIES["loyalist"])

    async def to_quarter_two(pilot: Pilot[None]) -> None:
        await pilot.press("home", "right")
        await settle(pilot)

    app = make_app(pack, saves=tmp_path, replay=(path,))
    assert snap_compare(app, terminal_size=(80, 24), run_before=to_quarter_two)
