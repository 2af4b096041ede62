"""The title screen and its Load list over a folder of more than sixty bad files: the good saves
are listed and open, every file the reader refuses is marked with its reason, nothing hangs. The
class debrief screen over the same folder ranks the good saves and names every file it left out."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from corpus import Corpus, make_corpus, shown

from game.analysis.debrief import ClassRoom, class_debrief
from game.content.models import Pack
from game.saves.classroom import collect_games
from game.saves.load import SaveEntry
from game.saves.store import SaveStore
from game.saves.trust import Reference
from game.ui.app import make_app
from game.ui.screens.class_debrief import ClassDebriefScreen
from game.ui.screens.dashboard import DashboardScreen
from game.ui.screens.saves import SavesScreen
from game.ui.screens.title import TitleScreen

from .helpers import panel_text


@pytest.fixture(scope="module")
def corpus(pack: Pack, tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return make_corpus(pack, tmp_path_factory.mktemp("class"))


def listing_within(folder: Path, seconds: float) -> list[SaveEntry]:
    """The save list, or a failure if reading it takes longer than `seconds` (a hang)."""
    found: list[list[SaveEntry]] = []
    worker = threading.Thread(target=lambda: found.append(SaveStore(folder).entries()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert found, f"listing {folder} did not finish within {seconds} s"
    return found[0]


async def test_the_title_screen_lists_good_saves_past_every_bad_file(pack: Pack, corpus: Corpus) -> None:
    assert len(corpus.bad) >= 60
    assert len(listing_within(corpus.folder, 30)) >= len(corpus.bad)
    app = make_app(pack, saves=corpus.folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("l")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SavesScreen)
        entries = {e.path.name: e for e in screen.entries}
        for name in corpus.unreadable:
            assert not entries[name].ok and entries[name].reason, name
        for name in corpus.good_files:
            assert entries[name].ok, name
        bad = [i for i, e in enumerate(screen.entries) if not e.ok]
        await pilot.press("home", *["down"] * bad[0], "enter", "end", "enter")  # described, not opened
        await pilot.pause()
        assert app.screen is screen
        good = next(i for i, e in enumerate(screen.entries) if e.path.name == "alpha.json")
        await pilot.press("home", *["down"] * good, "enter")
        await pilot.pause()
        assert app.game is not None and app.game.lab_name == "Team Alpha"
        assert isinstance(app.screen, DashboardScreen) or app.game.over


async def test_the_class_debrief_screen_names_every_file_it_left_out(pack: Pack, corpus: Corpus) -> None:
    games, left = collect_games(corpus.folder, reference=Reference(pack))
    debrief = class_debrief(
        [(g, p.name) for g, p in games],
        [(s.path.name, s.reason) for s in left if not s.flagged],
        "Period 3",
        flagged=[(s.path.name, s.reason) for s in left if s.flagged],
    )
    assert sorted(t.team for t in debrief.teams) == corpus.good_teams
    app = make_app(
        pack, saves=corpus.folder, classroom=ClassRoom(corpus.folder, debrief, {p.name: g for g, p in games}, None)
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ClassDebriefScreen)
        await pilot.press("5")
        await pilot.pause()
        text = "".join(panel_text(app, "#debrief-skipped").split())  # a long name may be folded
        for name in corpus.lying:
            assert "".join(f"{shown(name)} (flagged)".split()) in text, name
        for name in corpus.unreadable + corpus.unplayable:
            assert "".join(f"{shown(name)} (skipped)".split()) in text, name
