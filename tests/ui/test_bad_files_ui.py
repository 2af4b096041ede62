"""The title screen and its Load list over a folder of more than sixty bad files: the good saves
are listed and open, every file the reader refuses is marked with its reason, nothing hangs."""

from __future__ import annotations

import threading
from pathlib import Path

from corpus import make_corpus

from game.content.models import Pack
from game.saves.load import SaveEntry
from game.saves.store import SaveStore
from game.ui.app import make_app
from game.ui.screens.dashboard import DashboardScreen
from game.ui.screens.saves import SavesScreen
from game.ui.screens.title import TitleScreen


def listing_within(folder: Path, seconds: float) -> list[SaveEntry]:
    """The save list, or a failure if reading it takes longer than `seconds` (a hang)."""
    found: list[list[SaveEntry]] = []
    worker = threading.Thread(target=lambda: found.append(SaveStore(folder).entries()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert found, f"listing {folder} did not finish within {seconds} s"
    return found[0]


async def test_the_title_screen_lists_good_saves_past_every_bad_file(pack: Pack, tmp_path: Path) -> None:
    corpus = make_corpus(pack, tmp_path / "class")
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
