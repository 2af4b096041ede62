"""The class debrief's Objectives tab: every team's mark and evidence, reached by its key from
any tab, the judged Decisions tab included."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TabbedContent

from game.analysis.debrief import class_debrief
from game.analysis.policies import POLICIES, play
from game.content.models import Pack
from game.saves.classroom import collect_games
from game.saves.store import SaveStore
from game.session.game import Game
from game.ui.app import make_app
from game.ui.screens.class_debrief import ClassDebriefScreen, ClassRoom

from .helpers import panel_text


async def test_the_objectives_tab_marks_each_team_and_every_tab_key_works_after_judging(
    pack: Pack, tmp_path: Path
) -> None:
    store = SaveStore(tmp_path)
    for bot in ("loyalist", "reference"):
        store.autosave(play(Game.new(pack, "tutorial", seed=5, lab_name=bot.title(), quarters=3), POLICIES[bot]))
    games, _ = collect_games(tmp_path)
    d = class_debrief([(g, p.name) for g, p in games], [], "Period 3")
    room = ClassRoom(tmp_path, d, {p.name: g for g, p in games}, 20, judge_now=True)
    app = make_app(pack, saves=tmp_path, classroom=room)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClassDebriefScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        tabs = screen.query_one(TabbedContent)
        assert tabs.active == "decisions" and not screen.judging
        for key, tab in (
            ("6", "objectives"),
            ("4", "decisions"),
            ("2", "paths"),
            ("4", "decisions"),
            ("6", "objectives"),
        ):
            await pilot.press(key)
            await pilot.pause()
            assert tabs.active == tab, key
        text = panel_text(app, "#debrief-objectives")
        for team in d.teams:
            for m in team.objectives:
                assert " ".join(m.evidence.split()) in text
        assert "of 2 met" in text
