"""The words of every screen a player and a teacher meet in a short game, as plain text.

A short workshop game (three quarters of `fortress-2026`, decisions by the reference player) is
played through the interface; every screen on the way is read as the player sees it, each tab
and the help of each screen included: the title, the team name, the dashboard, the funding,
deals, capacity and operations screens, the quarter reports, the game-over screen, the replay,
the engine's analysis and its learn-from-mistakes view, and the class debrief of that game. The
class debrief's Markdown report is added, as a teacher projects it.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from textual.pilot import Pilot

from game.analysis.debrief import class_debrief
from game.analysis.exports import to_markdown
from game.analysis.policies import POLICIES
from game.content.models import Pack
from game.content.workshop import Workshop
from game.saves.classroom import collect_games
from game.ui.app import FortressApp, make_app
from game.ui.screens.class_debrief import ClassRoom

SIZE = (150, 55)
"""Large enough that no panel of these screens needs scrolling to be read."""


def svg_text(svg: str) -> str:
    """The text of a Textual screenshot, line by line."""
    lines: dict[float, list[str]] = {}
    for m in re.finditer(r'<text[^>]*\by="([\d.]+)"[^>]*>(.*?)</text>', svg, re.S):
        lines.setdefault(float(m.group(1)), []).append(html.unescape(re.sub(r"<[^>]+>", "", m.group(2))))
    return "\n".join("".join(parts) for _, parts in sorted(lines.items())).replace("\xa0", " ")


class Reader:
    """Collects what each screen shows, by screen name."""

    def __init__(self, app: FortressApp, pilot: Pilot[None], pages: dict[str, str]) -> None:
        self.app, self.pilot = app, pilot
        self.pages = pages

    async def read(self, name: str, tabs: str = "") -> None:
        """The screen now, then each of its `tabs` (keys), then its help (F1)."""
        await self.pilot.pause()
        self.pages[name] = svg_text(self.app.export_screenshot())
        for key in tabs:
            await self.pilot.press(key)
            await self.pilot.pause()
            self.pages[f"{name} tab {key}"] = svg_text(self.app.export_screenshot())
        help_text = getattr(self.app.screen, "HELP", "")
        if help_text:
            self.pages[f"{name} help"] = help_text

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await self.pilot.pause()


async def play_and_read(pack: Pack, saves: Path) -> dict[str, str]:
    """Play the short game through the interface and read every screen on the way."""
    workshop = Workshop(title="Practice", scenario="fortress-2026", seed=4821, quarters=3)
    pages: dict[str, str] = {}
    app = make_app(pack, saves=saves, workshop=workshop, evaluation="wait")
    async with app.run_test(size=SIZE) as pilot:
        r = Reader(app, pilot, pages)
        await r.read("title")
        await r.press("n")
        await r.read("team name")
        await r.press(*"Readers", "enter")
        for quarter in range(1, 4):
            await r.read(f"dashboard q{quarter}", "23456" if quarter == 1 else "")
            screens = (("f", "funding"), ("d", "deals"), ("c", "capacity"), ("o", "operations"))
            for key, name in screens if quarter != 2 else ():
                await r.press(key)
                await r.read(f"{name} q{quarter}")
                await r.press("escape")
            game = app.game
            assert game is not None
            POLICIES["reference"](game)
            await r.press("1")
            await r.read(f"plan q{quarter}")
            await r.press("e")
            await r.read(f"report q{quarter}")
            await r.press("enter")
        await r.read("game over")
        await r.press("d")
        await r.read("replay", "123")
        await r.press("a")
        await app.workers.wait_for_complete()  # the analysis judges the quarters in a worker
        await r.read("analysis", "123")
        await r.press("l")
        await r.read("learn from mistakes")
    games, skipped = collect_games(saves)
    debrief = class_debrief([(g, p.name) for g, p in games], [(s.path.name, s.reason) for s in skipped], "Practice")
    room = ClassRoom(saves, debrief, {p.name: g for g, p in games})
    app = make_app(pack, saves=saves, classroom=room)
    async with app.run_test(size=SIZE) as pilot:
        await Reader(app, pilot, pages).read("class debrief", "123456")
    pages["class debrief report"] = to_markdown(debrief)
    return pages
