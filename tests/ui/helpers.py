"""Key sequences shared by the pilot and snapshot tests: how a player gets somewhere."""

from __future__ import annotations

from textual.pilot import Pilot

from game.ui.app import FortressApp
from game.ui.widgets.panel import Panel


async def start_tutorial(pilot: Pilot[None]) -> None:
    """From the title screen: n (new game), Enter (the tutorial, first in the list)."""
    await pilot.press("n")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def end_quarter(pilot: Pilot[None]) -> None:
    """e (end the quarter), then Enter to leave the report."""
    await pilot.press("e")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


def panel_text(app: FortressApp, selector: str) -> str:
    """The plain text of the first panel matching `selector` on the current screen, with
    line breaks and runs of spaces collapsed (so wrapping does not matter)."""
    panel = next(iter(app.screen.query(selector).results(Panel)))
    return " ".join(panel.text.split())


async def settle(pilot: Pilot[None]) -> None:
    """Let pending messages run and drop notifications, so screenshots are steady."""
    await pilot.pause()
    pilot.app.clear_notifications()
    await pilot.pause()
